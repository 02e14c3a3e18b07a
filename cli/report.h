#ifndef FG_CLI_REPORT_H
#define FG_CLI_REPORT_H

/*
 * What is told after a recording is read, shared by the native engine
 * (profile.c) and the perf backend (perf-backend.c): warnings about the
 * files whose frames are poorly named, and the end of the summary line
 * (samples lost, stacks unwound to the end). Everything goes to stderr
 * (warning()) or to the FILE given; nothing fails. Not thread-safe.
 */

#include "../lib/common.h"

struct session_stats;
struct session;

/*
 * Warn about the files of a recording whose frames are poorly named: not
 * regular files (never read), and with poor_too, files whose frames are
 * left unnamed in a visible share of the samples, or without debug info;
 * told (may be NULL) is a file the caller has warned about already.
 */
void profile_report_files(struct session *session, int poor_too, const char *told);

/*
 * The end of the summary line after a recording: ", N lost" and "; N of M
 * stacks unwound to the end (P%)", then the newline; then a warning for
 * the C++ names left mangled because demangling them would cost too much.
 */
void profile_report_unwinding(FILE *out, uint64_t lost,
			      const struct session_stats *ss);

#endif
