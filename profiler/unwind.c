#include "unwind.h"
#include "arch.h"
#include "../lib/intmap.h"

#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <fcntl.h>
#include <unistd.h>

/*
 * The fast path. Nearly every CFI row of x86_64 code says: the CFA is the
 * stack or frame pointer plus an offset; the return address, and maybe
 * the caller's frame pointer, are saved at the CFA plus an offset. Such a
 * row, reduced to those numbers, is cached per pc, so a frame costs a hash
 * look-up and a load from the stack copy. Anything else (a signal frame,
 * a DWARF expression, a CFA based on another register, a pc without CFI,
 * a load outside the stack copy) sends the whole sample to libdwfl, which
 * gives the same answer on the rows both understand.
 */
enum rule_kind {
	RULE_SLOW,		/* unwind this sample with libdwfl */
	RULE_FRAME,		/* the caller is found by the offsets */
	RULE_OUTERMOST,		/* CFI says there is no caller */
};

enum fp_rule { FP_SAME, FP_SAVED, FP_UNDEFINED };

struct rule {
	int32_t cfa_off, ra_off, fp_off;
	uint8_t kind;		/* enum rule_kind */
	uint8_t cfa_on_fp;	/* CFA = fp + cfa_off, else sp + cfa_off */
	uint8_t fp;		/* enum fp_rule */
};

struct unwinder {
	pid_t pid;
	Dwfl *dwfl;
	int attached;
	int nmodules;
	/* the sample being unwound */
	const struct perf_format *fmt;
	const struct perf_sample *sample;
	uint64_t sp;
	int read_miss;		/* libdwfl asked for a word past the end of
				   the stack copy */
	/* frame collection */
	uint64_t *pcs;
	size_t npcs, max;
	/* the fast path's rules: pc -> index in rules */
	struct rule *rules;
	size_t nrules, rules_alloc;
	struct intmap rule_ids;
};

static int fast_disabled = -1;	/* FG_UNWIND_SLOW=1: libdwfl only */
static struct unwind_check_stats check_stats;
static int check_mode;

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
	free(u->rules);
	intmap_release(&u->rule_ids);
	free(u);
}

static void rules_clear(struct unwinder *u)
{
	free(u->rules);
	u->rules = NULL;
	u->nrules = u->rules_alloc = 0;
	intmap_release(&u->rule_ids);
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
	/* An address may now belong to another file: forget the rules. */
	rules_clear(u);
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
	if (!s || !s->stack || addr < u->sp)
		return false;	/* below the stack: a guess of libdwfl's */
	if (addr - u->sp > s->stack_dyn_size ||
	    s->stack_dyn_size - (addr - u->sp) < sizeof(*result)) {
		u->read_miss = 1;	/* past the copy: it ran out */
		return false;
	}
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
	/*
	 * Every register, the return address column (the pc) included: the
	 * CFA expression of PLT entries reads it (DW_OP_breg16 on x86_64).
	 */
	if (!dwfl_thread_state_registers(thread, 0, ARCH_NR_DWARF_REGS, w))
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

/* A stack word at addr from the copy, as memory_read() serves it. */
static int stack_word(const struct unwinder *u, uint64_t addr, uint64_t *v)
{
	const struct perf_sample *s = u->sample;

	if (addr < u->sp || addr - u->sp > s->stack_dyn_size ||
	    s->stack_dyn_size - (addr - u->sp) < sizeof(*v))
		return -1;
	memcpy(v, s->stack + (addr - u->sp), sizeof(*v));
	return 0;
}

/* ops is "the CFA" or "the CFA + N", as libdw spells offset rules. */
static int cfa_plus(const Dwarf_Op *ops, size_t nops, int32_t *off)
{
	int64_t n = 0;

	if (!nops || ops[0].atom != DW_OP_call_frame_cfa)
		return -1;
	if (nops == 2 && ops[1].atom == DW_OP_plus_uconst)
		n = (int64_t)ops[1].number;
	else if (nops != 1)
		return -1;
	if (n < INT32_MIN || n > INT32_MAX)
		return -1;
	*off = (int32_t)n;
	return 0;
}

static void rule_from_frame(Dwarf_Frame *frame, struct rule *r)
{
	Dwarf_Op mem[3], *ops;
	size_t nops;
	Dwarf_Addr start, end;
	bool signal;
	int ra, ret;
	int64_t off;

	ra = dwarf_frame_info(frame, &start, &end, &signal);
	if (ra < 0 || signal)
		return;
	/* the return address first: undefined marks the outermost frame */
	ret = dwarf_frame_register(frame, ra, mem, &ops, &nops);
	if (ret < 0)
		return;
	if (!nops && ops == mem) {
		r->kind = RULE_OUTERMOST;
		return;
	}
	if (ret != 0 || cfa_plus(ops, nops, &r->ra_off))
		return;
	if (dwarf_frame_cfa(frame, &ops, &nops) || nops != 1)
		return;
	if (ops[0].atom == DW_OP_bregx) {
		if (ops[0].number != ARCH_DWARF_SP && ops[0].number != ARCH_DWARF_FP)
			return;
		r->cfa_on_fp = ops[0].number == ARCH_DWARF_FP;
		off = (int64_t)ops[0].number2;
	} else if (ops[0].atom == DW_OP_breg0 + ARCH_DWARF_SP ||
		   ops[0].atom == DW_OP_breg0 + ARCH_DWARF_FP) {
		r->cfa_on_fp = ops[0].atom == DW_OP_breg0 + ARCH_DWARF_FP;
		off = (int64_t)ops[0].number;
	} else {
		return;
	}
	if (off < INT32_MIN || off > INT32_MAX)
		return;
	r->cfa_off = (int32_t)off;
	ret = dwarf_frame_register(frame, ARCH_DWARF_FP, mem, &ops, &nops);
	if (ret < 0)
		return;
	if (!nops && !ops)
		r->fp = FP_SAME;
	else if (!nops && ops == mem)
		r->fp = FP_UNDEFINED;
	else if (ret == 0 && !cfa_plus(ops, nops, &r->fp_off))
		r->fp = FP_SAVED;
	else
		return;
	r->kind = RULE_FRAME;
}

/* The CFI row for pc (.eh_frame first, then .debug_frame, as libdwfl). */
static void rule_compute(struct unwinder *u, uint64_t pc, struct rule *r)
{
	Dwfl_Module *mod = dwfl_addrmodule(u->dwfl, pc);
	Dwarf_Addr bias;
	Dwarf_CFI *cfi;
	Dwarf_Frame *frame;
	int pass;

	r->kind = RULE_SLOW;
	if (!mod)
		return;
	for (pass = 0; pass < 2; pass++) {
		cfi = pass ? dwfl_module_dwarf_cfi(mod, &bias) : dwfl_module_eh_cfi(mod, &bias);
		if (cfi && !dwarf_cfi_addrframe(cfi, pc - bias, &frame)) {
			rule_from_frame(frame, r);
			free(frame);
			return;
		}
	}
}

/* The rule at pc, computed on first use; valid until the next call. */
static const struct rule *rule_get(struct unwinder *u, uint64_t pc)
{
	uint64_t *idx = intmap_get(&u->rule_ids, pc);
	struct rule *r;

	if (idx)
		return &u->rules[*idx];
	ALLOC_GROW(u->rules, u->nrules + 1, u->rules_alloc);
	r = &u->rules[u->nrules];
	memset(r, 0, sizeof(*r));
	rule_compute(u, pc, r);
	intmap_put(&u->rule_ids, pc, u->nrules++);
	return r;
}

/*
 * Unwind with the cached rules. Returns 0 with u->pcs filled and *end set,
 * or -1 where libdwfl must do it.
 */
static int fast_unwind_frames(struct unwinder *u, enum unwind_end *end)
{
	uint64_t regs[ARCH_NR_DWARF_REGS], pc, sp, fp, cfa, ra;
	int fp_known = 1, first = 1;

	if (arch_dwarf_regs(u->fmt, u->sample, regs))
		return -1;
	pc = regs[ARCH_NR_DWARF_REGS - 1];
	sp = regs[ARCH_DWARF_SP];
	fp = regs[ARCH_DWARF_FP];
	for (;;) {
		const struct rule *r;
		uint64_t at = first ? pc : pc - 1;	/* a call's own address */

		if (u->npcs >= u->max) {
			*end = UNWIND_TRUNCATED;
			return 0;
		}
		u->pcs[u->npcs++] = pc;
		if (!at || at == UINT64_MAX)	/* (a key the map reserves) */
			return -1;
		r = rule_get(u, at);
		if (r->kind == RULE_OUTERMOST) {
			*end = UNWIND_COMPLETE;
			return 0;
		}
		if (r->kind != RULE_FRAME || (r->cfa_on_fp && !fp_known))
			return -1;
		cfa = (r->cfa_on_fp ? fp : sp) + (uint64_t)(int64_t)r->cfa_off;
		if (stack_word(u, cfa + (uint64_t)(int64_t)r->ra_off, &ra))
			return -1;
		if (r->fp == FP_SAVED) {
			if (stack_word(u, cfa + (uint64_t)(int64_t)r->fp_off, &fp))
				return -1;
		} else if (r->fp == FP_UNDEFINED) {
			fp_known = 0;
		}
		if (!ra) {
			/* libdwfl, too, takes a zero return address for the end */
			*end = UNWIND_COMPLETE;
			return 0;
		}
		sp = cfa;
		pc = ra;
		first = 0;
	}
}

/* One frame only: libdwfl's path adds the frame-pointer chain then. */
static int fast_unwind_checked(struct unwinder *u, enum unwind_end *end)
{
	return fast_unwind_frames(u, end) || u->npcs <= 1 ? -1 : 0;
}

void unwind_check(int on)
{
	check_mode = on;
}

const struct unwind_check_stats *unwind_check_stats(void)
{
	return &check_stats;
}

/*
 * Follow saved frame pointers through the stack copy: each frame record
 * holds the caller's frame pointer and, ARCH_FRAME_RA_OFFSET on, the
 * return address.
 */
static size_t fp_walk(struct unwinder *u, uint64_t fp)
{
	const struct perf_sample *s = u->sample;

	while (u->npcs < u->max && fp >= u->sp &&
	       fp - u->sp + ARCH_FRAME_RA_OFFSET + 8 <= s->stack_dyn_size) {
		uint64_t next, ret;

		memcpy(&next, s->stack + (fp - u->sp), 8);
		memcpy(&ret, s->stack + (fp - u->sp) + ARCH_FRAME_RA_OFFSET, 8);
		if (!ret)
			break;
		u->pcs[u->npcs++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return u->npcs;
}

/* The libdwfl walk, with the frame-pointer chain where it finds no CFI. */
static size_t slow_unwind(struct unwinder *u, enum unwind_end *end)
{
	int ret;

	u->npcs = 0;
	u->read_miss = 0;
	ret = dwfl_getthread_frames(u->dwfl, (pid_t)u->sample->tid, frame_cb, u);
	if (u->npcs <= 1) {
		/* No CFI for the sampled pc: try the frame-pointer chain. */
		if (!u->npcs)
			u->pcs[u->npcs++] = arch_sample_pc(u->fmt, u->sample);
		fp_walk(u, arch_sample_fp(u->fmt, u->sample));
		*end = UNWIND_TRUNCATED;
	} else if ((ret == 0 && !u->read_miss) || !u->pcs[u->npcs - 1]) {
		/*
		 * libdwfl ends a walk without error where it cannot read a
		 * return address, as if that frame were the outermost: a
		 * word past the stack copy means the copy ran out.
		 */
		*end = UNWIND_COMPLETE;
	} else {
		*end = UNWIND_TRUNCATED;
	}
	return u->npcs;
}

/* unwind_check(1): both walks, compared; the libdwfl one is returned. */
static size_t checked_unwind(struct unwinder *u, enum unwind_end fast_end,
			     enum unwind_end *end)
{
	size_t nfast = u->npcs, n;
	uint64_t *fast = xmalloc(st_mult(nfast, sizeof(*fast)));

	memcpy(fast, u->pcs, nfast * sizeof(*fast));
	n = slow_unwind(u, end);
	if (n == nfast && *end == fast_end && !memcmp(fast, u->pcs, n * sizeof(*fast))) {
		check_stats.same++;
	} else {
		size_t i;

		if (check_stats.differ++ < 5) {
			fprintf(stderr, "unwind check: tid %u: fast %zu frames (%s), libdwfl %zu (%s)\n",
				u->sample->tid, nfast, fast_end == UNWIND_COMPLETE ? "complete" : "truncated",
				n, *end == UNWIND_COMPLETE ? "complete" : "truncated");
			for (i = 0; i < nfast || i < n; i++)
				fprintf(stderr, "  %2zu %16" PRIx64 " %16" PRIx64 "\n", i,
					i < nfast ? fast[i] : 0, i < n ? u->pcs[i] : 0);
		}
	}
	free(fast);
	return n;
}

size_t unwind_sample(struct unwinder *u, const struct perf_format *fmt,
		     const struct perf_sample *s, uint64_t *pcs, size_t max,
		     enum unwind_end *end)
{
	enum unwind_end fast_end;
	size_t n;

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
	if (!u->attached && u->nmodules &&
	    dwfl_attach_state(u->dwfl, NULL, u->pid, &thread_callbacks, u))
		u->attached = 1;
	if (!u->attached) {
		/* nothing to unwind with: only the sampled pc is known */
		pcs[0] = arch_sample_pc(fmt, s);
		*end = UNWIND_TRUNCATED;
		u->sample = NULL;
		return 1;
	}
	if (fast_disabled < 0) {
		const char *e = getenv("FG_UNWIND_SLOW");

		fast_disabled = e && *e == '1';
	}
	if (fast_disabled) {
		n = slow_unwind(u, end);
	} else if (!fast_unwind_checked(u, &fast_end)) {
		if (check_mode) {
			n = checked_unwind(u, fast_end, end);
		} else {
			*end = fast_end;
			n = u->npcs;
		}
	} else {
		check_stats.slow++;
		n = slow_unwind(u, end);
	}
	u->sample = NULL;
	return n;
}
