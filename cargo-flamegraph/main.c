/*
 * cargo-flamegraph: the cargo front-end. Builds a Rust target with cargo,
 * finds its executable in cargo's JSON messages, and profiles it with the
 * same engine and options as flamegraph. cargo runs it as
 * "cargo-flamegraph flamegraph ARGS"; "cargo-flamegraph ARGS" works too.
 */
#include "cargo.h"
#include "../cli/profile.h"
#include "../cli/signals.h"

#include <ctype.h>
#include <unistd.h>

static struct fg_run_opts opts;
static struct fg_profile_opts prof;

static struct {
	const char *bin, *example, *test, *bench;
	const char *unit_test, *unit_bench;	/* "" when given without a name */
	const char *unit_test_kind;
	const char *package, *manifest_path, *profile, *triple, *features;
	int dev, release, no_default_features, all_features;
	const char *completions;
} co;

static const char *const unit_kinds[] = { "bin", "lib", NULL };

static const struct fg_option options[] = {
	OPT_GROUP("Target (default: the package's only binary, or its default-run)"),
	OPT_STRING('b', "bin", &co.bin, "BIN", "Profile the binary BIN", NULL),
	OPT_STRING(0, "example", &co.example, "EXAMPLE", "Profile the example EXAMPLE", NULL),
	OPT_STRING(0, "test", &co.test, "TEST",
		"Profile the integration test TEST (its whole test harness)", NULL),
	OPT_STRING(0, "bench", &co.bench, "BENCH",
		"Profile the benchmark BENCH (for criterion, add '-- --bench')", NULL),
	{ .type = OPTION_STRING, .long_name = "unit-test", .value = &co.unit_test,
	  .argh = "NAME", .flags = OPT_OPTARG | OPT_OPTARG_NEXT, .optarg_default = "",
	  .help = "Profile the unit tests of the lib or bin NAME (default: the only "
		  "one); a test filter goes after '--'" },
	{ .type = OPTION_STRING, .long_name = "unit-bench", .value = &co.unit_bench,
	  .argh = "NAME", .flags = OPT_OPTARG | OPT_OPTARG_NEXT, .optarg_default = "",
	  .help = "Profile the #[bench] functions of the lib or bin NAME (runs its "
		  "test harness with --bench)" },
	OPT_CHOICE(0, "unit-test-kind", &co.unit_test_kind, "KIND",
		"Whether --unit-test/--unit-bench means a bin or the lib (when they "
		"share a name)", NULL, unit_kinds),
	OPT_STRING('p', "package", &co.package, "PACKAGE",
		"Package to build; also narrows the automatic choice of a target", NULL),
	OPT_FILENAME(0, "manifest-path", &co.manifest_path, "PATH",
		"Path to the Cargo.toml of the package or workspace", NULL),
	OPT_GROUP("Build"),
	OPT_BOOL(0, "dev", &co.dev,
		"Build with the dev profile instead of --release (the test profile for "
		"--unit-test and --unit-bench)"),
	OPT_STRING(0, "profile", &co.profile, "PROFILE",
		"Build with the Cargo profile PROFILE", "release; bench for --bench and --unit-bench"),
	OPT_STRING(0, "target", &co.triple, "TRIPLE",
		"Build for the target TRIPLE (cargo --target)", NULL),
	OPT_STRING('f', "features", &co.features, "FEATURES",
		"Features to activate, separated by spaces or commas", NULL),
	OPT_BOOL(0, "no-default-features", &co.no_default_features,
		"Do not activate the default features"),
	OPT_BOOL(0, "all-features", &co.all_features,
		"Activate all the features of the selected packages"),
	OPT_BOOL('r', "release", &co.release,
		"No effect: release is the default (so 'cargo run -r' becomes "
		"'cargo flamegraph -r')"),
	OPT_GROUP("Shell completions"),
	OPT_CHOICE(0, "completions", &co.completions, "SHELL",
		"Print a completion script for SHELL and exit", NULL, fg_shells),
	FG_RECORD_OPTIONS(&prof),
	FG_OUTPUT_OPTIONS(&opts),
	FG_COLLAPSE_OPTIONS(&opts),
	FG_RENDER_OPTIONS(&opts),
	OPT_END(),
};

static const struct fg_command cmd = {
	.name = "cargo-flamegraph",
	.usage = "cargo flamegraph [OPTIONS] [-- ARGS...]\n"
		 "cargo flamegraph --completions SHELL",
	.description = "Build a Rust target with cargo and profile it: an "
		       "interactive SVG flamegraph of where it spends its CPU time. "
		       "ARGS go to the profiled program (a test filter for --unit-test, "
		       "--bench for criterion). Tests and benchmarks run in their "
		       "package's directory with the CARGO_* variables cargo test "
		       "sets; binaries and examples run here, as with cargo run.",
	.epilogue = "Exit status:\n"
		    "  0   the flamegraph was written\n"
		    "  1   the flamegraph was written, but the profiled program failed\n"
		    "      (exited non-zero or died of a signal; see --ignore-status)\n"
		    "  2   nothing was written (no target, build failure, no samples, I/O error)\n"
		    "  64  usage error (unknown option, bad value, conflicting options)\n",
	.options = options,
};

/* --bin, --example, ... : at most one (flamegraph-rs's "exec-args" group). */
static int check_conflicts(void)
{
	const struct { const char *name; const char *v; } g[] = {
		{ "--bin", co.bin }, { "--example", co.example },
		{ "--test", co.test }, { "--bench", co.bench },
		{ "--unit-test", co.unit_test }, { "--unit-bench", co.unit_bench },
	};
	const char *first = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(g); i++) {
		if (!g[i].v)
			continue;
		if (first)
			return error("'%s' cannot be used with '%s'", first, g[i].name);
		first = g[i].name;
	}
	return 0;
}

/* The target option given, and its name (NULL for none or a bare --unit-test). */
static enum cargo_mode get_mode(const char **name)
{
	const char *unit = co.unit_test ? co.unit_test : co.unit_bench;

	*name = NULL;
	if (co.bin)
		*name = co.bin;
	else if (co.example)
		*name = co.example;
	else if (co.test)
		*name = co.test;
	else if (co.bench)
		*name = co.bench;
	else if (unit && *unit)
		*name = unit;

	if (co.bin)
		return CARGO_MODE_BIN;
	if (co.example)
		return CARGO_MODE_EXAMPLE;
	if (co.test)
		return CARGO_MODE_TEST;
	if (co.bench)
		return CARGO_MODE_BENCH;
	if (co.unit_test)
		return CARGO_MODE_UNIT_TEST;
	if (co.unit_bench)
		return CARGO_MODE_UNIT_BENCH;
	return CARGO_MODE_AUTO;
}

/* Print argv as flamegraph-rs does ("cargo" "build" ...). */
static void print_command(FILE *out, const char *what, const char *cargo,
			  const char *const *args)
{
	fprintf(out, "%s: \"%s\"", what, cargo);
	for (; *args; args++)
		fprintf(out, " \"%s\"", *args);
	fputc('\n', out);
}

/* A profile name as cargo spells it in CARGO_PROFILE_<NAME>_*; malloc'd. */
static char *profile_env_name(const char *profile)
{
	char *upper = xstrdup(profile), *p;

	for (p = upper; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return upper;
}

static void debuginfo_warning(const char *profile)
{
	char *upper = profile_env_name(profile);

	fflush(stdout);
	fprintf(stderr, "\nWARNING: profiling without debuginfo. Enable symbol information "
		"by adding the following lines to Cargo.toml:\n\n"
		"[profile.%s]\ndebug = true\n\n"
		"Or set this environment variable:\n\n"
		"CARGO_PROFILE_%s_DEBUG=true\n\n", profile, upper);
	free(upper);
}

/*
 * What the binary holds for naming functions: cargo's profile.debuginfo
 * and the ELF file itself (a stripped binary has no symbol table at all).
 */
static void check_symbols(const struct cargo_artifact *a, const char *profile)
{
	enum cargo_elf_state st = cargo_elf_inspect(a->executable);
	char *upper;

	if (st == CARGO_ELF_STRIPPED) {
		upper = profile_env_name(profile);
		warning("'%s' is stripped: it has no symbol table, so its functions "
			"cannot be named in the flamegraph; set 'strip = false' in "
			"[profile.%s] of Cargo.toml (or CARGO_PROFILE_%s_STRIP=false)",
			a->executable, profile, upper);
		free(upper);
		return;
	}
	if (!a->debuginfo || st == CARGO_ELF_SYMTAB)
		debuginfo_warning(profile);
}

static const char *mode_what(enum cargo_mode m)
{
	switch (m) {
	case CARGO_MODE_TEST:
		return "the test";
	case CARGO_MODE_BENCH:
		return "the benchmark";
	case CARGO_MODE_UNIT_TEST:
		return "the unit tests";
	case CARGO_MODE_UNIT_BENCH:
		return "the unit benchmarks";
	case CARGO_MODE_EXAMPLE:
		return "the example";
	default:
		return "the program";
	}
}

/*
 * No target option, or --unit-test/--unit-bench: choose the target from
 * cargo metadata (reference 4.1) and fill b->name, b->package and
 * b->unit_kind. Returns 0, or -1 after printing the error.
 */
static int choose_target(struct cargo_build_opts *b, struct cargo_metadata *md,
			 const struct cargo_package **pkg, const char *root,
			 const char *cargo, FILE *info)
{
	struct cargo_select sel = { 0 };
	struct cargo_choice ch;
	struct fg_buf err = FG_BUF_INIT;
	int r;

	if (opts.verbose) {
		const char *m[] = { "metadata", "--format-version", "1", "--no-deps",
				    co.manifest_path ? "--manifest-path" : NULL,
				    co.manifest_path, NULL };
		print_command(info, "metadata command", cargo, m);
	}
	r = cargo_metadata_load(cargo, co.manifest_path, md, &err);
	if (r) {
		if (r == -CARGO_ERR_SPAWN)
			error("%s", err.buf);
		else
			error("%s: %s", cargo_strerror(r), err.buf);
		fg_buf_release(&err);
		return -1;
	}
	sel.mode = b->mode;
	sel.package = co.package;
	sel.name = b->name;
	sel.root = root;
	if (b->mode == CARGO_MODE_AUTO)
		sel.kinds = CARGO_KIND_BIN;
	else if (!co.unit_test_kind)
		sel.kinds = CARGO_KIND_BIN | CARGO_KIND_LIB;
	else
		sel.kinds = !strcmp(co.unit_test_kind, "bin") ? CARGO_KIND_BIN :
			    CARGO_KIND_LIB;
	if (cargo_select_target(md, &sel, &ch, &err)) {
		error("%s", err.buf);
		fg_buf_release(&err);
		return -1;
	}
	if (ch.announce) {
		fflush(stdout);
		fprintf(stderr, "automatically selected target %s in package %s as it is the only valid target\n",
			ch.target->name, ch.pkg->name);
	}
	b->name = ch.target->name;
	b->package = ch.pkg->name;
	b->unit_kind = ch.target->kinds & CARGO_KIND_LIB ? CARGO_KIND_LIB : CARGO_KIND_BIN;
	*pkg = ch.pkg;
	fg_buf_release(&err);
	return 0;
}

/* Which compiler-artifact of the build is the one to profile (reference 4.3). */
static struct cargo_want artifact_wanted(const struct cargo_build_opts *b)
{
	struct cargo_want w = { .name = b->name, .test = -1 };

	switch (b->mode) {
	case CARGO_MODE_AUTO:
	case CARGO_MODE_BIN:
		w.kinds = CARGO_KIND_BIN;
		w.test = 0;
		break;
	case CARGO_MODE_EXAMPLE:
		w.kinds = CARGO_KIND_EXAMPLE;
		break;
	case CARGO_MODE_TEST:
		w.kinds = CARGO_KIND_TEST;
		break;
	case CARGO_MODE_BENCH:
		w.kinds = CARGO_KIND_BENCH;
		break;
	case CARGO_MODE_UNIT_TEST:
	case CARGO_MODE_UNIT_BENCH:
		/* The harness, not the plain bin cargo may build alongside. */
		w.kinds = b->unit_kind;
		w.test = 1;
		break;
	}
	return w;
}

static int run(int ntrailing, const char **trailing)
{
	struct cargo_metadata md = { 0 };
	struct cargo_build_opts b = { 0 };
	struct cargo_artifact art = { 0 };
	struct cargo_want want;
	struct fg_strlist args = { 0 };
	struct fg_buf err = FG_BUF_INIT;
	const struct cargo_package *pkg = NULL;
	const char *cargo = getenv("CARGO");
	char *root = NULL, *cargo_path = NULL, *workdir = NULL, **env = NULL;
	const char **argv = NULL;
	FILE *info = opts.output && !strcmp(opts.output, "-") ? stderr : stdout;
	int have_md = 0, ret = EXIT_FATAL, r, i, n;

	if (!cargo || !*cargo)
		cargo = "cargo";
	b.mode = get_mode(&b.name);
	b.dev = co.dev;
	b.profile = co.profile;
	b.package = co.package;
	b.triple = co.triple;
	b.manifest_path = co.manifest_path;
	b.features = co.features;
	b.no_default_features = co.no_default_features;
	b.all_features = co.all_features;

	root = cargo_crate_root(co.manifest_path, &err);
	if (!root) {
		error("%s", err.buf);
		goto out;
	}
	if (b.mode == CARGO_MODE_AUTO || b.mode == CARGO_MODE_UNIT_TEST ||
	    b.mode == CARGO_MODE_UNIT_BENCH) {
		if (choose_target(&b, &md, &pkg, root, cargo, info))
			goto out;
		have_md = 1;
	}

	cargo_build_args(&b, &args);
	if (opts.verbose)
		print_command(info, "build command", cargo, fg_strlist_nullterm(&args));
	fflush(info);
	want = artifact_wanted(&b);
	r = cargo_build(cargo, fg_strlist_nullterm(&args), &want, &art, &err);
	if (r) {
		/* These messages are whole; the others get the catalogue's prefix. */
		if (r == -CARGO_ERR_SPAWN || r == -CARGO_ERR_NO_MATCH || !err.len)
			error("%s", err.len ? err.buf : cargo_strerror(r));
		else
			error("%s: %s", cargo_strerror(r), err.buf);
		goto out;
	}

	/* The package of the artifact, for the CARGO_* variables. */
	if (!have_md && art.manifest_path) {
		fg_buf_reset(&err);
		if (!cargo_metadata_load(cargo, co.manifest_path, &md, &err))
			have_md = 1;
	}
	if (have_md && art.manifest_path)
		pkg = cargo_metadata_package(&md, art.manifest_path);
	check_symbols(&art, cargo_profile_name(&b));

	cargo_path = cargo_which(cargo);
	env = cargo_runtime_env(pkg, art.manifest_path, cargo_path, art.executable);
	/* cargo test and cargo bench run in the package; cargo run stays here. */
	if (art.manifest_path && b.mode != CARGO_MODE_AUTO && b.mode != CARGO_MODE_BIN &&
	    b.mode != CARGO_MODE_EXAMPLE)
		workdir = cargo_dirname(art.manifest_path);

	n = 0;
	argv = xcalloc((size_t)ntrailing + 3, sizeof(*argv));
	argv[n++] = art.executable;
	for (i = 0; i < ntrailing; i++)
		argv[n++] = trailing[i];
	if (b.mode == CARGO_MODE_UNIT_BENCH)
		argv[n++] = "--bench";
	prof.workdir = workdir;
	prof.env = env;
	prof.what = mode_what(b.mode);
	if (opts.verbose && workdir)
		fprintf(stderr, "running in '%s'\n", workdir);
	ret = profile_run(&opts, &prof, n, argv);
out:
	free(argv);
	free(workdir);
	cargo_env_free(env);
	free(cargo_path);
	free(root);
	cargo_artifact_release(&art);
	cargo_metadata_release(&md);
	fg_strlist_release(&args);
	fg_buf_release(&err);
	return ret;
}

int main(int argc, const char **argv)
{
	const char **trailing;
	int ntrailing, ret;

	fg_progname = "cargo-flamegraph";
	/* an interruption ends cargo and what it started, and leaves no file */
	signals_init();
	/* cargo runs "cargo-flamegraph flamegraph ARGS". */
	if (argc > 1 && !strcmp(argv[1], "flamegraph")) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	run_opts_init(&opts);
	profile_opts_init(&prof);
	run_owner_from_sudo();
	/* --root: perf under sudo, so that cargo never builds as root */
	prof.root_via_perf = 1;
	/* Hidden: the manual page, generated from the options table. */
	if (argc == 2 && !strcmp(argv[1], "--man")) {
		options_man(&cmd, NULL, stdout);
		return run_flush_stdout();
	}
	if (parse_options(&cmd, argc, argv, &trailing, &ntrailing))
		return EXIT_USAGE;
	if (co.completions) {
		if (argc != 3 && !(argc == 2 && strchr(argv[1], '='))) {
			error("'--completions' cannot be used with other options");
			return EXIT_USAGE;
		}
		options_completions(&cmd, co.completions, stdout);
		return run_flush_stdout();
	}
	if (run_opts_finish(&opts) || check_conflicts())
		return EXIT_USAGE;
	ret = run_check_outputs(&opts);
	if (ret)
		return ret;
	ret = run(ntrailing, trailing);
	run_opts_release(&opts);
	ret = run_close_stdout(&opts, ret);
	return ret;
}
