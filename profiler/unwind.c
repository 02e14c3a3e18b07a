#include "unwind.h"
#include "arch/regs.h"

#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <fcntl.h>
#include <unistd.h>

struct unwinder {
	pid_t pid;
	Dwfl *dwfl;
	int attached;
	int nmodules;
	/* the sample being unwound */
	const struct perf_format *fmt;
	const struct perf_sample *sample;
	uint64_t sp;
	/* frame collection */
	uint64_t *pcs;
	size_t npcs, max;
};

/*
 * Unwinding needs the CFI of the mapped files only (.eh_frame, or
 * .debug_frame when the file has it): separate debug files are never
 * searched, which keeps the recording path fast (and never asks a
 * debuginfod server).
 */
static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			Dwarf_Addr base, const char *file_name,
			const char *debuglink_file, GElf_Word debuglink_crc,
			char **debuginfo_file_name)
{
	(void)mod;
	(void)userdata;
	(void)modname;
	(void)base;
	(void)file_name;
	(void)debuglink_file;
	(void)debuglink_crc;
	(void)debuginfo_file_name;
	return -1;
}

static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = no_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct unwinder *unwind_new(pid_t pid)
{
	struct unwinder *u = xcalloc(1, sizeof(*u));

	u->pid = pid;
	u->dwfl = dwfl_begin(&dwfl_callbacks);
	if (!u->dwfl) {
		free(u);
		return NULL;
	}
	return u;
}

void unwind_free(struct unwinder *u)
{
	if (!u)
		return;
	dwfl_end(u->dwfl);
	free(u);
}

int unwind_report(struct unwinder *u, const char *name, const char *path,
		  int fd, uint64_t base)
{
	Dwfl_Module *mod;
	int dfd = -1;

	if (fd >= 0) {
		dfd = dup(fd);
		if (dfd < 0)
			return -1;
	}
	dwfl_report_begin_add(u->dwfl);
	mod = dwfl_report_elf(u->dwfl, name, path, dfd, base, false);
	dwfl_report_end(u->dwfl, NULL, NULL);
	if (!mod) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	u->nmodules++;
	return 0;
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct unwinder *u = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return u->sample ? (pid_t)u->sample->tid : u->pid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl;
	(void)tid;
	*thread_argp = arg;
	return true;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result,
			void *arg)
{
	struct unwinder *u = arg;
	const struct perf_sample *s = u->sample;

	(void)dwfl;
	if (!s || !s->stack)
		return false;
	if (addr < u->sp || addr - u->sp > s->stack_dyn_size ||
	    s->stack_dyn_size - (addr - u->sp) < sizeof(*result))
		return false;
	memcpy(result, s->stack + (addr - u->sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwinder *u = arg;
	uint64_t regs[ARCH_NR_DWARF_REGS];
	Dwarf_Word w[ARCH_NR_DWARF_REGS];
	int i;

	if (arch_dwarf_regs(u->fmt, u->sample, regs))
		return false;
	for (i = 0; i < ARCH_NR_DWARF_REGS; i++)
		w[i] = regs[i];
	if (!dwfl_thread_state_registers(thread, 0, ARCH_NR_DWARF_REGS - 1, w))
		return false;
	dwfl_thread_state_register_pc(thread, w[ARCH_NR_DWARF_REGS - 1]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

static int frame_cb(Dwfl_Frame *frame, void *arg)
{
	struct unwinder *u = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(frame, &pc, &activation))
		return DWARF_CB_ABORT;
	if (u->npcs >= u->max)
		return DWARF_CB_ABORT;
	/* A zero return address marks the outermost frame on x86_64. */
	if (!pc && u->npcs)
		return DWARF_CB_ABORT;
	u->pcs[u->npcs++] = pc;
	return DWARF_CB_OK;
}

/* Follow saved frame pointers through the stack copy. */
static size_t fp_walk(struct unwinder *u, uint64_t fp)
{
	const struct perf_sample *s = u->sample;

	while (u->npcs < u->max && fp >= u->sp &&
	       fp - u->sp + 16 <= s->stack_dyn_size) {
		uint64_t next, ret;

		memcpy(&next, s->stack + (fp - u->sp), 8);
		memcpy(&ret, s->stack + (fp - u->sp) + 8, 8);
		if (!ret)
			break;
		u->pcs[u->npcs++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return u->npcs;
}

size_t unwind_sample(struct unwinder *u, const struct perf_format *fmt,
		     const struct perf_sample *s, uint64_t *pcs, size_t max,
		     enum unwind_end *end)
{
	int ret;

	if (!s->regs || s->regs_abi == PERF_SAMPLE_REGS_ABI_NONE || !max) {
		*end = UNWIND_NO_REGS;
		return 0;
	}
	u->fmt = fmt;
	u->sample = s;
	u->sp = arch_sample_sp(fmt, s);
	u->pcs = pcs;
	u->npcs = 0;
	u->max = max;
	if (!u->attached && u->nmodules) {
		if (!dwfl_attach_state(u->dwfl, NULL, u->pid, &thread_callbacks, u)) {
			/* cannot attach: only the sampled pc is known */
			pcs[0] = arch_sample_pc(fmt, s);
			*end = UNWIND_TRUNCATED;
			u->sample = NULL;
			return 1;
		}
		u->attached = 1;
	}
	if (!u->attached) {
		pcs[0] = arch_sample_pc(fmt, s);
		*end = UNWIND_TRUNCATED;
		u->sample = NULL;
		return 1;
	}
	ret = dwfl_getthread_frames(u->dwfl, (pid_t)s->tid, frame_cb, u);
	if (u->npcs <= 1) {
		/* No CFI for the sampled pc: try the frame-pointer chain. */
		if (!u->npcs)
			pcs[u->npcs++] = arch_sample_pc(fmt, s);
		fp_walk(u, arch_sample_fp(fmt, s));
		*end = UNWIND_TRUNCATED;
	} else if (ret == 0 || (u->npcs && !pcs[u->npcs - 1])) {
		*end = UNWIND_COMPLETE;
	} else {
		*end = UNWIND_TRUNCATED;
	}
	u->sample = NULL;
	return u->npcs;
}
