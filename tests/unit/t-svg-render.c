/*
 * Unit tests for svg/svg.c (the document, titles, labels, escaping), with
 * the maps it takes: svg/name-attr.c, the palette map of svg/color.c and
 * the verdicts of svg/verdict.c.
 */
#include "unit.h"
#include "../../svg/svg-internal.h"
#include "../../lib/error.h"

#include <float.h>
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
	/* 7.5 rounds up; the share is of the unscaled counts, 3 of 4 */
	CHECK(has(doc, "<title>a (8 ms &lt;&amp;&gt;, 75.00%)</title>"));
	free(doc);
	/* half a sample rounds up too */
	o.factor = 0.5;
	o.count_name = NULL;
	doc = render_opts("a 3\nb 1\n", 8, &o, &ret);
	CHECK(has(doc, "<title>all (2 samples, 100%)</title>"));
	CHECK(has(doc, "<title>a (2 samples, 75.00%)</title>"));
	CHECK(has(doc, "<title>b (1 samples, 25.00%)</title>"));
	free(doc);
}

/*
 * The "P%)" or "P%; D%)" ends of every title of doc, in order: what the
 * factor must not change (apart from D, which it divides).
 */
static char *title_shares(const char *doc, int with_delta)
{
	struct fg_buf sb = FG_BUF_INIT;
	const char *p = doc;

	while (p && (p = strstr(p, "<title>"))) {
		const char *end = strstr(p, "</title>"), *c;

		if (!end)
			break;
		for (c = end; c > p && memcmp(c, ", ", 2); c--)
			;
		fg_buf_add(&sb, c, (size_t)(end - c));
		if (!with_delta && (c = memchr(c, ';', (size_t)(end - c))))
			fg_buf_setlen(&sb, sb.len - (size_t)(end - c));
		fg_buf_addch(&sb, '|');
		p = end;
	}
	return fg_buf_detach(&sb, NULL);
}

TEST(render_factor_extremes)
{
	static const double factors[] = {
		2.5, 0.001, 1e300, 1e-300, DBL_MAX, DBL_MIN, 4.9406564584124654e-324,
	};
	static const char text[] = "a;b 3\na;c 1\nd 2\n";
	static const char dtext[] = "m;a 10 20\nm;b 30 20\n";
	struct svg_opts o;
	char *doc, *ddoc, *want, *dwant, *got;
	size_t i;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.deterministic = 1;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	want = title_shares(doc, 1);
	CHECK_STREQ(want, ", 50.00%)|, 66.67%)|, 16.67%)|, 100%)|, 33.33%)|");
	free(doc);
	doc = render_opts(dtext, sizeof(dtext) - 1, &o, &ret);
	dwant = title_shares(doc, 0);
	free(doc);

	/* the same percentages whatever the factor */
	for (i = 0; i < ARRAY_SIZE(factors); i++) {
		o.factor = factors[i];
		doc = render_opts(text, sizeof(text) - 1, &o, &ret);
		CHECK(!ret);
		got = title_shares(doc, 1);
		CHECK_STREQ(got, want);
		free(got);
		free(doc);
		doc = render_opts(dtext, sizeof(dtext) - 1, &o, &ret);
		CHECK(!ret);
		got = title_shares(doc, 0);
		CHECK_STREQ(got, dwant);
		free(got);
		free(doc);
	}
	free(want);
	free(dwant);

	/*
	 * Counts are exact, rounded half up, never saturated: 3 * 1e300 is
	 * 3 times the double nearest 1e300 (printed by an independent
	 * big-integer implementation), and 1e-300 makes every count 0.
	 */
	o.factor = 1e300;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	ddoc = render_opts(dtext, sizeof(dtext) - 1, &o, &ret);
	CHECK(has(doc,
		"<title>b (3,000,000,000,000,000,157,514,280,765,613,260,746,113,"
		"405,743,324,477,464,747,562,346,535,407,373,966,724,587,359,114,"
		"125,241,343,592,131,113,331,498,651,634,530,827,569,706,081,291,"
		"726,934,376,554,360,120,948,545,161,602,779,727,411,213,490,701,"
		"384,364,270,178,106,859,704,912,399,835,243,357,116,902,922,640,"
		"223,958,228,340,427,483,737,776,366,460,170,528,514,347,008,416,"
		"589,160,596,378,201,620,480 samples, 50.00%)</title>"));
	/* the factor divides the delta: 25% / 1e300 */
	CHECK(has(ddoc, " samples, 50.00%; +0.00%)</title>"));
	free(doc);
	free(ddoc);

	o.factor = 1e-300;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	ddoc = render_opts(dtext, sizeof(dtext) - 1, &o, &ret);
	CHECK(has(doc, "<title>all (0 samples, 100%)</title>"));
	CHECK(has(doc, "<title>b (0 samples, 50.00%)</title>"));
	CHECK(has(ddoc,
		"<title>a (0 samples, 50.00%; +249999999999999993735227041197810"
		"2355654841994306506274174775190429689944220208591922466742893111"
		"9606090275767742543909021534456103405938342108615931940318642798"
		"9905797997131364461963047310051097344429192652078210469951479842"
		"5106331268551232532363621345713915140217024237435760759342749885"
		"0564453076272.41%)</title>"));
	free(doc);
	free(ddoc);

	/* the smallest factor there is: 2^-1074 */
	o.factor = 4.9406564584124654e-324;
	ddoc = render_opts(dtext, sizeof(dtext) - 1, &o, &ret);
	CHECK(has(ddoc,
		"; -5060056332682765458812383667972932676238916244103552958922533"
		"9506857584891998836722990095925359281123796769466079202977847452"
		"1843464483692167533499851846274803793560691415903411167269355233"
		"0408530994191961818626714050187085617317465452583891228988908520"
		"2514128089692388083353653807625633046581877161501565826926935273"
		"37369600.00%)</title>"));
	free(ddoc);
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

/* Render text with the name-attr file text; err gets the parser's warnings. */
static char *render_attrs_opts(const char *text, const char *attrs, size_t len,
			       struct svg_opts *o, struct fg_buf *err)
{
	struct svg_name_attrs na;
	char *doc;
	int ret;

	svg_name_attrs_init(&na);
	svg_name_attrs_parse(&na, attrs, len, "attrs.txt", err);
	o->name_attrs = &na;
	doc = render_opts(text, strlen(text), o, &ret);
	CHECK(!ret);
	CHECK(doc && sane(doc, strlen(doc)));
	o->name_attrs = NULL;
	svg_name_attrs_release(&na);
	CHECK(na.nr == 0 && na.funcs.nr == 0);
	return doc;
}

TEST(render_name_attr)
{
	static const char attrs[] =
		"main\thref=https://example.com/?a=1&b=2\ttitle=\"the <main>\"\tclass=x\n"
		"\n"
		"leaf\tid=l1\tg_extra=data-x=\"1 2\" onclick=\"f('a')\"\tclass=c\tclass=d\n"
		"leaf\tg_extra=bad\"name=1 xmlns:evil=2 foo:bar=3\tbogus=1\n";
	struct svg_opts o;
	struct fg_buf err = FG_BUF_INIT;
	char *doc;

	svg_opts_init(&o);
	o.no_javascript = 1;
	doc = render_attrs_opts("main;leaf 2\n", attrs, sizeof(attrs) - 1, &o, &err);
	CHECK(has(doc, "<a xlink:href=\"https://example.com/?a=1&amp;b=2\" class=\"x\" target=\"_top\"><title>the &lt;main&gt;</title><rect"));
	CHECK(has(doc, "</text></a>"));
	CHECK(has(doc, "<g id=\"l1\" data-x=\"1 2\" onclick=\"f(&apos;a&apos;)\" class=\"d\"><title>leaf (2 samples"));
	CHECK(has(err.buf, "duplicate attribute 'class'"));
	CHECK(has(err.buf, "invalid attribute 'bogus'"));
	CHECK(has(err.buf, "invalid attribute name 'xmlns:evil'"));
	CHECK(has(err.buf, "invalid attribute name 'foo:bar'"));
	CHECK(!strstr(doc, "evil"));
	free(doc);
	fg_buf_release(&err);
}

/* The parser keeps no warning when given no buffer, and never reads a file. */
TEST(name_attrs_parse_without_warnings)
{
	static const char attrs[] = "f\tclass=a\tclass=b\tbogus=1\nf\ttitle=t\n  \n";
	struct svg_name_attrs na;
	const struct svg_attr_set *set;

	svg_name_attrs_init(&na);
	svg_name_attrs_parse(&na, attrs, sizeof(attrs) - 1, "x", NULL);
	CHECK(na.nr == 1);
	set = name_attrs_find(&na, "f", 1);
	CHECK(set && set->nr == 1 && set->title && !strcmp(set->title, "t"));
	CHECK(set && !strcmp(set->v[0].value, "b"));
	CHECK(name_attrs_find(&na, "g", 1) == NULL);
	svg_name_attrs_release(&na);
	CHECK(na.nr == 0 && na.sets == NULL);
}

/* Render "main;f 1\nmain;g 1\n" with the name-attr file text; err gets the warnings. */
static char *render_name_attr(const char *attrs, size_t len, struct fg_buf *err)
{
	struct svg_opts o;

	svg_opts_init(&o);
	o.no_javascript = 1;
	return render_attrs_opts("main;f 1\nmain;g 1\n", attrs, len, &o, err);
}

/* More attributes than a set searches without its index: same behaviour. */
TEST(render_name_attr_many)
{
	struct fg_buf in = FG_BUF_INIT, want = FG_BUF_INIT, err = FG_BUF_INIT;
	char *doc;
	int i;

	fg_buf_addstr(&in, "f\tg_extra=");
	for (i = 0; i < 20; i++)
		fg_buf_addf(&in, "data-a%d=%d ", i, i);
	fg_buf_addstr(&in, "\thref=u1\n");
	fg_buf_addstr(&in, "f\tg_extra=data-a3=x data-a17=y\ttarget=_blank\tclass=c\n");
	fg_buf_addstr(&in, "g\thref=u2\tg_extra=");
	for (i = 0; i < 12; i++)
		fg_buf_addf(&in, "data-b%d=%d ", i, i);
	fg_buf_addstr(&in, "\ttarget=_self\n");
	doc = render_name_attr(in.buf, in.len, &err);

	/* first-given order, duplicates replaced in place, target last given */
	fg_buf_addstr(&want, "<a");
	for (i = 0; i < 20; i++) {
		if (i == 3 || i == 17)
			fg_buf_addf(&want, " data-a%d=\"%s\"", i, i == 3 ? "x" : "y");
		else
			fg_buf_addf(&want, " data-a%d=\"%d\"", i, i);
	}
	fg_buf_addstr(&want, " xlink:href=\"u1\" target=\"_blank\" class=\"c\"><title>f (");
	CHECK(has(doc, want.buf));
	/* href with a target of its own on the line: no target="_top" */
	fg_buf_reset(&want);
	fg_buf_addstr(&want, "<a xlink:href=\"u2\"");
	for (i = 0; i < 12; i++)
		fg_buf_addf(&want, " data-b%d=\"%d\"", i, i);
	fg_buf_addstr(&want, " target=\"_self\"><title>g (");
	CHECK(has(doc, want.buf));
	CHECK(!strstr(doc, "_top"));
	CHECK_STREQ(err.buf,
		    "duplicate attribute 'data-a3' in name-attr file for 'f'; replacing value \"3\" with \"x\"\n"
		    "duplicate attribute 'data-a17' in name-attr file for 'f'; replacing value \"17\" with \"y\"\n"
		    "duplicate attribute 'target' in name-attr file for 'f'; replacing value \"_top\" with \"_blank\"");
	free(doc);
	fg_buf_release(&in);
	fg_buf_release(&want);
	fg_buf_release(&err);
}

/* A warning per repeated attribute, but only the first ten are printed. */
TEST(render_name_attr_warnings_capped)
{
	struct fg_buf in = FG_BUF_INIT, err = FG_BUF_INIT, want = FG_BUF_INIT;
	char *doc;
	int i;

	fg_buf_addstr(&in, "f");
	for (i = 0; i <= 25; i++)
		fg_buf_addf(&in, "\tclass=c%d", i);
	fg_buf_addstr(&in, "\n");
	doc = render_name_attr(in.buf, in.len, &err);
	CHECK(has(doc, "<g class=\"c25\"><title>f ("));
	for (i = 1; i <= 10; i++)
		fg_buf_addf(&want, "duplicate attribute 'class' in name-attr file for 'f'; replacing value \"c%d\" with \"c%d\"\n",
			    i - 1, i);
	fg_buf_addstr(&want, "... and 15 more warnings about name-attr file 'attrs.txt'");
	CHECK_STREQ(err.buf, want.buf);
	free(doc);
	fg_buf_release(&in);
	fg_buf_release(&err);
	fg_buf_release(&want);
}

/* The fill of the frame titled name ("fill=\"rgb(...)\""), or NULL. */
static char *fill_of(const char *doc, const char *name)
{
	char *title = xstrfmt("<title>%s (", name);
	const char *p = doc ? strstr(doc, title) : NULL, *q;

	free(title);
	if (!p || !(p = strstr(p, "fill=\"")) || !(q = strchr(p + 6, '"')))
		return NULL;
	return xmemdupz(p, (size_t)(q + 1 - p));
}

TEST(render_palette_map_consistent)
{
	struct svg_palette_map pm;
	struct svg_opts o;
	char *doc1, *doc2, *f1, *f2, *saved = NULL;
	size_t size = 0;
	FILE *fp;
	int ret;

	svg_palette_map_init(&pm);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.palette_map = &pm;
	doc1 = render_opts("a;b 1\na;c 2\n", 12, &o, &ret);
	CHECK(!ret);
	CHECK_U64EQ(pm.names.nr, 4);	/* the root (""), a, b and c were added */
	fp = open_memstream(&saved, &size);
	svg_palette_map_write(&pm, fp);
	fclose(fp);
	svg_palette_map_release(&pm);

	/* the second run reads the map: same colours although the random
	 * generator would now be consumed differently */
	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, saved, size);
	CHECK_U64EQ(pm.names.nr, 4);
	doc2 = render_opts("a;c 2\nz 1\na;b 1\n", 16, &o, &ret);
	CHECK(!ret);
	CHECK_U64EQ(pm.names.nr, 5);	/* z was added */
	f1 = fill_of(doc1, "b");
	f2 = fill_of(doc2, "b");
	CHECK(f1 && f2);
	if (f1 && f2)
		CHECK_STREQ(f1, f2);
	free(f1);
	free(f2);
	free(saved);
	free(doc1);
	free(doc2);
	svg_palette_map_release(&pm);
	CHECK(pm.names.nr == 0);
}

/* A colour from the map wins over the palette's, for the names it holds. */
TEST(render_palette_map_colours_used)
{
	static const char map[] = "b->rgb(1,2,3)\n";
	struct svg_palette_map pm;
	struct svg_opts o;
	char *doc;
	int ret;

	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, map, sizeof(map) - 1);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.palette_map = &pm;
	doc = render_opts("a;b 1\n", 6, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>b (1 samples, 100.00%)</title><rect x=\"0.0000%\" y=\"37\" width=\"100.0000%\" height=\"15\" fill=\"rgb(1,2,3)\""));
	free(doc);
	svg_palette_map_release(&pm);
}

static char *render_str(const char *text, const struct svg_opts *o, int *ret)
{
	return render_opts(text, strlen(text), o, ret);
}

/*
 * Nanosecond counts (count name "ns") are shown as durations: three
 * significant digits, rounded half up, in ns, us, ms or s; whole
 * nanoseconds under 1000 ns and whole seconds from 1000 s.
 */
TEST(render_titles_durations)
{
	static const struct {
		const char *count, *shown;
	} cases[] = {
		{ "7", "7 ns" }, { "950", "950 ns" }, { "999", "999 ns" },
		{ "1000", "1.00 us" }, { "12345", "12.3 us" }, { "12350", "12.4 us" },
		{ "123449", "123 us" }, { "999499", "999 us" },
		{ "999500", "1.00 ms" },	/* the carry moves to the next unit */
		{ "600123456", "600 ms" }, { "1799999999", "1.80 s" },
		{ "999499999999", "999 s" }, { "999500000000", "1,000 s" },
		{ "3600499999999", "3,600 s" }, { "3600500000000", "3,601 s" },
		{ "99999999500000000", "100,000,000 s" },
	};
	struct fg_buf in = FG_BUF_INIT;
	struct svg_opts o;
	char *doc, *want;
	size_t i;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.min_width = 0;
	o.count_name = "ns";
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		fg_buf_addf(&in, "f%02zu %s\n", i, cases[i].count);
	doc = render_opts(in.buf, in.len, &o, &ret);
	CHECK(!ret);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		want = xstrfmt("<title>f%02zu (%s, ", i, cases[i].shown);
		CHECK(has(doc, want));
		free(want);
	}
	/* the root too: 100,009,201,902,273,552 ns */
	CHECK(has(doc, "<title>all (100,009,202 s, 100%)</title>"));
	free(doc);

	/* a share of a wall-clock graph, as the README shows it */
	doc = render_str("main;sleep_part 600120000\nmain;work 1200240000\n", &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>sleep_part (600 ms, 33.33%)</title>"));
	CHECK(has(doc, "<title>main (1.80 s, 100.00%)</title>"));
	free(doc);

	/* differential: the delta stays a percentage */
	doc = render_str("m;a 1000 2500\n", &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>a (2.50 us, 100.00%; +60.00%)</title>"));
	free(doc);
	fg_buf_release(&in);
}

/* Only "ns" itself: other count names keep the counts as they are. */
TEST(render_titles_durations_only_ns)
{
	static const char *const names[] = { "samples", "nanoseconds", "NS", "ns ", "us" };
	struct svg_opts o;
	char *doc;
	size_t i;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *want = xstrfmt("<title>a (12,345 %s, 100.00%%)</title>", names[i]);

		o.count_name = names[i];
		doc = render_str("a 12345\n", &o, &ret);
		CHECK(!ret);
		CHECK(has(doc, want));
		free(want);
		free(doc);
	}
}

/*
 * With --factor the duration is of the scaled count, rounded once: 2469
 * halved is 1234.5 ns, 1.23 us (rounding it to 1235 ns first would make
 * 1.24 us); 1999 halved is 999.5 ns, 1.00 us; 1997 halved, 999 ns.
 */
TEST(render_titles_durations_factor)
{
	struct svg_opts o;
	char *doc;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.min_width = 0;
	o.count_name = "ns";
	o.factor = 0.5;
	doc = render_str("a 2469\nb 1999\nc 1997\nd 3\n", &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>a (1.23 us, "));
	CHECK(has(doc, "<title>b (1.00 us, "));
	CHECK(has(doc, "<title>c (999 ns, "));
	CHECK(has(doc, "<title>d (2 ns, "));
	CHECK(has(doc, "<title>all (3.23 us, 100%)</title>"));
	free(doc);
	/* 2469000 * 0.5 = 1234500: no fraction, the digits decide */
	doc = render_str("a 2469000\n", &o, &ret);
	CHECK(has(doc, "<title>a (1.23 ms, "));
	free(doc);
	/* a factor of 1e300: whole seconds, 301 digits of them */
	o.factor = 1e300;
	doc = render_str("a 1\n", &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>a (1,000,000,000,000,000,052,504,760,255,204,420,248,704,468,"));
	CHECK(has(doc, " s, 100.00%)</title>"));
	free(doc);
}

/* State frames drawn in io's blues in a whole document, other frames not. */
TEST(render_offcpu_state_colours)
{
	struct svg_opts o;
	char *doc, *f;
	unsigned r, g, b;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	o.count_name = "ns";
	doc = render_str("main;lock;[futex] 3000000\nmain;work 1000000\n", &o, &ret);
	CHECK(!ret);
	f = fill_of(doc, "[futex]");
	CHECK(f && sscanf(f, "fill=\"rgb(%u,%u,%u)\"", &r, &g, &b) == 3);
	CHECK(f && r == g && r >= 80 && r <= 140 && b >= 190);
	free(f);
	f = fill_of(doc, "work");
	CHECK(f && sscanf(f, "fill=\"rgb(%u,%u,%u)\"", &r, &g, &b) == 3);
	CHECK(f && r >= 205 && b <= 55);	/* hot */
	free(f);
	CHECK(has(doc, "<title>[futex] (3.00 ms, 75.00%)</title>"));
	free(doc);
}

/*
 * A differential table for the verdict tests: hot grew and cold shrank,
 * same and other changed too (by their own deltas), leaf_[k] and both_[k]
 * are annotated.
 */
static const char verdict_text[] =
	"main;hot 10 30\nmain;cold 30 10\nmain;same 20 25\nmain;other 20 15\n"
	"main;hot;leaf_[k] 5 10\nmain;both_[k] 4 8\n";

/* The frames of verdict_text, as the renderer drew them before verdicts existed. */
static const char verdict_frames_before[] =
	"<svg id=\"frames\" x=\"10\" width=\"1180\" total_samples=\"98\">"
	"<g><title>both (8 samples, 8.16%; +4.08%)</title><rect x=\"0.0000%\" y=\"53\" width=\"8.1633%\" height=\"15\" fill=\"rgb(255,220,220)\" fg:x=\"0\" fg:w=\"8\"/><text x=\"0.2500%\" y=\"63.50\">both</text></g>"
	"<g><title>cold (10 samples, 10.20%; -20.41%)</title><rect x=\"8.1633%\" y=\"53\" width=\"10.2041%\" height=\"15\" fill=\"rgb(100,100,255)\" fg:x=\"8\" fg:w=\"10\"/><text x=\"8.4133%\" y=\"63.50\">cold</text></g>"
	"<g><title>hot (40 samples, 40.82%; +20.41%)</title><rect x=\"18.3673%\" y=\"53\" width=\"40.8163%\" height=\"15\" fill=\"rgb(255,100,100)\" fg:x=\"18\" fg:w=\"40\"/><text x=\"18.6173%\" y=\"63.50\">hot</text></g>"
	"<g><title>leaf (10 samples, 10.20%; +5.10%)</title><rect x=\"48.9796%\" y=\"37\" width=\"10.2041%\" height=\"15\" fill=\"rgb(255,212,212)\" fg:x=\"48\" fg:w=\"10\"/><text x=\"49.2296%\" y=\"47.50\">leaf</text></g>"
	"<g><title>other (15 samples, 15.31%; -5.10%)</title><rect x=\"59.1837%\" y=\"53\" width=\"15.3061%\" height=\"15\" fill=\"rgb(212,212,255)\" fg:x=\"58\" fg:w=\"15\"/><text x=\"59.4337%\" y=\"63.50\">other</text></g>"
	"<g><title>all (98 samples, 100%)</title><rect x=\"0.0000%\" y=\"85\" width=\"100.0000%\" height=\"15\" fill=\"rgb(250,250,250)\" fg:x=\"0\" fg:w=\"98\"/><text x=\"0.2500%\" y=\"95.50\">all</text></g>"
	"<g><title>main (98 samples, 100.00%; 0.00%)</title><rect x=\"0.0000%\" y=\"69\" width=\"100.0000%\" height=\"15\" fill=\"rgb(250,250,250)\" fg:x=\"0\" fg:w=\"98\"/><text x=\"0.2500%\" y=\"79.50\">main</text></g>"
	"<g><title>same (25 samples, 25.51%; +5.10%)</title><rect x=\"74.4898%\" y=\"53\" width=\"25.5102%\" height=\"15\" fill=\"rgb(255,212,212)\" fg:x=\"73\" fg:w=\"25\"/><text x=\"74.7398%\" y=\"63.50\">same</text></g></svg></svg>";

#define EM_DASH " \xe2\x80\x94 "
#define HOT_NOTE "total share 20.00% \xc2\xb1 0.21 \xe2\x86\x92 22.31% \xc2\xb1 0.18, " \
	"+2.31 points, p = 0.00004"

/* The verdicts of the tests below (the caller releases v). */
static void verdicts_fill(struct svg_verdicts *v)
{
	static const struct {
		const char *name;
		struct svg_verdict verdict;
	} rows[] = {
		{ "hot", { 1, 1.0, HOT_NOTE } },
		{ "cold", { -1, 0.0, "p < 0.01 & shrinking" } },
		{ "same", { 0, 0.8, "no significant change" } },
		{ "leaf", { 1, 0.5, NULL } },
		{ "both_[k]", { -1, 1.0, "by the full name" } },
		{ "both", { 1, 1.0, "by the plain name" } },
	};
	size_t i;

	svg_verdicts_init(v);
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		svg_verdicts_add(v, rows[i].name, strlen(rows[i].name), &rows[i].verdict);
}

/* The frames of a render of text with o (from "<svg id=\"frames\"" on), or "". */
static const char *frames_of(const char *doc)
{
	const char *p = doc ? strstr(doc, "<svg id=\"frames\"") : NULL;

	return p ? p : "";
}

/* Without verdicts, a differential graph is drawn exactly as before they existed. */
TEST(render_verdicts_none_unchanged)
{
	struct svg_opts o;
	char *doc;
	int ret;

	svg_opts_init(&o);
	o.no_javascript = 1;
	CHECK(o.verdicts == NULL);
	doc = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK_STREQ(frames_of(doc), verdict_frames_before);
	free(doc);
}

/*
 * With verdicts, a frame is coloured by its function's verdict, not by
 * its own delta: red or blue on the differential scale from 35% to all of
 * it as the strength goes from 0 to 1, the neutral white of a zero delta
 * for a function without a significant change or without a verdict; the
 * note ends the title. Only fills and titles change.
 */
TEST(render_verdicts_colours_titles)
{
	struct svg_verdicts v;
	struct svg_opts o;
	char *doc, *plain;
	int ret;

	verdicts_fill(&v);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.verdicts = &v;
	doc = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK(doc && sane(doc, strlen(doc)));
	CHECK(has(doc, "<g><title>hot (40 samples, 40.82%; +20.41%)" EM_DASH HOT_NOTE "</title><rect x=\"18.3673%\" y=\"53\" width=\"40.8163%\" height=\"15\" fill=\"rgb(255,100,100)\" fg:x=\"18\" fg:w=\"40\"/>"));
	/* strength 0: the weakest colour a significant change gets, escaped note */
	CHECK(has(doc, "<g><title>cold (10 samples, 10.20%; -20.41%)" EM_DASH "p &lt; 0.01 &amp; shrinking</title><rect x=\"8.1633%\" y=\"53\" width=\"10.2041%\" height=\"15\" fill=\"rgb(197,197,255)\""));
	/* sign 0 and no verdict: neutral, whatever their own delta */
	CHECK(has(doc, "<g><title>same (25 samples, 25.51%; +5.10%)" EM_DASH "no significant change</title><rect x=\"74.4898%\" y=\"53\" width=\"25.5102%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	CHECK(has(doc, "<g><title>other (15 samples, 15.31%; -5.10%)</title><rect x=\"59.1837%\" y=\"53\" width=\"15.3061%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	CHECK(has(doc, "<g><title>main (98 samples, 100.00%; 0.00%)</title><rect x=\"0.0000%\" y=\"69\" width=\"100.0000%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	CHECK(has(doc, "<g><title>all (98 samples, 100%)</title><rect x=\"0.0000%\" y=\"85\" width=\"100.0000%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	/* leaf_[k] has no verdict of its own: leaf's, which has no note */
	CHECK(has(doc, "<g><title>leaf (10 samples, 10.20%; +5.10%)</title><rect x=\"48.9796%\" y=\"37\" width=\"10.2041%\" height=\"15\" fill=\"rgb(255,148,148)\""));
	/* both_[k] has: it wins over both's */
	CHECK(has(doc, "<g><title>both (8 samples, 8.16%; +4.08%)" EM_DASH "by the full name</title><rect x=\"0.0000%\" y=\"53\" width=\"8.1633%\" height=\"15\" fill=\"rgb(100,100,255)\""));
	CHECK(!strstr(doc, "by the plain name"));
	/* the rest of the document is as without verdicts */
	o.verdicts = NULL;
	plain = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	CHECK(plain && !strncmp(doc, plain, (size_t)(frames_of(plain) - plain)));
	CHECK(!strcmp(strstr(doc, "same</text></g>"), strstr(plain, "same</text></g>")));
	free(plain);
	free(doc);

	/* --negate swaps the hues; the notes are the caller's, as they are */
	o.verdicts = &v;
	o.negate = 1;
	doc = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK(has(doc, "<title>hot (40 samples, 40.82%; -20.41%)" EM_DASH HOT_NOTE "</title><rect x=\"18.3673%\" y=\"53\" width=\"40.8163%\" height=\"15\" fill=\"rgb(100,100,255)\""));
	CHECK(has(doc, "<title>cold (10 samples, 10.20%; +20.41%)" EM_DASH "p &lt; 0.01 &amp; shrinking</title><rect x=\"8.1633%\" y=\"53\" width=\"10.2041%\" height=\"15\" fill=\"rgb(255,197,197)\""));
	CHECK(has(doc, "<title>leaf (10 samples, 10.20%; -5.10%)</title><rect x=\"48.9796%\" y=\"37\" width=\"10.2041%\" height=\"15\" fill=\"rgb(148,148,255)\""));
	CHECK(has(doc, "<title>both (8 samples, 8.16%; -4.08%)" EM_DASH "by the full name</title><rect x=\"0.0000%\" y=\"53\" width=\"8.1633%\" height=\"15\" fill=\"rgb(255,100,100)\""));
	CHECK(has(doc, "<title>same (25 samples, 25.51%; -5.10%)" EM_DASH "no significant change</title><rect x=\"74.4898%\" y=\"53\" width=\"25.5102%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	CHECK(has(doc, "<title>other (15 samples, 15.31%; +5.10%)</title><rect x=\"59.1837%\" y=\"53\" width=\"15.3061%\" height=\"15\" fill=\"rgb(250,250,250)\""));
	free(doc);
	svg_verdicts_release(&v);
}

/*
 * Verdicts are for differential graphs only; --color-diffusion still
 * wins over them for colours (the notes stay in the titles); a
 * --name-attr title gets the note too.
 */
TEST(render_verdicts_where_ignored)
{
	static const char text[] = "main;hot 30\nmain;cold 10\n";
	struct svg_verdicts v;
	struct svg_opts o;
	static const char *const names[] = { "all", "main", "hot", "cold", "same", "other", "leaf", "both" };
	struct fg_buf err = FG_BUF_INIT;
	char *doc, *plain, *f1, *f2;
	size_t i;
	int ret;

	verdicts_fill(&v);
	svg_opts_init(&o);
	o.no_javascript = 1;
	o.deterministic = 1;
	plain = render_opts(text, sizeof(text) - 1, &o, &ret);
	o.verdicts = &v;
	doc = render_opts(text, sizeof(text) - 1, &o, &ret);
	CHECK(!ret);
	CHECK(doc && plain && !strcmp(doc, plain));
	free(doc);
	free(plain);

	o.verdicts = NULL;
	o.color_diffusion = 1;
	plain = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	o.verdicts = &v;
	doc = render_opts(verdict_text, sizeof(verdict_text) - 1, &o, &ret);
	CHECK(!ret);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		f1 = fill_of(doc, names[i]);
		f2 = fill_of(plain, names[i]);
		CHECK_STREQ(f1, f2);
		free(f1);
		free(f2);
	}
	f1 = fill_of(doc, "same");
	CHECK_STREQ(f1, "fill=\"rgb(255,174,174)\"");	/* by width, not neutral */
	free(f1);
	CHECK(has(doc, "<title>cold (10 samples, 10.20%; -20.41%)" EM_DASH "p &lt; 0.01"));
	free(doc);
	free(plain);

	o.color_diffusion = 0;
	doc = render_attrs_opts(verdict_text, "hot\ttitle=the <hot> one\n", 24, &o, &err);
	CHECK(has(doc, "<title>the &lt;hot&gt; one" EM_DASH HOT_NOTE "</title><rect x=\"18.3673%\" y=\"53\" width=\"40.8163%\" height=\"15\" fill=\"rgb(255,100,100)\""));
	CHECK(!err.len);
	free(doc);
	fg_buf_release(&err);
	svg_verdicts_release(&v);
}

/* Adding a verdict for a name again replaces it; names are any bytes. */
TEST(verdicts_add_replace_find)
{
	struct svg_verdicts v;
	struct svg_verdict in = { 1, 0.25, NULL };
	const struct svg_verdict *got;
	char note[] = "first";

	svg_verdicts_init(&v);
	CHECK(svg_verdicts_find(&v, "f", 1) == NULL);
	in.note = note;
	svg_verdicts_add(&v, "f", 1, &in);
	note[0] = 'F';		/* the note was copied */
	got = svg_verdicts_find(&v, "f", 1);
	CHECK(got && got->sign == 1 && got->strength == 0.25 && got->note != note);
	CHECK(got && got->note && !strcmp(got->note, "first"));

	in.sign = -1;
	in.strength = 0.75;
	in.note = "second";
	svg_verdicts_add(&v, "f", 1, &in);
	CHECK(v.nr == 1 && v.names.nr == 1);
	got = svg_verdicts_find(&v, "f", 1);
	CHECK(got && got->sign == -1 && got->strength == 0.75);
	CHECK(got && got->note && !strcmp(got->note, "second"));
	in.sign = 0;
	in.note = NULL;
	svg_verdicts_add(&v, "f", 1, &in);
	got = svg_verdicts_find(&v, "f", 1);
	CHECK(got && got->sign == 0 && got->note == NULL);

	/* missing names, prefixes, and names with NUL bytes */
	svg_verdicts_add(&v, "g\0h", 3, &in);
	CHECK(v.nr == 2);
	CHECK(svg_verdicts_find(&v, "g\0h", 3) != NULL);
	CHECK(svg_verdicts_find(&v, "g", 1) == NULL);
	CHECK(svg_verdicts_find(&v, "ff", 2) == NULL);
	CHECK(svg_verdicts_find(&v, "", 0) == NULL);
	CHECK(svg_verdicts_find(&v, "missing", 7) == NULL);
	/* a frame's look-up: the full name, then the name without its annotation */
	svg_verdicts_add(&v, "k_[k]", 5, &in);
	CHECK(verdicts_find_frame(&v, "f_[k]", 5) == svg_verdicts_find(&v, "f", 1));
	CHECK(verdicts_find_frame(&v, "k_[k]", 5) == svg_verdicts_find(&v, "k_[k]", 5));
	CHECK(verdicts_find_frame(&v, "f_[x]", 5) == NULL);
	CHECK(verdicts_find_frame(&v, "k", 1) == NULL);
	svg_verdicts_release(&v);
	CHECK(v.nr == 0 && v.v == NULL && v.names.nr == 0);
	CHECK(svg_verdicts_find(&v, "f", 1) == NULL);
	svg_verdicts_release(&v);	/* twice is harmless */
}
