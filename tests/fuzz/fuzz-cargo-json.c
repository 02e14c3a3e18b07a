/*
 * Fuzz target: cargo's JSON (cargo-flamegraph/cargo.c), read two ways.
 *
 * The whole input is parsed as `cargo metadata` output; when that works,
 * every package is looked up by its manifest, given its runtime
 * environment, and a target is selected as the front-end would (by root,
 * by package and name, for unit tests), then the cargo command line is
 * built for the choice. Then each line of the input is parsed as a
 * message of `cargo build --message-format=json`, and the runtime
 * environment of each executable artifact is built.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../cargo-flamegraph/cargo.h"

static void check_env(char **env)
{
	char **e;

	for (e = env; e && *e; e++)
		if (!strchr(*e, '='))
			fuzz_fail("environment entry without '=': '%s'", *e);
	cargo_env_free(env);
}

static void select_and_build(const struct cargo_metadata *md,
			     const struct cargo_select *sel)
{
	struct fg_buf err = FG_BUF_INIT;
	struct cargo_choice ch;
	struct cargo_build_opts b = { 0 };
	struct fg_strlist args = { 0 };

	if (cargo_select_target(md, sel, &ch, &err) < 0) {
		if (!err.len)
			fuzz_fail("cargo_select_target() failed without a message");
	} else {
		if (!ch.pkg || !ch.target)
			fuzz_fail("cargo_select_target() succeeded without a choice");
		b.mode = sel->mode;
		b.name = ch.target->name;
		b.unit_kind = ch.target->kinds;
		b.package = ch.pkg->name;
		b.manifest_path = ch.pkg->manifest_path;
		cargo_build_args(&b, &args);
		cargo_profile_name(&b);
		fg_strlist_release(&args);
	}
	fg_buf_release(&err);
}

static void metadata(const char *json, size_t len)
{
	struct cargo_metadata md;
	struct fg_buf err = FG_BUF_INIT;
	struct cargo_select sel = { 0 };
	size_t i;

	if (cargo_metadata_parse(&md, json, len, &err) < 0) {
		if (md.nr_packages || md.packages)
			fuzz_fail("cargo_metadata_parse() failed and left packages");
		fg_buf_release(&err);
		return;
	}
	for (i = 0; i < md.nr_packages; i++) {
		const struct cargo_package *p = &md.packages[i];

		if (!cargo_metadata_package(&md, p->manifest_path))
			fuzz_fail("package %zu not found by its manifest", i);
		check_env(cargo_runtime_env(p, NULL, "/usr/bin/cargo",
					    "/w/target/release/deps/x"));
	}
	sel.mode = CARGO_MODE_AUTO;
	sel.kinds = CARGO_KIND_BIN;
	sel.root = md.workspace_root ? md.workspace_root : "/nonexistent";
	select_and_build(&md, &sel);
	if (md.nr_packages) {
		const struct cargo_package *p = &md.packages[md.nr_packages - 1];

		sel.package = p->name;
		sel.name = p->nr_targets ? p->targets[0].name : "x";
		select_and_build(&md, &sel);
		sel.mode = CARGO_MODE_UNIT_TEST;
		sel.kinds = CARGO_KIND_BIN | CARGO_KIND_LIB;
		sel.name = NULL;
		select_and_build(&md, &sel);
	}
	cargo_metadata_release(&md);
	if (md.packages || md.nr_packages)
		fuzz_fail("cargo_metadata_release() left packages");
	fg_buf_release(&err);
}

static void artifact(const char *line)
{
	struct cargo_artifact a;
	struct fg_buf err = FG_BUF_INIT;
	int ret = cargo_artifact_parse(&a, line, &err);

	if (ret == 1) {
		if (!a.name || !a.kind)
			fuzz_fail("an artifact without a name or kind");
		if (a.executable)
			check_env(cargo_runtime_env(NULL, a.manifest_path, NULL,
						    a.executable));
		cargo_artifact_release(&a);
	} else if (ret < 0 && !err.len) {
		fuzz_fail("cargo_artifact_parse() failed without a message");
	}
	fg_buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exact-size copies: the metadata text is not NUL-terminated */
	char *json = xmalloc(size ? size : 1);
	const char *p, *end;

	memcpy(json, data, size);
	metadata(json, size);
	free(json);

	for (p = (const char *)data, end = p + size; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		char *line = xmemdupz(p, (size_t)(eol - p));

		artifact(line);
		free(line);
		p = nl ? nl + 1 : end;
	}
	return 0;
}
