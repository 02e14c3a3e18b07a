#ifndef FG_FUZZ_H
#define FG_FUZZ_H

/*
 * libFuzzer targets for the parsers of outside input (tests/fuzz/README).
 *
 * Each fuzz-<name>.c defines LLVMFuzzerTestOneInput(). It is linked either
 * with libFuzzer (-fsanitize=fuzzer, tests/fuzz/fuzz.mk) or with replay.c,
 * a main() that runs it once per file argument, so that the reproducers
 * in tests/fuzz/regressions/ are replayed by the normal test suite.
 *
 * A target returns 0 whatever the input: the parsers must cope with it.
 * Broken invariants it checks on the way (well-formed SVG, the same result
 * whichever way the input is cut into pieces) are reported through
 * fuzz_fail(), which aborts so that both drivers see a crash.
 * Not thread-safe; the helpers below keep per-process state.
 */

#include "../../lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: invariant broken: ..." and abort(). */
NORETURN void fuzz_fail(const char *fmt, ...) FG_PRINTF(1, 2);

/*
 * Replace the contents of this process's scratch file (a memfd, created
 * on first use) with size bytes at data and return its path,
 * "/proc/self/fd/N" (a static buffer), for the APIs that take a path.
 * *fd (may be NULL) is set to the open descriptor, positioned at 0; it
 * stays open: do not close it. Aborts when the memfd cannot be written.
 */
const char *fuzz_file(const uint8_t *data, size_t size, int *fd);

/*
 * Check that doc (len bytes) is a well-formed XML document, as far as a
 * renderer that writes no entity declarations can get it wrong: valid
 * UTF-8, no control characters XML forbids, balanced tags with one root
 * element, ASCII names, quoted attribute values without '<', no
 * attribute twice on one element, '&' only in the five predefined entity
 * references or character references, no "]]>" in text, no "--" in
 * comments. Returns NULL, or a static message saying what is wrong and
 * where.
 */
const char *fuzz_xml_check(const char *doc, size_t len);

struct stack_table;
struct svg_opts;

/*
 * svg_render() t with o into memory and check the document with
 * fuzz_xml_check() when it succeeds (and that nothing was written when it
 * fails). Returns what svg_render() returned.
 */
int fuzz_render(struct stack_table *t, const struct svg_opts *o);

/* A small deterministic generator (splitmix64) seeded from the input. */
struct fuzz_rng {
	uint64_t state;
};

void fuzz_rng_init(struct fuzz_rng *r, const uint8_t *data, size_t size);
uint64_t fuzz_rng_next(struct fuzz_rng *r);

#endif
