#include "unit.h"
#include "../../cli/run.h"
#include "../../lib/buf.h"

/* The summary of folded lines ("stack count\n"...), malloc'd. */
static char *summary_of(const char *folded)
{
	struct stack_table t;
	const char *p = folded;
	char *text = NULL;
	size_t size = 0;
	FILE *fp;

	stack_table_init(&t, 1);
	while (*p) {
		const char *nl = strchr(p, '\n'), *sp;

		if (!nl)
			nl = p + strlen(p);
		for (sp = nl; sp > p && sp[-1] != ' '; sp--)
			;
		stack_table_add(&t, p, (size_t)(sp - 1 - p), strtoull(sp, NULL, 10));
		p = *nl ? nl + 1 : nl;
	}
	fp = open_memstream(&text, &size);
	run_print_summary(&t, fp);
	fclose(fp);
	stack_table_release(&t);
	return text;
}

/* The part of the summary from the total-time header on. */
static const char *totals(const char *text)
{
	const char *p = strstr(text, "top functions by total time");

	return p ? p : "";
}

/* Does the total-time part list name as a row of its own? */
static int total_row(const char *text, const char *name)
{
	const char *p = totals(text);
	size_t n = strlen(name);

	while ((p = strstr(p, "%  ")) != NULL) {
		p += 3;
		if (!strncmp(p, name, n) && p[n] == '\n')
			return 1;
	}
	return 0;
}

static const char c_program[] =
	"chain;[ld-linux-x86-64.so.2];_dl_start;_dl_start_final 1\n"
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;mid;leaf_a 1134\n"
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;mid;leaf_b 363\n"
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;mid;leaf_b;"
	"asm_sysvec_apic_timer_interrupt;irqentry_exit_to_user_mode 3\n"
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;thread_cpu_ms;"
	"__GI___clock_gettime;__vdso_clock_gettime 4\n"
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;thread_cpu_ms;"
	"__GI___clock_gettime;__vdso_clock_gettime;entry_SYSCALL_64_after_hwframe;"
	"do_syscall_64;__x64_sys_clock_gettime 2\n";

TEST(summary_c_program_starts_below_the_trunk)
{
	char *s = summary_of(c_program);

	CHECK(strstr(s, "top functions by self time (on the CPU itself):\n"
		      "   75.25%  leaf_a\n   24.09%  leaf_b\n") != NULL);
	/* 1500 of 1507 samples pass through mid */
	CHECK(strstr(s, "top functions by total time (on the stack), below mid "
		      "(99.54% of samples):\n   75.25%  leaf_a\n") != NULL);
	CHECK(!total_row(s, "_start"));
	CHECK(!total_row(s, "__libc_start_main_impl"));
	CHECK(!total_row(s, "main"));
	CHECK(!total_row(s, "mid"));
	CHECK(total_row(s, "leaf_b"));
	/* chains: listed by what the caller called */
	CHECK(total_row(s, "thread_cpu_ms"));
	CHECK(!total_row(s, "__GI___clock_gettime"));
	CHECK(!total_row(s, "__vdso_clock_gettime"));	/* the end of that chain */
	CHECK(total_row(s, "entry_SYSCALL_64_after_hwframe"));
	CHECK(!total_row(s, "do_syscall_64"));
	/* the root is the process, not a function */
	CHECK(!total_row(s, "chain"));
	free(s);
}

#define RUST_TRUNK \
	"chain;_start;__libc_start_main_impl;__libc_start_call_main;main;" \
	"std::rt::lang_start_internal;" \
	"std::panic::catch_unwind::<std::rt::lang_start_internal::{closure#0}, isize>;" \
	"std::panicking::catch_unwind::<isize, std::rt::lang_start_internal::{closure#0}>;" \
	"std::panicking::catch_unwind::do_call::<std::rt::lang_start_internal::{closure#0}, isize>;" \
	"std::rt::lang_start_internal::{closure#0};" \
	"std::panicking::catch_unwind::do_call::<&dyn core::ops::function::Fn<(), " \
	"Output = i32> + core::marker::Sync + core::panic::unwind_safe::RefUnwindSafe, i32>;" \
	"<&dyn core::ops::function::Fn<(), Output = i32> + core::marker::Sync + " \
	"core::panic::unwind_safe::RefUnwindSafe as core::ops::function::FnOnce<()>>::call_once;" \
	"std::rt::lang_start::{{closure}};std::sys::backtrace::__rust_begin_short_backtrace;" \
	"core::ops::function::FnOnce::call_once;chain::main;chain::run;chain::outer"

TEST(summary_rust_program_leaves_out_lang_start)
{
	char *s = summary_of(
		RUST_TRUNK ";chain::middle;chain::hot_three;chain::spin_inlined;"
		"core::iter::range::<impl core::iter::traits::iterator::Iterator for "
		"core::ops::range::Range<A>>::next;<core::ops::range::Range<T> as "
		"core::iter::range::RangeIteratorImpl>::spec_next;<u64 as core::cmp::PartialOrd>::lt 600\n"
		RUST_TRUNK ";chain::middle;chain::hot_three;chain::spin_inlined;core::hint::black_box 150\n"
		RUST_TRUNK ";chain::middle;chain::hot_one;chain::spin_inlined;core::hint::black_box 250\n"
		RUST_TRUNK ";chain::sort_through_libc;qsort;msort_with_tmp;chain::compare_u64 20\n");

	CHECK(strstr(s, "below chain::middle (98.04% of samples):\n") != NULL);
	CHECK(!strstr(totals(s), "catch_unwind"));
	CHECK(!strstr(totals(s), "lang_start"));
	CHECK(!total_row(s, "chain::run"));
	/* where the time splits, though one callee takes all of each */
	CHECK(total_row(s, "chain::hot_three"));
	CHECK(total_row(s, "chain::hot_one"));
	CHECK(total_row(s, "chain::spin_inlined"));
	/* Range::next always calls spec_next, which only it calls */
	CHECK(total_row(s, "core::iter::range::<…>::next"));
	CHECK(!strstr(totals(s), "spec_next"));
	/* a side branch of the trunk, one chain: its first function */
	CHECK(total_row(s, "chain::sort_through_libc"));
	CHECK(!total_row(s, "qsort"));
	CHECK(!total_row(s, "chain::compare_u64"));
	free(s);
}

TEST(summary_threads_share_a_trunk_across_roots)
{
	static const char same_root[] =
		"threads;clone3;start_thread;worker_alpha 301\n"
		"threads;clone3;start_thread;worker_beta 295\n"
		"threads;clone3;start_thread;worker_beta;thread_cpu_ms;clock_gettime 4\n"
		"threads;_start;__libc_start_main_impl;main;pthread_join 1\n";
	static const char tid_roots[] =
		"threads-10/11;clone3;start_thread;worker_alpha 301\n"
		"threads-10/12;clone3;start_thread;worker_beta 295\n"
		"threads-10/12;clone3;start_thread;worker_beta;thread_cpu_ms;clock_gettime 4\n"
		"threads-10/10;_start;__libc_start_main_impl;main;pthread_join 1\n";
	char *a = summary_of(same_root), *b = summary_of(tid_roots);

	CHECK(strstr(a, "below start_thread (99.83% of samples):\n"
		      "   50.08%  worker_alpha\n   49.75%  worker_beta\n") != NULL);
	CHECK(!total_row(a, "clone3"));
	/* one root per thread: the same trunk, the same rows */
	CHECK_STREQ(totals(a), totals(b));
	/* the main thread's chain is one row: where it ends */
	CHECK(total_row(a, "pthread_join"));
	CHECK(!total_row(a, "_start"));
	free(a);
	free(b);
}

TEST(summary_busy_threads_lose_their_start_up_chains)
{
	/* no trunk: the main thread works too; each thread's start collapses */
	char *s = summary_of(
		"prog;_start;__libc_start_main_impl;main;std::rt::lang_start_internal;"
		"prog::main;prog::parse 300\n"
		"prog;_start;__libc_start_main_impl;main;std::rt::lang_start_internal;"
		"prog::main;prog::render 100\n"
		"prog;clone3;start_thread;std::sys::thread::unix::Thread::new::thread_start;"
		"rayon_core::registry::WorkerThread::wait_until_cold;prog::crunch 550\n"
		"prog;clone3;start_thread;std::sys::thread::unix::Thread::new::thread_start;"
		"rayon_core::registry::WorkerThread::wait_until_cold;prog::crunch;memcpy 50\n");

	CHECK(strstr(s, "top functions by total time (on the stack):\n"
		      "   60.00%  prog::crunch\n   40.00%  prog::main\n"
		      "   30.00%  prog::parse\n   10.00%  prog::render\n"
		      "    5.00%  memcpy\n") != NULL);
	free(s);
}

TEST(summary_flat_profiles)
{
	char *flat = summary_of("prog;a 40\nprog;b 30\nprog;c 20\nprog;d 10\n");
	char *main_only = summary_of("prog;_start;main 99\nprog;_start;main;write 1\n");
	char *rec = summary_of("prog;main;f;f;f;f 60\nprog;main;f;f;g 40\n");

	/* no trunk: every function, as it was */
	CHECK(strstr(flat, "top functions by total time (on the stack):\n"
		      "   40.00%  a\n   30.00%  b\n   20.00%  c\n   10.00%  d\n") != NULL);
	/* all the time in the trunk: nothing below it to list */
	CHECK(strstr(main_only, "below main (100.00% of samples):\n"
		      "    1.00%  write\n") != NULL);
	free(main_only);
	main_only = summary_of("prog;_start;main 100\n");
	CHECK(strstr(main_only, "top functions by self time (on the CPU itself):\n"
		      "  100.00%  main\n") != NULL);
	CHECK(strstr(main_only, "below main (100.00% of samples):\n"
		      "  (no function below it)\n") != NULL);
	/* recursion is one place: f stays, where it splits */
	CHECK(strstr(rec, "below f (100.00% of samples):\n"
		      "   60.00%  f\n   40.00%  g\n") != NULL);
	free(flat);
	free(main_only);
	free(rec);
}

TEST(summary_nothing_to_say)
{
	char *s = summary_of("");

	CHECK_STREQ(s, "");
	free(s);
}

static int word_char(char c)
{
	return (unsigned char)c >= 0x80 || c == '_' ||
	       (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Is each word of got (the ellipses aside) a whole word of want? */
static int whole_words(const char *got, const char *want)
{
	struct fg_buf g = FG_BUF_INIT;
	const char *p, *e;
	int ok = 1;

	/* the ellipsis is no part of a word */
	for (p = got; *p; p++)
		if (!strncmp(p, "…", 3)) {
			fg_buf_addch(&g, ' ');
			p += 2;
		} else {
			fg_buf_addch(&g, *p);
		}
	for (p = g.buf; *p && ok; p = e) {
		const char *w;
		size_t n;

		if (!word_char(*p)) {
			e = p + 1;
			continue;
		}
		for (e = p; word_char(*e); e++)
			;
		n = (size_t)(e - p);
		ok = 0;
		for (w = strstr(want, (char[]){ *p, 0 }); w; w = strstr(w + 1, (char[]){ *p, 0 }))
			if (!strncmp(w, p, n) && (w == want || !word_char(w[-1])) &&
			    !word_char(w[n])) {
				ok = 1;
				break;
			}
	}
	fg_buf_release(&g);
	return ok;
}

/* The name printed in the first self-time row of the summary of name. */
static char *shown_name(const char *name)
{
	char *folded = xstrfmt("p;%s 1\n", name);
	char *s = summary_of(folded), *row = strstr(s, "100.00%  "), *nl, *r;

	r = row ? xmemdupz(row + 9, (nl = strchr(row + 9, '\n')) ? (size_t)(nl - row - 9) : 0)
		: xstrdup("");
	free(s);
	free(folded);
	return r;
}

TEST(summary_long_names_lose_their_middle)
{
	static const struct { const char *name, *shown; } cases[] = {
		{ "std::panicking::catch_unwind::do_call::<&dyn core::ops::function::Fn<(), "
		  "Output = i32> + core::marker::Sync + core::panic::unwind_safe::RefUnwindSafe, i32>",
		  "std::panicking::catch_unwind::do_call::<…>" },
		{ "<&dyn core::ops::function::Fn<(), Output = i32> + core::marker::Sync + "
		  "core::panic::unwind_safe::RefUnwindSafe as core::ops::function::FnOnce<()>>::call_once",
		  "<… as core::ops::function::FnOnce<()>>::call_once" },
		{ "core::iter::range::<impl core::iter::traits::iterator::Iterator for "
		  "core::ops::range::Range<A>>::next::<with::a::long::turbofish::Argument>",
		  "core::iter::range::<…>::next::<with::a::long::turbofish::Argument>" },
		{ "std::_Function_handler<void (int), main::{lambda(int)#1}>::_M_invoke("
		  "std::_Any_data const&, int&&, std::vector<std::pair<int, int>, "
		  "std::allocator<std::pair<int, int>>> const&)",
		  "std::_Function_handler<void (int), main::{lambda(int)#1}>::_M_invoke(…)" },
		{ "operator<<(std::ostream&, very_long_type_name_number_one const&, "
		  "very_long_type_name_number_two const&, int)",
		  "operator<<(…)" },
		{ "one::two::three::four::five::six::seven::eight::nine::ten::eleven::"
		  "twelve::thirteen::fourteen::fifteen::sixteen",
		  "one::…::eight::nine::ten::eleven::twelve::thirteen::fourteen::fifteen::sixteen" },
		/* short enough: as it is */
		{ "<core::ops::range::Range<T> as core::iter::range::RangeIteratorImpl>::spec_next",
		  "<core::ops::range::Range<T> as core::iter::range::RangeIteratorImpl>::spec_next" },
		{ "a::b<c>", "a::b<c>" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = shown_name(cases[i].name);

		CHECK_STREQ(got, cases[i].shown);
		free(got);
	}
}

TEST(summary_long_names_never_lose_half_a_word)
{
	static const char *const names[] = {
		/* brackets that do not pair up: words from both ends */
		"bad<<<name(( with unbalanced brackets and more and more and more "
		"and more and more and more and more text",
		"word word word word word word word word word word word word word "
		"word word word word word word word word word word word word",
		/* one word longer than the line: kept whole */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"x::yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
		"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy::z",
		/* non-ASCII letters are part of words */
		"caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::"
		"caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::"
		"caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::caf\xc3\xa9::end",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *got = shown_name(names[i]);

		CHECK(*got);
		CHECK(whole_words(got, names[i]));
		/* shortened, but for the one long word */
		CHECK(i == 2 ? !strcmp(got, names[i]) : strstr(got, "…") != NULL);
		free(got);
	}
}

TEST(summary_endless_words_are_cut)
{
	struct fg_buf name = FG_BUF_INIT;
	char *got;
	size_t i;

	/* a hostile binary's megabyte of letters: the line stays a line */
	fg_buf_addstr(&name, "huge");
	for (i = 0; i < (1 << 20); i++)
		fg_buf_addstr(&name, i % 1000 ? "a" : "\xc3\xa9");
	fg_buf_addstr(&name, "end");
	got = shown_name(name.buf);
	CHECK(strlen(got) < 100);
	CHECK(!strncmp(got, "huge\xc3\xa9" "aa", 8));
	CHECK(strstr(got, "…") != NULL);
	CHECK(strlen(got) >= 6 && !strcmp(got + strlen(got) - 6, "aaaend"));
	free(got);
	/* with a path: its middle goes, the words stay */
	fg_buf_reset(&name);
	fg_buf_addstr(&name, "x::");
	for (i = 0; i < (1 << 20); i++)
		fg_buf_addch(&name, 'a');
	fg_buf_addstr(&name, "::end");
	got = shown_name(name.buf);
	CHECK_STREQ(got, "x::…::end");
	free(got);
	fg_buf_release(&name);
}

TEST(summary_names_stay_escaped)
{
	char *got = shown_name("evil\x1b[2Jname");
	char *longer = shown_name("evil\x1b[2J::a::b::c::d::e::f::g::h::i::j::k::l::m::n::"
				  "o::p::q::r::s::t::u::v::w::x::y::z::end\x07");

	CHECK_STREQ(got, "evil\\x1b[2Jname");
	CHECK(!strchr(longer, '\x1b') && !strchr(longer, '\x07'));
	CHECK(strstr(longer, "evil\\x1b") != NULL);
	CHECK(strstr(longer, "end\\x07") != NULL);
	free(got);
	free(longer);
}
