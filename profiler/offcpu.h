#ifndef FG_OFFCPU_H
#define FG_OFFCPU_H

/*
 * Off-CPU time: why a thread was off the CPU, told from the kernel
 * functions it blocked in. An off-CPU stack ends in one synthetic frame
 * naming the state (offcpu_state_name()), so that waiting is told apart
 * from computing in a graph, in its colours and in a search.
 */

#include "../lib/common.h"

enum offcpu_state {
	OFFCPU_NONE = 0,	/* nothing told: "[off-cpu]" */
	OFFCPU_SLEEP,		/* a timed sleep (nanosleep) */
	OFFCPU_FUTEX,		/* a lock, a condition variable, a join */
	OFFCPU_IO,		/* a pipe, a socket, a terminal, the disk */
	OFFCPU_POLL,		/* poll, select, epoll */
	OFFCPU_PREEMPTED,	/* ready to run, but another thread ran */
	OFFCPU_NSTATES
};

/*
 * The state a kernel function tells (OFFCPU_NONE when it tells none):
 * futex_wait_queue tells OFFCPU_FUTEX, pipe_read OFFCPU_IO, and so on.
 * A blocked thread's state is the one its innermost telling frame gives.
 */
enum offcpu_state offcpu_state_of(const char *kernel_function);

/*
 * The state the innermost function of the program's own stack tells, for
 * when the kernel's frames tell none (they are hidden, or not recorded):
 * the C library's calls that block, by name, whatever the C library calls
 * them inside ("__GI___libc_read" is read): nanosleep tells OFFCPU_SLEEP,
 * read OFFCPU_IO, pthread_cond_wait OFFCPU_FUTEX, epoll_wait OFFCPU_POLL.
 */
enum offcpu_state offcpu_state_of_user(const char *function);

/* "[off-cpu]", "[sleep]", "[futex]", "[io]", "[poll]", "[preempted]". */
const char *offcpu_state_name(enum offcpu_state state);

/* Is name one of the names offcpu_state_name() gives? */
int offcpu_is_state_name(const char *name, size_t len);

#endif
