/*
 * Fuzz target: the --name-attr file of the renderer (svg/name-attr.c).
 *
 * The input is the file, parsed as the front-end does it
 * (svg_name_attrs_parse()). The graph drawn holds a frame for the
 * function each line names, so that the attributes of every line end
 * up in the document, which must stay well-formed XML whatever the file
 * says.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/stacks.h"
#include "../../svg/flamegraph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct stack_table t;
	struct svg_opts o;
	struct fg_buf sb = FG_BUF_INIT;
	struct svg_name_attrs na;

	stack_table_init(&t, 1);
	stack_table_add(&t, "main", 4, 1);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *tab;

		while (p < eol && (*p == ' ' || *p == '\r' || *p == '\v' || *p == '\f'))
			p++;
		tab = memchr(p, '\t', (size_t)(eol - p));
		if (tab != p) {
			fg_buf_reset(&sb);
			fg_buf_addstr(&sb, "main;");
			fg_buf_add(&sb, p, (size_t)((tab ? tab : eol) - p));
			stack_table_add(&t, sb.buf, sb.len, 1);
		}
		p = nl ? nl + 1 : end;
	}
	svg_opts_init(&o);
	svg_name_attrs_init(&na);
	svg_name_attrs_parse(&na, (const char *)data, size, "fuzz input", NULL);
	o.name_attrs = &na;
	o.min_width = 0;
	o.deterministic = 1;
	fuzz_render(&t, &o);
	svg_name_attrs_release(&na);
	stack_table_release(&t);
	fg_buf_release(&sb);
	return 0;
}
