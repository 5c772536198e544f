#!/bin/sh
# The fuzz corpora (seeds and every input that once crashed) replayed under
# valgrind: the plain and sanitizer suites already run test_fuzz_replay as a
# unit test; this runs it in the valgrind suite too, where only CLI tests run.
. "$(dirname "$0")/../lib.sh"

if [ "${VB_SUITE:-}" != valgrind ]; then
	echo "# not the valgrind suite: test_fuzz_replay runs as a unit test there"
	exit 0
fi
replay=$(dirname "$VB_BIN")/tests/test_fuzz_replay
if [ ! -x "$replay" ]; then
	notok "fuzz corpora under valgrind: $replay is not built (make tests)"
	exit 0
fi
(cd "$VB_TOP" && timeout 600 $VB_WRAP "$replay") >"$T/replay.out" 2>"$T/replay.err"
rc=$?
expect_eq "fuzz corpora under valgrind: exit 0, no error, no leak" "$rc" 0
expect_eq "fuzz corpora under valgrind: every target replayed" \
	"$(grep -c '^ok - test_replay_' "$T/replay.out")" 6
[ $rc -eq 0 ] || head -30 "$T/replay.err" | sed 's/^/#   /'
