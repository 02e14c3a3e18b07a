#include "unit.h"
#include "../../lib/buf.h"
#include "../../profiler/jitmap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * JIT names: perf map lines and jitdump records, the later entry winning
 * where code was replaced, and the files that must not be read.
 */

static char *write_tmp(const void *data, size_t len)
{
	char *path = xstrdup("/tmp/fg-jitmap.XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		unit_fail(__FILE__, __LINE__, "cannot write %s", path);
	if (fd >= 0)
		close(fd);
	return path;
}

TEST(perf_map_lines)
{
	const char *text =
		"7f0000001000 40 JS:*work /tmp/w.js:1:14\n"
		"0x7f0000002000 0x10 LazyCompile:~init\r\n"
		"not a line\n"
		"7f0000003000 zz bad size\n"
		"7f0000004000 8\n"				/* no name */
		"7f0000001010 8 JS:*inner replaced later\n";	/* overlaps work */
	char *path = write_tmp(text, strlen(text));
	struct fg_buf note = FG_BUF_INIT;
	struct jit_syms *j = jit_syms_new();

	CHECK(jit_syms_load_perf_map(j, path, &note) == 3);
	CHECK_STREQ(jit_syms_find(j, 0x7f0000001000), "JS:*work /tmp/w.js:1:14");
	CHECK_STREQ(jit_syms_find(j, 0x7f000000103f), "JS:*work /tmp/w.js:1:14");
	CHECK(!jit_syms_find(j, 0x7f0000001040));
	/* the entry read last wins where both cover pc */
	CHECK_STREQ(jit_syms_find(j, 0x7f0000001014), "JS:*inner replaced later");
	CHECK_STREQ(jit_syms_find(j, 0x7f0000002008), "LazyCompile:~init");
	CHECK(!jit_syms_find(j, 0x7f0000004000));
	CHECK(!note.len);
	jit_syms_free(j);
	unlink(path);
	free(path);
	fg_buf_release(&note);
}

TEST(perf_map_missing_fifo_and_foreign)
{
	struct fg_buf note = FG_BUF_INIT;
	struct jit_syms *j = jit_syms_new();
	char *path = xstrdup("/tmp/fg-jitmap-fifo.XXXXXX");
	int fd = mkstemp(path);

	CHECK(jit_syms_load_perf_map(j, "/nonexistent/perf-1.map", &note) == 0);
	CHECK(!note.len);
	/* a FIFO is noted, never waited on */
	close(fd);
	unlink(path);
	CHECK(!mkfifo(path, 0600));
	CHECK(jit_syms_load_perf_map(j, path, &note) == -1);
	CHECK(strstr(note.buf, "FIFO") != NULL);
	unlink(path);
	/* a map of another owner (as root, we can make one) is noted */
	if (geteuid() == 0) {
		char *p2 = write_tmp("1000 10 planted\n", 16);

		CHECK(!chown(p2, 65534, 65534));
		fg_buf_reset(&note);
		CHECK(jit_syms_load_perf_map(j, p2, &note) == -1);
		CHECK(strstr(note.buf, "belongs to another user") != NULL);
		CHECK(!jit_syms_find(j, 0x1000));
		unlink(p2);
		free(p2);
	}
	jit_syms_free(j);
	free(path);
	fg_buf_release(&note);
}

static void put32(struct fg_buf *b, uint32_t v)
{
	fg_buf_add(b, &v, 4);
}

static void put64(struct fg_buf *b, uint64_t v)
{
	fg_buf_add(b, &v, 8);
}

/* A jitdump code-load record of name, with code_size bytes of code. */
static void code_load(struct fg_buf *b, uint64_t addr, uint64_t size, const char *name)
{
	size_t total = 56 + strlen(name) + 1 + size, i;

	put32(b, 0);			/* JIT_CODE_LOAD */
	put32(b, (uint32_t)total);
	put64(b, 1);			/* timestamp */
	put32(b, 42);			/* pid */
	put32(b, 42);			/* tid */
	put64(b, addr);			/* vma */
	put64(b, addr);			/* code_addr */
	put64(b, size);
	put64(b, 7);			/* code_index */
	fg_buf_add(b, name, strlen(name) + 1);
	for (i = 0; i < size; i++)
		fg_buf_addch(b, 0x90);
}

TEST(jitdump_loads_and_moves)
{
	struct fg_buf b = FG_BUF_INIT, note = FG_BUF_INIT;
	struct jit_syms *j = jit_syms_new();
	char *path;

	put32(&b, 0x4A695444);		/* magic */
	put32(&b, 1);			/* version */
	put32(&b, 40);			/* header size */
	put32(&b, 62);			/* EM_X86_64 */
	put32(&b, 0);
	put32(&b, 42);			/* pid */
	put64(&b, 0);
	put64(&b, 0);
	code_load(&b, 0x5000, 0x20, "JS:*alpha a.js:1:1");
	code_load(&b, 0x6000, 0x10, "JS:*beta b.js:2:2");
	/* beta moves to 0x7000 */
	put32(&b, 1);
	put32(&b, 64);
	put64(&b, 2);
	put32(&b, 42);
	put32(&b, 42);
	put64(&b, 0x7000);
	put64(&b, 0x6000);		/* old */
	put64(&b, 0x7000);		/* new */
	put64(&b, 0x10);
	put64(&b, 8);
	/* a record cut short while written: the end */
	put32(&b, 0);
	put32(&b, 4096);
	path = write_tmp(b.buf, b.len);
	CHECK(jit_syms_load_jitdump(j, path, &note) == 3);
	CHECK_STREQ(jit_syms_find(j, 0x501f), "JS:*alpha a.js:1:1");
	CHECK_STREQ(jit_syms_find(j, 0x7008), "JS:*beta b.js:2:2");
	CHECK(!jit_syms_find(j, 0x5020));
	unlink(path);
	free(path);
	/* another byte order, or not a dump */
	{
		char other[48];

		memset(other, '.', sizeof(other));
		memcpy(other, "JiTD", 4);
		path = write_tmp(other, sizeof(other));
	}
	CHECK(jit_syms_load_jitdump(j, path, &note) == -1);
	CHECK(strstr(note.buf, "not a jitdump file") != NULL);
	unlink(path);
	free(path);
	jit_syms_free(j);
	fg_buf_release(&b);
	fg_buf_release(&note);
}

TEST(jitdump_path_names)
{
	CHECK(jit_is_dump_path("/home/u/jit-1234.dump"));
	CHECK(jit_is_dump_path("jit-7.dump"));
	CHECK(!jit_is_dump_path("/home/u/jit-.dump"));
	CHECK(!jit_is_dump_path("/home/u/jit-12a.dump"));
	CHECK(!jit_is_dump_path("/home/u/xjit-12.dump"));
	CHECK(!jit_is_dump_path("/home/u/jit-12.dump.old"));
}
