/* Unit tests for svg/color.c: palettes, parameters, scale, palette map. */
#include "unit.h"
#include "../../svg/svg-internal.h"
#include "../../lib/error.h"

#include <unistd.h>

static enum svg_palette res(enum svg_palette p, const char *name)
{
	return color_resolve(p, name, strlen(name));
}

TEST(palette_names_and_parse)
{
	enum svg_palette p;
	size_t i;

	for (i = 0; svg_palette_names[i]; i++) {
		CHECK(!svg_palette_parse(svg_palette_names[i], &p));
		CHECK_U64EQ(p, i);
	}
	CHECK_U64EQ(i, 16);
	CHECK(!svg_palette_parse("rust", &p) && p == PAL_RUST);
	CHECK(svg_palette_parse("chain", &p) == -1);
}

TEST(bgcolor_and_color_check)
{
	struct svg_opts o;
	const char *a, *b;

	svg_opts_init(&o);
	CHECK(!svg_color_check("#e600e6"));
	CHECK(!svg_color_check("#ABCdef"));
	CHECK(svg_color_check("e600e6") == -1);
	CHECK(svg_color_check("#e600e") == -1);
	CHECK(svg_color_check("#e600eg") == -1);
	CHECK(svg_bgcolor_parse("purple", &o) == -1);
	CHECK(!svg_bgcolor_parse("#A0B0C0", &o));
	CHECK(o.bgcolor == BG_FLAT);
	color_background(&o, &a, &b);
	CHECK_STREQ(a, "#a0b0c0");
	CHECK_STREQ(b, "#a0b0c0");
	svg_opts_init(&o);
	color_background(&o, &a, &b);
	CHECK_STREQ(a, "#eeeeee");
	CHECK_STREQ(b, "#eeeeb0");
	o.palette = PAL_MEM;
	color_background(&o, &a, &b);
	CHECK_STREQ(b, "#e0ffe0");
	o.palette = PAL_WAKEUP;
	color_background(&o, &a, &b);
	CHECK_STREQ(b, "#e0e0ff");
	o.palette = PAL_AQUA;
	color_background(&o, &a, &b);
	CHECK_STREQ(a, "#f8f8f8");
	o.palette = PAL_RUST;
	color_background(&o, &a, &b);
	CHECK_STREQ(b, "#eeeeb0");
	CHECK(!svg_bgcolor_parse("grey", &o));
	color_background(&o, &a, &b);
	CHECK_STREQ(b, "#e8e8e8");
}

TEST(multi_palettes_resolve)
{
	/* java */
	CHECK(res(PAL_JAVA, "foo_[k]") == PAL_ORANGE);
	CHECK(res(PAL_JAVA, "_[j]_[i]") == PAL_AQUA);
	CHECK(res(PAL_JAVA, "foo_[j]") == PAL_GREEN);
	CHECK(res(PAL_JAVA, "Ljava/lang/Thread.run") == PAL_GREEN);
	CHECK(res(PAL_JAVA, "org.scalatest.Suit.run") == PAL_GREEN);
	CHECK(res(PAL_JAVA, "Compile") == PAL_GREEN);
	CHECK(res(PAL_JAVA, "JavaThread::run") == PAL_YELLOW);
	CHECK(res(PAL_JAVA, "-[NSObject init]") == PAL_YELLOW);
	CHECK(res(PAL_JAVA, "[test.event]") == PAL_RED);
	CHECK(res(PAL_JAVA, "Ljdk") == PAL_RED);
	CHECK(res(PAL_JAVA, "") == PAL_RED);
	/* js */
	CHECK(res(PAL_JS, "  ") == PAL_GREEN);
	CHECK(res(PAL_JS, "") == PAL_RED);
	CHECK(res(PAL_JS, "x_[k]") == PAL_ORANGE);
	CHECK(res(PAL_JS, "a/b_[j]") == PAL_GREEN);
	CHECK(res(PAL_JS, "ab_[j]") == PAL_AQUA);
	CHECK(res(PAL_JS, "v8::internal") == PAL_YELLOW);
	CHECK(res(PAL_JS, "LazyCompile:foo") == PAL_AQUA);
	CHECK(res(PAL_JS, "foo /app/node_modules/x.js") == PAL_PURPLE);
	CHECK(res(PAL_JS, "foo /app/main.js") == PAL_GREEN);
	CHECK(res(PAL_JS, "foo") == PAL_RED);
	/* perl */
	CHECK(res(PAL_PERL, "something_[k]") == PAL_ORANGE);
	CHECK(res(PAL_PERL, "Perl_runops") == PAL_GREEN);
	CHECK(res(PAL_PERL, "some/ai.pl") == PAL_GREEN);
	CHECK(res(PAL_PERL, "some::thing") == PAL_YELLOW);
	CHECK(res(PAL_PERL, "somethingpl") == PAL_RED);
	/* python */
	CHECK(res(PAL_PYTHON, "/usr/lib/python3/site-packages/x.py:f") == PAL_AQUA);
	CHECK(res(PAL_PYTHON, ".venv/lib/python3.9/time.py:12") == PAL_YELLOW);
	CHECK(res(PAL_PYTHON, "C:\\Python39\\lib\\x.py") == PAL_YELLOW);
	CHECK(res(PAL_PYTHON, "<built-in method time.sleep>") == PAL_YELLOW);
	CHECK(res(PAL_PYTHON, "<frozen importlib._bootstrap>") == PAL_YELLOW);
	CHECK(res(PAL_PYTHON, "/app/python3x/main.py") == PAL_RED);
	CHECK(res(PAL_PYTHON, "main.py:run") == PAL_RED);
	/* rust */
	CHECK(res(PAL_RUST, "core::ptr::drop_in_place") == PAL_ORANGE);
	CHECK(res(PAL_RUST, "<alloc::vec::Vec<T> as Drop>::drop") == PAL_ORANGE);
	CHECK(res(PAL_RUST, "<core::future::from_generator::GenFuture<T> as Future>::poll") == PAL_AQUA);
	CHECK(res(PAL_RUST, "libstd.so`std::rt::lang_start") == PAL_ORANGE);
	CHECK(res(PAL_RUST, "myapp::main") == PAL_AQUA);
	CHECK(res(PAL_RUST, "malloc") == PAL_YELLOW);
	/* wakeup and basic palettes */
	CHECK(res(PAL_WAKEUP, "x") == PAL_AQUA);
	CHECK(res(PAL_HOT, "x::y") == PAL_HOT);
}

static struct color_rgb det(enum svg_palette p, const char *name)
{
	return color_for_name(p, 0, 1, name, strlen(name), NULL);
}

TEST(basic_palette_ranges)
{
	struct color_rgb c;
	struct color_rng rng;
	int i;

	color_rng_init(&rng);
	for (i = 0; i < 200; i++) {
		c = color_for_name(PAL_HOT, 0, 0, "x", 1, &rng);
		CHECK(c.r >= 205 && c.g <= 230 && c.b <= 55);
		c = color_for_name(PAL_ORANGE, 0, 0, "x", 1, &rng);
		CHECK(c.r >= 190 && c.g >= 90 && c.g <= 155 && c.b == 0);
		c = color_for_name(PAL_AQUA, 0, 0, "x", 1, &rng);
		CHECK(c.g == c.b && c.r >= 50 && c.r <= 110);
	}
	c = det(PAL_MEM, "f");
	CHECK(c.r == 0 && c.g >= 190);
	c = det(PAL_YELLOW, "f");
	CHECK(c.r == c.g && c.b >= 50 && c.b <= 70);
	c = det(PAL_PURPLE, "f");
	CHECK(c.r == c.b && c.r >= 190);
	c = det(PAL_IO, "f");
	CHECK(c.r == c.g && c.b >= 190);
}

TEST(parameters_reproducible)
{
	struct color_rng a, b;
	struct color_rgb x, y;

	/* deterministic: a function of the name only */
	x = det(PAL_HOT, "main");
	y = det(PAL_HOT, "main");
	CHECK(color_pack(x) == color_pack(y));
	CHECK(color_pack(det(PAL_HOT, "main")) != color_pack(det(PAL_HOT, "mainx")));
	/* the default generator restarts at 1234: the same run gives the same colours */
	color_rng_init(&a);
	color_rng_init(&b);
	x = color_for_name(PAL_HOT, 0, 0, "a", 1, &a);
	y = color_for_name(PAL_HOT, 0, 0, "zzz", 3, &b);
	CHECK(color_pack(x) == color_pack(y));
	/* hash: the module prefix up to "`" is skipped (past the first char) */
	x = color_for_name(PAL_RED, 1, 0, "libc.so`abc", 11, NULL);
	y = color_for_name(PAL_RED, 1, 0, "xy`abc", 6, NULL);
	CHECK(color_pack(x) == color_pack(y));
	/* hash of "" is 1: the top of the range */
	x = color_for_name(PAL_RED, 1, 0, "", 0, NULL);
	CHECK(x.r == 255 && x.g == 130);
}

TEST(scale)
{
	struct color_rgb c;

	c = color_scale(0, 0, 10);
	CHECK(c.r == 250 && c.g == 250 && c.b == 250);
	c = color_scale(10, 0, 10);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	c = color_scale(5, 1, 10);
	CHECK(c.r == 175 && c.g == 175 && c.b == 255);
	c = color_scale(UINT64_MAX / 2, 0, UINT64_MAX);
	CHECK(c.r == 255 && c.g == 175);
}

TEST(palette_map_roundtrip)
{
	struct svg_strmap m;
	struct svg_strmap_entry *e;
	struct fg_buf err = FG_BUF_INIT;
	char path[] = "/tmp/t-svg-color-map.XXXXXX";
	FILE *f;
	char line[128];
	int fd = mkstemp(path), created;

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("zeta->rgb(1, 2, 3)\nbad line\nfoo->bar->rgb(1,2,3)\n->rgb(255,255,255)\n"
	      "over->rgb(256,0,0)\nalpha->rgb(10,20,30)\n", f);
	fclose(f);
	svg_strmap_init(&m);
	CHECK(!color_map_load(&m, path, &err));
	CHECK_U64EQ(m.nr, 3);
	e = svg_strmap_get(&m, "zeta", 4);
	CHECK(e && color_pack(color_unpack(e->val)) == ((1u << 16) | (2u << 8) | 3u));
	CHECK(svg_strmap_get(&m, "", 0) != NULL);
	e = svg_strmap_put(&m, "mid", 3, &created);
	CHECK(created);
	e->val = color_pack((struct color_rgb){ 4, 5, 6 });
	CHECK(!color_map_save(&m, path, &err));
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f) {
		CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "->rgb(255,255,255)\n"));
		CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "alpha->rgb(10,20,30)\n"));
		CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "mid->rgb(4,5,6)\n"));
		CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "zeta->rgb(1,2,3)\n"));
		CHECK(!fgets(line, sizeof(line), f));
		fclose(f);
	}
	unlink(path);
	svg_strmap_release(&m);
	/* a missing file is an empty map */
	svg_strmap_init(&m);
	CHECK(!color_map_load(&m, path, &err));
	CHECK_U64EQ(m.nr, 0);
	svg_strmap_release(&m);
	fg_buf_release(&err);
}
