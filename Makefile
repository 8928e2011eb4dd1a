# wasmbox — GNU make build.
#
#   make            optimised build/wasmbox and build/libwasmbox.a
#   make run        install build deps, build, run the bundled example
#   make test       install test deps, build with ASan+UBSan, run every suite
#   make fuzz       fuzz with libFuzzer (FUZZ_SECONDS=N, FUZZ_TARGET=module|exec|http|cgi)
#   make bench      benchmarks: ratios to native code, start-up, embedding costs
#   make bench-serve  wrk against `wasmbox serve` and nginx
#   make clean
#
# Objects of each flavour live in their own folder: build/release, build/asan.

CC        ?= cc
ifeq ($(origin CC),default)
CC        := cc
endif
CLANG     ?= clang
BUILD     := build
CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS  += -Iinclude -Isrc
CFLAGS    ?= -O2 -g
BASEFLAGS := $(CSTD) $(WARN) -fvisibility=hidden -MMD -MP
SANFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDLIBS    += -lm

# Library sources (libwasmbox.a, for embedders): the engine, its platform
# layer and the WASI host. The layers above them (sandbox policy, the HTTP
# server) go into the CLI with it; they need libyaml and http-parser.
LIB_SRC   := $(sort $(wildcard src/platform/*.c src/engine/*.c src/wasi/*.c))
APP_SRC   := $(sort $(wildcard src/sandbox/*.c src/serve/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c)) $(APP_SRC)
APP_LIBS  := -lyaml -lhttp_parser -lpthread
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
SPEC_SRC  := $(sort $(wildcard tests/spec/*.c))

# Sanitized objects of gcc and clang builds are kept apart (their runtimes differ).
REL       := $(BUILD)/release
ASAN      := $(BUILD)/asan$(if $(filter clang%,$(notdir $(CC))),-clang)

.PHONY: all run test fuzz clean deps-build deps-test unit spec fuzz-replay
# keep the objects pattern rules make on the way (fuzz builds)
.SECONDARY:
all: $(BUILD)/wasmbox $(BUILD)/libwasmbox.a

# ---------------------------------------------------------------- release
$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libwasmbox.a: $(LIB_SRC:%.c=$(REL)/%.o)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The CLI is linked statically: no dynamic loading at every start (about
# 0.2 ms of a 0.8 ms cold start). `make STATIC=` links it dynamically.
STATIC    ?= -static
$(BUILD)/wasmbox: $(CLI_SRC:%.c=$(REL)/%.o) $(BUILD)/libwasmbox.a
	$(CC) $(CFLAGS) $(STATIC) -o $@ $^ $(LDFLAGS) $(APP_LIBS) $(LDLIBS)

# ---------------------------------------------------------------- sanitized
$(ASAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CPPFLAGS) $(SANFLAGS) -c $< -o $@

$(ASAN)/libwasmbox.a: $(LIB_SRC:%.c=$(ASAN)/%.o)
	rm -f $@ && ar rcs $@ $^

$(ASAN)/wasmbox: $(CLI_SRC:%.c=$(ASAN)/%.o) $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ $(APP_LIBS) $(LDLIBS)

$(ASAN)/unit-tests: $(UNIT_SRC:%.c=$(ASAN)/%.o) $(ASAN)/tests/unit/unit_main.o \
		$(APP_SRC:%.c=$(ASAN)/%.o) $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ $(APP_LIBS) $(LDLIBS)

$(ASAN)/spec-runner: $(SPEC_SRC:%.c=$(ASAN)/%.o) $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ -lcjson $(LDLIBS)

$(ASAN)/fuzz-replay: $(ASAN)/tests/fuzz/fuzz_module.o $(ASAN)/tests/fuzz/replay_main.o $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(ASAN)/fuzz-exec-replay: $(ASAN)/tests/fuzz/fuzz_exec.o $(ASAN)/tests/fuzz/replay_main.o $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

# The targets of the serve layer (HTTP requests, CGI) need its objects and libraries.
$(ASAN)/fuzz-http-replay $(ASAN)/fuzz-cgi-replay: $(ASAN)/fuzz-%-replay: $(ASAN)/tests/fuzz/fuzz_%.o \
		$(ASAN)/tests/fuzz/replay_main.o $(APP_SRC:%.c=$(ASAN)/%.o) $(ASAN)/libwasmbox.a
	$(CC) $(SANFLAGS) -o $@ $^ $(APP_LIBS) $(LDLIBS)

# libFuzzer needs clang; objects are built apart so flags never mix.
FUZZFLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BASEFLAGS) $(CPPFLAGS) $(FUZZFLAGS) -c $< -o $@

# FUZZ_TARGET=module (decode + validate, the default), exec (also runs),
# http (the request reader of serve) or cgi (WAGI: handler output, environment).
FUZZ_TARGET ?= module
$(BUILD)/fuzz-%: $(LIB_SRC:%.c=$(BUILD)/fuzz/%.o) $(APP_SRC:%.c=$(BUILD)/fuzz/%.o) \
		$(BUILD)/fuzz/tests/fuzz/fuzz_%.o
	$(CLANG) $(FUZZFLAGS) -o $@ $^ $(APP_LIBS) $(LDLIBS)

# ---------------------------------------------------------------- workflows
deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

run: deps-build
	@$(MAKE) --no-print-directory all
	@scripts/run-example.sh

test: deps-test
	@$(MAKE) --no-print-directory all $(ASAN)/wasmbox $(ASAN)/unit-tests $(ASAN)/spec-runner \
		$(ASAN)/fuzz-replay $(ASAN)/fuzz-exec-replay $(ASAN)/fuzz-http-replay $(ASAN)/fuzz-cgi-replay
	@ASAN_DIR=$(ASAN) scripts/run-tests.sh

FUZZ_SECONDS ?= 60
fuzz: deps-test
	@$(MAKE) --no-print-directory $(BUILD)/fuzz-$(FUZZ_TARGET)
	@FUZZER=$(BUILD)/fuzz-$(FUZZ_TARGET) scripts/fuzz.sh $(FUZZ_SECONDS)

# ---------------------------------------------------------------- bench
.PHONY: bench deps-bench
deps-bench:
	@scripts/install-deps.sh bench

# In-process embedding costs, through the public API of the optimised library.
$(BUILD)/bench/embed_bench: bench/embed_bench.c include/wasmbox.h $(BUILD)/libwasmbox.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -Iinclude $(CFLAGS) -o $@ $< $(BUILD)/libwasmbox.a $(LDLIBS)

bench: deps-bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench/embed_bench
	@scripts/bench.sh

# wrk against `wasmbox serve` (a fresh sandbox per request) and nginx.
.PHONY: bench-serve
bench-serve:
	@scripts/install-deps.sh serve-bench
	@$(MAKE) --no-print-directory all
	@scripts/bench-serve.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
