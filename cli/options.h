#ifndef FG_CLI_OPTIONS_H
#define FG_CLI_OPTIONS_H

/*
 * The options table: every option of a command is one struct fg_option row,
 * and the same rows drive parsing, --help, shell completions and the
 * README check, so they cannot disagree (after git's parse-options).
 *
 * Parsing accepts "-x VALUE", "-xVALUE", "--long VALUE", "--long=VALUE";
 * a "--" ends the options and everything after it is returned as the
 * command's trailing arguments. Options with OPT_OPTARG take a value only
 * in the attached forms ("--root=-E", "-z3"); with OPT_OPTARG_NEXT too, they
 * also take the next argument when it does not start with '-' (so neither
 * an option nor "--"): "--unit-test NAME". Errors print one line naming
 * the option and make parse_options() return -1 (the caller exits 64).
 *
 * Values are written through the row's pointer, whose type the OPT_*
 * macros check at compile time. A row's default is the text shown; when
 * the code uses that default too, both come from lib/defaults.h (the row
 * shows FG_STR(FG_DEFAULT_...)), so they cannot disagree.
 */

#include "../lib/common.h"
#include "../lib/defaults.h"
#include "../lib/strlist.h"

enum fg_option_type {
	OPTION_END = 0,
	OPTION_GROUP,		/* a heading in --help */
	OPTION_BOOL,		/* int, set to 1 */
	OPTION_STRING,		/* const char * */
	OPTION_STRING_LIST,	/* struct fg_strlist (lib/strlist.h), appended to */
	OPTION_UINT,		/* unsigned */
	OPTION_DOUBLE,		/* double */
	OPTION_CHOICE,		/* const char *, one of .choices */
	OPTION_CALLBACK,	/* .callback(opt, arg) */
};

enum {
	OPT_OPTARG = 1 << 0,	/* the value is optional (attached forms only) */
	OPT_HIDDEN = 1 << 1,	/* not in --help, README or completions */
	OPT_REPEAT = 1 << 2,	/* documented as repeatable */
	OPT_FILE = 1 << 3,	/* the value is a path (for completions) */
	OPT_NOARG = 1 << 4,	/* callback without value */
	OPT_OPTARG_NEXT = 1 << 5,	/* with OPT_OPTARG: "--x VALUE" too */
};

struct fg_option;
typedef int (*fg_option_cb)(const struct fg_option *opt, const char *arg);

struct fg_option {
	enum fg_option_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;	/* value name in --help: "FILE" */
	const char *help;
	unsigned flags;
	const char *defval;	/* shown as "[default: X]" in --help */
	const char *const *choices;	/* NULL-terminated, or NULL */
	fg_option_cb callback;
	const char *optarg_default;	/* value of an OPT_OPTARG given bare */
	/*
	 * Values shell completion offers when the value can be others too
	 * (NULL-terminated, or NULL); choices are offered anyway.
	 */
	const char *const *values;
};

#define FG_CHECK_TYPE(v, type) (0 ? (type)0 : (v))

#define OPT_END() { .type = OPTION_END }
#define OPT_GROUP(h) { .type = OPTION_GROUP, .help = (h) }
#define OPT_BOOL(s, l, v, h) \
	{ .type = OPTION_BOOL, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, int *), .help = (h) }
#define OPT_STRING(s, l, v, a, h, d) \
	{ .type = OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, const char **), .argh = (a), .help = (h), \
	  .defval = (d) }
#define OPT_FILENAME(s, l, v, a, h, d) \
	{ .type = OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, const char **), .argh = (a), .help = (h), \
	  .defval = (d), .flags = OPT_FILE }
#define OPT_STRING_LIST(s, l, v, a, h, f) \
	{ .type = OPTION_STRING_LIST, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, struct fg_strlist *), .argh = (a), \
	  .help = (h), .flags = OPT_REPEAT | (f) }
/* A repeatable path option with a default shown in --help. */
#define OPT_FILENAME_LIST(s, l, v, a, h, d) \
	{ .type = OPTION_STRING_LIST, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, struct fg_strlist *), .argh = (a), \
	  .help = (h), .defval = (d), .flags = OPT_REPEAT | OPT_FILE }
#define OPT_UINT(s, l, v, a, h, d) \
	{ .type = OPTION_UINT, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, unsigned *), .argh = (a), .help = (h), \
	  .defval = (d) }
#define OPT_DOUBLE(s, l, v, a, h, d) \
	{ .type = OPTION_DOUBLE, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, double *), .argh = (a), .help = (h), \
	  .defval = (d) }
#define OPT_CHOICE(s, l, v, a, h, d, c) \
	{ .type = OPTION_CHOICE, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, const char **), .argh = (a), .help = (h), \
	  .defval = (d), .choices = (c) }
#define OPT_CALLBACK(s, l, v, a, h, d, cb, f) \
	{ .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .defval = (d), \
	  .callback = (cb), .flags = (f) }
/* A callback whose value is one of choices (listed in --help, completed). */
#define OPT_CALLBACK_CHOICE(s, l, v, a, h, d, cb, c) \
	{ .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), \
	  .value = (v), .argh = (a), .help = (h), .defval = (d), \
	  .callback = (cb), .choices = (c) }
/* A string whose usual values (FG_VALUES(...)) shells complete. */
#define OPT_STRING_VALUES(s, l, v, a, h, d, vals) \
	{ .type = OPTION_STRING, .short_name = (s), .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, const char **), .argh = (a), .help = (h), \
	  .defval = (d), .values = (vals) }
#define FG_VALUES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define OPT_HIDDEN_BOOL(l, v, h) \
	{ .type = OPTION_BOOL, .long_name = (l), \
	  .value = FG_CHECK_TYPE(v, int *), .help = (h), .flags = OPT_HIDDEN }

/*
 * A command. Its name is what users type: "flamegraph", or for a
 * subcommand of another program two words, "cargo flamegraph", whose
 * executable is the words joined by '-' (cargo runs "cargo-flamegraph
 * flamegraph ARGS"): see options_exe_name(). Messages say the name;
 * --version, the manual page and shell completions, the executable.
 */
struct fg_command {
	const char *name;		/* "flamegraph", "cargo flamegraph" */
	/*
	 * Synopsis lines, '\n'-separated. A line with "-- COMMAND" makes
	 * shell completion offer commands after "--" (files otherwise).
	 */
	const char *usage;
	const char *description;	/* a paragraph under the synopsis */
	const char *epilogue;		/* exit status etc., after the options */
	const struct fg_option *options;
};

/* Does o take a value (possibly optional)? */
int option_takes_value(const struct fg_option *o);

/*
 * The executable of cmd: its name with spaces as '-' ("cargo-flamegraph").
 * Returns a malloc'd string.
 */
char *options_exe_name(const struct fg_command *cmd);

/*
 * Parse argv[1..argc-1]. On success returns 0 and sets *trailing and
 * *ntrailing to the arguments after "--" (or *ntrailing = 0). Stray
 * positional arguments before "--" are an error. -h/--help and -V/--version
 * print and exit 0. Returns -1 after printing an error; an unknown option
 * gets the nearest ones suggested ("did you mean '--bin'?").
 */
int parse_options(const struct fg_command *cmd, int argc, const char **argv,
		  const char ***trailing, int *ntrailing);

void options_usage(const struct fg_command *cmd, FILE *out);

/*
 * Print a completion script for shell (bash, fish, zsh, powershell,
 * elvish), in cli/options-man.c: options, and their values (choices,
 * .values, file names for OPT_FILE). For a subcommand ("cargo
 * flamegraph") the script also completes it after its program where the
 * shell allows (bash: wrapping the program's completion; zsh: the
 * _cargo-flamegraph function cargo's _cargo calls; fish). Returns 0, or
 * -1 for an unknown shell.
 */
int options_completions(const struct fg_command *cmd, const char *shell,
			FILE *out);

/*
 * Print a manual page for cmd in roff (cli/options-man.c); section_text
 * (may be NULL) is added after the description.
 */
void options_man(const struct fg_command *cmd, const char *section_text,
		 FILE *out);

extern const char *const fg_shells[];
extern const char *fg_version;

#endif
