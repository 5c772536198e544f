#!/bin/sh
# A generated knowledge base of 2,000 notes checks clean (0 errors; aliases
# are warnings), as a folder and as a git repository (--rev HEAD, --staged).
# Skipped under valgrind (-big).
. "$(dirname "$0")/../lib.sh"

# The expected warnings are counted from the generated files by an independent
# script (tests/tools/count-aliases.py), never hard-coded.
$GEN --notes 2000 --out "$T/kb" >/dev/null 2>&1 || { notok "gen-notes --notes 2000"; exit 1; }
aliases=$(python3 "$VB_TOP/tests/tools/count-aliases.py" "$T/kb")
run_vb kb check -C "$T/kb"
expect_eq "2,000 notes: exit 0" "$rc" 0
expect_eq "2,000 notes: summary" "$(cat "$T/kb.out")" "checked 2000 notes: 0 errors, $aliases warnings"
expect_eq "2,000 notes: every finding is an alias warning" \
	"$(grep -c ': warning: .* \[alias\]$' "$T/kb.err")" "$aliases"
expect_eq "2,000 notes: nothing else on stderr" "$(grep -vc '\[alias\]$' "$T/kb.err")" 0
run_vb strict check --strict -q -C "$T/kb"
expect_eq "2,000 notes --strict: the alias warnings count (exit 1)" "$rc" 1
run_vb json check --format=json -C "$T/kb"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == int(sys.argv[2]) and all(x["rule"] == "alias" for x in d)' "$T/json.out" "$aliases" 2>"$T/py.err"; then
	ok "2,000 notes: json lists every alias warning"
else notok "2,000 notes: json lists every alias warning"; sed 's/^/#   /' "$T/py.err" | tail -3; fi

$GEN --notes 2000 --git day --out "$T/git" >/dev/null 2>&1 || { notok "gen-notes --git day"; exit 1; }
git_notes=$(git -C "$T/git" ls-files 'calls/*.md' | wc -l)
git_aliases=$(python3 "$VB_TOP/tests/tools/count-aliases.py" "$T/git")
run_vb rev check --rev HEAD -C "$T/git"
expect_eq "git corpus --rev HEAD: exit 0" "$rc" 0
expect_eq "git corpus --rev HEAD: summary" "$(cat "$T/rev.out")" "checked $git_notes notes: 0 errors, $git_aliases warnings"
run_vb staged check --staged -q -C "$T/git"
expect_eq "git corpus --staged: exit 0" "$rc" 0
expect_file "git corpus: --staged and --rev HEAD agree" "$T/staged.err" "$T/rev.err"
run_vb wt check -q -C "$T/git"
expect_file "git corpus: working tree and --rev HEAD agree" "$T/wt.err" "$T/rev.err"
