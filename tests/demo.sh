#!/bin/sh
# make demo: the main job on the bundled example knowledge base.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
vb=$top/${1:-build/verbatim}
kb=$top/examples/acme
out=$top/build/demo-report
echo "== verbatim check (examples/acme)"
"$vb" check -C "$kb" || true
echo
echo "== verbatim stats"
"$vb" stats -C "$kb"
echo
echo "== verbatim phrases (the customers' own words)"
"$vb" index -C "$kb" -o "$top/build/demo-index" >/dev/null
"$vb" phrases -C "$kb" --index "$top/build/demo-index" --limit 10
echo
echo "== verbatim report"
"$vb" report -C "$kb" -o "$out" --json
echo
echo "The report is at: $out/index.html"
