/*
 * cargo-flamegraph: the cargo front-end. Builds a Rust target with cargo,
 * finds its executable in cargo's JSON messages, and profiles it with the
 * same engine and options as flamegraph. cargo runs it as
 * "cargo-flamegraph flamegraph ARGS"; "cargo-flamegraph ARGS" works too.
 * A bare --unit-test with a test filter asks every candidate harness for
 * its matching tests and profiles those that have some; several run one
 * after the other under cargo-flamegraph itself as their driver (started
 * with HARNESS_DRIVER_ARG, see harness.h).
 */
#include "cargo.h"
#include "harness.h"
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
	/* as users type it; the executable is cargo-flamegraph (options_exe_name()) */
	.name = "cargo flamegraph",
	.usage = "cargo flamegraph [OPTIONS] [-- ARGS...]\n"
		 "cargo flamegraph --completions SHELL",
	.description = "Build a Rust target with cargo and profile it: an "
		       "interactive SVG flamegraph of where it spends its CPU time. "
		       "ARGS go to the profiled program (a test filter for --unit-test, "
		       "--bench for criterion). With a filter and no NAME, --unit-test "
		       "profiles every harness of a lib or bin that has matching tests, "
		       "one after the other. Tests and benchmarks run in their "
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
 * Print msg, an error of one or more '\n'-separated lines (a list of
 * candidates), as one error: "error: " before the first line, each line
 * escaped as error() escapes one.
 */
static void error_lines(const char *msg)
{
	const char *nl = strchr(msg, '\n');
	struct fg_buf line = FG_BUF_INIT;

	if (!nl) {
		error("%s", msg);
		return;
	}
	error("%.*s", (int)(nl - msg), msg);
	while (nl) {
		const char *s = nl + 1;

		nl = strchr(s, '\n');
		fg_buf_reset(&line);
		fg_buf_add_printable(&line, s, nl ? (size_t)(nl - s) : strlen(s));
		fg_buf_addch(&line, '\n');
		fwrite(line.buf, 1, line.len, stderr);
	}
	fg_buf_release(&line);
}

/*
 * What the binary holds for naming functions: cargo's profile.debuginfo
 * and the ELF file itself (a stripped binary has no symbol table at all).
 * The debug-info warning is given once, however many binaries lack it;
 * the engine is told the file, so that it does not warn again.
 */
static void check_symbols(const struct cargo_artifact *a, const char *profile)
{
	static int warned;
	static char *told;
	enum cargo_elf_state st = cargo_elf_inspect(a->executable);
	char *upper;

	if (st == CARGO_ELF_STRIPPED || !a->debuginfo || st == CARGO_ELF_SYMTAB) {
		/* as the kernel names the mapped file: links resolved */
		free(told);
		told = realpath(a->executable, NULL);
		prof.told_about = told;
	}
	if (st == CARGO_ELF_STRIPPED) {
		upper = profile_env_name(profile);
		warning("'%s' is stripped: it has no symbol table, so its functions "
			"cannot be named in the flamegraph; set 'strip = false' in "
			"[profile.%s] of Cargo.toml (or CARGO_PROFILE_%s_STRIP=false)",
			a->executable, profile, upper);
		free(upper);
		return;
	}
	if ((!a->debuginfo || st == CARGO_ELF_SYMTAB) && !warned++)
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

/* How messages name the target the build was for: "bin 'x'". */
static char *target_label(const struct cargo_build_opts *b, const struct cargo_artifact *a)
{
	const char *kind;

	switch (b->mode) {
	case CARGO_MODE_EXAMPLE:
		kind = "example";
		break;
	case CARGO_MODE_TEST:
		kind = "test";
		break;
	case CARGO_MODE_BENCH:
		kind = "bench";
		break;
	case CARGO_MODE_UNIT_TEST:
	case CARGO_MODE_UNIT_BENCH:
		kind = b->unit_kind & CARGO_KIND_LIB ? "lib" : "bin";
		break;
	default:
		kind = "bin";
		break;
	}
	return xstrfmt("%s '%s'", kind, a->name);
}

/*
 * Whether ARGS hold a test filter that makes a bare --unit-test search
 * the harnesses: fills filters (pointers into trailing).
 */
static int unit_search_wanted(const struct cargo_build_opts *b, int ntrailing,
			      const char **trailing, struct fg_strlist *filters)
{
	if (b->mode != CARGO_MODE_UNIT_TEST || b->name)
		return 0;
	return harness_filters(ntrailing, trailing, filters) > 0;
}

/*
 * No target option, or --unit-test/--unit-bench: choose the target from
 * cargo metadata (cargo_select_target()) and fill b->name, b->package and
 * b->unit_kind. With search (a bare --unit-test with a test filter),
 * several candidates are no error: they are returned in *cands and *ncands
 * (malloc'd) and 1 is returned. Returns 0 for one target, or -1 after
 * printing the error.
 */
static int choose_target(struct cargo_build_opts *b, struct cargo_metadata *md,
			 const struct cargo_package **pkg, const char *root,
			 const char *cargo, FILE *info, int search,
			 struct cargo_choice **cands, size_t *ncands)
{
	struct cargo_select sel = { 0 };
	struct cargo_choice ch, *all = NULL;
	struct fg_buf err = FG_BUF_INIT;
	size_t nall = 0;
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
	if (search) {
		/* cargo test -- FILTER runs every harness: default-run hides none */
		sel.all_bins = 1;
		if (cargo_select_all(md, &sel, &all, &nall, &err)) {
			error_lines(err.buf);
			fg_buf_release(&err);
			return -1;
		}
		if (nall > 1) {
			*cands = all;
			*ncands = nall;
			fg_buf_release(&err);
			return 1;
		}
		ch = all[0];
		free(all);
	} else if (cargo_select_target(md, &sel, &ch, &err)) {
		error_lines(err.buf);
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

/* Which compiler-artifact of the build is the one to profile. */
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

/* Run the build b describes and report its failure; 0 or -1. */
static int build(const struct cargo_build_opts *b, const char *cargo, FILE *info,
		 struct cargo_artifact **arts, size_t *narts)
{
	struct fg_strlist args = { 0 };
	struct fg_buf err = FG_BUF_INIT;
	struct cargo_want want = artifact_wanted(b);
	int r;

	cargo_build_args(b, &args);
	if (opts.verbose)
		print_command(info, "build command", cargo, fg_strlist_nullterm(&args));
	fflush(info);
	r = cargo_build_all(cargo, fg_strlist_nullterm(&args), &want, arts, narts, &err);
	if (r) {
		/* These messages are whole; the others get the catalogue's prefix. */
		if (r == -CARGO_ERR_SPAWN || r == -CARGO_ERR_NO_MATCH || !err.len)
			error("%s", err.len ? err.buf : cargo_strerror(r));
		else
			error("%s: %s", cargo_strerror(r), err.buf);
	}
	fg_strlist_release(&args);
	fg_buf_release(&err);
	return r ? -1 : 0;
}

/* Profile exe with ARGS (and --bench for unit benchmarks); the exit status. */
static int profile_one(enum cargo_mode mode, const char *exe, const char *workdir,
		       char **env, int ntrailing, const char **trailing)
{
	const char **argv = xcalloc((size_t)ntrailing + 3, sizeof(*argv));
	int n = 0, i, ret;

	argv[n++] = exe;
	for (i = 0; i < ntrailing; i++)
		argv[n++] = trailing[i];
	if (mode == CARGO_MODE_UNIT_BENCH)
		argv[n++] = "--bench";
	prof.workdir = workdir;
	prof.env = env;
	prof.what = mode_what(mode);
	if (opts.verbose && workdir)
		fprintf(stderr, "running in '%s'\n", workdir);
	ret = profile_run(&opts, &prof, n, argv);
	free(argv);
	return ret;
}

/* One candidate harness of a unit-test search. */
struct harness {
	const struct cargo_choice *ch;
	const struct cargo_artifact *art;	/* in the build's artifacts */
	char *label;				/* "lib 'x'" */
	char *workdir;
	char **env;
	size_t ntests;				/* tests matching the filters */
};

/* "'a'", "'a' or 'b'", "'a', 'b' or 'c'" */
static void describe_filters(struct fg_buf *sb, const struct fg_strlist *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++)
		fg_buf_addf(sb, "%s'%s'", !i ? "" : i + 1 < f->nr ? ", " : " or ", f->v[i]);
}

/* "x", "x and y", "x, y and z" from the labels of h[] (all, or with tests) */
static void describe_labels(struct fg_buf *sb, const struct harness *h, size_t n,
			    int matching, const struct fg_strlist *filters)
{
	size_t i, k = 0, total = 0;

	for (i = 0; i < n; i++)
		total += !matching || h[i].ntests;
	for (i = 0; i < n; i++) {
		if (matching && !h[i].ntests)
			continue;
		fg_buf_addf(sb, "%s%s", !k ? "" : k + 1 < total ? ", " : " and ", h[i].label);
		k++;
		if (matching) {
			fg_buf_addf(sb, " (%zu test%s match%s ", h[i].ntests,
				    h[i].ntests == 1 ? "" : "s", h[i].ntests == 1 ? "es" : "");
			describe_filters(sb, filters);
			fg_buf_addch(sb, ')');
		}
	}
}

/* The artifact of candidate c: its harness, from its package. */
static const struct cargo_artifact *harness_artifact(const struct cargo_choice *c,
						     const struct cargo_artifact *arts,
						     size_t narts)
{
	unsigned kind = c->target->kinds & CARGO_KIND_LIB ? CARGO_KIND_LIB : CARGO_KIND_BIN;
	size_t i;

	for (i = 0; i < narts; i++)
		if ((arts[i].kinds & kind) && !strcmp(arts[i].name, c->target->name) &&
		    (!arts[i].manifest_path ||
		     !strcmp(arts[i].manifest_path, c->pkg->manifest_path)))
			return &arts[i];
	return NULL;
}

/*
 * A bare --unit-test with a test filter and several candidate harnesses:
 * build them all, ask each which of its tests match, and profile those
 * that have some, one after the other (through the harness driver when
 * there are several). Returns the exit status.
 */
static int profile_unit_search(struct cargo_build_opts *b, const struct cargo_choice *c,
			       size_t nc, const struct fg_strlist *filters,
			       const char *cargo, FILE *info, int ntrailing,
			       const char **trailing)
{
	struct harness *h = xcalloc(nc, sizeof(*h));
	struct cargo_artifact *arts = NULL;
	struct harness_run *runs = NULL;
	struct harness_argv dargv = { 0 };
	struct fg_buf msg = FG_BUF_INIT;
	const char **pkgs = xcalloc(nc + 1, sizeof(*pkgs));
	char *cargo_path = NULL, self[PATH_MAX];
	size_t narts = 0, npkgs = 0, nmatch = 0, i, k;
	int ret = EXIT_FATAL;
	ssize_t len;

	/* One build for all: --package for each package, --lib, --bins. */
	b->unit_kind = 0;
	for (i = 0; i < nc; i++) {
		b->unit_kind |= c[i].target->kinds & CARGO_KIND_LIB ? CARGO_KIND_LIB :
				CARGO_KIND_BIN;
		for (k = 0; k < npkgs; k++)
			if (!strcmp(pkgs[k], c[i].pkg->name))
				break;
		if (k == npkgs)
			pkgs[npkgs++] = c[i].pkg->name;
	}
	b->name = NULL;
	b->package = NULL;
	b->packages = pkgs;
	if (build(b, cargo, info, &arts, &narts))
		goto out;

	cargo_path = cargo_which(cargo);
	for (i = 0; i < nc; i++) {
		struct fg_buf err = FG_BUF_INIT;

		h[i].ch = &c[i];
		fg_buf_reset(&msg);
		cargo_choice_describe(&msg, &c[i], npkgs > 1);
		h[i].label = fg_buf_detach(&msg, NULL);
		h[i].art = harness_artifact(&c[i], arts, narts);
		if (!h[i].art) {
			error("cargo built no test harness for %s", h[i].label);
			goto out;
		}
		if (cargo_check_executable(h[i].art->executable, h[i].label, &err)) {
			error("%s", err.buf);
			fg_buf_release(&err);
			goto out;
		}
		h[i].workdir = cargo_dirname(c[i].pkg->manifest_path);
		h[i].env = cargo_runtime_env(c[i].pkg, NULL, cargo_path, h[i].art->executable);
		if (opts.verbose) {
			fprintf(info, "list command: \"%s\"", h[i].art->executable);
			for (k = 0; k < (size_t)ntrailing; k++)
				fprintf(info, " \"%s\"", trailing[k]);
			fprintf(info, " \"--list\"\n");
			fflush(info);
		}
		if (harness_list(h[i].art->executable, ntrailing, trailing, h[i].workdir,
				 h[i].env, &h[i].ntests, &err)) {
			error("cannot list the unit tests of %s: %s", h[i].label, err.buf);
			fg_buf_release(&err);
			goto out;
		}
		fg_buf_release(&err);
		if (opts.verbose) {
			fprintf(info, "%s: %zu test%s match%s\n", h[i].label, h[i].ntests,
				h[i].ntests == 1 ? "" : "s", h[i].ntests == 1 ? "es" : "");
			fflush(info);
		}
		nmatch += h[i].ntests > 0;
	}

	fg_buf_reset(&msg);
	if (!nmatch) {
		fg_buf_addstr(&msg, "no unit test matches ");
		describe_filters(&msg, filters);
		fg_buf_addstr(&msg, " in the harnesses of ");
		describe_labels(&msg, h, nc, 0, filters);
		error("%s", msg.buf);
		goto out;
	}
	for (i = 0; i < nc; i++)
		if (h[i].ntests)
			check_symbols(h[i].art, cargo_profile_name(b));
	describe_labels(&msg, h, nc, 1, filters);
	fflush(stdout);
	fprintf(stderr, "profiling the unit tests of %s%s\n", msg.buf,
		nmatch > 1 ? ", one after the other" : "");
	if (nmatch == 1) {
		for (i = 0; !h[i].ntests; i++)
			;
		ret = profile_one(CARGO_MODE_UNIT_TEST, h[i].art->executable, h[i].workdir,
				  h[i].env, ntrailing, trailing);
		goto out;
	}

	/* Several: the driver runs them in turn, in one recording. */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0) {
		error("cannot find our own executable to run the harnesses: %s",
		      strerror(errno));
		goto out;
	}
	self[len] = '\0';
	runs = xcalloc(nmatch, sizeof(*runs));
	for (i = 0, k = 0; i < nc; i++) {
		const char **argv;
		int j;

		if (!h[i].ntests)
			continue;
		argv = xcalloc((size_t)ntrailing + 2, sizeof(*argv));
		argv[0] = h[i].art->executable;
		for (j = 0; j < ntrailing; j++)
			argv[j + 1] = trailing[j];
		runs[k].label = h[i].label;
		runs[k].workdir = h[i].workdir;
		runs[k].env = h[i].env;
		runs[k].argc = ntrailing + 1;
		runs[k].argv = argv;
		k++;
	}
	harness_driver_argv(&dargv, self, runs, nmatch);
	prof.workdir = NULL;
	prof.env = NULL;
	prof.what = mode_what(CARGO_MODE_UNIT_TEST);
	ret = profile_run(&opts, &prof, (int)dargv.nr, (const char **)dargv.v);
out:
	for (i = 0; runs && i < nmatch; i++)
		free((void *)runs[i].argv);
	free(runs);
	harness_argv_release(&dargv);
	for (i = 0; i < nc; i++) {
		free(h[i].label);
		free(h[i].workdir);
		cargo_env_free(h[i].env);
	}
	free(h);
	cargo_artifacts_free(arts, narts);
	free(cargo_path);
	free(pkgs);
	fg_buf_release(&msg);
	return ret;
}

static int run(int ntrailing, const char **trailing)
{
	struct cargo_metadata md = { 0 };
	struct cargo_build_opts b = { 0 };
	struct cargo_artifact *arts = NULL, *art;
	struct cargo_choice *cands = NULL;
	struct fg_strlist filters = { 0 };
	struct fg_buf err = FG_BUF_INIT;
	const struct cargo_package *pkg = NULL;
	const char *cargo = getenv("CARGO");
	char *root = NULL, *cargo_path = NULL, *workdir = NULL, **env = NULL, *label = NULL;
	FILE *info = opts.stdout_output ? stderr : stdout;
	size_t narts = 0, ncands = 0;
	int have_md = 0, ret = EXIT_FATAL, r;

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
		int search = unit_search_wanted(&b, ntrailing, trailing, &filters);

		r = choose_target(&b, &md, &pkg, root, cargo, info, search, &cands, &ncands);
		if (r < 0)
			goto out;
		have_md = 1;
		if (r > 0) {
			ret = profile_unit_search(&b, cands, ncands, &filters, cargo, info,
						  ntrailing, trailing);
			goto out;
		}
	}

	if (build(&b, cargo, info, &arts, &narts))
		goto out;
	/* the first artifact that fits, as flamegraph-rs takes it */
	art = &arts[0];
	label = target_label(&b, art);
	if (cargo_check_executable(art->executable, label, &err)) {
		error("%s", err.buf);
		goto out;
	}

	/* The package of the artifact, for the CARGO_* variables. */
	if (!have_md && art->manifest_path) {
		fg_buf_reset(&err);
		if (!cargo_metadata_load(cargo, co.manifest_path, &md, &err))
			have_md = 1;
	}
	if (have_md && art->manifest_path)
		pkg = cargo_metadata_package(&md, art->manifest_path);
	check_symbols(art, cargo_profile_name(&b));

	cargo_path = cargo_which(cargo);
	env = cargo_runtime_env(pkg, art->manifest_path, cargo_path, art->executable);
	/* cargo test and cargo bench run in the package; cargo run stays here. */
	if (art->manifest_path && b.mode != CARGO_MODE_AUTO && b.mode != CARGO_MODE_BIN &&
	    b.mode != CARGO_MODE_EXAMPLE)
		workdir = cargo_dirname(art->manifest_path);
	ret = profile_one(b.mode, art->executable, workdir, env, ntrailing, trailing);
out:
	free(label);
	free(workdir);
	cargo_env_free(env);
	free(cargo_path);
	free(root);
	free(cands);
	fg_strlist_release(&filters);
	cargo_artifacts_free(arts, narts);
	cargo_metadata_release(&md);
	fg_buf_release(&err);
	return ret;
}

int main(int argc, const char **argv)
{
	const char **trailing;
	int ntrailing, ret;

	/* Ourselves again, running several test harnesses in one recording. */
	if (argc > 1 && !strcmp(argv[1], HARNESS_DRIVER_ARG))
		return harness_driver_main(argc, argv);
	fg_progname = "cargo flamegraph";
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
