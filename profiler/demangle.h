#ifndef FG_DEMANGLE_H
#define FG_DEMANGLE_H

/*
 * demangle: turn a linker symbol into the name a person reads.
 *
 * Rust symbols of both schemes are decoded here (our own code, written
 * from the mangling specifications) into the form rustc-demangle prints
 * with "{:#}": the legacy "::h<16 hex>" hash and the v0 crate
 * disambiguators "[...]" are left out, and an LLVM ".llvm.<hex>" suffix is
 * dropped. C++ (Itanium) symbols go to the C++ runtime's __cxa_demangle(),
 * so programs linking this module need -lstdc++. Anything else is not
 * mangled (plain C names): that is not an error.
 *
 * Hostile input is safe: every read is bounds-checked, v0 recursion depth,
 * work and output length are capped (DEMANGLE_MAX_OUTPUT), and invalid
 * symbols are reported as "not mangled". No global state: thread-safe.
 */

#include "../lib/common.h"
#include "../lib/buf.h"

/* Longest demangled name produced for one Rust symbol, in bytes. */
#define DEMANGLE_MAX_OUTPUT (1u << 20)

enum demangle_scheme {
	DEMANGLE_NONE = 0,	/* not mangled, or invalid: nothing written */
	DEMANGLE_RUST_LEGACY,	/* _ZN...17h<hash>E */
	DEMANGLE_RUST_V0,	/* _R... (RFC 2603) */
	DEMANGLE_CXX,		/* other _Z... through __cxa_demangle() */
};

/*
 * Append the demangled form of sym (a NUL-terminated symbol name, may be
 * NULL) to out and return the scheme it was decoded with. On
 * DEMANGLE_NONE, out is left exactly as it was.
 *
 * Suffixes: a Rust ".llvm.<hex>" suffix is dropped; any other "."-suffix
 * of a Rust symbol (".cold", ".0") is kept verbatim after the name, as
 * rustc-demangle does; a v0 "$..." vendor suffix is dropped. C++ clone
 * suffixes are printed by __cxa_demangle() ("f() [clone .cold]"), except
 * ".llvm.<digits>", which is dropped first. A glibc "@VERSION" suffix is
 * not recognised: callers strip it before calling.
 */
enum demangle_scheme demangle_append(struct fg_buf *out, const char *sym);

/*
 * Return the demangled form of sym as a malloc'd string that the caller
 * frees, or NULL when sym is NULL, not mangled or invalid.
 */
char *demangle_symbol(const char *sym);

#endif
