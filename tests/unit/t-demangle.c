#include "unit.h"
#include "../../lib/buf.h"
#include "../../profiler/demangle.h"

/*
 * Known pairs. Rust expectations are rustc-demangle's "{:#}" output (for
 * the nightly-only constants, as printed by a Rust backtrace); most
 * symbols come from tests/fixtures/demangle built by rustc 1.95, the
 * "mycrate" ones are the examples of the rustc book's v0 chapter.
 */
static const struct pair {
	const char *sym, *want;
	enum demangle_scheme scheme;
} pairs[] = {
	/* Rust legacy */
	{ "_ZN4main4main17h8da7fa642d137fc6E", "main::main", DEMANGLE_RUST_LEGACY },
	{ "_ZN4core3ptr65drop_in_place$LT$alloc..vec..Vec$LT$alloc..string..String$GT$$GT$17hc60818c5ac8f0f5aE",
	  "core::ptr::drop_in_place<alloc::vec::Vec<alloc::string::String>>",
	  DEMANGLE_RUST_LEGACY },
	{ "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17hdbee5a3fa7ab6636E.llvm.9974003639842039222",
	  "std::rt::lang_start::{{closure}}", DEMANGLE_RUST_LEGACY },
	{ "_ZN4core3ops8function6FnOnce40call_once$u7b$$u7b$vtable.shim$u7d$$u7d$17hd1000a74da186f94E",
	  "core::ops::function::FnOnce::call_once{{vtable.shim}}", DEMANGLE_RUST_LEGACY },
	{ "_ZN44_$LT$main..Circle$u20$as$u20$main..Shape$GT$4area17h3e0f387bd739c1c5E",
	  "<main::Circle as main::Shape>::area", DEMANGLE_RUST_LEGACY },
	{ "_ZN4core3ptr91drop_in_place$LT$alloc..boxed..Box$LT$dyn$u20$core..any..Any$u2b$core..marker..Send$GT$$GT$17he8ff21bea7a04964E",
	  "core::ptr::drop_in_place<alloc::boxed::Box<dyn core::any::Any+core::marker::Send>>",
	  DEMANGLE_RUST_LEGACY },
	{ "_ZN4core3ptr181drop_in_place$LT$hashbrown..scopeguard..ScopeGuard$LT$$RF$mut$u20$hashbrown..raw..RawTableInner$C$hashbrown..raw..RawTableInner..rehash_in_place..$u7b$$u7b$closure$u7d$$u7d$$GT$$GT$17ha11beda9cdb20614E",
	  "core::ptr::drop_in_place<hashbrown::scopeguard::ScopeGuard<&mut hashbrown::raw::RawTableInner,hashbrown::raw::RawTableInner::rehash_in_place::{{closure}}>>",
	  DEMANGLE_RUST_LEGACY },
	{ "_ZN4main14_$ud1$and$ufa$5corre17h75dbf57115ca31deE", "main::Ñandú::corre",
	  DEMANGLE_RUST_LEGACY },
	{ "_ZN4main15_$u94c1$$u9508$17hfbc732761905a599E", "main::铁锈", DEMANGLE_RUST_LEGACY },
	/* other suffixes are kept, as rustc-demangle does */
	{ "_ZN4main4main17h8da7fa642d137fc6E.cold.1", "main::main.cold.1", DEMANGLE_RUST_LEGACY },

	/* Rust v0 */
	{ "_RNvCs32gj3y4fnmh_4main4main", "main::main", DEMANGLE_RUST_V0 },
	{ "_RINvCs32gj3y4fnmh_4main5applyNCNvB2_4mains0_0EB2_",
	  "main::apply::<main::main::{closure#2}>", DEMANGLE_RUST_V0 },
	{ "_RNCNvCsgStHSCytQ6I_7mycrate4main0B3_", "mycrate::main::{closure#0}", DEMANGLE_RUST_V0 },
	{ "_RINvCs32gj3y4fnmh_4main5fixedKj4_Kln3_Kb1_Kc3bb_EB2_",
	  "main::fixed::<4, -3, true, 'λ'>", DEMANGLE_RUST_V0 },
	{ "_RINvCs32gj3y4fnmh_4main5fixedKj2_Kl7_Kb0_Kca_EB2_",
	  "main::fixed::<2, 7, false, '\\n'>", DEMANGLE_RUST_V0 },
	{ "_RINvCs7qp2U7fqm6G_7mycrate7exampleKy12345678_EB2_", "mycrate::example::<305419896>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCs7qp2U7fqm6G_7mycrate7exampleKo123456789abcdef01_Kj0_KpEB2_",
	  "mycrate::example::<0x123456789abcdef01, 0, _>", DEMANGLE_RUST_V0 },
	{ "_RINvCs7qp2U7fqm6G_7mycrate7exampleAtj8_EB2_", "mycrate::example::<[u16; 8]>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCs7qp2U7fqm6G_7mycrate7exampleFG0_RL1_hRL0_tEuEB2_",
	  "mycrate::example::<for<'a, 'b> fn(&'a u8, &'b u16)>", DEMANGLE_RUST_V0 },
	{ "_RNvCs32gj3y4fnmh_4mainu6n84amf", "main::铁锈", DEMANGLE_RUST_V0 },
	{ "_RNvMs3_Cs32gj3y4fnmh_4mainNtB5_u9and_jja2s5corre", "<main::Ñandú>::corre",
	  DEMANGLE_RUST_V0 },
	{ "_RNvXCs32gj3y4fnmh_4mainNtB2_6CircleNtB2_5Shape4area",
	  "<main::Circle as main::Shape>::area", DEMANGLE_RUST_V0 },
	{ "_RNvYINtCs32gj3y4fnmh_4main4RectfENtB5_5Shape4nameB5_",
	  "<main::Rect<f32> as main::Shape>::name", DEMANGLE_RUST_V0 },
	{ "_RINvMsY_NtCseXNvpPnDBDp_3std4pathNtB6_4Path3neweECs7qp2U7fqm6G_7mycrate",
	  "<std::path::Path>::new::<str>", DEMANGLE_RUST_V0 },
	{ "_RNCINvNtCsjrHSEGnQ3l9_3std2rt10lang_startuE0Cs32gj3y4fnmh_4main.llvm.10250408807560726659",
	  "std::rt::lang_start::<()>::{closure#0}", DEMANGLE_RUST_V0 },
	{ "_RNSNvYNCINvNtCsjrHSEGnQ3l9_3std2rt10lang_startuE0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceuE9call_once6vtableCs32gj3y4fnmh_4main.llvm.10250408807560726659",
	  "<std::rt::lang_start<()>::{closure#0} as core::ops::function::FnOnce<()>>::call_once::{shim:vtable#0}",
	  DEMANGLE_RUST_V0 },
	{ "_RINvNtCsgEmfK2I1SDS_4core3ptr13drop_in_placeINtNtCslNYArtu3iFV_5alloc5boxed3BoxDG0_INtNtNtB4_3ops8function2FnTRL1_INtNtCsjrHSEGnQ3l9_3std5panic13PanicHookInfoL0_EEEp6OutputuNtNtB4_6marker4SyncNtB2N_4SendEL_EEB1T_",
	  "core::ptr::drop_in_place::<alloc::boxed::Box<dyn for<'a, 'b> core::ops::function::Fn<(&'a std::panic::PanicHookInfo<'b>,), Output = ()> + core::marker::Sync + core::marker::Send>>",
	  DEMANGLE_RUST_V0 },
	{ "_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecTOhFUKCBN_EuENtNtCsjrHSEGnQ3l9_3std5alloc6SystemE8grow_oneB13_",
	  "<alloc::raw_vec::RawVec<(*mut u8, unsafe extern \"C\" fn(*mut u8)), std::alloc::System>>::grow_one",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1fFG_QL0_Ahj4_PuERL0_eEB2_",
	  "n::f::<for<'a> fn(&'a mut [u8; 4], *const ()) -> &'a str>", DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1fThEEB2_", "n::f::<(u8,)>", DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1fRDG_INtNtNtCs8NwYtU1Mohg_4core3ops8function2FnTRL0_hEEp6OutputhEL_EB2_",
	  "n::f::<&dyn for<'a> core::ops::function::Fn<(&'a u8,), Output = u8>>", DEMANGLE_RUST_V0 },
	/* constants of unstable kinds (adt_const_params, unsized_const_params) */
	{ "_RINvCsgwRg9PezsVX_1n1sKRe68c3a96c6c6f092271270a_EB2_",
	  "n::s::<\"héllo\\t\\\"q'\\n\">", DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1aKAh1_h2_hff_EEB2_", "n::a::<{[1, 2, 255]}>", DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1eKVNtNtB2_1E1AUEB2_", "n::e::<{n::E::A}>", DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1eKVNtNtB2_1E1BTt12c_c7a_EEB2_", "n::e::<{n::E::B(300, 'z')}>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1eKVNtNtB2_1E1CS1fan5_EEB2_", "n::e::<{n::E::C { f: -5 }}>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1pKVNtB2_1PS1xh7_1yb1_EEB2_", "n::p::<{n::P { x: 7, y: true }}>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1tKTh9_xn1_EKTb1_EEB2_", "n::t::<{(9, -1)}, {(true,)}>",
	  DEMANGLE_RUST_V0 },
	{ "_RINvCsgwRg9PezsVX_1n1rKRm2a_EB2_", "n::r::<{&42}>", DEMANGLE_RUST_V0 },
	/* pattern type (hand-made) */
	{ "_RINvC1a1fWmRm1_m64_E", "a::f::<u32 is 1..=100>", DEMANGLE_RUST_V0 },
	/* suffixes: "$" vendor suffix dropped, "." suffix kept */
	{ "_RNvNvNvCs7qp2U7fqm6G_7mycrate7EXAMPLE7___getit5___KEY$tlv$init",
	  "mycrate::EXAMPLE::__getit::__KEY", DEMANGLE_RUST_V0 },
	{ "_RNvNtNtCsjrHSEGnQ3l9_3std2io5stdio19OUTPUT_CAPTURE_USED.0",
	  "std::io::stdio::OUTPUT_CAPTURE_USED.0", DEMANGLE_RUST_V0 },

	/* C++ through __cxa_demangle */
	{ "_ZNSt6vectorIiSaIiEE9push_backERKi",
	  "std::vector<int, std::allocator<int> >::push_back(int const&)", DEMANGLE_CXX },
	{ "_ZN2fxL5checkEi.cold", "fx::check(int) [clone .cold]", DEMANGLE_CXX },
	{ "_ZN2fx5applyEv.llvm.1234", "fx::apply()", DEMANGLE_CXX },
	/* no Rust hash: C++ */
	{ "_ZN3foo3barE", "foo::bar", DEMANGLE_CXX },
	{ "_ZN3foo17h0123456789abcdefEv", "foo::h0123456789abcdef()", DEMANGLE_CXX },
};

TEST(demangle_known_pairs)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		struct fg_buf out = FG_BUF_INIT;
		char *s = demangle_symbol(pairs[i].sym);

		CHECK_STREQ(s, pairs[i].want);
		free(s);
		CHECK(demangle_append(&out, pairs[i].sym) == pairs[i].scheme);
		fg_buf_release(&out);
	}
}

TEST(demangle_not_mangled)
{
	static const char *const plain[] = {
		"", "main", "i", "v", "_start", "_Z", "_R", "_ZN", "GCC_except_table0",
		"DW.ref.rust_eh_personality", "_RNvC1a", "_R0NvC1a1b",
		"_RNvCs32gj3y4fnmh_4main4main junk", "_ZN4main4main17h8da7fa642d137fc6",
		"_ZN4main4main17h8da7fa642d137fcE",
	};
	size_t i;

	CHECK(demangle_symbol(NULL) == NULL);
	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		char *s = demangle_symbol(plain[i]);

		if (s)
			unit_fail(__FILE__, __LINE__, "'%s' demangled to '%s'", plain[i], s);
		free(s);
	}
}

TEST(demangle_append_keeps_buffer_on_failure)
{
	struct fg_buf out = FG_BUF_INIT;

	fg_buf_addstr(&out, "x;");
	CHECK(demangle_append(&out, "_RNvC1a1b") == DEMANGLE_RUST_V0);
	CHECK_STREQ(out.buf, "x;a::b");
	/* fails late, after output was written */
	CHECK(demangle_append(&out, "_RNvNvC1a1b1c?") == DEMANGLE_NONE);
	CHECK_STREQ(out.buf, "x;a::b");
	CHECK(demangle_append(&out, "plain") == DEMANGLE_NONE);
	CHECK(out.len == 6);
	fg_buf_release(&out);
}

TEST(demangle_rejects_invalid_rust)
{
	static const char *const bad[] = {
		"_RNvB_1a",			/* backref loop: depth cap */
		"_RNvC999999999999999999999991a",	/* length overflow */
		"_RNvCsZZZZZZZZZZZZZZZZZZZZZZ_1a1b",	/* base-62 overflow */
		"_RNvC1a1bB9_",			/* forward backref */
		"_RINvC1a1fKb2_E",		/* bool 2 */
		"_RINvC1a1fKcd800_E",		/* surrogate char */
		"_RINvC1a1fKhn1_E",		/* negative unsigned */
		"_RINvC1a1fRL1_hE",		/* unbound lifetime */
		"_RNvC1au3b_1",			/* bad punycode */
		"_ZN3foo5$XX$a17h0123456789abcdefE",	/* unknown escape: not Rust */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct fg_buf out = FG_BUF_INIT;
		enum demangle_scheme sc = demangle_append(&out, bad[i]);

		if (sc == DEMANGLE_RUST_V0 || sc == DEMANGLE_RUST_LEGACY)
			unit_fail(__FILE__, __LINE__, "'%s' accepted as '%s'", bad[i], out.buf);
		fg_buf_release(&out);
	}
}

/* Append the base-62 encoding of a backref to position v. */
static void add_backref(struct fg_buf *sb, size_t v)
{
	static const char digits[] =
		"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char tmp[16];
	int n = 0;

	fg_buf_addch(sb, 'B');
	if (v) {
		for (v--; ; v /= 62) {
			tmp[n++] = digits[v % 62];
			if (v < 62)
				break;
		}
		while (n)
			fg_buf_addch(sb, tmp[--n]);
	}
	fg_buf_addch(sb, '_');
}

TEST(demangle_backref_bomb_is_capped)
{
	struct fg_buf sym = FG_BUF_INIT;
	size_t prev, i;
	char *s;

	/* a::f::<T0, T1, ...> with Ti = (Ti-1, Ti-1): 2^60 bytes unless capped */
	fg_buf_addstr(&sym, "_RINvC1a1fh");
	prev = sym.len - 1 - 2;
	for (i = 0; i < 60; i++) {
		size_t here = sym.len - 2;

		fg_buf_addch(&sym, 'T');
		add_backref(&sym, prev);
		add_backref(&sym, prev);
		fg_buf_addch(&sym, 'E');
		prev = here;
	}
	fg_buf_addch(&sym, 'E');
	s = demangle_symbol(sym.buf);
	CHECK(s == NULL);
	free(s);

	/* the same with 10 levels fits: 1 + 2 + ... doubling */
	fg_buf_reset(&sym);
	fg_buf_addstr(&sym, "_RINvC1a1fhTB7_B7_EE");
	s = demangle_symbol(sym.buf);
	CHECK_STREQ(s, "a::f::<u8, (u8, u8)>");
	free(s);
	fg_buf_release(&sym);
}

TEST(demangle_deep_nesting_is_capped)
{
	struct fg_buf sym = FG_BUF_INIT;
	char *s;
	int i;

	fg_buf_addstr(&sym, "_RINvC1a1f");
	for (i = 0; i < 100000; i++)
		fg_buf_addch(&sym, 'S');
	fg_buf_addstr(&sym, "hE");
	s = demangle_symbol(sym.buf);
	CHECK(s == NULL);
	free(s);
	fg_buf_release(&sym);
}

/*
 * Every prefix and many one-byte mutations of the known symbols: no
 * crash, no leak, no sanitizer report (run under make asan).
 */
TEST(demangle_survives_mutations)
{
	static const char alphabet[] = "_0123456789abcdefghnpsuxyzABCDEGIKLMNOPQRSTUVWXYZ$.";
	uint32_t seed = 12345;
	size_t i, j, k;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		const char *sym = pairs[i].sym;
		size_t len = strlen(sym);
		char *buf = xmemdupz(sym, len);

		for (j = 0; j <= len; j++) {
			char *s;

			buf[j] = '\0';
			s = demangle_symbol(buf);
			free(s);
			buf[j] = sym[j];
		}
		for (k = 0; k < 300; k++) {
			char *s;

			seed = seed * 1103515245 + 12345;
			j = (seed >> 8) % len;
			buf[j] = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
			s = demangle_symbol(buf);
			free(s);
			if (k % 3 == 0)
				memcpy(buf, sym, len);
		}
		free(buf);
	}
	CHECK(1);
}
