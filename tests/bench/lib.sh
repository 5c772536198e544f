# Helpers for the benchmarks (sourced).
VB_TOP=$(cd "$(dirname "$0")/../.." && pwd)
GEN_NOTES=$VB_TOP/../shared/corpus/gen-notes
[ -f "$GEN_NOTES" ] || GEN_NOTES=${VB_SHARED:-/work/shared}/corpus/gen-notes

# corpus NAME ARGS...: generates a gen-notes corpus once, prints its folder
corpus() {
	name=$1; shift
	dir=$VB_BENCH_DIR/$name
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir"
		python3 "$GEN_NOTES" "$@" --out "$dir" >/dev/null || return 1
		touch "$dir/.done"
	fi
	echo "$dir"
}

# measure VAR COMMAND...: best wall time of 3 runs in seconds into $VAR,
# peak RSS (KiB) of the last run into ${VAR}_rss
measure() {
	var=$1; shift
	best=
	for i in 1 2 3; do
		if ! /usr/bin/time -f '%e %M' -o "$VB_BENCH_DIR/time.$$" "$@" >/dev/null 2>&1; then
			echo "bench: '$*' failed: $(head -1 "$VB_BENCH_DIR/time.$$")" >&2
			return 1
		fi
		read -r t rss <"$VB_BENCH_DIR/time.$$"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	rm -f "$VB_BENCH_DIR/time.$$"
	eval "$var=$best; ${var}_rss=$rss"
}

# measure_setup SETUP VAR COMMAND...: as measure (in milliseconds), with the
# shell string SETUP run before each of the 3 runs, outside the timing, and
# one untimed run first (it warms the caches: the notes, the program, the
# new file system's metadata)
measure_setup() {
	setup=$1; var=$2; shift 2
	best=
	sh -c "$setup" && "$@" >/dev/null 2>&1
	for i in 1 2 3; do
		sh -c "$setup" || return 1
		t0=$(date +%s%N)
		if ! /usr/bin/time -f '%e %M' -o "$VB_BENCH_DIR/time.$$" "$@" >/dev/null 2>&1; then
			echo "bench: '$*' failed: $(head -1 "$VB_BENCH_DIR/time.$$")" >&2
			return 1
		fi
		t1=$(date +%s%N)
		read -r t rss <"$VB_BENCH_DIR/time.$$"
		# milliseconds: a rerun takes a few hundredths of a second
		t=$(awk "BEGIN{printf \"%.3f\", ($t1 - $t0) / 1e9}")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	rm -f "$VB_BENCH_DIR/time.$$"
	eval "$var=$best; ${var}_rss=$rss"
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
