#include "options.h"

#include <math.h>

const char *fg_version = "0.1.0";
const char *const fg_shells[] = {
	"bash", "elvish", "fish", "powershell", "zsh", NULL
};

void fg_strlist_append(struct fg_strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 2, l->alloc);
	l->v[l->nr++] = s;
	l->v[l->nr] = NULL;
}

const char *const *fg_strlist_nullterm(struct fg_strlist *l)
{
	return l->nr ? l->v : NULL;
}

void fg_strlist_release(struct fg_strlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int takes_value(const struct fg_option *o)
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

void options_check(const struct fg_option *opts)
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

static void print_version(const struct fg_command *cmd)
{
	printf("%s %s\n", cmd->name, fg_version);
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
				return error("unknown option '--%.*s' (see '%s --help')",
					     (int)len, name, cmd->name);
			if (!takes_value(o)) {
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
					return error("unknown option '-%c' (see '%s --help')",
						     *p, cmd->name);
				if (!takes_value(o)) {
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
		return error("unexpected argument '%s'; put the command to profile after '--' (see '%s --help')",
			     arg, cmd->name);
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
		if (takes_value(o)) {
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

/* Single-quoted for sh-like shells: ' becomes '\''. */
static void sh_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", out);
		else
			fputc(*s, out);
	}
	fputc('\'', out);
}

/* Help text, on one line, without characters that shells treat specially. */
static void plain_help(FILE *out, const char *s, const char *drop)
{
	for (; *s; s++) {
		if (*s == '\n')
			fputc(' ', out);
		else if (!strchr(drop, *s))
			fputc(*s, out);
	}
}

static void comp_bash(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;
	const char *fn = cmd->name;

	fprintf(out, "# bash completion for %s\n_fg_complete_%s() {\n", fn, fn);
	fprintf(out, "    local cur prev\n    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
		     "    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n");
	fprintf(out, "    local i\n    for ((i = 1; i < COMP_CWORD; i++)); do\n"
		     "        if [[ \"${COMP_WORDS[i]}\" == \"--\" ]]; then\n"
		     "            COMPREPLY=($(compgen -c -f -- \"$cur\"))\n"
		     "            return 0\n        fi\n    done\n");
	fprintf(out, "    case \"$prev\" in\n");
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN) ||
		    !takes_value(o) || (o->flags & OPT_OPTARG))
			continue;
		fprintf(out, "        ");
		if (o->short_name)
			fprintf(out, "-%c|", o->short_name);
		fprintf(out, "--%s)\n", o->long_name);
		if (o->choices) {
			const char *const *c;

			fprintf(out, "            COMPREPLY=($(compgen -W \"");
			for (c = o->choices; *c; c++)
				fprintf(out, "%s%s", c == o->choices ? "" : " ", *c);
			fprintf(out, "\" -- \"$cur\"))\n");
		} else if (o->flags & OPT_FILE) {
			fprintf(out, "            COMPREPLY=($(compgen -f -- \"$cur\"))\n");
		} else {
			fprintf(out, "            COMPREPLY=()\n");
		}
		fprintf(out, "            return 0\n            ;;\n");
	}
	fprintf(out, "    esac\n    local opts=\"");
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN))
			continue;
		if (o->short_name)
			fprintf(out, "-%c ", o->short_name);
		if (o->long_name)
			fprintf(out, "--%s ", o->long_name);
	}
	fprintf(out, "-h --help -V --version --\"\n");
	fprintf(out, "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n}\n");
	fprintf(out, "complete -F _fg_complete_%s -o bashdefault -o default %s\n",
		fn, fn);
}

static void comp_fish(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "# fish completion for %s\n", cmd->name);
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN))
			continue;
		fprintf(out, "complete -c %s", cmd->name);
		if (o->short_name)
			fprintf(out, " -s %c", o->short_name);
		if (o->long_name)
			fprintf(out, " -l %s", o->long_name);
		if (takes_value(o) && !(o->flags & OPT_OPTARG))
			fprintf(out, " -r");
		if (o->choices) {
			const char *const *c;

			fprintf(out, " -f -a \"");
			for (c = o->choices; *c; c++)
				fprintf(out, "%s%s", c == o->choices ? "" : " ", *c);
			fprintf(out, "\"");
		} else if (o->flags & OPT_FILE) {
			fprintf(out, " -F");
		}
		fprintf(out, " -d ");
		sh_quote(out, o->help);
		fputc('\n', out);
	}
	fprintf(out, "complete -c %s -s h -l help -d 'Print help'\n", cmd->name);
	fprintf(out, "complete -c %s -s V -l version -d 'Print version'\n", cmd->name);
}

static void comp_zsh(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "#compdef %s\n\n_%s() {\n    _arguments -s -S \\\n",
		cmd->name, cmd->name);
	for (o = cmd->options; o->type != OPTION_END; o++) {
		int i, forms = (o->short_name ? 1 : 0) + (o->long_name ? 1 : 0);

		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN))
			continue;
		for (i = 0; i < forms; i++) {
			int use_short = o->short_name && i == 0;

			fprintf(out, "        '");
			if (o->flags & OPT_REPEAT)
				fputc('*', out);
			if (use_short)
				fprintf(out, "-%c", o->short_name);
			else
				fprintf(out, "--%s%s", o->long_name,
					(o->flags & OPT_OPTARG) ? "=-" : "");
			fputc('[', out);
			plain_help(out, o->help, "[]':\\");
			fputc(']', out);
			if (takes_value(o)) {
				fprintf(out, ":%s:", o->argh ? o->argh : "VALUE");
				if (o->choices) {
					const char *const *c;

					fputc('(', out);
					for (c = o->choices; *c; c++)
						fprintf(out, "%s%s", c == o->choices ? "" : " ", *c);
					fputc(')', out);
				} else if (o->flags & OPT_FILE) {
					fprintf(out, "_files");
				}
			}
			fprintf(out, "' \\\n");
		}
	}
	fprintf(out, "        '(- *)'{-h,--help}'[Print help]' \\\n"
		     "        '(- *)'{-V,--version}'[Print version]' \\\n"
		     "        '*::command:_normal'\n}\n\n");
	fprintf(out, "if [ \"$funcstack[1]\" = \"_%s\" ]; then\n    _%s \"$@\"\n"
		     "else\n    compdef _%s %s\nfi\n",
		cmd->name, cmd->name, cmd->name, cmd->name);
}

static void comp_powershell(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "using namespace System.Management.Automation\n\n");
	fprintf(out, "Register-ArgumentCompleter -Native -CommandName '%s' -ScriptBlock {\n",
		cmd->name);
	fprintf(out, "    param($wordToComplete, $commandAst, $cursorPosition)\n"
		     "    $completions = @(\n");
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN))
			continue;
		if (o->short_name) {
			fprintf(out, "        [CompletionResult]::new('-%c', '%c', "
				     "[CompletionResultType]::ParameterName, '",
				o->short_name, o->short_name);
			plain_help(out, o->help, "'");
			fprintf(out, "')\n");
		}
		if (o->long_name) {
			fprintf(out, "        [CompletionResult]::new('--%s', '%s', "
				     "[CompletionResultType]::ParameterName, '",
				o->long_name, o->long_name);
			plain_help(out, o->help, "'");
			fprintf(out, "')\n");
		}
	}
	fprintf(out, "        [CompletionResult]::new('--help', 'help', [CompletionResultType]::ParameterName, 'Print help')\n"
		     "        [CompletionResult]::new('--version', 'version', [CompletionResultType]::ParameterName, 'Print version')\n"
		     "    )\n"
		     "    $completions.Where{ $_.CompletionText -like \"$wordToComplete*\" } |\n"
		     "        Sort-Object -Property ListItemText\n}\n");
}

static void comp_elvish(const struct fg_command *cmd, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "use builtin;\nuse str;\n\n");
	fprintf(out, "set edit:completion:arg-completer[%s] = {|@words|\n", cmd->name);
	fprintf(out, "    var cands = [\n");
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP || (o->flags & OPT_HIDDEN))
			continue;
		if (o->short_name)
			fprintf(out, "        -%c\n", o->short_name);
		if (o->long_name)
			fprintf(out, "        --%s\n", o->long_name);
	}
	fprintf(out, "        -h\n        --help\n        -V\n        --version\n    ]\n");
	fprintf(out, "    for c $cands {\n"
		     "        if (str:has-prefix $c $words[-1]) {\n"
		     "            edit:complex-candidate $c\n        }\n    }\n}\n");
}

int options_completions(const struct fg_command *cmd, const char *shell,
			FILE *out)
{
	if (!strcmp(shell, "bash"))
		comp_bash(cmd, out);
	else if (!strcmp(shell, "fish"))
		comp_fish(cmd, out);
	else if (!strcmp(shell, "zsh"))
		comp_zsh(cmd, out);
	else if (!strcmp(shell, "powershell"))
		comp_powershell(cmd, out);
	else if (!strcmp(shell, "elvish"))
		comp_elvish(cmd, out);
	else
		return -1;
	return 0;
}
