/*
 * Manual pages from the options table: the same rows as --help, in roff
 * (man(7)), so that the page can never disagree with the program.
 */
#include "options.h"

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

static int takes_value(const struct fg_option *o)
{
	if (o->type == OPTION_BOOL)
		return 0;
	if (o->type == OPTION_CALLBACK)
		return !(o->flags & OPT_NOARG);
	return 1;
}

void options_man(const struct fg_command *cmd, const char *section_text,
		 FILE *out)
{
	const struct fg_option *o;
	const char *u = cmd->usage;

	fprintf(out, ".TH \"%s\" 1 \"\" \"%s %s\" \"User Commands\"\n", cmd->name,
		cmd->name, fg_version);
	fprintf(out, ".SH NAME\n");
	roff_text(out, cmd->name);
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
		if (takes_value(o)) {
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
