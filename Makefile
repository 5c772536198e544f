# verbatim: a plain Makefile.  CC, CPPFLAGS, CFLAGS, LDFLAGS, PKG_CONFIG,
# PREFIX and DESTDIR are respected.
#
#   make            build build/verbatim (warnings are not errors: WERROR=1 makes them so)
#   make check      install missing packages, build, run every test (also under
#                   AddressSanitizer + UBSan, the CLI tests under valgrind, the
#                   unit tests built with clang), with WERROR=1
#   make check-platforms   make check in Debian 12 and 13 containers (docker or podman)
#   make demo       install, build, report on the bundled example
#   make bench      benchmarks (ratios against baselines run alongside)
#   make eval       how well emerging and fading themes are found (tests/eval)
#   make install    PREFIX=/usr/local DESTDIR=
#   make dist       verbatim-$(VERSION).tar.gz from git archive HEAD
#   make deb        $(DEBDIR)/verbatim_$(VERSION)_<arch>.deb with dpkg-deb (DEBDIR=build)
#   make GIT_LINK=1 link libgit2 normally instead of loading it when needed
#   make compat-headers   other libgit2 and md4c releases for tests/cli/build-compat.sh

VERSION := $(shell cat VERSION)
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
BUILD   ?= build
DISTDIR ?= .
DEBDIR  ?= $(BUILD)
# where releases are published (packaging/names): init's workflows use them
ACTION_REPO ?= $(shell sed -n 's/^ACTION_REPO=//p' packaging/names)
IMAGE       ?= $(shell sed -n 's/^IMAGE=//p' packaging/names)

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config
# -Werror in the project's own checks only (make check, .ci/run): a newer
# compiler's new warning must not stop someone's build
ifneq ($(filter check,$(MAKECMDGOALS)),)
WERROR  ?= 1
endif
WERROR  ?= 0
GIT_LINK ?= 0

# pkg-config name and the Debian package that provides it
PKGS    := md4c yaml-0.1 zlib
APT_md4c     := libmd4c-dev
APT_yaml-0.1 := libyaml-dev
APT_zlib     := zlib1g-dev
APT_libgit2  := libgit2-dev
# utf8proc: case folding, normalization and character classes (src/utf8.c)
PKGS    += libutf8proc
APT_libutf8proc := libutf8proc-dev
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) libgit2 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# libgit2: its headers at build time; verbatim loads the library by its
# soname when a command first needs it (src/git.h), unless GIT_LINK=1 links
# it like any other library.  The unit tests call libgit2 themselves and
# link it.
GIT_LIBS   := $(shell $(PKG_CONFIG) --libs libgit2 2>/dev/null)
GIT_SONAME := $(shell objdump -p "$$($(PKG_CONFIG) --variable=libdir libgit2 2>/dev/null)/libgit2.so" \
                2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
# md4c has no version at run time: --version shows the one built against
MD4C_VERSION := $(shell $(PKG_CONFIG) --modversion md4c 2>/dev/null)
WARN    := -std=c11 -D_GNU_SOURCE -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow \
           -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes -Wvla
ALL_CFLAGS := $(WARN) -Iinclude $(PKG_CFLAGS) -pthread -MMD -MP $(CPPFLAGS) $(CFLAGS) $(SANFLAGS)
LIBS    := $(PKG_LIBS) -pthread -lm
ifeq ($(GIT_LINK),1)
ALL_CFLAGS += -DVB_GIT_LINK
LIBS    += $(GIT_LIBS)
endif

LIB_SRC  := $(sort $(wildcard src/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps pkgcheck check check-platforms tests unit-tests test test-asan test-valgrind demo \
	bench eval install uninstall clean fuzz format lint dist deb compat-headers
all: $(BUILD)/verbatim

deps:
	@sh .ci/deps

# Before compiling: every library found, or which package to install.
pkgcheck:
	@command -v $(PKG_CONFIG) >/dev/null 2>&1 || { \
		echo "verbatim: $(PKG_CONFIG) is not installed; install it: apt-get install pkg-config" >&2; exit 1; }
	@for p in $(PKGS) libgit2; do \
		$(PKG_CONFIG) --exists $$p && continue; \
		case $$p in md4c) a=$(APT_md4c) ;; yaml-0.1) a=$(APT_yaml-0.1) ;; \
			zlib) a=$(APT_zlib) ;; libgit2) a=$(APT_libgit2) ;; \
			libutf8proc) a=$(APT_libutf8proc) ;; esac; \
		echo "verbatim: $(PKG_CONFIG) cannot find $$p; install it: apt-get install $$a" \
			"(or point PKG_CONFIG_PATH at its .pc file)" >&2; exit 1; \
	done

$(BUILD)/%.o: %.c | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/src/git.o: ALL_CFLAGS += $(if $(GIT_SONAME),-DVB_LIBGIT2_SONAME=\"$(GIT_SONAME)\")
$(BUILD)/src/version.o: ALL_CFLAGS += -DVB_VERSION=\"$(VERSION)\" \
	$(if $(MD4C_VERSION),-DVB_MD4C_VERSION=\"$(MD4C_VERSION)\") \
	-DVB_ACTION_REPO=\"$(ACTION_REPO)\" -DVB_IMAGE=\"$(IMAGE)\"
$(BUILD)/src/version.o: VERSION packaging/names

$(BUILD)/libverbatim.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/verbatim: $(CMD_OBJ) $(BUILD)/libverbatim.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libverbatim.a $(LIBS) $(LDFLAGS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libverbatim.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libverbatim.a $(LIBS) $(GIT_LIBS) $(LDFLAGS)

tests: $(BUILD)/verbatim $(TEST_BIN)
unit-tests: $(TEST_BIN)

# The plain suite, then the same suite built with sanitizers, then the CLI
# tests under valgrind, then the unit tests built with clang; one summary
# line at the end.
# The three builds use every processor (CHECK_JOBS).
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check:
	@sh .ci/deps check
	@echo "verbatim: build 1 of 3, plain"
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) WERROR=$(WERROR) tests
	@echo "verbatim: build 2 of 3, AddressSanitizer + UBSan"
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) WERROR=$(WERROR) BUILD=build-asan \
		SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		CFLAGS="-O1 -g" tests
	@echo "verbatim: build 3 of 3, clang (unit tests)"
	@$(MAKE) --no-print-directory -j$(CHECK_JOBS) WERROR=$(WERROR) BUILD=build-clang CC=clang unit-tests
	@sh tests/run.sh

# make check in Debian 12 and Debian 13 containers, when docker or podman works
check-platforms:
	@sh .ci/platforms

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

# Generated corpora with known changes, stats at every weekly as-of date:
# precision, delays, false flags (tests/eval/eval.py; EVAL_SEEDS=1,2,3,4).
GEN_NOTES ?= $(firstword $(wildcard ../shared/corpus/gen-notes /work/shared/corpus/gen-notes))
EVAL_SEEDS ?= 1,2,3,4
eval:
	@$(MAKE) --no-print-directory all $(BUILD)/purity
	@python3 tests/eval/eval.py --vb $(BUILD)/verbatim --gen "$(GEN_NOTES)" --seeds $(EVAL_SEEDS) \
		--purity $(BUILD)/purity

# the purity of the clusters of similar quotes, for make eval (tests/eval/purity.c)
$(BUILD)/purity: $(BUILD)/tests/eval/purity.o $(BUILD)/libverbatim.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libverbatim.a $(LIBS) $(LDFLAGS)

# libFuzzer targets (clang), each for FUZZ_SECONDS (default 60); see tests/fuzz/run.sh
fuzz:
	@sh .ci/deps fuzz
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) sh tests/fuzz/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/verbatim $(DESTDIR)$(BINDIR)/verbatim
	for m in cmd/man/*.1; do [ -f "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man1/; done; true

# The release tarball: the committed tree at HEAD (not uncommitted changes).
dist:
	git archive --format=tar.gz --prefix=verbatim-$(VERSION)/ \
		-o $(DISTDIR)/verbatim-$(VERSION).tar.gz HEAD
	@echo "$(DISTDIR)/verbatim-$(VERSION).tar.gz"

# A Debian package of this build: PREFIX=/usr, Depends from dpkg-shlibdeps
# plus the libgit2 that verbatim loads (packaging/deb.sh).
deb:
	@$(MAKE) --no-print-directory PREFIX=/usr BUILD=$(BUILD) all
	@VERSION=$(VERSION) BUILD=$(BUILD) OUT=$(DEBDIR) GIT_SONAME=$(GIT_SONAME) GIT_LINK=$(GIT_LINK) \
		PKG_CONFIG=$(PKG_CONFIG) MAKE="$(MAKE)" sh packaging/deb.sh

# The headers of other releases of libgit2 and md4c than the installed ones,
# in ~/.cache/verbatim, for tests/cli/build-compat.sh (src/git.h's version
# shim); LIBGIT2_GIT and MD4C_GIT name a clone or its URL.
LIBGIT2_GIT  ?= https://github.com/libgit2/libgit2.git
LIBGIT2_TAGS ?= v1.7.2 v1.8.4 v1.9.0
MD4C_GIT     ?= https://github.com/mity/md4c.git
MD4C_TAGS    ?= release-0.5.2
compat-headers:
	@sh .ci/headers libgit2 "$(LIBGIT2_GIT)" include $(LIBGIT2_TAGS)
	@sh .ci/headers md4c "$(MD4C_GIT)" src $(MD4C_TAGS)

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
	rm -rf build build-asan build-fuzz build-clang

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(TEST_SRC:%.c=$(BUILD)/%.d)
.SECONDARY:
