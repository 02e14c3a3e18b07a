/*
 * test-tool perf-data: the perf.data reader (profiler/perf-data.h) from
 * the shell.
 *
 *   test-tool perf-data [OPTIONS] FILE
 *	a summary of what the reader found, one "key: value" per line
 *   test-tool perf-data --folded [OPTIONS] FILE
 *	the folded stacks of the file's samples, through a profiling session
 *	(unwound and named by us), sorted
 *   test-tool perf-data --samples [OPTIONS] FILE
 *	one line per sample in the order the session saw them:
 *	"TID SECONDS.NANOSECONDS frame;frame;..." (outermost first, the
 *	root frame, the command name, left out), for comparisons with
 *	`perf script --ns`
 *   test-tool perf-data --records FILE
 *	one line per record handed over: "TYPE TIME SIZE" (TIME 0: none)
 *
 * Options: --event NAME (keep that event), --no-inline, --max-pending N,
 * --check-unwind (with --folded or --samples: unwind every sample with the
 * fast path and with libdwfl, compare, and print "unwind check: S same,
 * D differ, L left to libdwfl" on stderr; exit status 1 when some differ).
 * Exit status: 0; 1 when the file is corrupt or unreadable; 3 when the
 * reader does not support it (the message says why); 64 on usage errors.
 */
#include "../../lib/common.h"
#include "../../lib/buf.h"
#include "../../lib/error.h"
#include "../../lib/stacks.h"
#include "../../profiler/perf-data.h"
#include "../../profiler/session.h"
#include "../../profiler/unwind.h"

int cmd_perf_data(int argc, const char **argv);

struct sample_line {
	uint32_t tid;
	uint64_t time;
	uint32_t *ids;
	size_t n;
};

struct dump {
	struct sample_line *v;
	size_t nr, alloc;
};

static void on_sample(void *ctx, const struct perf_sample *smp,
		      const uint32_t *ids, size_t n)
{
	struct dump *d = ctx;
	struct sample_line *l;

	ALLOC_GROW(d->v, d->nr + 1, d->alloc);
	l = &d->v[d->nr++];
	l->tid = smp->tid;
	l->time = smp->time;
	l->n = n;
	l->ids = xmalloc(st_mult(n, sizeof(*ids)));
	memcpy(l->ids, ids, n * sizeof(*ids));
}

static int print_record(void *ctx, const struct perf_format *fmt,
			const struct perf_event_header *h)
{
	uint64_t time = 0;

	(void)ctx;
	if (h->type == PERF_RECORD_SAMPLE) {
		struct perf_sample s;

		if (!perf_sample_parse(fmt, h, &s))
			time = s.time;
	} else if (perf_record_time(fmt, h, &time)) {
		time = 0;
	}
	printf("%u %" PRIu64 " %u\n", h->type, time, h->size);
	return 0;
}

static int count_record(void *ctx, const struct perf_format *fmt,
			const struct perf_event_header *h)
{
	(void)ctx;
	(void)fmt;
	(void)h;
	return 0;
}

static void print_summary(const struct perf_data_stats *st)
{
	printf("event: %s\n", st->event);
	printf("events: %u\n", st->nr_events);
	if (st->freq)
		printf("frequency: %" PRIu64 "\n", st->sample_freq);
	else
		printf("period: %" PRIu64 "\n", st->sample_freq);
	printf("callchain: %d\n", st->callchain);
	printf("dwarf: %d\n", st->dwarf);
	printf("stack-size: %u\n", st->stack_size);
	printf("arch: %s\n", st->arch);
	printf("cmdline: %s\n", st->cmdline);
	printf("pipe-mode: %d\n", st->pipe_mode);
	printf("unfinished: %d\n", st->unfinished);
	printf("compressed: %d\n", st->compressed);
	printf("records: %" PRIu64 "\n", st->records);
	printf("delivered: %" PRIu64 "\n", st->delivered);
	printf("samples: %" PRIu64 "\n", st->samples);
	printf("other-samples: %" PRIu64 "\n", st->other_samples);
	printf("bad-samples: %" PRIu64 "\n", st->bad_samples);
	printf("lost: %" PRIu64 "\n", st->lost);
	printf("rounds: %" PRIu64 "\n", st->rounds);
	printf("compressed-records: %" PRIu64 "\n", st->compressed_records);
	printf("compressed-bytes: %" PRIu64 "\n", st->compressed_bytes);
	printf("decompressed-bytes: %" PRIu64 "\n", st->decompressed_bytes);
	printf("trimmed-bytes: %" PRIu64 "\n", st->trimmed_bytes);
	printf("pending-peak: %" PRIu64 "\n", st->pending_peak);
	printf("out-of-order: %" PRIu64 "\n", st->out_of_order);
	printf("forced-flushes: %" PRIu64 "\n", st->forced_flushes);
	printf("skipped-records: %" PRIu64 "\n", st->skipped_records);
	printf("data-bytes: %" PRIu64 "\n", st->data_bytes);
}

/* The folded line without its root frame (the command name). */
int cmd_perf_data(int argc, const char **argv)
{
	const char *usage = "usage: test-tool perf-data [--folded | --samples | --records] "
			    "[--event NAME] [--no-inline] [--max-pending N] [--check-unwind] FILE";
	struct perf_data_opts po = { 0 };
	struct session_opts so = { 0 };
	struct perf_data_stats st;
	struct fg_buf err = FG_BUF_INIT;
	struct session *s = NULL;
	struct dump d = { 0 };
	int folded = 0, samples = 0, records = 0, check = 0, ret, i;
	size_t k;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--folded")) {
			folded = 1;
		} else if (!strcmp(argv[i], "--samples")) {
			samples = 1;
		} else if (!strcmp(argv[i], "--records")) {
			records = 1;
		} else if (!strcmp(argv[i], "--check-unwind")) {
			check = 1;
			unwind_check(1);
		} else if (!strcmp(argv[i], "--no-inline")) {
			so.no_inline = 1;
		} else if (!strcmp(argv[i], "--event") && i + 1 < argc) {
			po.event = argv[++i];
		} else if (!strcmp(argv[i], "--max-pending") && i + 1 < argc) {
			po.max_pending = (size_t)strtoull(argv[++i], NULL, 10);
		} else {
			error("%s", usage);
			return EXIT_USAGE;
		}
	}
	if (i + 1 != argc) {
		error("%s", usage);
		return EXIT_USAGE;
	}
	if (folded || samples) {
		s = session_new(&so);
		if (samples)
			session_set_sample_hook(s, on_sample, &d);
		ret = perf_data_read(argv[i], &po, session_record, s, &st, &err);
	} else {
		ret = perf_data_read(argv[i], &po, records ? print_record : count_record,
				     NULL, &st, &err);
	}
	if (!ret && folded) {
		struct stack_table t;
		struct profile_view view = { 0 };

		stack_table_init(&t, 1);
		session_finish(s, NULL);
		ret = profile_fold(session_profile(s), &view, &t);
		stack_table_sort(&t);
		if (!ret)
			ret = stack_table_write(&t, stdout);
		stack_table_release(&t);
	}
	if (!ret && samples) {
		struct fg_buf line = FG_BUF_INIT;

		for (k = 0; k < d.nr; k++) {
			session_stack_name(s, d.v[k].ids, d.v[k].n, &line);
			printf("%u %" PRIu64 ".%09" PRIu64 " %s\n", d.v[k].tid,
			       d.v[k].time / 1000000000, d.v[k].time % 1000000000,
			       line.buf);
		}
		fg_buf_release(&line);
	}
	if (!ret && !folded && !samples && !records)
		print_summary(&st);
	if (check) {
		const struct unwind_check_stats *cs = unwind_check_stats();

		fprintf(stderr, "unwind check: %" PRIu64 " same, %" PRIu64 " differ, %"
			PRIu64 " left to libdwfl\n", cs->same, cs->differ, cs->slow);
		if (cs->differ && !ret)
			ret = -FG_ERR_BAD_INPUT;
	}
	for (k = 0; k < d.nr; k++)
		free(d.v[k].ids);
	free(d.v);
	session_free(s);
	if (ret) {
		error("%s (%s)", err.len ? err.buf : fg_strerror(ret), fg_strerror(ret));
		fg_buf_release(&err);
		return ret == -FG_ERR_UNSUPPORTED ? 3 : 1;
	}
	fg_buf_release(&err);
	if (fflush(stdout) || ferror(stdout))
		return error("cannot write the output");
	return 0;
}
