#include "unit.h"
#include "../../profiler/speedscope.h"
#include "../../lib/error.h"

#include <cjson/cJSON.h>

static const struct profile_value_type two[] = {
	{ "samples", "count" }, { "cpu", "nanoseconds" },
};

/*
 * Is s (len bytes) well-formed UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF)?
 */
static int is_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n, k;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			n = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + n > len)
			return 0;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

/*
 * Write p with speedscope_write() and parse the result; NULL (and a
 * failed check) when the writer fails or the text is not JSON. The text
 * itself is checked too: UTF-8, and no raw control byte but newlines.
 */
static cJSON *write_and_parse(struct profile *p, int value, const char *name)
{
	struct fg_buf err = FG_BUF_INIT;
	char *text = NULL;
	size_t size = 0, i;
	FILE *f = open_memstream(&text, &size);
	cJSON *root;
	int ret;

	ret = speedscope_write(p, value, name, f, &err);
	fclose(f);
	CHECK(ret == 0);
	CHECK_STREQ(err.buf, "");
	fg_buf_release(&err);
	CHECK(is_utf8((const unsigned char *)text, size));
	for (i = 0; i < size; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			break;
	CHECK_U64EQ(i, size);
	root = ret ? NULL : cJSON_ParseWithLength(text, size);
	if (!root)
		unit_fail(__FILE__, __LINE__, "not JSON:\n%s", text);
	free(text);
	return root;
}

static const cJSON *item(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = item(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A number of the document as a uint64_t; UINT64_MAX when not a number. */
static uint64_t num(const cJSON *obj, const char *key)
{
	const cJSON *v = item(obj, key);

	return cJSON_IsNumber(v) ? (uint64_t)v->valuedouble : UINT64_MAX;
}

static const cJSON *profile_at(const cJSON *root, int i)
{
	return cJSON_GetArrayItem(item(root, "profiles"), i);
}

/*
 * Sample i of profile prof as its frames' names joined by ';', outermost
 * first ("?BAD" for an index that is not a frame).
 */
static char *sample_names(const cJSON *root, const cJSON *prof, int i)
{
	const cJSON *frames = item(item(root, "shared"), "frames");
	const cJSON *stack = cJSON_GetArrayItem(item(prof, "samples"), i), *f;
	struct fg_buf b = FG_BUF_INIT;

	cJSON_ArrayForEach(f, stack) {
		const cJSON *frame = cJSON_IsNumber(f) ?
			cJSON_GetArrayItem(frames, f->valueint) : NULL;
		const char *name = frame ? str(frame, "name") : NULL;

		if (b.len)
			fg_buf_addch(&b, ';');
		fg_buf_addstr(&b, name ? name : "?BAD");
	}
	return fg_buf_detach(&b, NULL);
}

/* Every sample of prof as "names weight\n" lines. */
static char *samples_text(const cJSON *root, const cJSON *prof)
{
	const cJSON *weights = item(prof, "weights");
	struct fg_buf b = FG_BUF_INIT;
	int i, n = cJSON_GetArraySize(item(prof, "samples"));

	CHECK(n == cJSON_GetArraySize(weights));
	for (i = 0; i < n; i++) {
		char *names = sample_names(root, prof, i);
		const cJSON *w = cJSON_GetArrayItem(weights, i);

		fg_buf_addf(&b, "%s %.0f\n", names, cJSON_IsNumber(w) ? w->valuedouble : -1.0);
		free(names);
	}
	return fg_buf_detach(&b, NULL);
}

/* The frame named name (the first), or NULL. */
static const cJSON *frame_named(const cJSON *root, const char *name)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, item(item(root, "shared"), "frames")) {
		const char *n = str(f, "name");

		if (n && !strcmp(n, name))
			return f;
	}
	return NULL;
}

static int count_frames_named(const cJSON *root, const char *name)
{
	const cJSON *f;
	int n = 0;

	cJSON_ArrayForEach(f, item(item(root, "shared"), "frames")) {
		const char *s = str(f, "name");

		n += s && !strcmp(s, name);
	}
	return n;
}

TEST(speedscope_document_threads_and_inline_frames)
{
	struct profile p;
	struct profile_line inl[2] = {
		{ "inner", NULL, "/src/inner.h", 7, 0 }, { "outer(int, char)", NULL, "/src/a.c", 40, 0 },
	};
	struct profile_line other = { "outer(int, char)", NULL, "/src/a.c", 31, 0 };
	struct profile_line main_line = { "main", "main", "/src/a.c", 90, 0 };
	uint32_t ids[4], s1, s2, t1, t2, m;
	uint64_t v1[2] = { 1, 1000 }, v2[2] = { 3, 2500 };
	const cJSON *prof, *f;
	cJSON *root;
	char *got;

	profile_init(&p, two, 2);
	m = profile_add_mapping(&p, "/usr/lib/libx.so", NULL, 0, 0x1000, 0x2000, 0);
	ids[0] = profile_add_location(&p, m + 1, 0x10, &main_line, 1);
	ids[1] = profile_add_location(&p, m + 1, 0x20, inl, 2);
	ids[2] = profile_add_location(&p, m + 1, 0x30, NULL, 0);
	s1 = profile_stack(&p, ids, 3);
	ids[1] = profile_add_location(&p, m + 1, 0x40, &other, 1);
	ids[2] = profile_add_location(&p, 0, 0, NULL, 0);
	s2 = profile_stack(&p, ids, 3);
	t1 = profile_thread(&p, 7, 7, "my prog", 7) + 1;
	t2 = profile_thread(&p, 7, 8, "worker", 6) + 1;
	CHECK(!profile_add(&p, s1, t2, v1));
	CHECK(!profile_add(&p, s1, t1, v1));
	CHECK(!profile_add(&p, s2, t1, v2));
	CHECK(!profile_add(&p, s1, t1, v1));

	root = write_and_parse(&p, 1, "prog --arg");
	CHECK(root != NULL);
	if (!root)
		goto out;
	CHECK_STREQ(str(root, "$schema"), "https://www.speedscope.app/file-format-schema.json");
	CHECK_STREQ(str(root, "name"), "prog --arg");
	CHECK_STREQ(str(root, "exporter"), "flamegraph");
	CHECK_U64EQ(num(root, "activeProfileIndex"), 0);
	CHECK(cJSON_GetArraySize(item(root, "profiles")) == 2);

	/* threads in the order first seen, each its own samples in order */
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "type"), "sampled");
	CHECK_STREQ(str(prof, "name"), "my prog (7)");
	CHECK_STREQ(str(prof, "unit"), "nanoseconds");
	CHECK_U64EQ(num(prof, "startValue"), 0);
	CHECK_U64EQ(num(prof, "endValue"), 4500);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;outer;inner;[libx.so] 2000\n"
			 "main;outer;[unknown] 2500\n");
	free(got);
	prof = profile_at(root, 1);
	CHECK_STREQ(str(prof, "name"), "worker (8)");
	CHECK_U64EQ(num(prof, "endValue"), 1000);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;outer;inner;[libx.so] 1000\n");
	free(got);

	/* one frame per function and file, with its lowest line */
	CHECK(cJSON_GetArraySize(item(item(root, "shared"), "frames")) == 5);
	CHECK(count_frames_named(root, "outer") == 1);
	f = frame_named(root, "outer");
	CHECK_STREQ(str(f, "file"), "/src/a.c");
	CHECK_U64EQ(num(f, "line"), 31);
	f = frame_named(root, "inner");
	CHECK_STREQ(str(f, "file"), "/src/inner.h");
	CHECK_U64EQ(num(f, "line"), 7);
	f = frame_named(root, "[libx.so]");
	CHECK(f && !item(f, "file") && !item(f, "line"));
	cJSON_Delete(root);

	/* counts: unit "none" */
	root = write_and_parse(&p, 0, "prog");
	CHECK(root != NULL);
	if (!root)
		goto out;
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "unit"), "none");
	CHECK_U64EQ(num(prof, "endValue"), 5);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;outer;inner;[libx.so] 2\n"
			 "main;outer;[unknown] 3\n");
	free(got);
	cJSON_Delete(root);
out:
	profile_release(&p);
}

TEST(speedscope_same_name_in_two_files_is_two_frames)
{
	struct profile p;
	struct profile_line a = { "helper", NULL, "/src/a.c", 3, 0 };
	struct profile_line b = { "helper", NULL, "/src/b.c", 5, 0 };
	struct profile_line c = { "helper", NULL, NULL, 0, 0 };
	uint32_t ids[3], s, t;
	uint64_t v[2] = { 1, 1 };
	cJSON *root;

	profile_init(&p, two, 2);
	ids[0] = profile_add_location(&p, 0, 0, &a, 1);
	ids[1] = profile_add_location(&p, 0, 0, &b, 1);
	ids[2] = profile_add_location(&p, 0, 0, &c, 1);
	s = profile_stack(&p, ids, 3);
	t = profile_thread(&p, 1, 1, "x", 1) + 1;
	CHECK(!profile_add(&p, s, t, v));
	root = write_and_parse(&p, 0, "x");
	CHECK(root && count_frames_named(root, "helper") == 3);
	cJSON_Delete(root);
	profile_release(&p);
}

TEST(speedscope_timeline_in_time_order_per_thread)
{
	struct profile p;
	uint32_t a, b, c, t1, t2, t3;
	/* (time, stack, thread, samples, cpu ns) */
	struct { uint64_t time; int stack, thread; uint64_t n, ns; } ev[] = {
		{ 1000, 0, 2, 1, 100 },
		{ 1500, 1, 1, 1, 200 },
		{ 2000, 0, 2, 1, 300 },
		{ 2500, 2, 1, 1, 400 },
		{ 2600, 2, 1, 1, 0 },	/* no CPU time: left out of "cpu" */
		{ 3000, 1, 1, 1, 500 },
		{ 3500, 1, 2, 1, 600 },
		{ 4000, 0, 3, 0, 0 },	/* counts nothing: kept, as folding keeps it */
	};
	uint32_t stacks[3];
	size_t i;
	const cJSON *prof;
	cJSON *root;
	char *got;

	profile_init(&p, two, 2);
	profile_keep_timeline(&p);
	a = profile_text_stack(&p, "main;A", 6);
	b = profile_text_stack(&p, "main;B", 6);
	c = profile_text_stack(&p, "main;B;C", 8);
	stacks[0] = a;
	stacks[1] = b;
	stacks[2] = c;
	/* thread ids in an order that is not the order of the events */
	t1 = profile_thread(&p, 5, 6, "fg-worker", 9) + 1;
	t2 = profile_thread(&p, 5, 5, "fg-main", 7) + 1;
	t3 = profile_thread(&p, 5, 9, "", 0) + 1;
	for (i = 0; i < ARRAY_SIZE(ev); i++) {
		uint64_t v[2] = { ev[i].n, ev[i].ns };
		uint32_t th = ev[i].thread == 1 ? t1 : ev[i].thread == 2 ? t2 : t3;

		CHECK(!profile_add_at(&p, ev[i].time, stacks[ev[i].stack], th, v));
	}

	root = write_and_parse(&p, 1, "fixture");
	CHECK(root != NULL);
	if (!root)
		goto out;
	CHECK(cJSON_GetArraySize(item(root, "profiles")) == 3);
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "name"), "fg-worker (6)");
	CHECK_U64EQ(num(prof, "startValue"), 500);
	CHECK_U64EQ(num(prof, "endValue"), 500 + 200 + 400 + 500);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;B 200\nmain;B;C 400\nmain;B 500\n");
	free(got);
	prof = profile_at(root, 1);
	CHECK_STREQ(str(prof, "name"), "fg-main (5)");
	CHECK_U64EQ(num(prof, "startValue"), 0);
	CHECK_U64EQ(num(prof, "endValue"), 1000);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;A 100\nmain;A 300\nmain;B 600\n");
	free(got);
	prof = profile_at(root, 2);
	CHECK_STREQ(str(prof, "name"), "[unknown] (9)");
	CHECK_U64EQ(num(prof, "startValue"), 3000);
	CHECK_U64EQ(num(prof, "endValue"), 3000);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;A 0\n");
	free(got);
	cJSON_Delete(root);

	/* counts: the zero-CPU sample is back; times are not counts, start 0 */
	root = write_and_parse(&p, 0, "fixture");
	CHECK(root != NULL);
	if (!root)
		goto out;
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "unit"), "none");
	CHECK_U64EQ(num(prof, "startValue"), 0);
	CHECK_U64EQ(num(prof, "endValue"), 4);
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;B 1\nmain;B;C 1\nmain;B;C 1\nmain;B 1\n");
	free(got);
	cJSON_Delete(root);
out:
	profile_release(&p);
}

TEST(speedscope_spilled_timeline_and_large_weights)
{
	struct profile p;
	uint32_t s[2], t[2];
	uint64_t i, n = 50000, bad = 0;
	const cJSON *prof, *w;
	cJSON *root;

	profile_init(&p, two, 2);
	profile_keep_timeline(&p);
	p.timeline->mem_limit = 4096;	/* read back from the spill file */
	s[0] = profile_text_stack(&p, "a;b", 3);
	s[1] = profile_text_stack(&p, "a;c", 3);
	t[0] = profile_thread(&p, 1, 1, "one", 3) + 1;
	t[1] = profile_thread(&p, 1, 2, "two", 3) + 1;
	for (i = 0; i < n; i++) {
		/* weights past 32 bits */
		uint64_t v[2] = { 1, (i + 1) << 33 };

		CHECK(!profile_add_at(&p, 1000 + i, s[i % 3 == 0], t[i & 1], v));
	}
	CHECK(p.timeline->spilled > 0);
	root = write_and_parse(&p, 1, "big");
	CHECK(root != NULL);
	if (!root)
		goto out;
	prof = profile_at(root, 1);
	CHECK_STREQ(str(prof, "name"), "two (2)");
	CHECK_U64EQ(num(prof, "startValue"), 1);
	CHECK(cJSON_GetArraySize(item(prof, "samples")) == (int)(n / 2));
	i = 1;
	cJSON_ArrayForEach(w, item(prof, "weights")) {
		if ((uint64_t)w->valuedouble != (i + 1) << 33)
			bad++;
		i += 2;
	}
	CHECK_U64EQ(bad, 0);
	cJSON_Delete(root);
out:
	profile_release(&p);
}

TEST(speedscope_text_stacks_one_profile_named_after_the_input)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct profile p;
	uint64_t n1 = 1, n2 = 2;
	const cJSON *prof;
	cJSON *root;
	char *got;

	profile_init(&p, &one, 1);
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;foo(int);bar", 17), 0, &n2));
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;;bar", 9), 0, &n1));
	CHECK(!profile_add(&p, profile_text_stack(&p, "main;foo(int);bar", 17), 0, &n1));
	root = write_and_parse(&p, 0, "stacks.folded");
	CHECK(root != NULL);
	if (!root)
		goto out;
	CHECK(cJSON_GetArraySize(item(root, "profiles")) == 1);
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "name"), "stacks.folded");
	CHECK_U64EQ(num(prof, "endValue"), 4);
	/* names as given: the argument list stays, empty frames stay */
	got = samples_text(root, prof);
	CHECK_STREQ(got, "main;foo(int);bar 3\nmain;;bar 1\n");
	free(got);
	CHECK(cJSON_GetArraySize(item(item(root, "shared"), "frames")) == 4);
	cJSON_Delete(root);
out:
	profile_release(&p);
}

TEST(speedscope_hostile_names_stay_valid_json)
{
	static const struct profile_value_type one = { "samples", "count" };
	/* a text input's names are kept as given: every byte must be escaped */
	static const char text[] = "q\"uo\\te;ctl\x01\x1f\t\n\x7f;bad\xff\xc3(;"
				   "sur\xed\xa0\x80;over\xc0\xaf;trunc\xe6\x97;ok \xc3\xa9\xe6\x97\xa5";
	struct profile p;
	struct profile_line l = { "tidy\x02\"\\name(int)", NULL, "/src/\x01\xfe.c", 3, 0 };
	uint64_t n1 = 1;
	uint32_t t, loc;
	const cJSON *prof, *f;
	cJSON *root;
	char *got;

	profile_init(&p, &one, 1);
	t = profile_thread(&p, 3, 4, "th\"r\x05\xff", 6) + 1;
	CHECK(!profile_add(&p, profile_text_stack(&p, text, sizeof(text) - 1), t, &n1));
	loc = profile_add_location(&p, 0, 0, &l, 1);
	CHECK(!profile_add(&p, profile_stack(&p, &loc, 1), t, &n1));
	root = write_and_parse(&p, 0, "name \"\x1b[31m\xf5");
	CHECK(root != NULL);
	if (!root)
		goto out;
	CHECK_STREQ(str(root, "name"), "name \"\x1b[31m\xef\xbf\xbd");
	prof = profile_at(root, 0);
	CHECK_STREQ(str(prof, "name"), "th\"r\x05\xef\xbf\xbd (4)");
	got = sample_names(root, prof, 0);
	CHECK_STREQ(got, "q\"uo\\te;ctl\x01\x1f\t\n\x7f;bad\xef\xbf\xbd\xef\xbf\xbd(;"
			 "sur\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd;"
			 "over\xef\xbf\xbd\xef\xbf\xbd;trunc\xef\xbf\xbd;ok \xc3\xa9\xe6\x97\xa5");
	free(got);
	/* a native name is tidied as folding tidies it; its file kept, escaped */
	got = sample_names(root, prof, 1);
	CHECK_STREQ(got, "tidy?\"\\name");
	free(got);
	f = frame_named(root, "tidy?\"\\name");
	CHECK_STREQ(str(f, "file"), "/src/\x01\xef\xbf\xbd.c");
	cJSON_Delete(root);
out:
	profile_release(&p);
}

TEST(speedscope_empty_profile_and_write_errors)
{
	static const struct profile_value_type one = { "samples", "count" };
	struct fg_buf err = FG_BUF_INIT;
	struct profile p;
	const cJSON *prof;
	cJSON *root;
	uint64_t n1 = 1;
	FILE *full;

	profile_init(&p, &one, 1);
	root = write_and_parse(&p, 0, NULL);
	CHECK(root != NULL);
	if (root) {
		CHECK(cJSON_GetArraySize(item(root, "profiles")) == 1);
		prof = profile_at(root, 0);
		CHECK_STREQ(str(prof, "name"), "profile");
		CHECK(cJSON_GetArraySize(item(prof, "samples")) == 0);
		CHECK_U64EQ(num(prof, "endValue"), 0);
		cJSON_Delete(root);
	}

	CHECK(!profile_add(&p, profile_text_stack(&p, "a;b", 3), 0, &n1));
	full = fopen("/dev/full", "w");
	if (full) {
		CHECK(speedscope_write(&p, 0, "x", full, &err) == -FG_ERR_IO);
		CHECK(strstr(err.buf, "cannot write the speedscope profile: ") == err.buf);
		fclose(full);
	}
	fg_buf_release(&err);
	profile_release(&p);
}
