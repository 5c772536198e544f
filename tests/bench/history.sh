#!/bin/sh
# verbatim history on 100k notes / ~1,900 commits: a full run (caches
# removed) against `git log --raw` over the same repository, in wall time,
# CPU time (user + system) and peak memory; then a rerun after one new
# commit (in a copy) against the full run.  Targets: wall < 2x, CPU < 1.3x,
# memory < 1.2x; rerun < 5 % of a full run.
. "$(dirname "$0")/lib.sh"
dir=$(corpus history-100k --notes 100000 --weeks 260 --git day) || exit 1

# cpu_rss VAR SETUP COMMAND...: the least CPU seconds (user + system) of 3
# runs into $VAR, the largest peak RSS (KiB) into ${VAR}_rss; the shell
# string SETUP runs before each, untimed
cpu_rss() {
	var=$1; setup=$2; shift 2
	best=; peak=0
	for i in 1 2 3; do
		sh -c "$setup" || return 1
		if ! /usr/bin/time -f '%U %S %M' -o "$VB_BENCH_DIR/cpu.$$" "$@" >/dev/null 2>&1; then
			echo "bench: '$*' failed" >&2
			return 1
		fi
		read -r u s m <"$VB_BENCH_DIR/cpu.$$"
		t=$(awk "BEGIN{print $u + $s}")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		[ "$m" -gt "$peak" ] && peak=$m
	done
	rm -f "$VB_BENCH_DIR/cpu.$$"
	eval "$var=$best; ${var}_rss=$peak"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "history: load before $(load)"
measure gitlog git -C "$dir" log --raw
measure full sh -c "rm -rf '$dir/.git/verbatim'; '$VB_BIN' history -C '$dir' --format=json"
echo "history full: ${full}s, git log --raw: ${gitlog}s, full vs git log --raw: $(ratio "$full" "$gitlog")x (target < 2x)"
cpu_rss gitcpu : git -C "$dir" log --raw
cpu_rss fullcpu "rm -rf '$dir/.git/verbatim'" "$VB_BIN" history -C "$dir" --format=json
echo "history full: cpu ${fullcpu}s vs git log --raw ${gitcpu}s: $(ratio "$fullcpu" "$gitcpu")x (target < 1.3x); peak memory ${fullcpu_rss} KiB vs ${gitcpu_rss} KiB: $(ratio "$fullcpu_rss" "$gitcpu_rss")x (target < 1.2x)"
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
# each measured run restores the caches of the state before the new commit
# (outside the timing): the history cache is append-only, so cutting it back
# is enough; the errors cache is copied back
before=$(wc -c <"$copy/.git/verbatim/history.cache" | tr -d ' ')
saved=$VB_BENCH_DIR/errors.cache.$$
cp "$copy/.git/verbatim/history-errors.cache" "$saved" 2>/dev/null
restore="truncate -s $before '$copy/.git/verbatim/history.cache' && if [ -f '$saved' ]; then cp '$saved' '$copy/.git/verbatim/history-errors.cache'; fi"
measure_setup "$restore" rerun "$VB_BIN" history -C "$copy" --format=json
echo "history rerun after one commit: ${rerun}s, $(awk "BEGIN{ if ($full > 0) printf \"%.1f\", 100 * $rerun / $full; else print \"inf\" }") % of a full run (target < 5 %)"
cpu_rss reruncpu "$restore" "$VB_BIN" history -C "$copy" --format=json
echo "history rerun after one commit: cpu ${reruncpu}s, $(awk "BEGIN{ if ($fullcpu > 0) printf \"%.1f\", 100 * $reruncpu / $fullcpu; else print \"inf\" }") % of a full run's cpu; load after $(load)"
rm -f "$saved"
rm -rf "$copy"
