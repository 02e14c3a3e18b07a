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
	  "main::apply::<main::main::{{closure}}>", DEMANGLE_RUST_V0 },
	{ "_RNCNvCsgStHSCytQ6I_7mycrate4main0B3_", "mycrate::main::{{closure}}", DEMANGLE_RUST_V0 },
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
	  "std::rt::lang_start::<()>::{{closure}}", DEMANGLE_RUST_V0 },
	{ "_RNSNvYNCINvNtCsjrHSEGnQ3l9_3std2rt10lang_startuE0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceuE9call_once6vtableCs32gj3y4fnmh_4main.llvm.10250408807560726659",
	  "<std::rt::lang_start<()>::{{closure}} as core::ops::function::FnOnce<()>>::call_once{{vtable.shim}}",
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

/*
 * One spelling for closures, shims and anonymous constants in both Rust
 * schemes (see demangle.h): the same functions of one program built with
 * legacy and with v0 mangling (rustc 1.95, tests/fixtures/demangle and
 * two small programs), and a hand-made v0 symbol for what keeps v0's form.
 */
TEST(demangle_rust_one_closure_spelling)
{
	static const struct {
		const char *legacy, *v0, *want_legacy, *want_v0;
	} same[] = {
		{ "_ZN1r4main28_$u7b$$u7b$closure$u7d$$u7d$17h4d61d863015b0077E",
		  "_RNCNvCs6GmmlP4bgsG_1r4main0B3_",
		  "r::main::{{closure}}", "r::main::{{closure}}" },
		{ "_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17hdbee5a3fa7ab6636E",
		  "_RNCINvNtCsjrHSEGnQ3l9_3std2rt10lang_startuE0Cs6GmmlP4bgsG_1r",
		  "std::rt::lang_start::{{closure}}", "std::rt::lang_start::<()>::{{closure}}" },
		{ "_ZN4core3ops8function6FnOnce40call_once$u7b$$u7b$vtable.shim$u7d$$u7d$17h42e08618e5619cfaE",
		  "_RNSNvYNCINvNtCsjrHSEGnQ3l9_3std2rt10lang_startuE0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceuE9call_once6vtableCs6GmmlP4bgsG_1r",
		  "core::ops::function::FnOnce::call_once{{vtable.shim}}",
		  "<std::rt::lang_start<()>::{{closure}} as core::ops::function::FnOnce<()>>::call_once{{vtable.shim}}" },
		{ "_ZN4shim5Shape34area$u7b$$u7b$reify.shim$u7d$$u7d$17h1b87b1e7d90811bcE",
		  "_RNSNvYDNtCsbPKDRTB1qCz_4shim5ShapeEL_B5_4area5reifyB7_",
		  "shim::Shape::area{{reify.shim}}", "<dyn shim::Shape as shim::Shape>::area{{reify.shim}}" },
		{ "_ZN4shim1T29_$u7b$$u7b$constant$u7d$$u7d$28_$u7b$$u7b$closure$u7d$$u7d$23__RUST_STD_INTERNAL_VAL17hc1a67459b4bae4e6E",
		  "_RNvNCNKNvCsbPKDRTB1qCz_4shim1T0s_023___RUST_STD_INTERNAL_VAL",
		  "shim::T::{{constant}}::{{closure}}::__RUST_STD_INTERNAL_VAL",
		  "shim::T::{{constant}}::{{closure}}::__RUST_STD_INTERNAL_VAL" },
	};
	static const struct pair v0_only[] = {
		/* every closure index, and the other shims rustc writes */
		{ "_RNCNvC1a1bs4_0", "a::b::{{closure}}", DEMANGLE_RUST_V0 },
		{ "_RNCNCNvC1a1b0s_0", "a::b::{{closure}}::{{closure}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b11reify_fnptr", "a::b{{reify.shim.fnptr}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b12reify_vtable", "a::b{{reify.shim.vtable}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b3tls", "a::b{{tls.shim}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b7by_move", "a::b{{by.move.shim}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b6by_ref", "a::b{{by.ref.shim}}", DEMANGLE_RUST_V0 },
		{ "_RNSNvC1a1b4drop", "a::b{{drop.shim}}", DEMANGLE_RUST_V0 },
		/* no legacy counterpart: v0's form */
		{ "_RNSNvC1a1b3new", "a::b::{shim:new#0}", DEMANGLE_RUST_V0 },
		{ "_RNCNvC1a1b1x", "a::b::{closure:x#0}", DEMANGLE_RUST_V0 },
		{ "_RNQNvC1a1bs_0", "a::b::{Q#1}", DEMANGLE_RUST_V0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(same); i++) {
		char *l = demangle_symbol(same[i].legacy);
		char *v = demangle_symbol(same[i].v0);

		CHECK_STREQ(l, same[i].want_legacy);
		CHECK_STREQ(v, same[i].want_v0);
		free(l);
		free(v);
	}
	for (i = 0; i < ARRAY_SIZE(v0_only); i++) {
		char *v = demangle_symbol(v0_only[i].sym);

		CHECK_STREQ(v, v0_only[i].want);
		free(v);
	}
}

/*
 * C++ names without the return type of function templates, as perf shows
 * them. Symbols: a g++ 12.2 program written for this table (templates,
 * member templates, operators in and around templates, lambdas and
 * generic lambdas, functions returning pointers to functions, to members
 * and to arrays, decltype return types, ABI tags, .cold/.isra/.constprop
 * clones), built with -O2 (and -O0 for the rows not sampled), and names
 * from node 20, libLLVM 15 and libstdc++ 12. want: what __cxa_demangle()
 * (GCC 12's libstdc++) printed, return type cut by hand. perf: what
 * "perf script" (perf 6.1, whose libiberty cplus_demangle() runs without
 * DMGL_PARAMS) printed for a sample in that function, or, on rows marked
 * "-p", what "c++filt -p" prints (the same libiberty call, equal to perf
 * on every sampled row, less c++filt's DMGL_VERBOSE "std::basic_ostream<
 * char, ...>" for perf's "std::ostream"). want must be perf's name, then
 * its parameter list and qualifiers.
 */
static const struct cxx_case {
	const char *sym, *want, *perf;
} cxx_cases[] = {
	/* function templates: "void", "int*", class and reference returns */
	{ "_ZN2ns1fIiEEvT_", "ns::f<int>(int)", "ns::f<int>" },
	{ "_ZN2ns1fIPNS_1AEEEvT_", "ns::f<ns::A*>(ns::A*)", "ns::f<ns::A*>" },
	{ "_ZN2ns1gINS_1AEEEPiv", "ns::g<ns::A>()", "ns::g<ns::A>" },
	{ "_ZN2ns2ttI3CmpEEvv", "ns::tt<Cmp>()", "ns::tt<Cmp>" },
	{ "_ZN2ns3refIiEERKT_S3_", "ns::ref<int>(int const&)", "ns::ref<int>" },
	{ "_ZN2ns4condILb1EEEii", "ns::cond<true>(int)", "ns::cond<true>" },
	{ "_ZN2ns7shiftedILi4EEEiv", "ns::shifted<4>()", "ns::shifted<4>" },
	{ "_ZN2ns8tagged_tIiEENSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEET_",
	  "ns::tagged_t<int>(int)", "ns::tagged_t<int>" },
	{ "_ZN2ns6memptrIiEEMNS_1AET_v", "ns::memptr<int>()", "ns::memptr<int>" },
	/* the example (node) */
	{ "_ZN2v88internal11StringTable9LookupKeyINS0_15SeqSubStringKeyINS0_16SeqOneByteStringEEENS0_7IsolateEEENS0_6HandleINS0_6StringEEEPT0_PT_",
	  "v8::internal::StringTable::LookupKey<v8::internal::SeqSubStringKey<v8::internal::SeqOneByteString>, v8::internal::Isolate>(v8::internal::Isolate*, v8::internal::SeqSubStringKey<v8::internal::SeqOneByteString>*)",
	  "v8::internal::StringTable::LookupKey<v8::internal::SeqSubStringKey<v8::internal::SeqOneByteString>, v8::internal::Isolate>" },
	/* pointers to functions, members, arrays: the name is inside */
	{ "_ZN2ns2fpIcEEPFviEv", "ns::fp<char>()", "ns::fp<char>" },
	{ "_ZN2ns5OuterIlE4pickIcEEPFvlET_.isra.0", "ns::Outer<long>::pick<char>(char) [clone .isra.0]",
	  "ns::Outer<long>::pick<char>" },
	{ "_ZN2ns5arrfnIiEEPA3_T_v", "ns::arrfn<int>()", "ns::arrfn<int>" },
	{ "_ZN2ns4arefIiEERA4_iv", "ns::aref<int>()", "ns::aref<int>" /* -p */ },
	{ "_ZN2ns3mfpIiEEMNS_1AEFviEv", "ns::mfp<int>()", "ns::mfp<int>" /* -p */ },
	{ "_ZN2ns4fpfpIiEEPFPFvlEiEv", "ns::fpfp<int>()", "ns::fpfp<int>" /* -p */ },
	{ "_ZN2ns4nxfpIiEEPDoFviEv", "ns::nxfp<int>()", "ns::nxfp<int>" /* -p */ },
	/* no template, no return type: as printed */
	{ "_ZN2ns7plainfpEi", "ns::plainfp(int)", "ns::plainfp" },
	{ "_ZN2ns6taggedB5cxx11Ei", "ns::tagged[abi:cxx11](int)", "ns::tagged[abi:cxx11]" },
	{ "_ZN2ns4coldEi.cold", "ns::cold(int) [clone .cold]", "ns::cold" },
	/* operators are names, not brackets */
	{ "_ZNK2ns3BoxIiEltERKS1_", "ns::Box<int>::operator<(ns::Box<int> const&) const",
	  "ns::Box<int>::operator<" },
	{ "_ZNK2ns3BoxIiEclEi", "ns::Box<int>::operator()(int) const", "ns::Box<int>::operator()" },
	{ "_ZN2ns3BoxIiElsEi.isra.0", "ns::Box<int>::operator<<(int) [clone .isra.0]",
	  "ns::Box<int>::operator<<" },
	{ "_ZN2ns3BoxIiEptEv", "ns::Box<int>::operator->()", "ns::Box<int>::operator->" },
	{ "_ZNK2ns3BoxIiEcvlEv", "ns::Box<int>::operator long() const", "ns::Box<int>::operator long" },
	{ "_ZN2ns3BoxIiEdlEPv", "ns::Box<int>::operator delete(void*)",
	  "ns::Box<int>::operator delete" },
	{ "_ZN2nsltIiEEbNS_3BoxIT_EES2_", "ns::operator< <int>(ns::Box<int>, int)",
	  "ns::operator< <int>" },
	{ "_ZN2nslsIiEERNS_3BoxIT_EES4_PKc.isra.0",
	  "ns::operator<< <int>(ns::Box<int>&, char const*) [clone .isra.0]", "ns::operator<< <int>" },
	{ "_ZStrsIcSt11char_traitsIcEERSt13basic_istreamIT_T0_ES6_PS3_",
	  "std::operator>><char, std::char_traits<char> >(std::basic_istream<char, "
	  "std::char_traits<char> >&, char*)",
	  "std::operator>><char, std::char_traits<char> >" /* -p */ },
	{ "_ZN2ns5viaopIXadL_ZNKS_3BoxIiEltERKS2_EEEEbS4_S4_",
	  "ns::viaop<&(ns::Box<int>::operator<(ns::Box<int> const&) const)>(ns::Box<int> const&, ns::Box<int> const&)",
	  "ns::viaop<&(ns::Box<int>::operator<(ns::Box<int> const&) const)>" },
	{ "_ZN2ns5viaopIXadL_ZNKS_3BoxIiEleERKS2_EEEEbS4_S4_",
	  "ns::viaop<&(ns::Box<int>::operator<=(ns::Box<int> const&) const)>(ns::Box<int> const&, ns::Box<int> const&)",
	  "ns::viaop<&(ns::Box<int>::operator<=(ns::Box<int> const&) const)>" },
	{ "_ZnwI5ArenaEPvmRT_i", "operator new<Arena>(unsigned long, Arena&, int)",
	  "operator new<Arena>" /* -p */ },
	{ "_Zli4_litIJLc49ELc50ELc51EEEiv", "operator\"\" _lit<(char)49, (char)50, (char)51>()",
	  "operator\"\" _lit<(char)49, (char)50, (char)51>" /* -p */ },
	{ "_ZNSo9_M_insertIdEERSoT_", "std::ostream::_M_insert<double>(double)",
	  "std::ostream::_M_insert<double>" /* -p, less DMGL_VERBOSE */ },
	/* conversion operator template: never a return type */
	{ "_ZNK2ns1BcvPT_IiEEv", "ns::B::operator int*<int>() const",
	  "ns::B::operator int*<int>" /* -p */ },
	/* member templates, lambdas, local names */
	{ "_ZNK2ns3BoxIiE3getIlEET_S3_", "ns::Box<int>::get<long>(long) const",
	  "ns::Box<int>::get<long>" },
	{ "_ZN2ns3BoxIiE4makeIsEESt6vectorIT_SaIS4_EES4_", "ns::Box<int>::make<short>(short)",
	  "ns::Box<int>::make<short>" },
	{ "_ZN2ns4callIiZ4mainEUliE_EEvT_T0_.constprop.0",
	  "ns::call<int, main::{lambda(int)#1}>(int, main::{lambda(int)#1}) [clone .constprop.0]",
	  "ns::call<int, main::{lambda(int)#1}>" },
	{ "_ZZ4mainENKUlT_E0_clIiEEDaS_.constprop.0",
	  "main::{lambda(auto:1)#2}::operator()<int>(int) const [clone .constprop.0]",
	  "main::{lambda(auto:1)#2}::operator()<int>" },
	{ "_ZZ4mainENKUliE_clEi.constprop.0",
	  "main::{lambda(int)#1}::operator()(int) const [clone .constprop.0]",
	  "main::{lambda(int)#1}::operator()" },
	{ "_ZZN2ns6retlamIiEEDaT_ENKUliE_clEi",
	  "ns::retlam<int>(int)::{lambda(int)#1}::operator()(int) const",
	  "ns::retlam<int>(int)::{lambda(int)#1}::operator()" },
	{ "_ZNSt17_Function_handlerIFvvEZ4mainEUlvE1_E9_M_invokeERKSt9_Any_data",
	  "std::_Function_handler<void (), main::{lambda()#3}>::_M_invoke(std::_Any_data const&)",
	  "std::_Function_handler<void (), main::{lambda()#3}>::_M_invoke" },
	{ "_ZNSt5dequeISt8functionIFvvEESaIS2_EE16_M_push_back_auxIJS2_EEEvDpOT_",
	  "std::deque<std::function<void ()>, std::allocator<std::function<void ()> > >::_M_push_back_aux<std::function<void ()> >(std::function<void ()>&&)",
	  "std::deque<std::function<void ()>, std::allocator<std::function<void ()> > >::_M_push_back_aux<std::function<void ()> >" /* -p */ },
	{ "_ZZN2ns7staticsIiEEiT_E1x", "ns::statics<int>(int)::x", "ns::statics<int>(int)::x" /* -p */ },
	/* return types that hold brackets and comparisons */
	{ "_ZN2ns2dtIiEEDTplfp_Li1EET_", "ns::dt<int>(int)", "ns::dt<int>" /* -p */ },
	{ "_ZN2ns3dt2IiEEDTltfp_Li1EET_", "ns::dt2<int>(int)", "ns::dt2<int>" /* -p */ },
	{ "_ZN2ns3dt3IiEEDTgtfp_Li1EET_", "ns::dt3<int>(int)", "ns::dt3<int>" /* -p */ },
	{ "_ZN2ns2daIiEEDcT_", "ns::da<int>(int)", "ns::da<int>" /* -p */ },
	{ "_ZN2ns6cmpretILi3EEENS_1IIXgtT_Li2EEEEv", "ns::cmpret<3>()", "ns::cmpret<3>" /* -p */ },
	{ "_ZN2ns7cmpret2ILi3EEENS_1IIXltT_Li2EEEEv", "ns::cmpret2<3>()", "ns::cmpret2<3>" /* -p */ },
	{ "_ZN4llvm10make_errorINS_8DWPErrorEJRA53_KcEEENS_5ErrorEDpOT0_",
	  "llvm::make_error<llvm::DWPError, char const (&) [53]>(char const (&) [53])",
	  "llvm::make_error<llvm::DWPError, char const (&) [53]>" /* -p */ },
	/* special names */
	{ "_ZThn8_N2ns1X1gEi", "non-virtual thunk to ns::X::g(int)",
	  "non-virtual thunk to ns::X::g(int)" /* -p */ },
};

TEST(demangle_cxx_leaves_out_return_types)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cxx_cases); i++) {
		const struct cxx_case *c = &cxx_cases[i];
		struct fg_buf out = FG_BUF_INIT;
		size_t n = strlen(c->perf);

		CHECK(demangle_append(&out, c->sym) == DEMANGLE_CXX);
		CHECK_STREQ(out.buf, c->want);
		/* perf's name, then the parameter list (or nothing: data) */
		if (strncmp(c->want, c->perf, n) || (c->want[n] && c->want[n] != '('))
			unit_fail(__FILE__, __LINE__, "'%s' is not perf's '%s' and more",
				  c->want, c->perf);
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

	for (i = 0; i < ARRAY_SIZE(pairs) + ARRAY_SIZE(cxx_cases); i++) {
		const char *sym = i < ARRAY_SIZE(pairs) ? pairs[i].sym :
				  cxx_cases[i - ARRAY_SIZE(pairs)].sym;
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

/* ---------------------------------------------------------------- */
/* C++: the cost check before __cxa_demangle()                      */
/* ---------------------------------------------------------------- */

/* The runtime's demangler, compared with directly on names it handles. */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* Append "S_" (i == 0) or "S<base 36 of i - 1>_": substitution i. */
static void add_sub(struct fg_buf *sb, size_t i)
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char tmp[16];
	int n = 0;

	fg_buf_addch(sb, 'S');
	if (i) {
		for (i--; ; i /= 36) {
			tmp[n++] = digits[i % 36];
			if (i < 36)
				break;
		}
		while (n)
			fg_buf_addch(sb, tmp[--n]);
	}
	fg_buf_addch(sb, '_');
}

/*
 * void f<A<x, x>, A<A<x, x>, A<x, x> >, ...>(): levels template
 * arguments, each naming the previous one twice, x an identifier of
 * idlen bytes; the output doubles at every level.
 */
static char *doubling_symbol(int levels, size_t idlen)
{
	struct fg_buf sb = FG_BUF_INIT;
	int i;

	/* substitutions: f, A, x, A<x, x>, then one per level */
	fg_buf_addf(&sb, "_Z1fI1AI%zu", idlen);
	for (i = 0; i < (int)idlen; i++)
		fg_buf_addch(&sb, 'x');
	fg_buf_addstr(&sb, "S1_E");
	for (i = 2; i <= levels; i++) {
		fg_buf_addstr(&sb, "S0_I");
		add_sub(&sb, (size_t)i + 1);
		add_sub(&sb, (size_t)i + 1);
		fg_buf_addch(&sb, 'E');
	}
	fg_buf_addstr(&sb, "Evv");
	return fg_buf_detach(&sb, NULL);
}

/*
 * sym demangles as __cxa_demangle() does it, as C++, less a return type
 * and its space in front.
 */
static void check_like_runtime(const char *sym)
{
	struct fg_buf out = FG_BUF_INIT;
	int status = -1;
	char *want = __cxa_demangle(sym, NULL, NULL, &status);
	uint64_t bound = 0;
	size_t skip;

	if (!want || status) {
		unit_fail(__FILE__, __LINE__, "the runtime rejects '%s'", sym);
		free(want);
		return;
	}
	skip = demangle_append(&out, sym) == DEMANGLE_CXX && out.len <= strlen(want) ?
	       strlen(want) - out.len : 0;
	if (out.len == 0 || strcmp(out.buf, want + skip) || (skip && want[skip - 1] != ' '))
		unit_fail(__FILE__, __LINE__, "'%.200s': '%.200s', want '%.200s'", sym,
			  out.buf, want);
	if (demangle_cxx_bound(sym, &bound) || bound < strlen(want))
		unit_fail(__FILE__, __LINE__, "'%s': bound %" PRIu64 " for %zu bytes",
			  sym, bound, strlen(want));
	free(want);
	fg_buf_release(&out);
}

/* sym is refused without calling the runtime, leaving out as it was. */
static void check_refused(const char *sym)
{
	struct fg_buf out = FG_BUF_INIT;
	uint64_t bound;
	char *s;

	fg_buf_addstr(&out, "x;");
	if (demangle_append(&out, sym) != DEMANGLE_TOO_COMPLEX)
		unit_fail(__FILE__, __LINE__, "'%.60s...' not refused", sym);
	CHECK_STREQ(out.buf, "x;");
	CHECK(demangle_cxx_bound(sym, &bound) == 1);
	s = demangle_symbol(sym);
	CHECK(s == NULL);
	free(s);
	fg_buf_release(&out);
}

TEST(demangle_cxx_doubling_bomb_is_refused)
{
	/* 311 bytes, 28 levels: 67 s and 8.9 GB in __cxa_demangle() */
	char *sym = doubling_symbol(28, 1);

	CHECK(strlen(sym) > 300);
	check_refused(sym);
	free(sym);
	sym = doubling_symbol(60, 1);
	check_refused(sym);
	free(sym);
}

TEST(demangle_cxx_small_doubling_is_demangled)
{
	char *sym = doubling_symbol(3, 1);
	char *s = demangle_symbol(sym);

	CHECK_STREQ(s, "f<A<x, x>, A<A<x, x>, A<x, x> >, "
		    "A<A<A<x, x>, A<x, x> >, A<A<x, x>, A<x, x> > > >()");
	free(s);
	free(sym);
	/* 10 levels: 6 KB */
	sym = doubling_symbol(10, 1);
	check_like_runtime(sym);
	free(sym);
}

/*
 * The cap: with identifiers one byte longer, the bound passes
 * DEMANGLE_MAX_OUTPUT and the symbol is refused; just under it, the
 * runtime prints what it prints (a lot).
 */
TEST(demangle_cxx_cap_is_sharp)
{
	size_t lo = 1, hi = 4096;
	uint64_t bound = 0;
	char *sym;

	sym = doubling_symbol(12, hi);
	CHECK(demangle_cxx_bound(sym, &bound) == 1);
	free(sym);
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		sym = doubling_symbol(12, mid);
		if (demangle_cxx_bound(sym, &bound) == 0)
			lo = mid;
		else
			hi = mid;
		free(sym);
	}
	sym = doubling_symbol(12, lo);
	CHECK(demangle_cxx_bound(sym, &bound) == 0);
	CHECK(bound <= DEMANGLE_MAX_OUTPUT && bound > DEMANGLE_MAX_OUTPUT / 2);
	check_like_runtime(sym);
	free(sym);
	sym = doubling_symbol(12, hi);
	check_refused(sym);
	free(sym);
}

/* Bombs that spend time rather than output, or multiply another way. */
TEST(demangle_cxx_other_bombs_are_refused)
{
	struct fg_buf sb = FG_BUF_INIT;
	int i;

	/* (((x++)++)...)...: a pack looked for through both operands */
	fg_buf_addstr(&sb, "_Z1fDTsp");
	for (i = 0; i < 40; i++)
		fg_buf_addstr(&sb, "pp");
	fg_buf_addstr(&sb, "fp_E");
	check_refused(sb.buf);

	/* template arguments in a conversion type: the parser backtracks */
	fg_buf_reset(&sb);
	fg_buf_addstr(&sb, "_ZN1AcvT_");
	for (i = 0; i < 40; i++)
		fg_buf_addstr(&sb, "IT_");
	fg_buf_addch(&sb, 'i');
	for (i = 0; i < 40; i++)
		fg_buf_addch(&sb, 'E');
	fg_buf_addstr(&sb, "Ev");
	check_refused(sb.buf);

	/* the runtime loops forever on this one (GCC 12) */
	fg_buf_reset(&sb);
	fg_buf_addstr(&sb, "x;");
	CHECK(demangle_append(&sb, "_Z1fDTsr1fDx") == DEMANGLE_TOO_COMPLEX);
	CHECK_STREQ(sb.buf, "x;");

	/* nested pack expansions: 8^k copies */
	fg_buf_reset(&sb);
	fg_buf_addstr(&sb, "_Z1fIJiiiiiiiiEEvDp");
	for (i = 0; i < 12; i++)
		fg_buf_addstr(&sb, "1AIT_Dp");
	fg_buf_addstr(&sb, "T_");
	for (i = 0; i < 12; i++)
		fg_buf_addch(&sb, 'E');
	check_refused(sb.buf);
	fg_buf_release(&sb);
}

/*
 * Deep and substitution-heavy names from real programs, and deep ones
 * made up: demangled exactly as before.
 */
TEST(demangle_cxx_deep_real_names)
{
	static const char *const real[] = {
		/* a parameter looked up in a saved template scope */
		"_ZZNSt9once_flag18_Prepare_executionC4IZSt9call_onceIMSt6threadFvvEJPS3_EEvRS_OT_DpOT0_EUlvE_EERS8_ENUlvE_4_FUNEv",
		/* a lambda in a function template, as a template argument */
		"_ZSt16__introsort_loopIN9__gnu_cxx17__normal_iteratorIPSt4pairIPKN3lld5macho6SymbolESt6vectorINS4_12BindingEntryESaIS9_EEES8_ISC_SaISC_EEEElNS0_5__ops15_Iter_comp_iterIZ12sortBindingsIS5_ES8_IS2_IPKT_SB_ESaISN_EERKN4llvm8DenseMapISM_SB_NSQ_12DenseMapInfoISM_vEENSQ_6detail12DenseMapPairISM_SB_EEEEEUlRSL_RKT0_E_EEEvSK_SK_S11_T1_",
		"_ZN3fmt2v96detail15do_parse_arg_idIcRZNS1_11parse_widthIcRNS1_13specs_checkerINS1_13specs_handlerIcEEEEEEPKT_SB_SB_OT0_E13width_adapterEESB_SB_SB_SD_",
		"_ZN2v88internal4wasm7liftoff16EmitFloatSetCondIXadL_ZNS0_24SharedMacroAssemblerBase7UcomisdINS0_11XMMRegisterES6_JEEEvT_T0_DpT1_EEEEvPNS1_16LiftoffAssemblerENS0_9ConditionENS0_8RegisterES6_S6_",
		"_ZGVZN5boost15program_options10validators17get_single_stringIcEERKNSt7__cxx1112basic_stringIT_St11char_traitsIS5_ESaIS5_EEERKSt6vectorIS9_SaIS9_EEbE5emptyB5cxx11",
		"_ZNSt8_Rb_treeINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESt4pairIKS5_St6vectorIS5_SaIS5_EEESt10_Select1stISB_ESt4lessIS5_ESaISB_EE8_M_eraseEPSt13_Rb_tree_nodeISB_E",
		"_ZNSt6vectorISt10unique_ptrIN4llvm3opt3ArgESt14default_deleteIS3_EESaIS6_EE17_M_realloc_insertIJS6_EEEvN9__gnu_cxx17__normal_iteratorIPS6_S8_EEDpOT_",
	};
	struct fg_buf sb = FG_BUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(real); i++)
		check_like_runtime(real[i]);

	/* vector<vector<...<int>...>>, 40 deep, each with its allocator */
	fg_buf_addstr(&sb, "_Z1f");
	for (i = 0; i < 40; i++)
		fg_buf_addstr(&sb, "St6vectorI");
	fg_buf_addch(&sb, 'i');
	for (i = 0; i < 40; i++) {
		fg_buf_addstr(&sb, "SaI");
		add_sub(&sb, 2 * i + 1);
		fg_buf_addstr(&sb, "EE");
	}
	check_like_runtime(sb.buf);

	/* 200 pointer levels */
	fg_buf_reset(&sb);
	fg_buf_addstr(&sb, "_Z1f");
	for (i = 0; i < 200; i++)
		fg_buf_addch(&sb, 'P');
	fg_buf_addstr(&sb, "i");
	check_like_runtime(sb.buf);
	fg_buf_release(&sb);
}

/*
 * Invalid C++ is still "not mangled" when nothing in it could repeat
 * output; with references in it, it is not even tried.
 */
TEST(demangle_cxx_invalid)
{
	static const char *const bad[] = {
		"_Z", "_ZN1AE1", "_Z3foo.cold", "_Z1fv_", "_ZGVbN2v_cos",
		"_Z1fIiEvT0_x",	/* parses, but T0_ is not there: printing fails */
	};
	static const char *const unchecked[] = {
		"_Z1fS0_", "_Z1fS_S0_S1_", "_ZN1A1BIS3_EE",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct fg_buf out = FG_BUF_INIT;
		uint64_t bound;

		if (demangle_append(&out, bad[i]) != DEMANGLE_NONE)
			unit_fail(__FILE__, __LINE__, "'%s' gave '%s'", bad[i], out.buf);
		CHECK(demangle_cxx_bound(bad[i], &bound) != 1);
		fg_buf_release(&out);
	}
	for (i = 0; i < ARRAY_SIZE(unchecked); i++) {
		struct fg_buf out = FG_BUF_INIT;
		uint64_t bound;

		CHECK(demangle_append(&out, unchecked[i]) == DEMANGLE_TOO_COMPLEX);
		CHECK(out.len == 0);
		CHECK(demangle_cxx_bound(unchecked[i], &bound) == -1);
		fg_buf_release(&out);
	}
}

/* "_Z1fIiE", a return type of levels pointers to functions, "v". */
static char *fp_levels_symbol(int levels)
{
	struct fg_buf sb = FG_BUF_INIT;
	int i;

	fg_buf_addstr(&sb, "_Z1fIiE");
	for (i = 0; i < levels; i++)
		fg_buf_addstr(&sb, "PF");
	fg_buf_addch(&sb, 'v');
	for (i = 0; i < levels; i++)
		fg_buf_addstr(&sb, "vE");
	fg_buf_addch(&sb, 'v');
	return fg_buf_detach(&sb, NULL);
}

/* "_ZN", n times "1a", "1fIiEEvv": void a::a::...::f<int>() */
static char *scopes_symbol(int n)
{
	struct fg_buf sb = FG_BUF_INIT;
	int i;

	fg_buf_addstr(&sb, "_ZN");
	for (i = 0; i < n; i++)
		fg_buf_addstr(&sb, "1a");
	fg_buf_addstr(&sb, "1fIiEEvv");
	return fg_buf_detach(&sb, NULL);
}

/* sym demangles to exactly what __cxa_demangle() prints, return type and all. */
static void check_kept_whole(const char *sym)
{
	int status = -1;
	char *want = __cxa_demangle(sym, NULL, NULL, &status);
	char *s = demangle_symbol(sym);

	CHECK(want && !status);
	CHECK_STREQ(s, want);
	free(want);
	free(s);
}

/*
 * Shapes the scanner does not know are kept whole, return type and all:
 * libiberty's misprint of a const pointer to a function ("* constns::"),
 * a ">>" left bare in a template argument, more levels of "(*...)" or more
 * tokens on one level than it follows.
 */
TEST(demangle_cxx_unknown_shapes_kept_whole)
{
	char *sym, *s;

	check_kept_whole("_ZN2ns3cfpIiEEKPFviEv");
	check_kept_whole("_ZN2ns5shretILi4EEENS_1IIXrsT_Li1EEEEv");

	sym = fp_levels_symbol(7);
	s = demangle_symbol(sym);
	CHECK_STREQ(s, "f<int>()");
	free(s);
	free(sym);
	sym = fp_levels_symbol(8);
	check_kept_whole(sym);
	free(sym);

	sym = scopes_symbol(60);
	check_like_runtime(sym);
	free(sym);
	sym = scopes_symbol(64);
	check_kept_whole(sym);
	free(sym);
}
