#!/bin/sh
# verbatim index against verbatim check on the same notes (target: under 2x),
# and phrase queries on 100k notes: the whole command (which loads the index
# file) and the query's own time (phrases --timing; target: under 50 ms).
. "$(dirname "$0")/lib.sh"
VB=${VB_BIN:-$VB_TOP/build/verbatim}

for n in 10000 100000; do
	dir=$(corpus "notes-$n" --notes "$n") || exit 1
	idx=$VB_BENCH_DIR/index-$n
	measure check "$VB" check -q -C "$dir"
	measure full sh -c "rm -f '$idx' '$idx.files'; '$VB' index -q -C '$dir' -o '$idx'"
	measure cached "$VB" index -q -C "$dir" -o "$idx"
	# one note changed before each run (a quote added): the whole command
	one=$(find "$dir/calls" -name '*.md' | sort | sed -n 7p)
	cp -p "$one" "$VB_BENCH_DIR/one.md"
	measure_setup "printf '\\n> \"one more quote\"\\n' >>'$one'" incr "$VB" index -q -C "$dir" -o "$idx"
	cp -p "$VB_BENCH_DIR/one.md" "$one" # the corpus as it was (other benchmarks share it)
	notes_kib=$(($(find "$dir/calls" -name '*.md' -exec cat {} + | wc -c) / 1024))
	echo "index $n notes: ${full}s (check ${check}s, ratio $(ratio "$full" "$check")), rebuild from the cache ${cached}s, ${full_rss} KiB"
	echo "index $n notes: after one note changed ${incr}s, $(ratio "$incr" "$full")x the full build (target: under 0.10x); peak memory ${full_rss} KiB, $(ratio "$full_rss" "$notes_kib")x the notes' ${notes_kib} KiB (target: under 1x; rebuild ${incr_rss} KiB)"
done

idx=$VB_BENCH_DIR/index-100000
for q in "wide feet" '"the size chart was confusing"'; do
	measure whole sh -c "'$VB' phrases --index '$idx' $q >/dev/null"
	ms=$( (eval "'$VB' phrases --index '$idx' --timing $q" >/dev/null) 2>&1 | sed -n 's/^query: //p')
	hits=$(eval "'$VB' phrases --index '$idx' --format=tsv $q" | tail -n +2 | wc -l)
	echo "phrases $q on 100000 notes: query ${ms} (${hits} quotes), whole command ${whole}s"
done
measure top "$VB" phrases --index "$idx"
echo "phrases (top table) on 100000 notes: whole command ${top}s"
