/* Unit tests for svg/svg.c: the document, titles, labels, escaping. */
#include "unit.h"
#include "../../svg/flamegraph.h"
#include "../../lib/error.h"

#include <unistd.h>

/* Render text with o; returns the document (malloc'd) and sets *ret. */
static char *render_opts(const char *text, size_t len, const struct svg_opts *o, int *ret)
{
	struct stack_table t;
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	stack_table_init(&t, !(o->flame_chart || o->no_sort));
	*ret = folded_parse(&t, text, len, NULL, NULL);
	if (!*ret)
		*ret = svg_render(&t, o, f, NULL);
	fclose(f);
	stack_table_release(&t);
	return buf;
}

static char *render(const char *text, int *ret)
{
	struct svg_opts o;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.deterministic = 1;
	return render_opts(text, strlen(text), &o, ret);
}

static int has(const char *doc, const char *needle)
{
	if (doc && strstr(doc, needle))
		return 1;
	printf("# missing: %s\n", needle);
	return 0;
}

/* Crude well-formedness checks that need no XML parser. */
static int sane(const char *doc, size_t len)
{
	const unsigned char *p = (const unsigned char *)doc;
	size_t i;
	const char *c;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return 0;
	/* no "--" inside comments */
	for (c = strstr(doc, "<!--"); c; c = strstr(c, "<!--")) {
		const char *end = strstr(c + 4, "-->");

		if (!end)
			return 0;
		for (i = 4; c + i < end; i++)
			if (c[i] == '-' && c[i + 1] == '-' && c + i + 1 != end)
				return 0;
		c = end;
	}
	return 1;
}

TEST(render_empty_is_no_stacks)
{
	int ret;
	char *doc = render("", &ret);

	CHECK(ret == -FG_ERR_NO_STACKS);
	CHECK(doc && !*doc);
	free(doc);
	doc = render("a 0\nb 0\n", &ret);
	CHECK(ret == -FG_ERR_NO_STACKS);
	CHECK(doc && !*doc);
	free(doc);
}

TEST(render_document_structure)
{
	int ret;
	char *doc = render("main;work 3\nmain;idle 1\n", &ret);

	CHECK(!ret);
	CHECK(has(doc, "<?xml version=\"1.0\" standalone=\"no\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg version=\"1.1\" width=\"1200\" height=\"118\" onload=\"init(evt)\" viewBox=\"0 0 1200 118\" xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:fg=\"http://github.com/jonhoo/inferno\">"));
	CHECK(has(doc, "<!--NOTES: -->"));
	CHECK(has(doc, "<script type=\"text/ecmascript\"><![CDATA[var nametype = 'Function:';\nvar fontsize = 12;\nvar fontwidth = 0.59;\nvar xpad = 10;\nvar inverted = false;\nvar searchcolor = '#e600e6';\nvar fluiddrawing = true;\nvar truncate_text_right = false;\n]]></script>"));
	CHECK(has(doc, "<text id=\"title\" fill=\"rgb(0,0,0)\" x=\"50.0000%\" y=\"24.00\">Flame Graph</text>"));
	CHECK(has(doc, "<text id=\"details\" fill=\"rgb(0,0,0)\" x=\"10\" y=\"101.00\"> </text>"));
	CHECK(has(doc, "<text id=\"unzoom\" class=\"hide\" fill=\"rgb(0,0,0)\" x=\"10\" y=\"24.00\">Reset Zoom</text>"));
	CHECK(has(doc, "<text id=\"search\" fill=\"rgb(0,0,0)\" x=\"1190\" y=\"24.00\">Search</text>"));
	CHECK(has(doc, "<svg id=\"frames\" x=\"10\" width=\"1180\" total_samples=\"4\">"));
	/* root: y1 = 118 - 34 - 16 + 1 = 69 */
	CHECK(has(doc, "<g><title>all (4 samples, 100%)</title><rect x=\"0.0000%\" y=\"69\" width=\"100.0000%\" height=\"15\" fill=\""));
	CHECK(has(doc, "<title>idle (1 samples, 25.00%)</title><rect x=\"0.0000%\" y=\"37\" width=\"25.0000%\" height=\"15\""));
	CHECK(has(doc, "fg:x=\"1\" fg:w=\"3\"/><text x=\"25.2500%\" y=\"47.50\">work</text></g>"));
	CHECK(has(doc, "</svg></svg>"));
	CHECK(sane(doc, strlen(doc)));
	free(doc);
}

TEST(render_titles_numbers)
{
	int ret;
	char *doc = render("a 1234567\nb 200\n", &ret);

	CHECK(!ret);
	CHECK(has(doc, "<title>all (1,234,767 samples, 100%)</title>"));
	CHECK(has(doc, "<title>a (1,234,567 samples, 99.98%)</title>"));
	CHECK(has(doc, "<title>b (200 samples, 0.02%)</title>"));
	free(doc);
	/* counts near 2^63: 64-bit sums, exact percentages */
	doc = render("x 4611686018427387904\ny 4611686018427387904\n", &ret);
	CHECK(!ret);
	CHECK(has(doc, "total_samples=\"9223372036854775808\""));
	CHECK(has(doc, "<title>x (4,611,686,018,427,387,904 samples, 50.00%)</title><rect x=\"0.0000%\" y=\"37\" width=\"50.0000%\""));
	CHECK(has(doc, "fg:x=\"4611686018427387904\" fg:w=\"4611686018427387904\""));
	free(doc);
}

TEST(render_factor_count_name)
{
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.factor = 2.5;
	o.count_name = "ms <&>";
	doc = render_opts("a 3\nb 1\n", 8, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>all (10 ms &lt;&amp;&gt;, 100%)</title>"));
	CHECK(has(doc, "<title>a (8 ms &lt;&amp;&gt;, 80.00%)</title>"));	/* 7.5 rounds up */
	free(doc);
}

TEST(render_differential)
{
	struct svg_opts o;
	int ret;
	char *doc;
	static const char text[] = "m;a 10 20\nm;b 30 20\n";

	svg_opts_init(&o);
	o.no_javascript = 1;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>a (20 samples, 50.00%; +25.00%)</title>"));
	CHECK(has(doc, "fill=\"rgb(255,100,100)\""));
	CHECK(has(doc, "<title>b (20 samples, 50.00%; -25.00%)</title>"));
	CHECK(has(doc, "fill=\"rgb(100,100,255)\""));
	CHECK(has(doc, "<title>m (40 samples, 100.00%; 0.00%)</title>"));
	CHECK(has(doc, "fill=\"rgb(250,250,250)\""));
	free(doc);
	o.negate = 1;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	CHECK(has(doc, "<title>a (20 samples, 50.00%; -25.00%)</title><rect x=\"0.0000%\" y=\"37\" width=\"50.0000%\" height=\"15\" fill=\"rgb(100,100,255)\""));
	free(doc);
}

TEST(render_escaping_hostile_names)
{
	static const char text[] =
		"main;</title><script>alert(1)</script> 5\n"
		"main;esc\x1b[31mred\x01 3\n"
		"main;bad\xff\xc3(utf8 2\n"
		"main;q\"'&amp 1\n";
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.title = "t</text><x>&\"";
	o.subtitle = "s\x02ub";
	o.notes = "a--b-c--->d<!-- -";
	o.name_type = "F'n\" </script>]]>\xe2\x80\xa8\\\n";
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; (5 samples"));
	CHECK(!strstr(doc, "<script>alert"));
	CHECK(has(doc, "esc\xef\xbf\xbd[31mred\xef\xbf\xbd (3 samples"));
	CHECK(has(doc, "bad\xef\xbf\xbd\xef\xbf\xbd(utf8 (2 samples"));
	CHECK(has(doc, "q&quot;&apos;&amp;amp (1 samples"));
	CHECK(has(doc, ">t&lt;/text&gt;&lt;x&gt;&amp;&quot;</text>"));
	CHECK(has(doc, ">s\xef\xbf\xbdub</text>"));
	CHECK(has(doc, "<!--NOTES: a-&#45;b-c-&#45;-&gt;d&lt;!-&#45; &#45;-->"));
	CHECK(has(doc, "var nametype = 'F\\'n\\\" \\u003c/script\\u003e]]\\u003e\\u2028\\\\\\n';"));
	CHECK(sane(doc, strlen(doc)));
	free(doc);
}

TEST(render_labels_utf8)
{
	struct svg_opts o;
	struct fg_buf in = FG_BUF_INIT;
	int ret, i;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	/* 10% of 1200 px: fitchars = floor(10 / 0.59) = 16 */
	for (i = 0; i < 20; i++)
		fg_buf_addstr(&in, "\xc3\xa9");
	fg_buf_addstr(&in, " 1\nz 9\n");
	doc = render_opts(in.buf, in.len, &o, &ret);
	CHECK(!ret);
	/* 14 characters (28 bytes) and "..", not 14 bytes */
	CHECK(has(doc, ">\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9..</text>"));
	free(doc);
	fg_buf_reset(&in);
	/* 15 two-byte characters fit as they are (byte length 30 would not) */
	for (i = 0; i < 15; i++)
		fg_buf_addstr(&in, "\xc3\xa9");
	fg_buf_addstr(&in, "_[k] 1\nz 9\n");
	doc = render_opts(in.buf, in.len, &o, &ret);
	CHECK(has(doc, "\xc3\xa9\xc3\xa9</text>"));
	CHECK(!strstr(doc, "_[k]"));	/* de-annotated */
	free(doc);
	fg_buf_release(&in);
}

TEST(render_inverted_subtitle_width)
{
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.direction = SVG_INVERTED;
	o.subtitle = "sub";
	o.image_width = 1000;
	doc = render_opts("a;b 1\n", 6, &o, &ret);
	CHECK(!ret);
	/* ypad1 = 48 + 24 + 4 = 76, ypad2 = 22, 3 levels: 48 + 98 = 146 */
	CHECK(has(doc, "width=\"1000\" height=\"146\""));
	CHECK(has(doc, ">Icicle Graph</text>"));
	CHECK(has(doc, "<text id=\"subtitle\" fill=\"rgb(0,0,0)\" x=\"50.0000%\" y=\"48.00\">sub</text>"));
	CHECK(has(doc, "<text id=\"details\" fill=\"rgb(0,0,0)\" x=\"10\" y=\"64.00\"> </text>"));
	CHECK(has(doc, "<text id=\"search\" fill=\"rgb(0,0,0)\" x=\"990\""));
	CHECK(has(doc, "var fluiddrawing = false;"));
	CHECK(has(doc, "<svg id=\"frames\" x=\"10\" width=\"980\""));
	/* root at the top: y = ypad1 */
	CHECK(has(doc, "<title>all (1 samples, 100%)</title><rect x=\"0.0000%\" y=\"76\""));
	CHECK(has(doc, "<text x=\"0.3000%\" y=\"86.50\">all</text>"));
	free(doc);
}

TEST(render_font_stroke_ui_options)
{
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.font_type = "Dejavu \"Sans\" <&>";
	o.font_size = 14;
	o.font_width = 0.6;
	memcpy(o.stroke_color, "#112233", 8);
	memcpy(o.ui_color, "#ff0080", 8);
	memcpy(o.search_color, "#00ff00", 8);
	o.truncate_text_right = 1;
	o.name_type = "Frame:";
	doc = render_opts("a 1\n", 4, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "text { font-family:\"Dejavu \\\"Sans\\\" &lt;&amp;&gt;\"; font-size:14px }\n#title { text-anchor:middle; font-size:19px; }\n#frames > g > rect, #frames > a > rect { stroke:#112233; stroke-width:1; }\n"));
	CHECK(has(doc, "<text id=\"title\" fill=\"rgb(255,0,128)\""));
	CHECK(has(doc, "var nametype = 'Frame:';\nvar fontsize = 14;\nvar fontwidth = 0.6;"));
	CHECK(has(doc, "var searchcolor = '#00ff00';"));
	CHECK(has(doc, "var truncate_text_right = true;"));
	free(doc);
	o.font_type = "serif";
	doc = render_opts("a 1\n", 4, &o, &ret);
	CHECK(has(doc, "text { font-family:serif; font-size:14px }"));
	free(doc);
}

TEST(render_grey_frames_and_pretty)
{
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.pretty_xml = 1;
	doc = render_opts("a;--;b 1\na;-;c 1\n", 18, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>-- (1 samples, 50.00%)</title>\n            <rect x=\"0.0000%\" y=\"53\" width=\"50.0000%\" height=\"15\" fill=\"rgb(160,160,160)\""));
	CHECK(has(doc, "<title>- (1 samples, 50.00%)</title>\n            <rect x=\"50.0000%\" y=\"53\" width=\"50.0000%\" height=\"15\" fill=\"rgb(200,200,200)\""));
	CHECK(has(doc, "\n    <svg id=\"frames\""));
	CHECK(has(doc, "\n        <g>\n            <title>"));
	CHECK(has(doc, "</g>\n    </svg>\n</svg>\n"));
	free(doc);
}

TEST(render_deep_and_long)
{
	struct svg_opts o;
	struct fg_buf in = FG_BUF_INIT;
	int ret, i;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.min_width = 0;
	for (i = 0; i < 10000; i++)
		fg_buf_addstr(&in, i ? ";f" : "f");
	fg_buf_addstr(&in, " 7\n");
	for (i = 0; i < (1 << 20); i++)
		fg_buf_addch(&in, (char)('a' + i % 26));
	fg_buf_addstr(&in, " 1\n");
	doc = render_opts(in.buf, in.len, &o, &ret);
	CHECK(!ret);
	/* 10,001 levels: (10000 + 1) * 16 + 36 + 34 */
	CHECK(has(doc, "height=\"160086\""));
	CHECK(has(doc, "<text x=\"12.7500%\" y=\""));
	free(doc);
	fg_buf_release(&in);
}

TEST(render_no_sort_unsorted)
{
	struct svg_opts o;
	int ret;
	char *doc;

	svg_opts_init(&o);
	o.no_sort = 1;
	doc = render_opts("b 1\na 1\n", 8, &o, &ret);
	CHECK(ret == -FG_ERR_UNSORTED);
	CHECK(doc && !*doc);
	free(doc);
}

TEST(render_name_attr)
{
	static const char attrs[] =
		"main\thref=https://example.com/?a=1&b=2\ttitle=\"the <main>\"\tclass=x\n"
		"\n"
		"leaf\tid=l1\tg_extra=data-x=\"1 2\" onclick=\"f('a')\"\tclass=c\tclass=d\n"
		"leaf\tg_extra=bad\"name=1 xmlns:evil=2 foo:bar=3\tbogus=1\n";
	char path[] = "/tmp/t-svg-attr.XXXXXX";
	struct svg_opts o;
	struct stack_table t;
	struct fg_buf err = FG_BUF_INIT;
	char *doc = NULL;
	size_t size = 0;
	FILE *f;
	int fd = mkstemp(path), ret;

	CHECK(fd >= 0);
	CHECK(write(fd, attrs, sizeof(attrs) - 1) == (ssize_t)(sizeof(attrs) - 1));
	close(fd);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.name_attr_file = path;
	stack_table_init(&t, 1);
	CHECK(!folded_parse(&t, "main;leaf 2\n", 12, NULL, NULL));
	f = open_memstream(&doc, &size);
	ret = svg_render(&t, &o, f, &err);
	fclose(f);
	CHECK(!ret);
	CHECK(has(doc, "<a xlink:href=\"https://example.com/?a=1&amp;b=2\" class=\"x\" target=\"_top\"><title>the &lt;main&gt;</title><rect"));
	CHECK(has(doc, "</text></a>"));
	CHECK(has(doc, "<g id=\"l1\" data-x=\"1 2\" onclick=\"f(&apos;a&apos;)\" class=\"d\"><title>leaf (2 samples"));
	CHECK(has(err.buf, "duplicate attribute 'class'"));
	CHECK(has(err.buf, "invalid attribute 'bogus'"));
	CHECK(has(err.buf, "invalid attribute name 'xmlns:evil'"));
	CHECK(has(err.buf, "invalid attribute name 'foo:bar'"));
	CHECK(!strstr(doc, "evil"));
	CHECK(sane(doc, size));
	free(doc);
	unlink(path);

	/* an unreadable file is an I/O error, and nothing is written */
	doc = NULL;
	f = open_memstream(&doc, &size);
	fg_buf_reset(&err);
	ret = svg_render(&t, &o, f, &err);
	fclose(f);
	CHECK(ret == -FG_ERR_IO);
	CHECK(has(err.buf, path));
	CHECK(doc && !*doc);
	free(doc);
	fg_buf_release(&err);
	stack_table_release(&t);
}

TEST(render_palette_map_consistent)
{
	char dir[] = "/tmp/t-svg-cp.XXXXXX";
	struct svg_opts o;
	char *path, *doc1, *doc2;
	int ret;

	CHECK(mkdtemp(dir) != NULL);
	path = xstrfmt("%s/palette.map", dir);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.palette_map_file = path;
	doc1 = render_opts("a;b 1\na;c 2\n", 12, &o, &ret);
	CHECK(!ret);
	CHECK(access(path, R_OK) == 0);
	/* the second run reads the map: same colours although the random
	 * generator would now be consumed differently */
	doc2 = render_opts("a;c 2\nz 1\na;b 1\n", 16, &o, &ret);
	CHECK(!ret);
	{
		const char *p = strstr(doc1, "<title>b ("), *q = strstr(doc2, "<title>b (");

		CHECK(p && q);
		if (p && q) {
			p = strstr(p, "fill=");
			q = strstr(q, "fill=");
			CHECK(!strncmp(p, q, 22));
		}
	}
	free(doc1);
	free(doc2);
	unlink(path);
	rmdir(dir);
	free(path);
}

TEST(render_palette_map_unwritable_is_a_warning)
{
	struct svg_opts o;
	struct stack_table t;
	struct fg_buf err = FG_BUF_INIT;
	char *doc = NULL;
	size_t size = 0;
	FILE *f;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.palette_map_file = "/nonexistent-dir-for-t-svg/palette.map";
	stack_table_init(&t, 1);
	CHECK(!folded_parse(&t, "a 1\n", 4, NULL, NULL));
	f = open_memstream(&doc, &size);
	ret = svg_render(&t, &o, f, &err);
	fclose(f);
	CHECK(!ret);
	CHECK(has(err.buf, "cannot write palette map"));
	CHECK(has(doc, "</svg></svg>"));
	free(doc);
	fg_buf_release(&err);
	stack_table_release(&t);
}
