# egdi - e-government development-level evaluation engine
#
#   make            build libegdi.a and egdi
#   make deps       install the missing Debian packages (apt-get)
#   make check      deps, build, every test (normal build, then ASan+UBSan);
#                   ends with one "N passed, N failed"
#   make demo       deps, build, then the main job (egdi demo)
#   make bench      benchmarks (not tests: nothing in check is timed)
#   make install PREFIX=/usr/local
#   make SANITIZER=address,undefined check
#   make coverage
#   make valgrind   the CLI tests with egdi under valgrind (leaks, bad reads)
#   make fuzz       libFuzzer targets (clang, ASan+UBSan), each run FUZZ_SECONDS
#                   (default 600) on tests/fuzz/corpus/<target>/; new inputs
#                   merged back into the corpus (FUZZ=csv,xlsx picks targets)
#   make fuzz-min   minimize the corpora (seeds and crash-* inputs kept)

PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
SANITIZER ?=

PKGS      := gsl sqlite3 xlsxwriter libzip expat jansson libcrypto zlib
WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
CPPFLAGS  += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -I$(BUILD)
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 $(WARN) -MMD -MP
LDLIBS    += -lcsv -lm

ifneq ($(SANITIZER),)
  CFLAGS  += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=$(SANITIZER)
  BUILD   := build-san
endif
ifeq ($(FUZZING),1)
  CC      := clang
  CFLAGS  += -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
  BUILD   := build-fuzz
endif
ifeq ($(COVERAGE),1)
  CFLAGS  += --coverage -O0
  LDFLAGS += --coverage
  BUILD   := build-cov
endif

# pkg-config is asked only when building, so `make deps` works before the
# packages are there.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRC   := $(wildcard engine/*/*.c indicators/*.c surveys/*.c reports/*.c)
CLI_SRC   := $(wildcard cli/*.c)
DATA      := $(sort $(shell find data -type f 2>/dev/null))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/embedded.o
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC  := $(wildcard tests/unit/test_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

all: $(BUILD)/libegdi.a $(BUILD)/egdi egdi

egdi: $(BUILD)/egdi
	@ln -sf $(BUILD)/egdi egdi

$(BUILD)/libegdi.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/egdi: $(CLI_OBJ) $(BUILD)/libegdi.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libegdi.a $(PKG_LIBS) $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

# Built-in data (models, sample tables) compiled into the program.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -Wall -Wextra -o $@ $<

$(BUILD)/embedded.c: $(BUILD)/tools/embed $(DATA)
	$(BUILD)/tools/embed $@ $(DATA)

$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

# Unit tests: one cmocka program per tests/unit/test_*.c
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libegdi.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libegdi.a $(PKG_LIBS) -lcmocka $(LDLIBS)

# test_cli_options tests the option tables of the program (cli/options.c)
# and test_cli_i18n its translation tables (cli/i18n.c), which are not in
# libegdi.a: they link the cli objects they need.
CLI_TEST_OBJ := $(BUILD)/cli/options.o $(BUILD)/cli/errors.o $(BUILD)/cli/out.o $(BUILD)/cli/i18n.o \
                $(BUILD)/cli/i18n_help.o $(BUILD)/cli/i18n_errors.o $(BUILD)/cli/error_text.o
$(BUILD)/tests/test_cli_options $(BUILD)/tests/test_cli_i18n: $(BUILD)/tests/%: tests/unit/%.c \
    $(CLI_TEST_OBJ) $(BUILD)/libegdi.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(CLI_TEST_OBJ) \
	    $(BUILD)/libegdi.a $(PKG_LIBS) -lcmocka $(LDLIBS)

# Fuzz targets replayed over their corpora without libFuzzer.
$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libegdi.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	    $(BUILD)/libegdi.a $(PKG_LIBS) $(LDLIBS)

# The benchmark harness is built (not run: nothing in check is timed) so a
# change that breaks it fails `make check`; bench/run.sh builds its own copy
# with -march=native for `make bench`.
$(BUILD)/tests/bench: bench/bench.c $(BUILD)/libegdi.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libegdi.a \
	    $(PKG_LIBS) $(LDLIBS)

tests: $(TEST_BIN) $(FUZZ_REPLAY) $(BUILD)/tests/bench

# libFuzzer binaries (only with FUZZING=1: clang, build-fuzz/)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libegdi.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
	    $(BUILD)/libegdi.a $(PKG_LIBS) $(LDLIBS)

fuzz-build:
	@$(MAKE) --no-print-directory FUZZING=1 fuzz-bins
fuzz-bins: $(FUZZ_BIN)

FUZZ_SECONDS ?= 600
FUZZ ?=
fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ="$(FUZZ)" tests/fuzz/run.sh

# Minimizes the corpora (keeps named seeds and crash-* regression inputs).
fuzz-min: fuzz-build
	@tests/fuzz/minimize.sh

# `make check` runs the suite twice: in the normal build, then with
# CHECK_SANITIZER (default address,undefined) in build-san; one final line
# sums both.  CHECK_SANITIZER= skips the second run; `make check
# SANITIZER=...` runs only the sanitized build.
CHECK_SANITIZER ?= address,undefined
CHECK_SECOND := $(if $(SANITIZER),,$(CHECK_SANITIZER))
check: deps
	@$(MAKE) --no-print-directory all tests
ifneq ($(CHECK_SECOND),)
	@$(MAKE) --no-print-directory SANITIZER=$(CHECK_SECOND) all tests
	@BUILD="$(BUILD) build-san" tests/run.sh
else
	@BUILD=$(BUILD) tests/run.sh
endif

demo: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/egdi demo -o demo-out

valgrind: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/valgrind.sh

bench:
	@tools/deps.sh bench
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bench/run.sh

deps:
	@tools/deps.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/egdi
	install -m 755 $(BUILD)/egdi $(DESTDIR)$(PREFIX)/bin/egdi
	cp -R data/. $(DESTDIR)$(PREFIX)/share/egdi/

coverage:
	@$(MAKE) --no-print-directory COVERAGE=1 all tests
	@BUILD=build-cov tests/run.sh
	for d in engine/core engine/readers engine/store engine/import indicators surveys reports cli; do gcov -o build-cov/$$d $$d/*.c; done >/dev/null 2>&1 || true

clean:
	rm -rf build build-san build-cov build-fuzz egdi

.PHONY: all check demo bench valgrind deps install coverage clean tests fuzz fuzz-build fuzz-bins fuzz-min

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
