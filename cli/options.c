#include "options.h"
#include "../lib/buf.h"

#include <math.h>
#include <strings.h>

const char *fg_version = "0.1.0";
const char *const fg_shells[] = {
	"bash", "elvish", "fish", "powershell", "zsh", NULL
};

int option_takes_value(const struct fg_option *o)
{
	switch (o->type) {
	case OPTION_BOOL:
		return 0;
	case OPTION_CALLBACK:
		return !(o->flags & OPT_NOARG);
	default:
		return 1;
	}
}

char *options_exe_name(const struct fg_command *cmd)
{
	char *exe = xstrdup(cmd->name), *p;

	for (p = exe; *p; p++)
		if (*p == ' ')
			*p = '-';
	return exe;
}

static void describe(const struct fg_option *o, char *buf, size_t size)
{
	if (o->long_name)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
}

static int set_value(const struct fg_option *o, const char *arg)
{
	char name[128];
	char *end;

	describe(o, name, sizeof(name));
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = 1;
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_STRING_LIST:
		fg_strlist_append(o->value, arg);
		return 0;
	case OPTION_UINT: {
		unsigned long v;

		errno = 0;
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || errno || v > UINT_MAX || arg[0] == '-')
			return error("invalid value '%s' for '%s': expected a non-negative integer",
				     arg, name);
		*(unsigned *)o->value = (unsigned)v;
		return 0;
	}
	case OPTION_DOUBLE: {
		double v;

		errno = 0;
		v = strtod(arg, &end);
		if (!*arg || *end || errno || !isfinite(v))
			return error("invalid value '%s' for '%s': expected a number",
				     arg, name);
		*(double *)o->value = v;
		return 0;
	}
	case OPTION_CHOICE: {
		const char *const *c;

		for (c = o->choices; *c; c++)
			if (!strcmp(*c, arg)) {
				*(const char **)o->value = *c;
				return 0;
			}
		{
			char list[512] = "";
			size_t n = 0;

			for (c = o->choices; *c; c++)
				n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0,
						      "%s%s", c == o->choices ? "" : ", ", *c);
			return error("invalid value '%s' for '%s': possible values: %s",
				     arg, name, list);
		}
	}
	case OPTION_CALLBACK:
		return o->callback(o, arg);
	default:
		BUG("option type %d cannot take a value", o->type);
	}
}

static const struct fg_option *find_long(const struct fg_option *opts,
					 const char *name, size_t len)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->long_name && strlen(opts->long_name) == len &&
		    !memcmp(opts->long_name, name, len))
			return opts;
	return NULL;
}

static const struct fg_option *find_short(const struct fg_option *opts, int c)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->type != OPTION_GROUP && opts->short_name == c)
			return opts;
	return NULL;
}

/* Check the table for duplicate names (BUG() on a broken table). */
static void options_check(const struct fg_option *opts)
{
	const struct fg_option *a, *b;

	for (a = opts; a->type != OPTION_END; a++) {
		if (a->type == OPTION_GROUP)
			continue;
		if (!a->long_name && !a->short_name)
			BUG("option without a name");
		if (a->type == OPTION_CHOICE && !a->choices)
			BUG("choice option '%s' without choices", a->long_name);
		for (b = a + 1; b->type != OPTION_END; b++) {
			if (b->type == OPTION_GROUP)
				continue;
			if (a->long_name && b->long_name &&
			    !strcmp(a->long_name, b->long_name))
				BUG("duplicate option '--%s'", a->long_name);
			if (a->short_name && a->short_name == b->short_name)
				BUG("duplicate option '-%c'", a->short_name);
		}
	}
}

/*
 * The value of an OPT_OPTARG option given without an attached value: the
 * next argument for OPT_OPTARG_NEXT when it does not start with '-' (an
 * option, or "--"), else the row's default.
 */
static const char *optarg_next(const struct fg_option *o, int argc,
			       const char **argv, int *i)
{
	if ((o->flags & OPT_OPTARG_NEXT) && *i + 1 < argc && argv[*i + 1][0] != '-')
		return argv[++*i];
	return o->optarg_default;
}

/* The program's version, named as its executable: "cargo-flamegraph 0.1.0". */
static void print_version(const struct fg_command *cmd)
{
	char *exe = options_exe_name(cmd);

	printf("%s %s\n", exe, fg_version);
	free(exe);
}

/* Longest option name the suggestions compare (longer ones get none). */
#define SUGGEST_MAX 64
#define SUGGEST_NR 3

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/*
 * The optimal string alignment distance of a and b (Levenshtein, with a
 * swap of two neighbours as one edit: "bni" is 1 from "bin"), ignoring
 * case. Both are at most SUGGEST_MAX bytes.
 */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t rows[3][SUGGEST_MAX + 1], *prev2 = rows[0], *prev = rows[1];
	size_t *cur = rows[2], i, j;

	for (j = 0; j <= m; j++)
		prev[j] = j;
	for (i = 1; i <= n; i++) {
		size_t *t;

		cur[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
			size_t d = prev[j - 1] + cost;

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

/*
 * The long options nearest to the unknown name (len bytes): the ones it
 * begins (a shortened "--pal"), else the ones fewest edits away, within
 * a third of its length. Up to SUGGEST_NR in *out; returns how many.
 */
static size_t suggest_long(const struct fg_option *opts, const char *name,
			   size_t len, const char **out)
{
	static const char *const always[] = { "help", "version" };
	const char *cand[512];
	size_t ncand = 0, i, n = 0, best = SIZE_MAX;
	size_t limit = len / 3 ? (len / 3 < 3 ? len / 3 : 3) : 1;
	int prefix = 0;

	if (!len || len > SUGGEST_MAX)
		return 0;
	for (; opts->type != OPTION_END && ncand < ARRAY_SIZE(cand) - 2; opts++)
		if (opts->long_name && opts->type != OPTION_GROUP &&
		    !(opts->flags & OPT_HIDDEN))
			cand[ncand++] = opts->long_name;
	for (i = 0; i < ARRAY_SIZE(always); i++)
		cand[ncand++] = always[i];
	/* a prefix of some: those, however many letters are missing */
	for (i = 0; len >= 2 && i < ncand; i++)
		if (strlen(cand[i]) > len && !strncasecmp(cand[i], name, len)) {
			if (n < SUGGEST_NR)
				out[n++] = cand[i];
			prefix = 1;
		}
	if (prefix)
		return n;
	for (i = 0; i < ncand; i++) {
		size_t m = strlen(cand[i]), d;

		if (m > SUGGEST_MAX)
			continue;
		d = edit_distance(name, len, cand[i], m);
		if (d > limit || d > best)
			continue;
		if (d < best) {
			best = d;
			n = 0;
		}
		if (n < SUGGEST_NR)
			out[n++] = cand[i];
	}
	return n;
}

/*
 * Print the error for an unknown option: its name (the dashes included,
 * len bytes), the suggestions (each with its dashes) and where help is.
 * Returns -1.
 */
static int unknown_option(const struct fg_command *cmd, const char *name,
			  size_t len, const char *const *sugg, size_t nsugg)
{
	struct fg_buf hint = FG_BUF_INIT;
	size_t i;

	for (i = 0; i < nsugg; i++)
		fg_buf_addf(&hint, "%s'%s'", !i ? "did you mean " :
			    i + 1 < nsugg ? ", " : " or ", sugg[i]);
	if (nsugg)
		fg_buf_addstr(&hint, "?; ");
	error("unknown option '%.*s' (%ssee '%s --help')", (int)len, name, hint.buf,
	      cmd->name);
	fg_buf_release(&hint);
	return -1;
}

static int unknown_long(const struct fg_command *cmd, const char *name, size_t len)
{
	const char *sugg[SUGGEST_NR];
	char *dashed[SUGGEST_NR] = { NULL };
	size_t n = suggest_long(cmd->options, name, len, sugg), i;
	struct fg_buf full = FG_BUF_INIT;

	for (i = 0; i < n; i++)
		dashed[i] = xstrfmt("--%s", sugg[i]);
	fg_buf_addf(&full, "--%.*s", (int)len, name);
	unknown_option(cmd, full.buf, full.len, (const char *const *)dashed, n);
	for (i = 0; i < n; i++)
		free(dashed[i]);
	fg_buf_release(&full);
	return -1;
}

/*
 * An unknown short option *p in arg: "-help" meant "--help", "-I"
 * meant "-i".
 */
static int unknown_short(const struct fg_command *cmd, const char *arg,
			 const char *p)
{
	const char *sugg[SUGGEST_NR];
	char *dashed[SUGGEST_NR] = { NULL }, name[3] = { '-', *p, 0 };
	size_t len = strcspn(arg + 1, "="), n = 0, i;
	int other = *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : lower(*p);
	const struct fg_option *o;

	/* a long option with one dash */
	if (p == arg + 1 && len >= 3)
		n = suggest_long(cmd->options, arg + 1, len, sugg);
	for (i = 0; i < n; i++)
		dashed[i] = xstrfmt("--%s", sugg[i]);
	if (n) {
		unknown_option(cmd, arg, len + 1, (const char *const *)dashed, n);
	} else {
		/* the other case */
		o = other != *p ? find_short(cmd->options, other) : NULL;
		if (o && !(o->flags & OPT_HIDDEN))
			dashed[n++] = xstrfmt("-%c", other);
		unknown_option(cmd, name, 2, (const char *const *)dashed, n);
	}
	for (i = 0; i < n; i++)
		free(dashed[i]);
	return -1;
}

int parse_options(const struct fg_command *cmd, int argc, const char **argv,
		  const char ***trailing, int *ntrailing)
{
	const struct fg_option *opts = cmd->options;
	int i;

	*trailing = NULL;
	*ntrailing = 0;
	options_check(opts);
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct fg_option *o;

		if (!strcmp(arg, "--")) {
			*trailing = argv + i + 1;
			*ntrailing = argc - i - 1;
			return 0;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			options_usage(cmd, stdout);
			exit(fflush(stdout) ? EXIT_FATAL : 0);
		}
		if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
			print_version(cmd);
			exit(fflush(stdout) ? EXIT_FATAL : 0);
		}
		if (arg[0] == '-' && arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			o = find_long(opts, name, len);
			if (!o || (o->flags & OPT_HIDDEN && o->type == OPTION_GROUP))
				return unknown_long(cmd, name, len);
			if (!option_takes_value(o)) {
				if (eq)
					return error("option '--%s' takes no value",
						     o->long_name);
				if (set_value(o, NULL))
					return -1;
				continue;
			}
			if (eq) {
				if (set_value(o, eq + 1))
					return -1;
			} else if (o->flags & OPT_OPTARG) {
				if (set_value(o, optarg_next(o, argc, argv, &i)))
					return -1;
			} else if (i + 1 < argc) {
				if (set_value(o, argv[++i]))
					return -1;
			} else {
				return error("option '--%s' requires a value",
					     o->long_name);
			}
			continue;
		}
		if (arg[0] == '-' && arg[1]) {
			const char *p = arg + 1;

			/* Bundled short flags: -iv; a value ends the bundle. */
			while (*p) {
				o = find_short(opts, *p);
				if (!o)
					return unknown_short(cmd, arg, p);
				if (!option_takes_value(o)) {
					if (set_value(o, NULL))
						return -1;
					p++;
					continue;
				}
				if (p[1]) {
					/* -o=PATH means -o PATH, as with clap */
					if (set_value(o, p[1] == '=' ? p + 2 : p + 1))
						return -1;
				} else if (o->flags & OPT_OPTARG) {
					if (set_value(o, optarg_next(o, argc, argv, &i)))
						return -1;
				} else if (i + 1 < argc) {
					if (set_value(o, argv[++i]))
						return -1;
				} else {
					return error("option '-%c' requires a value",
						     o->short_name);
				}
				break;
			}
			continue;
		}
		/* flamegraph takes a command after "--", cargo flamegraph arguments */
		return error("unexpected argument '%s'; put %s after '--' (see '%s --help')",
			     arg, strstr(cmd->usage, "-- COMMAND") ? "the command to profile" :
			     "the arguments of the program to profile", cmd->name);
	}
	return 0;
}

/* Print text wrapped at width, each line indented by indent columns. */
static void print_wrapped(FILE *out, const char *text, int indent, int first,
			  int width)
{
	int col = first;
	const char *p = text;

	while (*p) {
		const char *w = p;
		int len;

		while (*w && *w != ' ' && *w != '\n')
			w++;
		len = (int)(w - p);
		if (col > indent && col + 1 + len > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent || (col == indent && first > indent)) {
			fputc(' ', out);
			col++;
		}
		fprintf(out, "%.*s", len, p);
		col += len;
		p = w;
		while (*p == ' ')
			p++;
		if (*p == '\n') {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			first = indent;
			p++;
		}
	}
}

void options_usage(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;
	const char *u = cmd->usage;

	fprintf(out, "Usage: ");
	while (*u) {
		const char *nl = strchr(u, '\n');
		size_t len = nl ? (size_t)(nl - u) : strlen(u);

		fprintf(out, "%s%.*s\n", u == cmd->usage ? "" : "       ", (int)len, u);
		u += len + (nl ? 1 : 0);
	}
	if (cmd->description) {
		fputc('\n', out);
		print_wrapped(out, cmd->description, 0, 0, 80);
		fputc('\n', out);
	}
	for (o = cmd->options; o->type != OPTION_END; o++) {
		char left[128];
		int n = 0;

		if (o->type == OPTION_GROUP) {
			fprintf(out, "\n%s:\n", o->help);
			continue;
		}
		if (o->flags & OPT_HIDDEN)
			continue;
		if (o->short_name)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "-%c%s",
				      o->short_name, o->long_name ? ", " : "");
		else
			n += snprintf(left + n, sizeof(left) - (size_t)n, "    ");
		if (o->long_name)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s",
				      o->long_name);
		if (option_takes_value(o)) {
			if (o->flags & OPT_OPTARG_NEXT)
				n += snprintf(left + n, sizeof(left) - (size_t)n,
					      " [%s]", o->argh);
			else if (o->flags & OPT_OPTARG)
				n += snprintf(left + n, sizeof(left) - (size_t)n,
					      "[=%s]", o->argh);
			else
				n += snprintf(left + n, sizeof(left) - (size_t)n,
					      " %s", o->argh);
		}
		fprintf(out, "  %s", left);
		n += 2;
		if (n >= 30) {
			fprintf(out, "\n%30s", "");
			n = 30;
		} else {
			fprintf(out, "%*s", 30 - n, "");
			n = 30;
		}
		{
			char help[1024];
			size_t h = (size_t)snprintf(help, sizeof(help), "%s", o->help);

			if (o->choices && h < sizeof(help)) {
				const char *const *c;

				h += (size_t)snprintf(help + h, sizeof(help) - h, " [possible values:");
				for (c = o->choices; *c && h < sizeof(help); c++)
					h += (size_t)snprintf(help + h, sizeof(help) - h,
							      "%s %s", c == o->choices ? "" : ",", *c);
				if (h < sizeof(help))
					h += (size_t)snprintf(help + h, sizeof(help) - h, "]");
			}
			if (o->defval && h < sizeof(help))
				h += (size_t)snprintf(help + h, sizeof(help) - h,
						      " [default: %s]", o->defval);
			if ((o->flags & OPT_REPEAT) && h < sizeof(help))
				snprintf(help + h, sizeof(help) - h, " (repeatable)");
			print_wrapped(out, help, 30, 30, 100);
		}
		fputc('\n', out);
	}
	fprintf(out, "\n  -h, --help                  Print help\n");
	fprintf(out, "  -V, --version               Print version\n");
	if (cmd->epilogue) {
		fputc('\n', out);
		fputs(cmd->epilogue, out);
	}
}
