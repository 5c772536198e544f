#!/bin/sh
# make demo: the main job on the bundled example knowledge base.
#
# examples/acme is copied into build/demo-kb as a git repository with one
# commit per call day (dated like the calls), so the report has a history.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
vb=$top/${1:-build/verbatim}
kb=$top/build/demo-kb
out=$top/build/demo-report

rm -rf "$kb"
mkdir -p "$kb/calls"
cp "$top/examples/acme/verbatim.yml" "$top/examples/acme/roadmap.yml" "$kb/"
git -C "$kb" init -q -b main
git -C "$kb" config user.name "Demo Team"
git -C "$kb" config user.email "demo@example.com"
first=$(ls "$top/examples/acme/calls/2026" | head -1 | cut -c1-10)
GIT_AUTHOR_DATE="${first}T09:00:00Z" GIT_COMMITTER_DATE="${first}T09:00:00Z" \
	git -C "$kb" add verbatim.yml roadmap.yml
GIT_AUTHOR_DATE="${first}T09:00:00Z" GIT_COMMITTER_DATE="${first}T09:00:00Z" \
	git -C "$kb" commit -q -m "Vocabulary and roadmap"
for day in $(ls "$top/examples/acme/calls/2026" | cut -c1-10 | sort -u); do
	mkdir -p "$kb/calls/2026"
	cp "$top/examples/acme/calls/2026/$day"-*.md "$kb/calls/2026/"
	git -C "$kb" add calls
	GIT_AUTHOR_DATE="${day}T17:00:00Z" GIT_COMMITTER_DATE="${day}T17:00:00Z" \
		git -C "$kb" commit -q -m "Calls of $day"
done

echo "== verbatim check"
"$vb" check -C "$kb" || true
echo
echo "== verbatim stats"
"$vb" stats -C "$kb"
echo
echo "== verbatim phrases (the customers' own words)"
"$vb" index -C "$kb" -q
"$vb" phrases -C "$kb" --limit 10
echo
echo "== verbatim history"
"$vb" history -C "$kb" --weeks 10 | head -12
echo
echo "== verbatim report"
"$vb" report -C "$kb" -o "$out" --json
echo
echo "The example knowledge base (a git repository): $kb"
echo "The report is at: $out/index.html"
