#!/bin/sh
# The products: catalog of verbatim.yml: a known key, each note's products
# checked against it (with "did you mean"), any product accepted without it.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/kb/calls"
cat >"$T/kb/verbatim.yml" <<'YML'
notes: [calls]
products:
  trail-runner-2: {label: Trail Runner 2, line: running}
  hiking-boot-x: {label: Hiking Boot X, line: hiking}
YML
note() { # file products
	printf -- '---\ndate: 2026-11-02\nproducts: %s\n---\n# Call\n' "$2" >"$T/kb/calls/$1.md"
}
note a '[trail-runner-2]'
note b '[trail-runer-2, hiking-boot-x]'
note c '[sandal]'

run_vb cat check -C "$T/kb"
expect_eq "an unknown product is an error (exit 1)" "$rc" 1
cat >"$T/expected" <<'EOF2'
calls/b.md:3:12: error: unknown product 'trail-runer-2' (did you mean 'trail-runner-2'?) [unknown-product]
calls/c.md:3:12: error: unknown product 'sandal'; add it to products: in verbatim.yml [unknown-product]
EOF2
expect_file "unknown products, each at its place, with did you mean" "$T/cat.err" "$T/expected"
expect_eq "products: is a known key of verbatim.yml" "$(cat "$T/cat.out")" "checked 3 notes: 2 errors, 0 warnings"

printf 'notes: [calls]\n' >"$T/kb/verbatim.yml"
run_vb free check -C "$T/kb"
expect_eq "without a catalog any product is accepted" "$rc" 0

printf 'notes: [calls]\nproducts: running\n' >"$T/kb/verbatim.yml"
run_vb bad check -C "$T/kb"
expect_grep "a catalog that is not a mapping is explained" "$T/bad.err" \
	"verbatim.yml:2:11: error: 'products' must be a mapping of product ids to labels, not a single value"
