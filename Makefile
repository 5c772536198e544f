# verbatim: a plain Makefile (CFLAGS, PREFIX and DESTDIR are respected).
#
#   make            build build/verbatim
#   make check      install missing packages, build, run every test (also under
#                   AddressSanitizer + UBSan, and the CLI tests under valgrind)
#   make demo       install, build, report on the bundled example
#   make bench      benchmarks (ratios against baselines run alongside)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
BUILD   ?= build

CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS    := md4c md4c-html yaml-0.1 zlib
# utf8proc: case folding, normalization and character classes (src/utf8.c)
PKGS    += libutf8proc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) libgit2 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libgit2: its headers at build time; verbatim loads the library by its
# soname when a command first needs it (src/git.h).  The unit tests call
# libgit2 themselves and link it.
GIT_LIBS   := $(shell pkg-config --libs libgit2 2>/dev/null)
GIT_SONAME := $(shell objdump -p "$$(pkg-config --variable=libdir libgit2 2>/dev/null)/libgit2.so" \
                2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
WARN    := -DVB_VERSION=\"0.1.0\" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla
ALL_CFLAGS := $(WARN) -Iinclude $(PKG_CFLAGS) -pthread -MMD -MP $(CFLAGS) $(SANFLAGS)
LIBS    := $(PKG_LIBS) -pthread -lm

LIB_SRC  := $(sort $(wildcard src/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check tests test test-asan test-valgrind demo bench install uninstall clean fuzz format lint
all: $(BUILD)/verbatim

deps:
	@sh .ci/deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/src/git.o: ALL_CFLAGS += $(if $(GIT_SONAME),-DVB_LIBGIT2_SONAME=\"$(GIT_SONAME)\")

$(BUILD)/libverbatim.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/verbatim: $(CMD_OBJ) $(BUILD)/libverbatim.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libverbatim.a $(LIBS) $(LDFLAGS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libverbatim.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libverbatim.a $(LIBS) $(GIT_LIBS) $(LDFLAGS)

tests: $(BUILD)/verbatim $(TEST_BIN)

# The plain suite, then the same suite built with sanitizers, then the CLI
# tests under valgrind; one summary line at the end.
check:
	@sh .ci/deps check
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory BUILD=build-asan \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		CFLAGS="-O1 -g" tests
	@sh tests/run.sh

test: tests
	@VB_SUITES=plain sh tests/run.sh

# Packages first, then a sub-make, so that pkg-config sees them.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(BUILD)/verbatim

bench:
	@sh .ci/deps bench
	@$(MAKE) --no-print-directory all
	@sh tests/bench/run.sh $(BUILD)/verbatim

# libFuzzer targets (clang), each for FUZZ_SECONDS (default 60); see tests/fuzz/run.sh
fuzz:
	@sh .ci/deps fuzz
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) sh tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/verbatim $(DESTDIR)$(BINDIR)/verbatim
	for m in cmd/man/*.1; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1/; done; true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/verbatim
	for m in cmd/man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done; true

# Shell completions (completions/) go with make install.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
.PHONY: install-completions uninstall-completions
install: install-completions
uninstall: uninstall-completions
install-completions:
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 completions/verbatim.bash $(DESTDIR)$(BASHCOMPDIR)/verbatim
	install -m 644 completions/_verbatim $(DESTDIR)$(ZSHCOMPDIR)/_verbatim
	install -m 644 completions/verbatim.fish $(DESTDIR)$(FISHCOMPDIR)/verbatim.fish
uninstall-completions:
	rm -f $(DESTDIR)$(BASHCOMPDIR)/verbatim $(DESTDIR)$(ZSHCOMPDIR)/_verbatim \
		$(DESTDIR)$(FISHCOMPDIR)/verbatim.fish

format:
	clang-format -i $(LIB_SRC) $(CMD_SRC) $(TEST_SRC) include/verbatim/*.h

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr -Iinclude --suppress=missingIncludeSystem src cmd

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(TEST_SRC:%.c=$(BUILD)/%.d)
.SECONDARY:
