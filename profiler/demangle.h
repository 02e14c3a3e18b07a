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
 * so programs linking this module need -lstdc++, once a parse of our own
 * has bounded what that call will cost, and a function template's return
 * type is then left out. Anything else is not mangled (plain C names):
 * that is not an error.
 *
 * Rust closures have one spelling in both schemes, legacy's: v0's
 * "{closure#N}" (rustc-demangle's, even with "{:#}") prints as
 * "{{closure}}", index dropped; likewise v0's anonymous constant "{K#N}"
 * as "{{constant}}" and v0's shims "::{shim:vtable#0}" (reify,
 * reify_fnptr, reify_vtable, tls, by_move, by_ref, drop) as legacy's
 * suffixes "{{vtable.shim}}", "{{reify.shim}}", "{{reify.shim.fnptr}}",
 * ... right after the function's name. Why legacy's: rustc 1.95 still
 * mangles the crates it builds with legacy by default (only the std it
 * ships is v0), so users' own closures read "{{closure}}" in perf,
 * c++filt, gdb, backtraces and the graphs made from them; and a legacy
 * symbol has no index to print. Several closures of one function thus
 * make one frame, as they always did under legacy. Named closures and
 * other namespaces (rustc emits none) keep v0's form.
 *
 * C++ function templates: __cxa_demangle() prints their return type
 * ("void ns::f<int>(int)", "void (*ns::fp<char>())(int)"); it is left
 * out ("ns::f<int>(int)", "ns::fp<char>()"), as perf leaves it out.
 * (perf script's libiberty demangler, without DMGL_PARAMS, prints
 * "ns::f<int>": no return type, parameter list, qualifiers or clone
 * suffix; with -v, what __cxa_demangle() prints.) All else is kept as
 * __cxa_demangle() prints it: template arguments, parameter list,
 * qualifiers, "[abi:cxx11]", " [clone .cold]". A name in a shape the
 * scanner does not know (libiberty's "void (* constns::f<int>())(int)")
 * is kept whole: a name is never cut.
 *
 * Hostile input is safe: every read is bounds-checked, v0 recursion depth,
 * work and output length are capped (DEMANGLE_MAX_OUTPUT), and invalid
 * symbols are reported as "not mangled". A C++ symbol that could make
 * __cxa_demangle() print more than DEMANGLE_MAX_OUTPUT bytes, or work
 * much longer than printing that much takes, is refused
 * (DEMANGLE_TOO_COMPLEX) without calling it. No global state:
 * thread-safe.
 */

#include "../lib/common.h"
#include "../lib/buf.h"

/* Longest demangled name produced for one symbol, in bytes. */
#define DEMANGLE_MAX_OUTPUT (1u << 20)

enum demangle_scheme {
	DEMANGLE_NONE = 0,	/* not mangled, or invalid: nothing written */
	DEMANGLE_RUST_LEGACY,	/* _ZN...17h<hash>E */
	DEMANGLE_RUST_V0,	/* _R... (RFC 2603) */
	DEMANGLE_CXX,		/* other _Z... through __cxa_demangle() */
	DEMANGLE_TOO_COMPLEX,	/* a _Z... name too costly to demangle */
};

/*
 * Append the demangled form of sym (a NUL-terminated symbol name, may be
 * NULL) to out and return the scheme it was decoded with. On
 * DEMANGLE_NONE and DEMANGLE_TOO_COMPLEX, out is left exactly as it was.
 *
 * DEMANGLE_TOO_COMPLEX: sym looks like C++, but demangling it could
 * print more than DEMANGLE_MAX_OUTPUT bytes or take far longer than any
 * real name does (a hostile or broken symbol: substitutions that double
 * at every template level), or it could not be checked. The caller shows
 * sym as it is and may count such names for a one-line note.
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
 * frees, or NULL when sym is NULL, not mangled, invalid or too complex.
 */
char *demangle_symbol(const char *sym);

/*
 * For tests: the check demangle_append() makes before it gives the C++
 * symbol sym (NUL-terminated, "_Z...") to __cxa_demangle(). Returns 0
 * and stores in *bound an upper bound on the bytes __cxa_demangle()
 * prints (plus the tree nodes it visits; demangle_append() writes no more
 * than that, as it only leaves out); 1 when sym is too costly
 * (DEMANGLE_TOO_COMPLEX; *bound may then be 0); -1 when sym is not a
 * valid C++ symbol; -2 when the check could not follow sym. On -1 and -2,
 * demangle_append() calls __cxa_demangle() only when sym is at most 1024
 * bytes and holds nothing that could repeat or multiply output or work
 * (substitutions, template parameters, pack expansions, ...), else
 * returns DEMANGLE_TOO_COMPLEX. (Such symbols skip the check anyway.)
 */
int demangle_cxx_bound(const char *sym, uint64_t *bound);

#endif
