#!/bin/sh
# verbatim index against verbatim check on the same notes, 10k and 100k
# notes, in paired runs (lib.sh; target at 100k: under 2x), a rebuild from
# the cache with nothing changed and one after one note changed against a
# full build (target at 100k: under 0.1x), and the full build's peak memory
# against the notes' bytes (target at 100k: under 1x).  The phrases
# queries are in phrases.sh.
. "$(dirname "$0")/lib.sh"
VB=${VB_BIN:-$VB_TOP/build/verbatim}

for n in 10000 100000; do
	dir=$(corpus "notes-$n" --notes "$n") || exit 1
	idx=$VB_BENCH_DIR/index-$n
	"$VB" check -q -C "$dir" >/dev/null 2>&1
	figure_begin
	r= checks= fulls= rss=
	for i in $(seq "$VB_BENCH_RUNS"); do
		rm -f "$idx" "$idx.files"
		if [ $((i % 2)) = 1 ]; then
			once check "$VB" check -q -C "$dir" || exit 1
			once full "$VB" index -q -C "$dir" -o "$idx" || exit 1
		else
			once full "$VB" index -q -C "$dir" -o "$idx" || exit 1
			once check "$VB" check -q -C "$dir" || exit 1
		fi
		checks="$checks $check" fulls="$fulls $full" rss="$rss $full_rss"
		r="$r $(div "$full" "$check")"
	done
	t=
	[ "$n" = 100000 ] && t="<2x"
	# shellcheck disable=SC2086
	row "\`index\`, $n notes (peak $(mib $rss))" "$(secs $fulls)" "\`check\` $(secs $checks)" "$t" $r
	# a rebuild with nothing changed, against the full build just measured
	figure_begin
	c= cached=
	for i in $(seq "$VB_BENCH_RUNS"); do
		once again "$VB" index -q -C "$dir" -o "$idx" || exit 1
		cached="$cached $again"
		c="$c $(div "$again" "$(median $fulls)")"
	done
	# shellcheck disable=SC2086
	row "\`index\` again, nothing changed, $n notes" "$(secs $cached)" "full build $(secs $fulls)" "" $c
	# one note changed before each run (a quote added), against the full
	# build: the whole command, exec to exit
	one=$(find "$dir/calls" -name '*.md' | sort | sed -n 7p)
	cp -p "$one" "$VB_BENCH_DIR/one.md"
	figure_begin
	c= incrs= irss=
	for i in $(seq "$VB_BENCH_RUNS"); do
		printf '\n> "one more quote"\n' >>"$one"
		once incr "$VB" index -q -C "$dir" -o "$idx" || exit 1
		incrs="$incrs $incr" irss="$irss $incr_rss"
		c="$c $(div "$incr" "$(median $fulls)")"
	done
	cp -p "$VB_BENCH_DIR/one.md" "$one" # the corpus as it was (other benchmarks share it)
	t=
	[ "$n" = 100000 ] && t="<0.1x"
	# shellcheck disable=SC2086
	row "\`index\` after one note changed, $n notes (peak $(mib $irss))" "$(secs $incrs)" "full build $(secs $fulls)" "$t" $c
	# peak memory of the full build against the notes' bytes
	figure_begin
	notes_kib=$(($(find "$dir/calls" -name '*.md' -exec cat {} + | wc -c) / 1024))
	m=
	for v in $rss; do m="$m $(div "$v" "$notes_kib")"; done
	t=
	[ "$n" = 100000 ] && t="<1x"
	# shellcheck disable=SC2086
	row "\`index\` peak memory, $n notes" "$(mib $rss)" "the notes $(mib $notes_kib)" "$t" $m
done
exit $bench_status
