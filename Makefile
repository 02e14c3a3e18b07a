# flamegraph: build, test, install.
#
#   make                 build build/bin/flamegraph (and cargo-flamegraph)
#   make check           install test dependencies, build, run every test
#   make check-stats     the statistical proofs of run comparisons (slow)
#   make asan            build with ASan+UBSan into build-asan/ and run the tests
#   make valgrind        the tests with every program under valgrind (slow)
#   make bench           benchmarks (ratios and figures with their targets)
#   make install PREFIX=/usr/local
#   make clean
#
# Variables: CC (gcc or clang), O=DIR (build directory, default build),
# SANITIZE=1 (ASan+UBSan), DEVELOPER=0 to drop -Werror.

CC ?= gcc
O ?= build
PREFIX ?= /usr/local
DEVELOPER ?= 1

CFLAGS ?= -O2 -g
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -MMD -MP
ifeq ($(DEVELOPER),1)
BASE_CFLAGS += -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wvla -Wwrite-strings -Wformat-security -fno-common
endif
ifeq ($(SANITIZE),1)
BASE_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
LIBS = -lcjson -ldw -lelf -ldeflate -lzstd -lstdc++ -lm -lpthread

# The architecture: profiler/arch/$(ARCH)/ is built, and its arch-defs.h
# is found through the include path (profiler/arch.h says what it holds).
ARCH ?= $(shell uname -m)
ARCH_DIRS = $(patsubst profiler/arch/%/,%,$(wildcard profiler/arch/*/))
ifeq ($(filter $(ARCH),$(ARCH_DIRS)),)
$(error unsupported architecture '$(ARCH)' (set ARCH, else uname -m): profiler/arch/ has $(ARCH_DIRS))
endif
BASE_CFLAGS += -Iprofiler/arch/$(ARCH)

LIB_SRCS = $(wildcard lib/*.c)
SVG_SRCS = $(filter-out svg/gen-embed.c,$(wildcard svg/*.c))
PROF_SRCS = $(wildcard profiler/*.c profiler/arch/$(ARCH)/*.c)
CLI_SRCS = $(filter-out cli/flamegraph.c,$(wildcard cli/*.c))
GEN_SRCS = $(O)/gen/flamegraph-js.c

CORE_OBJS = $(patsubst %.c,$(O)/%.o,$(LIB_SRCS) $(SVG_SRCS) $(PROF_SRCS) $(CLI_SRCS) \
	$(CARGO_LIB_SRCS)) \
	$(O)/gen/flamegraph-js.o
UNIT_SRCS = $(wildcard tests/unit/t-*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))

CARGO_SRCS = $(wildcard cargo-flamegraph/*.c)
CARGO_LIB_SRCS = $(filter-out cargo-flamegraph/main.c,$(CARGO_SRCS))

PROGRAMS = $(O)/bin/flamegraph
ifneq ($(CARGO_SRCS),)
PROGRAMS += $(O)/bin/cargo-flamegraph
endif
TEST_PROGRAMS = $(O)/bin/test-tool $(UNIT_BINS)
BENCH_PROGRAMS = $(O)/bin/gen-bench-input $(O)/bin/measure

MAN_PAGES = $(patsubst $(O)/bin/%,$(O)/man/%.1,$(PROGRAMS))

all: $(PROGRAMS) $(MAN_PAGES)

# Manual pages come from the options tables (the hidden --man option).
$(O)/man/%.1: $(O)/bin/%
	@mkdir -p $(@D)
	$< --man >$@.tmp && mv $@.tmp $@

$(O)/libfg.a: $(CORE_OBJS) Makefile
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(filter %.o,$^)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/%.o: $(O)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/gen-embed: svg/gen-embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<

$(O)/gen/flamegraph-js.c: svg/flamegraph.js $(O)/gen/gen-embed
	$(O)/gen/gen-embed svg_flamegraph_js $< $@

$(O)/bin/flamegraph: $(O)/cli/flamegraph.o $(O)/libfg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

HELPER_OBJS = $(patsubst %.c,$(O)/%.o,$(wildcard tests/helper/*.c))

$(O)/bin/cargo-flamegraph: $(O)/cargo-flamegraph/main.o $(O)/libfg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(O)/bin/test-tool: $(HELPER_OBJS) $(O)/libfg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(O)/bin/%: $(O)/bench/%.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(O)/tests/t-%: $(O)/tests/unit/t-%.o $(O)/tests/unit/unit.o $(O)/libfg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

build-tests: $(PROGRAMS) $(TEST_PROGRAMS) $(BENCH_PROGRAMS) $(MAN_PAGES)

# The test suite installs what it needs (packages through install.sh,
# the browser test's npm module) unless FG_NO_INSTALL=1.
check:
	@if [ "$(FG_NO_INSTALL)" != 1 ]; then ./install.sh --test-deps; fi
	$(MAKE) build-tests
	@FG_BUILD=$(O) tests/run-tests.sh

# The statistical proofs of --diff-base (tests/stats: 20 comparisons of
# repeated runs, quiet and with the other core busy), which CI runs.
check-stats:
	@if [ "$(FG_NO_INSTALL)" != 1 ]; then ./install.sh --test-deps; fi
	$(MAKE) build-tests
	@FG_BUILD=$(O) FG_SUITE=stats FG_JOBS=1 tests/run-tests.sh

asan:
	@if [ "$(FG_NO_INSTALL)" != 1 ]; then ./install.sh --test-deps; fi
	$(MAKE) O=build-asan SANITIZE=1 CC=clang CFLAGS="-O1 -g" build-tests
	@FG_BUILD=build-asan FG_ASAN=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 tests/run-tests.sh

# The test suite with every program under valgrind's memcheck (slow).
valgrind:
	@if [ "$(FG_NO_INSTALL)" != 1 ]; then ./install.sh --test-deps; fi
	$(MAKE) build-tests
	@O=$(O) tests/valgrind.sh

bench: $(PROGRAMS) $(BENCH_PROGRAMS)
	@FG_BUILD=$(O) bench/run-bench.sh

install: $(PROGRAMS) $(MAN_PAGES)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan build-clang build-valgrind

.PHONY: all check check-stats asan valgrind bench install clean build-tests

-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Fuzzing targets (tests/fuzz/README).
-include tests/fuzz/fuzz.mk
