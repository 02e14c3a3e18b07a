/*
 * What the options table generates besides parsing and --help: the
 * manual page, in roff (man(7)), and the shell completion scripts, from
 * the same rows as --help so that they can never disagree with the
 * program.
 */
#include "options.h"
#include "../lib/buf.h"

/* Text with roff's special characters escaped. */
static void roff_text(FILE *out, const char *s)
{
	int bol = 1;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		bol = 0;
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else if (*s == '\n') {
			fputc('\n', out);
			bol = 1;
		} else
			fputc(*s, out);
	}
}

void options_man(const struct fg_command *cmd, const char *section_text,
		 FILE *out)
{
	const struct fg_option *o;
	const char *u = cmd->usage;
	char *exe = options_exe_name(cmd);

	/* the page of the executable: cargo-flamegraph(1) */
	fprintf(out, ".TH \"%s\" 1 \"\" \"%s %s\" \"User Commands\"\n", exe,
		exe, fg_version);
	fprintf(out, ".SH NAME\n");
	roff_text(out, exe);
	free(exe);
	fprintf(out, " \\- interactive SVG flamegraphs of where a program spends its CPU time\n");
	fprintf(out, ".SH SYNOPSIS\n");
	while (*u) {
		const char *nl = strchr(u, '\n');
		size_t len = nl ? (size_t)(nl - u) : strlen(u);
		char *line = xmemdupz(u, len);

		fprintf(out, ".B ");
		roff_text(out, line);
		fprintf(out, "\n.br\n");
		free(line);
		u += len + (nl ? 1 : 0);
	}
	if (cmd->description) {
		fprintf(out, ".SH DESCRIPTION\n");
		roff_text(out, cmd->description);
		fputc('\n', out);
	}
	if (section_text) {
		roff_text(out, section_text);
		fputc('\n', out);
	}
	fprintf(out, ".SH OPTIONS\n");
	for (o = cmd->options; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP) {
			fprintf(out, ".SS ");
			roff_text(out, o->help);
			fputc('\n', out);
			continue;
		}
		if (o->flags & OPT_HIDDEN)
			continue;
		fprintf(out, ".TP\n");
		if (o->short_name)
			fprintf(out, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
		if (o->long_name) {
			fprintf(out, "\\fB\\-\\-");
			roff_text(out, o->long_name);
			fprintf(out, "\\fR");
		}
		if (option_takes_value(o)) {
			if (o->flags & OPT_OPTARG)
				fprintf(out, "[=\\fI%s\\fR]", o->argh);
			else
				fprintf(out, " \\fI%s\\fR", o->argh);
		}
		fputc('\n', out);
		roff_text(out, o->help);
		if (*o->help && o->help[strlen(o->help) - 1] != '.')
			fputc('.', out);
		if (o->choices) {
			const char *const *c;

			fprintf(out, " Possible values:");
			for (c = o->choices; *c; c++) {
				fprintf(out, "%s ", c == o->choices ? "" : ",");
				roff_text(out, *c);
			}
			fputc('.', out);
		}
		if (o->defval) {
			fprintf(out, " Default: ");
			roff_text(out, o->defval);
			fputc('.', out);
		}
		if (o->flags & OPT_REPEAT)
			fprintf(out, " May be repeated.");
		fputc('\n', out);
	}
	fprintf(out, ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nPrint help.\n");
	fprintf(out, ".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\nPrint the version.\n");
	if (cmd->epilogue) {
		fprintf(out, ".SH EXIT STATUS\n.nf\n");
		roff_text(out, cmd->epilogue);
		fprintf(out, ".fi\n");
	}
	fprintf(out, ".SH SEE ALSO\n.BR flamegraph (1),\n.BR cargo\\-flamegraph (1),\n.BR perf (1)\n");
}

/*
 * Shell completions. Every script completes the options, and the values
 * of those that take one: the choices (or the .values) of the row, file
 * names for OPT_FILE rows, nothing for free values. The functions and
 * variables a script defines are named after the executable made an
 * identifier ("cargo-flamegraph": _fg_complete_cargo_flamegraph), so
 * that the scripts of both commands can be loaded together.
 */
struct comp {
	const struct fg_command *cmd;
	char *exe;		/* "cargo-flamegraph" */
	char *id;		/* "cargo_flamegraph" */
	char *parent;		/* "cargo", or NULL when not a subcommand */
	const char *sub;	/* "flamegraph" */
	int commands;		/* a command follows "--" (else files) */
};

static void comp_init(struct comp *c, const struct fg_command *cmd)
{
	const char *space = strchr(cmd->name, ' ');
	char *p;

	c->cmd = cmd;
	c->exe = options_exe_name(cmd);
	c->id = xstrdup(c->exe);
	for (p = c->id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			*p = '_';
	c->parent = space ? xmemdupz(cmd->name, (size_t)(space - cmd->name)) : NULL;
	c->sub = space ? space + 1 : NULL;
	c->commands = strstr(cmd->usage, "-- COMMAND") != NULL;
}

static void comp_release(struct comp *c)
{
	free(c->exe);
	free(c->id);
	free(c->parent);
}

static int visible(const struct fg_option *o)
{
	return o->type != OPTION_GROUP && !(o->flags & OPT_HIDDEN);
}

/* The words a value completes to (choices, else .values), or NULL. */
static const char *const *value_words(const struct fg_option *o)
{
	return o->choices ? o->choices : o->values;
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

/* The words, space-separated, single-quoted as one word. */
static void sh_quote_words(FILE *out, const char *const *w)
{
	struct fg_buf b = FG_BUF_INIT;

	for (; *w; w++)
		fg_buf_addf(&b, "%s%s", b.len ? " " : "", *w);
	sh_quote(out, b.buf);
	fg_buf_release(&b);
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

/* "'-o'|'--output'" */
static void bash_pattern(FILE *out, const struct fg_option *o)
{
	if (o->short_name)
		fprintf(out, "'-%c'%s", o->short_name, o->long_name ? "|" : "");
	if (o->long_name)
		fprintf(out, "'--%s'", o->long_name);
}

static void comp_bash(const struct comp *c, FILE *out)
{
	const struct fg_option *o;
	const char *id = c->id;
	int first, kind;

	fprintf(out, "# bash completion for %s", c->cmd->name);
	if (c->parent)
		fprintf(out, " (and the executable %s)", c->exe);
	fprintf(out, "\n# generated by '%s --completions bash'\n\n", c->exe);

	/* file names (with the option before them in "--output=PATH") */
	fprintf(out, "_fg_files_%s() {\n"
		     "    compopt -o filenames 2>/dev/null\n"
		     "    mapfile -t COMPREPLY < <(compgen -P \"$2\" -f -- \"$1\")\n"
		     "}\n\n", id);

	fprintf(out, "_fg_complete_%s() {\n"
		     "    local cur prev pre= i start=1 cword=$COMP_CWORD\n"
		     "    local -a w=(\"${COMP_WORDS[@]}\")\n", id);
	if (c->parent)
		fprintf(out, "    # \"%s [OPTIONS] %s ARGS\", \"%s %s ARGS\" or \"%s ARGS\"\n"
			     "    if [[ ${w[0]##*/} == %s ]]; then\n"
			     "        for ((start = 1; start < cword; start++)); do\n"
			     "            [[ ${w[start]} == %s ]] && break\n"
			     "        done\n"
			     "        ((start++))\n"
			     "    elif [[ ${w[1]-} == %s ]] && ((cword > 1)); then\n"
			     "        start=2\n"
			     "    fi\n",
			c->parent, c->sub, c->exe, c->sub, c->exe, c->parent, c->sub, c->sub);
	fprintf(out, "    cur=${w[cword]-}\n"
		     "    prev=\n"
		     "    ((cword > start)) && prev=${w[cword-1]}\n"
		     "    # \"--option=VALUE\": bash splits it at the \"=\" (unless\n"
		     "    # COMP_WORDBREAKS lacks it: then the values keep the option)\n"
		     "    if [[ $cur == = && $prev == --* ]]; then\n"
		     "        cur=\n"
		     "    elif [[ $prev == = ]] && ((cword - 2 >= start)); then\n"
		     "        prev=${w[cword-2]}\n"
		     "    elif [[ $cur == --*=* ]]; then\n"
		     "        prev=${cur%%%%=*}\n"
		     "        pre=$prev=\n"
		     "        cur=${cur#*=}\n"
		     "    fi\n"
		     "    for ((i = start; i < cword; i++)); do\n"
		     "        [[ ${w[i]} == -- ]] || continue\n");
	if (c->commands)
		fprintf(out, "        if ((i == cword - 1)); then\n"
			     "            # the command to profile\n"
			     "            compopt -o filenames 2>/dev/null\n"
			     "            mapfile -t COMPREPLY < <(compgen -c -f -- \"$cur\")\n"
			     "        else\n"
			     "            _fg_files_%s \"$cur\" \"$pre\"\n"
			     "        fi\n", id);
	else
		fprintf(out, "        _fg_files_%s \"$cur\" \"$pre\"\n", id);
	fprintf(out, "        return 0\n"
		     "    done\n"
		     "    case $prev in\n");
	for (kind = 0; kind < 3; kind++) {
		/* the words of each option, then files, then free values */
		first = 1;
		for (o = c->cmd->options; o->type != OPTION_END; o++) {
			const char *const *words = value_words(o);

			/* an optional value is attached ("--root=-E"), or left out */
			if (!visible(o) || !option_takes_value(o) || (o->flags & OPT_OPTARG) ||
			    kind != (words ? 0 : (o->flags & OPT_FILE) ? 1 : 2))
				continue;
			fprintf(out, first ? "    " : "|");
			bash_pattern(out, o);
			first = 0;
			if (!kind) {
				fprintf(out, ")\n        mapfile -t COMPREPLY < <(compgen -P \"$pre\" -W ");
				sh_quote_words(out, words);
				fprintf(out, " -- \"$cur\")\n        return 0\n        ;;\n");
				first = 1;
			}
		}
		if (kind == 1 && !first)
			fprintf(out, ")\n        _fg_files_%s \"$cur\" \"$pre\"\n        return 0\n        ;;\n",
				id);
		else if (kind == 2 && !first)
			fprintf(out, ")\n        COMPREPLY=()\n        return 0\n        ;;\n");
	}
	fprintf(out, "    esac\n"
		     "    mapfile -t COMPREPLY < <(compgen -W '");
	first = 1;
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		if (!visible(o))
			continue;
		if (o->short_name)
			fprintf(out, "%s-%c", first ? "" : " ", o->short_name);
		if (o->long_name)
			fprintf(out, "%s--%s", first && !o->short_name ? "" : " ",
				o->long_name);
		first = 0;
	}
	fprintf(out, " -h --help -V --version --' -- \"$cur\")\n"
		     "}\n\n"
		     "complete -F _fg_complete_%s %s\n", id, c->exe);
	if (!c->parent)
		return;

	/*
	 * The program's own completion does not know the subcommand (an
	 * external one): wrap it. Ours takes the words after the subcommand;
	 * the others go to the program's completion, which bash-completion
	 * may load only when first needed.
	 */
	fprintf(out, "\n# '%s %s': take its words, hand the others to %s's own completion\n"
		     "_fg_%s_delegate=\n"
		     "_fg_%s_find_delegate() {\n"
		     "    local spec\n"
		     "    spec=$(complete -p %s 2>/dev/null) || return 1\n"
		     "    case $spec in\n"
		     "    *' -F _fg_%s_wrap '*) return 1 ;;\n"
		     "    *' -F '*) spec=${spec#* -F }; _fg_%s_delegate=${spec%%%% *} ;;\n"
		     "    esac\n"
		     "}\n",
		c->parent, c->sub, c->parent, id, id, c->parent, id, id);
	fprintf(out, "_fg_%s_wrap() {\n"
		     "    local i\n"
		     "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
		     "        case ${COMP_WORDS[i]} in\n"
		     "        [-+]*) ;;\n"
		     "        %s) _fg_complete_%s \"$@\"; return ;;\n"
		     "        *) break ;;\n"
		     "        esac\n"
		     "    done\n"
		     "    if [[ -z $_fg_%s_delegate ]]; then\n"
		     "        # bash-completion loads completions when first needed\n"
		     "        if declare -F _comp_complete_load >/dev/null; then\n"
		     "            _comp_complete_load %s\n"
		     "        elif declare -F _completion_loader >/dev/null; then\n"
		     "            _completion_loader %s\n"
		     "        fi\n"
		     "        _fg_%s_find_delegate\n"
		     "        complete -F _fg_%s_wrap %s\n"
		     "    fi\n"
		     "    if [[ -n $_fg_%s_delegate ]]; then\n"
		     "        \"$_fg_%s_delegate\" \"$@\"\n"
		     "    else\n"
		     "        compopt -o bashdefault -o default 2>/dev/null\n"
		     "    fi\n"
		     "}\n"
		     "_fg_%s_find_delegate\n"
		     "complete -F _fg_%s_wrap %s\n",
		id, c->sub, id, id, c->parent, c->parent, id, id, c->parent, id, id,
		id, id, c->parent);
}

/* fish: "-s o -l output -r -F" and the help. */
static void fish_option(FILE *out, const struct fg_option *o, const char *prefix)
{
	const char *const *words = value_words(o);

	fprintf(out, "%s", prefix);
	if (o->short_name)
		fprintf(out, " -s %c", o->short_name);
	if (o->long_name)
		fprintf(out, " -l %s", o->long_name);
	if (option_takes_value(o) && !(o->flags & OPT_OPTARG)) {
		if (words) {
			fprintf(out, " -x -a ");
			sh_quote_words(out, words);
		} else if (o->flags & OPT_FILE) {
			fprintf(out, " -r -F");
		} else {
			fprintf(out, " -x");
		}
	} else if (words) {
		fprintf(out, " -a ");
		sh_quote_words(out, words);
	}
	fprintf(out, " -d ");
	sh_quote(out, o->help);
	fputc('\n', out);
}

static void comp_fish(const struct comp *c, FILE *out)
{
	const struct fg_option *o;
	char *prefix[2];
	int k;

	fprintf(out, "# fish completion for %s\n"
		     "# generated by '%s --completions fish'\n", c->cmd->name, c->exe);
	prefix[0] = xstrfmt("complete -c %s", c->exe);
	prefix[1] = c->parent ? xstrfmt("complete -c %s -n '__fish_seen_subcommand_from %s'",
					c->parent, c->sub) : NULL;
	for (k = 0; k < 2 && prefix[k]; k++) {
		if (k)
			fprintf(out, "\n# %s\n", c->cmd->name);
		for (o = c->cmd->options; o->type != OPTION_END; o++)
			if (visible(o))
				fish_option(out, o, prefix[k]);
		fprintf(out, "%s -s h -l help -d 'Print help'\n", prefix[k]);
		fprintf(out, "%s -s V -l version -d 'Print version'\n", prefix[k]);
	}
	free(prefix[0]);
	free(prefix[1]);
}

/* zsh _arguments: '--palette=[Colour palette]:PALETTE:(aqua blue ...)' */
static void zsh_spec(FILE *out, const struct fg_option *o, int use_short)
{
	const char *const *words = value_words(o);
	int optional = (o->flags & OPT_OPTARG) != 0;

	fprintf(out, "        '");
	if (o->flags & OPT_REPEAT)
		fputc('*', out);
	/* short: "-z-" the value attached, "-o+" attached or next */
	if (use_short)
		fprintf(out, "-%c%s", o->short_name, !option_takes_value(o) ? "" :
			optional ? "-" : "+");
	else
		fprintf(out, "--%s%s", o->long_name, !option_takes_value(o) ? "" :
			optional && !(o->flags & OPT_OPTARG_NEXT) ? "=-" : "=");
	fputc('[', out);
	plain_help(out, o->help, "[]':\\");
	fputc(']', out);
	if (option_takes_value(o)) {
		fprintf(out, "%s", optional ? "::" : ":");
		plain_help(out, o->argh ? o->argh : "VALUE", "':\\");
		fputc(':', out);
		if (words) {
			fputc('(', out);
			for (; *words; words++)
				fprintf(out, "%s%s", words == value_words(o) ? "" : " ", *words);
			fputc(')', out);
		} else if (o->flags & OPT_FILE) {
			fprintf(out, "_files");
		} else {
			fputc(' ', out);
		}
	}
	fprintf(out, "' \\\n");
}

static void comp_zsh(const struct comp *c, FILE *out)
{
	const struct fg_option *o;

	/*
	 * _cargo-flamegraph: zsh's cargo completion calls _cargo-NAME for an
	 * external subcommand NAME, with the words from NAME on.
	 */
	fprintf(out, "#compdef %s\n"
		     "# zsh completion for %s\n"
		     "# generated by '%s --completions zsh'; save it as _%s in a directory of $fpath\n\n"
		     "_%s() {\n"
		     "    _arguments -s -S \\\n",
		c->exe, c->cmd->name, c->exe, c->exe, c->exe);
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		if (!visible(o))
			continue;
		if (o->short_name)
			zsh_spec(out, o, 1);
		if (o->long_name)
			zsh_spec(out, o, 0);
	}
	fprintf(out, "        '(- *)'{-h,--help}'[Print help]' \\\n"
		     "        '(- *)'{-V,--version}'[Print version]' \\\n"
		     "        %s\n}\n\n",
		c->commands ? "'*::command:_normal'" : "'*::argument:_files'");
	fprintf(out, "if [ \"$funcstack[1]\" = \"_%s\" ]; then\n    _%s \"$@\"\n"
		     "else\n    compdef _%s %s\nfi\n",
		c->exe, c->exe, c->exe, c->exe);
}

/* PowerShell single-quoted string: ' becomes ''. */
static void ps_quote(FILE *out, const char *s)
{
	fputc('\'', out);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', out);
		if (*s != '\n')
			fputc(*s, out);
	}
	fputc('\'', out);
}

static void comp_powershell(const struct comp *c, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "# PowerShell completion for %s\n"
		     "# generated by '%s --completions powershell'\n"
		     "using namespace System.Management.Automation\n\n", c->cmd->name, c->exe);
	fprintf(out, "Register-ArgumentCompleter -Native -CommandName '%s' -ScriptBlock {\n"
		     "    param($wordToComplete, $commandAst, $cursorPosition)\n"
		     "    $prev = ''\n"
		     "    foreach ($e in $commandAst.CommandElements) {\n"
		     "        if ($e.Extent.EndOffset -lt $cursorPosition) { $prev = $e.Extent.Text }\n"
		     "    }\n"
		     "    $kind = 'options'\n"
		     "    $words = @()\n"
		     "    switch -CaseSensitive ($prev) {\n", c->exe);
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		const char *const *words = value_words(o), *const *w;
		int k;

		if (!visible(o) || !option_takes_value(o) || (o->flags & OPT_OPTARG))
			continue;
		for (k = 0; k < 2; k++) {
			if (k ? !o->long_name : !o->short_name)
				continue;
			if (k)
				fprintf(out, "        '--%s' { ", o->long_name);
			else
				fprintf(out, "        '-%c' { ", o->short_name);
			if (words) {
				fprintf(out, "$kind = 'words'; $words = @(");
				for (w = words; *w; w++) {
					fprintf(out, "%s", w == words ? "" : ", ");
					ps_quote(out, *w);
				}
				fprintf(out, ")");
			} else {
				fprintf(out, "$kind = '%s'", (o->flags & OPT_FILE) ? "files" : "none");
			}
			fprintf(out, "; break }\n");
		}
	}
	fprintf(out, "    }\n"
		     "    if ($kind -eq 'files') {\n"
		     "        return Get-ChildItem -Path \"$wordToComplete*\" -ErrorAction SilentlyContinue |\n"
		     "            ForEach-Object { [CompletionResult]::new($_.Name, $_.Name, [CompletionResultType]::ProviderItem, $_.Name) }\n"
		     "    }\n"
		     "    if ($kind -eq 'none') { return }\n"
		     "    if ($kind -eq 'words') {\n"
		     "        return $words | Where-Object { $_ -clike \"$wordToComplete*\" } |\n"
		     "            ForEach-Object { [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_) }\n"
		     "    }\n"
		     "    $completions = @(\n");
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		int k;

		if (!visible(o))
			continue;
		for (k = 0; k < 2; k++) {
			struct fg_buf name = FG_BUF_INIT;

			if (k ? !o->long_name : !o->short_name)
				continue;
			if (k)
				fg_buf_addf(&name, "--%s", o->long_name);
			else
				fg_buf_addf(&name, "-%c", o->short_name);
			fprintf(out, "        [CompletionResult]::new('%s', '%s', "
				     "[CompletionResultType]::ParameterName, ", name.buf, name.buf);
			ps_quote(out, o->help);
			fprintf(out, ")\n");
			fg_buf_release(&name);
		}
	}
	fprintf(out, "        [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')\n"
		     "        [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')\n"
		     "    )\n"
		     "    $completions.Where{ $_.CompletionText -clike \"$wordToComplete*\" } |\n"
		     "        Sort-Object -Property ListItemText\n}\n");
}

static void comp_elvish(const struct comp *c, FILE *out)
{
	const struct fg_option *o;

	fprintf(out, "# elvish completion for %s\n"
		     "# generated by '%s --completions elvish'\n"
		     "use str\n\n", c->cmd->name, c->exe);
	fprintf(out, "var fg-%s-values = [\n", c->id);
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		const char *const *words = value_words(o);
		int k;

		if (!visible(o) || !option_takes_value(o) || (o->flags & OPT_OPTARG))
			continue;
		for (k = 0; k < 2; k++) {
			const char *const *w;

			if (k ? !o->long_name : !o->short_name)
				continue;
			if (k)
				fprintf(out, "    &'--%s'=", o->long_name);
			else
				fprintf(out, "    &'-%c'=", o->short_name);
			if (words) {
				fprintf(out, "[");
				for (w = words; *w; w++)
					fprintf(out, "%s'%s'", w == words ? "" : " ", *w);
				fprintf(out, "]\n");
			} else {
				fprintf(out, "%s\n", (o->flags & OPT_FILE) ? "files" : "none");
			}
		}
	}
	fprintf(out, "]\n\n");
	/* closures cannot return: one if chain */
	fprintf(out, "set edit:completion:arg-completer[%s] = {|@words|\n"
		     "    var cur = $words[-1]\n"
		     "    var v = options\n"
		     "    if (and (> (count $words) 2) (has-key $fg-%s-values $words[-2])) {\n"
		     "        set v = $fg-%s-values[$words[-2]]\n"
		     "    }\n"
		     "    if (eq $v files) {\n"
		     "        edit:complete-filename $cur\n"
		     "    } elif (eq $v none) {\n"
		     "        nop\n"
		     "    } elif (not-eq $v options) {\n"
		     "        for x $v {\n"
		     "            if (str:has-prefix $x $cur) { edit:complex-candidate $x }\n"
		     "        }\n"
		     "    } else {\n"
		     "        for c [\n", c->exe, c->id, c->id);
	for (o = c->cmd->options; o->type != OPTION_END; o++) {
		if (!visible(o))
			continue;
		if (o->short_name)
			fprintf(out, "            -%c\n", o->short_name);
		if (o->long_name)
			fprintf(out, "            --%s\n", o->long_name);
	}
	fprintf(out, "            -h --help -V --version\n"
		     "        ] {\n"
		     "            if (str:has-prefix $c $cur) { edit:complex-candidate $c }\n"
		     "        }\n"
		     "    }\n}\n");
	if (!c->parent)
		return;
	/* the words after "cargo flamegraph"; the others to cargo's completer */
	fprintf(out, "\n# %s: its words to the completer above, the others to %s's\n"
		     "var fg-%s-other = $nil\n"
		     "if (has-key $edit:completion:arg-completer %s) {\n"
		     "    set fg-%s-other = $edit:completion:arg-completer[%s]\n"
		     "}\n"
		     "set edit:completion:arg-completer[%s] = {|@words|\n"
		     "    if (and (> (count $words) 2) (eq $words[1] %s)) {\n"
		     "        var rest = $words[2..]\n"
		     "        $edit:completion:arg-completer[%s] %s $@rest\n"
		     "    } elif (not-eq $fg-%s-other $nil) {\n"
		     "        $fg-%s-other $@words\n"
		     "    } else {\n"
		     "        edit:complete-filename $words[-1]\n"
		     "    }\n"
		     "}\n",
		c->cmd->name, c->parent, c->id, c->parent, c->id, c->parent, c->parent,
		c->sub, c->exe, c->exe, c->id, c->id);
}

int options_completions(const struct fg_command *cmd, const char *shell,
			FILE *out)
{
	static const struct {
		const char *shell;
		void (*fn)(const struct comp *c, FILE *out);
	} shells[] = {
		{ "bash", comp_bash }, { "elvish", comp_elvish }, { "fish", comp_fish },
		{ "powershell", comp_powershell }, { "zsh", comp_zsh },
	};
	struct comp c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shells); i++)
		if (!strcmp(shell, shells[i].shell))
			break;
	if (i == ARRAY_SIZE(shells))
		return -1;
	comp_init(&c, cmd);
	shells[i].fn(&c, out);
	comp_release(&c);
	return 0;
}
