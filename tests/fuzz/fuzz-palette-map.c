/*
 * Fuzz target: the palette map file of --consistent-palette (svg/color.c).
 *
 * The input is the map, parsed as the front-end does it
 * (svg_palette_map_parse()); the graph drawn holds a frame for the name on
 * each line, so that the map's colours are used, and the map is then
 * written back (to /dev/null) as the front-end saves it.
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
	struct svg_palette_map pm;
	FILE *devnull;

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
	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, (const char *)data, size);
	o.palette_map = &pm;
	o.min_width = 0;
	o.palette = PAL_JAVA;
	o.no_javascript = 1;
	fuzz_render(&t, &o);
	devnull = fopen("/dev/null", "w");
	if (devnull) {
		svg_palette_map_write(&pm, devnull);
		fclose(devnull);
	}
	svg_palette_map_release(&pm);
	stack_table_release(&t);
	fg_buf_release(&sb);
	return 0;
}
