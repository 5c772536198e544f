# Helpers for the CLI tests (sourced).  Each check prints "ok - what" or
# "not ok - what" with a diff.  $VB runs the binary under test (maybe under
# valgrind); $VB_TOP is the source tree.
VB_TOP=${VB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
VB_BIN=${VB_BIN:-$VB_TOP/build/verbatim}
VB="$VB_WRAP $VB_BIN"
GEN="python3 $VB_TOP/../shared/corpus/gen-notes"
[ -f "$VB_TOP/../shared/corpus/gen-notes" ] || GEN="python3 ${VB_SHARED:-/work/shared}/corpus/gen-notes"
FIX=$VB_TOP/tests/fixtures
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795000000} # 2026-11-18
export LC_ALL=C
# a test's own make is a build of its own, not part of make check's
unset MAKEFLAGS MFLAGS MAKELEVEL WERROR
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		notok "$1"; printf '#   got:      %s\n#   expected: %s\n' "$2" "$3"
	fi
}

# expect_file WHAT ACTUAL_FILE EXPECTED_FILE: exact comparison, diff on failure
expect_file() {
	if diff -u "$3" "$2" >"$T/diff" 2>&1; then ok "$1"; else
		notok "$1"; sed 's/^/#   /' "$T/diff" | head -40
	fi
}

# expect_grep WHAT FILE PATTERN (fixed string)
expect_grep() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else
		notok "$1"; echo "#   '$3' not in $2:"; head -20 "$2" | sed 's/^/#   /'
	fi
}

expect_nogrep() {
	if grep -qF -- "$3" "$2"; then
		notok "$1"; echo "#   '$3' found in $2:"; grep -nF -- "$3" "$2" | head -5 | sed 's/^/#   /'
	else ok "$1"; fi
}

# commit_all REPO DATE MESSAGE: commits every file of REPO (made a git
# repository first when it is none) at DATE, by "Pat"
commit_all() {
	[ -d "$1/.git" ] || git init -q -b main "$1"
	git -C "$1" add -A
	GIT_AUTHOR_DATE="$2" GIT_COMMITTER_DATE="$2" \
		git -C "$1" -c user.name=Pat -c user.email=pat@example.com commit -q -m "$3"
}

# run_vb OUT_PREFIX args...: runs $VB, stdout to $T/OUT.out, stderr to $T/OUT.err, status in $rc
run_vb() {
	name=$1; shift
	$VB "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if [ "$rc" -eq 99 ]; then notok "valgrind found errors in: verbatim $*"; sed 's/^/#   /' "$T/$name.err" | head -30; fi
	return 0
}
