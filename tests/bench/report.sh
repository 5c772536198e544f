#!/bin/sh
# Benchmark: verbatim report for 10k and 100k notes, against Hugo building
# the same notes with a tags taxonomy (term pages) in the same run.
# Each tool from scratch (no output folder yet, as in CI on a fresh clone)
# and as a rerun (its previous output in place: Hugo overwrites its files,
# verbatim links the unchanged pages).  Targets: verbatim at least 10x
# faster than Hugo; peak RSS under 2x the corpus bytes.  Prints the table's rows (lib.sh).
# VB_BENCH_REPORT_SIZES="10000" runs one size.
#
# The outputs go to a new ext4 file system for each size (a loop-mounted
# image, when root can make one; else $VB_BENCH_DIR, which the output says),
# and nothing is deleted there until the end: a from-scratch run's
# predecessor is moved aside.  Otherwise what ran before would decide the
# figures: ext4 without a journal (as on this machine's disk) checks every
# inode freed in the last minutes one by one before it reuses any
# (recently_deleted() in fs/ext4/ialloc.c), so creating 10,000 files right
# after other benchmarks deleted a million took 2 s instead of 0.3 s.
# One untimed run of each tool comes first, and every run follows a sync:
# caches warm and no writeback of an earlier run pending, for both tools
# alike.  VB_BENCH_RUNS pairs per figure (lib.sh).
. "$(dirname "$0")/lib.sh"
VB_BIN=${VB_BIN:-$VB_TOP/build/verbatim}
if ! command -v hugo >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q hugo >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q hugo >/dev/null 2>&1; }
fi
command -v hugo >/dev/null 2>&1 || { echo "report: hugo is not installed (apt-get install hugo)"; exit 1; }

# hugo_site KB: a minimal Hugo site over KB's calls folder, with term pages
hugo_site() {
	site=$1.hugo
	rm -rf "$site"
	mkdir -p "$site/layouts/_default"
	cat >"$site/config.yaml" <<CFG
baseURL: http://example.org/
title: bench
contentDir: $1/calls
disableKinds: [RSS, sitemap, robotsTXT, 404]
taxonomies: {tag: tags}
markup: {goldmark: {renderer: {unsafe: false}}}
CFG
	printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Params.segment }} {{ .Date }} {{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}{{ .Content }}</body></html>\n' >"$site/layouts/_default/single.html"
	printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' >"$site/layouts/_default/list.html"
	printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul></body></html>\n' >"$site/layouts/_default/taxonomy.html"
	printf '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' >"$site/layouts/_default/term.html"
	echo "$site"
}

img=$VB_BENCH_DIR/report-outputs.img
mnt=$VB_BENCH_DIR/report-outputs
# outputs_begin: sets $where to a folder on a new file system if possible
outputs_begin() {
	mkdir -p "$mnt"
	where=$mnt
	if [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null 2>&1 && rm -f "$img" &&
		truncate -s 16G "$img" && mkfs.ext4 -q -F -i 4096 "$img" >/dev/null 2>&1 &&
		mount -o loop "$img" "$mnt" 2>/dev/null; then
		fs="a new ext4 file system"
	else
		rm -f "$img"
		fs="$VB_BENCH_DIR (no new file system could be made: figures depend on what was deleted just before)"
	fi
	aside=$where/aside
	mkdir -p "$aside"
}
outputs_end() {
	if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt"; else rm -rf "$mnt"; fi
	rm -rf "$img" "$mnt"
}
trap outputs_end EXIT
# settled DIR: the shell command waiting until no replaced output of DIR
# (".DIR.old-*", removed in the background) is left, then until what was
# written before is on disk (its writeback would compete with the next run;
# every run of both tools starts after a sync)
settled() { echo "while ls -d '$(dirname "$1")/.$(basename "$1")'.old-* >/dev/null 2>&1; do sleep 0.1; done; sync"; }
# moved_aside DIR: the shell command moving DIR, if there, into $aside (and
# syncing, as settled)
moved_aside() { echo "if [ -e '$1' ]; then mv '$1' '$aside'/\$(date +%s%N); fi; sync"; }

for n in ${VB_BENCH_REPORT_SIZES:-10000 100000}; do
	kb=$(corpus "report-$n" --notes "$n") || { echo "report: cannot generate $n notes"; exit 1; }
	bytes=$(find "$kb/calls" -name '*.md' -type f -printf '%s\n' | awk '{s += $1} END {print s}')
	site=$(hugo_site "$kb")
	outputs_begin
	out=$where/report-$n.out
	hout=$where/report-$n.hugo-out
	# from scratch: no output folder (the previous run's moved aside,
	# untimed); one untimed run of each tool first (caches warm)
	sh -c "$(moved_aside "$out")" && "$VB_BIN" report -C "$kb" -o "$out" >/dev/null 2>&1
	sh -c "$(moved_aside "$hout")" && hugo --quiet -s "$site" -d "$hout" >/dev/null 2>&1
	figure_begin
	r= m= vbs= hugos= rss= hrss=
	for i in $(seq "$VB_BENCH_RUNS"); do
		sh -c "$(moved_aside "$out")" && once vbcold "$VB_BIN" report -C "$kb" -o "$out" || exit 1
		sh -c "$(moved_aside "$hout")" && once hugocold hugo --quiet -s "$site" -d "$hout" || exit 1
		vbs="$vbs $vbcold" hugos="$hugos $hugocold" rss="$rss $vbcold_rss" hrss="$hrss $hugocold_rss"
		r="$r $(div "$hugocold" "$vbcold")" m="$m $(div "$((vbcold_rss * 1024))" "$bytes")"
	done
	mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')
	# shellcheck disable=SC2086
	{
		row "\`report\`, $n notes, from scratch (times faster)" "$(secs $vbs)" "Hugo $(secs $hugos)" ">=10x" $r
		row "\`report\`, $n notes: peak memory (Hugo $(mib $hrss))" "$(mib $rss)" "corpus $mb" "<2x" $m
	}
	# a rerun over the same notes, the previous output in place; each run
	# starts once the one before has finished removing the output it
	# replaced (verbatim does that in a detached process after it exits:
	# overlapping it would measure two runs at once)
	figure_begin
	r= vbs= hugos=
	for i in $(seq "$VB_BENCH_RUNS"); do
		sh -c "$(settled "$out")" && once vb "$VB_BIN" report -C "$kb" -o "$out" || exit 1
		sync && once hugo hugo --quiet -s "$site" -d "$hout" || exit 1
		vbs="$vbs $vb" hugos="$hugos $hugo"
		r="$r $(div "$hugo" "$vb")"
	done
	pages=$(find "$out" -name '*.html' | wc -l)
	hpages=$(find "$hout" -name '*.html' | wc -l)
	# shellcheck disable=SC2086
	row "\`report\`, $n notes, rerun ($pages pages; Hugo $hpages) (times faster)" "$(secs $vbs)" "Hugo $(secs $hugos)" ">=10x" $r
	echo "report $n notes: outputs on $fs" >&2
	outputs_end
done
exit $bench_status
