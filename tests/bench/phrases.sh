#!/bin/sh
# verbatim phrases as the user waits: the whole command, from exec to exit
# (timeit.c), on 100k notes with a warm page cache (target: under 50 ms; none for the top table under a filter),
# for word and exact-phrase queries, --complete and the top table, paired
# with reading the whole index file with cat (the floor of any command that
# loads it).  VB_BENCH_PHRASES_RUNS pairs per figure (default 10: each run
# takes milliseconds); the CPU time is the command's own, which a busy
# machine disturbs less than the wall time.  VB_BENCH_PHRASES_NOTES sets
# the corpus size.
. "$(dirname "$0")/lib.sh"
VB=${VB_BIN:-$VB_TOP/build/verbatim}
n=${VB_BENCH_PHRASES_NOTES:-100000}
runs=${VB_BENCH_PHRASES_RUNS:-10}

dir=$(corpus "notes-$n" --notes "$n") || exit 1
idx=$VB_BENCH_DIR/phrases-index-$n
"$VB" index -q -C "$dir" -o "$idx" 2>/dev/null || { echo "bench: index failed" >&2; exit 1; }
mib_idx=$(($(wc -c <"$idx") / 1048576))

# phrases_figure WHAT TARGET ARGS...: paired runs of cat and verbatim phrases ARGS
phrases_figure() {
	what=$1 target=$2; shift 2
	cat "$idx" >/dev/null
	"$VB" phrases --index "$idx" "$@" >/dev/null 2>&1
	figure_begin
	r= ms= cats= vbs= cpus=
	for i in $(seq "$runs"); do
		if [ $((i % 2)) = 1 ]; then
			once c cat "$idx" || return 1
			once v "$VB" phrases --index "$idx" "$@"
		else
			once v "$VB" phrases --index "$idx" "$@"
			once c cat "$idx" || return 1
		fi
		cats="$cats $c" vbs="$vbs $v" cpus="$cpus $v_cpu"
		r="$r $(div "$v" "$c")"
		ms="$ms $(awk -v v="$v" 'BEGIN { print v * 1000 }')"
	done
	# shellcheck disable=SC2086
	row "$what" "$(msecs $vbs) wall, $(msecs $cpus) CPU" "\`cat\` of the index ($mib_idx MiB) $(msecs $cats)" "$target" $r -- $ms
}

lines() { "$VB" phrases --index "$idx" --format=tsv "$@" | tail -n +2 | wc -l; }
phrases_figure "\`phrases wide feet\`, $n notes, whole command ($(lines wide feet) quotes)" "<50ms" wide feet
phrases_figure "\`phrases \"the size chart was confusing\"\`, whole command ($(lines "the size chart was confusing") quotes)" "<50ms" "the size chart was confusing"
phrases_figure "\`phrases --complete \"I wasn't sure\"\`, whole command" "<50ms" --complete "I wasn't sure"
phrases_figure "\`phrases --complete \"the size chart\"\`, whole command" "<50ms" --complete "the size chart"
phrases_figure "\`phrases\` top table, whole command" "<50ms"
phrases_figure "\`phrases --segment buyer\` top table (reads the whole index), whole command" "" --segment buyer
exit $bench_status
