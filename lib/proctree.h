#ifndef FG_PROCTREE_H
#define FG_PROCTREE_H

/*
 * The processes we started, and what they started: ending them for sure.
 *
 * The front-ends make themselves a child subreaper (proctree_adopt()), so
 * that a process our workload (or cargo, or perf) started and left behind
 * becomes our child when its parent dies, instead of init's: everything
 * we started, directly or not, stays below us, and can be found through
 * /proc/PID/task/TID/children.
 *
 * Every function here is async-signal-safe (system calls only, no
 * allocation, static buffers), so that a signal handler may end the tree
 * before the process dies. Not thread-safe: called from one thread (or a
 * handler) at a time.
 */

#include "common.h"

#include <signal.h>

/* Become a child subreaper (prctl PR_SET_CHILD_SUBREAPER). */
void proctree_adopt(void);

/*
 * Send sig to every descendant of the calling process (not to itself),
 * parents before their children. Returns how many processes were sent
 * the signal.
 */
int proctree_kill(int sig);

/*
 * End every descendant: SIGTERM, then up to grace_ms for them to exit
 * (our own children are reaped meanwhile, with waitpid(-1): call it once
 * the statuses that matter have been collected), then SIGKILL for what
 * is left. *hurry, when it becomes non-zero (a second Ctrl-C), cuts the
 * grace period short. hurry may be NULL.
 */
void proctree_end(int grace_ms, volatile sig_atomic_t *hurry);

#endif
