#!/bin/sh
# The Makefile honours CPPFLAGS, CFLAGS, LDFLAGS and PKG_CONFIG from the
# environment, makes warnings errors only with WERROR=1 (make check's
# default), links libgit2 only with GIT_LINK=1, and names the package to
# install when pkg-config cannot find a library.  Dry runs (make -n) into a
# build folder of the test's own; nothing is compiled but the last case.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = plain ] || exit 0
b=$T/build

CPPFLAGS=-DVB_TEST_CPP CFLAGS=-O1 LDFLAGS=-Wl,-z,now make -n -C "$VB_TOP" BUILD="$b" all >"$T/env.out" 2>&1
expect_eq "CPPFLAGS from the environment reach every compile" \
	"$(grep -c -- ' -c .*\.c -o ' "$T/env.out"):$(grep -- ' -c .*\.c -o ' "$T/env.out" | grep -c -- '-DVB_TEST_CPP .*-O1')" \
	"$(grep -c -- ' -c .*\.c -o ' "$T/env.out"):$(grep -c -- ' -c .*\.c -o ' "$T/env.out")"
expect_eq "LDFLAGS from the environment reach the link" "$(grep -- "-o $b/verbatim " "$T/env.out" | grep -c -- '-Wl,-z,now')" 1
expect_nogrep "plain make: warnings are not errors" "$T/env.out" "-Werror"
expect_nogrep "plain make: libgit2 is loaded, not linked" "$T/env.out" "-lgit2"

make -n -C "$VB_TOP" BUILD="$b" WERROR=1 GIT_LINK=1 all >"$T/strict.out" 2>&1
expect_grep "WERROR=1: warnings are errors" "$T/strict.out" "-Werror"
expect_eq "GIT_LINK=1: the link names libgit2" "$(grep -- "-o $b/verbatim " "$T/strict.out" | grep -c -- '-lgit2')" 1
# make check: every build it makes has -Werror (its sub-makes run under -n too)
make -n -C "$VB_TOP" check >"$T/check.out" 2>&1
expect_eq "make check: every compile has -Werror" \
	"$(grep -- ' -c .*\.c -o ' "$T/check.out" | grep -vc -- '-Werror')" 0
expect_grep "make check: builds with clang" "$T/check.out" "clang "

# a pkg-config that knows every library but md4c
cat >"$T/pc" <<'EOF2'
#!/bin/sh
for a; do [ "$a" = md4c ] && exit 1; done
exec pkg-config "$@"
EOF2
chmod +x "$T/pc"
PKG_CONFIG=$T/pc make -C "$VB_TOP" BUILD="$b" all >"$T/pc.out" 2>&1
expect_eq "no md4c: make fails" "$?" 2
expect_grep "no md4c: names the package" "$T/pc.out" "verbatim: $T/pc cannot find md4c; install it: apt-get install libmd4c-dev"
expect_eq "no md4c: nothing compiled" "$(find "$b" -name '*.o' 2>/dev/null | wc -l)" 0
PKG_CONFIG=$T/no-such-pkg-config make -C "$VB_TOP" BUILD="$b" all >"$T/nopc.out" 2>&1
expect_eq "no pkg-config: make fails" "$?" 2
expect_grep "no pkg-config: says which package to install" "$T/nopc.out" "verbatim: $T/no-such-pkg-config is not installed; install it: apt-get install pkg-config"
