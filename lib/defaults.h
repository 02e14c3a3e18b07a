#ifndef FG_DEFAULTS_H
#define FG_DEFAULTS_H

/*
 * The default settings, each defined once and read everywhere it is
 * needed: the options tables show it (the "[default: X]" of --help, the
 * manual pages and the shell completions) as FG_STR(FG_DEFAULT_...), so the
 * text shown cannot drift from the value used, and the init functions
 * (profile_opts_init(), run_opts_init(), recorder_new(), svg_opts_init())
 * start from it. Numbers are therefore written as they are to be shown:
 * FG_STR(FG_DEFAULT_FACTOR) is "1.0".
 *
 * Constants only: nothing to own, free or lock.
 */

/* The text of a macro's value: FG_STR(FG_DEFAULT_FONT_SIZE) is "12". */
#define FG_STR_(x) #x
#define FG_STR(x) FG_STR_(x)

/* Recording (profiler/record.h, cli/profile.h) */
#define FG_DEFAULT_EVENT "cpu-clock"
#define FG_DEFAULT_FREQ 997		/* samples per second (-F) */
#define FG_DEFAULT_RING_KB 8192		/* each ring buffer, KiB (--ring-kb) */
#define FG_DEFAULT_REPEAT 1		/* runs of the command (--repeat) */
#define FG_MAX_REPEAT 10000
#define FG_DEFAULT_DIFF_MODE "shares"	/* --diff-mode */
#define FG_DEFAULT_DIFF_MIN_SHARE 0.5	/* percent of a run's samples (--diff-min-share) */
#define FG_DEFAULT_DIFF_ALPHA 0.01	/* family-wise error rate (--diff-alpha) */
#define FG_DEFAULT_DIFF_MIN_CHANGE 0.5	/* percentage points (--diff-min-change) */
/*
 * --off-cpu and --wall: a sample at every switch, each with its stack
 * copy, fills a ring far faster than a clock (45000 switches a second
 * fill 8 MB in 3 ms).
 */
#define FG_DEFAULT_OFF_CPU_RING_KB 32768
/*
 * Bytes of user stack copied with each DWARF sample: by default, and the
 * range --call-graph dwarf,BYTES accepts (the most is the largest
 * multiple of 8 below 64 KiB: the kernel's record size is 16 bits).
 */
#define FG_DEFAULT_STACK_SIZE 64000
#define FG_MIN_STACK_SIZE 8
#define FG_MAX_STACK_SIZE 65528
#define FG_DEFAULT_CALL_GRAPH "dwarf," FG_STR(FG_DEFAULT_STACK_SIZE)

/* Output and rendering (cli/run.h, svg/flamegraph.h) */
#define FG_DEFAULT_FORMAT "svg"
#define FG_DEFAULT_OUTPUT "flamegraph"	/* without -o: this, then the
					   format's extension (.svg) */
#define FG_DEFAULT_PALETTE "hot"
#define FG_DEFAULT_COUNT_NAME "samples"
#define FG_DEFAULT_NAME_TYPE "Function:"
#define FG_DEFAULT_FONT_TYPE "monospace"
#define FG_DEFAULT_FONT_SIZE 12
#define FG_DEFAULT_FONT_WIDTH 0.59	/* of the font size */
#define FG_DEFAULT_FRAME_HEIGHT 16	/* pixels */
#define FG_DEFAULT_IMAGE_WIDTH 1200	/* pixels, without --image-width */
#define FG_DEFAULT_MIN_WIDTH 0.01	/* percent of the total */
#define FG_DEFAULT_FACTOR 1.0
#define FG_DEFAULT_SEARCH_COLOR "#e600e6"
#define FG_DEFAULT_UI_COLOR "#000000"

#endif
