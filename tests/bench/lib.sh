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

# --- Paired runs and the table's rows (docs/benchmarks.md) ---------------
#
# A figure is measured in VB_BENCH_RUNS paired runs (default 3): in each
# pair the baseline and verbatim run one right after the other (where the
# order does not matter, it alternates from pair to pair), so that both see
# the same load, and the pair gives one ratio.  A row gives the medians, the ratio's minimum and median
# over the pairs, the target and in how many pairs it was met, and the
# 1-minute load average (/proc/loadavg) when the figure started and ended.
VB_BENCH_RUNS=${VB_BENCH_RUNS:-3}
bench_status=0

# the timer: tests/bench/timeit.c (exec to exit, CPU and peak RSS of the
# command alone), built once into $VB_BENCH_DIR
TIMEIT=$VB_BENCH_DIR/timeit
if [ ! -x "$TIMEIT" ] || [ "$VB_TOP/tests/bench/timeit.c" -nt "$TIMEIT" ]; then
	${CC:-cc} -O2 -o "$TIMEIT" "$VB_TOP/tests/bench/timeit.c" || { echo "bench: cannot build the timer" >&2; exit 1; }
fi

# once VAR COMMAND...: one run of COMMAND (no shell: exec to exit), wall
# seconds into VAR, user+system CPU seconds into VAR_cpu, peak RSS (KiB)
# into VAR_rss; non-zero with a message when the command fails
once() {
	var=$1; shift
	if ! "$TIMEIT" "$@" >"$VB_BENCH_DIR/once.$$"; then
		echo "bench: '$*' failed" >&2
		rm -f "$VB_BENCH_DIR/once.$$"
		return 1
	fi
	read -r _ow _oc _or <"$VB_BENCH_DIR/once.$$"
	rm -f "$VB_BENCH_DIR/once.$$"
	eval "$var=$_ow; ${var}_cpu=$_oc; ${var}_rss=$_or"
}

# figure_begin: a figure starts (the load now is its start load)
figure_begin() { load_start=$(cut -d' ' -f1 /proc/loadavg); }

# median VALUES...: the median (of an even count, the mean of the middle two)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# row WHAT VERBATIM BASELINE TARGET RATIO... [-- VALUE...]: one row of the
# table.  VERBATIM and BASELINE are texts (the medians, with units); each
# RATIO is one pair's; TARGET is empty or "<10x", ">=10x", "<5%", "<50ms"
# ..., held against each VALUE when given (e.g. the command's own time),
# else against each RATIO.  A target missed at the median sets
# bench_status=1.
row() {
	_what=$1 _vbt=$2 _baset=$3 _target=$4
	shift 4
	_ratios= _values= _sep=
	for _a in "$@"; do
		if [ "$_a" = -- ]; then _sep=1; continue; fi
		if [ -n "$_sep" ]; then _values="$_values $_a"; else _ratios="$_ratios $_a"; fi
	done
	[ -n "$_values" ] || _values=$_ratios
	# shellcheck disable=SC2086
	set -- $_ratios
	_unit=x
	case $_target in *%) _unit=% ;; *ms) _unit=ms ;; esac
	fmt() { awk -v v="$1" -v u="$2" 'BEGIN { if (u == "%") printf "%.1f %%", v; else printf "%.2fx", v }'; }
	_rmin=$(printf '%s\n' "$@" | sort -g | head -1)
	_rmed=$(median "$@")
	_met=
	if [ -n "$_target" ]; then
		_op=$(printf '%s' "$_target" | sed 's/[0-9.].*//')
		_lim=$(printf '%s' "$_target" | sed 's/^[<>=]*//; s/[a-z%]*$//')
		# shellcheck disable=SC2086
		_k=$(printf '%s\n' $_values | awk -v op="$_op" -v lim="$_lim" '
			{ n++; v = $1 + 0 }
			(op == "<" && v < lim) || (op == "<=" && v <= lim) || (op == ">" && v > lim) || (op == ">=" && v >= lim) { k++ }
			END { print k + 0 }')
		# shellcheck disable=SC2086
		_n=$(printf '%s\n' $_values | grep -c .)
		# shellcheck disable=SC2086
		_vmed=$(median $_values)
		if awk -v op="$_op" -v lim="$_lim" -v v="$_vmed" 'BEGIN { exit !((op == "<" && v < lim) || (op == "<=" && v <= lim) || (op == ">" && v > lim) || (op == ">=" && v >= lim)) }'; then
			_met="met in $_k of $_n runs"
		else
			_met="**missed** (met in $_k of $_n runs)"
			bench_status=1
		fi
		_target=$(printf '%s' "$_target" | sed 's/^</< /; s/^>/> /; s/^< =/<= /; s/^> =/>= /; s/ms$/ ms/; s/%$/ %/')
	fi
	_load_end=$(cut -d' ' -f1 /proc/loadavg)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s → %s |\n' "$_what" "$_vbt" "$_baset" \
		"$(fmt "$_rmin" "$_unit")" "$(fmt "$_rmed" "$_unit")" "$_target" "$_met" "$load_start" "$_load_end"
}

# table_header: the table's two header lines
table_header() {
	echo "| figure | verbatim (median) | baseline (median) | ratio: min | ratio: median | target | met | load (1 min), start → end |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
}

# div A B, pct A B: A / B and 100 A / B (inf when B is 0)
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "inf" }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", 100 * a / b; else print "inf" }'; }
# secs VALUES...: the median as "0.83 s"; msecs: as "21.3 ms"; mib: KiB as "56.2 MiB"
secs() { awk -v v="$(median "$@")" 'BEGIN { printf "%.3f s", v }'; }
msecs() { awk -v v="$(median "$@")" 'BEGIN { printf "%.1f ms", v * 1000 }'; }
mib() { awk -v v="$(median "$@")" 'BEGIN { printf "%.1f MiB", v / 1024 }'; }
