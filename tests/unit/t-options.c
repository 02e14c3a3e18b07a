#include "unit.h"
#include "../../cli/options.h"

static int flag, flag2;
static const char *str, *choice, *optarg_v, *next_v;
static unsigned num;
static double dbl;
static struct fg_strlist list;
static const char *const colors[] = { "red", "blue", NULL };

static const struct fg_option opts[] = {
	OPT_GROUP("Test"),
	OPT_BOOL('i', "inverted", &flag, "flag"),
	OPT_BOOL('q', "quiet", &flag2, "flag"),
	OPT_STRING('o', "output", &str, "PATH", "path", "out.svg"),
	OPT_UINT('F', "freq", &num, "HZ", "frequency", "997"),
	OPT_DOUBLE(0, "min-width", &dbl, "PCT", "width", "0.01"),
	OPT_CHOICE(0, "color", &choice, "C", "colour", "red", colors),
	OPT_STRING_LIST(0, "base", &list, "SYM", "base", 0),
	{ .type = OPTION_STRING, .long_name = "root", .value = &optarg_v,
	  .argh = "FLAGS", .help = "root", .flags = OPT_OPTARG,
	  .optarg_default = "" },
	{ .type = OPTION_STRING, .long_name = "unit-test", .short_name = 'u',
	  .value = &next_v, .argh = "NAME", .help = "unit test",
	  .flags = OPT_OPTARG | OPT_OPTARG_NEXT, .optarg_default = "" },
	OPT_END(),
};

static const struct fg_command cmd = {
	.name = "t", .usage = "t [OPTIONS]", .options = opts,
};

static void reset(void)
{
	flag = flag2 = 0;
	str = choice = optarg_v = next_v = NULL;
	num = 0;
	dbl = 0;
	fg_strlist_release(&list);
}

static int parse(int argc, const char **argv, int *ntrail, const char ***trail)
{
	reset();
	return parse_options(&cmd, argc, argv, trail, ntrail);
}

TEST(options_forms)
{
	const char *argv[] = { "t", "-iq", "-oa.svg", "--freq", "99",
			       "--min-width=0.5", "--color", "blue", "--base", "x",
			       "--base=y", "--root", "--", "prog", "--freq" };
	const char **trail;
	int n;

	CHECK(parse(ARRAY_SIZE(argv), argv, &n, &trail) == 0);
	CHECK(flag == 1 && flag2 == 1);
	CHECK_STREQ(str, "a.svg");
	CHECK(num == 99);
	CHECK(dbl == 0.5);
	CHECK_STREQ(choice, "blue");
	CHECK(list.nr == 2);
	CHECK_STREQ(list.v[1], "y");
	CHECK_STREQ(optarg_v, "");
	CHECK(n == 2);
	CHECK_STREQ(trail[0], "prog");
	CHECK_STREQ(trail[1], "--freq");
}

TEST(options_optarg_attached)
{
	const char *argv[] = { "t", "--root=-E", "-o", "x" };
	const char **trail;
	int n;

	CHECK(parse(ARRAY_SIZE(argv), argv, &n, &trail) == 0);
	CHECK_STREQ(optarg_v, "-E");
	CHECK_STREQ(str, "x");
	CHECK(n == 0);
}

TEST(options_optarg_next)
{
	const char *spaced[] = { "t", "--unit-test", "name", "-i" };
	const char *attached[] = { "t", "--unit-test=name", "x" };
	const char *option[] = { "t", "--unit-test", "-i" };
	const char *dashdash[] = { "t", "--unit-test", "--", "filter" };
	const char *last[] = { "t", "--unit-test" };
	const char *shortf[] = { "t", "-u", "name" };
	const char *plain[] = { "t", "--root", "x" };
	const char **trail;
	int n;

	CHECK(parse(ARRAY_SIZE(spaced), spaced, &n, &trail) == 0);
	CHECK_STREQ(next_v, "name");
	CHECK(flag == 1 && n == 0);
	/* an attached value ends it: "x" is then a stray argument */
	CHECK(parse(ARRAY_SIZE(attached), attached, &n, &trail) == -1);
	CHECK_STREQ(next_v, "name");
	CHECK(parse(ARRAY_SIZE(option), option, &n, &trail) == 0);
	CHECK_STREQ(next_v, "");
	CHECK(flag == 1);
	CHECK(parse(ARRAY_SIZE(dashdash), dashdash, &n, &trail) == 0);
	CHECK_STREQ(next_v, "");
	CHECK(n == 1);
	CHECK_STREQ(trail[0], "filter");
	CHECK(parse(ARRAY_SIZE(last), last, &n, &trail) == 0);
	CHECK_STREQ(next_v, "");
	CHECK(parse(ARRAY_SIZE(shortf), shortf, &n, &trail) == 0);
	CHECK_STREQ(next_v, "name");
	/* plain OPT_OPTARG still takes attached values only */
	CHECK(parse(ARRAY_SIZE(plain), plain, &n, &trail) == -1);
	CHECK_STREQ(optarg_v, "");
	reset();
}

TEST(options_errors)
{
	const char *unknown[] = { "t", "--nope" };
	const char *badnum[] = { "t", "-F", "12x" };
	const char *negnum[] = { "t", "-F", "-5" };
	const char *badchoice[] = { "t", "--color=green" };
	const char *missing[] = { "t", "--output" };
	const char *stray[] = { "t", "prog" };
	const char *flagval[] = { "t", "--inverted=1" };
	const char *baddbl[] = { "t", "--min-width", "nan" };
	const char **trail;
	int n;

	CHECK(parse(ARRAY_SIZE(unknown), unknown, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(badnum), badnum, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(negnum), negnum, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(badchoice), badchoice, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(missing), missing, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(stray), stray, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(flagval), flagval, &n, &trail) == -1);
	CHECK(parse(ARRAY_SIZE(baddbl), baddbl, &n, &trail) == -1);
	reset();
}

TEST(options_usage_lists_every_option)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	options_usage(&cmd, fp);
	fclose(fp);
	CHECK(strstr(text, "-F, --freq HZ") != NULL);
	CHECK(strstr(text, "--root[=FLAGS]") != NULL);
	CHECK(strstr(text, "-u, --unit-test [NAME]") != NULL);
	CHECK(strstr(text, "[possible values: red, blue]") != NULL);
	CHECK(strstr(text, "[default: 997]") != NULL);
	CHECK(strstr(text, "(repeatable)") != NULL);
	free(text);
}

TEST(options_completions_all_shells)
{
	const char *const *sh;

	for (sh = fg_shells; *sh; sh++) {
		char *text = NULL;
		size_t size = 0;
		FILE *fp = open_memstream(&text, &size);

		CHECK(options_completions(&cmd, *sh, fp) == 0);
		fclose(fp);
		CHECK(strstr(text, "min-width") != NULL);
		free(text);
	}
	CHECK(options_completions(&cmd, "tcsh", stdout) == -1);
}
