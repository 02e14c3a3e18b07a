#include "unit.h"
#include "../../profiler/offcpu.h"

/* Kernel functions threads block in, innermost telling frames first. */
TEST(offcpu_state_of_kernel_functions)
{
	static const struct {
		const char *function;
		enum offcpu_state state;
	} cases[] = {
		{ "futex_wait_queue", OFFCPU_FUTEX },
		{ "futex_wait", OFFCPU_FUTEX },
		{ "__futex_wait", OFFCPU_FUTEX },
		{ "do_nanosleep", OFFCPU_SLEEP },
		{ "hrtimer_nanosleep", OFFCPU_SLEEP },
		{ "ep_poll", OFFCPU_POLL },
		{ "do_sys_poll", OFFCPU_POLL },
		{ "do_select", OFFCPU_POLL },
		{ "pipe_read", OFFCPU_IO },
		{ "anon_pipe_read", OFFCPU_IO },
		{ "io_schedule", OFFCPU_IO },
		{ "folio_wait_bit_common", OFFCPU_IO },
		{ "unix_stream_read_generic", OFFCPU_IO },
		{ "n_tty_read", OFFCPU_IO },
		/* the scheduler itself and system call entries tell nothing */
		{ "schedule", OFFCPU_NONE },
		{ "__schedule", OFFCPU_NONE },
		{ "schedule_hrtimeout_range", OFFCPU_NONE },
		{ "do_syscall_64", OFFCPU_NONE },
		{ "__x64_sys_futex", OFFCPU_NONE },
		{ "do_wait", OFFCPU_NONE },
		{ "", OFFCPU_NONE },
		{ NULL, OFFCPU_NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (offcpu_state_of(cases[i].function) != cases[i].state)
			unit_fail(__FILE__, __LINE__, "offcpu_state_of(\"%s\") is %d, not %d",
				  cases[i].function ? cases[i].function : "(null)",
				  (int)offcpu_state_of(cases[i].function), (int)cases[i].state);
}

TEST(offcpu_state_names)
{
	int i;

	CHECK_STREQ(offcpu_state_name(OFFCPU_NONE), "[off-cpu]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_SLEEP), "[sleep]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_FUTEX), "[futex]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_IO), "[io]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_POLL), "[poll]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_PREEMPTED), "[preempted]");
	CHECK_STREQ(offcpu_state_name(OFFCPU_NSTATES), "[off-cpu]");
	for (i = 0; i < OFFCPU_NSTATES; i++) {
		const char *n = offcpu_state_name((enum offcpu_state)i);

		CHECK(offcpu_is_state_name(n, strlen(n)));
	}
	CHECK(!offcpu_is_state_name("[sleep", 6));
	CHECK(!offcpu_is_state_name("[unknown]", 9));
	CHECK(!offcpu_is_state_name("sleep", 5));
}

/* The C library's blocking calls, under the names it gives them inside. */
TEST(offcpu_state_of_user_functions)
{
	static const struct {
		const char *function;
		enum offcpu_state state;
	} cases[] = {
		{ "__GI___clock_nanosleep", OFFCPU_SLEEP },
		{ "__GI___nanosleep", OFFCPU_SLEEP },
		{ "usleep", OFFCPU_SLEEP },
		{ "futex_wait", OFFCPU_FUTEX },
		{ "__GI___lll_lock_wait", OFFCPU_FUTEX },
		{ "__futex_abstimed_wait_common64", OFFCPU_FUTEX },
		{ "___pthread_cond_wait", OFFCPU_FUTEX },
		{ "__pthread_clockjoin_ex", OFFCPU_FUTEX },
		{ "__GI___libc_read", OFFCPU_IO },
		{ "__libc_write", OFFCPU_IO },
		{ "read", OFFCPU_IO },
		{ "__libc_recvfrom", OFFCPU_IO },
		{ "__GI___poll", OFFCPU_POLL },
		{ "epoll_wait", OFFCPU_POLL },
		/* a function that only contains a name, or calls one */
		{ "reader", OFFCPU_NONE },
		{ "thread_read_all", OFFCPU_NONE },
		{ "sleep_part", OFFCPU_NONE },
		{ "syscall", OFFCPU_NONE },
		{ "___", OFFCPU_NONE },
		{ "__GI_", OFFCPU_NONE },
		{ "", OFFCPU_NONE },
		{ NULL, OFFCPU_NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		if (offcpu_state_of_user(cases[i].function) != cases[i].state)
			unit_fail(__FILE__, __LINE__, "offcpu_state_of_user(\"%s\") is %d, not %d",
				  cases[i].function ? cases[i].function : "(null)",
				  (int)offcpu_state_of_user(cases[i].function),
				  (int)cases[i].state);
}
