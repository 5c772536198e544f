#!/bin/sh
# The code builds against the library releases people have, not only the
# installed ones: every file that uses libgit2 compiles against the headers
# of libgit2 1.7, 1.8 (git_error_set_str moved to <git2/sys/errors.h>) and
# 1.9 (LIBGIT2_VER_* renamed LIBGIT2_VERSION_*), and src/git.h reads their
# version right; every file that uses md4c compiles against md4c 0.5, and
# the unit tests that parse Markdown pass with md4c 0.5 built from its
# source in place of the installed one.  The headers and md4c's source come
# from 'make compat-headers' (into ~/.cache/verbatim); without them each
# check says SKIP and how to get them.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = plain ] || exit 0 # the compiler's verdict is the same in every suite
cache=${VB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/verbatim}
cc=${CC:-cc}
cd "$VB_TOP" || exit 2
flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes
-Wmissing-prototypes -Wvla -Iinclude -Isrc -fsyntax-only"
how="make compat-headers (LIBGIT2_GIT= MD4C_GIT= a local clone when offline)"

# compiles FILES with the include folder DIR first and EXTRA flags; prints
# the errors
compile() { # dir extra files...
	dir=$1 extra=$2; shift 2
	for f in "$@"; do
		# shellcheck disable=SC2086
		$cc $flags $extra -I"$dir" "$f" 2>&1 | head -5
	done
}

git_users=$(grep -l -E '#include ("git.h"|<git2)' src/*.c cmd/*.c)
for major_minor in 1.7 1.8 1.9; do
	inc=$(ls -d "$cache"/libgit2-v"$major_minor".*/include 2>/dev/null | tail -1)
	if [ -z "$inc" ]; then
		ok "libgit2 $major_minor headers # SKIP none in $cache: $how"
		continue
	fi
	v=$(sed -n 's/^#define LIBGIT2_VERSION *"\(.*\)"/\1/p' "$inc/git2/version.h")
	# shellcheck disable=SC2086
	got=$(printf '#include "git.h"\nVB_LIBGIT2_VERSION\n' | $cc -E -P -Isrc -I"$inc" - 2>&1 | tail -1 | tr -d ' ()')
	want=$(echo "$v" | awk -F. '{ print $1 "*100+" $2 }')
	expect_eq "git.h reads libgit2 $v's version" "$got" "$want"
	# shellcheck disable=SC2086
	compile "$inc" "" $git_users >"$T/git-$v.err"
	expect_eq "libgit2 $v: $(echo "$git_users" | wc -w) files using it compile" "$(cat "$T/git-$v.err")" ""
	# shellcheck disable=SC2086
	compile "$inc" -DVB_GIT_LINK $git_users >"$T/link-$v.err"
	expect_eq "libgit2 $v, linked (GIT_LINK=1): they compile" "$(cat "$T/link-$v.err")" ""
done

md4c_users=$(grep -l -E '#include (<md4c.h>|"markdown.h")' src/*.c cmd/*.c)
inc=$(ls -d "$cache"/md4c-release-0.5.*/src 2>/dev/null | tail -1)
if [ -z "$inc" ]; then
	ok "md4c 0.5 headers # SKIP none in $cache: $how"
else
	# shellcheck disable=SC2086
	compile "$inc" "" $md4c_users >"$T/md4c.err"
	mv=$(basename "$(dirname "$inc")" | sed 's/.*-//')
	expect_eq "md4c $mv: $(echo "$md4c_users" | wc -w) files using it compile" "$(cat "$T/md4c.err")" ""
	# and runs: the unit tests that parse Markdown, with md4c 0.5 built
	# from its source in place of the installed libmd4c.so.0 (same soname)
	mkdir -p "$T/md4c"
	if $cc -O1 -shared -fPIC -Wl,-soname,libmd4c.so.0 "$inc/md4c.c" -o "$T/md4c/libmd4c.so.0" 2>"$T/md4c-build.err"; then
		for t in test_note test_html test_regress test_report test_fuzz_replay; do
			bin=$(dirname "$VB_BIN")/tests/$t
			[ -x "$bin" ] || { notok "md4c $mv: $t is not built (make tests)"; continue; }
			LD_LIBRARY_PATH=$T/md4c "$bin" >"$T/$t.out" 2>&1
			rc=$?
			used=$(LD_LIBRARY_PATH=$T/md4c ldd "$bin" | grep -c "$T/md4c/libmd4c.so.0")
			expect_eq "md4c $mv at run time: $t passes" "$rc:$used:$(grep -c '^not ok' "$T/$t.out")" "0:1:0"
		done
	else
		notok "md4c $mv: its source does not build"
		sed 's/^/#   /' "$T/md4c-build.err" | head -5
	fi
fi
