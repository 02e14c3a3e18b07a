/*
 * flamegraph: the standalone front-end. Records a command or running
 * processes, or reads a recording (perf.data), folded stacks, perf script
 * text or a pprof profile, and writes an interactive SVG flamegraph (or
 * folded stacks, pprof, speedscope).
 */
#include "profile.h"
#include "perf-backend.h"
#include "signals.h"
#include "../lib/outfile.h"

#include <signal.h>
#include <unistd.h>

static struct fg_run_opts opts;
static struct fg_profile_opts prof;
static const char *completions;

static const struct fg_option options[] = {
	OPT_GROUP("Workload"),
	OPT_STRING_LIST('p', "pid", &prof.pid_args, "PID[,PID...]",
		"Profile running processes (and the threads they start) until they "
		"exit, Ctrl-C or --duration", 0),
	OPT_FILENAME(0, "perfdata", &prof.perfdata, "FILE",
		"Render a recording made by perf record (read natively; "
		"perf script only for what the reader cannot handle)", NULL),
	OPT_STRING_LIST(0, "from-folded", &opts.from_folded, "FILE",
		"Render folded stacks ('frame;frame;frame COUNT' lines, or "
		"'STACK BEFORE AFTER' for a differential graph); '-' reads "
		"standard input", OPT_FILE),
	OPT_STRING_LIST(0, "from-perf-script", &opts.from_perf_script, "FILE",
		"Collapse and render the text 'perf script' prints; '-' reads "
		"standard input", OPT_FILE),
	OPT_FILENAME(0, "from-pprof", &opts.from_pprof, "FILE",
		"Render a pprof profile (profile.proto, gzipped or not: go tool "
		"pprof's format); '-' reads standard input", NULL),
	OPT_STRING(0, "sample-type", &opts.sample_type, "NAME",
		"With --from-pprof: the sample type to draw (cpu, alloc_space...)",
		"the file's default type, else its last"),
	OPT_CHOICE(0, "completions", &completions, "SHELL",
		"Print a completion script for SHELL and exit", NULL, fg_shells),
	FG_RECORD_OPTIONS(&prof),
	FG_OUTPUT_OPTIONS(&opts),
	FG_COLLAPSE_OPTIONS(&opts),
	FG_RENDER_OPTIONS(&opts),
	{ .type = OPTION_CALLBACK, .long_name = "owner", .argh = "UID:GID",
	  .help = "Give the files written to UID:GID (used by --root)",
	  .callback = opt_owner_cb, .flags = OPT_HIDDEN },
	OPT_END(),
};

static const struct fg_command cmd = {
	.name = "flamegraph",
	.usage = "flamegraph [OPTIONS] -- COMMAND [ARGS...]\n"
		 "flamegraph [OPTIONS] -p PID[,PID...]\n"
		 "flamegraph [OPTIONS] --perfdata FILE\n"
		 "flamegraph [OPTIONS] --from-folded FILE|-\n"
		 "flamegraph [OPTIONS] --from-perf-script FILE|-\n"
		 "flamegraph [OPTIONS] --from-pprof FILE|-\n"
		 "flamegraph --completions SHELL",
	.description = "Turn stack samples into an interactive SVG flamegraph: "
		       "each box is a function, its width the share of samples "
		       "in which it was on the stack, its parent the box below. "
		       "The same run can also be written as folded stacks, a pprof "
		       "profile and a speedscope document (several -o).",
	.epilogue = "Exit status:\n"
		    "  0   the flamegraph was written\n"
		    "  1   the flamegraph was written, but the profiled command failed\n"
		    "      (exited non-zero or died of a signal; see --ignore-status)\n"
		    "  2   nothing was written (bad input, no samples, I/O error)\n"
		    "  64  usage error (unknown option, bad value)\n",
	.options = options,
};

int main(int argc, const char **argv)
{
	struct profile profile;
	struct fg_buf source = FG_BUF_INIT;
	const char **trailing;
	int ntrailing, ret;

	fg_progname = "flamegraph";
	/* No half-written file, and no process of ours, survives a signal. */
	signals_init();
	run_opts_init(&opts);
	profile_opts_init(&prof);
	run_owner_from_sudo();
	prof.argc = argc;
	prof.argv = argv;
	/* Hidden: the manual page, generated from the options table. */
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		options_man(&cmd, NULL, stdout);
		return run_flush_stdout();
	}
	if (parse_options(&cmd, argc, argv, &trailing, &ntrailing))
		return EXIT_USAGE;
	if (completions) {
		if (argc != 3 && !(argc == 2 && strchr(argv[1], '='))) {
			error("'--completions' cannot be used with other options");
			return EXIT_USAGE;
		}
		options_completions(&cmd, completions, stdout);
		return run_flush_stdout();
	}
	if (run_opts_finish(&opts))
		return EXIT_USAGE;
	ret = run_check_outputs(&opts);
	if (ret)
		return ret;
	if (prof.repeat > 1 && !ntrailing && !prof.pid_args.nr) {
		error("'--repeat' runs a command again: give one after '--'");
		return EXIT_USAGE;
	}
	if (opts.from_pprof && (ntrailing || prof.pid_args.nr || prof.perfdata ||
				opts.from_folded.nr || opts.from_perf_script.nr)) {
		error("'--from-pprof' cannot be used with a command, '--pid' or another input");
		return EXIT_USAGE;
	}
	if (prof.perfdata) {
		if (ntrailing || prof.pid_args.nr || opts.from_folded.nr ||
		    opts.from_perf_script.nr || perf_backend_wanted(&prof)) {
			error("'--perfdata' cannot be used with a command, '--pid', '-c', '-z' "
			      "or another input");
			return EXIT_USAGE;
		}
		ret = perfdata_render(&opts, &prof, prof.perfdata, 0);
		ret = run_close_stdout(&opts, ret);
		run_opts_release(&opts);
		return ret;
	}
	if ((ntrailing || prof.pid_args.nr) &&
	    (opts.from_folded.nr || opts.from_perf_script.nr)) {
		error("'--from-folded' and '--from-perf-script' cannot be used with a command or '--pid'");
		return EXIT_USAGE;
	}
	if (ntrailing && prof.pid_args.nr) {
		error("cannot pass in command with --pid");
		return EXIT_USAGE;
	}
	if (ntrailing || prof.pid_args.nr) {
		ret = profile_run(&opts, &prof, ntrailing, trailing);
		ret = run_close_stdout(&opts, ret);
		run_opts_release(&opts);
		profile_opts_release(&prof);
		return ret;
	}
	if (opts.from_pprof) {
		ret = run_load_pprof(&opts, &profile, &source);
		if (!ret)
			ret = run_render_profile(&opts, &profile, source.buf, 0);
		profile_release(&profile);
		fg_buf_release(&source);
		ret = run_close_stdout(&opts, ret);
		run_opts_release(&opts);
		return ret;
	}
	if (!opts.from_folded.nr && !opts.from_perf_script.nr) {
		error("no workload given to generate a flamegraph for (see 'flamegraph --help')");
		return EXIT_USAGE;
	}
	if (opts.from_folded.nr && opts.from_perf_script.nr) {
		error("'--from-folded' cannot be used with '--from-perf-script'");
		return EXIT_USAGE;
	}

	run_text_profile(&opts, &profile);
	ret = run_load_inputs(&opts, &profile, &source);
	if (!ret)
		ret = run_render_profile(&opts, &profile, source.buf, 0);
	profile_release(&profile);
	fg_buf_release(&source);
	ret = run_close_stdout(&opts, ret);
	run_opts_release(&opts);
	return ret;
}
