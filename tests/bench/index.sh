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
	measure full sh -c "rm -f '$idx'; '$VB' index -q -C '$dir' -o '$idx'"
	measure cached "$VB" index -q -C "$dir" -o "$idx"
	echo "index $n notes: ${full}s (check ${check}s, ratio $(ratio "$full" "$check")), rebuild from the cache ${cached}s, ${full_rss} KiB"
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
