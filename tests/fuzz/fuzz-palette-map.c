/*
 * Fuzz target: the palette map file of --consistent-palette (svg/color.c).
 *
 * The input is the map (in a memfd, named by its /proc/self/fd path); the
 * graph drawn holds a frame for the name on each line, so that the map's
 * colours are used. Saving the map back fails (no file can be created
 * next to a /proc/self/fd entry), which the renderer reports as a warning.
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

	stack_table_init(&t, 1);
	stack_table_add(&t, "main", 4, 1);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *arrow = memmem(p, (size_t)(eol - p), "->", 2);

		if (arrow && arrow > p) {
			fg_buf_reset(&sb);
			fg_buf_addstr(&sb, "main;");
			fg_buf_add(&sb, p, (size_t)(arrow - p));
			stack_table_add(&t, sb.buf, sb.len, 2);
		}
		p = nl ? nl + 1 : end;
	}
	svg_opts_init(&o);
	o.palette_map_file = fuzz_file(data, size, NULL);
	o.min_width = 0;
	o.palette = PAL_JAVA;
	o.no_javascript = 1;
	fuzz_render(&t, &o);
	stack_table_release(&t);
	fg_buf_release(&sb);
	return 0;
}
