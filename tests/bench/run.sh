#!/bin/sh
# make bench: every tests/bench/*.sh (but this one and lib.sh), in name order.
# Each prints its figures as ratios against a baseline run in the same
# invocation.  Corpora are generated once into $VB_BENCH_DIR.
cd "$(dirname "$0")/../.." || exit 2
VB_BIN=$(pwd)/${1:-build/verbatim}
export VB_BIN
export VB_BENCH_DIR=${VB_BENCH_DIR:-/tmp/verbatim-bench}
mkdir -p "$VB_BENCH_DIR"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
status=0
for b in tests/bench/*.sh; do
	case $b in */run.sh|*/lib.sh) continue ;; esac
	[ -n "$VB_BENCH_ONLY" ] && case $b in *$VB_BENCH_ONLY*) ;; *) continue ;; esac
	sh "$b" || status=1
done
exit $status
