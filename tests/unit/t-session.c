/*
 * Unit tests of the session (profiler/session.c) on synthetic records: the
 * processes, threads and mappings it keeps, the profile it fills, and the
 * views written from it. The code the samples point at is this test's own
 * (its executable mapping, as /proc/self/maps shows it), so names come from
 * a real ELF file with symbols; kernel names come from a small kallsyms
 * file the test writes.
 */
#include "unit.h"
#include "../../lib/buf.h"
#include "../../profiler/session.h"

#include <unistd.h>

/* Code for samples to point at: distinct, not inlined, not folded. */
static volatile int sink;

__attribute__((noinline)) void t_session_leaf(void);
__attribute__((noinline)) void t_session_caller(void);

__attribute__((noinline)) void t_session_leaf(void)
{
	int i;

	for (i = 0; i < 16; i++)
		sink += i;
}

__attribute__((noinline)) void t_session_caller(void)
{
	int i;

	for (i = 0; i < 16; i++) {
		t_session_leaf();
		sink ^= i;
	}
}

static const struct perf_format fmt = {
	.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
		       PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_PERIOD,
};

/* Feed one record built in b (header first) to the session. */
static void feed(struct session *s, struct fg_buf *b)
{
	CHECK(session_record(s, &fmt, (const struct perf_event_header *)(void *)b->buf) == 0);
}

static void put_header(struct fg_buf *b, uint32_t type, uint16_t misc)
{
	struct perf_event_header h = { type, misc, 0 };

	fg_buf_reset(b);
	fg_buf_add(b, &h, sizeof(h));
}

/* Pad to 8 bytes and set the header's size. */
static void finish(struct fg_buf *b)
{
	while (b->len & 7)
		fg_buf_addch(b, 0);
	((struct perf_event_header *)(void *)b->buf)->size = (uint16_t)b->len;
}

static void put32(struct fg_buf *b, uint32_t v)
{
	fg_buf_add(b, &v, 4);
}

static void put64(struct fg_buf *b, uint64_t v)
{
	fg_buf_add(b, &v, 8);
}

static void comm(struct session *s, uint32_t pid, uint32_t tid, const char *name,
		 int exec)
{
	struct fg_buf b = FG_BUF_INIT;

	put_header(&b, PERF_RECORD_COMM, exec ? PERF_RECORD_MISC_COMM_EXEC : 0);
	put32(&b, pid);
	put32(&b, tid);
	fg_buf_add(&b, name, strlen(name) + 1);
	finish(&b);
	feed(s, &b);
	fg_buf_release(&b);
}

static void fork_rec(struct session *s, uint32_t pid, uint32_t ppid)
{
	struct fg_buf b = FG_BUF_INIT;

	put_header(&b, PERF_RECORD_FORK, 0);
	put32(&b, pid);
	put32(&b, ppid);
	put32(&b, pid);
	put32(&b, ppid);
	put64(&b, 0);
	finish(&b);
	feed(s, &b);
	fg_buf_release(&b);
}

static void mmap_rec(struct session *s, uint32_t pid, uint64_t addr, uint64_t len,
		     uint64_t pgoff, const char *path)
{
	struct fg_buf b = FG_BUF_INIT;

	put_header(&b, PERF_RECORD_MMAP, 0);
	put32(&b, pid);
	put32(&b, pid);
	put64(&b, addr);
	put64(&b, len);
	put64(&b, pgoff);
	fg_buf_add(&b, path, strlen(path) + 1);
	finish(&b);
	feed(s, &b);
	fg_buf_release(&b);
}

/* A sample of (pid, tid) with n callchain entries, innermost first. */
static void sample(struct session *s, uint32_t pid, uint32_t tid, uint64_t period,
		   const uint64_t *chain, size_t n)
{
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	put_header(&b, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put64(&b, n > 1 ? chain[1] : 0);	/* ip */
	put32(&b, pid);
	put32(&b, tid);
	put64(&b, 1000);			/* time */
	put64(&b, period);
	put64(&b, n);
	for (i = 0; i < n; i++)
		put64(&b, chain[i]);
	finish(&b);
	feed(s, &b);
	fg_buf_release(&b);
}

/* The executable mapping of this test (from /proc/self/maps) holding addr. */
static int own_mapping(uint64_t addr, uint64_t *start, uint64_t *end, uint64_t *off,
		       char *path, size_t size)
{
	char line[4096];
	FILE *fp = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!fp)
		return 0;
	while (!found && fgets(line, sizeof(line), fp)) {
		unsigned long long s0, e0, o0;
		char perms[8];
		int n = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &s0, &e0, perms, &o0, &n) < 4)
			continue;
		if (addr < s0 || addr >= e0 || perms[2] != 'x')
			continue;
		while (line[n] == ' ')
			n++;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, size, "%s", line + n);
		*start = s0;
		*end = e0;
		*off = o0;
		found = 1;
	}
	fclose(fp);
	return found;
}

/* Folded text of the session's profile as view says, sorted. */
static char *folded(struct session *s, const struct profile_view *v)
{
	session_finish(s, NULL);
	return unit_fold(session_profile(s), v, UNIT_FOLD_SORTED);
}

struct fixture {
	char kallsyms[64];
	uint64_t start, end, off;
	char path[4096];
	uint64_t leaf, caller;	/* a pc in each, the caller's a return address */
	uint64_t user[3];	/* a user callchain, innermost first */
};

static int setup(struct fixture *f)
{
	int fd;
	static const char syms[] =
		"ffffffff81000000 T kernel_entry\n"
		"ffffffff81000100 T kernel_work\n"
		"ffffffff81000200 T kernel_end\n";

	snprintf(f->kallsyms, sizeof(f->kallsyms), "/tmp/t-session-ksyms.XXXXXX");
	fd = mkstemp(f->kallsyms);
	if (fd < 0 || write(fd, syms, sizeof(syms) - 1) != (ssize_t)sizeof(syms) - 1)
		return 0;
	close(fd);
	f->leaf = (uint64_t)(uintptr_t)&t_session_leaf + 4;
	f->caller = (uint64_t)(uintptr_t)&t_session_caller + 8;
	f->user[0] = (uint64_t)PERF_CONTEXT_USER;
	f->user[1] = f->leaf;
	f->user[2] = f->caller;
	return own_mapping(f->leaf, &f->start, &f->end, &f->off, f->path, sizeof(f->path)) &&
	       own_mapping(f->caller, &f->start, &f->end, &f->off, f->path, sizeof(f->path));
}

TEST(session_names_user_and_kernel_frames_by_thread)
{
	struct fixture f;
	struct session_opts so = { 0 };
	struct profile_view v = { 0 };
	struct session *s;
	const struct session_stats *st;
	const struct profile *p;
	char *out;
	uint64_t both[5];

	if (!setup(&f)) {
		CHECK(!"no executable mapping of the test found");
		return;
	}
	both[0] = (uint64_t)PERF_CONTEXT_KERNEL;
	both[1] = 0xffffffff81000110ULL;
	both[2] = (uint64_t)PERF_CONTEXT_USER;
	both[3] = f.leaf;
	both[4] = f.caller;
	so.kallsyms = f.kallsyms;
	s = session_new(&so);
	comm(s, 10, 10, "work", 1);
	mmap_rec(s, 10, f.start, f.end - f.start, f.off, f.path);
	comm(s, 10, 11, "helper thread", 0);
	sample(s, 10, 10, 1000, f.user, 3);
	sample(s, 10, 10, 1000, f.user, 3);
	sample(s, 10, 11, 3000, both, 5);

	out = folded(s, &v);
	CHECK_STREQ(out, "helper_thread;t_session_caller;t_session_leaf;kernel_work 1\n"
			 "work;t_session_caller;t_session_leaf 2\n");
	free(out);
	v.include_tid = 1;
	out = folded(s, &v);
	CHECK_STREQ(out, "helper_thread-10/11;t_session_caller;t_session_leaf;kernel_work 1\n"
			 "work-10/10;t_session_caller;t_session_leaf 2\n");
	free(out);
	/* the second value is the sum of the periods */
	v.include_tid = 0;
	v.value = 1;
	out = folded(s, &v);
	CHECK_STREQ(out, "helper_thread;t_session_caller;t_session_leaf;kernel_work 3000\n"
			 "work;t_session_caller;t_session_leaf 2000\n");
	free(out);

	p = session_profile(s);
	CHECK_STREQ(p->types[1].type, "cpu");
	CHECK_STREQ(p->types[1].unit, "nanoseconds");
	CHECK(p->nthreads == 2);
	CHECK(p->nstacks == 2);
	CHECK(p->nsamples == 2);
	{
		/* the user frames' mapping is this file, with its symbols */
		size_t n, k;
		const uint32_t *ids = profile_stack_ids(p, p->samples[0].stack, &n);
		const struct profile_location *l = &p->locations[ids[n - 1]];
		const struct profile_mapping *m;

		CHECK(n == 2);
		CHECK(l->mapping != 0);
		m = &p->mappings[l->mapping - 1];
		CHECK_STREQ(m->path, f.path);
		CHECK(m->has_symtab);
		CHECK(l->address < m->limit - m->start + m->offset + (1 << 20));
		for (k = 0; k < p->nmappings; k++)
			if (p->mappings[k].kernel)
				CHECK_STREQ(p->mappings[k].path, "[kernel.kallsyms]");
	}
	st = session_stats(s);
	CHECK_U64EQ(st->samples, 3);
	CHECK_U64EQ(st->processes, 1);
	CHECK_U64EQ(st->distinct_stacks, 2);
	/* the profile says how far its stacks were unwound */
	CHECK_U64EQ(p->meta.stacks_walked, st->user_unwound);
	CHECK_U64EQ(p->meta.stacks_complete, st->complete);
	CHECK(p->meta.stacks_walked == 3);
	session_free(s);
	unlink(f.kallsyms);
}

TEST(session_follows_fork_and_exec)
{
	struct fixture f;
	struct session_opts so = { 0 };
	struct profile_view v = { 0 };
	struct session *s;
	char *out;

	if (!setup(&f)) {
		CHECK(!"no executable mapping of the test found");
		return;
	}
	so.kallsyms = f.kallsyms;
	s = session_new(&so);
	comm(s, 20, 20, "parent", 1);
	mmap_rec(s, 20, f.start, f.end - f.start, f.off, f.path);
	/* the child starts with its parent's maps and name */
	fork_rec(s, 21, 20);
	sample(s, 21, 21, 1, f.user, 3);
	/* after exec its old maps are gone */
	comm(s, 21, 21, "exec'd", 1);
	sample(s, 21, 21, 1, f.user, 3);
	/* a process never seen: no name, no maps */
	sample(s, 99, 99, 1, f.user, 3);
	out = folded(s, &v);
	CHECK_STREQ(out, "[unknown];[unknown];[unknown] 1\n"
			 "exec'd;[unknown];[unknown] 1\n"
			 "parent;t_session_caller;t_session_leaf 1\n");
	free(out);
	CHECK_U64EQ(session_stats(s)->execs, 2);
	session_free(s);
	unlink(f.kallsyms);
}

TEST(session_skip_after_view_drops_callers_and_root)
{
	static const char *const skip[] = { "t_session_caller", NULL };
	struct fixture f;
	struct session_opts so = { 0 };
	struct profile_view v = { 0 };
	struct session *s;
	char *out;

	if (!setup(&f)) {
		CHECK(!"no executable mapping of the test found");
		return;
	}
	so.kallsyms = f.kallsyms;
	so.no_kernel = 1;
	s = session_new(&so);
	comm(s, 30, 30, "w", 1);
	mmap_rec(s, 30, f.start, f.end - f.start, f.off, f.path);
	sample(s, 30, 30, 1, f.user, 3);
	v.skip_after = skip;
	out = folded(s, &v);
	CHECK_STREQ(out, "t_session_caller;t_session_leaf 1\n");
	free(out);
	session_free(s);
	unlink(f.kallsyms);
}

/* Off-CPU records: a switch-out sample, and switch records, at a time. */
static const struct perf_format off_fmt = {
	.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
		       PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_PERIOD,
	.sample_id_all = 1,
	.off_cpu = 1,
};

static void off_sample(struct session *s, uint32_t pid, uint32_t tid, uint64_t time,
		       const uint64_t *chain, size_t n)
{
	struct fg_buf b = FG_BUF_INIT;
	size_t i;

	put_header(&b, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_KERNEL);
	put64(&b, n > 1 ? chain[1] : 0);
	put32(&b, pid);
	put32(&b, tid);
	put64(&b, time);
	put64(&b, 1);
	put64(&b, n);
	for (i = 0; i < n; i++)
		put64(&b, chain[i]);
	finish(&b);
	CHECK(session_record(s, &off_fmt, (const void *)b.buf) == 0);
	fg_buf_release(&b);
}

static void switch_rec(struct session *s, uint16_t misc, uint32_t pid, uint32_t tid,
		       uint64_t time)
{
	struct fg_buf b = FG_BUF_INIT;

	put_header(&b, PERF_RECORD_SWITCH, misc);
	put32(&b, pid);		/* the sample_id_all trailer: TID, TIME */
	put32(&b, tid);
	put64(&b, time);
	finish(&b);
	CHECK(session_record(s, &off_fmt, (const void *)b.buf) == 0);
	fg_buf_release(&b);
}

/*
 * A block weighs the time from the thread's switch-out sample to its
 * switch back in; preemptions are left out; a switch-out whose sample the
 * kernel dropped still counts, under an unknown stack; a thread still
 * blocked when the recording ends counts until then.
 */
TEST(session_off_cpu_blocks)
{
	struct fixture f;
	struct session_opts so = { 0 };
	struct profile_view v = { 0 };
	struct session *s;
	const struct session_stats *st;
	char *out;
	uint64_t both[5];

	if (!setup(&f)) {
		CHECK(!"no executable mapping of the test found");
		return;
	}
	both[0] = (uint64_t)PERF_CONTEXT_KERNEL;
	both[1] = 0xffffffff81000110ULL;
	both[2] = (uint64_t)PERF_CONTEXT_USER;
	both[3] = f.leaf;
	both[4] = f.caller;
	so.kallsyms = f.kallsyms;
	so.time = SESSION_OFF_CPU;
	s = session_new(&so);
	comm(s, 10, 10, "work", 1);
	mmap_rec(s, 10, f.start, f.end - f.start, f.off, f.path);
	comm(s, 10, 11, "helper", 0);
	/* a block of 4000 ns */
	off_sample(s, 10, 10, 1000, both, 5);
	switch_rec(s, PERF_RECORD_MISC_SWITCH_OUT, 10, 10, 1001);
	switch_rec(s, 0, 10, 10, 5000);
	/* its sample dropped: 1000 ns under an unknown stack */
	switch_rec(s, PERF_RECORD_MISC_SWITCH_OUT, 10, 10, 6000);
	switch_rec(s, 0, 10, 10, 7000);
	/* preempted: left out */
	off_sample(s, 10, 10, 8000, both, 5);
	switch_rec(s, PERF_RECORD_MISC_SWITCH_OUT | PERF_RECORD_MISC_SWITCH_OUT_PREEMPT,
		   10, 10, 8001);
	switch_rec(s, 0, 10, 10, 8500);
	/* still blocked at the end (9000 to 20000) */
	off_sample(s, 10, 11, 9000, f.user, 3);
	switch_rec(s, PERF_RECORD_MISC_SWITCH_OUT, 10, 11, 9001);
	/* a switch in without a block: nothing */
	switch_rec(s, 0, 10, 12, 9500);
	session_end_recording(s, 20000);

	v.value = 1;
	out = folded(s, &v);
	CHECK_STREQ(out, "helper;t_session_caller;t_session_leaf;[off-cpu] 11000\n"
			 "work;[unknown];[off-cpu] 1000\n"
			 "work;t_session_caller;t_session_leaf;kernel_work;[off-cpu] 4000\n");
	free(out);
	st = session_stats(s);
	CHECK_U64EQ(st->blocks, 3);
	CHECK_U64EQ(st->blocks_preempted, 1);
	CHECK_U64EQ(st->off_cpu_ns, 16000);
	CHECK_STREQ(session_profile(s)->types[1].type, "off-cpu");
	session_free(s);
	unlink(f.kallsyms);
}

/* Wall-clock time: CPU samples weigh their period, blocks their length. */
TEST(session_wall_clock)
{
	struct fixture f;
	struct session_opts so = { 0 };
	struct profile_view v = { 0 };
	struct perf_format cpu_fmt = off_fmt;
	struct fg_buf b = FG_BUF_INIT;
	struct session *s;
	const struct profile *p;
	char *out;
	size_t i;

	if (!setup(&f)) {
		CHECK(!"no executable mapping of the test found");
		return;
	}
	cpu_fmt.off_cpu = 0;
	so.kallsyms = f.kallsyms;
	so.time = SESSION_WALL;
	s = session_new(&so);
	comm(s, 10, 10, "work", 1);
	mmap_rec(s, 10, f.start, f.end - f.start, f.off, f.path);
	/* two CPU samples of 1000000 ns, then a block of 3000000 ns */
	for (i = 0; i < 2; i++) {
		put_header(&b, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
		put64(&b, f.leaf);
		put32(&b, 10);
		put32(&b, 10);
		put64(&b, 100 + i);
		put64(&b, 1000000);
		put64(&b, 3);
		put64(&b, f.user[0]);
		put64(&b, f.user[1]);
		put64(&b, f.user[2]);
		finish(&b);
		CHECK(session_record(s, &cpu_fmt, (const void *)b.buf) == 0);
	}
	fg_buf_release(&b);
	off_sample(s, 10, 10, 2000000, f.user, 3);
	switch_rec(s, PERF_RECORD_MISC_SWITCH_OUT, 10, 10, 2000001);
	switch_rec(s, 0, 10, 10, 5000000);
	p = session_profile(s);
	CHECK(p->ntypes == 4);
	CHECK_STREQ(p->types[3].type, "wall");
	v.value = 3;
	out = folded(s, &v);
	CHECK_STREQ(out, "work;t_session_caller;t_session_leaf 2000000\n"
			 "work;t_session_caller;t_session_leaf;[off-cpu] 3000000\n");
	free(out);
	v.value = 1;	/* cpu */
	out = folded(s, &v);
	CHECK_STREQ(out, "work;t_session_caller;t_session_leaf 2000000\n");
	free(out);
	v.value = 2;	/* off-cpu */
	out = folded(s, &v);
	CHECK_STREQ(out, "work;t_session_caller;t_session_leaf;[off-cpu] 3000000\n");
	free(out);
	session_free(s);
	unlink(f.kallsyms);
}
