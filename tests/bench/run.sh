#!/bin/sh
# make bench: every tests/bench/*.sh (but this one and lib.sh), in name order.
# Each prints its figures as rows of one table (lib.sh: ratios against a
# baseline run in the same invocation, paired, with their minimum and
# median, the target and the load; docs/benchmarks.md explains it), other
# messages on stderr.  Corpora are generated once into $VB_BENCH_DIR.
# VB_BENCH_RUNS sets the pairs per figure (default 3).
cd "$(dirname "$0")/../.." || exit 2
VB_BIN=$(pwd)/${1:-build/verbatim}
export VB_BIN
export VB_BENCH_DIR=${VB_BENCH_DIR:-/tmp/verbatim-bench}
mkdir -p "$VB_BENCH_DIR"
. tests/bench/lib.sh || exit 2
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), code of $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $VB_BENCH_RUNS paired runs per figure (phrases: ${VB_BENCH_PHRASES_RUNS:-10})"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
table_header
status=0
for b in tests/bench/*.sh; do
	case $b in */run.sh|*/lib.sh) continue ;; esac
	[ -n "$VB_BENCH_ONLY" ] && case $b in *$VB_BENCH_ONLY*) ;; *) continue ;; esac
	sh "$b" || status=1
done
exit $status
