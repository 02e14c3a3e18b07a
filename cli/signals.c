#include "signals.h"
#include "../lib/outfile.h"
#include "../lib/proctree.h"

/* Grace period of the processes we end when aborting, in ms. */
#define ABORT_GRACE_MS 1000

volatile sig_atomic_t signals_hurry;
static volatile sig_atomic_t stops, last_stop, aborting;
static void (*stop_fn)(void *);
static void *stop_ctx;

static void on_sigpipe(int sig)
{
	(void)sig;
}

static void on_abort(int sig)
{
	sigset_t set;

	if (aborting) {
		/* another signal while the processes are given their grace */
		signals_hurry = 1;
		return;
	}
	aborting = sig;
	outfile_remove_all_temps();
	proctree_end(ABORT_GRACE_MS, &signals_hurry);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void on_stop(int sig)
{
	last_stop = sig;
	if (++stops > 1) {
		signals_hurry = 1;
		proctree_kill(SIGKILL);
	}
	if (stop_fn)
		stop_fn(stop_ctx);
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* a second signal reaches the handler while it waits */
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigaction(sig, &sa, NULL);
}

/* die() and out-of-memory: nothing half-written, nothing left running. */
static void clean_up(void)
{
	outfile_remove_all_temps();
	proctree_end(ABORT_GRACE_MS, &signals_hurry);
}

void signals_init(void)
{
	fg_die_hook = clean_up;
	proctree_adopt();
	set_handler(SIGPIPE, on_sigpipe);
	signals_abort_mode();
}

void signals_abort_mode(void)
{
	stop_fn = NULL;
	set_handler(SIGINT, on_abort);
	set_handler(SIGTERM, on_abort);
	set_handler(SIGHUP, on_abort);
	set_handler(SIGQUIT, on_abort);
}

void signals_stop_mode(void (*stop)(void *ctx), void *ctx)
{
	stop_ctx = ctx;
	stop_fn = stop;
	set_handler(SIGINT, on_stop);
	set_handler(SIGTERM, on_stop);
	set_handler(SIGHUP, on_stop);
	set_handler(SIGQUIT, on_abort);
}

static volatile pid_t forward_pid;

static void forward(void *ctx)
{
	(void)ctx;
	/* a Ctrl-C reached it through the terminal already */
	if (forward_pid > 0 && last_stop != SIGINT)
		kill(forward_pid, last_stop);
}

void signals_forward_mode(pid_t pid)
{
	forward_pid = pid;
	signals_stop_mode(forward, NULL);
}

int signals_stops(void)
{
	return stops;
}

int signals_last_stop(void)
{
	return last_stop;
}
