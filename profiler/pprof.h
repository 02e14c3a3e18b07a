#ifndef FG_PPROF_H
#define FG_PPROF_H

/*
 * pprof: Google's profile.proto, the format `go tool pprof` and the fleet
 * profilers (Pyroscope, Parca, ...) read and write, in and out of a
 * struct profile. The protobuf wire format is encoded and decoded here,
 * without a protobuf library; files are gzip-compressed (libdeflate).
 * Neither function keeps anything after it returns. Not thread-safe
 * (the profile is not).
 */

#include "../lib/common.h"
#include "../lib/buf.h"
#include "profile.h"

/*
 * The largest message pprof_read() decompresses: a gzip stream that
 * expands past it (a "gzip bomb", or a profile too large to be useful
 * here) is refused before more memory is taken.
 */
#define PPROF_MAX_MESSAGE ((size_t)1 << 30)

/* The highest run label read (--repeat's runs): a larger one is ignored. */
#define PPROF_MAX_RUNS 100000

/*
 * Encode p as a profile.proto message, gzip-compressed, appended to out.
 *
 *   sample types  every type of p, in order; default_sample_type from
 *                 p->meta.default_type; period_type and period: cpu and
 *                 nanoseconds, the period (else 1e9 / frequency), when p
 *                 has the type ("cpu", "nanoseconds"), else the event
 *                 ("count") and its period
 *   samples       one per sample of p, location ids leaf first, one value
 *                 per type; labels pid and tid (numbers, when known),
 *                 run (a number, in a profile of runs) and thread (its
 *                 name) on each sample that has a thread
 *   mappings      one per mapping (ids 1..n): path, build-id in lower-case
 *                 hex, address range and offset, what its locations have
 *                 (functions, files, line numbers, inline frames)
 *   locations     one per location (id: index + 1), its file-relative
 *                 address, one Line per line, innermost first (text stacks
 *                 are resolved first: their locations have a name, no
 *                 mapping and no address)
 *   functions     one per distinct (name, system name, file); the system
 *                 name is the mangled name, or the name without one
 *   metadata      time_nanos, duration_nanos, the command line as a comment
 *
 * Returns 0 or a negative fg_error with a message in err (may be NULL).
 */
int pprof_write(struct profile *p, struct fg_buf *out, struct fg_buf *err);

/*
 * Decode a pprof profile (gzip-compressed, or a bare message; len bytes at
 * data) into p, which the reader initialises (profile_init() with the
 * file's sample types, at most PROFILE_MAX_TYPES): mappings (a build-id
 * kept when it is hex of at most 20 bytes), locations with their lines
 * (innermost first), stacks (outermost first), threads from the labels
 * pid, tid, thread and run (its run: profile_begin_run(); a run from 1 to
 * PPROF_MAX_RUNS, else none) (a sample without any of them: one thread named
 * after the first mapping's file, or "pprof", with pid and tid -1),
 * samples (equal ones summed), and in p->meta the default sample type,
 * time, duration, period_type as the event (and as the frequency when its
 * unit is nanoseconds), period, and the first comment as the command.
 * Fields may come in any order; unknown ones are skipped.
 *
 * Returns 0, or a negative fg_error with a message in err (may be NULL):
 * -FG_ERR_BAD_INPUT for damage, naming its byte offset in the message (in
 * the compressed file for gzip damage), -FG_ERR_UNSUPPORTED for what the
 * profile model cannot hold (more sample types than it has room for,
 * negative values), -FG_ERR_COUNT_OVERFLOW when values sum past 64 bits.
 * On error p is released (as profile_release() leaves it).
 */
int pprof_read(const unsigned char *data, size_t len, struct profile *p,
	       struct fg_buf *err);

#endif
