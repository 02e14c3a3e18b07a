#ifndef FG_CLI_SIGNALS_H
#define FG_CLI_SIGNALS_H

/*
 * Signals in the front-ends, and the fate of the processes we start.
 *
 * signals_init() (first thing in main()) makes us a child subreaper (see
 * lib/proctree.h: everything we start stays below us), catches SIGPIPE
 * with a handler that does nothing (a write to a closed pipe then fails
 * with EPIPE, which the writers report in one line; unlike SIG_IGN, a
 * caught signal is back to its default in the programs we exec), and
 * enters abort mode.
 *
 * Abort mode (processing, building): SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * remove the temporary files of the outputs being written, end every
 * process we started (SIGTERM, a grace period, then SIGKILL; another
 * signal cuts the grace period short), and the process dies of the same
 * signal.
 *
 * Stop mode (recording): SIGINT, SIGTERM and SIGHUP call the stop
 * function (the recording ends and the outputs are still written: a
 * closed terminal does not lose the profile); a second one also ends
 * every process we started at once (SIGKILL). SIGQUIT still aborts.
 *
 * The handlers are installed with sigaction(); everything they do is
 * async-signal-safe. Not thread-safe: one thread switches the modes.
 */

#include "../lib/common.h"

#include <signal.h>

void signals_init(void);
void signals_abort_mode(void);

/*
 * Enter stop mode: stop(ctx) is called (from the handler: it must be
 * async-signal-safe) at the first SIGINT, SIGTERM or SIGHUP.
 */
void signals_stop_mode(void (*stop)(void *ctx), void *ctx);

/*
 * Stop mode for a foreground child that records itself (perf, sudo): the
 * stop signals are passed on to pid (SIGINT reached it through the
 * terminal already).
 */
void signals_forward_mode(pid_t pid);

/* How many stop signals came in stop mode, and the last of them. */
int signals_stops(void);
int signals_last_stop(void);

/* Non-zero once a second stop signal asked to hurry. */
extern volatile sig_atomic_t signals_hurry;

#endif
