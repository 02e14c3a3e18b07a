/*
 * Unit tests of the perf-script collapser (profiler/collapse-perf.c):
 * event line shapes, each naming rule, options, chunking, weird lines.
 * Expected outputs follow inferno's rules for perf script text, worked
 * out by hand.
 */
#include "unit.h"
#include "../../profiler/collapse-perf.h"
#include "../../lib/error.h"

#include <unistd.h>

/*
 * Collapse into a profile, feeding input in pieces of step bytes (0: all
 * at once); the profile folded as view says (NULL: roots are process
 * names), as sorted folded text.
 */
static char *collapse_view(const char *input, size_t len,
			   const struct collapse_opts *o,
			   const struct profile_view *view, size_t step,
			   struct collapse_stats *stats)
{
	static const struct profile_value_type samples = { "samples", "count" };
	struct profile_view plain = { 0 };
	struct profile p;
	struct stack_table t;
	struct collapse_perf *c;
	char *out = NULL;
	size_t outlen = 0, off = 0;
	FILE *f;
	int ret = 0;

	profile_init(&p, &samples, 1);
	c = collapse_perf_new(&p, o);
	if (!step)
		step = len ? len : 1;
	while (off < len && !ret) {
		size_t n = len - off < step ? len - off : step;

		ret = collapse_perf_feed(c, input + off, n, NULL);
		off += n;
	}
	if (!ret)
		ret = collapse_perf_finish(c, NULL);
	CHECK(ret == 0);
	if (stats)
		*stats = *collapse_perf_stats(c);
	collapse_perf_free(c);
	stack_table_init(&t, 1);
	CHECK(profile_fold(&p, view ? view : &plain, &t) == 0);
	stack_table_sort(&t);
	f = open_memstream(&out, &outlen);
	CHECK(f != NULL);
	CHECK(stack_table_write(&t, f) == 0);
	fclose(f);
	stack_table_release(&t);	/* it may point into p */
	profile_release(&p);
	return out;
}

static char *collapse_chunked(const char *input, size_t len,
			      const struct collapse_opts *o, size_t step,
			      struct collapse_stats *stats)
{
	return collapse_view(input, len, o, NULL, step, stats);
}

static const struct profile_value_type samples_type = { "samples", "count" };
static const struct profile_view pid_view = { .include_pid = 1 };
static const struct profile_view tid_view = { .include_pid = 1, .include_tid = 1 };

#define CHECK_COLLAPSE_VIEW(input, view, expected) \
	do { char *got_ = collapse_view(input, strlen(input), NULL, view, 0, NULL); \
	     CHECK_STREQ(got_, expected); free(got_); } while (0)

static char *collapse_opts(const char *input, const struct collapse_opts *o)
{
	return collapse_chunked(input, strlen(input), o, 0, NULL);
}

static char *collapse(const char *input)
{
	return collapse_opts(input, NULL);
}

#define CHECK_COLLAPSE(input, expected) \
	do { char *got_ = collapse(input); \
	     CHECK_STREQ(got_, expected); free(got_); } while (0)

#define CHECK_COLLAPSE_OPTS(input, o, expected) \
	do { char *got_ = collapse_opts(input, o); \
	     CHECK_STREQ(got_, expected); free(got_); } while (0)

/* One event of comm "p" with one frame named func in module mod. */
static char *one_frame(const char *func, const char *mod,
		       const struct collapse_opts *o)
{
	char *in = xstrfmt("p 1 1.0: cycles:\n\t1234 %s (%s)\n\n", func, mod);
	char *out = collapse_opts(in, o);

	free(in);
	return out;
}

#define CHECK_FRAME(func, mod, expected) \
	do { char *got_ = one_frame(func, mod, NULL); \
	     CHECK_STREQ(got_, "p;" expected " 1\n"); free(got_); } while (0)

#define CHECK_FRAME_OPTS(func, mod, o, expected) \
	do { char *got_ = one_frame(func, mod, o); \
	     CHECK_STREQ(got_, "p;" expected " 1\n"); free(got_); } while (0)

/* ------------------------------------------------------------------ */
/* Event lines */

TEST(event_line_shapes)
{
	CHECK_COLLAPSE("java 25607 4794564.109216: cycles:\n\t1 f (m)\n\n",
		       "java;f 1\n");
	CHECK_COLLAPSE("java 12688 [002] 6544038.708352: 235 cpu-clock:\n\t1 f (m)\n\n",
		       "java;f 235\n");
	CHECK_COLLAPSE("java 24636/25607 [000] 94564.109216: 100 cycles:\n\t1 f (m)\n\n",
		       "java;f 100\n");
	CHECK_COLLAPSE("vote   913    72.176760:     257597 cycles:uppp:\n\t1 f (m)\n\n",
		       "vote;f 257597\n");
	/* a comm with spaces, leading blanks (perf aligns comms) */
	CHECK_COLLAPSE("V8 WorkerThread 24636/25607 [000] 94564.109216: cycles:\n\t1 f (m)\n\n",
		       "V8_WorkerThread;f 1\n");
	CHECK_COLLAPSE("   swapper     0 [000]  1.000: 1 cycles:\n\t1 f (m)\n\n",
		       "swapper;f 1\n");
	/* a comm made of digits and words */
	CHECK_COLLAPSE("0 1 2 3.5: cycles:\n\t1 f (m)\n\n", "0;f 1\n");
	/* no event name at all: kept, weight 1 */
	CHECK_COLLAPSE("prog 12 x\n\t1 f (m)\n\n", "prog;f 1\n");
	/* a huge period is no period (inferno) */
	CHECK_COLLAPSE("a 1 1.0: 99999999999999999999999 cycles:\n\t1 f (m)\n\n", "a;f 1\n");
}

TEST(event_line_pid_tid_roots)
{
	const char *both = "V8 WorkerThread 24636/25607 [000] 1.0: cycles:\n\t1 f (m)\n\n";
	const char *tidonly = "java 25607 1.0: cycles:\n\t1 f (m)\n\n";

	CHECK_COLLAPSE_VIEW(both, &pid_view, "V8_WorkerThread-24636;f 1\n");
	CHECK_COLLAPSE_VIEW(both, &tid_view, "V8_WorkerThread-24636/25607;f 1\n");
	CHECK_COLLAPSE_VIEW(tidonly, &pid_view, "java-?;f 1\n");
	CHECK_COLLAPSE_VIEW(tidonly, &tid_view, "java-?/25607;f 1\n");
}

TEST(event_period_weights)
{
	/* the same stack with periods adds up; no period counts 1 */
	CHECK_COLLAPSE("a 1 1.0: 250000 cpu-clock:\n\t1 f (m)\n\n"
		       "a 1 2.0: 250001 cpu-clock:\n\t1 f (m)\n\n"
		       "a 1 3.0: cpu-clock:\n\t1 f (m)\n\n",
		       "a;f 500002\n");
	/* a period of 0 is a period */
	CHECK_COLLAPSE("a 1 1.0: 0 cycles:\n\t1 f (m)\n\n", "a;f 0\n");
	/* no timestamp: the event is still found, and the period */
	CHECK_COLLAPSE("a 1 7 cycles:u:\n\t1 f (m)\n\n"
		       "a 1 instructions:u:\n\t1 g (m)\n\n",
		       "a;f 7\n");
}

TEST(event_weird_lines_counted)
{
	struct collapse_stats st;
	const char *in = "no pid here\n"
			 "a 1 1.0: cycles:\n"
			 "\t1 f (m)\n"
			 "\tnot a stack line\n"
			 "\t1 g m\n"
			 "\t1 (m)\n"
			 "\n"
			 "a 99999999999999999999999 x 1.0: cycles:\n"
			 "\n"
			 "another weird one\n"
			 "\n";
	char *out = collapse_chunked(in, strlen(in), NULL, 0, &st);
	struct profile p;
	struct collapse_perf *c;
	const char *w;

	CHECK_STREQ(out, "a;f 1\n");
	free(out);
	CHECK_U64EQ(st.weird_events, 2);
	CHECK_U64EQ(st.weird_stack_lines, 3);
	CHECK_U64EQ(st.events, 2);
	CHECK_U64EQ(st.events_kept, 1);
	CHECK_U64EQ(st.lines, 11);

	profile_init(&p, &samples_type, 1);
	c = collapse_perf_new(&p, NULL);
	CHECK(collapse_perf_first_weird(c) == NULL);
	CHECK(collapse_perf_feed(c, in, strlen(in), NULL) == 0);
	CHECK(collapse_perf_finish(c, NULL) == 0);
	w = collapse_perf_first_weird(c);
	CHECK_STREQ(w, "weird event line: no pid here");
	w += strlen(w) + 1;
	CHECK_STREQ(w, "weird stack line: \tnot a stack line");
	w += strlen(w) + 1;
	CHECK_STREQ(w, "weird stack line: \t1 g m");
	w += strlen(w) + 1;
	CHECK_STREQ(w, "weird stack line: \t1 (m)");
	w += strlen(w) + 1;
	CHECK_STREQ(w, "weird event line: another weird one");
	w += strlen(w) + 1;
	CHECK_STREQ(w, "");	/* at most 5 kept */
	collapse_perf_free(c);
	profile_release(&p);
}

TEST(event_weird_line_recovers)
{
	/*
	 * after a weird event line its stack lines are weird too, until
	 * the blank line; the next event is read normally
	 */
	struct collapse_stats st;
	const char *in = "garbage\n\t1 f (m)\n\na 1 1.0: cycles:\n\t1 g (m)\n\n";
	char *out = collapse_chunked(in, strlen(in), NULL, 0, &st);

	CHECK_STREQ(out, "a;g 1\n");
	CHECK_U64EQ(st.weird_events, 2);
	free(out);
}

/* ------------------------------------------------------------------ */
/* Event types */

TEST(event_first_type_kept)
{
	struct collapse_stats st;
	const char *in = "a 1 1.0: 10 cycles:u:\n\t1 f (m)\n\n"
			 "a 1 2.0: 20 instructions:u:\n\t1 g (m)\n\n"
			 "a 1 3.0: 30 cycles:uppp:\n\t1 h (m)\n\n";
	char *out = collapse_chunked(in, strlen(in), NULL, 0, &st);

	/* cycles:u and cycles:uppp are both "cycles" */
	CHECK_STREQ(out, "a;f 10\na;h 30\n");
	CHECK_U64EQ(st.filtered, 1);
	CHECK_U64EQ(st.events, 3);
	free(out);
}

TEST(event_filter)
{
	const char *in = "a 1 1.0: 10 cycles:u:\n\t1 f (m)\n\n"
			 "a 1 2.0: 20 instructions:u:\n\t1 g (m)\n\n"
			 "a 1 3.0: 30 sched:sched_switch: prev_comm=a prev_pid=1\n\t1 s (m)\n\n"
			 "a 1 4.0: 40 sched:sched_wakeup: comm=b pid=2\n\t1 w (m)\n\n";
	struct collapse_opts o = { .event_filter = "instructions" };

	CHECK_COLLAPSE_OPTS(in, &o, "a;g 20\n");
	o.event_filter = "instructions:u";
	CHECK_COLLAPSE_OPTS(in, &o, "a;g 20\n");
	o.event_filter = "sched:sched_switch";
	CHECK_COLLAPSE_OPTS(in, &o, "a;s 30\n");
	/* inferno's name of both tracepoints */
	o.event_filter = "sched";
	CHECK_COLLAPSE_OPTS(in, &o, "a;s 30\na;w 40\n");
	o.event_filter = "nothing";
	CHECK_COLLAPSE_OPTS(in, &o, "");
}

TEST(event_single_line_stacks)
{
	/*
	 * perf prints the only frame on the event line when there is no
	 * callchain, and no blank line between such samples
	 */
	CHECK_COLLAPSE("false 64414 20110.539270: 34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])\n"
		       "false 64414 20110.539271: 34467 cycles:u:  7f00 memcpy+0x10 (/lib/libc.so.6)\n"
		       "false 64414 20110.539272: 1 cycles:  7f00 memcpy+0x12 (/lib/libc.so.6)\n",
		       "false;[unknown] 34467\nfalse;memcpy 34468\n");
	/* a filtered single-line event does not swallow the next one */
	CHECK_COLLAPSE("a 1 1.0: 1 cycles:  1 f (m)\n"
		       "a 1 2.0: 1 instructions:  1 g (m)\n"
		       "a 1 3.0: 1 cycles:  1 h (m)\n",
		       "a;f 1\na;h 1\n");
}

TEST(event_colons_in_event_names)
{
	/* a uprobe "probe_x:func:" and its callchain (inferno #287) */
	CHECK_COLLAPSE("prog 4242 [001] 10.5: probe_prog:work: (55d0c8a1b2c3)\n"
		       "\t55d0c8a1b2c3 work+0x0 (/usr/bin/prog)\n"
		       "\t55d0c8a1b400 main+0x20 (/usr/bin/prog)\n\n",
		       "prog;main;work 1\n");
	/* a tracepoint with arguments and its callchain (inferno #308) */
	CHECK_COLLAPSE("prog 4242 [001] 10.5: 1 syscalls:sys_enter_write: fd: 0x00000001, buf: 0x7ffd, count: 0x0000000c\n"
		       "\tffffffff81000000 do_syscall_64+0x5 ([kernel.kallsyms])\n"
		       "\t7f00 __write+0x10 (/lib/libc.so.6)\n\n",
		       "prog;__write;do_syscall_64 1\n");
}

TEST(event_without_blank_line_between)
{
	/* tracepoints without callchains: one line each, no blank lines */
	struct collapse_stats st;
	const char *in = "a 1 1.0: 1 sched:sched_switch: prev_comm=a\n"
			 "a 1 2.0: 1 sched:sched_switch: prev_comm=a\n"
			 "a 1 3.0: 1 sched:sched_switch: prev_comm=a\n";
	char *out = collapse_chunked(in, strlen(in), NULL, 0, &st);

	CHECK_STREQ(out, "");	/* no frames: nothing */
	CHECK_U64EQ(st.events, 3);
	CHECK_U64EQ(st.weird_stack_lines, 0);
	free(out);
	/*
	 * a single-line event right after one without callchain: it also
	 * reads as a stack line, but it is unindented
	 */
	CHECK_COLLAPSE("a 1 1.0: 1 sched:sched_switch: prev_comm=a\n"
		       "a 1 2.0: 1 sched:sched_switch:  ffff8100 __schedule+0x2f0 ([kernel.kallsyms])\n",
		       "a;__schedule 1\n");
	/* an event line right after a callchain starts the next event */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 f (m)\nb 2 2.0: cycles:\n\t1 g (m)\n",
		       "a;f 1\nb;g 1\n");
}

/* ------------------------------------------------------------------ */
/* Blank lines, comments, end of input */

TEST(blank_line_and_eof_end_events)
{
	const char *body = "a 1 1.0: cycles:\n\t1 f (m)\n\t2 g (m)";

	/* EOF ends the last event, with or without a final newline */
	CHECK_COLLAPSE(body, "a;g;f 1\n");
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 f (m)\n\t2 g (m)\n", "a;g;f 1\n");
	/* white space only is blank; CRLF is fine */
	CHECK_COLLAPSE("a 1 1.0: cycles:\r\n\t1 f (m)\r\n \t \r\n"
		       "a 1 1.0: cycles:\r\n\t1 f (m)\r\n",
		       "a;f 2\n");
	/* several blank lines, an event with no frames */
	CHECK_COLLAPSE("\n\n\na 1 1.0: cycles:\n\n\nb 1 1.0: cycles:\n\t1 f (m)\n\n\n",
		       "b;f 1\n");
	/* an event whose frames are all skipped emits nothing */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 (deleted) (m)\n\n", "");
	CHECK_COLLAPSE("", "");
}

TEST(comment_lines_skipped)
{
	CHECK_COLLAPSE("# ========\n# captured on: today\n#\n"
		       "a 1 1.0: cycles:\n\t1 f (m)\n# inside an event\n\t2 g (m)\n\n",
		       "a;g;f 1\n");
	/* only a '#' in the first column starts a comment */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 f (m)\n\t2 #g (m)\n\n", "a;#g;f 1\n");
}

/* ------------------------------------------------------------------ */
/* Stack lines and names */

TEST(stack_line_parts)
{
	/* two spaces and no name: the name is " " */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t7f1e2215d058  (/lib/x86_64-linux-gnu/libc-2.15.so)\n\n",
		       "a;  1\n");
	/* names with spaces */
	CHECK_FRAME("operator new(unsigned long)", "/usr/lib/libstdc++.so.6",
		    "operator new");
	CHECK_FRAME("<fn() as core::ops::function::FnOnce<()>>::call_once",
		    "/bin/x", "<fn() as core::ops::function::FnOnce<()>>::call_once");
	/* perf pads the pc with spaces; tabs, spaces */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t                0 f (m)\n    12 g   (m)   \n\n",
		       "a;g;f 1\n");
}

TEST(name_offsets_removed)
{
	CHECK_FRAME("f+0x1c", "m", "f");
	CHECK_FRAME("f+0x1C", "m", "f");
	CHECK_FRAME("f+0x", "m", "f");
	CHECK_FRAME("f+0xzz", "m", "f+0xzz");
	CHECK_FRAME("f+0x10+0x20", "m", "f+0x10");
	CHECK_FRAME("f+0x0x1", "m", "f+0x0x1");
	CHECK_FRAME("f+12", "m", "f+12");
}

TEST(name_parenthesised_skipped)
{
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 f (m)\n\t2 (/usr/bin/a) (m)\n\t3 (bad+0x1 (m)\n\t4 main (m)\n\n",
		       "a;main;f 1\n");
}

TEST(name_rust_fixup)
{
	CHECK_FRAME("_$LT$grep_searcher..searcher..glue..ReadByLine$LT$$u27$s$C$$u20$M$C$$u20$R$C$$u20$S$GT$$GT$::run::h30ecedc997ad7e32",
		    "m", "<grep_searcher::searcher::glue::ReadByLine<'s, M, R, S>>::run");
	CHECK_FRAME("core::ptr::drop_in_place::h0123456789abcdef", "m",
		    "core::ptr::drop_in_place");
	/* "h<16 hex>" without "::" */
	CHECK_FRAME("fooh0123456789abcdef", "m", "foo");
	/* after the offset is removed */
	CHECK_FRAME("a..b::h0123456789abcdef+0x1f", "m", "a::b");
	/* every escape */
	CHECK_FRAME("$SP$$BP$$RF$$LT$$GT$$C$$u7e$$u20$$u27$$u3d$$u5b$$u5d$$u7b$$u7d$$u2b$$u21$$u22$::h0123456789abcdef",
		    "m", "@*&<>,~ '=[]{}+!\"");
	/* escapes that tidy then sees: $LP$ opens an argument list, $u3b$ is ';' */
	CHECK_FRAME("x$LP$y$RP$::h0123456789abcdef", "m", "x");
	CHECK_FRAME("a$u3b$b::h0123456789abcdef", "m", "a:b");
	/* an unknown escape: the rest is copied as it is */
	CHECK_FRAME("a..b$XY$c..d::h0123456789abcdef", "m", "a::b$XY$c..d");
	/* a single dot stays */
	CHECK_FRAME("a.b::h0123456789abcdef", "m", "a.b");
	/* not a hash: 15 digits, or a non-hex digit */
	CHECK_FRAME("a..b::h0123456789abcde", "m", "a..b::h0123456789abcde");
	CHECK_FRAME("a..b::h0123456789abcdeg", "m", "a..b::h0123456789abcdeg");
	/* no hash: perf's demangled names are left alone */
	CHECK_FRAME("_$LT$a$GT$::f", "m", "_$LT$a$GT$::f");
}

TEST(name_rust_fixup_non_ascii)
{
	/* inferno panics slicing these at len - 17; bytes are fine */
	CHECK_FRAME("caml\xc3\xa9t\xc3\xa9..f::h0123456789abcdef", "m",
		    "caml\xc3\xa9t\xc3\xa9::f");
	CHECK_FRAME("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", "m",
		    "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	CHECK_FRAME("\xc3\xa9h0123456789abcdef", "m", "\xc3\xa9");
	CHECK_FRAME("x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "m",
		    "x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	/* invalid UTF-8 is kept byte for byte */
	CHECK_FRAME("bad\xff\xfe" "name", "m", "bad\xff\xfe" "name");
	CHECK_COLLAPSE("c\xff" "omm 1 1.0: cycles:\n\t1 f\x80 (m)\n\n", "c\xff" "omm;f\x80 1\n");
}

TEST(name_java_inlining)
{
	/* the first part is the real frame, the others are inlined in it */
	CHECK_FRAME("a->b->c", "m", "a;b_[i];c_[i]");
	CHECK_FRAME("a->b_[i]", "m", "a;b_[i]");
	CHECK_FRAME("x-y->z", "m", "x-y;z_[i]");
	CHECK_FRAME("x-", "m", "x-");
	/* each part is tidied */
	CHECK_FRAME("a(int)->b(long)", "m", "a;b_[i]");
	/* leaf-first lines, root-first output */
	CHECK_COLLAPSE("a 1 1.0: cycles:\n\t1 leaf (m)\n\t2 a->b (m)\n\t3 main (m)\n\n",
		       "a;main;a;b_[i];leaf 1\n");
}

TEST(name_unknown_uses_module)
{
	struct collapse_opts addrs = { .include_addrs = 1 };

	CHECK_FRAME("[unknown]", "/usr/lib/x86_64-linux-gnu/libc.so.6", "[libc.so.6]");
	CHECK_FRAME("[unknown]", "[unknown]", "[unknown]");
	CHECK_FRAME("[unknown]", "perf-map", "[perf-map]");
	CHECK_FRAME_OPTS("[unknown]", "/usr/lib/libc.so.6", &addrs, "[libc.so.6 <1234>]");
	CHECK_FRAME_OPTS("[unknown]", "[unknown]", &addrs, "[unknown <1234>]");
	CHECK_FRAME_OPTS("known", "[unknown]", &addrs, "known");
	/* the result is tidied like any name */
	CHECK_FRAME("[unknown]", "/tmp/a;b(1).so", "[a:b(1).so]");
}

TEST(name_tidy_generic)
{
	CHECK_FRAME("go/build.(*importReader).readByte", "m",
		    "go/build.(*importReader).readByte");
	CHECK_FRAME("foo<Vec::<usize>>(Vec<usize>)", "m", "foo<Vec::<usize>>");
	CHECK_FRAME(".run()V", "m", ".run");
	CHECK_FRAME("base(BasicType) const", "m", "base");
	CHECK_FRAME("std::function<void (int, int)>::operator(int, int)", "m",
		    "std::function<void (int, int)>::operator");
	CHECK_FRAME("{lambda(int, int)#2}::operator()", "m",
		    "{lambda(int, int)#2}::operator");
	CHECK_FRAME("(anonymous namespace)::myBar()", "m",
		    "(anonymous namespace)::myBar");
	CHECK_FRAME("ns::(anonymous namespace)::f(int)", "m",
		    "ns::(anonymous namespace)::f");
	CHECK_FRAME("[(foo)]::bar()", "m", "[(foo)]::bar");
	CHECK_FRAME("a;b;c", "m", "a:b:c");
	CHECK_FRAME("<[T; _] as core::fmt::Debug>::fmt", "m",
		    "<[T: _] as core::fmt::Debug>::fmt");
	/* quotes are kept (perl deletes them) */
	CHECK_FRAME("say'hi\"", "m", "say'hi\"");
	/* a closing bracket too many: the depth goes below 0 */
	CHECK_FRAME("a>(b)", "m", "a>(b)");
	CHECK_FRAME("f()", "m", "f");
}

TEST(name_tidy_java)
{
	const char *in = "%s 1 1.0: cycles:\n"
			 "\t1 Lorg/mozilla/javascript/ContextFactory;.call(Lorg/mozilla/javascript/ContextAction;)Ljava/lang/Object; (/tmp/perf-1.map)\n"
			 "\t2 Lnot_a_path (m)\n\n";
	char *a = xstrfmt(in, "java"), *b = xstrfmt(in, "javac"), *d = xstrfmt(in, "node");

	CHECK_COLLAPSE(a, "java;Lnot_a_path;org/mozilla/javascript/ContextFactory:.call 1\n");
	CHECK_COLLAPSE(b, "javac;Lnot_a_path;org/mozilla/javascript/ContextFactory:.call 1\n");
	CHECK_COLLAPSE(d, "node;Lnot_a_path;Lorg/mozilla/javascript/ContextFactory:.call 1\n");
	free(a);
	free(b);
	free(d);
}

TEST(name_annotations)
{
	struct collapse_opts k = { .annotate_kernel = 1 };
	struct collapse_opts j = { .annotate_jit = 1 };

	CHECK_FRAME_OPTS("native_safe_halt", "[kernel.kallsyms]", &k, "native_safe_halt_[k]");
	CHECK_FRAME_OPTS("start_kernel", "[kernel.kallsyms].init.text", &k, "start_kernel_[k]");
	CHECK_FRAME_OPTS("ipv4_conntrack_local+0x7f8f80b8", "[nf_conntrack_ipv4]", &k,
			 "ipv4_conntrack_local_[k]");
	CHECK_FRAME_OPTS("f", "/lib/modules/x/nf.ko", &k, "f_[k]");
	CHECK_FRAME_OPTS("tcp_sendmsg", "/lib/modules/4.3.0-rc1-virtual/build/vmlinux", &k,
			 "tcp_sendmsg_[k]");
	CHECK_FRAME_OPTS("f", "/usr/lib/debug/boot/vmlinux-5.4.14-cloudflare-2020.1.11", &k, "f_[k]");
	CHECK_FRAME_OPTS("f", "/boot/vmlinux-5.4/x", &k, "f");
	CHECK_FRAME_OPTS("f", "/boot/vmlinu", &k, "f");
	CHECK_FRAME_OPTS("f", "vmlinux-\xd0\xa2", &k, "f");
	CHECK_FRAME_OPTS("f", "[unknown]", &k, "f");
	CHECK_FRAME_OPTS("[unknown]", "[kernel.kallsyms]", &k, "[[kernel.kallsyms]]_[k]");
	CHECK_FRAME_OPTS("f", "/usr/lib/libc.so.6", &k, "f");
	/* off by default */
	CHECK_FRAME("native_safe_halt", "[kernel.kallsyms]", "native_safe_halt");

	CHECK_FRAME_OPTS("Ljava/io/PrintStream;::print", "/tmp/perf-19982.map", &j,
			 "Ljava/io/PrintStream:::print_[j]");
	CHECK_FRAME_OPTS("f", "/home/u/.debug/jit/java-jit-1/jitted-123-4.so", &j, "f_[j]");
	CHECK_FRAME_OPTS("f_[j]", "/tmp/perf-1.map", &j, "f_[j]");
	CHECK_FRAME_OPTS("f", "/tmp/perf-1.mapx", &j, "f");
	CHECK_FRAME_OPTS("f", "[kernel.kallsyms]", &j, "f");
	/* inlined parts get _[i] only */
	CHECK_FRAME_OPTS("a->b", "/tmp/perf-1.map", &j, "a_[j];b_[i]");
	CHECK_FRAME_OPTS("a->b", "[kernel.kallsyms]", &k, "a_[k];b_[i]");
}

TEST(inlined_frames)
{
	/* perf prints inlined functions as frames of module "(inlined)" */
	CHECK_COLLAPSE("burn 7 1.0: 1 cpu-clock:ppp:\n"
		       "\t11ac inl+0x1c (inlined)\n"
		       "\t11ac leaf+0x1c (/tmp/burn)\n"
		       "\t1050 main+0x10 (/tmp/burn)\n\n",
		       "burn;main;leaf;inl 1\n");
}

TEST(skip_after)
{
	const char *sa[] = { "main.init", "regexp.compile", NULL };
	struct collapse_opts o = { .skip_after = sa };
	const char *in = "go 1 1.0: cycles:\n"
			 "\t1 regexp.(*bitState).push (go)\n"
			 "\t2 regexp.compile+0x10 (go)\n"
			 "\t3 main.init (go)\n"
			 "\t4 runtime.main (go)\n\n"
			 "go 1 1.0: cycles:\n"
			 "\t1 fmt.Println (go)\n"
			 "\t3 main.init (go)\n"
			 "\t4 runtime.main (go)\n\n"
			 "go 1 1.0: cycles:\n"
			 "\t1 other (go)\n"
			 "\t4 runtime.main (go)\n\n";

	/* the first match from the leaf wins; callers and comm go */
	CHECK_COLLAPSE_OPTS(in, &o,
			    "go;runtime.main;other 1\n"
			    "main.init;fmt.Println 1\n"
			    "regexp.compile;regexp.(*bitState).push 1\n");
}

TEST(skip_after_raw_name)
{
	/* compared after offset removal and the Rust fix-up, before tidy */
	const char *sa1[] = { "a::b", NULL };
	const char *sa2[] = { "f(int)", NULL };
	const char *sa3[] = { "f", NULL };
	struct collapse_opts o = { .skip_after = sa1 };
	const char *in = "p 1 1.0: cycles:\n\t1 leaf (m)\n\t2 a..b::h0123456789abcdef+0x5 (m)\n"
			 "\t3 f(int) (m)\n\t4 main (m)\n\n";

	CHECK_COLLAPSE_OPTS(in, &o, "a::b;leaf 1\n");
	o.skip_after = sa2;
	CHECK_COLLAPSE_OPTS(in, &o, "f;a::b;leaf 1\n");
	o.skip_after = sa3;
	CHECK_COLLAPSE_OPTS(in, &o, "p;main;f;a::b;leaf 1\n");
}

/* ------------------------------------------------------------------ */
/* Input handling */

static const char chunk_input[] =
	"# header\n"
	"V8 WorkerThread 24636/25607 [000] 94564.109216: 100 cycles:u:\n"
	"\t    7f00 _$LT$a..b$GT$::f::h0123456789abcdef+0x10 (/usr/lib/x.so)\n"
	"\t    7f01 [unknown] (/usr/lib/libc.so.6)\n"
	"\tffffffff8103ce3b native_safe_halt ([kernel.kallsyms])\n"
	"\t    11ac inl+0x1c (inlined)\n"
	"\t    11ad std::function<void (int)>::operator()(int) (/bin/x)\n"
	"\n"
	"java 12688 [002] 6544038.708352: 235 cycles:\n"
	"\t1 Lorg/a/B;.c(I)V (/tmp/perf-1.map)\n"
	"\t2 a->b->c (/tmp/perf-1.map)\n"
	"\n\n"
	"false 64414 20110.539270: 34467 cycles:u:  ffffffff9aa3c8de [unknown] ([unknown])\n"
	"x 1 1.0: 5 instructions:\n\t1 skipped (m)\n\n"
	"weird line\n\tweird stack\n\n"
	"vote   913    72.176760:     257597 cycles:uppp:\n"
	"\t1 \xc3\xa9t\xc3\xa9+0x1 (m)\n"
	"\t2 main (m)";

TEST(chunk_boundaries)
{
	struct collapse_opts o = { .annotate_kernel = 1, .annotate_jit = 1,
				   .include_addrs = 1 };
	size_t len = strlen(chunk_input), step;
	struct collapse_stats st1, st2;
	char *whole = collapse_view(chunk_input, len, &o, &tid_view, 0, &st1);

	CHECK_STREQ(whole,
		    "V8_WorkerThread-24636/25607;std::function<void (int)>::operator;inl;native_safe_halt_[k];[libc.so.6 <7f01>];<a::b>::f 100\n"
		    "false-?/64414;[unknown <ffffffff9aa3c8de>] 34467\n"
		    "java-?/12688;a_[j];b_[i];c_[i];org/a/B:.c_[j] 235\n"
		    "vote-?/913;main;\xc3\xa9t\xc3\xa9 257597\n");
	for (step = 1; step <= 64; step++) {
		char *got = collapse_view(chunk_input, len, &o, &tid_view, step, &st2);

		CHECK_STREQ(got, whole);
		CHECK(!memcmp(&st1, &st2, sizeof(st1)));
		free(got);
	}
	free(whole);
}

TEST(long_names_and_deep_stacks)
{
	struct fg_buf in = FG_BUF_INIT, want = FG_BUF_INIT;
	size_t i, big = 1 << 20;
	char *name = xmalloc(big + 1), *got;

	memset(name, 'x', big);
	name[big] = '\0';
	name[big / 2] = '.';
	fg_buf_addstr(&in, "a 1 1.0: cycles:\n");
	for (i = 0; i < 10000; i++)
		fg_buf_addf(&in, "\t%zx f%zu+0x1 (m)\n", i, i);
	fg_buf_addf(&in, "\t0 %s+0x10 (m)\n\nb 1 1.0: cycles:\n\t0 %s(int) (m)\n\n",
		    name, name);

	fg_buf_addstr(&want, "a;");
	fg_buf_addstr(&want, name);
	for (i = 10000; i-- > 0;)
		fg_buf_addf(&want, ";f%zu", i);
	fg_buf_addstr(&want, " 1\nb;");
	fg_buf_addstr(&want, name);
	fg_buf_addstr(&want, " 1\n");
	got = collapse_chunked(in.buf, in.len, NULL, 0, NULL);
	CHECK(got && !strcmp(got, want.buf));
	free(got);
	/* in pieces smaller than a line */
	got = collapse_chunked(in.buf, in.len, NULL, 4093, NULL);
	CHECK(got && !strcmp(got, want.buf));
	free(got);
	free(name);
	fg_buf_release(&in);
	fg_buf_release(&want);
}

TEST(count_overflow_is_an_error)
{
	struct profile p;
	struct collapse_perf *c;
	struct fg_buf err = FG_BUF_INIT;
	const char *in = "a 1 1.0: 18446744073709551615 cycles:\n\t1 f (m)\n\n"
			 "a 1 2.0: 1 cycles:\n\t1 f (m)\n\n";

	profile_init(&p, &samples_type, 1);
	c = collapse_perf_new(&p, NULL);
	CHECK(collapse_perf_feed(c, in, strlen(in), &err) == -FG_ERR_COUNT_OVERFLOW);
	CHECK(strstr(err.buf, "'a;f'") != NULL);
	CHECK(strstr(err.buf, "line 6") != NULL);
	/* sticky */
	CHECK(collapse_perf_feed(c, "\n", 1, NULL) == -FG_ERR_COUNT_OVERFLOW);
	CHECK(collapse_perf_finish(c, NULL) == -FG_ERR_COUNT_OVERFLOW);
	CHECK_U64EQ(p.nsamples, 1);
	CHECK_U64EQ(profile_values(&p, 0)[0], UINT64_MAX);
	collapse_perf_free(c);
	profile_release(&p);
	fg_buf_release(&err);
}

TEST(collapse_fd)
{
	struct profile p;
	struct stack_table t;
	struct collapse_stats st;
	struct fg_buf err = FG_BUF_INIT;
	int fds[2];
	const char *in = "a 5/6 1.0: 2 cycles:\n\t1 f (m)\n\n";

	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], in, strlen(in)) == (ssize_t)strlen(in));
	close(fds[1]);
	profile_init(&p, &samples_type, 1);
	CHECK(collapse_perf_fd(&p, NULL, fds[0], &st, &err) == 0);
	close(fds[0]);
	CHECK_U64EQ(p.nsamples, 1);
	CHECK(p.nthreads == 1 && p.threads[0].pid == 5 && p.threads[0].tid == 6 &&
	      !strcmp(p.threads[0].name, "a"));
	stack_table_init(&t, 1);
	CHECK(profile_fold(&p, &pid_view, &t) == 0);
	CHECK(t.nr == 1 && t.v[0].len == 5 && !memcmp(t.v[0].stack, "a-5;f", 5));
	CHECK_U64EQ(st.events_kept, 1);
	stack_table_release(&t);
	profile_release(&p);

	/* a read error */
	profile_init(&p, &samples_type, 1);
	CHECK(collapse_perf_fd(&p, NULL, -1, NULL, &err) == -FG_ERR_IO);
	CHECK(strstr(err.buf, "cannot read") != NULL);
	profile_release(&p);
	fg_buf_release(&err);
}
