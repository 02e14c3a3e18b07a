#ifndef FG_CARGO_H
#define FG_CARGO_H

/*
 * What cargo-flamegraph needs from cargo: the packages and targets of
 * `cargo metadata --format-version 1 --no-deps` (parsed with cJSON), the
 * choice of a target when the user named none, the `cargo build|test|bench`
 * command line, the executable among the `compiler-artifact` messages of
 * the build (read line by line from a pipe while cargo runs), and the
 * environment `cargo test` / `cargo run` give the programs they start.
 *
 * Nothing here prints or exits: functions return 0, or a negative
 * enum cargo_error with the details in a struct fg_buf the caller passes
 * (the front-end prints them). Strings in the structs below are malloc'd
 * and owned by the struct; *_release() frees them and leaves the struct
 * empty. Not thread-safe.
 */

#include "../lib/buf.h"
#include "../cli/options.h"

#define CARGO_ERRORS \
	X(OK, "success") \
	X(NO_MANIFEST, "could not find 'Cargo.toml'") \
	X(SPAWN, "cannot run cargo") \
	X(METADATA, "failed to access crate metadata") \
	X(SELECT, "no target could be selected") \
	X(BUILD_FAILED, "cargo build failed") \
	X(BAD_OUTPUT, "failed to parse cargo build output") \
	X(NO_EXECUTABLE, "build artifacts do not contain any executable to profile") \
	X(NO_MATCH, "could not find desired target in the targets for this crate")

enum cargo_error {
#define X(name, msg) CARGO_ERR_##name,
	CARGO_ERRORS
#undef X
};

/* Message for err (given negated, as functions return it). */
const char *cargo_strerror(int err);

/* Target kinds, as bits: cargo's kind names map onto these. */
enum {
	CARGO_KIND_BIN = 1 << 0,
	CARGO_KIND_LIB = 1 << 1,	/* lib, rlib, dylib, cdylib, staticlib, proc-macro */
	CARGO_KIND_EXAMPLE = 1 << 2,
	CARGO_KIND_TEST = 1 << 3,
	CARGO_KIND_BENCH = 1 << 4,
	CARGO_KIND_OTHER = 1 << 5,	/* custom-build and anything newer */
};

struct cargo_target {
	char *name;
	char *kind;		/* cargo's kind names, ", "-separated: "cdylib, rlib" */
	unsigned kinds;		/* CARGO_KIND_* */
};

struct cargo_package {
	char *name, *version, *id, *manifest_path;
	char *default_run;	/* NULL when not set */
	/* For the CARGO_PKG_* variables; "" when the manifest has none. */
	char *authors;		/* joined with ':' as cargo does */
	char *description, *homepage, *repository, *license, *license_file;
	char *rust_version, *readme;
	struct cargo_target *targets;
	size_t nr_targets;
};

struct cargo_metadata {
	struct cargo_package *packages;
	size_t nr_packages;
	char *workspace_root, *target_directory;	/* NULL when absent */
};

/*
 * Parse the JSON text (len bytes) cargo metadata printed into md, which
 * must be zeroed or released. Returns 0, or -CARGO_ERR_METADATA with the
 * reason in err (md is then left empty).
 */
int cargo_metadata_parse(struct cargo_metadata *md, const char *json,
			 size_t len, struct fg_buf *err);
void cargo_metadata_release(struct cargo_metadata *md);

/* The package whose manifest is manifest_path, or NULL. */
const struct cargo_package *cargo_metadata_package(const struct cargo_metadata *md,
						   const char *manifest_path);

/* What the user asked to profile. */
enum cargo_mode {
	CARGO_MODE_AUTO,	/* no target flag: the one binary there is */
	CARGO_MODE_BIN,
	CARGO_MODE_EXAMPLE,
	CARGO_MODE_TEST,
	CARGO_MODE_BENCH,
	CARGO_MODE_UNIT_TEST,	/* the test harness of a lib or bin */
	CARGO_MODE_UNIT_BENCH,	/* the same, run with --bench */
};

/*
 * Choosing a target from the metadata (as flamegraph-rs chooses, with two
 * fixes): packages are the one named package, else those whose manifest is
 * in root or below; targets have a kind in kinds; a package's default-run
 * keeps only that binary among its binaries when no name was given (a lib
 * stays a candidate for unit tests) unless all_bins is set; name, when
 * set, must match.
 */
struct cargo_select {
	enum cargo_mode mode;	/* AUTO, UNIT_TEST or UNIT_BENCH (for messages) */
	unsigned kinds;		/* CARGO_KIND_BIN and/or CARGO_KIND_LIB */
	const char *package;	/* -p, or NULL */
	const char *name;	/* target name, or NULL */
	const char *root;	/* canonical crate root directory */
	int all_bins;		/* default-run hides no binary (as in cargo test) */
};

struct cargo_choice {
	const struct cargo_package *pkg;	/* point into the metadata */
	const struct cargo_target *target;
	int announce;		/* print "automatically selected ..." */
};

/*
 * Select the one target sel describes. Returns 0 and fills out, or
 * -CARGO_ERR_SELECT with the whole message in err (flamegraph-rs's words:
 * "workspace has no package named P", "several possible targets found,
 * ..." followed by one line per candidate with the options that select
 * it, ...). Messages of several lines are '\n'-separated, without a final
 * newline.
 */
int cargo_select_target(const struct cargo_metadata *md,
			const struct cargo_select *sel,
			struct cargo_choice *out, struct fg_buf *err);

/*
 * Every target sel describes, in the order of the metadata: returns 0 and
 * sets *out to a malloc'd array of *nr (at least one) choices (free() it),
 * or -CARGO_ERR_SELECT with the message in err as cargo_select_target()
 * (no package, no target of that name, nothing selectable); *out is then
 * NULL.
 */
int cargo_select_all(const struct cargo_metadata *md,
		     const struct cargo_select *sel,
		     struct cargo_choice **out, size_t *nr, struct fg_buf *err);

/*
 * Append how messages name c: "lib 'x'" or "bin 'x'", and with
 * with_package " in package p".
 */
void cargo_choice_describe(struct fg_buf *sb, const struct cargo_choice *c,
			   int with_package);

/* The build, as the options say. Strings are not owned. */
struct cargo_build_opts {
	enum cargo_mode mode;
	/*
	 * Target name (for AUTO: the selected bin). NULL in the unit modes:
	 * every harness of unit_kind (--lib and/or --bins) in packages.
	 */
	const char *name;
	unsigned unit_kind;	/* unit modes: CARGO_KIND_LIB (--lib) and/or BIN */
	const char *const *packages;	/* NULL-terminated --package list, or NULL */
	int dev;
	const char *profile;	/* --profile, or NULL */
	const char *package;
	const char *triple;	/* --target */
	const char *manifest_path;
	const char *features;
	int no_default_features, all_features;
};

/*
 * Append the cargo arguments (without the program name) to args, in
 * flamegraph-rs's order: SUB [PROFILE] [--package P]... [--bin B]
 * [--target T] [--example E] [--test T] [--bench B]
 * [--lib | --bin U | [--lib] [--bins]] [--manifest-path M] [--features F]
 * [--no-default-features] [--all-features]
 * --message-format=json-render-diagnostics. SUB is "bench --no-run" for
 * benchmarks (without --dev), "test --no-run" for unit tests and for
 * --dev --unit-bench (the libtest harness, unoptimised), else "build".
 */
void cargo_build_args(const struct cargo_build_opts *b, struct fg_strlist *args);

/* The Cargo profile the build of b uses: "release", "bench", "test", "dev" or --profile. */
const char *cargo_profile_name(const struct cargo_build_opts *b);

/* One compiler-artifact message. */
struct cargo_artifact {
	char *name;
	char *kind;		/* as in struct cargo_target */
	unsigned kinds;
	int test;		/* profile.test: a libtest harness */
	int debuginfo;		/* profile.debuginfo is not none/0/null */
	char *executable;	/* NULL when the artifact has none */
	char *manifest_path;
};

/*
 * Parse one line of cargo's JSON messages. Returns 1 when it was a
 * compiler-artifact (a is filled; release it), 0 for other messages, or
 * -CARGO_ERR_BAD_OUTPUT with the reason in err for a line that is not JSON.
 */
int cargo_artifact_parse(struct cargo_artifact *a, const char *line,
			 struct fg_buf *err);
void cargo_artifact_release(struct cargo_artifact *a);

/* Which artifact is the one to profile. */
struct cargo_want {
	unsigned kinds;
	const char *name;	/* NULL: any */
	int test;		/* 0 or 1: profile.test must be this; -1: any */
};

/*
 * Run `cargo ARGS` (cargo is a path or a name looked up in PATH) with
 * standard output read line by line and standard error inherited, and keep
 * every compiler-artifact with an executable that want describes. Returns
 * 0 and sets *out to a malloc'd array of *nr (at least one) artifacts (free
 * it with cargo_artifacts_free()), or, with *out NULL, -CARGO_ERR_SPAWN
 * (cargo could not be started), -CARGO_ERR_BUILD_FAILED (it exited
 * non-zero), -CARGO_ERR_BAD_OUTPUT, -CARGO_ERR_NO_EXECUTABLE or
 * -CARGO_ERR_NO_MATCH (err lists the executables there were), with details
 * in err.
 */
int cargo_build_all(const char *cargo, const char *const *args,
		    const struct cargo_want *want, struct cargo_artifact **out,
		    size_t *nr, struct fg_buf *err);
void cargo_artifacts_free(struct cargo_artifact *v, size_t nr);

/*
 * Check that path, the executable cargo reported for what ("bin 'x'"),
 * is a program that can be run: not missing, not a directory, a regular
 * file with execute permission. Returns 0, or -1 with the message in err.
 */
int cargo_check_executable(const char *path, const char *what, struct fg_buf *err);

/*
 * Run `cargo metadata --format-version 1 --no-deps [--manifest-path M]`
 * and parse its output into md. Returns 0, -CARGO_ERR_SPAWN or
 * -CARGO_ERR_METADATA (details in err). cargo's own messages go to
 * standard error.
 */
int cargo_metadata_load(const char *cargo, const char *manifest_path,
			struct cargo_metadata *md, struct fg_buf *err);

/*
 * The crate root: the canonical directory of manifest_path when given
 * (which must name a Cargo.toml), else the nearest directory from the
 * current one upwards that has a Cargo.toml. Returns a malloc'd path, or
 * NULL with the message in err ("could not find 'Cargo.toml' in '<cwd>' or
 * any parent directory").
 */
char *cargo_crate_root(const char *manifest_path, struct fg_buf *err);

/* The absolute path of program (a path, or a name looked up in PATH); malloc'd, or NULL. */
char *cargo_which(const char *program);

/*
 * The variables cargo sets for the programs `cargo test` and `cargo run`
 * start (CARGO, CARGO_MANIFEST_DIR, CARGO_MANIFEST_PATH, CARGO_PKG_*,
 * LD_LIBRARY_PATH with the target directory), as a NULL-terminated,
 * malloc'd "NAME=VALUE" array for struct fg_profile_opts.env; free it with
 * cargo_env_free(). pkg may be NULL (then only the manifest variables);
 * cargo_path (may be NULL) is the absolute path of cargo; executable is the
 * artifact's path.
 */
char **cargo_runtime_env(const struct cargo_package *pkg, const char *manifest_path,
			 const char *cargo_path, const char *executable);
void cargo_env_free(char **env);

/* What an ELF file holds for naming its functions. */
enum cargo_elf_state {
	CARGO_ELF_UNKNOWN,	/* unreadable or not ELF */
	CARGO_ELF_DEBUGINFO,	/* .debug_info (and a symbol table) */
	CARGO_ELF_SYMTAB,	/* a symbol table, no debug info */
	CARGO_ELF_STRIPPED,	/* neither: only dynamic symbols */
};

enum cargo_elf_state cargo_elf_inspect(const char *path);

/* The directory part of path ("." when it has none); malloc'd. */
char *cargo_dirname(const char *path);

#endif
