#!/bin/sh
# Runs every test suite and ends with one line: "N passed, N failed".
#
# Suites: plain (build/), asan (build-asan/, AddressSanitizer + UBSan),
# valgrind (the CLI tests of build/ under valgrind memcheck) and clang (the
# unit tests of build-clang/, built with clang).  VB_SUITES
# selects some of them; VB_ONLY=pattern runs the test files matching it.
# Every test prints TAP-style lines "ok - what" or "not ok - what".
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
suites=${VB_SUITES:-plain asan valgrind clang}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # suite label command...
	suite=$1; shift
	"$@" >"$log.out" 2>&1
	rc=$?
	sed "s|^|[$suite] |" "$log.out" | grep -E '^\[[a-z]+\] (not )?ok' >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log.out"; then
		echo "[$suite] not ok - $* exited $rc" >>"$log"
	fi
	grep -v -E '^(not )?ok' "$log.out" | sed "s|^|[$suite] # |" | head -40
	grep -E '^not ok' "$log.out" | sed "s|^|[$suite] |"
	rm -f "$log.out"
}

for suite in $suites; do
	case $suite in
	plain) bdir=build; wrap= ;;
	asan) bdir=build-asan; wrap= ;;
	clang)
		bdir=build-clang; wrap=
		ls build-clang/tests/test_* >/dev/null 2>&1 ||
			{ echo "[clang] not ok - no unit tests in build-clang/: make BUILD=build-clang CC=clang unit-tests" >>"$log"; continue; } ;;
	valgrind)
		command -v valgrind >/dev/null 2>&1 || { echo "[valgrind] not ok - valgrind is not installed" >>"$log"; continue; }
		bdir=build; wrap="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" ;;
	esac
	if [ "$suite" != valgrind ]; then
		for t in "$top/$bdir"/tests/test_*; do
			[ -x "$t" ] || continue
			case $t in *.d|*.o) continue ;; esac
			[ -n "$VB_ONLY" ] && case $t in *$VB_ONLY*) ;; *) continue ;; esac
			run "$suite" "$t"
		done
	fi
	[ "$suite" = clang ] && continue # unit tests only
	for t in "$top"/tests/cli/*.sh; do
		[ -f "$t" ] || continue
		[ -n "$VB_ONLY" ] && case $t in *$VB_ONLY*) ;; *) continue ;; esac
		if [ "$suite" = valgrind ]; then case $t in *-big.sh|*browser*) continue ;; esac; fi
		VB_TOP="$top" VB_BIN="$top/$bdir/verbatim" VB_WRAP="$wrap" VB_SUITE="$suite" run "$suite" sh "$t"
	done
done

passed=$(grep -c '^\[[a-z]*\] ok' "$log")
failed=$(grep -c '^\[[a-z]*\] not ok' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
