#!/bin/sh
# Runs every test suite and ends with one line: "N passed, N failed".
#
# Suites: plain (build/), asan (build-asan/, AddressSanitizer + UBSan),
# clang (build-clang/: the unit tests built by clang) and valgrind (the CLI
# tests of build/ under valgrind memcheck).  VB_SUITES selects some of them;
# VB_ONLY=pattern runs the test files matching it; VB_JOBS (default: the
# number of processors) test files run at once.  Every test prints TAP-style
# lines "ok - what" or "not ok - what".
#
# While it runs, one line per test file as it ends ("[asan] 12/96 ok
# index.sh: 31 checks, 4 s"); at the end, the failures with the test's own
# explanations, then the summary.  A passing test's comments are not shown.
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
suites=${VB_SUITES:-plain asan valgrind clang}
jobs=${VB_JOBS:-$(nproc 2>/dev/null || echo 2)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The job list, one line each: "suite kind path"; long jobs first so that the
# parallel runs end together.
for suite in $suites; do
	case $suite in
	plain) bdir=build ;;
	asan) bdir=build-asan ;;
	clang)
		bdir=build-clang
		ls "$top"/build-clang/tests/test_* >/dev/null 2>&1 || { echo "[clang] not ok - no unit tests in build-clang/ (make BUILD=build-clang CC=clang unit-tests)" >"$dir/noclang"; continue; } ;;
	valgrind)
		command -v valgrind >/dev/null 2>&1 || { echo "[valgrind] not ok - valgrind is not installed" >"$dir/novalgrind"; continue; }
		bdir=build ;;
	*) echo "run.sh: unknown suite '$suite' (plain, asan, clang, valgrind)" >&2; exit 2 ;;
	esac
	if [ "$suite" != valgrind ]; then
		for t in "$top/$bdir"/tests/test_*; do
			[ -x "$t" ] || continue
			case $t in *.d | *.o) continue ;; esac
			[ -n "$VB_ONLY" ] && case $t in *$VB_ONLY*) ;; *) continue ;; esac
			echo "$suite unit $t"
		done
	fi
	[ "$suite" = clang ] && continue
	for t in "$top"/tests/cli/*.sh; do
		[ -f "$t" ] || continue
		[ -n "$VB_ONLY" ] && case $t in *$VB_ONLY*) ;; *) continue ;; esac
		case $suite:$t in valgrind:*-big.sh | valgrind:*browser*) continue ;; esac
		echo "$suite cli $t"
	done
done | awk '{ w = ($1 == "valgrind") * 4 + ($3 ~ /-big\.sh$|browser|fuzz_replay|hostile/) * 2 + ($1 == "asan");
	print w, NR, $0 }' | sort -k1,1nr -k2,2n | cut -d' ' -f3- >"$dir/jobs"
total=$(wc -l <"$dir/jobs" | tr -d ' ')
echo "running $total test files ($suites), $jobs at a time"

# One job: its output to $dir/<n>.out, a progress line when it ends.
cat >"$dir/job.sh" <<'EOF'
n=$1 suite=$2 kind=$3 t=$4
out="$RUN_DIR/$n.out"
case $suite in
plain) bdir=build wrap= ;;
asan) bdir=build-asan wrap= ;;
clang) bdir=build-clang wrap= ;;
valgrind) bdir=build wrap="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" ;;
esac
start=$(date +%s)
if [ "$kind" = unit ]; then
	"$t" >"$out.raw" 2>&1
else
	VB_TOP="$RUN_TOP" VB_BIN="$RUN_TOP/$bdir/verbatim" VB_WRAP="$wrap" VB_SUITE="$suite" sh "$t" >"$out.raw" 2>&1
fi
rc=$?
name=${t##*/}
if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out.raw"; then
	echo "not ok - $name exited $rc" >>"$out.raw"
fi
nok=$(grep -c '^ok' "$out.raw")
nfail=$(grep -c '^not ok' "$out.raw")
{ echo "$suite $name"; cat "$out.raw"; } >"$out"
rm -f "$out.raw"
secs=$(($(date +%s) - start))
if [ "$nfail" -eq 0 ]; then verdict=ok; else verdict="FAILED ($nfail)"; fi
echo "[$suite] $verdict $name: $nok checks, $secs s"
EOF

awk '{ print NR, $0 }' "$dir/jobs" |
	RUN_DIR=$dir RUN_TOP=$top xargs -P "$jobs" -L 1 sh "$dir/job.sh" |
	awk -v total="$total" '{ n++; sub(/^\[[a-z]+\]/, "& " n "/" total); print; fflush() }'

# The failures, with the test's own explanations, in job order.
: >"$dir/all"
[ -f "$dir/novalgrind" ] && cat "$dir/novalgrind" >>"$dir/all"
[ -f "$dir/noclang" ] && cat "$dir/noclang" >>"$dir/all"
i=1
while [ "$i" -le "$total" ]; do
	f="$dir/$i.out"
	i=$((i + 1))
	[ -f "$f" ] || continue
	suite=$(head -1 "$f" | cut -d' ' -f1)
	tail -n +2 "$f" | grep -E '^(not )?ok' | sed "s|^|[$suite] |" >>"$dir/all"
	if grep -q '^not ok' "$f"; then
		echo "[$suite] --- $(head -1 "$f" | cut -d' ' -f2-)"
		tail -n +2 "$f" | grep -v '^ok' | sed "s|^|[$suite] |" | head -60
	fi
done
passed=$(grep -c '^\[[a-z]*\] ok' "$dir/all")
failed=$(grep -c '^\[[a-z]*\] not ok' "$dir/all")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
