/*
 * test-tool demangle: read symbols from stdin, one per line, and print one
 * line per symbol: its demangled form, or the symbol unchanged when it is
 * not mangled (as c++filt does). Used by tests/e2e/t3100-*.sh.
 */
#include "../../lib/common.h"
#include "../../lib/buf.h"
#include "../../profiler/demangle.h"

int cmd_demangle(int argc, const char **argv);

int cmd_demangle(int argc, const char **argv)
{
	struct fg_buf out = FG_BUF_INIT;
	char *line = NULL;
	size_t alloc = 0;
	ssize_t len;
	enum demangle_scheme sc;

	(void)argv;
	if (argc != 1)
		return error("usage: test-tool demangle <SYMBOLS");
	while ((len = getline(&line, &alloc, stdin)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		fg_buf_reset(&out);
		sc = demangle_append(&out, line);
		if (sc == DEMANGLE_NONE || sc == DEMANGLE_TOO_COMPLEX)
			fg_buf_addstr(&out, line);
		fg_buf_addch(&out, '\n');
		fwrite(out.buf, 1, out.len, stdout);
	}
	free(line);
	fg_buf_release(&out);
	if (ferror(stdin))
		return error_errno("cannot read symbols");
	if (fflush(stdout) || ferror(stdout))
		return error_errno("cannot write demangled names");
	return 0;
}
