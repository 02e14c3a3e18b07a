# Fuzzing (tests/fuzz/README): included at the end of the Makefile.
#
#   make fuzz-build            libFuzzer targets into $(FUZZ_O)/fuzz/
#   make fuzz SECONDS=N        build, then run each target for N seconds
#   make fuzz-replay           the replay binaries $(O)/fuzz-replay/<target>
#                              (also built by build-tests, run by t9000)
#   make fuzz-clean            remove $(FUZZ_O) (also done by clean)
#
# The targets are built with clang and their own objects (the project
# compiled with -fsanitize=fuzzer-no-link,address,undefined) in
# $(FUZZ_O), never mixed with the normal build. The replay binaries link
# the same target sources, compiled the normal way, with replay.c and
# $(O)/libfg.a.

FUZZ_O ?= build-fuzz
FUZZ_CC ?= clang
SECONDS ?= 15
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = $(BASE_CFLAGS) -g -O1 $(FUZZ_SANITIZE)

FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz-%.c,%,\
	$(filter-out tests/fuzz/fuzz-util.c,$(wildcard tests/fuzz/fuzz-*.c)))
FUZZ_BINS = $(addprefix $(FUZZ_O)/fuzz/fuzz-,$(FUZZ_TARGETS))
FUZZ_REPLAY_BINS = $(addprefix $(O)/fuzz-replay/,$(FUZZ_TARGETS))

FUZZ_CORE_OBJS = $(patsubst %.c,$(FUZZ_O)/obj/%.o,$(LIB_SRCS) $(SVG_SRCS) \
	$(PROF_SRCS) $(CLI_SRCS) $(CARGO_LIB_SRCS)) $(FUZZ_O)/obj/gen/flamegraph-js.o

$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_O)/obj/gen/flamegraph-js.c: svg/flamegraph.js $(O)/gen/gen-embed
	@mkdir -p $(@D)
	$(O)/gen/gen-embed svg_flamegraph_js $< $@

$(FUZZ_O)/obj/gen/flamegraph-js.o: $(FUZZ_O)/obj/gen/flamegraph-js.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_O)/libfg-fuzz.a: $(FUZZ_CORE_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_O)/fuzz/fuzz-%: $(FUZZ_O)/obj/tests/fuzz/fuzz-%.o \
		$(FUZZ_O)/obj/tests/fuzz/fuzz-util.o $(FUZZ_O)/libfg-fuzz.a
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SANITIZE) -o $@ $^ $(LIBS)

$(O)/fuzz-replay/%: $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/fuzz-util.o \
		$(O)/tests/fuzz/replay.o $(O)/libfg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_BIN=$(FUZZ_O)/fuzz tests/fuzz/run-fuzz.sh $(SECONDS)

fuzz-replay: $(FUZZ_REPLAY_BINS)

build-tests: $(FUZZ_REPLAY_BINS)

fuzz-clean:
	rm -rf $(FUZZ_O)

clean: fuzz-clean

.PHONY: fuzz fuzz-build fuzz-replay fuzz-clean
.PRECIOUS: $(FUZZ_O)/obj/%.o $(O)/tests/fuzz/%.o

-include $(shell find $(FUZZ_O) -name '*.d' 2>/dev/null)
