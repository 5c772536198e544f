#!/bin/sh
# verbatim index against verbatim check on the same notes, 10k and 100k
# notes, in paired runs (lib.sh; target at 100k: under 2x), and a rebuild
# from the cache with nothing changed against a full build.  The phrases
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
		rm -f "$idx"
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
done
exit $bench_status
