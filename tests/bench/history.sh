#!/bin/sh
# verbatim history on 100k notes / ~1,900 commits: a full run (cache removed)
# against `git log --raw` over the same repository, then a rerun after one new
# commit (in a copy) against the full run.  Targets: < 2x, < 5 %.
. "$(dirname "$0")/lib.sh"
dir=$(corpus history-100k --notes 100000 --weeks 260 --git day) || exit 1
measure gitlog git -C "$dir" log --raw
measure full sh -c "rm -rf '$dir/.git/verbatim'; '$VB_BIN' history -C '$dir' --format=json"
echo "history full: ${full}s (git log --raw ${gitlog}s) ratio $(ratio "$full" "$gitlog") (target < 2), rss ${full_rss} KiB"
copy=$VB_BENCH_DIR/history-100k-copy
rm -rf "$copy" && cp -r "$dir" "$copy"
"$VB_BIN" history -C "$copy" >/dev/null
mkdir -p "$copy/calls/2026"
printf -- '---\ndate: 2026-11-01\nsegment: buyer\ncustomer: C-99999\ntags: [price]\n---\n\n# Call\n' >"$copy/calls/2026/bench-new.md"
git -C "$copy" add -A && GIT_AUTHOR_DATE="2026-11-01T18:00:00 +0000" GIT_COMMITTER_DATE="2026-11-01T18:00:00 +0000" git -C "$copy" -c user.name=bench -c user.email=b@x commit -qm "One more call"
# each measured run restores the cache of the state before the new commit
cp "$copy/.git/verbatim/history.cache" "$VB_BENCH_DIR/history.cache.before"
measure rerun sh -c "cp '$VB_BENCH_DIR/history.cache.before' '$copy/.git/verbatim/history.cache'; '$VB_BIN' history -C '$copy' --format=json"
echo "history rerun after one commit: ${rerun}s ratio to full $(ratio "$rerun" "$full") (target < 0.05)"
rm -rf "$copy" "$VB_BENCH_DIR/history.cache.before"
