#ifndef FG_HARNESS_H
#define FG_HARNESS_H

/*
 * libtest harnesses, the executables `cargo test` builds: which of the
 * arguments given to one are test filters, asking one how many of its
 * tests match them (`--list`), and a driver that runs several harnesses
 * one after another as one command, so that one recording holds them all.
 *
 * Why a driver: the engine profiles one command (profile_run()), and
 * `cargo test -- FILTER` runs every harness in turn. The driver is
 * cargo-flamegraph itself, started again with HARNESS_DRIVER_ARG and the
 * harnesses spelled out in its arguments (each with its directory and
 * its CARGO_* variables): no shell is needed, no quoting can go wrong, and
 * the arguments survive sudo (which resets the environment). It forks and
 * waits for each harness in turn; the recording follows children, so each
 * harness is a root frame of its own (its process name). A signal that
 * reaches the driver (--duration, Ctrl-C, SIGTERM) goes on to the running
 * harness, no further one starts, and the driver then dies of that
 * signal; a harness dies with the driver (PR_SET_PDEATHSIG), so even a
 * SIGKILL leaves none behind.
 *
 * Functions return 0 or -1 with the reason in a struct fg_buf; nothing
 * here exits, except the driver's main function. Not thread-safe.
 */

#include "../lib/buf.h"
#include "../cli/options.h"

/*
 * Append the test filters among argv[0..argc-1], the arguments after
 * "--", to filters (the pointers point into argv): libtest's free
 * arguments, those that are neither options nor the value of one of its
 * options that take a value (--skip, --test-threads, --logfile, --color,
 * --format, --shuffle-seed, -Z). Returns how many there are.
 */
size_t harness_filters(int argc, const char *const *argv, struct fg_strlist *filters);

/*
 * Run `exe ARGS... --list` (args as harness_filters() takes them) in
 * workdir (NULL: here) with env (NAME=VALUE strings, NULL-terminated; may
 * be NULL) added to our environment, with no standard input and standard
 * error inherited, and count the tests it lists ("NAME: test" lines) in
 * *ntests. Returns 0, or -1 with the reason in err: it could not be
 * started, or it failed (a libtest option it does not know, say).
 */
int harness_list(const char *exe, int argc, const char *const *argv,
		 const char *workdir, char *const *env, size_t *ntests,
		 struct fg_buf *err);

/* One harness for the driver. Strings are not owned. */
struct harness_run {
	const char *label;		/* "lib 'x'", for messages */
	const char *workdir;		/* run there, or NULL */
	char *const *env;		/* added NAME=VALUE, NULL-terminated, or NULL */
	int argc;
	const char *const *argv;	/* argv[0] is the executable's path */
};

/* argv[1] of cargo-flamegraph that makes it the driver. */
#define HARNESS_DRIVER_ARG "--internal-run-harnesses"

/* A NULL-terminated argument vector whose strings it owns. */
struct harness_argv {
	char **v;
	size_t nr, alloc;
};

/*
 * Fill out (zeroed, or released) with the command line that runs the n
 * harnesses of runs one after another: self (the absolute path of
 * cargo-flamegraph), HARNESS_DRIVER_ARG, then the harnesses with their
 * counts. Release it with harness_argv_release().
 */
void harness_driver_argv(struct harness_argv *out, const char *self,
			 const struct harness_run *runs, size_t n);
void harness_argv_release(struct harness_argv *a);

/*
 * The driver, for main(): argv as harness_driver_argv() made it. Runs the
 * harnesses in turn (all of them, as `cargo test --no-fail-fast`, saying
 * which ones failed) and returns 0 when all passed, or the exit code of
 * the first that failed; when one was killed by a signal, or a signal
 * stopped the run, the driver dies of that signal instead (without a
 * core dump of its own). Returns EXIT_USAGE for malformed arguments.
 */
int harness_driver_main(int argc, const char **argv);

#endif
