/*
 * Fuzz target: the demangler (profiler/demangle.c): Rust legacy and v0
 * symbols by our own decoder, C++ through __cxa_demangle() once our
 * estimate of its cost allows it. The input is one symbol (cut at its
 * first NUL).
 *
 * Every scheme's output is at most DEMANGLE_MAX_OUTPUT bytes. For C++,
 * the estimate must bound what the runtime printed, and a symbol the
 * estimate finds invalid must not be one the runtime demangles (when it
 * was given it: symbols without references); a run that hangs (libFuzzer's
 * -timeout) or grows (-rss_limit_mb) means a cost the estimate missed.
 * A C++ name is what the runtime printed or, a return type left out, a
 * piece of it and the runtime's clone suffixes: nothing is made up.
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../profiler/demangle.h"

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* out is all of what the runtime printed for sym, or a piece and its end. */
static void check_cut(const char *sym, const char *out)
{
	int status = -1;
	char *full = __cxa_demangle(sym, NULL, NULL, &status);
	size_t n = strlen(out), core = n, flen;
	const char *p;

	if (!full || status)
		fuzz_fail("'%s' demangled, but not by the runtime alone", sym);
	flen = strlen(full);
	/* out's clone suffixes, which must end full as they end out */
	while (core && out[core - 1] == ']' &&
	       (p = memrchr(out, '[', core)) && p > out + 1 && p[-1] == ' ' &&
	       !strncmp(p, "[clone ", 7))
		core = (size_t)(p - out) - 1;
	if (!core || n - core > flen || memcmp(full + flen - (n - core), out + core, n - core) ||
	    !memmem(full, flen - (n - core), out, core))
		fuzz_fail("'%s' is no cut of '%s'", out, full);
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sym = xmemdupz(data, size);
	char *out = demangle_symbol(sym);
	struct fg_buf sb = FG_BUF_INIT;
	enum demangle_scheme scheme;
	uint64_t bound = 0;
	int check = -3;

	fg_buf_addstr(&sb, "prefix;");
	scheme = demangle_append(&sb, sym);
	if (!out != (scheme == DEMANGLE_NONE || scheme == DEMANGLE_TOO_COMPLEX) &&
	    !(out && !*out))
		fuzz_fail("demangle_symbol() and demangle_append() disagree on '%s'", sym);
	if ((scheme == DEMANGLE_NONE || scheme == DEMANGLE_TOO_COMPLEX) &&
	    strcmp(sb.buf, "prefix;"))
		fuzz_fail("demangle_append() wrote for a symbol it did not decode");
	if (out && strcmp(sb.buf + 7, out))
		fuzz_fail("demangle_symbol() and demangle_append() differ: '%s' / '%s'",
			  out, sb.buf + 7);
	if (sb.len - 7 > DEMANGLE_MAX_OUTPUT)
		fuzz_fail("%zu bytes of output", sb.len - 7);
	if (size >= 2 && sym[0] == '_' && sym[1] == 'Z')
		check = demangle_cxx_bound(sym, &bound);
	if (scheme == DEMANGLE_CXX) {
		if (check == 1)
			fuzz_fail("'%s' demangled though too costly", sym);
		if (check == 0 && sb.len - 7 > bound)
			fuzz_fail("'%s': %zu bytes, estimated at most %" PRIu64,
				  sym, sb.len - 7, bound);
		if (check == -1)
			fuzz_fail("'%s' demangled though invalid to the estimate", sym);
		/* the runtime again, on what demangle_append() gave it */
		if (!strstr(sym, ".llvm."))
			check_cut(sym, sb.buf + 7);
	}
	if (scheme == DEMANGLE_TOO_COMPLEX && check == 0)
		fuzz_fail("'%s' refused though within the caps", sym);
	free(out);
	free(sym);
	fg_buf_release(&sb);
	return 0;
}
