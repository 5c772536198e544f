#!/bin/sh
# verbatim history on 100k notes / ~1,900 commits: a full run (cache removed)
# against `git log --raw` over the same repository, then a rerun after one new
# commit (in a copy) against the full run.  Targets: < 2x, < 5 %.
. "$(dirname "$0")/lib.sh"
dir=$(corpus history-100k --notes 100000 --weeks 260 --git day) || exit 1
measure gitlog git -C "$dir" log --raw
measure full sh -c "rm -rf '$dir/.git/verbatim'; '$VB_BIN' history -C '$dir' --format=json"
echo "history full: ${full}s, git log --raw: ${gitlog}s, full vs git log --raw: $(ratio "$full" "$gitlog")x (target < 2x), rss ${full_rss} KiB"
# parsing new blobs on every core: CPU time over wall time of a full run
rm -rf "$dir/.git/verbatim"
/usr/bin/time -f '%e %U %S' -o "$VB_BENCH_DIR/cpu.$$" "$VB_BIN" history -C "$dir" --format=json --no-cache >/dev/null 2>&1
read -r wall user sys <"$VB_BENCH_DIR/cpu.$$" && rm -f "$VB_BENCH_DIR/cpu.$$"
echo "history full: cpu $(awk "BEGIN{printf \"%.2f\", $user + $sys}")s over ${wall}s wall ($(ratio "$(awk "BEGIN{print $user + $sys}")" "$wall") cores busy on average)"
copy=$VB_BENCH_DIR/history-100k-copy
rm -rf "$copy" && cp -r "$dir" "$copy"
"$VB_BIN" history -C "$copy" >/dev/null
mkdir -p "$copy/calls/2026"
printf -- '---\ndate: 2026-11-01\nsegment: buyer\ncustomer: C-99999\ntags: [price]\n---\n\n# Call\n' >"$copy/calls/2026/bench-new.md"
git -C "$copy" add -A && GIT_AUTHOR_DATE="2026-11-01T18:00:00 +0000" GIT_COMMITTER_DATE="2026-11-01T18:00:00 +0000" git -C "$copy" -c user.name=bench -c user.email=b@x commit -qm "One more call"
# each measured run restores the cache of the state before the new commit
# (outside the timing): the file is append-only, so cutting it back is enough
before=$(wc -c <"$copy/.git/verbatim/history.cache" | tr -d ' ')
measure_setup "truncate -s $before '$copy/.git/verbatim/history.cache'" rerun "$VB_BIN" history -C "$copy" --format=json
echo "history rerun after one commit: ${rerun}s, $(awk "BEGIN{ if ($full > 0) printf \"%.1f\", 100 * $rerun / $full; else print \"inf\" }") % of a full run (target < 5 %)"
rm -rf "$copy"
