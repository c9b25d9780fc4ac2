# Makefile: builds litrule out of tree into $(BUILD) (default build/).
#
#   make                 the compiler build/litrule, the runtime library, pkg-config file
#   make test            unit (cmocka), golden diagnostic, end-to-end and example tests,
#                        litrule verify on the flagship (its summary line), the mutation
#                        script, no absolute home or work paths in tracked files, and
#                        make install (tests/install/run.sh); each group prints its
#                        summary line, or its whole output when it fails
#   make mutation        mutants of the flagship rule set: verify or test must fail on each
#   make check-sanitize  the same tests built with ASan+UBSan in build/asan
#   make check-valgrind  unit tests and end-to-end runs under valgrind
#   make check-clang     the build and unit tests with clang (warnings are errors)
#   make browser         the woven book (litrule weave rules/) in headless chromium;
#                        screenshots build/book-phone.png and build/book-desktop.png
#   make check           test, sanitize, valgrind, clang and browser, each with its
#                        output in build/log/check-SUITE.log; ends with one line per
#                        suite and the verdict
#   make install         PREFIX=/usr/local, DESTDIR: litrule, liblitrule.a, the runtime
#                        headers, lib/pkgconfig/litrule.pc (relocatable); make uninstall
#   make demo            the README's main job: check, test and run the flagship rules
#   make fuzz            runs each libFuzzer target for FUZZ_SECONDS (clang);
#                        FUZZ_TARGETS="fuzz_gen" runs only those
#   make bench           speed figures (check of 10,000 rules; evaluation)
#
# V=1 shows full command lines and every test's output.  WERROR= turns
# warnings back into warnings.

BUILD ?= build
CC ?= cc
WERROR ?= -Werror
OPT ?= -O2 -g
SANITIZE ?=
FUZZ_SECONDS ?= 60

ifeq ($(origin CC),default)
CC := cc
endif

WARN := -std=c11 -pedantic -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wvla -fno-common $(WERROR)
SANFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer,)
PKGS := libgit2 jansson libcmark-gfm libutf8proc libcrypto z3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iruntime/include -Icompiler -Icli -I$(BUILD)/grammar -I.
CFLAGS_ALL = $(OPT) $(SANFLAGS) $(CPPFLAGS) -MMD -MP
LDFLAGS_ALL = $(SANFLAGS)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

RUNTIME_SRC := $(wildcard runtime/*.c)
COMPILER_SRC := $(wildcard compiler/*.c)
CLI_SRC := $(filter-out cli/main.c,$(wildcard cli/*.c))
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/%.o)
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/%.o) $(BUILD)/grammar/parser.o $(BUILD)/grammar/lexer.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
AUDIT_SRC := $(wildcard audit/*.c)
AUDIT_OBJ := $(AUDIT_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all test check check-sanitize check-valgrind check-clang demo fuzz fuzz-replay bench clean unit golden e2e \
	codegen rules-test abs-paths mutation install uninstall install-test browser ci-selftest
all: $(BUILD)/litrule $(BUILD)/liblitrule.a $(BUILD)/libcli.a $(BUILD)/libaudit.a $(BUILD)/litrule.pc

# Rebuild everything when the flags change (git's GIT-CFLAGS idea).
$(BUILD)/.cflags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS)' > $@
FORCE:

# ---- grammar (generated code gets its own, relaxed flags) ----
$(BUILD)/grammar/parser.c: grammar/parser.y
	$(call say,BISON,$<)
	@mkdir -p $(@D)
	$(Q)bison -Wall -Werror --defines=$(BUILD)/grammar/parser.h -o $@ $<
$(BUILD)/grammar/parser.h: $(BUILD)/grammar/parser.c
$(BUILD)/grammar/lexer.c: grammar/lexer.l
	$(call say,FLEX,$<)
	@mkdir -p $(@D)
	$(Q)flex --header-file=$(BUILD)/grammar/lexer.h -o $@ $<
$(BUILD)/grammar/lexer.h: $(BUILD)/grammar/lexer.c

GEN_RELAX := -std=c11 -Wall -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare \
	-Wno-unused-but-set-variable -Wno-unknown-warning-option
$(BUILD)/grammar/%.o: $(BUILD)/grammar/%.c $(BUILD)/grammar/parser.h $(BUILD)/grammar/lexer.h $(BUILD)/.cflags
	$(call say,CC,$<)
	$(Q)$(CC) $(CFLAGS_ALL) $(GEN_RELAX) $(PKG_CFLAGS) -c -o $@ $<

# ---- hand-written code: strict flags ----
$(BUILD)/compiler/%.o: compiler/%.c $(BUILD)/grammar/parser.h $(BUILD)/grammar/lexer.h $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS) -c -o $@ $<
$(BUILD)/cli/%.o: cli/%.c $(BUILD)/grammar/parser.h $(BUILD)/grammar/lexer.h $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS) -c -o $@ $<
# audit/: the libgit2 layer of `litrule audit` (toolchain only, never runtime/)
$(BUILD)/audit/%.o: audit/%.c $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS) -c -o $@ $<
$(BUILD)/runtime/%.o: runtime/%.c $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) -c -o $@ $<

$(BUILD)/liblitrule.a: $(RUNTIME_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
# build/litrule.pc serves in-tree uses (the library in build/, the headers in
# runtime/include); the installed one is relocatable (install, below).
$(BUILD)/litrule.pc: runtime/litrule.pc.in
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(abspath $(BUILD))|g' -e 's|@LIBDIR@|$${prefix}|g' \
		-e 's|@INCLUDEDIR@|$(abspath runtime/include)|g' $< > $@
$(BUILD)/libcompiler.a: $(COMPILER_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/libcli.a: $(CLI_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/libaudit.a: $(AUDIT_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(BUILD)/litrule: $(BUILD)/cli/main.o $(BUILD)/libcli.a $(BUILD)/libaudit.a $(BUILD)/libcompiler.a $(BUILD)/liblitrule.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# ---- tests ----
$(BUILD)/tests/%.o: tests/unit/%.c $(BUILD)/grammar/parser.h $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) $(PKG_CFLAGS) -c -o $@ $<
$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(BUILD)/libcompiler.a $(BUILD)/liblitrule.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lcmocka -pthread

# The audit tests share a fixture (temporary repositories built with git).
$(BUILD)/tests/test_audit_%: $(BUILD)/tests/test_audit_%.o $(BUILD)/tests/audit_fixture.o $(BUILD)/libaudit.a \
		$(BUILD)/libcompiler.a $(BUILD)/liblitrule.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -lcmocka -pthread

# Each test group keeps its output in $(LOGDIR)/GROUP.log and prints its
# summary line, or the whole log when it fails (tests/ci/quiet.sh); V=1
# prints everything.
LOGDIR = $(BUILD)/log
quiet = sh tests/ci/quiet.sh $(LOGDIR) $(1)

# cmocka's per-test lines stay in $(LOGDIR)/unit/ unless a program fails.
# The unit tests' objects are intermediate files of a pattern chain: kept,
# so that make does not end its output by deleting them.
.SECONDARY: $(UNIT_BIN:%=%.o) $(BUILD)/tests/audit_fixture.o
unit: $(UNIT_BIN)
	@sh tests/ci/unit.sh $(LOGDIR) $(UNIT_BIN)

golden: $(BUILD)/litrule
	@$(call quiet,golden) sh tests/golden/run.sh $(BUILD)/litrule

e2e: all
	@$(call quiet,e2e) sh tests/e2e/run.sh $(BUILD) $(CC)

codegen: all
	@LITRULE_LINK_FLAGS='$(SANFLAGS)' $(call quiet,codegen) sh tests/codegen/run.sh $(BUILD) $(CC)

# verify prints its summary line (counts per check) on standard error: it
# is the group's summary line.
rules-test: all
	@$(call quiet,rules-test) sh -c '$(BUILD)/litrule check --werror rules/ && \
		$(BUILD)/litrule test rules/ && $(BUILD)/litrule verify rules/'

# Each mutant of rules/ must make verify or test fail (about 2 s).
mutation: all
	@$(call quiet,mutation) sh tests/mutation/run.sh $(BUILD)

# The quiet drivers above still fail, and still show why (tests/ci/).
ci-selftest:
	@$(call quiet,ci-selftest) sh tests/ci/selftest.sh

# An absolute home or work path in a tracked file names one machine.
abs-paths:
	@$(call quiet,abs-paths) sh tests/check_abs_paths.sh .

# The fuzz targets' pipeline without libFuzzer: replays the seeds and the
# saved reproducers (tests/fuzz/replay.sh) so fixed crashes stay fixed.
FUZZ_REPLAY := $(BUILD)/tests/fuzz_replay_pipeline $(BUILD)/tests/fuzz_replay_gen $(BUILD)/tests/fuzz_replay_verify
.SECONDARY: $(patsubst %,$(BUILD)/tests/fuzz/%.o,replay pipeline fuzz_pipeline fuzz_gen fuzz_verify)
$(BUILD)/tests/fuzz/%.o: tests/fuzz/%.c $(BUILD)/grammar/parser.h $(BUILD)/.cflags
	$(call say,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS_ALL) $(WARN) -Itests/fuzz $(PKG_CFLAGS) -c -o $@ $<
$(BUILD)/tests/fuzz_replay_%: $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/pipeline.o $(BUILD)/libcompiler.a $(BUILD)/liblitrule.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)
fuzz-replay: $(FUZZ_REPLAY)
	@$(call quiet,fuzz-replay) sh -c 'sh tests/fuzz/replay.sh $(BUILD) && \
		echo "fuzz-replay: the seeds and saved reproducers of the pipeline, verify and generator targets replayed"'

test: all unit golden e2e codegen rules-test mutation fuzz-replay abs-paths install-test ci-selftest
	@echo "make test: all test groups passed"

check-sanitize:
	$(MAKE) BUILD=build/asan SANITIZE=address,undefined OPT="-O1 -g" test

check-valgrind: $(UNIT_BIN) $(BUILD)/litrule
	@sh tests/valgrind.sh $(BUILD)

# The hand-written code must also build warning-free with clang.
check-clang:
	$(MAKE) BUILD=build/clang CC=clang all unit

# The woven book in headless chromium (tests/browser/run.sh), after a
# self-test proving the checker fails on broken books.  BOOK=DIR checks an
# existing book instead of weaving rules/ (BOOK=tests/browser/fixture: the
# hand-written one).
browser: all
	@$(call quiet,browser-selftest) python3 tests/browser/selftest.py $(BUILD)/litrule
	@$(call quiet,browser) sh tests/browser/run.sh $(BUILD)

# Every suite runs, each with its output in $(LOGDIR)/check-SUITE.log; the
# last lines are one per suite and the verdict (tests/ci/check.sh).
CHECK_SUITES := test sanitize valgrind clang browser
check:
	@sh tests/ci/check.sh '$(MAKE)' $(LOGDIR) $(CHECK_SUITES)

demo: all
	@sh examples/demo.sh $(BUILD)/litrule

fuzz:
	@FUZZ_TARGETS='$(FUZZ_TARGETS)' sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: all
	@sh bench/run.sh $(BUILD)

# ---- install ----
# make install [PREFIX=/usr/local] [DESTDIR=...]: the compiler, the runtime
# library, the headers generated code includes (litrule.h and the table and
# op headers) and a litrule.pc whose paths are relative to its own place
# (${pcfiledir}), so the tree works wherever it is copied or unpacked.
PREFIX ?= /usr/local
INSTALL ?= install
RUNTIME_HEADERS := $(wildcard runtime/include/*.h)
IBIN = $(DESTDIR)$(PREFIX)/bin
ILIB = $(DESTDIR)$(PREFIX)/lib
IINC = $(DESTDIR)$(PREFIX)/include
install: all
	$(call say,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d '$(IBIN)' '$(ILIB)/pkgconfig' '$(IINC)'
	$(Q)$(INSTALL) -m 755 $(BUILD)/litrule '$(IBIN)/litrule'
	$(Q)$(INSTALL) -m 644 $(BUILD)/liblitrule.a '$(ILIB)/liblitrule.a'
	$(Q)$(INSTALL) -m 644 $(RUNTIME_HEADERS) '$(IINC)/'
	$(Q)sed -e 's|@PREFIX@|$${pcfiledir}/../..|g' -e 's|@LIBDIR@|$${prefix}/lib|g' \
		-e 's|@INCLUDEDIR@|$${prefix}/include|g' runtime/litrule.pc.in > '$(ILIB)/pkgconfig/litrule.pc'
	$(Q)chmod 644 '$(ILIB)/pkgconfig/litrule.pc'
uninstall:
	$(call say,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f '$(IBIN)/litrule' '$(ILIB)/liblitrule.a' '$(ILIB)/pkgconfig/litrule.pc' \
		$(patsubst runtime/include/%,'$(IINC)/%',$(RUNTIME_HEADERS))

# make install into a temporary DESTDIR, then the embedding example built
# against it with pkg-config only, and make uninstall.
install-test: all
	@$(call quiet,install) sh tests/install/run.sh $(BUILD) $(CC) '$(MAKE)' '$(SANFLAGS)'

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
