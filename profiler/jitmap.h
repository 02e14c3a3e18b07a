#ifndef FG_JITMAP_H
#define FG_JITMAP_H

/*
 * Names of just-in-time compiled code, from what the runtimes write for
 * profilers: the perf map (/tmp/perf-PID.map, "START SIZE NAME" lines in
 * hex, written by node --perf-basic-prof, Java perf-map agents, .NET with
 * DOTNET_PerfMapEnabled=1, LuaJIT, Python 3.12's -X perf) and jitdump
 * files (jit-PID.dump, node --perf-prof, which a process marks by mapping
 * the file: its code-load and code-move records).
 *
 * Code can be replaced at an address while a program runs: where entries
 * overlap, the one read last wins (the map file and the dump are both in
 * time order). Files are opened only when they are regular files, and the
 * perf map only when it belongs to us or to root (as perf requires: /tmp
 * is shared). Not thread-safe; errors are notes, never fatal.
 */

#include "../lib/common.h"
#include "../lib/buf.h"

struct jit_syms;

struct jit_syms *jit_syms_new(void);
void jit_syms_free(struct jit_syms *j);

/*
 * Add the entries of a perf map / a jitdump file. Returns the number of
 * entries read (0 when the file is not there), or -1 with the reason in
 * note (a file of another owner, not a regular file, a corrupt dump).
 */
long jit_syms_load_perf_map(struct jit_syms *j, const char *path, struct fg_buf *note);
long jit_syms_load_jitdump(struct jit_syms *j, const char *path, struct fg_buf *note);

/* The name of the code at pc, or NULL. Valid until jit_syms_free(). */
const char *jit_syms_find(struct jit_syms *j, uint64_t pc);

/* Does path name a jitdump file ("jit-<pid>.dump")? */
int jit_is_dump_path(const char *path);

#endif
