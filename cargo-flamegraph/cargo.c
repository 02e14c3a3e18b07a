/*
 * cargo metadata and cargo build: running cargo, parsing its JSON, choosing
 * the target and the executable. See cargo.h.
 */
#include "cargo.h"
#include "../lib/files.h"
#include "../lib/spawn.h"

#include <cjson/cJSON.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const cargo_messages[] = {
#define X(name, msg) msg,
	CARGO_ERRORS
#undef X
};

const char *cargo_strerror(int err)
{
	if (err < 0)
		err = -err;
	if ((size_t)err >= ARRAY_SIZE(cargo_messages))
		return "unknown error";
	return cargo_messages[err];
}

/* JSON helpers: a string member, or NULL. */
static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *json_strdup(const cJSON *obj, const char *key, const char *dflt)
{
	const char *s = json_str(obj, key);

	if (s)
		return xstrdup(s);
	return dflt ? xstrdup(dflt) : NULL;
}

static unsigned kind_bit(const char *k)
{
	static const char *const libs[] = {
		"lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro", NULL
	};
	const char *const *l;

	if (!strcmp(k, "bin"))
		return CARGO_KIND_BIN;
	if (!strcmp(k, "example"))
		return CARGO_KIND_EXAMPLE;
	if (!strcmp(k, "test"))
		return CARGO_KIND_TEST;
	if (!strcmp(k, "bench"))
		return CARGO_KIND_BENCH;
	for (l = libs; *l; l++)
		if (!strcmp(k, *l))
			return CARGO_KIND_LIB;
	return CARGO_KIND_OTHER;
}

/* Read target.kind (an array of names) into *kinds and a joined string. */
static int parse_kinds(const cJSON *target, unsigned *kinds, char **joined)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(target, "kind");
	const cJSON *k;
	struct fg_buf sb = FG_BUF_INIT;

	*kinds = 0;
	if (!cJSON_IsArray(arr))
		return -1;
	cJSON_ArrayForEach(k, arr) {
		if (!cJSON_IsString(k))
			continue;
		*kinds |= kind_bit(k->valuestring);
		if (sb.len)
			fg_buf_addstr(&sb, ", ");
		fg_buf_addstr(&sb, k->valuestring);
	}
	*joined = fg_buf_detach(&sb, NULL);
	return 0;
}

static void target_release(struct cargo_target *t)
{
	free(t->name);
	free(t->kind);
}

static void package_release(struct cargo_package *p)
{
	size_t i;

	free(p->name);
	free(p->version);
	free(p->id);
	free(p->manifest_path);
	free(p->default_run);
	free(p->authors);
	free(p->description);
	free(p->homepage);
	free(p->repository);
	free(p->license);
	free(p->license_file);
	free(p->rust_version);
	free(p->readme);
	for (i = 0; i < p->nr_targets; i++)
		target_release(&p->targets[i]);
	free(p->targets);
}

void cargo_metadata_release(struct cargo_metadata *md)
{
	size_t i;

	for (i = 0; i < md->nr_packages; i++)
		package_release(&md->packages[i]);
	free(md->packages);
	free(md->workspace_root);
	free(md->target_directory);
	memset(md, 0, sizeof(*md));
}

static int parse_package(struct cargo_package *p, const cJSON *j,
			 struct fg_buf *err)
{
	const cJSON *targets, *t, *authors, *a;
	size_t alloc = 0;
	struct fg_buf sb = FG_BUF_INIT;

	p->name = json_strdup(j, "name", NULL);
	p->version = json_strdup(j, "version", "");
	p->id = json_strdup(j, "id", "");
	p->manifest_path = json_strdup(j, "manifest_path", NULL);
	p->default_run = json_strdup(j, "default_run", NULL);
	p->description = json_strdup(j, "description", "");
	p->homepage = json_strdup(j, "homepage", "");
	p->repository = json_strdup(j, "repository", "");
	p->license = json_strdup(j, "license", "");
	p->license_file = json_strdup(j, "license_file", "");
	p->rust_version = json_strdup(j, "rust_version", "");
	p->readme = json_strdup(j, "readme", "");
	authors = cJSON_GetObjectItemCaseSensitive(j, "authors");
	cJSON_ArrayForEach(a, authors) {
		if (!cJSON_IsString(a))
			continue;
		if (sb.len)
			fg_buf_addch(&sb, ':');
		fg_buf_addstr(&sb, a->valuestring);
	}
	p->authors = fg_buf_detach(&sb, NULL);
	if (!p->name || !p->manifest_path) {
		fg_buf_addstr(err, "a package has no name or manifest_path");
		return -1;
	}
	targets = cJSON_GetObjectItemCaseSensitive(j, "targets");
	if (!cJSON_IsArray(targets)) {
		fg_buf_addf(err, "package '%s' has no targets array", p->name);
		return -1;
	}
	cJSON_ArrayForEach(t, targets) {
		struct cargo_target *ct;

		ALLOC_GROW(p->targets, p->nr_targets + 1, alloc);
		ct = &p->targets[p->nr_targets];
		memset(ct, 0, sizeof(*ct));
		ct->name = json_strdup(t, "name", NULL);
		if (!ct->name || parse_kinds(t, &ct->kinds, &ct->kind)) {
			target_release(ct);
			fg_buf_addf(err, "a target of package '%s' has no name or kind",
				    p->name);
			return -1;
		}
		p->nr_targets++;
	}
	return 0;
}

int cargo_metadata_parse(struct cargo_metadata *md, const char *json,
			 size_t len, struct fg_buf *err)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *pkgs, *p;
	size_t alloc = 0;

	memset(md, 0, sizeof(*md));
	if (!root) {
		fg_buf_addstr(err, "cargo metadata printed something that is not JSON");
		return -CARGO_ERR_METADATA;
	}
	pkgs = cJSON_GetObjectItemCaseSensitive(root, "packages");
	if (!cJSON_IsArray(pkgs)) {
		cJSON_Delete(root);
		fg_buf_addstr(err, "cargo metadata gave no packages array");
		return -CARGO_ERR_METADATA;
	}
	md->workspace_root = json_strdup(root, "workspace_root", NULL);
	md->target_directory = json_strdup(root, "target_directory", NULL);
	cJSON_ArrayForEach(p, pkgs) {
		struct cargo_package *cp;

		ALLOC_GROW(md->packages, md->nr_packages + 1, alloc);
		cp = &md->packages[md->nr_packages++];
		memset(cp, 0, sizeof(*cp));
		if (parse_package(cp, p, err)) {
			cJSON_Delete(root);
			cargo_metadata_release(md);
			return -CARGO_ERR_METADATA;
		}
	}
	cJSON_Delete(root);
	return 0;
}

const struct cargo_package *cargo_metadata_package(const struct cargo_metadata *md,
						   const char *manifest_path)
{
	size_t i;

	for (i = 0; i < md->nr_packages; i++)
		if (!strcmp(md->packages[i].manifest_path, manifest_path))
			return &md->packages[i];
	return NULL;
}

char *cargo_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xmemdupz(path, (size_t)(slash - path));
}

/* Whether the directory of manifest is root or below it. */
static int under_root(const char *manifest, const char *root)
{
	char *dir = cargo_dirname(manifest);
	char *real = realpath(dir, NULL);
	const char *d = real ? real : dir;
	size_t n = strlen(root);
	int ret;

	if (n > 1 && root[n - 1] == '/')
		n--;
	ret = !strncmp(d, root, n) && (d[n] == '\0' || d[n] == '/' || n == 1);
	free(real);
	free(dir);
	return ret;
}

static int is_unit(enum cargo_mode m)
{
	return m == CARGO_MODE_UNIT_TEST || m == CARGO_MODE_UNIT_BENCH;
}

void cargo_choice_describe(struct fg_buf *sb, const struct cargo_choice *c,
			   int with_package)
{
	fg_buf_addf(sb, "%s '%s'", c->target->kinds & CARGO_KIND_LIB ? "lib" : "bin",
		    c->target->name);
	if (with_package)
		fg_buf_addf(sb, " in package %s", c->pkg->name);
}

/*
 * The options that select candidate c, for the lists of candidates:
 * need_package when the candidates are in several packages, need_kind when
 * a lib and a bin of c's package share its name.
 */
static void candidate_options(struct fg_buf *sb, const struct cargo_select *sel,
			      const struct cargo_choice *c, int need_package,
			      int need_kind)
{
	int lib = !!(c->target->kinds & CARGO_KIND_LIB);

	if (need_package)
		fg_buf_addf(sb, "-p %s ", c->pkg->name);
	if (is_unit(sel->mode)) {
		fg_buf_addf(sb, "--%s %s", sel->mode == CARGO_MODE_UNIT_TEST ?
			    "unit-test" : "unit-bench", c->target->name);
		if (need_kind)
			fg_buf_addf(sb, " --unit-test-kind %s", lib ? "lib" : "bin");
	} else {
		fg_buf_addf(sb, "--bin %s", c->target->name);
	}
}

/*
 * The candidates of sel: with filter, default-run and the name apply;
 * without, every target of a matching kind (to list them when a name
 * matched nothing). Returns the number of packages in scope.
 */
static size_t collect(const struct cargo_metadata *md, const struct cargo_select *sel,
		      int filter, struct cargo_choice **c, size_t *nr,
		      const struct cargo_package **only_pkg)
{
	size_t npkgs = 0, alloc = 0, i, j;

	*c = NULL;
	*nr = 0;
	for (i = 0; i < md->nr_packages; i++) {
		const struct cargo_package *p = &md->packages[i];

		if (sel->package ? strcmp(p->name, sel->package) :
		    !under_root(p->manifest_path, sel->root))
			continue;
		npkgs++;
		*only_pkg = p;
		for (j = 0; j < p->nr_targets; j++) {
			const struct cargo_target *t = &p->targets[j];

			if (!(t->kinds & sel->kinds))
				continue;
			/*
			 * default-run picks among the binaries only, and only
			 * when no name was given (flamegraph-rs applies it to
			 * every kind and before the name, hiding the lib in
			 * unit-test mode and any other named bin).
			 */
			if (filter && p->default_run && !sel->name && !sel->all_bins &&
			    (t->kinds & CARGO_KIND_BIN) && strcmp(t->name, p->default_run))
				continue;
			if (filter && sel->name && strcmp(t->name, sel->name))
				continue;
			ALLOC_GROW(*c, *nr + 1, alloc);
			memset(&(*c)[*nr], 0, sizeof(**c));
			(*c)[*nr].pkg = p;
			(*c)[*nr].target = t;
			(*nr)++;
		}
	}
	return npkgs;
}

/*
 * One line per candidate, each starting with a newline: what it is, and
 * the options that select it, in two columns.
 *
 *   lib 'x' in package p   --unit-test x
 */
static void describe_candidates(struct fg_buf *sb, const struct cargo_select *sel,
				const struct cargo_choice *c, size_t nr)
{
	struct fg_buf what = FG_BUF_INIT;
	int need_package = 0, width = 0;
	size_t k, j;

	for (k = 1; k < nr; k++)
		if (c[k].pkg != c[0].pkg)
			need_package = 1;
	for (k = 0; k < nr; k++) {
		fg_buf_reset(&what);
		cargo_choice_describe(&what, &c[k], 1);
		if (what.len > (size_t)width)
			width = what.len > 200 ? 200 : (int)what.len;
	}
	for (k = 0; k < nr; k++) {
		int need_kind = 0;

		/* -p (or the one package there is) leaves the kind to choose */
		for (j = 0; j < nr; j++)
			if (c[j].pkg == c[k].pkg &&
			    !strcmp(c[k].target->name, c[j].target->name) &&
			    (c[k].target->kinds & CARGO_KIND_LIB) !=
			    (c[j].target->kinds & CARGO_KIND_LIB))
				need_kind = 1;
		fg_buf_reset(&what);
		cargo_choice_describe(&what, &c[k], 1);
		fg_buf_addf(sb, "\n  %-*s   ", width, what.buf);
		candidate_options(sb, sel, &c[k], need_package, need_kind);
	}
	fg_buf_release(&what);
}

int cargo_select_all(const struct cargo_metadata *md,
		     const struct cargo_select *sel,
		     struct cargo_choice **out, size_t *nr, struct fg_buf *err)
{
	const struct cargo_package *only_pkg = NULL;
	struct cargo_choice *c;
	size_t npkgs, k;

	*out = NULL;
	npkgs = collect(md, sel, 1, &c, nr, &only_pkg);
	if (!npkgs) {
		if (sel->package)
			fg_buf_addf(err, "workspace has no package named %s", sel->package);
		else
			fg_buf_addf(err, "failed to find any package in '%s' or below",
				    sel->root);
	} else if (!*nr && sel->name) {
		/* Say which names there are (flamegraph-rs does not). */
		free(c);
		collect(md, sel, 0, &c, nr, &only_pkg);
		fg_buf_addf(err, "no %s target named '%s'", sel->kinds == CARGO_KIND_BIN ?
			    "bin" : sel->kinds == CARGO_KIND_LIB ? "lib" : "lib or bin",
			    sel->name);
		if (*nr) {
			fg_buf_addstr(err, "; the candidates are:");
			describe_candidates(err, sel, c, *nr);
		}
	} else if (!*nr) {
		fg_buf_addstr(err, "crate has no automatically selectable target:\n"
			      "Hint: try passing `--example <example>` or similar to choose a binary");
	} else {
		for (k = 0; k < *nr; k++)
			c[k].announce = !(npkgs == 1 && only_pkg->default_run);
		*out = c;
		return 0;
	}
	free(c);
	*nr = 0;
	return -CARGO_ERR_SELECT;
}

int cargo_select_target(const struct cargo_metadata *md,
			const struct cargo_select *sel,
			struct cargo_choice *out, struct fg_buf *err)
{
	struct cargo_choice *c;
	size_t nr;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = cargo_select_all(md, sel, &c, &nr, err);
	if (ret)
		return ret;
	if (nr > 1) {
		fg_buf_addstr(err, "several possible targets found, please pass an explicit target:");
		describe_candidates(err, sel, c, nr);
		if (sel->mode == CARGO_MODE_UNIT_TEST && !sel->name)
			fg_buf_addstr(err, "\nor give a test filter after '--' to profile the "
				      "harnesses that hold matching tests");
		ret = -CARGO_ERR_SELECT;
	} else {
		*out = c[0];
	}
	free(c);
	return ret;
}

static int is_bench_mode(enum cargo_mode m)
{
	return m == CARGO_MODE_BENCH || m == CARGO_MODE_UNIT_BENCH;
}

void cargo_build_args(const struct cargo_build_opts *b, struct fg_strlist *args)
{
	int bench_sub = is_bench_mode(b->mode) && !b->dev;
	/* --dev --unit-bench: the test harness holds the #[bench] fns too. */
	int test_sub = !bench_sub && (b->mode == CARGO_MODE_UNIT_TEST ||
				      (b->mode == CARGO_MODE_UNIT_BENCH && b->dev));
	const char *const *pkg;

	if (bench_sub) {
		fg_strlist_append(args, "bench");
		fg_strlist_append(args, "--no-run");
	} else if (test_sub) {
		fg_strlist_append(args, "test");
		fg_strlist_append(args, "--no-run");
	} else {
		fg_strlist_append(args, "build");
	}
	if (b->profile) {
		fg_strlist_append(args, "--profile");
		fg_strlist_append(args, b->profile);
	} else if (!b->dev && !is_bench_mode(b->mode)) {
		fg_strlist_append(args, "--release");
	}
	if (b->package) {
		fg_strlist_append(args, "--package");
		fg_strlist_append(args, b->package);
	}
	for (pkg = b->packages; pkg && *pkg; pkg++) {
		fg_strlist_append(args, "--package");
		fg_strlist_append(args, *pkg);
	}
	if (b->mode == CARGO_MODE_BIN || b->mode == CARGO_MODE_AUTO) {
		fg_strlist_append(args, "--bin");
		fg_strlist_append(args, b->name);
	}
	if (b->triple) {
		fg_strlist_append(args, "--target");
		fg_strlist_append(args, b->triple);
	}
	if (b->mode == CARGO_MODE_EXAMPLE) {
		fg_strlist_append(args, "--example");
		fg_strlist_append(args, b->name);
	}
	if (b->mode == CARGO_MODE_TEST) {
		fg_strlist_append(args, "--test");
		fg_strlist_append(args, b->name);
	}
	if (b->mode == CARGO_MODE_BENCH) {
		fg_strlist_append(args, "--bench");
		fg_strlist_append(args, b->name);
	}
	if (is_unit(b->mode) && !b->name) {
		/* every harness of the packages */
		if (b->unit_kind & CARGO_KIND_LIB)
			fg_strlist_append(args, "--lib");
		if (b->unit_kind & CARGO_KIND_BIN)
			fg_strlist_append(args, "--bins");
	} else if (is_unit(b->mode)) {
		if (b->unit_kind & CARGO_KIND_LIB) {
			fg_strlist_append(args, "--lib");
		} else {
			fg_strlist_append(args, "--bin");
			fg_strlist_append(args, b->name);
		}
	}
	if (b->manifest_path) {
		fg_strlist_append(args, "--manifest-path");
		fg_strlist_append(args, b->manifest_path);
	}
	if (b->features) {
		fg_strlist_append(args, "--features");
		fg_strlist_append(args, b->features);
	}
	if (b->no_default_features)
		fg_strlist_append(args, "--no-default-features");
	if (b->all_features)
		fg_strlist_append(args, "--all-features");
	fg_strlist_append(args, "--message-format=json-render-diagnostics");
}

const char *cargo_profile_name(const struct cargo_build_opts *b)
{
	if (b->profile)
		return b->profile;
	if (is_bench_mode(b->mode) && !b->dev)
		return "bench";
	if (b->mode == CARGO_MODE_UNIT_TEST ||
	    (b->mode == CARGO_MODE_UNIT_BENCH && b->dev))
		return b->dev ? "test" : "release";
	/* cargo build --bench B without --release: the dev profile. */
	return b->dev ? "dev" : "release";
}

void cargo_artifact_release(struct cargo_artifact *a)
{
	free(a->name);
	free(a->kind);
	free(a->executable);
	free(a->manifest_path);
	memset(a, 0, sizeof(*a));
}

/* profile.debuginfo: 0, "none", null or missing mean none. */
static int has_debuginfo(const cJSON *profile)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(profile, "debuginfo");

	if (cJSON_IsNumber(d))
		return d->valuedouble != 0;
	if (cJSON_IsString(d))
		return strcmp(d->valuestring, "none") != 0;
	return 0;
}

int cargo_artifact_parse(struct cargo_artifact *a, const char *line,
			 struct fg_buf *err)
{
	cJSON *root = cJSON_Parse(line);
	const cJSON *target, *profile, *test;
	const char *reason;

	memset(a, 0, sizeof(*a));
	if (!root) {
		fg_buf_addf(err, "not JSON: %.80s", line);
		return -CARGO_ERR_BAD_OUTPUT;
	}
	reason = json_str(root, "reason");
	if (!reason || strcmp(reason, "compiler-artifact")) {
		cJSON_Delete(root);
		return 0;
	}
	target = cJSON_GetObjectItemCaseSensitive(root, "target");
	profile = cJSON_GetObjectItemCaseSensitive(root, "profile");
	a->name = json_strdup(target, "name", NULL);
	if (!a->name || parse_kinds(target, &a->kinds, &a->kind)) {
		cJSON_Delete(root);
		cargo_artifact_release(a);
		fg_buf_addstr(err, "a compiler-artifact message has no target name or kind");
		return -CARGO_ERR_BAD_OUTPUT;
	}
	test = cJSON_GetObjectItemCaseSensitive(profile, "test");
	a->test = cJSON_IsTrue(test);
	a->debuginfo = has_debuginfo(profile);
	a->executable = json_strdup(root, "executable", NULL);
	a->manifest_path = json_strdup(root, "manifest_path", NULL);
	cJSON_Delete(root);
	return 1;
}

static int matches(const struct cargo_artifact *a, const struct cargo_want *w)
{
	if (!(a->kinds & w->kinds) || (w->name && strcmp(a->name, w->name)))
		return 0;
	return w->test < 0 || w->test == a->test;
}

/* Whether path has a '/' and names a directory. */
static int is_directory(const char *path)
{
	struct stat st;

	return strchr(path, '/') && !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * Start cargo with argv (argv[0] is looked up in PATH), its standard output
 * going to a pipe whose read end is returned in *out_fd.
 */
static int spawn_cargo(const char *const *argv, pid_t *pid, int *out_fd,
		       struct fg_buf *err)
{
	struct spawn sp = SPAWN_INIT;
	struct fg_buf why = FG_BUF_INIT;
	int rc;

	sp.argv = argv;
	/*
	 * cargo reads nothing from us, but rustc probes run as "rustc -"
	 * may inherit our standard input and compile whatever it holds.
	 */
	sp.in.mode = SPAWN_NULL;
	sp.out.mode = SPAWN_PIPE;
	if (!spawn_start(&sp, &why)) {
		*pid = sp.pid;
		*out_fd = sp.out.fd;
		fg_buf_release(&why);
		return 0;
	}
	rc = sp.failure == SPAWN_FAILED_EXEC ? sp.errnum : 0;
	if (rc == ENOENT && !strchr(argv[0], '/'))
		fg_buf_addf(err, "cannot run '%s': not found in PATH; install Rust "
			    "(https://rustup.rs) or set CARGO to the cargo to use",
			    argv[0]);
	else if (rc == EACCES && is_directory(argv[0]))
		fg_buf_addf(err, "cannot run '%s': it is a directory, not a program%s",
			    argv[0], getenv("CARGO") && !strcmp(getenv("CARGO"), argv[0]) ?
			    " (set CARGO to the path of cargo itself)" : "");
	else
		fg_buf_addstr(err, why.buf);
	fg_buf_release(&why);
	return -CARGO_ERR_SPAWN;
}

int cargo_metadata_load(const char *cargo, const char *manifest_path,
			struct cargo_metadata *md, struct fg_buf *err)
{
	const char *argv[8];
	struct fg_buf out = FG_BUF_INIT;
	int n = 0, fd, status, ret;
	ssize_t rd;
	pid_t pid;

	memset(md, 0, sizeof(*md));
	argv[n++] = cargo;
	argv[n++] = "metadata";
	argv[n++] = "--format-version";
	argv[n++] = "1";
	argv[n++] = "--no-deps";
	if (manifest_path) {
		argv[n++] = "--manifest-path";
		argv[n++] = manifest_path;
	}
	argv[n] = NULL;
	ret = spawn_cargo(argv, &pid, &fd, err);
	if (ret)
		return ret;
	rd = fg_buf_read_fd(&out, fd);
	close(fd);
	status = spawn_wait(pid);
	if (rd < 0 || status < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fg_buf_release(&out);
		if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status))
			fg_buf_addf(err, "'%s metadata' exited with code %d", cargo,
				    WEXITSTATUS(status));
		else
			fg_buf_addf(err, "'%s metadata' failed", cargo);
		return -CARGO_ERR_METADATA;
	}
	ret = cargo_metadata_parse(md, out.buf, out.len, err);
	fg_buf_release(&out);
	return ret;
}

int cargo_build_all(const char *cargo, const char *const *args,
		    const struct cargo_want *want, struct cargo_artifact **out,
		    size_t *nr, struct fg_buf *err)
{
	struct fg_buf seen = FG_BUF_INIT, why = FG_BUF_INIT;
	struct cargo_artifact *found = NULL;
	const char **argv;
	size_t n = 0, i, len = 0, alloc = 0;
	char *line = NULL;
	int fd, status, ret = 0, bad = 0, nexec = 0;
	ssize_t got;
	FILE *in;
	pid_t pid;

	*out = NULL;
	*nr = 0;
	while (args[n])
		n++;
	argv = xcalloc(n + 2, sizeof(*argv));
	argv[0] = cargo;
	for (i = 0; i < n; i++)
		argv[i + 1] = args[i];
	ret = spawn_cargo(argv, &pid, &fd, err);
	free(argv);
	if (ret)
		return ret;
	in = fdopen(fd, "r");
	if (!in) {
		close(fd);
		spawn_wait(pid);
		fg_buf_addf(err, "cannot read cargo's output: %s", strerror(errno));
		return -CARGO_ERR_BAD_OUTPUT;
	}
	/* Read to the end, one message at a time, so cargo never blocks. */
	while ((got = getline(&line, &len, in)) >= 0) {
		struct cargo_artifact a;
		int r;

		if (got && line[got - 1] == '\n')
			line[--got] = '\0';
		if (!got)
			continue;
		if (line[0] != '{') {
			/* Not a message (a wrapper's chatter): show it. */
			fprintf(stderr, "%s\n", line);
			continue;
		}
		r = cargo_artifact_parse(&a, line, &why);
		if (r < 0) {
			bad = 1;
			continue;
		}
		if (!r)
			continue;
		if (a.executable) {
			fg_buf_addf(&seen, "%s%s '%s'", nexec++ ? ", " : "", a.kind, a.name);
			if (matches(&a, want)) {
				ALLOC_GROW(found, *nr + 1, alloc);
				found[(*nr)++] = a;
				continue;
			}
		}
		cargo_artifact_release(&a);
	}
	free(line);
	fclose(in);
	status = spawn_wait(pid);
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		if (status >= 0 && WIFSIGNALED(status))
			fg_buf_addf(err, "cargo was killed by signal %d", WTERMSIG(status));
		ret = -CARGO_ERR_BUILD_FAILED;
	} else if (bad) {
		fg_buf_addstr(err, why.buf);
		ret = -CARGO_ERR_BAD_OUTPUT;
	} else if (!nexec) {
		ret = -CARGO_ERR_NO_EXECUTABLE;
	} else if (!*nr) {
		const char *kind = want->kinds & CARGO_KIND_LIB ? "lib" :
				   want->kinds & CARGO_KIND_EXAMPLE ? "example" :
				   want->kinds & CARGO_KIND_TEST ? "test" :
				   want->kinds & CARGO_KIND_BENCH ? "bench" : "bin";

		if (want->name)
			fg_buf_addf(err, "could not find desired target %s '%s' in the targets for this crate: %s",
				    kind, want->name, seen.buf);
		else
			fg_buf_addf(err, "could not find any test harness of a %s in the targets for this crate: %s",
				    want->kinds == (CARGO_KIND_LIB | CARGO_KIND_BIN) ?
				    "lib or bin" : kind, seen.buf);
		ret = -CARGO_ERR_NO_MATCH;
	}
	if (ret) {
		cargo_artifacts_free(found, *nr);
		*nr = 0;
	} else {
		*out = found;
	}
	fg_buf_release(&seen);
	fg_buf_release(&why);
	return ret;
}

void cargo_artifacts_free(struct cargo_artifact *v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		cargo_artifact_release(&v[i]);
	free(v);
}

int cargo_check_executable(const char *path, const char *what, struct fg_buf *err)
{
	struct stat st;

	if (stat(path, &st)) {
		fg_buf_addf(err, "cannot run '%s', the executable cargo reported for %s: %s",
			    path, what, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		fg_buf_addf(err, "'%s', the executable cargo reported for %s, is a directory, "
			    "not a program", path, what);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fg_buf_addf(err, "'%s', the executable cargo reported for %s, is not a regular file",
			    path, what);
		return -1;
	}
	if (access(path, X_OK)) {
		fg_buf_addf(err, "cannot run '%s', the executable cargo reported for %s: %s",
			    path, what, strerror(errno));
		return -1;
	}
	return 0;
}

char *cargo_crate_root(const char *manifest_path, struct fg_buf *err)
{
	char *cwd, *dir, *real;

	if (manifest_path) {
		const char *base = strrchr(manifest_path, '/');

		base = base ? base + 1 : manifest_path;
		if (strcmp(base, "Cargo.toml")) {
			fg_buf_addf(err, "the manifest path '%s' must point to a Cargo.toml file",
				    manifest_path);
			return NULL;
		}
		if (is_directory(manifest_path) ||
		    (!strchr(manifest_path, '/') && is_directory("./Cargo.toml"))) {
			fg_buf_addf(err, "the manifest path '%s' is a directory, not a Cargo.toml file",
				    manifest_path);
			return NULL;
		}
		/* A bare "Cargo.toml" is in the current directory. */
		dir = cargo_dirname(manifest_path);
		real = realpath(dir, NULL);
		if (!real)
			fg_buf_addf(err, "cannot find the directory of the manifest path '%s': %s",
				    manifest_path, strerror(errno));
		free(dir);
		return real;
	}
	cwd = getcwd(NULL, 0);
	if (!cwd) {
		fg_buf_addf(err, "cannot get the current directory: %s", strerror(errno));
		return NULL;
	}
	dir = xstrdup(cwd);
	for (;;) {
		char *toml = xstrfmt("%s/Cargo.toml", strcmp(dir, "/") ? dir : "");
		int found = !access(toml, F_OK);
		char *up;

		free(toml);
		if (found) {
			real = realpath(dir, NULL);
			free(dir);
			free(cwd);
			return real ? real : NULL;
		}
		if (!strcmp(dir, "/"))
			break;
		up = cargo_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	fg_buf_addf(err, "could not find 'Cargo.toml' in '%s' or any parent directory", cwd);
	free(cwd);
	return NULL;
}

char *cargo_which(const char *program)
{
	char *found, *real;

	if (strchr(program, '/'))
		return realpath(program, NULL);
	found = spawn_find_program(program);
	if (!found || found[0] == '/')
		return found;
	real = realpath(found, NULL);
	free(found);
	return real;
}

static void env_add(char ***env, size_t *nr, size_t *alloc, const char *name,
		    const char *value)
{
	ALLOC_GROW(*env, *nr + 2, *alloc);
	(*env)[(*nr)++] = xstrfmt("%s=%s", name, value ? value : "");
	(*env)[*nr] = NULL;
}

/* Split a semver version into MAJOR, MINOR, PATCH and PRE (no build metadata). */
static void add_version(char ***env, size_t *nr, size_t *alloc, const char *v)
{
	const char *names[] = {
		"CARGO_PKG_VERSION_MAJOR", "CARGO_PKG_VERSION_MINOR",
		"CARGO_PKG_VERSION_PATCH"
	};
	const char *p = v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		size_t n = strspn(p, "0123456789");
		char *num = xmemdupz(p, n);

		env_add(env, nr, alloc, names[i], num);
		free(num);
		p += n;
		if (*p == '.' && i < 2)
			p++;
	}
	if (*p == '-') {
		char *pre = xmemdupz(p + 1, strcspn(p + 1, "+"));

		env_add(env, nr, alloc, "CARGO_PKG_VERSION_PRE", pre);
		free(pre);
	} else {
		env_add(env, nr, alloc, "CARGO_PKG_VERSION_PRE", "");
	}
}

char **cargo_runtime_env(const struct cargo_package *pkg, const char *manifest_path,
			 const char *cargo_path, const char *executable)
{
	char **env = NULL, *dir, *profdir;
	size_t nr = 0, alloc = 0;
	const char *old = getenv("LD_LIBRARY_PATH");
	char *libpath;

	if (pkg)
		manifest_path = pkg->manifest_path;
	if (cargo_path)
		env_add(&env, &nr, &alloc, "CARGO", cargo_path);
	if (manifest_path) {
		dir = cargo_dirname(manifest_path);
		env_add(&env, &nr, &alloc, "CARGO_MANIFEST_DIR", dir);
		env_add(&env, &nr, &alloc, "CARGO_MANIFEST_PATH", manifest_path);
		free(dir);
	}
	if (pkg) {
		env_add(&env, &nr, &alloc, "CARGO_PKG_NAME", pkg->name);
		env_add(&env, &nr, &alloc, "CARGO_PKG_VERSION", pkg->version);
		add_version(&env, &nr, &alloc, pkg->version);
		env_add(&env, &nr, &alloc, "CARGO_PKG_AUTHORS", pkg->authors);
		env_add(&env, &nr, &alloc, "CARGO_PKG_DESCRIPTION", pkg->description);
		env_add(&env, &nr, &alloc, "CARGO_PKG_HOMEPAGE", pkg->homepage);
		env_add(&env, &nr, &alloc, "CARGO_PKG_REPOSITORY", pkg->repository);
		env_add(&env, &nr, &alloc, "CARGO_PKG_LICENSE", pkg->license);
		env_add(&env, &nr, &alloc, "CARGO_PKG_LICENSE_FILE", pkg->license_file);
		env_add(&env, &nr, &alloc, "CARGO_PKG_RUST_VERSION", pkg->rust_version);
		env_add(&env, &nr, &alloc, "CARGO_PKG_README", pkg->readme);
	}
	/* target/<profile> and its deps/, where cargo puts shared libraries. */
	dir = cargo_dirname(executable);
	if (ends_with(dir, "/deps") || ends_with(dir, "/examples"))
		profdir = cargo_dirname(dir);
	else
		profdir = xstrdup(dir);
	libpath = xstrfmt("%s:%s/deps%s%s", profdir, profdir, old && *old ? ":" : "",
			  old && *old ? old : "");
	env_add(&env, &nr, &alloc, "LD_LIBRARY_PATH", libpath);
	free(libpath);
	free(profdir);
	free(dir);
	return env;
}

void cargo_env_free(char **env)
{
	char **e;

	if (!env)
		return;
	for (e = env; *e; e++)
		free(*e);
	free(env);
}

enum cargo_elf_state cargo_elf_inspect(const char *path)
{
	enum cargo_elf_state state = CARGO_ELF_UNKNOWN;
	int fd, symtab = 0, debug = 0;
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return CARGO_ELF_UNKNOWN;
	fd = file_open_regular(path, NULL);
	if (fd < 0)
		return CARGO_ELF_UNKNOWN;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			symtab = 1;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && (!strcmp(name, ".debug_info") || !strcmp(name, ".zdebug_info")))
			debug = 1;
	}
	state = debug ? CARGO_ELF_DEBUGINFO : symtab ? CARGO_ELF_SYMTAB :
		CARGO_ELF_STRIPPED;
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return state;
}
