#!/bin/sh
# verbatim check -q against cat of the same files, 10k and 100k notes, in
# paired runs (lib.sh).  Targets at 100k: under 10x cat, both cores used
# (user+sys over wall above 1), peak RSS under 2x the corpus bytes.
. "$(dirname "$0")/lib.sh"
VB_BIN=${VB_BIN:-$VB_TOP/build/verbatim}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1795000000}

for n in 10000 100000; do
	dir=$(corpus "check-$n" --notes "$n") || { echo "check: gen-notes --notes $n failed"; exit 1; }
	bytes=$(find "$dir/calls" -name '*.md' -print0 | xargs -0 stat -c %s | awk '{s += $1} END {print s}')
	mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')
	# warm the page cache so both sides read from memory
	find "$dir/calls" -name '*.md' -print0 | xargs -0 cat >/dev/null
	"$VB_BIN" check -q -C "$dir" >/dev/null 2>&1
	figure_begin
	r= m= c= cats= vbs= rss= cpus=
	for i in $(seq "$VB_BENCH_RUNS"); do
		if [ $((i % 2)) = 1 ]; then
			once cat sh -c "find '$dir/calls' -name '*.md' -print0 | xargs -0 cat >/dev/null" || exit 1
			once vb "$VB_BIN" check -q -C "$dir" || exit 1
		else
			once vb "$VB_BIN" check -q -C "$dir" || exit 1
			once cat sh -c "find '$dir/calls' -name '*.md' -print0 | xargs -0 cat >/dev/null" || exit 1
		fi
		cats="$cats $cat" vbs="$vbs $vb" rss="$rss $vb_rss" cpus="$cpus $vb_cpu"
		r="$r $(div "$vb" "$cat")"
		m="$m $(div "$((vb_rss * 1024))" "$bytes")"
		c="$c $(div "$vb_cpu" "$vb")"
	done
	t= tm= tc=
	[ "$n" = 100000 ] && t="<10x" tm="<2x" tc=">1x"
	# shellcheck disable=SC2086
	{
		row "\`check\`, $n notes ($mb)" "$(secs $vbs), $(awk -v c="$(median $cpus)" 'BEGIN { printf "%.2f s", c }') CPU" "\`cat\` $(secs $cats)" "$t" $r
		row "\`check\`, $n notes: peak memory" "$(mib $rss)" "corpus $mb" "$tm" $m
		row "\`check\`, $n notes: cores busy (CPU over wall)" "$(awk -v c="$(median $c)" 'BEGIN { printf "%.2f", c }') of $(nproc)" "" "$tc" $c
	}
done
exit $bench_status
