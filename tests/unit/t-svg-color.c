/*
 * Unit tests for svg/color.c: palettes, parameters, scale, frames, palette
 * map, verdicts.
 */
#include "unit.h"
#include "../../svg/color-internal.h"
#include "../../profiler/offcpu.h"

#include <math.h>

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

/*
 * The colours of every palette for a few names, as the renderer gave them
 * before the palettes became a table: deterministic, hash and random
 * parameters (one generator through the whole table) for each name.
 */
static const struct {
	enum svg_palette pal;
	uint32_t rgb[4][3];
} known_colours[] = {
	{ PAL_HOT, {
		{ 0xee1c2f, 0xf7532e, 0xe30007 }, { 0xe80e05, 0xf6852d, 0xd90018 },
		{ 0xe69a35, 0xf16827, 0xddc136 }, { 0xceb725, 0xffe637, 0xf8d406 } } },
	{ PAL_AQUA, {
		{ 0x39abab, 0x47b8b8, 0x43b5b5 }, { 0x35a8a8, 0x54c4c4, 0x53c3c3 },
		{ 0x5ac9c9, 0x4dbdbd, 0x5bcbcb }, { 0x61d0d0, 0x6edcdc, 0x38aaaa } } },
	{ PAL_BLUE, {
		{ 0x5757d3, 0x6565df, 0x5858d3 }, { 0x5353d0, 0x7272ea, 0x6f6fe7 },
		{ 0x7878ee, 0x6b6be3, 0x8b8bfe }, { 0x7f7ff4, 0x8c8cff, 0x8282f7 } } },
	{ PAL_GREEN, {
		{ 0x39ce39, 0x47db47, 0x37cc37 }, { 0x35cb35, 0x54e754, 0x63f463 },
		{ 0x5aec5a, 0x4de04d, 0x68f968 }, { 0x61f361, 0x6eff6e, 0x45d945 } } },
	{ PAL_IO, {
		{ 0x5757ed, 0x6565ec, 0x5555ec }, { 0x5353c3, 0x7272eb, 0x5858e7 },
		{ 0x7878f3, 0x6b6be5, 0x8484ed }, { 0x7f7fe3, 0x8c8cf5, 0x5656c3 } } },
	{ PAL_JAVA, {
		{ 0xce3b3b, 0xdb4f4f, 0xcf3d3d }, { 0xb2b233, 0xcece3d, 0xdada41 },
		{ 0x5aec5a, 0x4de04d, 0x33c933 }, { 0xf37171, 0xff8282, 0xcc3838 } } },
	{ PAL_JS, {
		{ 0xce3b3b, 0xdb4f4f, 0xe75f5f }, { 0xb2b233, 0xcece3d, 0xb6b634 },
		{ 0xec6767, 0xe05656, 0xe25858 }, { 0xf37171, 0xff8282, 0xee6969 } } },
	{ PAL_MEM, {
		{ 0x00e919, 0x00e84c, 0x00ea87 }, { 0x00c30d, 0x00e779, 0x00ea20 },
		{ 0x00ee8c, 0x00e25f, 0x00d45e }, { 0x00e0a7, 0x00f0d2, 0x00c650 } } },
	{ PAL_ORANGE, {
		{ 0xc56100, 0xd57100, 0xf18d00 }, { 0xc25e00, 0xe37f00, 0xf49000 },
		{ 0xe98500, 0xdb7700, 0xd57100 }, { 0xf18d00, 0xff9b00, 0xc86400 } } },
	{ PAL_PERL, {
		{ 0xce3b3b, 0xdb4f4f, 0xc83333 }, { 0xb2b233, 0xcece3d, 0xdddd42 },
		{ 0xec6767, 0xe05656, 0xf06c6c }, { 0xf37171, 0xff8282, 0xf37171 } } },
	{ PAL_PYTHON, {
		{ 0xce3b3b, 0xdb4f4f, 0xd64747 }, { 0xcb3737, 0xe76060, 0xd84a4a },
		{ 0xec6767, 0xe05656, 0xde5252 }, { 0xf37171, 0xff8282, 0xe35a5a } } },
	{ PAL_PURPLE, {
		{ 0xc557c5, 0xd565d5, 0xf886f8 }, { 0xc253c2, 0xe372e3, 0xd969d9 },
		{ 0xe978e9, 0xdb6bdb, 0xe574e5 }, { 0xf17ff1, 0xff8cff, 0xf481f4 } } },
	{ PAL_RED, {
		{ 0xce3b3b, 0xdb4f4f, 0xd64747 }, { 0xcb3737, 0xe76060, 0xce3b3b },
		{ 0xec6767, 0xe05656, 0xd03e3e }, { 0xf37171, 0xff8282, 0xfb7c7c } } },
	{ PAL_RUST, {
		{ 0xb5b534, 0xc2c239, 0xcccc3c }, { 0xc25e00, 0xe37f00, 0xe58100 },
		{ 0xd3d33f, 0xc7c73b, 0xd1d13e }, { 0xdada41, 0xe6e646, 0xcbcb3c } } },
	{ PAL_WAKEUP, {
		{ 0x39abab, 0x47b8b8, 0x58c8c8 }, { 0x35a8a8, 0x54c4c4, 0x47b8b8 },
		{ 0x5ac9c9, 0x4dbdbd, 0x35a7a7 }, { 0x61d0d0, 0x6edcdc, 0x32a5a5 } } },
	{ PAL_YELLOW, {
		{ 0xb5b534, 0xc2c239, 0xbaba36 }, { 0xb2b233, 0xcece3d, 0xb1b132 },
		{ 0xd3d33f, 0xc7c73b, 0xe5e545 }, { 0xdada41, 0xe6e646, 0xd2d23e } } },
};

TEST(palette_colours_unchanged)
{
	static const char *const names[] = { "main", "core::ptr::drop", "java/lang/Object", "" };
	struct color_rng rng;
	size_t i, n;

	color_rng_init(&rng);
	for (i = 0; i < ARRAY_SIZE(known_colours); i++) {
		enum svg_palette p = known_colours[i].pal;

		for (n = 0; n < ARRAY_SIZE(names); n++) {
			const char *s = names[n];
			size_t len = strlen(s);

			CHECK_U64EQ(color_pack(color_for_name(p, 0, 1, s, len, NULL)),
				    known_colours[i].rgb[n][0]);
			CHECK_U64EQ(color_pack(color_for_name(p, 1, 0, s, len, NULL)),
				    known_colours[i].rgb[n][1]);
			CHECK_U64EQ(color_pack(color_for_name(p, 0, 0, s, len, &rng)),
				    known_colours[i].rgb[n][2]);
		}
	}
}

TEST(from_hex)
{
	struct color_rgb c = color_from_hex("#0aFf80");

	CHECK(c.r == 10 && c.g == 255 && c.b == 128);
	c = color_from_hex("#0aFf8");
	CHECK(c.r == 0 && c.g == 0 && c.b == 0);
	c = color_from_hex("0aFf801");
	CHECK(c.r == 0 && c.g == 0 && c.b == 0);
}

TEST(frame_rules)
{
	struct svg_palette_map pm;
	struct color_state cs;
	struct svg_opts o;
	struct color_rgb c;
	uint64_t before;

	svg_opts_init(&o);
	o.deterministic = 1;
	color_state_init(&cs, &o, 10);
	c = color_frame(&cs, "--", 2, 50, 0, 0, 0, NULL);
	CHECK(c.r == 160 && c.g == 160 && c.b == 160);
	c = color_frame(&cs, "-", 1, 50, 0, 0, 0, NULL);
	CHECK(c.r == 200 && c.g == 200 && c.b == 200);
	/* the palette colour otherwise */
	CHECK(color_pack(color_frame(&cs, "main", 4, 50, 0, 0, 0, NULL)) ==
	      color_pack(color_for_name(PAL_HOT, 0, 1, "main", 4, NULL)));
	/* differential: the scale against delta_max, its sign flipped by --negate */
	c = color_frame(&cs, "main", 4, 50, 1, 10, 0, NULL);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	o.negate = 1;
	c = color_frame(&cs, "main", 4, 50, 1, 10, 0, NULL);
	CHECK(c.r == 100 && c.g == 100 && c.b == 255);
	/* diffusion: by width, before the differential colours */
	o.color_diffusion = 1;
	c = color_frame(&cs, "main", 4, 100, 1, 10, 0, NULL);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	c = color_frame(&cs, "main", 4, 0, 1, 10, 0, NULL);
	CHECK(c.r == 250 && c.g == 250 && c.b == 250);
	/* the palette map: its colour for names it has, new names added */
	o.color_diffusion = 0;
	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, "main->rgb(1,2,3)\n", 17);
	o.palette_map = &pm;
	c = color_frame(&cs, "main", 4, 50, 0, 0, 0, NULL);
	CHECK(c.r == 1 && c.g == 2 && c.b == 3);
	before = pm.names.nr;
	c = color_frame(&cs, "other", 5, 50, 0, 0, 0, NULL);
	CHECK_U64EQ(pm.names.nr, before + 1);
	CHECK(strmap_get(&pm.names, "other", 5) &&
	      strmap_get(&pm.names, "other", 5)->val == color_pack(c));
	/* the grey frames are not entered */
	color_frame(&cs, "-", 1, 50, 0, 0, 0, NULL);
	CHECK_U64EQ(pm.names.nr, before + 1);
	svg_palette_map_release(&pm);
}

TEST(palette_map_roundtrip)
{
	static const char in[] =
		"zeta->rgb(1, 2, 3)\nbad line\nfoo->bar->rgb(1,2,3)\n->rgb(255,255,255)\n"
		"over->rgb(256,0,0)\nalpha->rgb(10,20,30)\nalpha->rgb(10,20,31)";
	struct svg_palette_map pm;
	struct strmap_entry *e;
	char *out = NULL;
	size_t size = 0;
	FILE *f;
	int created;

	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, in, sizeof(in) - 1);
	CHECK_U64EQ(pm.names.nr, 3);
	e = strmap_get(&pm.names, "zeta", 4);
	CHECK(e && e->val == ((1u << 16) | (2u << 8) | 3u));
	CHECK(strmap_get(&pm.names, "", 0) != NULL);
	e = strmap_put(&pm.names, "mid", 3, &created);
	CHECK(created);
	e->val = color_pack((struct color_rgb){ 4, 5, 6 });
	f = open_memstream(&out, &size);
	svg_palette_map_write(&pm, f);
	fclose(f);
	/* sorted by name, the last line for a name winning */
	CHECK_STREQ(out, "->rgb(255,255,255)\nalpha->rgb(10,20,31)\nmid->rgb(4,5,6)\n"
		    "zeta->rgb(1,2,3)\n");
	svg_palette_map_release(&pm);
	CHECK_U64EQ(pm.names.nr, 0);
	/* nothing is an empty map, written as nothing */
	svg_palette_map_parse(&pm, "", 0);
	CHECK_U64EQ(pm.names.nr, 0);
	free(out);
	out = NULL;
	f = open_memstream(&out, &size);
	svg_palette_map_write(&pm, f);
	fclose(f);
	CHECK(out && !*out);
	free(out);
	svg_palette_map_release(&pm);
}

/* Is c one of the io palette's blues: r = g in 80..140, b in 190..245? */
static int io_blue(struct color_rgb c)
{
	return c.r == c.g && c.r >= 80 && c.r <= 140 && c.b >= 190 && c.b <= 245;
}

/* The frames off-CPU stacks end in take io's colours, whatever the palette. */
TEST(frame_offcpu_states_io_blue)
{
	struct color_state cs;
	struct svg_opts o;
	struct color_rgb c;
	size_t p, i;

	svg_opts_init(&o);
	o.deterministic = 1;
	color_state_init(&cs, &o, 10);
	for (p = 0; svg_palette_names[p]; p++) {
		o.palette = (enum svg_palette)p;
		for (i = 0; i < OFFCPU_NSTATES; i++) {
			const char *s = offcpu_state_name((enum offcpu_state)i);

			c = color_frame(&cs, s, strlen(s), 50, 0, 0, 0, NULL);
			CHECK_U64EQ(color_pack(c),
				    color_pack(color_for_name(PAL_IO, 0, 1, s, strlen(s), NULL)));
			CHECK(io_blue(c));
		}
		/* other names keep the palette's colour */
		CHECK_U64EQ(color_pack(color_frame(&cs, "main", 4, 50, 0, 0, 0, NULL)),
			    color_pack(color_for_name(o.palette, 0, 1, "main", 4, NULL)));
	}
	o.palette = PAL_HOT;
	CHECK(!io_blue(color_frame(&cs, "main", 4, 50, 0, 0, 0, NULL)));
	/* only the names themselves: not a function named like a state */
	CHECK_U64EQ(color_pack(color_frame(&cs, "[futex]x", 8, 50, 0, 0, 0, NULL)),
		    color_pack(color_for_name(PAL_HOT, 0, 1, "[futex]x", 8, NULL)));
	CHECK_U64EQ(color_pack(color_frame(&cs, "futex", 5, 50, 0, 0, 0, NULL)),
		    color_pack(color_for_name(PAL_HOT, 0, 1, "futex", 5, NULL)));
	CHECK_U64EQ(color_pack(color_frame(&cs, "[futex", 6, 50, 0, 0, 0, NULL)),
		    color_pack(color_for_name(PAL_HOT, 0, 1, "[futex", 6, NULL)));
	/* each state a blue of its own, as names differ in any palette */
	CHECK(color_pack(color_frame(&cs, "[futex]", 7, 50, 0, 0, 0, NULL)) !=
	      color_pack(color_frame(&cs, "[sleep]", 7, 50, 0, 0, 0, NULL)));
	/* --hash: the io colour of the name's hash */
	o.deterministic = 0;
	o.hash = 1;
	CHECK_U64EQ(color_pack(color_frame(&cs, "[io]", 4, 50, 0, 0, 0, NULL)),
		    color_pack(color_for_name(PAL_IO, 1, 0, "[io]", 4, NULL)));
}

/*
 * The default generator gives a state frame its three draws as it gives
 * any frame: the frames after it keep the colours they had.
 */
TEST(frame_offcpu_states_random_sequence)
{
	static const char *const names[] = { "main", "[futex]", "work", "[poll]", "idle" };
	struct color_state cs;
	struct color_rng rng;
	struct svg_opts o;
	size_t i;

	svg_opts_init(&o);
	o.palette = PAL_RUST;
	color_state_init(&cs, &o, 0);
	color_rng_init(&rng);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		size_t len = strlen(names[i]);
		enum svg_palette p = names[i][0] == '[' ? PAL_IO : PAL_RUST;

		CHECK_U64EQ(color_pack(color_frame(&cs, names[i], len, 50, 0, 0, 0, NULL)),
			    color_pack(color_for_name(p, 0, 0, names[i], len, &rng)));
	}
}

/*
 * Where colours mean something else (before/after, width) states get no
 * blue of their own; a colour the palette map holds for a state wins, and
 * a state new to the map is entered with its blue.
 */
TEST(frame_offcpu_states_exceptions)
{
	struct svg_palette_map pm;
	struct color_state cs;
	struct svg_opts o;
	struct color_rgb c;
	struct strmap_entry *e;

	svg_opts_init(&o);
	o.deterministic = 1;
	color_state_init(&cs, &o, 10);
	c = color_frame(&cs, "[futex]", 7, 50, 1, 10, 0, NULL);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	c = color_frame(&cs, "[futex]", 7, 50, 1, 0, 0, NULL);
	CHECK(c.r == 250 && c.g == 250 && c.b == 250);
	o.color_diffusion = 1;
	c = color_frame(&cs, "[futex]", 7, 100, 0, 0, 0, NULL);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	o.color_diffusion = 0;

	svg_palette_map_init(&pm);
	svg_palette_map_parse(&pm, "[futex]->rgb(200,10,20)\n", 24);
	o.palette_map = &pm;
	c = color_frame(&cs, "[futex]", 7, 50, 0, 0, 0, NULL);
	CHECK(c.r == 200 && c.g == 10 && c.b == 20);
	c = color_frame(&cs, "[sleep]", 7, 50, 0, 0, 0, NULL);
	CHECK(io_blue(c));
	e = strmap_get(&pm.names, "[sleep]", 7);
	CHECK(e && e->val == color_pack(c));
	c = color_frame(&cs, "main", 4, 50, 0, 0, 0, NULL);
	CHECK_U64EQ(color_pack(c), color_pack(color_for_name(PAL_HOT, 0, 1, "main", 4, NULL)));
	CHECK_U64EQ(pm.names.nr, 3);
	svg_palette_map_release(&pm);
}

/*
 * Verdicts: with o->verdicts set, a differential frame takes the colour
 * of its verdict (from 35% of the scale's strongest colour at strength 0
 * to all of it at 1), a frame without a significant change the colour of
 * a zero delta; frames of other graphs, the grey frames and
 * --color-diffusion are as without verdicts.
 */
TEST(frame_verdicts)
{
	struct svg_verdicts v;
	struct svg_verdict grew = { 1, 1.0, NULL }, shrank = { -1, 0.0, NULL };
	struct svg_verdict none = { 0, 1.0, "n" }, odd = { 7, 2.5, NULL };
	struct svg_verdict nan = { -3, NAN, NULL }, half = { 1, 0.5, NULL };
	struct color_state cs;
	struct svg_opts o;
	struct color_rgb c, neutral = color_scale(0, 0, 1);

	CHECK(neutral.r == 250 && neutral.g == 250 && neutral.b == 250);
	svg_verdicts_init(&v);
	svg_opts_init(&o);
	o.deterministic = 1;
	o.verdicts = &v;
	color_state_init(&cs, &o, 10);
	c = color_frame(&cs, "f", 1, 50, 1, 10, 1, &grew);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	c = color_frame(&cs, "f", 1, 50, 1, 10, 0, &shrank);
	CHECK(c.r == 197 && c.g == 197 && c.b == 255);
	c = color_frame(&cs, "f", 1, 50, 1, 10, 0, &half);
	CHECK(c.r == 255 && c.g == 148 && c.b == 148);
	/* out of range: clamped, any sign counts as its sign, NaN as 0 */
	c = color_frame(&cs, "f", 1, 50, 1, 0, 0, &odd);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	c = color_frame(&cs, "f", 1, 50, 1, 0, 0, &nan);
	CHECK(c.r == 197 && c.g == 197 && c.b == 255);
	/* neutral: sign 0, or no verdict, whatever the delta */
	CHECK_U64EQ(color_pack(color_frame(&cs, "f", 1, 50, 1, 10, 0, &none)), color_pack(neutral));
	CHECK_U64EQ(color_pack(color_frame(&cs, "f", 1, 50, 1, 10, 1, NULL)), color_pack(neutral));
	/* --negate swaps the hues */
	o.negate = 1;
	c = color_frame(&cs, "f", 1, 50, 1, 10, 0, &grew);
	CHECK(c.r == 100 && c.g == 100 && c.b == 255);
	c = color_frame(&cs, "f", 1, 50, 1, 10, 0, &shrank);
	CHECK(c.r == 255 && c.g == 197 && c.b == 197);
	CHECK_U64EQ(color_pack(color_frame(&cs, "f", 1, 50, 1, 10, 0, &none)), color_pack(neutral));
	o.negate = 0;
	/* not differential: the palette */
	CHECK_U64EQ(color_pack(color_frame(&cs, "main", 4, 50, 0, 0, 0, &grew)),
		    color_pack(color_for_name(PAL_HOT, 0, 1, "main", 4, NULL)));
	/* grey frames and diffusion first */
	c = color_frame(&cs, "-", 1, 50, 1, 10, 0, &grew);
	CHECK(c.r == 200 && c.g == 200 && c.b == 200);
	o.color_diffusion = 1;
	c = color_frame(&cs, "f", 1, 100, 1, 10, 0, NULL);
	CHECK(c.r == 255 && c.g == 100 && c.b == 100);
	o.color_diffusion = 0;
	/* without verdicts the frame's verdict is not looked at */
	o.verdicts = NULL;
	c = color_frame(&cs, "f", 1, 50, 1, 5, 1, &grew);
	CHECK_U64EQ(color_pack(c), color_pack(color_scale(5, 1, 10)));
	svg_verdicts_release(&v);
}
