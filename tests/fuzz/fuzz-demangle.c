/*
 * Fuzz target: the demangler (profiler/demangle.c): Rust legacy and v0
 * symbols by our own decoder, C++ through __cxa_demangle(). The input is
 * one symbol (cut at its first NUL).
 */
#include "fuzz.h"
#include "../../lib/buf.h"
#include "../../profiler/demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sym = xmemdupz(data, size);
	char *out = demangle_symbol(sym);
	struct fg_buf sb = FG_BUF_INIT;
	enum demangle_scheme scheme;

	fg_buf_addstr(&sb, "prefix;");
	scheme = demangle_append(&sb, sym);
	if (!out != (scheme == DEMANGLE_NONE) && !(out && !*out))
		fuzz_fail("demangle_symbol() and demangle_append() disagree on '%s'", sym);
	if (scheme == DEMANGLE_NONE && strcmp(sb.buf, "prefix;"))
		fuzz_fail("demangle_append() wrote for a symbol it did not decode");
	if (out && strcmp(sb.buf + 7, out))
		fuzz_fail("demangle_symbol() and demangle_append() differ: '%s' / '%s'",
			  out, sb.buf + 7);
	if (scheme != DEMANGLE_CXX && sb.len - 7 > DEMANGLE_MAX_OUTPUT)
		fuzz_fail("%zu bytes of output", sb.len - 7);
	free(out);
	free(sym);
	fg_buf_release(&sb);
	return 0;
}
