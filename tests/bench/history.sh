#!/bin/sh
# verbatim history on 100k notes / ~1,900 commits, in paired runs (lib.sh):
# a full run (cache removed) against `git log --raw` over the same
# repository (targets: under 2x in wall time, 1.3x in CPU time, 1.2x in
# peak memory), then in a copy with one new commit, a rerun against a full
# run of that copy (target: under 5 %, in wall and in CPU time).
. "$(dirname "$0")/lib.sh"
dir=$(corpus history-100k --notes 100000 --weeks 260 --git day) || exit 1
git -C "$dir" log --raw >/dev/null
figure_begin
r= rc= rm= gits= fulls= gcpu= fcpu= grss= frss=
for i in $(seq "$VB_BENCH_RUNS"); do
	rm -rf "$dir/.git/verbatim"
	if [ $((i % 2)) = 1 ]; then
		once git git -C "$dir" log --raw || exit 1
		once full "$VB_BIN" history -C "$dir" --format=json || exit 1
	else
		once full "$VB_BIN" history -C "$dir" --format=json || exit 1
		once git git -C "$dir" log --raw || exit 1
	fi
	gits="$gits $git" fulls="$fulls $full" gcpu="$gcpu $git_cpu" fcpu="$fcpu $full_cpu" grss="$grss $git_rss" frss="$frss $full_rss"
	r="$r $(div "$full" "$git")" rc="$rc $(div "$full_cpu" "$git_cpu")" rm="$rm $(div "$full_rss" "$git_rss")"
done
# shellcheck disable=SC2086
{
	row "\`history\`, 100k notes, $(git -C "$dir" rev-list --count HEAD) commits" "$(secs $fulls)" "\`git log --raw\` $(secs $gits)" "<2x" $r
	row "\`history\`, 100k notes: CPU time" "$(secs $fcpu)" "\`git log --raw\` $(secs $gcpu)" "<1.3x" $rc
	row "\`history\`, 100k notes: peak memory" "$(mib $frss)" "\`git log --raw\` $(mib $grss)" "<1.2x" $rm
}

copy=$VB_BENCH_DIR/history-100k-copy
rm -rf "$copy" && cp -r "$dir" "$copy"
"$VB_BIN" history -C "$copy" >/dev/null
mkdir -p "$copy/calls/2026"
printf -- '---\ndate: 2026-11-01\nsegment: buyer\ncustomer: C-99999\ntags: [price]\n---\n\n# Call\n' >"$copy/calls/2026/bench-new.md"
git -C "$copy" add -A && GIT_AUTHOR_DATE="2026-11-01T18:00:00 +0000" GIT_COMMITTER_DATE="2026-11-01T18:00:00 +0000" git -C "$copy" -c user.name=bench -c user.email=b@x commit -qm "One more call"
# each rerun starts from the caches of the state before the new commit
# (the history cache and the errors cache, copied back outside the timing);
# each full run without any (removed before it)
caches=$copy/.git/verbatim
rm -rf "$VB_BENCH_DIR/history-caches.before"
cp -r "$caches" "$VB_BENCH_DIR/history-caches.before"
"$VB_BIN" history -C "$copy" --format=json >/dev/null 2>&1
figure_begin
p= pc= reruns= fulls= rcpu= fcpu=
for i in $(seq "$VB_BENCH_RUNS"); do
	rm -rf "$caches" && cp -r "$VB_BENCH_DIR/history-caches.before" "$caches"
	once rerun "$VB_BIN" history -C "$copy" --format=json || exit 1
	rm -rf "$caches"
	once full "$VB_BIN" history -C "$copy" --format=json || exit 1
	reruns="$reruns $rerun" fulls="$fulls $full" rcpu="$rcpu $rerun_cpu" fcpu="$fcpu $full_cpu"
	p="$p $(pct "$rerun" "$full")" pc="$pc $(pct "$rerun_cpu" "$full_cpu")"
done
# shellcheck disable=SC2086
{
	row "\`history\` rerun after one new commit" "$(secs $reruns)" "full run $(secs $fulls)" "<5%" $p
	row "\`history\` rerun after one new commit: CPU time" "$(secs $rcpu)" "full run $(secs $fcpu)" "<5%" $pc
}
rm -rf "$copy" "$VB_BENCH_DIR/history-caches.before"
exit $bench_status
