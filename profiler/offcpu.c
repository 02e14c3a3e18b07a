#include "offcpu.h"

/*
 * Kernel functions that tell why a thread waits, by prefix. Only the
 * functions a thread sleeps in are listed, not the system call entries
 * around them: a poll that times out sleeps in schedule_hrtimeout_range(),
 * as nanosleep does, and the caller tells them apart.
 */
static const struct {
	const char *prefix;
	enum offcpu_state state;
} telling[] = {
	{ "futex_wait", OFFCPU_FUTEX },
	{ "__futex_wait", OFFCPU_FUTEX },
	{ "futex_lock_pi", OFFCPU_FUTEX },
	{ "do_nanosleep", OFFCPU_SLEEP },
	{ "hrtimer_nanosleep", OFFCPU_SLEEP },
	{ "common_nsleep", OFFCPU_SLEEP },
	{ "ep_poll", OFFCPU_POLL },
	{ "do_epoll_wait", OFFCPU_POLL },
	{ "do_poll", OFFCPU_POLL },
	{ "do_sys_poll", OFFCPU_POLL },
	{ "do_select", OFFCPU_POLL },
	{ "core_sys_select", OFFCPU_POLL },
	{ "poll_schedule_timeout", OFFCPU_POLL },
	{ "pipe_read", OFFCPU_IO },
	{ "pipe_write", OFFCPU_IO },
	{ "anon_pipe_read", OFFCPU_IO },	/* Linux 6.16 on */
	{ "anon_pipe_write", OFFCPU_IO },
	{ "wait_for_partner", OFFCPU_IO },
	{ "io_schedule", OFFCPU_IO },
	{ "bit_wait_io", OFFCPU_IO },
	{ "folio_wait_bit", OFFCPU_IO },
	{ "wait_on_page_bit", OFFCPU_IO },
	{ "__folio_lock", OFFCPU_IO },
	{ "__lock_page", OFFCPU_IO },
	{ "blk_mq_get_tag", OFFCPU_IO },
	{ "wait_for_completion_io", OFFCPU_IO },
	{ "unix_stream_data_wait", OFFCPU_IO },
	{ "unix_stream_read_generic", OFFCPU_IO },
	{ "sk_wait_data", OFFCPU_IO },
	{ "sk_stream_wait_memory", OFFCPU_IO },
	{ "inet_csk_accept", OFFCPU_IO },
	{ "n_tty_read", OFFCPU_IO },
	{ "wait_woken", OFFCPU_IO },
};

static const char *const names[OFFCPU_NSTATES] = {
	[OFFCPU_NONE] = "[off-cpu]",
	[OFFCPU_SLEEP] = "[sleep]",
	[OFFCPU_FUTEX] = "[futex]",
	[OFFCPU_IO] = "[io]",
	[OFFCPU_POLL] = "[poll]",
	[OFFCPU_PREEMPTED] = "[preempted]",
};

enum offcpu_state offcpu_state_of(const char *kernel_function)
{
	size_t i;

	if (!kernel_function)
		return OFFCPU_NONE;
	for (i = 0; i < ARRAY_SIZE(telling); i++)
		if (starts_with(kernel_function, telling[i].prefix))
			return telling[i].state;
	return OFFCPU_NONE;
}

static const struct {
	const char *name;
	enum offcpu_state state;
} calls[] = {
	{ "nanosleep", OFFCPU_SLEEP },
	{ "clock_nanosleep", OFFCPU_SLEEP },
	{ "usleep", OFFCPU_SLEEP },
	{ "sleep", OFFCPU_SLEEP },
	{ "futex_wait", OFFCPU_FUTEX },
	{ "futex_abstimed_wait_common", OFFCPU_FUTEX },
	{ "futex_abstimed_wait_common64", OFFCPU_FUTEX },
	{ "lll_lock_wait", OFFCPU_FUTEX },
	{ "pthread_cond_wait", OFFCPU_FUTEX },
	{ "pthread_cond_timedwait", OFFCPU_FUTEX },
	{ "pthread_clockjoin_ex", OFFCPU_FUTEX },
	{ "pthread_join", OFFCPU_FUTEX },
	{ "sem_wait", OFFCPU_FUTEX },
	{ "read", OFFCPU_IO },
	{ "write", OFFCPU_IO },
	{ "readv", OFFCPU_IO },
	{ "writev", OFFCPU_IO },
	{ "pread64", OFFCPU_IO },
	{ "pwrite64", OFFCPU_IO },
	{ "recv", OFFCPU_IO },
	{ "recvfrom", OFFCPU_IO },
	{ "recvmsg", OFFCPU_IO },
	{ "send", OFFCPU_IO },
	{ "sendto", OFFCPU_IO },
	{ "sendmsg", OFFCPU_IO },
	{ "accept", OFFCPU_IO },
	{ "accept4", OFFCPU_IO },
	{ "connect", OFFCPU_IO },
	{ "poll", OFFCPU_POLL },
	{ "ppoll", OFFCPU_POLL },
	{ "select", OFFCPU_POLL },
	{ "pselect", OFFCPU_POLL },
	{ "pselect6", OFFCPU_POLL },
	{ "epoll_wait", OFFCPU_POLL },
	{ "epoll_pwait", OFFCPU_POLL },
};

enum offcpu_state offcpu_state_of_user(const char *function)
{
	const char *f = function;
	size_t i;

	if (!f)
		return OFFCPU_NONE;
	/* "__GI___libc_read", "___pthread_cond_wait", "__nanosleep" */
	while (*f == '_')
		f++;
	if (starts_with(f, "GI_"))
		for (f += 3; *f == '_'; f++)
			;
	if (starts_with(f, "libc_"))
		f += 5;
	for (i = 0; i < ARRAY_SIZE(calls); i++)
		if (!strcmp(f, calls[i].name))
			return calls[i].state;
	return OFFCPU_NONE;
}

const char *offcpu_state_name(enum offcpu_state state)
{
	return (unsigned)state < OFFCPU_NSTATES ? names[state] : names[OFFCPU_NONE];
}

int offcpu_is_state_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < OFFCPU_NSTATES; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], name, len))
			return 1;
	return 0;
}
