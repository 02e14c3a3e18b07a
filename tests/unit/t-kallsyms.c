#include "unit.h"
#include "../../lib/buf.h"
#include "../../profiler/kallsyms.h"

#include <fcntl.h>
#include <unistd.h>

/*
 * kallsyms_resolve() against kallsyms_load() + kallsyms_lookup() on
 * kallsyms-format files written here: both must name every address alike.
 */

static char *write_file(const struct fg_buf *b)
{
	char *path = xstrdup("/tmp/fg-kallsyms.XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, b->buf, b->len) != (ssize_t)b->len)
		unit_fail(__FILE__, __LINE__, "cannot write %s", path);
	if (fd >= 0)
		close(fd);
	return path;
}

/* Resolve addrs both ways and compare; returns the resolved names' table. */
static void check_both_ways(const char *path, const uint64_t *addrs, size_t n)
{
	struct kallsyms *whole = kallsyms_load(path), *some;
	const char **names = xcalloc(n, sizeof(*names));
	size_t i;

	some = kallsyms_resolve(path, addrs, n, names);
	for (i = 0; i < n; i++) {
		const char *want = kallsyms_lookup(whole, addrs[i]);

		if (!want || !names[i]) {
			if (want != names[i])
				unit_fail(__FILE__, __LINE__, "address %" PRIx64 ": %s != %s",
					  addrs[i], want ? want : "(null)",
					  names[i] ? names[i] : "(null)");
		} else {
			CHECK_STREQ(names[i], want);
		}
	}
	kallsyms_free(some);
	kallsyms_free(whole);
	free(names);
}

/* A kernel-like table: n text symbols 0x40 apart, data symbols between. */
static void kernel_table(struct fg_buf *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t a = 0xffffffff81000000ULL + i * 0x40;

		fg_buf_addf(b, "%016" PRIx64 " %c sym_%zu_with_a_longish_name\n", a,
			    i % 3 ? 't' : 'T', i);
		if (i % 7 == 0)
			fg_buf_addf(b, "%016" PRIx64 " d data_%zu\n", a + 8, i);
		if (i % 11 == 0)	/* an alias at the same address */
			fg_buf_addf(b, "%016" PRIx64 " t alias_%zu\n", a, i);
	}
	fg_buf_addf(b, "%016" PRIx64 " t mod_func\t[some_module]\n",
		    (uint64_t)0xffffffffc0000000ULL);
}

TEST(kallsyms_resolve_names_like_a_whole_load)
{
	struct fg_buf b = FG_BUF_INIT;
	uint64_t addrs[64];
	char *path;
	size_t i;

	kernel_table(&b, 20000);	/* about 1 MB: many read chunks */
	path = write_file(&b);
	addrs[0] = 0x1000;				/* below every symbol */
	addrs[1] = 0xffffffff81000000ULL;		/* the first one */
	addrs[2] = 0xffffffff81000000ULL + 11 * 0x40;	/* an alias */
	addrs[3] = 0xffffffff81000000ULL + 7 * 0x40 + 9;	/* after a data symbol */
	addrs[4] = 0xffffffffc0000010ULL;		/* in the module */
	addrs[5] = 0xffffffffffff0000ULL;		/* past the last */
	addrs[6] = addrs[3];				/* twice */
	for (i = 7; i < ARRAY_SIZE(addrs); i++)		/* spread, out of order */
		addrs[i] = 0xffffffff81000000ULL + ((i * 7919) % 20000) * 0x40 + i % 0x40;
	check_both_ways(path, addrs, ARRAY_SIZE(addrs));
	{
		const char *name;
		struct kallsyms *k = kallsyms_resolve(path, &addrs[4], 1, &name);

		CHECK_STREQ(name, "mod_func");
		kallsyms_free(k);
	}
	unlink(path);
	free(path);
	fg_buf_release(&b);
}

TEST(kallsyms_resolve_out_of_order_and_odd_files)
{
	struct fg_buf b = FG_BUF_INIT;
	uint64_t addrs[] = { 0xffffffff81000010ULL, 0xffffffff82000010ULL, 5 };
	const char *names[3];
	struct kallsyms *k;
	char *path;
	size_t i;

	/* not in address order: the whole table is loaded and sorted */
	fg_buf_addstr(&b, "ffffffff82000000 T second\n"
			  "ffffffff81000000 T first\n");
	path = write_file(&b);
	check_both_ways(path, addrs, ARRAY_SIZE(addrs));
	k = kallsyms_resolve(path, addrs, 2, names);
	CHECK_STREQ(names[0], "first");
	CHECK_STREQ(names[1], "second");
	kallsyms_free(k);
	unlink(path);
	free(path);

	/* hidden addresses (all zero), junk lines, no final newline */
	fg_buf_reset(&b);
	fg_buf_addstr(&b, "0000000000000000 T hidden\nnot a line\n\n"
			  "ffffffff81000000 T last");
	path = write_file(&b);
	check_both_ways(path, addrs, ARRAY_SIZE(addrs));
	k = kallsyms_resolve(path, addrs, 3, names);
	CHECK_STREQ(names[0], "last");
	CHECK(!names[2]);
	kallsyms_free(k);
	unlink(path);
	free(path);

	/* a line longer than the read buffer */
	fg_buf_reset(&b);
	fg_buf_addstr(&b, "ffffffff81000000 T ");
	for (i = 0; i < 70000; i++)
		fg_buf_addch(&b, 'x');
	fg_buf_addstr(&b, "\nffffffff82000000 T after\n");
	path = write_file(&b);
	check_both_ways(path, addrs, ARRAY_SIZE(addrs));
	unlink(path);
	free(path);

	/* no file, no addresses */
	k = kallsyms_resolve("/nonexistent/kallsyms", addrs, 3, names);
	CHECK(!names[0] && !names[1] && !names[2]);
	kallsyms_free(k);
	k = kallsyms_resolve(NULL, addrs, 0, names);
	kallsyms_free(k);
	fg_buf_release(&b);
}

TEST(kallsyms_resolve_the_running_kernel)
{
	/* whatever this kernel shows (names, or zeros when hidden) */
	uint64_t addrs[16];
	struct kallsyms *k = kallsyms_load(NULL);
	size_t i, n = kallsyms_count(k);

	kallsyms_free(k);
	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		addrs[i] = 0xffffffff81000000ULL + i * 0x12345;
	if (n)
		check_both_ways(NULL, addrs, ARRAY_SIZE(addrs));
}
