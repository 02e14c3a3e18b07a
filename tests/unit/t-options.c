#include "unit.h"
#include "../../cli/options.h"
#include "../../cli/profile.h"

#include <unistd.h>

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

/* What parsing argv prints on standard error, malloc'd. */
static char *parse_errors(const struct fg_command *c, int argc, const char **argv)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), n;
	const char **trail;
	char *text = xcalloc(1, 4096);

	fflush(stderr);
	dup2(fileno(tmp), 2);
	reset();
	CHECK(parse_options(c, argc, argv, &trail, &n) == -1);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = (int)fread(text, 1, 4095, tmp);
	text[n > 0 ? n : 0] = '\0';
	fclose(tmp);
	return text;
}

static int palette_cb(const struct fg_option *opt, const char *arg)
{
	(void)opt;
	choice = arg;
	return 0;
}

static const struct fg_option cargo_opts[] = {
	OPT_STRING('b', "bin", &str, "BIN", "binary", NULL),
	OPT_STRING(0, "bench", &str, "BENCH", "benchmark", NULL),
	OPT_STRING(0, "example", &str, "EXAMPLE", "example", NULL),
	{ .type = OPTION_STRING, .long_name = "unit-test", .value = &next_v,
	  .argh = "NAME", .help = "unit test", .flags = OPT_OPTARG | OPT_OPTARG_NEXT,
	  .optarg_default = "" },
	{ .type = OPTION_STRING, .long_name = "unit-bench", .value = &next_v,
	  .argh = "NAME", .help = "unit bench", .flags = OPT_OPTARG | OPT_OPTARG_NEXT,
	  .optarg_default = "" },
	OPT_CHOICE(0, "unit-test-kind", &choice, "KIND", "kind", NULL, colors),
	OPT_BOOL('i', "inverted", &flag, "flag"),
	OPT_UINT('F', "freq", &num, "HZ", "frequency", "997"),
	OPT_STRING('f', "features", &str, "FEATURES", "features", NULL),
	OPT_CALLBACK_CHOICE(0, "palette", NULL, "PALETTE", "palette", "hot", palette_cb,
			    colors),
	OPT_STRING_VALUES(0, "call-graph", &str, "MODE", "mode", "dwarf",
			  FG_VALUES("dwarf", "dwarf,16384", "fp")),
	OPT_FILENAME('o', "output", &str, "PATH", "output", NULL),
	OPT_BOOL(0, "no-summary", &flag2, "no summary"),
	OPT_HIDDEN_BOOL("secret-bin", &flag2, "hidden"),
	OPT_END(),
};

static const struct fg_command cargo_cmd = {
	.name = "cargo flamegraph", .usage = "cargo flamegraph [OPTIONS] [-- ARGS...]",
	.options = cargo_opts,
};

TEST(options_unknown_suggests_the_nearest)
{
	static const struct { const char *arg, *msg; } cases[] = {
		{ "--bni", "error: unknown option '--bni' (did you mean '--bin'?; "
			   "see 'cargo flamegraph --help')\n" },
		{ "--ouptut=x.svg", "error: unknown option '--ouptut' (did you mean "
				    "'--output'?; see 'cargo flamegraph --help')\n" },
		{ "--pal", "error: unknown option '--pal' (did you mean '--palette'?; "
			   "see 'cargo flamegraph --help')\n" },
		{ "--unit", "error: unknown option '--unit' (did you mean '--unit-test', "
			    "'--unit-bench' or '--unit-test-kind'?; see 'cargo flamegraph --help')\n" },
		{ "--Palette", "error: unknown option '--Palette' (did you mean "
			       "'--palette'?; see 'cargo flamegraph --help')\n" },
		{ "--no_summary", "error: unknown option '--no_summary' (did you mean "
				  "'--no-summary'?; see 'cargo flamegraph --help')\n" },
		{ "--halp", "error: unknown option '--halp' (did you mean '--help'?; "
			    "see 'cargo flamegraph --help')\n" },
		/* nothing near: no guess */
		{ "--frobnicate", "error: unknown option '--frobnicate' "
				  "(see 'cargo flamegraph --help')\n" },
		{ "--xy", "error: unknown option '--xy' (see 'cargo flamegraph --help')\n" },
		/* hidden options are not suggested */
		{ "--secret-bni", "error: unknown option '--secret-bni' "
				  "(see 'cargo flamegraph --help')\n" },
		/* short: a long option with one dash, the other case */
		{ "-help", "error: unknown option '-help' (did you mean '--help'?; "
			   "see 'cargo flamegraph --help')\n" },
		{ "-I", "error: unknown option '-I' (did you mean '-i'?; "
			"see 'cargo flamegraph --help')\n" },
		{ "-iX", "error: unknown option '-X' (see 'cargo flamegraph --help')\n" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[] = { "cargo-flamegraph", cases[i].arg };
		char *msg = parse_errors(&cargo_cmd, 2, argv);

		CHECK_STREQ(msg, cases[i].msg);
		free(msg);
	}
	reset();
}

TEST(options_exe_name_joins_the_words)
{
	char *a = options_exe_name(&cargo_cmd), *b = options_exe_name(&cmd);

	CHECK_STREQ(a, "cargo-flamegraph");
	CHECK_STREQ(b, "t");
	free(a);
	free(b);
}

/* The completion script of c for shell, malloc'd. */
static char *completions(const struct fg_command *c, const char *shell)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);

	CHECK(options_completions(c, shell, fp) == 0);
	fclose(fp);
	return text;
}

TEST(options_completions_of_a_subcommand)
{
	char *bash = completions(&cargo_cmd, "bash"), *zsh = completions(&cargo_cmd, "zsh");
	char *fish = completions(&cargo_cmd, "fish"), *elv = completions(&cargo_cmd, "elvish");
	char *ps = completions(&cargo_cmd, "powershell");
	char *man = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&man, &size);

	/* identifiers from the executable; no name with a space anywhere */
	CHECK(strstr(bash, "complete -F _fg_complete_cargo_flamegraph cargo-flamegraph\n") != NULL);
	CHECK(strstr(bash, "complete -F _fg_cargo_flamegraph_wrap cargo\n") != NULL);
	CHECK(strstr(zsh, "#compdef cargo-flamegraph\n") != NULL);
	CHECK(strstr(zsh, "\n_cargo-flamegraph() {\n") != NULL);
	CHECK(strstr(fish, "complete -c cargo-flamegraph -l palette -x -a 'red blue'") != NULL);
	CHECK(strstr(fish, "complete -c cargo -n '__fish_seen_subcommand_from flamegraph' "
		      "-l palette") != NULL);
	CHECK(strstr(elv, "arg-completer[cargo-flamegraph]") != NULL);
	CHECK(strstr(elv, "arg-completer[cargo]") != NULL);
	CHECK(strstr(ps, "-CommandName 'cargo-flamegraph'") != NULL);
	CHECK(!strstr(bash, "cargo flamegraph(") && !strstr(bash, "_cargo flamegraph"));
	CHECK(!strstr(zsh, "_cargo flamegraph"));
	options_man(&cargo_cmd, NULL, fp);
	fclose(fp);
	CHECK(strstr(man, ".TH \"cargo-flamegraph\" 1") != NULL);
	free(bash);
	free(zsh);
	free(fish);
	free(elv);
	free(ps);
	free(man);
}

TEST(options_completions_complete_values)
{
	char *bash = completions(&cargo_cmd, "bash"), *zsh = completions(&cargo_cmd, "zsh");
	char *fish = completions(&cargo_cmd, "fish");

	/* choices, of a choice row and of a callback row; usual values; files */
	CHECK(strstr(bash, "'--unit-test-kind')\n        mapfile -t COMPREPLY < "
		      "<(compgen -P \"$pre\" -W 'red blue' -- \"$cur\")") != NULL);
	CHECK(strstr(bash, "'--palette')\n        mapfile -t COMPREPLY < "
		      "<(compgen -P \"$pre\" -W 'red blue' -- \"$cur\")") != NULL);
	CHECK(strstr(bash, "-W 'dwarf dwarf,16384 fp'") != NULL);
	CHECK(strstr(bash, "'-o'|'--output')\n        _fg_files_cargo_flamegraph") != NULL);
	/* optional values are attached: no value is completed after them */
	CHECK(!strstr(bash, "'--unit-test')"));
	CHECK(strstr(zsh, "'--palette=[palette]:PALETTE:(red blue)'") != NULL);
	CHECK(strstr(zsh, "'--call-graph=[mode]:MODE:(dwarf dwarf,16384 fp)'") != NULL);
	CHECK(strstr(zsh, "'-o+[output]:PATH:_files'") != NULL);
	CHECK(strstr(zsh, "'--unit-test=[unit test]::NAME: '") != NULL);
	CHECK(strstr(fish, "-s o -l output -r -F") != NULL);
	free(bash);
	free(zsh);
	free(fish);
}

/*
 * The defaults --help, the manual pages and the completions show are the
 * values the init functions set: both come from lib/defaults.h.
 */
static struct fg_profile_opts def_prof;
static struct fg_run_opts def_run;

static const struct fg_option default_rows[] = {
	FG_RECORD_OPTIONS(&def_prof),
	FG_OUTPUT_OPTIONS(&def_run),
	FG_COLLAPSE_OPTIONS(&def_run),
	FG_RENDER_OPTIONS(&def_run),
	OPT_END(),
};

TEST(options_defaults_shown_are_the_defaults_used)
{
	const struct fg_option *o;
	int checked = 0;

	profile_opts_init(&def_prof);
	run_opts_init(&def_run);
	for (o = default_rows; o->type != OPTION_END; o++) {
		const char *d = o->defval, *name = o->long_name;

		if (!d)
			continue;
		switch (o->type) {
		case OPTION_UINT:
			CHECK_U64EQ(strtoull(d, NULL, 10), *(unsigned *)o->value);
			break;
		case OPTION_DOUBLE:
			if (strtod(d, NULL) != *(double *)o->value)
				unit_fail(__FILE__, __LINE__, "--%s: shown %s, set %g", name, d,
					  *(double *)o->value);
			break;
		case OPTION_STRING:
		case OPTION_CHOICE:
			/* NULL: the default depends on other options, told in words */
			if (!*(const char **)o->value)
				continue;
			CHECK_STREQ(*(const char **)o->value, d);
			break;
		case OPTION_CALLBACK:
			if (!strcmp(name, "freq"))
				CHECK_U64EQ(strtoull(d, NULL, 10), def_prof.freq);
			else if (!strcmp(name, "palette"))
				CHECK_STREQ(svg_palette_names[def_run.svg.palette], d);
			else if (!strcmp(name, "search-color") || !strcmp(name, "ui-color"))
				CHECK_STREQ((const char *)o->value, d);
			else
				continue;	/* "none", "from the palette": words */
			break;
		default:
			continue;
		}
		checked++;
	}
	CHECK(checked >= 15);
	/* the default call graph, settled */
	CHECK(profile_opts_finish(&def_prof) == 0);
	CHECK(def_prof.call_graph == CG_DWARF);
	CHECK(def_prof.stack_size == FG_DEFAULT_STACK_SIZE);
	CHECK(def_prof.npids == 0 && def_prof.pids == NULL);
	CHECK_STREQ(FG_STR(FG_DEFAULT_FONT_WIDTH), "0.59");
	CHECK_STREQ(FG_DEFAULT_CALL_GRAPH, "dwarf,64000");
	profile_opts_release(&def_prof);
	run_opts_release(&def_run);
}

TEST(options_call_graph_and_pids_settle_once)
{
	struct fg_profile_opts p;
	static const struct {
		const char *arg;
		int ok;
		enum record_callgraph cg;
		unsigned size;
	} cases[] = {
		{ "fp", 1, CG_FP, 0 },
		{ "dwarf", 1, CG_DWARF, FG_DEFAULT_STACK_SIZE },
		{ "dwarf,16384", 1, CG_DWARF, 16384 },
		{ "dwarf,1001", 1, CG_DWARF, 1000 },	/* rounded down to 8s */
		{ "dwarf,8", 1, CG_DWARF, 8 },
		{ "dwarf," FG_STR(FG_MAX_STACK_SIZE), 1, CG_DWARF, FG_MAX_STACK_SIZE },
		{ "dwarf,7", 0, CG_DWARF, 0 },
		{ "dwarf,65529", 0, CG_DWARF, 0 },
		{ "dwarf,", 0, CG_DWARF, 0 },
		{ "dwarf,12x", 0, CG_DWARF, 0 },
		{ "lbr", 0, CG_DWARF, 0 },
	};
	size_t i;

	fflush(stderr);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		profile_opts_init(&p);
		p.call_graph_arg = cases[i].arg;
		if (!cases[i].ok) {
			if (profile_opts_finish(&p) != -1)
				unit_fail(__FILE__, __LINE__, "'%s' accepted", cases[i].arg);
			continue;
		}
		if (profile_opts_finish(&p) || p.call_graph != cases[i].cg ||
		    p.stack_size != cases[i].size)
			unit_fail(__FILE__, __LINE__, "'%s': mode %d, %u bytes", cases[i].arg,
				  (int)p.call_graph, p.stack_size);
	}

	/* -p 12,34 -p 5: one array, in order; settling again replaces it */
	profile_opts_init(&p);
	fg_strlist_append(&p.pid_args, "12,34");
	fg_strlist_append(&p.pid_args, "5");
	CHECK(profile_opts_finish(&p) == 0);
	CHECK(profile_opts_finish(&p) == 0);
	CHECK(p.npids == 3);
	CHECK(p.pids[0] == 12 && p.pids[1] == 34 && p.pids[2] == 5);
	profile_opts_release(&p);
	CHECK(p.npids == 0 && p.pids == NULL && p.pid_args.nr == 0);

	/* "-p ''" (pgrep found nothing), and what is no process id */
	fg_strlist_append(&p.pid_args, "");
	CHECK(profile_opts_finish(&p) == -1);
	CHECK(p.npids == 0 && p.pids == NULL);
	profile_opts_release(&p);
	fg_strlist_append(&p.pid_args, "12,x");
	CHECK(profile_opts_finish(&p) == -1);
	CHECK(p.npids == 0 && p.pids == NULL);
	profile_opts_release(&p);
	fg_strlist_append(&p.pid_args, "0");
	CHECK(profile_opts_finish(&p) == -1);
	profile_opts_release(&p);
}
