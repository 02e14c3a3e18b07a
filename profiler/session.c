#include "session.h"
#include "../lib/files.h"
#include "../lib/error.h"
#include "../lib/intmap.h"
#include "../lib/strmap.h"
#include "arch.h"
#include "elfinfo.h"
#include "jitmap.h"
#include "kallsyms.h"
#include "offcpu.h"
#include "profile.h"
#include "symbolize.h"
#include "unwind.h"

#include <dirent.h>
#include <elf.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FRAMES 1024		/* user frames unwound per sample */
#define MAX_KERNEL_FRAMES 256

/* An ELF file some process mapped. */
struct file {
	char *path;		/* as the kernel reported it */
	const char *open_path;	/* what we open (the vdso copy for [vdso]) */
	const char *base;	/* basename, for "[name]" frames */
	unsigned char build_id[20];
	int build_id_len;
	int mismatch;		/* build-id differs from the file on disk */
	int info_ok;		/* info was read */
	int fd;			/* the file, kept open, or -1 */
	const char *special;	/* not a regular file: what it is, and
				   it is never opened */
	char *fd_path;		/* "/proc/self/fd/N" of fd */
	struct elfinfo info;	/* program headers, for load biases */
	struct sym_file *sf;	/* symbols; opened when naming frames */
	int opened;
	uint64_t samples;	/* samples with a frame in it */
	uint64_t unnamed;	/* samples with a frame in it left unnamed */
	size_t unnamed_sample;	/* the last sample counted in unnamed, + 1 */
	uint64_t first_start, first_end, first_pgoff;	/* its first mapping */
};

struct map {
	uint64_t start, end, pgoff;
	uint32_t file;		/* index in s->files */
	int bias_ok;
	uint64_t bias;		/* runtime - file address */
	uint64_t base;		/* module start for libdwfl */
};

struct proc {
	pid_t pid;
	struct map *maps;	/* sorted by start, not overlapping */
	size_t nmaps, maps_alloc;
	struct unwinder *unw;
	int unw_failed;
	uint32_t *reported;	/* files reported to the unwinder */
	size_t nreported, reported_alloc;
	uint32_t *jitdumps;	/* jit-PID.dump files it mapped */
	size_t njitdumps, jitdumps_alloc;
	struct jit_syms *jit;	/* JIT code names, read when naming */
	int jit_loaded;
};

struct thread {
	pid_t pid;
	uint32_t comm;		/* its name: entry index in s->comms */
	uint32_t prof;		/* its profile thread + 1 for (pid, tid, comm); 0: none yet */
	pid_t prof_pid;		/* the pid that profile thread has */
	uint32_t prof_run;	/* and the run it is of */
	/*
	 * Off-CPU: the block it is in, from the sample taken as it left the
	 * CPU until it comes back (see on_switch()).
	 */
	uint64_t off_since;	/* when it left; 0: on the CPU */
	uint32_t off_stack;	/* where: a profile stack, without the state */
	uint32_t off_thread;	/* its profile thread + 1 then */
	uint8_t off_state;	/* enum offcpu_state its kernel frames tell */
	uint32_t off_leaf;	/* its innermost user location + 1, to tell
				   the state by when the kernel did not */
};

/*
 * LOC_JIT: a pc in code no ELF file holds (an anonymous mapping): named
 * from the process's JIT maps (profiler/jitmap.h) when it has them.
 */
/* LOC_STATE: the synthetic frame of an off-CPU state (addr: the state). */
enum loc_kind { LOC_USER, LOC_NOFILE, LOC_KERNEL, LOC_JIT, LOC_STATE };

/*
 * A code location; its index is its id in the profile (s->prof), where it
 * is named by session_finish().
 */
struct loc {
	uint64_t addr;
	uint32_t file;		/* LOC_USER, LOC_JIT: file index */
	uint8_t kind;
	uint8_t named;		/* its profile location is filled */
	uint8_t kstate;		/* LOC_KERNEL, off-CPU: the enum offcpu_state
				   its function tells + 1; 0: not asked yet */
	uint32_t pid;		/* LOC_JIT: the process */
	const char *kname;	/* LOC_KERNEL: its name, once resolved */
};

struct session {
	struct session_opts opts;
	struct session_stats stats;
	struct intmap procs;	/* pid -> struct proc * */
	struct intmap threads;	/* tid -> struct thread * */
	struct file *files;
	size_t nfiles, files_alloc;
	struct strmap comms;	/* thread names, interned */
	struct loc *locs;
	size_t nlocs, locs_alloc;
	struct intmap loc_ids;	/* key hash -> first loc index, chained by probe */
	struct profile prof;	/* what the session makes: see profile.h */
	uint32_t *file_mapping;	/* file index -> profile mapping + 1 */
	size_t nfile_mapping;
	uint32_t kernel_mapping;	/* profile mapping + 1, 0: none yet */
	int finished;
	struct sym_cache *sym;
	struct warmer *warmer;	/* symbolizes new locations while recording */
	struct kallsyms **kpools;	/* kernel names, from kallsyms_resolve() */
	struct kallsyms *kall;		/* off-CPU: the whole table, loaded on
					   first use to tell states at once */
	size_t nkpools, kpools_alloc;
	int vdso_fd;
	char *vdso_path;
	uint64_t pcs[MAX_FRAMES];
	uint32_t ids[MAX_FRAMES + MAX_KERNEL_FRAMES + 2];
	struct fg_buf scratch;
	struct fg_buf notes;		/* JIT map files not read, and why */
	session_sample_fn sample_hook;	/* tests: see session_set_sample_hook() */
	void *sample_hook_ctx;
};

/*
 * The warmer: a thread that symbolizes each new code location while the
 * recording goes on, so that little is left to do when it ends. It only
 * fills the symbolizer's caches: the main thread names frames afterwards
 * with the same calls, which then hit the caches. The main thread does not
 * touch the symbolizer until warmer_finish() has joined the thread, so the
 * cache has one user at a time.
 */
struct warm_req {
	char *path;
	unsigned char build_id[20];
	int build_id_len;
	uint64_t addr;
};

struct warmer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct warm_req *q;
	size_t head, nr, alloc;	/* pending: q[head..nr) */
	int finishing;
	int details;		/* warm sym_lookup_frames()'s cache too */
	struct sym_cache *sym;
};

/*
 * Background work yields to the workload being measured: on Linux a
 * thread's nice value is its own.
 */
static void lower_thread_priority(void)
{
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
}

static void *warmer_main(void *arg)
{
	struct warmer *w = arg;

	lower_thread_priority();
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct warm_req r;
		const char *const *names;
		struct sym_file *sf;
		int mismatch;

		while (w->head == w->nr && !w->finishing)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->head == w->nr)
			break;
		r = w->q[w->head++];
		if (w->head == w->nr)
			w->head = w->nr = 0;
		pthread_mutex_unlock(&w->lock);
		sf = sym_file_get(w->sym, r.path, r.build_id_len ? r.build_id : NULL,
				  (size_t)r.build_id_len, &mismatch);
		if (sf && w->details) {
			const struct sym_frame *frames;

			sym_lookup_frames(w->sym, sf, r.addr, &frames);
		} else if (sf) {
			sym_lookup(w->sym, sf, r.addr, &names);
		}
		free(r.path);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static struct warmer *warmer_start(struct sym_cache *sym, int details)
{
	struct warmer *w = xcalloc(1, sizeof(*w));

	w->sym = sym;
	w->details = details;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, warmer_main, w)) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		return NULL;
	}
	return w;
}

static void warmer_add(struct warmer *w, const struct file *f, uint64_t addr)
{
	struct warm_req *r;

	pthread_mutex_lock(&w->lock);
	ALLOC_GROW(w->q, w->nr + 1, w->alloc);
	r = &w->q[w->nr++];
	r->path = xstrdup(f->open_path);
	memcpy(r->build_id, f->build_id, sizeof(r->build_id));
	r->build_id_len = f->build_id_len;
	r->addr = addr;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Let the thread finish the queue, and join it. */
static void warmer_finish(struct warmer *w)
{
	size_t i;

	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->finishing = 1;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	for (i = w->head; i < w->nr; i++)
		free(w->q[i].path);
	free(w->q);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}

void session_symbolize_while_recording(struct session *s)
{
	if (!s->warmer)
		s->warmer = warmer_start(s->sym, s->opts.details);
}

/* Each sample counts 1, and its period (see session_profile()). */
static const struct profile_value_type session_types[] = {
	{ "samples", "count" },
	{ "cpu", "nanoseconds" },
};

/* Each block counts 1, and its length. */
static const struct profile_value_type off_cpu_types[] = {
	{ "samples", "count" },
	{ "off-cpu", "nanoseconds" },
};

/* A CPU sample or a block counts 1, its time, and that time again. */
static const struct profile_value_type wall_types[] = {
	{ "samples", "count" },
	{ "cpu", "nanoseconds" },
	{ "off-cpu", "nanoseconds" },
	{ "wall", "nanoseconds" },
};

struct session *session_new(const struct session_opts *o)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->opts = *o;
	s->vdso_fd = -1;
	if (o->time == SESSION_OFF_CPU)
		profile_init(&s->prof, off_cpu_types, ARRAY_SIZE(off_cpu_types));
	else if (o->time == SESSION_WALL)
		profile_init(&s->prof, wall_types, ARRAY_SIZE(wall_types));
	else
		profile_init(&s->prof, session_types, ARRAY_SIZE(session_types));
	s->sym = sym_cache_new(!o->no_inline);
	fg_buf_init(&s->scratch, 256);
	fg_buf_init(&s->notes, 0);
	return s;
}

static void proc_free(struct proc *p)
{
	unwind_free(p->unw);
	free(p->maps);
	free(p->reported);
	free(p->jitdumps);
	jit_syms_free(p->jit);
	free(p);
}

void session_free(struct session *s)
{
	size_t i = 0;
	uint64_t k, v;

	if (!s)
		return;
	warmer_finish(s->warmer);
	s->warmer = NULL;
	while (intmap_next(&s->procs, &i, &k, &v))
		proc_free((struct proc *)(uintptr_t)v);
	i = 0;
	while (intmap_next(&s->threads, &i, &k, &v))
		free((void *)(uintptr_t)v);
	intmap_release(&s->procs);
	intmap_release(&s->threads);
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].fd_path);
		if (s->files[i].fd >= 0)
			close(s->files[i].fd);
	}
	free(s->files);
	strmap_release(&s->comms);
	free(s->locs);
	intmap_release(&s->loc_ids);
	profile_release(&s->prof);
	free(s->file_mapping);
	sym_cache_free(s->sym);
	for (i = 0; i < s->nkpools; i++)
		kallsyms_free(s->kpools[i]);
	free(s->kpools);
	kallsyms_free(s->kall);
	if (s->vdso_fd >= 0)
		close(s->vdso_fd);
	free(s->vdso_path);
	fg_buf_release(&s->scratch);
	fg_buf_release(&s->notes);
	free(s);
}

const char *session_notes(const struct session *s)
{
	return s->notes.buf;
}

const struct session_stats *session_stats(const struct session *s)
{
	return &s->stats;
}

/* The id of a thread name (len bytes at comm), interned. */
static uint32_t comm_id(struct session *s, const char *comm, size_t len)
{
	int created;

	return (uint32_t)(strmap_put(&s->comms, comm, len, &created) - s->comms.v);
}

static struct thread *get_thread(struct session *s, pid_t tid)
{
	uint64_t *v = intmap_get(&s->threads, (uint32_t)tid);

	return v ? (struct thread *)(uintptr_t)*v : NULL;
}

static struct thread *add_thread(struct session *s, pid_t pid, pid_t tid,
				 uint32_t comm)
{
	struct thread *t = get_thread(s, tid);

	if (!t) {
		t = xcalloc(1, sizeof(*t));
		intmap_put(&s->threads, (uint32_t)tid, (uintptr_t)t);
	}
	t->pid = pid;
	t->comm = comm;
	t->prof = 0;
	return t;
}

static struct proc *get_proc(struct session *s, pid_t pid, int create)
{
	uint64_t *v = intmap_get(&s->procs, (uint32_t)pid);
	struct proc *p;

	if (v)
		return (struct proc *)(uintptr_t)*v;
	if (!create)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	intmap_put(&s->procs, (uint32_t)pid, (uintptr_t)p);
	s->stats.processes++;
	return p;
}

/* Forget a process's mappings and unwinder (exec, or exit). */
static void proc_reset(struct proc *p)
{
	unwind_free(p->unw);
	p->unw = NULL;
	p->unw_failed = 0;
	p->nmaps = 0;
	p->nreported = 0;
}

/* A copy of our own vdso image: the workload's is the same kernel's. */
static const char *vdso_path(struct session *s)
{
	const unsigned char *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const void *)img;
	size_t size = 0;
	int i;

	if (s->vdso_path)
		return s->vdso_path;
	if (!img || memcmp(img, ELFMAG, SELFMAG))
		return NULL;
	/* The image spans its sections (at the end) or its loads. */
	size = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const void *)(img + eh->e_phoff +
						      (size_t)i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD && ph->p_offset + ph->p_filesz > size)
			size = ph->p_offset + ph->p_filesz;
	}
	s->vdso_fd = memfd_create("vdso", MFD_CLOEXEC);
	if (s->vdso_fd < 0)
		return NULL;
	if (write(s->vdso_fd, img, size) != (ssize_t)size) {
		close(s->vdso_fd);
		s->vdso_fd = -1;
		return NULL;
	}
	s->vdso_path = xstrfmt("/proc/self/fd/%d", s->vdso_fd);
	return s->vdso_path;
}

/*
 * The file mapped from path (with the build-id the kernel reported, if
 * any); open_path, when not NULL, is where to read it instead (the
 * /proc/PID/map_files entry of a deleted file, /proc/PID/exe for a live
 * process's executable).
 */
static uint32_t file_id(struct session *s, const char *path,
			const unsigned char *bid, int bid_len, const char *open_path)
{
	struct file *f;
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		f = &s->files[i];
		if (!strcmp(f->path, path) &&
		    (!bid_len || !f->build_id_len ||
		     (f->build_id_len == bid_len && !memcmp(f->build_id, bid, (size_t)bid_len))))
			return (uint32_t)i;
	}
	ALLOC_GROW(s->files, s->nfiles + 1, s->files_alloc);
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->base = strrchr(f->path, '/') ? strrchr(f->path, '/') + 1 : f->path;
	f->fd = -1;
	if (bid_len > 0 && bid_len <= 20) {
		memcpy(f->build_id, bid, (size_t)bid_len);
		f->build_id_len = bid_len;
	}
	f->open_path = open_path ? open_path : f->path;
	if (!strcmp(f->path, "[vdso]"))
		f->open_path = vdso_path(s);
	else if (f->path[0] == '[' || starts_with(f->path, "//anon") ||
		 starts_with(f->path, "/memfd:"))
		f->open_path = NULL;
	if (f->open_path) {
		/* a FIFO put there would block open(2): regular files only */
		int fd = file_open_regular(f->open_path, NULL);
		struct stat st;

		/*
		 * The caller's path under /proc is gone once the process has
		 * exited, which it may have done by the time its records are
		 * read. With the build-id the kernel reported, the file at
		 * path is the next best: the check below tells a replaced one.
		 */
		if (fd < 0 && f->open_path == open_path && f->build_id_len) {
			f->open_path = f->path;
			fd = file_open_regular(f->open_path, NULL);
		}
		if (fd < 0 && !stat(f->open_path, &st) && !S_ISREG(st.st_mode)) {
			f->special = file_kind(st.st_mode);
			f->open_path = NULL;
		}
		if (fd >= 0) {
			f->info_ok = !elfinfo_read(fd, &f->info);
			/*
			 * Keep the file open and read it through the descriptor
			 * from now on: a binary deleted or replaced later is
			 * still the one that was mapped.
			 */
			if (f->info_ok && f->open_path != s->vdso_path) {
				f->fd = fd;
				f->open_path = f->fd_path = xstrfmt("/proc/self/fd/%d", fd);
			} else {
				close(fd);
			}
		}
		/* the caller's open_path is not ours to keep */
		if (open_path && f->open_path == open_path)
			f->open_path = NULL;
		if (f->info_ok && f->build_id_len && f->info.build_id_len &&
		    (f->build_id_len != f->info.build_id_len ||
		     memcmp(f->build_id, f->info.build_id, (size_t)f->build_id_len))) {
			/* The file on disk is not what was mapped. */
			f->mismatch = 1;
			s->stats.build_id_mismatches++;
		}
	}
	return (uint32_t)s->nfiles++;
}

/* The symbols of a file, opened on first use (when naming frames). */
static struct sym_file *open_file(struct session *s, struct file *f)
{
	int mismatch = 0;

	if (f->opened)
		return f->sf;
	f->opened = 1;
	if (!f->open_path || !f->info_ok || f->mismatch)
		return NULL;
	f->sf = sym_file_get(s->sym, f->open_path,
			     f->build_id_len ? f->build_id : NULL,
			     (size_t)f->build_id_len, &mismatch);
	return f->sf;
}

/* Load bias and libdwfl module start of a mapping, from the file's PT_LOADs. */
static void compute_bias(struct session *s, struct map *m)
{
	struct file *f = &s->files[m->file];

	m->bias_ok = f->info_ok && !f->mismatch &&
		     !elfinfo_bias(&f->info, m->start, m->pgoff, &m->bias, &m->base);
}

static void add_map(struct session *s, struct proc *p, uint64_t start,
		    uint64_t len, uint64_t pgoff, const char *path,
		    const unsigned char *bid, int bid_len, const char *open_path)
{
	struct map m = { .start = start, .end = start + len, .pgoff = pgoff };
	size_t i, j;

	if (!len || start + len < start)
		return;
	m.file = file_id(s, path, bid, bid_len, open_path);
	if (!s->files[m.file].first_end) {
		s->files[m.file].first_start = m.start;
		s->files[m.file].first_end = m.end;
		s->files[m.file].first_pgoff = m.pgoff;
	}
	compute_bias(s, &m);
	/* a runtime marks its jitdump file by mapping it */
	if (jit_is_dump_path(path)) {
		ALLOC_GROW(p->jitdumps, p->njitdumps + 1, p->jitdumps_alloc);
		p->jitdumps[p->njitdumps++] = m.file;
	}
	/* Drop or trim mappings the new one overlaps (it replaced them). */
	for (i = 0, j = 0; i < p->nmaps; i++) {
		struct map *o = &p->maps[i];

		if (o->end <= m.start || o->start >= m.end)
			p->maps[j++] = *o;
	}
	p->nmaps = j;
	ALLOC_GROW(p->maps, p->nmaps + 1, p->maps_alloc);
	for (i = p->nmaps; i > 0 && p->maps[i - 1].start > m.start; i--)
		p->maps[i] = p->maps[i - 1];
	p->maps[i] = m;
	p->nmaps++;
}

static struct map *find_map(struct proc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nmaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->maps[mid].end <= addr)
			lo = mid + 1;
		else if (p->maps[mid].start > addr)
			hi = mid;
		else
			return &p->maps[mid];
	}
	return NULL;
}

/* Make sure the unwinder knows the module of map m. */
static void report_map(struct session *s, struct proc *p, struct map *m)
{
	struct file *f = &s->files[m->file];
	size_t i;

	if (!m->bias_ok)
		return;
	/* libdwfl places an ET_EXEC file at its vaddrs only: not a copy */
	if (f->info.is_exec && m->bias)
		return;
	for (i = 0; i < p->nreported; i++)
		if (p->reported[i] == m->file)
			return;
	ALLOC_GROW(p->reported, p->nreported + 1, p->reported_alloc);
	p->reported[p->nreported++] = m->file;
	if (!p->unw && !p->unw_failed) {
		p->unw = unwind_new(p->pid);
		if (!p->unw)
			p->unw_failed = 1;
	}
	if (p->unw)
		unwind_report(p->unw, f->base, f->open_path, -1, m->base);
}

/* Is path (deleted since) the executable of pid? */
static int is_exe(pid_t pid, const char *path)
{
	char link[64], target[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	if (ends_with(target, " (deleted)"))
		target[n - strlen(" (deleted)")] = '\0';
	return !strcmp(target, path);
}

int session_add_process(struct session *s, pid_t pid, struct fg_buf *err)
{
	char path[64], line[4096 + 256];
	struct proc *p;
	FILE *fp;
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fp = fopen(path, "r");
	if (!fp) {
		fg_buf_addf(err, "cannot read the memory map of process %d: %s",
			    (int)pid, strerror(errno));
		return -1;
	}
	p = get_proc(s, pid, 1);
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long start, end, off;
		char perms[8];
		int n = 0;
		char *file;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &start, &end,
			   perms, &off, &n) < 4 || !n)
			continue;
		if (perms[2] != 'x')
			continue;
		file = line + n;
		while (*file == ' ')
			file++;
		file[strcspn(file, "\n")] = '\0';
		if (!*file)
			continue;
		if (ends_with(file, " (deleted)")) {
			/* Deleted since it was mapped: read it through /proc. */
			char *via = xstrfmt("/proc/%d/map_files/%llx-%llx", (int)pid,
					    start, end);

			file[strlen(file) - strlen(" (deleted)")] = '\0';
			/*
			 * map_files takes CAP_SYS_ADMIN; without it, the
			 * executable itself is still there for its owner.
			 */
			if (access(via, R_OK) && is_exe(pid, file)) {
				free(via);
				via = xstrfmt("/proc/%d/exe", (int)pid);
			}
			add_map(s, p, start, end - start, off, file, NULL, 0, via);
			free(via);
			continue;
		}
		add_map(s, p, start, end - start, off, file, NULL, 0, NULL);
	}
	fclose(fp);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d) {
		while ((de = readdir(d))) {
			char cpath[300], comm[64] = "";
			FILE *cf;

			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/comm", (int)pid,
				 de->d_name);
			cf = fopen(cpath, "r");
			if (cf) {
				if (!fgets(comm, sizeof(comm), cf))
					comm[0] = '\0';
				fclose(cf);
			}
			comm[strcspn(comm, "\n")] = '\0';
			add_thread(s, pid, (pid_t)atoi(de->d_name),
				   comm_id(s, comm, strlen(comm)));
		}
		closedir(d);
	}
	return 0;
}

/* Fields of the non-sample records we use. */
struct rec_comm { uint32_t pid, tid; char comm[]; };
struct rec_task { uint32_t pid, ppid, tid, ptid; uint64_t time; };
struct rec_mmap { uint32_t pid, tid; uint64_t addr, len, pgoff; char filename[]; };
struct rec_mmap2 {
	uint32_t pid, tid;
	uint64_t addr, len, pgoff;
	union {
		struct { uint32_t maj, min; uint64_t ino, ino_generation; } dev;
		struct { uint8_t size, r1; uint16_t r2; uint8_t id[20]; } bid;
	} u;
	uint32_t prot, flags;
	char filename[];
};

static size_t body_size(const struct perf_event_header *h)
{
	return h->size - sizeof(*h);
}

static void on_comm(struct session *s, const struct perf_event_header *h)
{
	const struct rec_comm *c = (const void *)(h + 1);
	size_t max = body_size(h) - sizeof(*c);
	size_t len;

	if (body_size(h) < sizeof(*c) + 1)
		return;
	len = strnlen(c->comm, max);
	if ((h->misc & PERF_RECORD_MISC_COMM_EXEC) && c->pid == c->tid) {
		struct proc *p = get_proc(s, (pid_t)c->pid, 1);

		proc_reset(p);
		s->stats.execs++;
	}
	add_thread(s, (pid_t)c->pid, (pid_t)c->tid, comm_id(s, c->comm, len));
}

static void on_fork(struct session *s, const struct perf_event_header *h)
{
	const struct rec_task *t = (const void *)(h + 1);
	struct thread *parent;
	uint32_t comm;

	if (body_size(h) < sizeof(*t))
		return;
	parent = get_thread(s, (pid_t)t->ptid);
	comm = parent ? parent->comm : comm_id(s, "", 0);
	if (t->pid != t->ppid) {
		/* A new process: it starts with a copy of its parent's maps. */
		struct proc *pp = get_proc(s, (pid_t)t->ppid, 0);
		struct proc *p = get_proc(s, (pid_t)t->pid, 1);

		proc_reset(p);
		if (pp && pp->nmaps) {
			ALLOC_GROW(p->maps, pp->nmaps, p->maps_alloc);
			memcpy(p->maps, pp->maps, pp->nmaps * sizeof(*p->maps));
			p->nmaps = pp->nmaps;
		}
	}
	add_thread(s, (pid_t)t->pid, (pid_t)t->tid, comm);
}

static void on_exit_rec(struct session *s, const struct perf_event_header *h)
{
	const struct rec_task *t = (const void *)(h + 1);
	struct thread *th;

	if (body_size(h) < sizeof(*t))
		return;
	/* its last switch out is not a block */
	if ((th = get_thread(s, (pid_t)t->tid)))
		th->off_since = 0;
	if (t->pid == t->tid) {
		struct proc *p = get_proc(s, (pid_t)t->pid, 0);

		/* Free the unwinder; keep the maps (records may trail). */
		if (p) {
			unwind_free(p->unw);
			p->unw = NULL;
			p->nreported = 0;
		}
	}
}

static void on_mmap(struct session *s, const struct perf_event_header *h)
{
	const unsigned char *bid = NULL;
	const char *name;
	uint64_t addr, len, pgoff;
	uint32_t pid;
	size_t max;
	int bid_len = 0;

	if (h->type == PERF_RECORD_MMAP2) {
		const struct rec_mmap2 *m = (const void *)(h + 1);

		if (body_size(h) < sizeof(*m) + 1)
			return;
		if (!(m->prot & PROT_EXEC))
			return;
		if (h->misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
			bid = m->u.bid.id;
			bid_len = m->u.bid.size <= 20 ? m->u.bid.size : 0;
		}
		pid = m->pid;
		addr = m->addr;
		len = m->len;
		pgoff = m->pgoff;
		name = m->filename;
		max = body_size(h) - sizeof(*m);
	} else {
		const struct rec_mmap *m = (const void *)(h + 1);

		if (body_size(h) < sizeof(*m) + 1 ||
		    (h->misc & PERF_RECORD_MISC_MMAP_DATA))
			return;
		pid = m->pid;
		addr = m->addr;
		len = m->len;
		pgoff = m->pgoff;
		name = m->filename;
		max = body_size(h) - sizeof(*m);
	}
	if (pid == UINT32_MAX)	/* kernel maps */
		return;
	fg_buf_reset(&s->scratch);
	fg_buf_add(&s->scratch, name, strnlen(name, max));
	if (s->opts.live && is_exe((pid_t)pid, s->scratch.buf)) {
		char exe[64];

		snprintf(exe, sizeof(exe), "/proc/%u/exe", pid);
		add_map(s, get_proc(s, (pid_t)pid, 1), addr, len, pgoff, s->scratch.buf,
			bid, bid_len, exe);
		return;
	}
	add_map(s, get_proc(s, (pid_t)pid, 1), addr, len, pgoff, s->scratch.buf,
		bid, bid_len, NULL);
}

/* What loc_id_pid() looks for. */
struct loc_key {
	const struct session *s;
	struct loc want;
};

static int same_loc(const void *ctx, uint64_t idx)
{
	const struct loc_key *k = ctx;
	const struct loc *l = &k->s->locs[idx];

	return l->kind == k->want.kind && l->file == k->want.file &&
	       l->addr == k->want.addr && l->pid == k->want.pid;
}

/* Id of a location (pid: LOC_JIT only); created on first use. */
static uint32_t loc_id_pid(struct session *s, enum loc_kind kind, uint32_t file,
			   uint64_t addr, uint32_t pid)
{
	uint64_t h = hash_mix64(addr ^ ((uint64_t)file << 32) ^ ((uint64_t)kind << 61) ^
				((uint64_t)pid << 17));
	struct loc_key k;
	uint64_t key, *v;
	struct loc *l;

	memset(&k, 0, sizeof(k));
	k.s = s;
	k.want.kind = (uint8_t)kind;
	k.want.file = file;
	k.want.addr = addr;
	k.want.pid = pid;
	v = intmap_find_hashed(&s->loc_ids, h, same_loc, &k, &key);
	if (v)
		return (uint32_t)*v;
	ALLOC_GROW(s->locs, s->nlocs + 1, s->locs_alloc);
	l = &s->locs[s->nlocs];
	*l = k.want;
	intmap_put(&s->loc_ids, key, s->nlocs);
	if (profile_add_location(&s->prof, 0, 0, NULL, 0) != s->nlocs)
		BUG("session: location ids out of step with the profile");
	s->stats.locations++;
	if (kind == LOC_USER && s->warmer) {
		const struct file *f = &s->files[file];

		if (f->open_path && f->info_ok && !f->mismatch)
			warmer_add(s->warmer, f, addr);
	}
	return (uint32_t)s->nlocs++;
}

static uint32_t loc_id(struct session *s, enum loc_kind kind, uint32_t file,
		       uint64_t addr)
{
	return loc_id_pid(s, kind, file, addr, 0);
}

/* The profile thread (id + 1) of a sample of t, from (pid, tid, name). */
static uint32_t prof_thread(struct session *s, struct thread *t, pid_t pid, pid_t tid)
{
	const char *comm;
	uint32_t id;

	if (t && t->prof && t->prof_pid == pid && t->prof_run == s->prof.run)
		return t->prof;
	comm = t ? s->comms.v[t->comm].key : "";
	id = profile_thread(&s->prof, pid, tid, comm, strlen(comm)) + 1;
	if (t) {
		t->prof = id;
		t->prof_pid = pid;
		t->prof_run = s->prof.run;
	}
	return id;
}

/* Location of a user pc; adjust: look up pc - 1 (a return address). */
static uint32_t user_loc(struct session *s, struct proc *p, uint64_t pc, int adjust)
{
	struct map *m = p ? find_map(p, pc) : NULL;

	if (!m)
		return loc_id(s, LOC_NOFILE, UINT32_MAX, 0);
	/* code no file holds (JIT compilers): every pc kept, named later */
	if (!s->files[m->file].info_ok && !s->files[m->file].open_path &&
	    !s->files[m->file].special)
		return loc_id_pid(s, LOC_JIT, m->file, pc - (adjust ? 1 : 0), (uint32_t)p->pid);
	if (!m->bias_ok || s->files[m->file].mismatch)
		return loc_id(s, LOC_NOFILE, m->file, 0);
	s->files[m->file].samples++;
	return loc_id(s, LOC_USER, m->file, pc - m->bias - (adjust ? 1 : 0));
}

static int is_kernel_addr(uint64_t a)
{
	return a >= 0xffff800000000000ULL;
}

/*
 * Off-CPU: the state kernel location id tells (its function named from
 * the whole kernel table, loaded on first use: a block's state is told as
 * it is recorded, not once every name is known).
 */
static enum offcpu_state kernel_state(struct session *s, uint32_t id)
{
	struct loc *l = &s->locs[id];

	if (!l->kstate) {
		if (!s->kall)
			s->kall = kallsyms_load(s->opts.kallsyms);
		if (!l->kname)
			l->kname = kallsyms_lookup(s->kall, l->addr);
		l->kstate = (uint8_t)(offcpu_state_of(l->kname) + 1);
	}
	return (enum offcpu_state)(l->kstate - 1);
}

/* The state the kernel frames of a block tell, innermost first. */
static enum offcpu_state block_state(struct session *s, const uint32_t *kernel, size_t nk)
{
	size_t i;

	for (i = 0; i < nk; i++) {
		enum offcpu_state st = kernel_state(s, kernel[i]);

		if (st != OFFCPU_NONE)
			return st;
	}
	return OFFCPU_NONE;
}

/*
 * Thread t is back on the CPU at time end (or the recording ended): its
 * block becomes a sample, its stack ended by the frame of its state.
 */
static void end_block(struct session *s, struct thread *t, uint64_t end)
{
	uint64_t ns = end > t->off_since ? end - t->off_since : 0;
	uint64_t since = t->off_since, values[PROFILE_MAX_TYPES] = { 0 };
	enum offcpu_state state = (enum offcpu_state)t->off_state;
	const uint32_t *ids;
	size_t n;

	t->off_since = 0;
	if (state == OFFCPU_PREEMPTED && s->opts.time == SESSION_OFF_CPU &&
	    !s->opts.off_cpu_preempted) {
		s->stats.blocks_preempted++;
		return;
	}
	if (ns < s->opts.off_cpu_min_ns) {
		s->stats.blocks_short++;
		return;
	}
	ids = profile_stack_ids(&s->prof, t->off_stack, &n);
	/* the profile's stacks may move as one is added: a copy */
	memcpy(s->ids, ids, n * sizeof(*ids));
	/*
	 * A state the kernel did not tell is told by the innermost function
	 * of the program when it is named: one state frame per such leaf.
	 */
	s->ids[n++] = loc_id(s, LOC_STATE, state == OFFCPU_NONE ? t->off_leaf : 0, state);
	values[0] = 1;
	if (s->opts.time == SESSION_WALL) {
		values[2] = ns;
		values[3] = ns;
	} else {
		values[1] = ns;
	}
	profile_add_at(&s->prof, since, profile_stack(&s->prof, s->ids, n), t->off_thread,
		       values);
	s->stats.blocks++;
	s->stats.off_cpu_ns += ns;
}

/*
 * PERF_RECORD_SWITCH: a thread leaves the CPU (after the sample taken as
 * it does, which started its block) or comes back (which ends it). One
 * that leaves while it could go on running was preempted, not blocked.
 */
static void on_switch(struct session *s, const struct perf_format *fmt,
		      const struct perf_event_header *h)
{
	uint32_t pid, tid;
	uint64_t time;
	struct thread *t;

	if (s->opts.time == SESSION_CPU ||
	    perf_record_thread(fmt, h, &pid, &tid) || perf_record_time(fmt, h, &time))
		return;
	t = get_thread(s, (pid_t)tid);
	if (!t)
		return;
	if (h->misc & PERF_RECORD_MISC_SWITCH_OUT) {
		/*
		 * No sample started the block: the kernel dropped it (a ring
		 * was full; the sample is far larger than this record). The
		 * time is still the thread's: an unknown stack waits it.
		 */
		if (!t->off_since) {
			uint32_t unknown = loc_id(s, LOC_NOFILE, UINT32_MAX, 0);

			t->off_since = time;
			t->off_stack = profile_stack(&s->prof, &unknown, 1);
			t->off_thread = prof_thread(s, t, (pid_t)pid, (pid_t)tid);
			t->off_state = OFFCPU_NONE;
			t->off_leaf = 0;
		}
		if (h->misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT)
			t->off_state = OFFCPU_PREEMPTED;
		return;
	}
	if (t->off_since)
		end_block(s, t, time);
}

static void on_sample(struct session *s, const struct perf_format *fmt,
		      const struct perf_event_header *h);

/*
 * Thread tid of pid, blocked in a system call when the recording started:
 * a block starts at time, as if its switch-out had been sampled then,
 * from what /proc tells of the call (its user pc and stack pointer) and
 * a copy of stack_size bytes of its stack. A thread that runs, or whose
 * call cannot be read, is left alone. Returns 1 when a block started.
 */
static int blocked_thread(struct session *s, pid_t pid, pid_t tid, uint64_t time,
			  unsigned stack_size)
{
	char path[96], line[512], state = 0;
	unsigned long long pc, sp;
	long nr;
	FILE *fp;
	struct iovec local, remote;
	ssize_t got;
	struct perf_format fmt = { 0 };
	struct fg_buf rec = FG_BUF_INIT;
	struct perf_event_header h = { PERF_RECORD_SAMPLE, 0, 0 };
	uint64_t regs[2], mask, v, size;
	unsigned char *stack;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	if (!(fp = fopen(path, "r")))
		return 0;
	if (!fgets(line, sizeof(line), fp) || !strrchr(line, ')'))
		line[0] = '\0';
	fclose(fp);
	if (line[0])
		state = strrchr(line, ')')[1] == ' ' ? strrchr(line, ')')[2] : 0;
	if (state != 'S' && state != 'D')
		return 0;
	/* "NR ARG1 ... ARG6 SP PC", "-1 SP PC" outside a call, or "running" */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	if (!(fp = fopen(path, "r")))
		return 0;
	if (!fgets(line, sizeof(line), fp))
		line[0] = '\0';
	fclose(fp);
	if (sscanf(line, "%ld", &nr) != 1)
		return 0;
	if (nr >= 0 ? sscanf(line, "%*d %*x %*x %*x %*x %*x %*x %llx %llx", &sp, &pc) != 2
		    : sscanf(line, "%*d %llx %llx", &sp, &pc) != 2)
		return 0;
	stack_size &= ~7u;
	stack = xcalloc(1, stack_size ? stack_size : 8);
	local.iov_base = stack;
	local.iov_len = stack_size;
	remote.iov_base = (void *)(uintptr_t)sp;
	remote.iov_len = stack_size;
	got = stack_size ? process_vm_readv(pid, &local, 1, &remote, 1, 0) : 0;
	if (got < 0)
		got = 0;
	/* the record the kernel would have written: IP, TID, TIME, REGS_USER, STACK_USER */
	fmt.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
			  PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	mask = arch_pc_sp_regs(pc, sp, regs);
	fmt.regs_user_mask = mask;
	fmt.off_cpu = 1;
	fg_buf_add(&rec, &h, sizeof(h));
	v = pc;
	fg_buf_add(&rec, &v, 8);
	v = (uint64_t)(uint32_t)pid | (uint64_t)(uint32_t)tid << 32;
	fg_buf_add(&rec, &v, 8);
	fg_buf_add(&rec, &time, 8);
	v = PERF_SAMPLE_REGS_ABI_64;
	fg_buf_add(&rec, &v, 8);
	fg_buf_add(&rec, regs, sizeof(regs));
	size = stack_size;
	fg_buf_add(&rec, &size, 8);
	fg_buf_add(&rec, stack, stack_size);
	v = (uint64_t)got;
	fg_buf_add(&rec, &v, 8);
	free(stack);
	if (rec.len > 0xffff) {
		fg_buf_release(&rec);
		return 0;
	}
	((struct perf_event_header *)rec.buf)->size = (uint16_t)rec.len;
	on_sample(s, &fmt, (const struct perf_event_header *)rec.buf);
	fg_buf_release(&rec);
	return 1;
}

size_t session_add_blocked_threads(struct session *s, pid_t pid, uint64_t time,
				   unsigned stack_size)
{
	char path[64];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (s->opts.time == SESSION_CPU)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			n += (size_t)blocked_thread(s, pid, (pid_t)atoi(de->d_name), time,
						    stack_size);
	closedir(d);
	return n;
}

void session_end_recording(struct session *s, uint64_t time)
{
	size_t i = 0;
	uint64_t k, v;

	while (intmap_next(&s->threads, &i, &k, &v)) {
		struct thread *t = (struct thread *)(uintptr_t)v;

		if (t->off_since)
			end_block(s, t, time);
	}
}

static void on_sample(struct session *s, const struct perf_format *fmt,
		      const struct perf_event_header *h)
{
	struct perf_sample smp;
	struct thread *t;
	struct proc *p;
	uint32_t *ids = s->ids;
	uint32_t kernel[MAX_KERNEL_FRAMES];
	size_t nids = 0, nk = 0, i;
	uint64_t ctx = 0, values[PROFILE_MAX_TYPES] = { 0 };
	uint32_t thread;
	enum offcpu_state state = OFFCPU_NONE;
	size_t leaf;

	if (perf_sample_parse(fmt, h, &smp)) {
		s->stats.bad_samples++;
		return;
	}
	s->stats.samples++;
	t = get_thread(s, (pid_t)smp.tid);
	if (!t) {
		struct thread *leader = get_thread(s, (pid_t)smp.pid);
		t = add_thread(s, (pid_t)smp.pid, (pid_t)smp.tid,
			       leader ? leader->comm : comm_id(s, "", 0));
	}
	p = get_proc(s, (pid_t)smp.pid, 1);
	thread = prof_thread(s, t, (pid_t)smp.pid, (pid_t)smp.tid);

	/* Kernel frames from the callchain (innermost first). */
	for (i = 0; i < smp.callchain_nr; i++) {
		uint64_t ip = smp.callchain[i];

		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			ctx = ip;
			continue;
		}
		if (ctx == (uint64_t)PERF_CONTEXT_KERNEL && !s->opts.no_kernel &&
		    nk < MAX_KERNEL_FRAMES) {
			kernel[nk] = loc_id(s, LOC_KERNEL, 0, ip - (nk ? 1 : 0));
			nk++;
		}
	}

	if (smp.regs && smp.regs_abi != PERF_SAMPLE_REGS_ABI_NONE) {
		enum unwind_end end = UNWIND_TRUNCATED;
		size_t n = 0, j;

		for (j = 0; j < p->nmaps; j++)
			report_map(s, p, &p->maps[j]);
		if (p->unw)
			n = unwind_sample(p->unw, fmt, &smp, s->pcs, MAX_FRAMES, &end);
		if (!n) {
			s->pcs[0] = arch_sample_pc(fmt, &smp);
			n = 1;
			end = UNWIND_TRUNCATED;
		}
		s->stats.user_unwound++;
		if (end == UNWIND_COMPLETE)
			s->stats.complete++;
		else
			s->stats.truncated++;
		/* outermost first */
		for (j = n; j > 0; j--)
			ids[nids++] = user_loc(s, p, s->pcs[j - 1], j - 1 > 0);
	} else {
		/* Frame-pointer mode: user frames from the callchain. */
		size_t first = nids;

		ctx = 0;
		for (i = 0; i < smp.callchain_nr && nids < MAX_FRAMES; i++) {
			uint64_t ip = smp.callchain[i];

			if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
				ctx = ip;
				continue;
			}
			if (ctx == (uint64_t)PERF_CONTEXT_USER) {
				ids[nids] = user_loc(s, p, ip, nids > first);
				nids++;
			}
		}
		if (nids == first && !nk && smp.ip && !is_kernel_addr(smp.ip))
			ids[nids++] = user_loc(s, p, smp.ip, 0);
		if (nids == first)
			s->stats.kernel_only++;
		/* reverse to outermost first */
		for (i = 0; i < (nids - first) / 2; i++) {
			uint32_t tmp = ids[first + i];
			ids[first + i] = ids[nids - 1 - i];
			ids[nids - 1 - i] = tmp;
		}
		if (nids > first)
			s->stats.user_unwound++;
	}
	if (fmt->off_cpu)
		state = block_state(s, kernel, nk);
	leaf = nids;	/* innermost user location + 1 */
	while (nk > 0)
		ids[nids++] = kernel[--nk];
	if (nids == 0)
		ids[nids++] = loc_id(s, LOC_NOFILE, UINT32_MAX, 0);
	if (s->sample_hook)
		s->sample_hook(s->sample_hook_ctx, &smp, ids, nids);
	if (fmt->off_cpu) {
		/* a block starts: it is weighed when it ends */
		if (s->opts.time != SESSION_CPU && smp.time) {
			t->off_since = smp.time;
			t->off_stack = profile_stack(&s->prof, ids, nids);
			t->off_thread = thread;
			t->off_state = (uint8_t)state;
			t->off_leaf = leaf ? ids[leaf - 1] + 1 : 0;
		}
		return;
	}
	values[0] = 1;
	values[1] = smp.period;
	if (s->opts.time == SESSION_WALL)
		values[3] = smp.period;
	/*
	 * The sums of one count and a recording's periods do not overflow;
	 * a timeline that could not grow fails for good, and whoever reads
	 * it back is told.
	 */
	profile_add_at(&s->prof, smp.time, profile_stack(&s->prof, ids, nids),
		       thread, values);
}

int session_record(void *ctx, const struct perf_format *fmt,
		   const struct perf_event_header *h)
{
	struct session *s = ctx;

	switch (h->type) {
	case PERF_RECORD_SAMPLE:
		on_sample(s, fmt, h);
		break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		on_mmap(s, h);
		break;
	case PERF_RECORD_COMM:
		on_comm(s, h);
		break;
	case PERF_RECORD_FORK:
		on_fork(s, h);
		break;
	case PERF_RECORD_EXIT:
		on_exit_rec(s, h);
		break;
	case PERF_RECORD_SWITCH:
		on_switch(s, fmt, h);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * The name of JIT code at a LOC_JIT, from its process's perf map and
 * jitdump files, read on first use (after the recording: the runtimes
 * write them as they go). NULL when they do not name it.
 */
static const char *jit_name(struct session *s, struct loc *l)
{
	struct proc *p = get_proc(s, (pid_t)l->pid, 0);
	const char *name;
	size_t i;

	if (!p)
		return NULL;
	if (!p->jit_loaded) {
		char path[64];

		p->jit_loaded = 1;
		p->jit = jit_syms_new();
		snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)p->pid);
		if (jit_syms_load_perf_map(p->jit, path, &s->notes) > 0)
			s->stats.jit_maps++;
		for (i = 0; i < p->njitdumps; i++)
			if (jit_syms_load_jitdump(p->jit, s->files[p->jitdumps[i]].path,
						  &s->notes) > 0)
				s->stats.jit_maps++;
		if (s->notes.len && s->notes.buf[s->notes.len - 1] != '\n')
			fg_buf_addch(&s->notes, '\n');
	}
	name = jit_syms_find(p->jit, l->addr);
	if (name)
		s->stats.jit_named++;
	return name;
}

/* The profile mapping (+ 1) of file i, added on first use. */
static uint32_t file_mapping(struct session *s, uint32_t i)
{
	struct file *f = &s->files[i];
	struct profile_mapping *m;
	uint32_t id;

	if (s->nfile_mapping < s->nfiles) {
		s->file_mapping = xrealloc(s->file_mapping,
					   st_mult(s->nfiles, sizeof(*s->file_mapping)));
		memset(s->file_mapping + s->nfile_mapping, 0,
		       (s->nfiles - s->nfile_mapping) * sizeof(*s->file_mapping));
		s->nfile_mapping = s->nfiles;
	}
	if (s->file_mapping[i])
		return s->file_mapping[i];
	id = profile_add_mapping(&s->prof, f->path, f->build_id, f->build_id_len,
				 f->first_start, f->first_end, f->first_pgoff);
	m = &s->prof.mappings[id];
	if (f->sf) {
		m->has_symtab = !!sym_file_has_symtab(f->sf);
		m->has_debuginfo = !!sym_file_has_debuginfo(f->sf);
	}
	s->file_mapping[i] = id + 1;
	return id + 1;
}

static uint32_t kernel_mapping(struct session *s)
{
	if (!s->kernel_mapping) {
		uint32_t id = profile_add_mapping(&s->prof, "[kernel.kallsyms]", NULL, 0,
						  0, 0, 0);

		s->prof.mappings[id].kernel = 1;
		s->kernel_mapping = id + 1;
	}
	return s->kernel_mapping;
}

/* Fill the profile location of l (id: its index) with its names. */
static void name_loc(struct session *s, struct loc *l, uint32_t id)
{
	struct profile_line one = { 0 };

	l->named = 1;
	switch (l->kind) {
	case LOC_KERNEL:
		if (!l->kname) {
			/* name_kernel_locs() names them all at once; this is one more */
			ALLOC_GROW(s->kpools, s->nkpools + 1, s->kpools_alloc);
			s->kpools[s->nkpools++] = kallsyms_resolve(s->opts.kallsyms,
								   &l->addr, 1, &l->kname);
		}
		one.function = l->kname;
		profile_set_location(&s->prof, id, kernel_mapping(s), l->addr, &one,
				     l->kname ? 1 : 0);
		return;
	case LOC_JIT:
		one.function = jit_name(s, l);
		profile_set_location(&s->prof, id, file_mapping(s, l->file), l->addr,
				     &one, one.function ? 1 : 0);
		return;
	case LOC_STATE: {
		enum offcpu_state st = (enum offcpu_state)l->addr;

		if (st == OFFCPU_NONE && l->file) {
			uint32_t leaf = l->file - 1;
			const struct profile_location *pl = &s->prof.locations[leaf];

			if (!s->locs[leaf].named)
				name_loc(s, &s->locs[leaf], leaf);
			if (pl->nlines)
				st = offcpu_state_of_user(s->prof.lines[pl->first_line].function);
		}
		one.function = offcpu_state_name(st);
		profile_set_location(&s->prof, id, 0, 0, &one, 1);
		s->prof.locations[id].flags |= PROFILE_LOC_SYNTHETIC;
		return;
	}
	case LOC_NOFILE:
		profile_set_location(&s->prof, id,
				     l->file == UINT32_MAX ? 0 : file_mapping(s, l->file),
				     0, NULL, 0);
		return;
	case LOC_USER: {
		struct file *f = &s->files[l->file];
		struct profile_line few[16], *lines = few;
		const char *const *names = NULL;
		const struct sym_frame *frames = NULL;
		struct sym_file *sf = open_file(s, f);
		size_t n = 0, k;

		if (sf)
			n = s->opts.details ? sym_lookup_frames(s->sym, sf, l->addr, &frames)
					    : sym_lookup(s->sym, sf, l->addr, &names);
		if (n > ARRAY_SIZE(few))
			lines = xcalloc(n, sizeof(*lines));
		for (k = 0; k < n; k++) {
			memset(&lines[k], 0, sizeof(lines[k]));
			if (frames) {
				lines[k].function = frames[k].name;
				lines[k].system_name = frames[k].mangled;
				lines[k].file = frames[k].file;
				lines[k].start_line = frames[k].line;
			} else {
				lines[k].function = names[k];
			}
		}
		profile_set_location(&s->prof, id, file_mapping(s, l->file), l->addr,
				     lines, n);
		if (lines != few)
			free(lines);
		return;
	}
	}
}

void session_set_sample_hook(struct session *s, session_sample_fn fn, void *ctx)
{
	s->sample_hook = fn;
	s->sample_hook_ctx = ctx;
}

/*
 * Name the kernel locations not named yet in one pass over the kernel's
 * symbol table: only the names they need are kept.
 */
static void name_kernel_locs(struct session *s)
{
	uint64_t *addrs = NULL;
	const char **names;
	uint32_t *idx = NULL;
	size_t i, n = 0, alloc = 0, alloc2 = 0;

	for (i = 0; i < s->nlocs; i++) {
		if (s->locs[i].kind != LOC_KERNEL || s->locs[i].named || s->locs[i].kname)
			continue;
		ALLOC_GROW(addrs, n + 1, alloc);
		ALLOC_GROW(idx, n + 1, alloc2);
		addrs[n] = s->locs[i].addr;
		idx[n++] = (uint32_t)i;
	}
	if (!n)
		return;
	names = xmalloc(st_mult(n, sizeof(*names)));
	ALLOC_GROW(s->kpools, s->nkpools + 1, s->kpools_alloc);
	s->kpools[s->nkpools++] = kallsyms_resolve(s->opts.kallsyms, addrs, n, names);
	for (i = 0; i < n; i++)
		s->locs[idx[i]].kname = names[i];
	free(names);
	free(addrs);
	free(idx);
}

/* Name every location not named yet (progress: see session_finish()). */
static void name_all(struct session *s, void (*progress)(uint64_t, uint64_t))
{
	size_t i;

	/* The symbolizer is ours again once the warmer is done. */
	warmer_finish(s->warmer);
	s->warmer = NULL;
	name_kernel_locs(s);
	for (i = 0; i < s->nlocs; i++) {
		if (progress && !(i & 1023))
			progress(i, s->nlocs);
		if (!s->locs[i].named)
			name_loc(s, &s->locs[i], (uint32_t)i);
	}
	if (progress)
		progress(s->nlocs, s->nlocs);
}

void session_stack_name(struct session *s, const uint32_t *ids, size_t n,
			struct fg_buf *out)
{
	size_t j;

	name_all(s, NULL);
	fg_buf_reset(out);
	for (j = 0; j < n; j++) {
		if (ids[j] >= s->nlocs)
			BUG("session_stack_name: bad location id %u", ids[j]);
		profile_location_fold(&s->prof, ids[j], !j, out);
	}
}

/*
 * The statistics of the named profile: frames shown, frames and files
 * left without a name (counted once per sample and file).
 */
static void count_names(struct session *s)
{
	const struct profile *p = &s->prof;
	size_t i, j, n;

	s->stats.distinct_stacks = p->nstacks;
	for (i = 0; i < p->nsamples; i++) {
		const uint32_t *ids = profile_stack_ids(p, p->samples[i].stack, &n);
		uint64_t count = profile_values(p, i)[0];

		s->stats.frames += count;	/* the root */
		for (j = 0; j < n; j++) {
			const struct loc *l = &s->locs[ids[j]];
			const struct profile_location *pl = &p->locations[ids[j]];
			int unnamed = !pl->nlines;

			s->stats.frames += count * (unnamed ? 1 : pl->nlines);
			if (l->kind == LOC_NOFILE || (l->kind == LOC_USER && unnamed))
				s->stats.unnamed_frames += count;
			if (l->kind == LOC_USER && unnamed &&
			    s->files[l->file].unnamed_sample != i + 1) {
				s->files[l->file].unnamed += count;
				s->files[l->file].unnamed_sample = i + 1;
			}
		}
	}
}

int session_finish(struct session *s, void (*progress)(uint64_t done, uint64_t total))
{
	struct sym_stats sst;

	if (s->finished)
		return 0;
	name_all(s, progress);
	sym_cache_stats(s->sym, &sst);
	s->stats.too_complex = sst.too_complex;
	count_names(s);
	s->prof.meta.stacks_walked = s->stats.user_unwound;
	s->prof.meta.stacks_complete = s->stats.complete;
	s->finished = 1;
	return 0;
}

struct profile *session_profile(struct session *s)
{
	return &s->prof;
}

void session_for_each_skipped_file(struct session *s,
				   void (*fn)(void *ctx, const char *path, const char *kind),
				   void *ctx)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++)
		if (s->files[i].special)
			fn(ctx, s->files[i].path, s->files[i].special);
}

void session_for_each_poor_file(struct session *s,
				void (*fn)(void *ctx, const char *path,
					   int has_symtab, int has_debuginfo,
					   uint64_t samples, uint64_t unnamed),
				void *ctx)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		struct file *f = &s->files[i];
		int st, di;

		if (!f->sf || !f->samples)
			continue;
		st = sym_file_has_symtab(f->sf);
		di = sym_file_has_debuginfo(f->sf);
		if (!di)
			s->stats.files_without_debuginfo++;
		if (!st || !di || f->unnamed)
			fn(ctx, f->path, st, di, f->samples, f->unnamed);
	}
}
