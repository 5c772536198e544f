#!/bin/sh
# Builds the libFuzzer targets out of tree (build-fuzz/) with clang,
# AddressSanitizer and UBSan, then runs each for FUZZ_SECONDS (default 60).
#
#   sh tests/fuzz/run.sh                 every target
#   FUZZ_SECONDS=600 FUZZ_TARGETS="note html" sh tests/fuzz/run.sh
#   FUZZ_JOBS=4                          parallel fuzzing jobs per target
#
# Each target starts from its seed corpus, tests/fuzz/corpus/<target>/, copied
# into build-fuzz/corpus/<target>/ (the fuzzer adds to the copy, never to the
# repository).  A crash is written to build-fuzz/crashes/<target>-crash-*;
# reproduce it with build-fuzz/fuzz_<target> FILE, then add it as a
# regression input in tests/fuzz/corpus/<target>/ (make check replays them).
# Exit status: 0 when no target crashed, 1 otherwise, 2 when it cannot build.
set -u
cd "$(dirname "$0")/../.." || exit 2
CLANG=${CLANG:-clang}
OUT=${FUZZ_BUILD:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
TARGETS=${FUZZ_TARGETS:-note vocab html phrase pii yaml}
PKGS="md4c yaml-0.1 libgit2 zlib libutf8proc"

command -v "$CLANG" >/dev/null 2>&1 || { echo "fuzz: $CLANG is not installed (sh .ci/deps fuzz)" >&2; exit 2; }
CFLAGS="-std=c11 -D_GNU_SOURCE -DVB_VERSION=\"fuzz\" -g -O1 -fno-omit-frame-pointer -Iinclude -Itests/fuzz $(pkg-config --cflags $PKGS)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
LIBS="$(pkg-config --libs $PKGS) -pthread -lm"

mkdir -p "$OUT/obj" "$OUT/crashes" || exit 2
# the library, instrumented for coverage (only what changed is rebuilt)
objs=""
for src in src/*.c; do
	obj="$OUT/obj/$(basename "$src" .c).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find include src -newer "$obj" -name '*.h' | head -1)" ]; then
		$CLANG $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj" || exit 2
	fi
	objs="$objs $obj"
done

status=0
for t in $TARGETS; do
	case $t in
	note) max_len=16384 ;;
	vocab) max_len=8192 ;;
	html) max_len=8192 ;;
	phrase) max_len=4096 ;;
	pii) max_len=2048 ;;
	yaml) max_len=2048 ;;
	*) echo "fuzz: unknown target '$t'" >&2; exit 2 ;;
	esac
	bin="$OUT/fuzz_$t"
	$CLANG $CFLAGS $SAN -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" $objs $LIBS -o "$bin" || exit 2
	mkdir -p "$OUT/corpus/$t"
	[ -d "tests/fuzz/corpus/$t" ] && cp -n tests/fuzz/corpus/"$t"/* "$OUT/corpus/$t/" 2>/dev/null
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	echo "fuzz: $t for ${SECONDS_EACH}s (max_len $max_len)"
	if [ "$JOBS" -gt 1 ]; then par="-jobs=$JOBS -workers=$JOBS"; else par=""; fi
	# shellcheck disable=SC2086
	"$bin" $dict $par -max_len=$max_len -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/crashes/$t-" \
		"$OUT/corpus/$t" >"$OUT/$t.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$OUT/$t.log" | sed "s/^/fuzz: $t: /"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t FAILED (exit $rc); see $OUT/$t.log and $OUT/crashes/" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$OUT/$t.log" | head -5 >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "fuzz: no crash"
exit $status
