/*
 * Fuzz target: a perf.data file through a profiling session
 * (profiler/session.c): the records read by perf_data_read_fd() go to
 * session_record(), which models processes, threads and mappings and
 * unwinds samples that carry registers and a stack copy, then
 * session_fold() names the locations and folds the stacks.
 *
 * Mappings name files on this machine (the seeds were recorded here), so
 * the unwinder and the symbolizer read real binaries; kernel frames are
 * named from an empty symbol table instead of /proc/kallsyms.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../lib/stacks.h"
#include "../../profiler/perf-data.h"
#include "../../profiler/session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const skip[] = { "main", NULL };
	struct session_opts so = { 0 };
	struct perf_data_stats st;
	struct fg_buf err = FG_BUF_INIT;
	struct stack_table out;
	struct session *s;
	struct profile_view view = { 0 };
	int fd;

	so.kallsyms = "/dev/null";
	view.include_tid = 1;
	view.skip_after = size & 1 ? skip : NULL;
	s = session_new(&so);
	fuzz_file(data, size, &fd);
	perf_data_read_fd(fd, "fuzz.data", NULL, session_record, s, &st, &err);
	stack_table_init(&out, 1);
	session_finish(s, NULL);
	profile_fold(session_profile(s), &view, &out);
	stack_table_release(&out);
	session_free(s);
	fg_buf_release(&err);
	return 0;
}
