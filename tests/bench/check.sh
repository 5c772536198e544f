#!/bin/sh
# verbatim check -q against cat of the same files, 10k and 100k notes, in the
# same run (best of 3).  Targets: 100k notes in under 10x cat, both cores
# used (user+sys > wall), peak RSS under 2x the corpus bytes.
. "$(dirname "$0")/lib.sh"
VB_BIN=${VB_BIN:-$VB_TOP/build/verbatim}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795000000}

# cpu VAR COMMAND...: wall, user+sys seconds of one run into VAR_wall, VAR_cpu
cpu() {
	var=$1; shift
	/usr/bin/time -f '%e %U %S' -o "$VB_BENCH_DIR/cpu.$$" "$@" >/dev/null 2>&1
	read -r w u s <"$VB_BENCH_DIR/cpu.$$"
	rm -f "$VB_BENCH_DIR/cpu.$$"
	eval "${var}_wall=$w; ${var}_cpu=$(awk "BEGIN{print $u + $s}")"
}

status=0
for n in 10000 100000; do
	dir=$(corpus "check-$n" --notes "$n") || { echo "check: gen-notes --notes $n failed"; exit 1; }
	bytes=$(find "$dir/calls" -name '*.md' -print0 | xargs -0 stat -c %s | awk '{s += $1} END {print s}')
	files=$(find "$dir/calls" -name '*.md' | wc -l)
	# warm the page cache so both sides read from memory
	find "$dir/calls" -name '*.md' -print0 | xargs -0 cat >/dev/null
	measure cat sh -c "find '$dir/calls' -name '*.md' -print0 | xargs -0 cat >/dev/null"
	measure vb "$VB_BIN" check -q -C "$dir"
	cpu par "$VB_BIN" check -q -C "$dir"
	r=$(ratio "$vb" "$cat")
	rss_bytes=$((vb_rss * 1024))
	mem=$(ratio "$rss_bytes" "$bytes")
	printf 'check %6d notes (%d files, %.1f MB): cat %ss, verbatim check %ss = %sx cat; peak RSS %.1f MB = %sx corpus; cpu %ss over %ss wall\n' \
		"$n" "$files" "$(awk "BEGIN{print $bytes / 1048576}")" "$cat" "$vb" "$r" \
		"$(awk "BEGIN{print $rss_bytes / 1048576}")" "$mem" "$par_cpu" "$par_wall"
	if [ "$n" = 100000 ]; then
		t=$(awk "BEGIN{print ($r < 10) ? \"holds\" : \"MISSED\"}")
		m=$(awk "BEGIN{print ($mem < 2) ? \"holds\" : \"MISSED\"}")
		c=$(awk "BEGIN{print ($par_cpu > $par_wall) ? \"yes\" : \"no\"}")
		echo "check target: 100k notes under 10x cat: $t ($r x)"
		echo "check target: peak memory under 2x corpus: $m ($mem x)"
		echo "check target: both cores used (user+sys > wall): $c (${par_cpu}s > ${par_wall}s, $(nproc) cores)"
		[ "$t" = holds ] && [ "$m" = holds ] && [ "$c" = yes ] || status=1
	fi
done
exit $status
