#include "record.h"
#include "../lib/clock.h"
#include "../lib/defaults.h"
#include "../lib/intmap.h"
#include "arch.h"
#include "ordered.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Records the drainer has copied out of the rings and the main thread has
 * not taken yet, at most this many bytes: past it the drainer leaves the
 * rings alone (and the kernel counts what it drops) until the main thread
 * catches up.
 */
#define SPOOL_MAX_BYTES (512ULL << 20)

const char *const record_event_names[] = {
	"cpu-clock", "task-clock", "page-faults", "context-switches",
	"cycles", "instructions", "cache-misses", "branch-misses", NULL
};

struct event_def {
	const char *name;
	uint32_t type;
	uint64_t config;
	int sampled_by_freq;	/* software clocks and hardware counters */
};

static const struct event_def events[] = {
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 1 },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 1 },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0 },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, 0 },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 1 },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1 },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, 1 },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, 1 },
};

struct ring {
	int fd;
	int cpu;
	void *base;
	size_t size;		/* data area bytes (a power of two) */
	struct perf_event_mmap_page *meta;
	int hup;
};

/* A record copied out of a ring, with its time. */
struct spooled {
	uint64_t time;
	void *rec;
	size_t size;
};

/*
 * Two threads share the work while recording. The drainer empties the
 * rings as soon as the kernel wakes it, copying each record out (trimmed),
 * and decides when recording ends; the main thread takes the copies,
 * orders them by time and hands them to the callback, which unwinds and
 * may take a while (a first sample in a large binary loads its CFI). So a
 * slow callback, or a busy machine, delays the delivery of records but
 * never leaves a ring full. The spool is what passes between them, under
 * lock.
 */
struct spool {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct spooled *v;
	size_t nr, alloc;
	uint64_t bytes;
	uint64_t limit;		/* every ring was drained up to this time */
	int finished;		/* the drainer is done: nothing more comes */
};

struct recorder {
	struct record_opts opts;
	struct perf_format fmt;
	struct perf_event_attr attr;
	/*
	 * RECORD_WALL: the context-switches event beside the CPU clock, one
	 * per ring and thread, writing into the same rings; its samples are
	 * told from the clock's by their id (PERF_SAMPLE_IDENTIFIER).
	 */
	struct perf_event_attr switch_attr;
	struct perf_format switch_fmt;
	struct intmap switch_ids;	/* their ids (one per thread and CPU
					   with -p): every sample is looked up */
	struct ring *rings;
	size_t nrings;
	int *extra_fds;		/* per-thread events redirected into a ring */
	size_t nextra, extra_alloc;
	pid_t child;
	int go_fd;		/* write end of the start pipe */
	int exec_err_fd;	/* read end of the exec error pipe */
	pid_t *pids;
	size_t npids;
	volatile sig_atomic_t stop;
	struct ordered_queue queue;	/* records taken from the spool */
	struct spool spool;
	struct spooled *batch;		/* drainer: copied, not yet spooled */
	size_t nbatch, batch_alloc;
	uint64_t batch_bytes;
	uint64_t last_time;		/* drainer: time of the last timed record */
	int failed;			/* the callback stopped the recording
					   (atomic: set by the main thread) */
	uint64_t start_ns;		/* when sampling began: --duration counts from it */
	pthread_t drainer;
	int drainer_state;		/* 0 none, 1 running, 2 joined */
	record_cb cb;			/* recorder_run()'s */
	void *cb_ctx;
	unsigned char *scratch;
	size_t scratch_size;
	struct record_stats stats;
};

static void start_drainer(struct recorder *r);

static int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu,
			   int group_fd, unsigned long flags)
{
	return (int)syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
}

/* The integer in a /proc/sys file, or -1 when unreadable. */
static int read_sysctl(const char *path)
{
	FILE *fp = fopen(path, "r");
	int v = -1;

	if (!fp)
		return -1;
	if (fscanf(fp, "%d", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

int record_paranoid(void)
{
	return read_sysctl("/proc/sys/kernel/perf_event_paranoid");
}

int record_mlock_kb(void)
{
	return read_sysctl("/proc/sys/kernel/perf_event_mlock_kb");
}

/* 'ulimit -l' as the shell prints it: a number of KB, or "unlimited". */
static const char *record_ulimit_l(void)
{
	static char buf[32];
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return "unknown";
	if (rl.rlim_cur == RLIM_INFINITY)
		return "unlimited";
	snprintf(buf, sizeof(buf), "%llu KB", (unsigned long long)rl.rlim_cur / 1024);
	return buf;
}

static const struct event_def *find_event(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(events); i++)
		if (!strcmp(events[i].name, name))
			return &events[i];
	return NULL;
}

/*
 * Does this process have CAP_PERFMON (or CAP_SYS_ADMIN, which implies it)?
 * That is how a user who is not root is let profile the kernel: the
 * capability on the program (setcap), or given to a session.
 */
static int perfmon_capable(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long eff = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(fp);
	return !!(eff & (1ULL << 38 | 1ULL << 21));
}

static int can_sample_kernel(void)
{
	int p = record_paranoid();

	return geteuid() == 0 || (p >= 0 && p <= 1) || perfmon_capable();
}

static void setup_attr(struct recorder *r, const struct event_def *ev,
		       int kernel, int enable_on_exec)
{
	struct perf_event_attr *a = &r->attr;
	const struct record_opts *o = &r->opts;

	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = ev->type;
	a->config = ev->config;
	if (ev->sampled_by_freq) {
		a->freq = 1;
		a->sample_freq = o->freq;
	} else {
		a->sample_period = 1;
	}
	a->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			 PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD |
			 PERF_SAMPLE_CALLCHAIN;
	if (o->call_graph == CG_DWARF) {
		a->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		a->sample_regs_user = arch_regs_mask();
		a->sample_stack_user = o->stack_size;
		a->exclude_callchain_user = 1;
	}
	a->disabled = 1;
	a->enable_on_exec = enable_on_exec;
	a->inherit = 1;
	a->mmap = 1;
	a->mmap2 = 1;
	a->comm = 1;
	a->comm_exec = 1;
	a->task = 1;
	a->sample_id_all = 1;
	a->exclude_hv = 1;
	a->exclude_kernel = !kernel;
	a->exclude_callchain_kernel = !kernel;
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;
	a->build_id = 1;

	r->fmt.sample_type = a->sample_type;
	r->fmt.regs_user_mask = a->sample_regs_user;
	r->fmt.sample_id_all = 1;
	r->stats.kernel = kernel;
}

/*
 * The attributes of the off-CPU event: a sample each time a thread leaves
 * the CPU, with the stacks of attr (the CPU event's, set up first), and
 * the switch records that time each block. Taken in the kernel, so it
 * cannot exclude the kernel; kernel tells whether its kernel frames are
 * kept. As the second event of a ring, it leaves the records of mappings,
 * names and tasks to the first.
 */
static void setup_switch_attr(struct recorder *r, int kernel, int second)
{
	struct perf_event_attr *a = second ? &r->switch_attr : &r->attr;

	if (second)
		*a = r->attr;
	a->type = PERF_TYPE_SOFTWARE;
	a->config = PERF_COUNT_SW_CONTEXT_SWITCHES;
	a->freq = 0;
	a->sample_period = 1;
	a->context_switch = 1;
	a->exclude_kernel = 0;
	a->exclude_callchain_kernel = !kernel;
	if (second) {
		a->mmap = a->mmap2 = a->comm = a->comm_exec = a->task = 0;
		a->build_id = 0;
		r->switch_fmt = r->fmt;
		r->switch_fmt.off_cpu = 1;
	} else {
		r->fmt.off_cpu = 1;
	}
}

static void explain_open_error(int err, const char *event, struct fg_buf *msg)
{
	int p = record_paranoid();

	switch (err) {
	case EACCES:
	case EPERM:
		fg_buf_addf(msg, "perf_event_open denied (kernel.perf_event_paranoid is %d); "
			    "run as root, or allow profiling your own processes with "
			    "'sudo sysctl kernel.perf_event_paranoid=1' "
			    "(2 allows user-space samples only, 3 blocks unprivileged use)", p);
		break;
	case ENOENT:
	case EOPNOTSUPP:
		fg_buf_addf(msg, "event '%s' is not supported on this machine "
			    "(no hardware performance counters?); use -e cpu-clock", event);
		break;
	case ENOSYS:
		fg_buf_addstr(msg, "this kernel has no perf_event_open support");
		break;
	case EMFILE:
		fg_buf_addstr(msg, "too many open files to open one event per CPU and thread; "
			      "raise 'ulimit -n'");
		break;
	default:
		fg_buf_addf(msg, "perf_event_open failed: %s", strerror(err));
	}
}

/* Pages of a ring of kb KiB: a power of two, at least two. */
static size_t ring_pages(size_t kb)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages = 2;

	while (pages * page < kb * 1024)
		pages <<= 1;
	return pages;
}

/*
 * Map ring->fd with a data area of pages pages. Returns 0, or -1 with
 * errno set (EPERM: over the locked-memory budget).
 */
static int map_ring(struct ring *ring, size_t pages)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (pages + 1) * page, PROT_READ | PROT_WRITE,
		       MAP_SHARED, ring->fd, 0);

	if (p == MAP_FAILED)
		return -1;
	ring->base = p;
	ring->meta = p;
	ring->size = pages * page;
	return 0;
}

static void unmap_ring(struct ring *ring)
{
	if (ring->base)
		munmap(ring->base, ring->size + (size_t)sysconf(_SC_PAGESIZE));
	ring->base = NULL;
	close(ring->fd);
	ring->fd = -1;
}

/* Every CPU that exists; offline ones fail to open with ENODEV. */
static int online_cpus(int **cpus)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	int i;

	if (n < 1)
		n = 1;
	*cpus = xcalloc((size_t)n, sizeof(int));
	for (i = 0; i < n; i++)
		(*cpus)[i] = i;
	return (int)n;
}

/* Wake the reader up when an eighth of a ring of pages pages is filled. */
static void set_watermark(struct recorder *r, size_t pages)
{
	r->attr.watermark = 1;
	r->attr.wakeup_watermark = (uint32_t)(pages * (size_t)sysconf(_SC_PAGESIZE) / 8);
}

static void close_rings(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->nrings; i++)
		unmap_ring(&r->rings[i]);
	r->nrings = 0;
}

static void open_error(struct recorder *r, int e, pid_t pid, struct fg_buf *err)
{
	if (e == ESRCH)
		fg_buf_addf(err, "process %d does not exist", (int)pid);
	else
		explain_open_error(e, r->opts.event, err);
	errno = e;
}

/*
 * Open one event per CPU for pid, each with a ring of its own. Every ring
 * has the same size: the one asked for, halved until all of them fit the
 * locked-memory budget (kernel.perf_event_mlock_kb per CPU, then 'ulimit
 * -l'). The wake-up watermark is part of the event's attributes, so the
 * events are opened again at each halving: it always follows the ring
 * actually mapped (a watermark larger than the ring would only wake the
 * reader when the ring is full, and samples would be lost).
 */
static int open_rings(struct recorder *r, pid_t pid, struct fg_buf *err)
{
	int *cpus, ncpu = online_cpus(&cpus), i, e;
	size_t want = ring_pages(r->opts.ring_kb ? r->opts.ring_kb : FG_DEFAULT_RING_KB);
	size_t least = r->opts.call_graph == CG_DWARF ?
		ring_pages(record_min_ring_kb(r->opts.stack_size)) : 2;
	size_t pages = want;

	r->rings = xcalloc((size_t)ncpu, sizeof(*r->rings));
	for (;;) {
		int shrink = 0;

		set_watermark(r, pages);
		for (i = 0; i < ncpu && !shrink; i++) {
			struct ring *ring = &r->rings[r->nrings];
			int fd = perf_event_open(&r->attr, pid, cpus[i], -1,
						 PERF_FLAG_FD_CLOEXEC);

			if (fd < 0) {
				e = errno;
				/* an offline CPU, unless no CPU at all takes it */
				if (e == ENODEV ||
				    (e == EINVAL && (r->nrings || i < ncpu - 1)))
					continue;
				open_error(r, e, pid, err);
				goto fail;
			}
			ring->fd = fd;
			ring->cpu = cpus[i];
			if (!map_ring(ring, pages)) {
				r->nrings++;
				continue;
			}
			e = errno;
			close(fd);
			if (e == EPERM && pages > least) {
				shrink = 1;
				continue;
			}
			if (e == EPERM)
				fg_buf_addf(err, "cannot map %zu KB perf ring buffers, one per CPU, "
					    "within the locked-memory budget (kernel.perf_event_mlock_kb "
					    "is %d KB per CPU, 'ulimit -l' %s): lower the stack copy "
					    "(--call-graph dwarf,16384), or raise the budget with "
					    "'sudo sysctl kernel.perf_event_mlock_kb=%zu'",
					    pages * (size_t)sysconf(_SC_PAGESIZE) / 1024,
					    record_mlock_kb(), record_ulimit_l(),
					    (pages + 1) * (size_t)sysconf(_SC_PAGESIZE) / 1024);
			else
				fg_buf_addf(err, "cannot map the perf ring buffer: %s",
					    strerror(e));
			/* not to be taken for a refused event */
			errno = e == EPERM ? ENOBUFS : e;
			goto fail;
		}
		if (!shrink)
			break;
		close_rings(r);
		pages >>= 1;
	}
	free(cpus);
	if (!r->nrings) {
		fg_buf_addstr(err, "no CPU accepted the event");
		return -1;
	}
	r->stats.ring_kb = pages * (size_t)sysconf(_SC_PAGESIZE) / 1024;
	r->stats.ring_kb_wanted = want * (size_t)sysconf(_SC_PAGESIZE) / 1024;
	return 0;
fail:
	e = errno;
	close_rings(r);
	free(cpus);
	errno = e;
	return -1;
}

/*
 * Open event attr for tid on the CPU of ring, writing into that ring.
 * Returns 0, 1 when the thread has ended meanwhile (no error), or -1.
 */
static int open_redirected(struct recorder *r, struct perf_event_attr *attr,
			   pid_t tid, const struct ring *ring, struct fg_buf *err)
{
	int fd = perf_event_open(attr, tid, ring->cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0) {
		if (errno == ESRCH)
			return 1;
		open_error(r, errno, tid, err);
		return -1;
	}
	if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, ring->fd)) {
		fg_buf_addf(err, "cannot share the ring buffer of CPU %d: %s",
			    ring->cpu, strerror(errno));
		close(fd);
		return -1;
	}
	ALLOC_GROW(r->extra_fds, r->nextra + 1, r->extra_alloc);
	r->extra_fds[r->nextra++] = fd;
	if (attr == &r->switch_attr) {
		uint64_t id;

		if (ioctl(fd, PERF_EVENT_IOC_ID, &id)) {
			fg_buf_addf(err, "cannot read the id of an event: %s", strerror(errno));
			return -1;
		}
		intmap_put(&r->switch_ids, id, 1);
	}
	return 0;
}

/* RECORD_WALL: the off-CPU event of tid beside the CPU event of each ring. */
static int open_switch_events(struct recorder *r, pid_t tid, struct fg_buf *err)
{
	size_t i;
	int ret;

	if (r->opts.mode != RECORD_WALL)
		return 0;
	for (i = 0; i < r->nrings; i++)
		if ((ret = open_redirected(r, &r->switch_attr, tid, &r->rings[i], err)))
			return ret;
	return 0;
}

/*
 * Open the events of one more thread of an attached process, redirected
 * into the ring of each CPU. A thread that ended meanwhile is no error.
 */
static int open_thread_events(struct recorder *r, pid_t tid, struct fg_buf *err)
{
	size_t i;
	int ret;

	for (i = 0; i < r->nrings; i++)
		if ((ret = open_redirected(r, &r->attr, tid, &r->rings[i], err)))
			return ret < 0 ? -1 : 0;
	ret = open_switch_events(r, tid, err);
	return ret < 0 ? -1 : 0;
}

/* The queue's delivery: one record to recorder_run()'s callback. */
static int deliver(void *ctx, void *rec)
{
	struct recorder *r = ctx;
	const struct perf_event_header *h = rec;

	if (r->switch_ids.nr && h->type == PERF_RECORD_SAMPLE &&
	    h->size >= sizeof(*h) + 8) {
		uint64_t id;

		/* PERF_SAMPLE_IDENTIFIER comes first */
		memcpy(&id, h + 1, 8);
		if (intmap_get(&r->switch_ids, id))
			return r->cb(r->cb_ctx, &r->switch_fmt, h);
	}
	return r->cb(r->cb_ctx, &r->fmt, h);
}

static struct recorder *recorder_new(const struct record_opts *o,
				     struct fg_buf *err)
{
	struct recorder *r = xcalloc(1, sizeof(*r));

	r->opts = *o;
	if (!r->opts.event)
		r->opts.event = FG_DEFAULT_EVENT;
	if (!r->opts.freq)
		r->opts.freq = FG_DEFAULT_FREQ;
	if (r->opts.call_graph == CG_DWARF) {
		unsigned s = r->opts.stack_size ? r->opts.stack_size : FG_DEFAULT_STACK_SIZE;
		/* a multiple of 8 below 64 KiB (the kernel's u16 record size) */
		if (s > FG_MAX_STACK_SIZE)
			s = FG_MAX_STACK_SIZE;
		r->opts.stack_size = s & ~7u;
		if (r->opts.stack_size < FG_MIN_STACK_SIZE)
			r->opts.stack_size = FG_MIN_STACK_SIZE;
	}
	/* A ring holds at least four full samples, or every sample is lost. */
	if (r->opts.call_graph == CG_DWARF) {
		unsigned min_kb = record_min_ring_kb(r->opts.stack_size);

		if (r->opts.ring_kb && r->opts.ring_kb < min_kb)
			r->opts.ring_kb = min_kb;
	}
	r->go_fd = r->exec_err_fd = -1;
	ordered_init(&r->queue, 0, deliver, r);
	if (!find_event(r->opts.event)) {
		fg_buf_addf(err, "unknown event '%s'", r->opts.event);
		free(r);
		return NULL;
	}
	if (r->opts.mode != RECORD_CPU && !can_sample_kernel()) {
		fg_buf_addf(err, "%s profiles need kernel samples, which "
			    "kernel.perf_event_paranoid=%d refuses (the kernel takes the "
			    "sample of a thread that blocks inside itself); run as root, "
			    "give the profiler CAP_PERFMON, or allow them with "
			    "'sudo sysctl kernel.perf_event_paranoid=1'",
			    r->opts.mode == RECORD_WALL ? "wall-clock" : "off-CPU",
			    record_paranoid());
		free(r);
		return NULL;
	}
	return r;
}

/*
 * Open the events with kernel samples when allowed, else (or when
 * refused) user-space only.
 */
static int open_with_fallback(struct recorder *r, pid_t pid, int on_exec,
			      struct fg_buf *err)
{
	const struct event_def *ev = find_event(r->opts.event);
	int kernel = !r->opts.no_kernel && can_sample_kernel();

	if (r->opts.mode != RECORD_CPU) {
		setup_attr(r, ev, kernel, on_exec);
		r->attr.sample_type |= PERF_SAMPLE_IDENTIFIER;
		r->fmt.sample_type = r->attr.sample_type;
		setup_switch_attr(r, kernel, r->opts.mode == RECORD_WALL);
		/* the switch events follow the rings' size: opened after */
		if (open_rings(r, pid, err))
			return -1;
		if (open_switch_events(r, pid, err)) {
			if (!err->len)
				fg_buf_addf(err, "process %d ended as it was attached", (int)pid);
			return -1;
		}
		return 0;
	}
	setup_attr(r, ev, kernel, on_exec);
	if (!open_rings(r, pid, err))
		return 0;
	if (kernel && (errno == EACCES || errno == EPERM)) {
		fg_buf_reset(err);
		setup_attr(r, ev, 0, on_exec);
		return open_rings(r, pid, err);
	}
	return -1;
}

struct recorder *recorder_start_command(const struct record_opts *o,
					char *const *argv, struct fg_buf *err)
{
	struct recorder *r = recorder_new(o, err);
	int go[2], ex[2];
	pid_t pid;

	if (!r)
		return NULL;
	if (pipe2(go, O_CLOEXEC) || pipe2(ex, O_CLOEXEC)) {
		fg_buf_addf(err, "cannot create a pipe: %s", strerror(errno));
		free(r);
		return NULL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fg_buf_addf(err, "cannot fork: %s", strerror(errno));
		free(r);
		return NULL;
	}
	if (!pid) {
		char c;
		int e;

		close(go[1]);
		close(ex[0]);
		/* Wait until the events are attached. */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		if (o->env) {
			char *const *v;

			for (v = o->env; *v; v++)
				putenv(*v);
		}
		if (o->workdir && chdir(o->workdir) < 0) {
			e = errno;
			if (write(ex[1], &e, sizeof(e)) < 0)
				_exit(127);
			_exit(127);
		}
		execvp(argv[0], argv);
		e = errno;
		if (write(ex[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(ex[1]);
	r->child = pid;
	r->go_fd = go[1];
	r->exec_err_fd = ex[0];
	if (open_with_fallback(r, pid, 1, err)) {
		recorder_free(r);
		return NULL;
	}
	/* Let the child exec; the events switch on at exec. */
	if (write(r->go_fd, "g", 1) != 1) {
		fg_buf_addf(err, "cannot start '%s': %s", argv[0], strerror(errno));
		recorder_free(r);
		return NULL;
	}
	close(r->go_fd);
	r->go_fd = -1;
	{
		int e;
		ssize_t n;

		do
			n = read(r->exec_err_fd, &e, sizeof(e));
		while (n < 0 && errno == EINTR);
		close(r->exec_err_fd);
		r->exec_err_fd = -1;
		if (n == (ssize_t)sizeof(e)) {
			fg_buf_addf(err, "cannot run '%s': %s", argv[0], strerror(e));
			waitpid(r->child, NULL, 0);
			r->child = 0;
			recorder_free(r);
			return NULL;
		}
	}
	/* The command runs, sampled: empty the rings from now on. */
	start_drainer(r);
	return r;
}

/* Every thread of pid, from /proc/pid/task. */
static int list_threads(pid_t pid, pid_t **tids, size_t *n)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	size_t alloc = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	*n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		ALLOC_GROW(*tids, *n + 1, alloc);
		(*tids)[(*n)++] = (pid_t)atoi(de->d_name);
	}
	closedir(d);
	return 0;
}

struct recorder *recorder_attach(const struct record_opts *o,
				 const pid_t *pids, size_t npids,
				 struct fg_buf *err)
{
	struct recorder *r = recorder_new(o, err);
	size_t i, k;

	if (!r)
		return NULL;
	r->pids = xcalloc(npids, sizeof(*r->pids));
	memcpy(r->pids, pids, npids * sizeof(*pids));
	r->npids = npids;
	for (i = 0; i < npids; i++) {
		pid_t *tids = NULL;
		size_t ntids = 0;

		if (kill(pids[i], 0) && errno == ESRCH) {
			fg_buf_addf(err, "process %d does not exist", (int)pids[i]);
			goto fail;
		}
		if (list_threads(pids[i], &tids, &ntids)) {
			fg_buf_addf(err, "cannot read the threads of process %d: %s",
				    (int)pids[i], strerror(errno));
			goto fail;
		}
		for (k = 0; k < ntids; k++) {
			int ret = r->nrings ? open_thread_events(r, tids[k], err)
					    : open_with_fallback(r, tids[k], 0, err);
			if (ret) {
				if (errno == EACCES || errno == EPERM) {
					fg_buf_reset(err);
					fg_buf_addf(err, "cannot trace process %d: permission denied "
						    "(it belongs to another user, or "
						    "kernel.perf_event_paranoid is %d); run as root",
						    (int)pids[i], record_paranoid());
				}
				free(tids);
				goto fail;
			}
		}
		free(tids);
	}
	for (i = 0; i < r->nrings; i++)
		ioctl(r->rings[i].fd, PERF_EVENT_IOC_ENABLE, 0);
	for (i = 0; i < r->nextra; i++)
		ioctl(r->extra_fds[i], PERF_EVENT_IOC_ENABLE, 0);
	start_drainer(r);
	return r;
fail:
	recorder_free(r);
	return NULL;
}

void recorder_stop(struct recorder *r)
{
	r->stop = 1;
}

const struct record_stats *recorder_stats(const struct recorder *r)
{
	return &r->stats;
}

/*
 * Copy one record out of the ring (it may wrap), trimming a sample's stack
 * copy to the bytes the kernel filled, into the drainer's batch (a record
 * without a time goes with the one copied last).
 */
static void keep_record(struct recorder *r, const struct perf_event_header *h)
{
	struct perf_event_header *copy;
	uint64_t time = 0;

	r->stats.bytes_in += h->size;
	if (h->type == PERF_RECORD_LOST) {
		uint64_t lost;

		memcpy(&lost, (const unsigned char *)(h + 1) + 8, 8);
		r->stats.lost += lost;
		r->stats.lost_records++;
	}
	if (h->type == PERF_RECORD_SAMPLE) {
		struct perf_sample s;

		if (perf_sample_parse(&r->fmt, h, &s))
			return;
		time = s.time;
		r->stats.samples++;
		if (s.stack && s.stack_dyn_size < s.stack_size) {
			copy = xmalloc(perf_sample_trimmed_size(h, &s));
			perf_sample_trim(h, &s, copy);
			goto queue;
		}
	} else if (perf_record_time(&r->fmt, h, &time)) {
		time = r->last_time;
	}
	copy = xmalloc(h->size);
	memcpy(copy, h, h->size);
queue:
	if (time > r->last_time)
		r->last_time = time;
	r->stats.bytes_kept += copy->size;
	ALLOC_GROW(r->batch, r->nbatch + 1, r->batch_alloc);
	r->batch[r->nbatch].time = time;
	r->batch[r->nbatch].rec = copy;
	r->batch[r->nbatch].size = copy->size;
	r->nbatch++;
	r->batch_bytes += copy->size;
}

static void drain_ring(struct recorder *r, struct ring *ring)
{
	struct perf_event_mmap_page *m = ring->meta;
	const unsigned char *data = (const unsigned char *)ring->base + m->data_offset;
	uint64_t head = __atomic_load_n(&m->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = m->data_tail;
	size_t mask = ring->size - 1;

	if (m->data_offset == 0)
		data = (const unsigned char *)ring->base + sysconf(_SC_PAGESIZE);
	while (tail < head) {
		struct perf_event_header hdr;
		size_t off = (size_t)(tail & mask);
		const struct perf_event_header *h;

		if (off + sizeof(hdr) <= ring->size) {
			memcpy(&hdr, data + off, sizeof(hdr));
		} else {
			size_t first = ring->size - off;
			memcpy(&hdr, data + off, first);
			memcpy((unsigned char *)&hdr + first, data, sizeof(hdr) - first);
		}
		if (hdr.size < sizeof(hdr) || tail + hdr.size > head)
			break;
		if (off + hdr.size <= ring->size && !(off & 7)) {
			h = (const void *)(data + off);
		} else {
			size_t first = ring->size - off;

			if (r->scratch_size < hdr.size) {
				r->scratch = xrealloc(r->scratch, 65536);
				r->scratch_size = 65536;
			}
			if (first >= hdr.size) {
				memcpy(r->scratch, data + off, hdr.size);
			} else {
				memcpy(r->scratch, data + off, first);
				memcpy(r->scratch + first, data, hdr.size - first);
			}
			h = (const void *)r->scratch;
		}
		keep_record(r, h);
		tail += hdr.size;
	}
	__atomic_store_n(&m->data_tail, tail, __ATOMIC_RELEASE);
}

static void disable_all(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->nrings; i++)
		ioctl(r->rings[i].fd, PERF_EVENT_IOC_DISABLE, 0);
	for (i = 0; i < r->nextra; i++)
		ioctl(r->extra_fds[i], PERF_EVENT_IOC_DISABLE, 0);
}

static int any_alive(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->npids; i++)
		if (!kill(r->pids[i], 0) || errno == EPERM) {
			/* a zombie still answers kill(); check its state */
			char path[64], state = 0;
			FILE *fp;

			snprintf(path, sizeof(path), "/proc/%d/stat", (int)r->pids[i]);
			fp = fopen(path, "r");
			if (fp) {
				if (fscanf(fp, "%*d (%*[^)]) %c", &state) != 1)
					state = 0;
				fclose(fp);
			}
			if (state != 'Z')
				return 1;
		}
	return 0;
}

/*
 * Wait up to ms for the command to exit (0: do not wait); 1 when it has
 * (its status is then in the stats).
 */
static int wait_child(struct recorder *r, int ms, volatile sig_atomic_t *hurry)
{
	for (;;) {
		if (waitpid(r->child, &r->stats.workload_status, WNOHANG) == r->child) {
			r->stats.workload_exited = 1;
			return 1;
		}
		if (ms <= 0 || (hurry && *hurry))
			return 0;
		usleep(20000);
		ms -= 20;
	}
}

void recorder_end_workload(struct recorder *r, int sig, int grace_ms,
			   volatile sig_atomic_t *hurry)
{
	if (!r->child || r->stats.workload_exited)
		return;
	if (sig)
		kill(r->child, sig);
	if (wait_child(r, grace_ms, hurry))
		return;
	if (sig != SIGTERM) {
		kill(r->child, SIGTERM);
		kill(r->child, SIGCONT);
		if (wait_child(r, grace_ms, hurry))
			return;
	}
	kill(r->child, SIGKILL);
	while (waitpid(r->child, &r->stats.workload_status, 0) < 0)
		if (errno != EINTR)
			return;
	r->stats.workload_exited = 1;
}

static void end_child(struct recorder *r)
{
	recorder_end_workload(r, SIGTERM, 1000, NULL);
}

/* Drainer: hand the batch to the main thread, with the time it covers. */
static void spool_batch(struct recorder *r, uint64_t limit, int finished)
{
	struct spool *sp = &r->spool;

	pthread_mutex_lock(&sp->lock);
	ALLOC_GROW(sp->v, sp->nr + r->nbatch, sp->alloc);
	if (r->nbatch)
		memcpy(sp->v + sp->nr, r->batch, r->nbatch * sizeof(*r->batch));
	sp->nr += r->nbatch;
	sp->bytes += r->batch_bytes;
	sp->limit = limit;
	sp->finished = finished;
	pthread_cond_signal(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	r->nbatch = 0;
	r->batch_bytes = 0;
}

static uint64_t spool_bytes(struct recorder *r)
{
	uint64_t n;

	pthread_mutex_lock(&r->spool.lock);
	n = r->spool.bytes;
	pthread_mutex_unlock(&r->spool.lock);
	return n;
}

/*
 * The drainer thread: wait for the rings, copy their records out, and end
 * the recording when the workload has exited, the duration is over,
 * recorder_stop() was called or the callback failed.
 */
static void *drainer_main(void *arg)
{
	struct recorder *r = arg;
	struct pollfd *pfd = xcalloc(r->nrings + 1, sizeof(*pfd));
	uint64_t start = r->start_ns ? r->start_ns : fg_now_ns(), deadline = 0;
	int done = 0, pidfd = -1;
	size_t i, npfd = r->nrings;
	sigset_t all;

	/* Signals are the main thread's to take. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	/*
	 * Where allowed (root, CAP_SYS_NICE), this thread goes first: on a
	 * busy machine a ring fills in the time it waits for a CPU. Others
	 * cannot raise a priority, and keep theirs.
	 */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -10);
	if (r->opts.duration > 0)
		deadline = start + (uint64_t)(r->opts.duration * 1e9);
	for (i = 0; i < r->nrings; i++) {
		pfd[i].fd = r->rings[i].fd;
		pfd[i].events = POLLIN;
	}
	/* A pidfd wakes us as soon as the command exits. */
	if (r->child) {
		pidfd = (int)syscall(SYS_pidfd_open, r->child, 0);
		if (pidfd >= 0) {
			pfd[npfd].fd = pidfd;
			pfd[npfd].events = POLLIN;
			npfd++;
		}
	}
	while (!done) {
		uint64_t limit;
		int nhup = 0, timeout = 100;

		/* wake at the deadline, not up to a timeout after it */
		if (deadline) {
			uint64_t now = fg_now_ns();

			if (now >= deadline)
				timeout = 0;
			else if (deadline - now < 100000000u)
				timeout = (int)((deadline - now + 999999) / 1000000);
		}
		if (poll(pfd, npfd, timeout) > 0)
			r->stats.wakeups++;
		for (i = 0; i < r->nrings; i++)
			if (pfd[i].revents & (POLLHUP | POLLERR)) {
				r->rings[i].hup = 1;
				pfd[i].fd = -1;	/* stop polling it */
			}
		for (i = 0; i < r->nrings; i++)
			nhup += r->rings[i].hup;
		if (r->child && !r->stats.workload_exited &&
		    waitpid(r->child, &r->stats.workload_status, WNOHANG) == r->child)
			r->stats.workload_exited = 1;
		if (__atomic_load_n(&r->failed, __ATOMIC_RELAXED)) {
			done = 1;
		} else if (r->stop) {
			r->stats.interrupted = 1;
			done = 1;
		} else if (deadline && fg_now_ns() >= deadline) {
			r->stats.stopped_by_duration = 1;
			done = 1;
		} else if (r->child ? r->stats.workload_exited
				    : (nhup == (int)r->nrings || !any_alive(r))) {
			done = 1;
		}
		if (done) {
			disable_all(r);
			r->stats.end_time = fg_now_ns();
		}
		/*
		 * Records written before limit can be ordered and handed over;
		 * later ones wait for the next round, when records of other
		 * CPUs with earlier times will have been read too.
		 */
		limit = done ? UINT64_MAX : fg_now_ns();
		if (done || spool_bytes(r) < SPOOL_MAX_BYTES)
			for (i = 0; i < r->nrings; i++)
				drain_ring(r, &r->rings[i]);
		spool_batch(r, limit, done);
	}
	r->stats.seconds = (double)(fg_now_ns() - start) / 1e9;
	/*
	 * The duration is over: the command ends now, not once the main
	 * thread has caught up with the records (on a slow machine, or
	 * under valgrind, it would run on meanwhile).
	 */
	if (r->child && !r->stats.workload_exited && r->stats.stopped_by_duration)
		end_child(r);
	if (pidfd >= 0)
		close(pidfd);
	free(pfd);
	return NULL;
}

/*
 * Start draining the rings, as soon as the workload is sampled (before
 * recorder_run(): the rings would fill while the caller gets ready).
 * Without a thread, recorder_run() drains first and delivers after.
 */
static void start_drainer(struct recorder *r)
{
	/*
	 * The duration counts from here, not from when the thread gets to
	 * run: on a loaded machine (or under valgrind) that can be later.
	 */
	r->start_ns = fg_now_ns();
	pthread_mutex_init(&r->spool.lock, NULL);
	pthread_cond_init(&r->spool.cond, NULL);
	r->drainer_state = pthread_create(&r->drainer, NULL, drainer_main, r) ? 0 : 1;
}

static void join_drainer(struct recorder *r)
{
	if (r->drainer_state == 1) {
		pthread_join(r->drainer, NULL);
		r->drainer_state = 2;
	}
}

int recorder_run(struct recorder *r, record_cb cb, void *ctx, struct fg_buf *err)
{
	struct spool *sp = &r->spool;
	int ret = 0, finished = 0;

	(void)err;
	r->cb = cb;
	r->cb_ctx = ctx;
	if (!r->drainer_state)
		drainer_main(r);	/* no thread: drain first, then deliver */
	while (!finished) {
		struct spooled *v;
		size_t nr, i;
		uint64_t limit;

		pthread_mutex_lock(&sp->lock);
		while (!sp->nr && !sp->finished)
			pthread_cond_wait(&sp->cond, &sp->lock);
		v = sp->v;
		nr = sp->nr;
		limit = sp->limit;
		finished = sp->finished;
		sp->v = NULL;
		sp->nr = sp->alloc = 0;
		sp->bytes = 0;
		pthread_mutex_unlock(&sp->lock);
		for (i = 0; i < nr; i++)
			ordered_add(&r->queue, v[i].time, v[i].rec, v[i].size);
		free(v);
		if (!ret)
			ret = ordered_flush(&r->queue, limit);
		if (ret)
			__atomic_store_n(&r->failed, 1, __ATOMIC_RELAXED);
	}
	join_drainer(r);
	return ret < 0 ? -1 : 0;
}

void recorder_free(struct recorder *r)
{
	size_t i;

	if (!r)
		return;
	if (r->drainer_state == 1) {
		/* recorder_run() was not called: stop the drainer */
		__atomic_store_n(&r->failed, 1, __ATOMIC_RELAXED);
		join_drainer(r);
	}
	if (r->drainer_state) {
		for (i = 0; i < r->spool.nr; i++)
			free(r->spool.v[i].rec);
		free(r->spool.v);
		pthread_cond_destroy(&r->spool.cond);
		pthread_mutex_destroy(&r->spool.lock);
	}
	if (r->child && !r->stats.workload_exited) {
		/* Still running (an error before or while recording). */
		if (r->go_fd >= 0) {
			close(r->go_fd);	/* the child exits on EOF */
			r->go_fd = -1;
			waitpid(r->child, &r->stats.workload_status, 0);
		} else {
			end_child(r);
		}
	}
	close_rings(r);
	for (i = 0; i < r->nextra; i++)
		close(r->extra_fds[i]);
	ordered_release(&r->queue);
	if (r->go_fd >= 0)
		close(r->go_fd);
	if (r->exec_err_fd >= 0)
		close(r->exec_err_fd);
	free(r->rings);
	free(r->extra_fds);
	intmap_release(&r->switch_ids);
	free(r->pids);
	free(r->scratch);
	free(r->batch);
	free(r);
}
