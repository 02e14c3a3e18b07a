#include "report.h"
#include "../profiler/session.h"

/* Fewer stacks than this: no percentage of them unwound. */
#define UNWIND_SHARE_MIN 20

void profile_report_unwinding(FILE *out, uint64_t lost,
			      const struct session_stats *ss)
{
	if (lost)
		fprintf(out, ", %" PRIu64 " lost", lost);
	/* a share of a handful of stacks means nothing */
	if (ss->user_unwound >= UNWIND_SHARE_MIN)
		fprintf(out, "; %" PRIu64 " of %" PRIu64 " stacks unwound to the end (%.1f%%)",
			ss->complete, ss->user_unwound,
			100.0 * (double)ss->complete / (double)ss->user_unwound);
	else if (ss->user_unwound)
		fprintf(out, "; %" PRIu64 " of %" PRIu64 " stack%s unwound to the end",
			ss->complete, ss->user_unwound, ss->user_unwound == 1 ? "" : "s");
	fprintf(out, "\n");
	if (ss->too_complex)
		warning("%" PRIu64 " C++ names would cost too much to demangle: they are "
			"shown mangled", ss->too_complex);
}

/* A file of the system (a package's), not one the user built. */
static int distribution_file(const char *path)
{
	return (starts_with(path, "/usr/") && !starts_with(path, "/usr/local/")) ||
	       starts_with(path, "/lib") || starts_with(path, "/bin/") ||
	       starts_with(path, "/sbin/") || starts_with(path, "/opt/");
}

struct poor_ctx {
	uint64_t total;		/* samples in the graph */
	const char *told;	/* a file the front-end warned about already */
};

/*
 * One warning per file whose frames are poorly named in a visible share
 * of the graph (1% of its samples), with advice that fits: a file of the
 * user's own build is rebuilt with symbols or debug info; a file of the
 * system gets its debug symbols installed.
 */
static void report_poor_file(void *vctx, const char *path, int has_symtab,
			     int has_debuginfo, uint64_t samples, uint64_t unnamed)
{
	const struct poor_ctx *ctx = vctx;

	(void)has_symtab;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (path[0] == '[' || !ctx->total || (ctx->told && !strcmp(ctx->told, path)))
		return;
	if (unnamed * 100 >= ctx->total) {
		if (distribution_file(path))
			warning("%.1f%% of the samples have frames in '%s' without a name "
				"(shown as [%s]); install its debug symbols to name them (on "
				"Debian, the package's -dbgsym package, libc6-dbg for the C library)",
				100.0 * (double)unnamed / (double)ctx->total, path, base);
		else
			warning("%.1f%% of the samples have frames in '%s' without a name "
				"(shown as [%s]): it was stripped; build it with its symbols "
				"(for Rust: strip = false, and debug = true for inlined functions)",
				100.0 * (double)unnamed / (double)ctx->total, path, base);
	} else if (!has_debuginfo && !distribution_file(path) &&
		   samples * 100 >= ctx->total) {
		warning("'%s' has no debug info: inlined functions are not shown; "
			"for Rust add 'debug = true' to the profile in Cargo.toml", path);
	}
}

static void report_skipped_file(void *ctx, const char *path, const char *kind)
{
	const char *base = strrchr(path, '/');

	(void)ctx;
	warning("'%s' is %s, not a regular file: it was not read, and its frames "
		"are shown as [%s]", path, kind, base ? base + 1 : path);
}

void profile_report_files(struct session *session, int poor_too, const char *told)
{
	const char *notes = session_notes(session), *nl;
	struct poor_ctx ctx = { session_stats(session)->samples, told };

	/* JIT maps not read, one per line */
	for (; notes && *notes; notes = nl + 1) {
		nl = strchr(notes, '\n');
		if (!nl)
			nl = notes + strlen(notes) - 1;
		warning("%.*s", (int)(nl - notes + (*nl != '\n')), notes);
	}
	session_for_each_skipped_file(session, report_skipped_file, NULL);
	if (poor_too)
		session_for_each_poor_file(session, report_poor_file, &ctx);
}
