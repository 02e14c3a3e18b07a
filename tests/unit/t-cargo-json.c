/*
 * cargo-flamegraph's pure parts: cargo metadata and compiler-artifact JSON,
 * target selection, the cargo command line, the profile name and the
 * runtime environment; the test filters of a libtest harness, its test
 * list and the driver that runs several. Linked with libfg.a (which holds
 * cargo-flamegraph/cargo.o and harness.o) and -lcjson.
 */
#include "unit.h"
#include "../../cargo-flamegraph/cargo.h"
#include "../../cargo-flamegraph/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* A virtual workspace /ws (paths that do not exist: no realpath needed). */
static const char ws_json[] =
	"{\"packages\":["
	"{\"name\":\"alpha\",\"version\":\"1.2.3-rc.1+b7\",\"id\":\"path+file:///ws/alpha#1.2.3-rc.1+b7\","
	" \"manifest_path\":\"/ws/alpha/Cargo.toml\",\"default_run\":null,"
	" \"authors\":[\"A <a@x>\",\"B\"],\"description\":\"d\",\"license\":\"MIT\","
	" \"homepage\":null,\"rust_version\":\"1.70\","
	" \"targets\":["
	"  {\"kind\":[\"cdylib\",\"rlib\"],\"crate_types\":[\"cdylib\",\"rlib\"],\"name\":\"alpha\"},"
	"  {\"kind\":[\"bin\"],\"name\":\"alpha\"},"
	"  {\"kind\":[\"test\"],\"name\":\"it\"}]},"
	"{\"name\":\"beta\",\"version\":\"0.1.0\",\"manifest_path\":\"/ws/beta/Cargo.toml\","
	" \"default_run\":\"b1\",\"authors\":[],"
	" \"targets\":["
	"  {\"kind\":[\"lib\"],\"name\":\"beta\"},"
	"  {\"kind\":[\"bin\"],\"name\":\"b1\"},"
	"  {\"kind\":[\"bin\"],\"name\":\"b2\"},"
	"  {\"kind\":[\"custom-build\"],\"name\":\"build-script-build\"}]},"
	"{\"name\":\"gamma\",\"version\":\"0.1.0\",\"manifest_path\":\"/ws/gamma/Cargo.toml\","
	" \"targets\":[{\"kind\":[\"lib\"],\"name\":\"gamma\"}]}"
	"],\"workspace_root\":\"/ws\",\"target_directory\":\"/ws/target\",\"version\":1}";

static void load(struct cargo_metadata *md)
{
	struct fg_buf err = FG_BUF_INIT;

	CHECK(cargo_metadata_parse(md, ws_json, strlen(ws_json), &err) == 0);
	CHECK(err.len == 0);
	fg_buf_release(&err);
}

TEST(cargo_metadata_fields)
{
	struct cargo_metadata md;
	const struct cargo_package *a;

	load(&md);
	CHECK(md.nr_packages == 3);
	CHECK_STREQ(md.workspace_root, "/ws");
	CHECK_STREQ(md.target_directory, "/ws/target");
	a = &md.packages[0];
	CHECK_STREQ(a->name, "alpha");
	CHECK_STREQ(a->authors, "A <a@x>:B");
	CHECK_STREQ(a->homepage, "");
	CHECK_STREQ(a->rust_version, "1.70");
	CHECK(a->default_run == NULL);
	CHECK(a->nr_targets == 3);
	CHECK_STREQ(a->targets[0].kind, "cdylib, rlib");
	CHECK(a->targets[0].kinds == CARGO_KIND_LIB);
	CHECK(a->targets[1].kinds == CARGO_KIND_BIN);
	CHECK(a->targets[2].kinds == CARGO_KIND_TEST);
	CHECK_STREQ(md.packages[1].default_run, "b1");
	CHECK(md.packages[1].targets[3].kinds == CARGO_KIND_OTHER);
	CHECK(cargo_metadata_package(&md, "/ws/beta/Cargo.toml") == &md.packages[1]);
	CHECK(cargo_metadata_package(&md, "/ws/Cargo.toml") == NULL);
	cargo_metadata_release(&md);
	CHECK(md.nr_packages == 0 && md.packages == NULL);
}

TEST(cargo_metadata_bad)
{
	struct cargo_metadata md;
	struct fg_buf err = FG_BUF_INIT;
	const char *nopkgs = "{\"version\":1}";
	const char *noname = "{\"packages\":[{\"targets\":[]}]}";

	CHECK(cargo_metadata_parse(&md, "{oops", 5, &err) == -CARGO_ERR_METADATA);
	CHECK(err.len > 0);
	CHECK(cargo_metadata_parse(&md, nopkgs, strlen(nopkgs), &err) == -CARGO_ERR_METADATA);
	CHECK(cargo_metadata_parse(&md, noname, strlen(noname), &err) == -CARGO_ERR_METADATA);
	CHECK(md.nr_packages == 0);
	CHECK_STREQ(cargo_strerror(-CARGO_ERR_BUILD_FAILED), "cargo build failed");
	fg_buf_release(&err);
}

static int pick(const struct cargo_metadata *md, enum cargo_mode mode,
		unsigned kinds, const char *pkg, const char *name,
		const char *root, struct cargo_choice *ch, struct fg_buf *err)
{
	struct cargo_select sel = { mode, kinds, pkg, name, root, 0 };

	fg_buf_reset(err);
	return cargo_select_target(md, &sel, ch, err);
}

TEST(cargo_select)
{
	struct cargo_metadata md;
	struct cargo_choice ch;
	struct fg_buf err = FG_BUF_INIT;
	const unsigned both = CARGO_KIND_BIN | CARGO_KIND_LIB;

	load(&md);
	/* the workspace root: every member counts */
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, NULL, NULL, "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "several possible targets found, please pass an explicit target:\n"
		    "  bin 'alpha' in package alpha   -p alpha --bin alpha\n"
		    "  bin 'b1' in package beta       -p beta --bin b1");
	/* a member's directory: only that member */
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, NULL, NULL, "/ws/alpha", &ch, &err) == 0);
	CHECK_STREQ(ch.target->name, "alpha");
	CHECK(ch.announce == 1);
	/* default-run picks b1 silently */
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, "beta", NULL, "/ws", &ch, &err) == 0);
	CHECK_STREQ(ch.target->name, "b1");
	CHECK(ch.announce == 0);
	/* unit tests: default-run does not hide the lib */
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, CARGO_KIND_LIB, "beta", NULL, "/ws", &ch, &err) == 0);
	CHECK_STREQ(ch.target->name, "beta");
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, both, "beta", NULL, "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "several possible targets found, please pass an explicit target:\n"
		    "  lib 'beta' in package beta   --unit-test beta\n"
		    "  bin 'b1' in package beta     --unit-test b1\n"
		    "or give a test filter after '--' to profile the harnesses that hold "
		    "matching tests");
	/* a named bin other than default-run */
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, both, NULL, "b2", "/ws/beta", &ch, &err) == 0);
	CHECK_STREQ(ch.target->name, "b2");
	/* lib and bin of the same name: --unit-test-kind in the suggestions */
	CHECK(pick(&md, CARGO_MODE_UNIT_BENCH, both, NULL, "alpha", "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "several possible targets found, please pass an explicit target:\n"
		    "  lib 'alpha' in package alpha   --unit-bench alpha --unit-test-kind lib\n"
		    "  bin 'alpha' in package alpha   --unit-bench alpha --unit-test-kind bin");
	/* several packages: -p for each; the kind only where a name is shared */
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, both, NULL, NULL, "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "several possible targets found, please pass an explicit target:\n"
		    "  lib 'alpha' in package alpha   -p alpha --unit-test alpha --unit-test-kind lib\n"
		    "  bin 'alpha' in package alpha   -p alpha --unit-test alpha --unit-test-kind bin\n"
		    "  lib 'beta' in package beta     -p beta --unit-test beta\n"
		    "  bin 'b1' in package beta       -p beta --unit-test b1\n"
		    "  lib 'gamma' in package gamma   -p gamma --unit-test gamma\n"
		    "or give a test filter after '--' to profile the harnesses that hold "
		    "matching tests");
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, CARGO_KIND_LIB, NULL, "alpha", "/ws", &ch, &err) == 0);
	CHECK(ch.target->kinds == CARGO_KIND_LIB);
	CHECK_STREQ(ch.pkg->name, "alpha");
	/* errors */
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, "nope", NULL, "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "workspace has no package named nope");
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, NULL, NULL, "/elsewhere", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "failed to find any package in '/elsewhere' or below");
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, "gamma", NULL, "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "crate has no automatically selectable target:\n"
		    "Hint: try passing `--example <example>` or similar to choose a binary");
	CHECK(pick(&md, CARGO_MODE_UNIT_TEST, both, "beta", "zz", "/ws", &ch, &err) < 0);
	CHECK_STREQ(err.buf, "no lib or bin target named 'zz'; the candidates are:\n"
		    "  lib 'beta' in package beta   --unit-test beta\n"
		    "  bin 'b1' in package beta     --unit-test b1\n"
		    "  bin 'b2' in package beta     --unit-test b2");
	/* "/ws/al" is not a parent of "/ws/alpha" */
	CHECK(pick(&md, CARGO_MODE_AUTO, CARGO_KIND_BIN, NULL, NULL, "/ws/al", &ch, &err) < 0);
	cargo_metadata_release(&md);
	fg_buf_release(&err);
}

TEST(cargo_select_all)
{
	struct cargo_metadata md;
	struct cargo_select sel = { .mode = CARGO_MODE_UNIT_TEST,
				    .kinds = CARGO_KIND_BIN | CARGO_KIND_LIB,
				    .root = "/ws" };
	struct cargo_choice *c;
	struct fg_buf err = FG_BUF_INIT, sb = FG_BUF_INIT;
	size_t nr;

	load(&md);
	/* the workspace root, default-run applied: alpha's two, beta's lib and b1, gamma */
	CHECK(cargo_select_all(&md, &sel, &c, &nr, &err) == 0);
	CHECK(nr == 5);
	free(c);
	/* as cargo test: every binary (b2 too) */
	sel.all_bins = 1;
	sel.package = "beta";
	CHECK(cargo_select_all(&md, &sel, &c, &nr, &err) == 0);
	CHECK(nr == 3);
	CHECK_STREQ(c[0].target->name, "beta");
	CHECK_STREQ(c[2].target->name, "b2");
	cargo_choice_describe(&sb, &c[0], 0);
	fg_buf_addstr(&sb, ", ");
	cargo_choice_describe(&sb, &c[2], 1);
	CHECK_STREQ(sb.buf, "lib 'beta', bin 'b2' in package beta");
	free(c);
	/* the errors of cargo_select_target() */
	sel.package = "nope";
	CHECK(cargo_select_all(&md, &sel, &c, &nr, &err) == -CARGO_ERR_SELECT);
	CHECK(c == NULL && nr == 0);
	CHECK_STREQ(err.buf, "workspace has no package named nope");
	cargo_metadata_release(&md);
	fg_buf_release(&err);
	fg_buf_release(&sb);
}

static char *args_of(const struct cargo_build_opts *b)
{
	struct fg_strlist l = { 0 };
	struct fg_buf sb = FG_BUF_INIT;
	size_t i;

	cargo_build_args(b, &l);
	for (i = 0; i < l.nr; i++)
		fg_buf_addf(&sb, "%s%s", i ? " " : "", l.v[i]);
	fg_strlist_release(&l);
	return fg_buf_detach(&sb, NULL);
}

#define CHECK_ARGS(b, want) \
	do { char *s_ = args_of(b); CHECK_STREQ(s_, want); free(s_); } while (0)

TEST(cargo_build_command)
{
	struct cargo_build_opts b = { .mode = CARGO_MODE_AUTO, .name = "x", .package = "p" };
	const char *j = "--message-format=json-render-diagnostics";
	char want[512];

	snprintf(want, sizeof(want), "build --release --package p --bin x %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "release");

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_EXAMPLE, .name = "e",
				       .triple = "t-u-v" };
	snprintf(want, sizeof(want), "build --release --target t-u-v --example e %s", j);
	CHECK_ARGS(&b, want);

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_BIN, .name = "b", .triple = "t",
				       .package = "p" };
	snprintf(want, sizeof(want), "build --release --package p --bin b --target t %s", j);
	CHECK_ARGS(&b, want);

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_TEST, .name = "it" };
	snprintf(want, sizeof(want), "build --release --test it %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "release");

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_BENCH, .name = "bb" };
	snprintf(want, sizeof(want), "bench --no-run --bench bb %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "bench");
	b.dev = 1;
	snprintf(want, sizeof(want), "build --bench bb %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "dev");

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_UNIT_TEST, .name = "l",
				       .unit_kind = CARGO_KIND_LIB, .package = "p" };
	snprintf(want, sizeof(want), "test --no-run --release --package p --lib %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "release");
	b.dev = 1;
	CHECK_STREQ(cargo_profile_name(&b), "test");

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_UNIT_BENCH, .name = "u",
				       .unit_kind = CARGO_KIND_BIN, .package = "p" };
	snprintf(want, sizeof(want), "bench --no-run --package p --bin u %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "bench");
	b.dev = 1;
	snprintf(want, sizeof(want), "test --no-run --package p --bin u %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "test");

	/* every harness of two packages, for a unit-test search */
	{
		const char *const pkgs[] = { "p", "q", NULL };

		b = (struct cargo_build_opts){ .mode = CARGO_MODE_UNIT_TEST, .packages = pkgs,
					       .unit_kind = CARGO_KIND_LIB | CARGO_KIND_BIN };
		snprintf(want, sizeof(want), "test --no-run --release --package p --package q "
			 "--lib --bins %s", j);
		CHECK_ARGS(&b, want);
		b.unit_kind = CARGO_KIND_BIN;
		b.dev = 1;
		snprintf(want, sizeof(want), "test --no-run --package p --package q --bins %s", j);
		CHECK_ARGS(&b, want);
	}

	b = (struct cargo_build_opts){ .mode = CARGO_MODE_BIN, .name = "b", .profile = "prof",
				       .manifest_path = "m/Cargo.toml", .features = "a b",
				       .no_default_features = 1, .all_features = 1 };
	snprintf(want, sizeof(want), "build --profile prof --bin b --manifest-path m/Cargo.toml "
		 "--features a b --no-default-features --all-features %s", j);
	CHECK_ARGS(&b, want);
	CHECK_STREQ(cargo_profile_name(&b), "prof");
}

TEST(cargo_artifact_lines)
{
	struct cargo_artifact a;
	struct fg_buf err = FG_BUF_INIT;
	const char *exe = "{\"reason\":\"compiler-artifact\",\"manifest_path\":\"/p/Cargo.toml\","
		"\"target\":{\"kind\":[\"bin\"],\"name\":\"fast\"},"
		"\"profile\":{\"debuginfo\":0,\"test\":false},\"executable\":\"/t/release/fast\"}";
	const char *lib = "{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"lib\"],"
		"\"name\":\"m\"},\"profile\":{\"debuginfo\":\"limited\",\"test\":true},"
		"\"executable\":null}";
	const char *other = "{\"reason\":\"build-finished\",\"success\":true}";
	const char *nokind = "{\"reason\":\"compiler-artifact\",\"target\":{\"name\":\"m\"}}";
	struct { const char *v; int want; } dbg[] = {
		{ "0", 0 }, { "\"none\"", 0 }, { "null", 0 }, { "2", 1 },
		{ "\"full\"", 1 }, { "\"line-tables-only\"", 1 },
	};
	size_t i;

	CHECK(cargo_artifact_parse(&a, exe, &err) == 1);
	CHECK_STREQ(a.name, "fast");
	CHECK_STREQ(a.kind, "bin");
	CHECK(a.kinds == CARGO_KIND_BIN && !a.test && !a.debuginfo);
	CHECK_STREQ(a.executable, "/t/release/fast");
	CHECK_STREQ(a.manifest_path, "/p/Cargo.toml");
	cargo_artifact_release(&a);

	CHECK(cargo_artifact_parse(&a, lib, &err) == 1);
	CHECK(a.executable == NULL && a.test && a.debuginfo);
	cargo_artifact_release(&a);

	CHECK(cargo_artifact_parse(&a, other, &err) == 0);
	CHECK(cargo_artifact_parse(&a, "{oops", &err) == -CARGO_ERR_BAD_OUTPUT);
	CHECK(cargo_artifact_parse(&a, nokind, &err) == -CARGO_ERR_BAD_OUTPUT);
	for (i = 0; i < ARRAY_SIZE(dbg); i++) {
		char *line = xstrfmt("{\"reason\":\"compiler-artifact\",\"target\":{\"kind\":[\"bin\"],"
				     "\"name\":\"x\"},\"profile\":{\"debuginfo\":%s}}", dbg[i].v);

		CHECK(cargo_artifact_parse(&a, line, &err) == 1);
		if (a.debuginfo != dbg[i].want)
			unit_fail(__FILE__, __LINE__, "debuginfo %s", dbg[i].v);
		cargo_artifact_release(&a);
		free(line);
	}
	fg_buf_release(&err);
}

static const char *env_get(char **env, const char *name)
{
	size_t n = strlen(name);

	for (; *env; env++)
		if (!strncmp(*env, name, n) && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

TEST(cargo_env)
{
	struct cargo_metadata md;
	char **env;

	load(&md);
	unsetenv("LD_LIBRARY_PATH");
	env = cargo_runtime_env(&md.packages[0], NULL, "/bin/cargo",
				"/ws/target/release/deps/it-123");
	CHECK_STREQ(env_get(env, "CARGO"), "/bin/cargo");
	CHECK_STREQ(env_get(env, "CARGO_MANIFEST_DIR"), "/ws/alpha");
	CHECK_STREQ(env_get(env, "CARGO_MANIFEST_PATH"), "/ws/alpha/Cargo.toml");
	CHECK_STREQ(env_get(env, "CARGO_PKG_NAME"), "alpha");
	CHECK_STREQ(env_get(env, "CARGO_PKG_VERSION"), "1.2.3-rc.1+b7");
	CHECK_STREQ(env_get(env, "CARGO_PKG_VERSION_MAJOR"), "1");
	CHECK_STREQ(env_get(env, "CARGO_PKG_VERSION_MINOR"), "2");
	CHECK_STREQ(env_get(env, "CARGO_PKG_VERSION_PATCH"), "3");
	CHECK_STREQ(env_get(env, "CARGO_PKG_VERSION_PRE"), "rc.1");
	CHECK_STREQ(env_get(env, "CARGO_PKG_AUTHORS"), "A <a@x>:B");
	CHECK_STREQ(env_get(env, "CARGO_PKG_HOMEPAGE"), "");
	CHECK_STREQ(env_get(env, "CARGO_PKG_LICENSE"), "MIT");
	CHECK_STREQ(env_get(env, "LD_LIBRARY_PATH"),
		    "/ws/target/release:/ws/target/release/deps");
	cargo_env_free(env);

	/* no package known: only what the artifact tells */
	setenv("LD_LIBRARY_PATH", "/old", 1);
	env = cargo_runtime_env(NULL, "/p/Cargo.toml", NULL, "/t/debug/x");
	CHECK(env_get(env, "CARGO") == NULL);
	CHECK(env_get(env, "CARGO_PKG_NAME") == NULL);
	CHECK_STREQ(env_get(env, "CARGO_MANIFEST_DIR"), "/p");
	CHECK_STREQ(env_get(env, "LD_LIBRARY_PATH"), "/t/debug:/t/debug/deps:/old");
	cargo_env_free(env);
	unsetenv("LD_LIBRARY_PATH");
	cargo_metadata_release(&md);
}

TEST(cargo_paths)
{
	char *d;

	d = cargo_dirname("/a/b/Cargo.toml");
	CHECK_STREQ(d, "/a/b");
	free(d);
	d = cargo_dirname("Cargo.toml");
	CHECK_STREQ(d, ".");
	free(d);
	d = cargo_dirname("/Cargo.toml");
	CHECK_STREQ(d, "/");
	free(d);
	CHECK(cargo_elf_inspect("/nonexistent") == CARGO_ELF_UNKNOWN);
	CHECK(cargo_elf_inspect("/etc/passwd") == CARGO_ELF_UNKNOWN);
}

TEST(cargo_check_executable)
{
	struct fg_buf err = FG_BUF_INIT;

	CHECK(cargo_check_executable("/bin/sh", "bin 'sh'", &err) == 0);
	CHECK(err.len == 0);
	CHECK(cargo_check_executable("/", "bin 'x'", &err) == -1);
	CHECK_STREQ(err.buf, "'/', the executable cargo reported for bin 'x', is a directory, "
		    "not a program");
	fg_buf_reset(&err);
	CHECK(cargo_check_executable("/nonexistent/x", "test 'x'", &err) == -1);
	CHECK_STREQ(err.buf, "cannot run '/nonexistent/x', the executable cargo reported for "
		    "test 'x': No such file or directory");
	fg_buf_reset(&err);
	CHECK(cargo_check_executable("/dev/null", "bin 'x'", &err) == -1);
	CHECK_STREQ(err.buf, "'/dev/null', the executable cargo reported for bin 'x', is not "
		    "a regular file");
	fg_buf_release(&err);
}

static char *filters_of(int argc, const char *const *argv)
{
	struct fg_strlist l = { 0 };
	struct fg_buf sb = FG_BUF_INIT;
	size_t i, n = harness_filters(argc, argv, &l);

	CHECK(n == l.nr);
	for (i = 0; i < l.nr; i++)
		fg_buf_addf(&sb, "%s%s", i ? "|" : "", l.v[i]);
	fg_strlist_release(&l);
	return fg_buf_detach(&sb, NULL);
}

#define CHECK_FILTERS(want, ...) \
	do { const char *const a_[] = { __VA_ARGS__ }; \
	     char *s_ = filters_of((int)ARRAY_SIZE(a_), a_); \
	     CHECK_STREQ(s_, want); free(s_); } while (0)

TEST(harness_filters)
{
	CHECK_FILTERS("parser::", "parser::");
	CHECK_FILTERS("a|b", "a", "--exact", "b");
	/* option values are no filters */
	CHECK_FILTERS("x", "--skip", "slow", "--test-threads", "1", "x", "--nocapture");
	CHECK_FILTERS("", "--color", "never", "--format", "terse", "-Z", "unstable-options",
		      "--logfile", "f", "--shuffle-seed", "3");
	CHECK_FILTERS("y", "--skip=slow", "-Zunstable-options", "y", "-q");
	/* after "--", anything is a filter */
	CHECK_FILTERS("-odd|--skip", "--ignored", "--", "-odd", "--skip");
	CHECK_FILTERS("-", "-");
	CHECK_FILTERS("", "--include-ignored");
}

TEST(harness_list)
{
	struct fg_buf err = FG_BUF_INIT;
	/* a harness that checks its arguments, variables and directory */
	static const char script[] =
		"test \"$1\" = --list && test \"$X\" = y && test \"$PWD\" = / && "
		"printf 'a::b: test\\nc: test\\nd: benchmark\\n\\n2 tests, 1 benchmarks\\n'";
	const char *lister[] = { "-c", script, "sh" };
	const char *fails[] = { "-c", "exit 101", "sh" };
	char *env[] = { (char *)"X=y", NULL };
	size_t n = 9;

	CHECK(harness_list("/bin/sh", 3, lister, "/", env, &n, &err) == 0);
	CHECK(n == 2);
	CHECK(err.len == 0);
	CHECK(harness_list("/bin/sh", 3, fails, NULL, NULL, &n, &err) == -1);
	CHECK(n == 0);
	CHECK_STREQ(err.buf, "'/bin/sh --list' exited with code 101");
	fg_buf_reset(&err);
	CHECK(harness_list("/bin/sh", 3, fails, "/nonexistent", NULL, &n, &err) == -1);
	CHECK_STREQ(err.buf, "cannot change to '/nonexistent': No such file or directory");
	fg_buf_reset(&err);
	CHECK(harness_list("/nonexistent/h", 0, NULL, NULL, NULL, &n, &err) == -1);
	CHECK_STREQ(err.buf, "cannot run '/nonexistent/h': No such file or directory");
	fg_buf_release(&err);
}

/* Run the driver in a child (it may die of a signal); its wait status. */
static int drive(const struct harness_run *runs, size_t n)
{
	struct harness_argv a = { 0 };
	int status = -1;
	pid_t pid;

	harness_driver_argv(&a, "/proc/self/exe", runs, n);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		_exit(harness_driver_main((int)a.nr, (const char **)a.v));
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	harness_argv_release(&a);
	return status;
}

TEST(harness_driver)
{
	const char *ok[] = { "/bin/sh", "-c", "test \"$X\" = y && test \"$PWD\" = /" };
	const char *three[] = { "/bin/sh", "-c", "exit 3" };
	const char *five[] = { "/bin/sh", "-c", "exit 5" };
	const char *term[] = { "/bin/sh", "-c", "kill -TERM $$" };
	const char *mark[] = { "/bin/sh", "-c", "echo ran >\"$M\"" };
	char *env[] = { (char *)"X=y", NULL };
	char mfile[] = "/tmp/fg-t-harness-XXXXXX", *menv[2] = { NULL, NULL };
	struct harness_run runs[3] = {
		{ "lib 'a'", "/", env, 3, ok },
		{ "bin 'b'", NULL, NULL, 3, three },
		{ "bin 'c'", NULL, NULL, 3, five },
	};
	struct harness_argv a = { 0 };
	int status, fd;

	/* the arguments: counts before the lists */
	harness_driver_argv(&a, "/x/cargo-flamegraph", runs, 1);
	CHECK(a.nr == 11 && a.v[11] == NULL);
	CHECK_STREQ(a.v[1], HARNESS_DRIVER_ARG);
	CHECK_STREQ(a.v[2], "1");
	CHECK_STREQ(a.v[4], "/");
	CHECK_STREQ(a.v[5], "1");
	CHECK_STREQ(a.v[6], "X=y");
	CHECK_STREQ(a.v[7], "3");
	CHECK_STREQ(a.v[8], "/bin/sh");
	harness_argv_release(&a);

	/* each in its directory with its variables */
	status = drive(runs, 1);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* all run; the first failure's code */
	status = drive(runs, 3);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	/* a harness killed by a signal: the driver dies of it too, after the others */
	fd = mkstemp(mfile);
	CHECK(fd >= 0);
	close(fd);
	unlink(mfile);
	menv[0] = xstrfmt("M=%s", mfile);
	runs[0] = (struct harness_run){ "bin 't'", NULL, NULL, 3, term };
	runs[1] = (struct harness_run){ "bin 'm'", NULL, menv, 3, mark };
	status = drive(runs, 2);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK(access(mfile, F_OK) == 0);
	unlink(mfile);
	free(menv[0]);
	/* malformed arguments */
	{
		const char *bad[] = { "x", HARNESS_DRIVER_ARG, "2", "l", "", "0", "1", "/bin/true" };
		int devnull = open("/dev/null", O_WRONLY), saved = dup(2);

		dup2(devnull, 2);
		CHECK(harness_driver_main((int)ARRAY_SIZE(bad), bad) == EXIT_USAGE);
		CHECK(harness_driver_main(2, bad) == EXIT_USAGE);
		dup2(saved, 2);
		close(saved);
		close(devnull);
	}
}
