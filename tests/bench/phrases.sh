#!/bin/sh
# verbatim phrases as the user waits: the whole command, from exec to exit,
# on 100k notes with a warm page cache (target: under 50 ms), for word and
# exact-phrase queries and --complete, against reading the whole index file
# with cat in the same invocation (the floor of any command that loads it).
# Each figure: the best wall time of 5 runs after an untimed one, and the
# CPU time (user + system) per run over 10 runs, which a busy machine
# disturbs less.  VB_BENCH_PHRASES_NOTES sets the corpus size.
. "$(dirname "$0")/lib.sh"
VB=${VB_BIN:-$VB_TOP/build/verbatim}
n=${VB_BENCH_PHRASES_NOTES:-100000}

# run_ms VAR COMMAND...: best wall ms of 5 runs into VAR, CPU ms per run into VAR_cpu
run_ms() {
	var=$1; shift
	"$@" >/dev/null 2>&1
	best=
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		t=$(( (t1 - t0) / 1000 ))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	/usr/bin/time -f '%U %S' -o "$VB_BENCH_DIR/cpu.$$" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1; done' sh "$@"
	cpu=$(awk '{printf "%.1f", ($1 + $2) * 100}' "$VB_BENCH_DIR/cpu.$$")
	rm -f "$VB_BENCH_DIR/cpu.$$"
	eval "$var=$(awk "BEGIN{printf \"%.1f\", $best / 1000}"); ${var}_cpu=$cpu"
}

dir=$(corpus "notes-$n" --notes "$n") || exit 1
idx=$VB_BENCH_DIR/phrases-index-$n
"$VB" index -q -C "$dir" -o "$idx" 2>/dev/null || { echo "bench: index failed" >&2; exit 1; }
size=$(wc -c <"$idx")

run_ms base cat "$idx"
echo "phrases on $n notes: cat of the index ($((size / 1048576)) MiB): ${base} ms (cpu ${base_cpu} ms)"
for q in "wide feet" '"the size chart was confusing"' "--complete=I wasn't sure" "--complete=the size chart"; do
	run_ms whole "$VB" phrases --index "$idx" "$q"
	lines=$("$VB" phrases --index "$idx" --format=tsv "$q" | tail -n +2 | wc -l)
	echo "phrases $q ($lines lines): whole command ${whole} ms (cpu ${whole_cpu} ms), ratio to cat $(ratio "$whole" "$base")"
done
run_ms top "$VB" phrases --index "$idx"
run_ms topf "$VB" phrases --index "$idx" --segment buyer
echo "phrases (top table): whole command ${top} ms (cpu ${top_cpu} ms), ratio to cat $(ratio "$top" "$base"); with --segment (reads the whole index) ${topf} ms (cpu ${topf_cpu} ms)"
