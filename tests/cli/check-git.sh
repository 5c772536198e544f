#!/bin/sh
# verbatim check on a git repository: the working tree (ignored files
# skipped), --rev REV (a past tree), --staged (the index, as a pre-commit hook
# sees it) and a revision that does not exist.
. "$(dirname "$0")/../lib.sh"

export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
	GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2026-10-01T12:00:00Z \
	GIT_COMMITTER_DATE=2026-10-01T12:00:00Z GIT_CONFIG_NOSYSTEM=1 HOME=$T
R=$T/repo
mkdir -p "$R/calls"
cd "$R" || exit 2
git init -q -b main . || exit 2
cp "$FIX/rules/verbatim.yml" "$FIX/rules/roadmap.yml" .
cp "$FIX/rules/calls/clean-a.md" "$FIX/rules/calls/clean-b.md" calls/
git add . && git commit -qm one
# second commit: a bad note
cp "$FIX/rules/calls/unknown-tag.md" calls/
git add . && git commit -qm two
# staged but not committed: a note with a bad date; then the working tree
# copy is fixed without staging
cp "$FIX/rules/calls/bad-date.md" calls/
git add calls/bad-date.md
sed 's/next tuesday/2026-10-05/' calls/bad-date.md >calls/bad-date.tmp && mv calls/bad-date.tmp calls/bad-date.md
# untracked and ignored
printf 'calls/ignored.md\n' >.gitignore
cp "$FIX/rules/calls/bad-ltv.md" calls/ignored.md
cp "$FIX/rules/calls/bad-outcome.md" calls/untracked.md
cd "$VB_TOP" || exit 2

# the working tree: untracked notes count, ignored ones do not
run_vb wt check -C "$R"
expect_eq "working tree: exit 1" "$rc" 1
cat >"$T/wt.exp" <<'X'
calls/unknown-tag.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
calls/untracked.md:5:10: error: unknown outcome 'maybe'; use connected, voicemail, no-answer or declined [bad-outcome]
X
expect_file "working tree: ignored file skipped, fixed file clean" "$T/wt.err" "$T/wt.exp"
expect_eq "working tree: summary" "$(cat "$T/wt.out")" "checked 5 notes: 2 errors, 0 warnings"

# --staged: what the commit would hold (the staged bad date, not the fix)
run_vb staged check --staged -C "$R"
expect_eq "--staged: exit 1" "$rc" 1
cat >"$T/staged.exp" <<'X'
calls/bad-date.md:2:7: error: date 'next tuesday' is not a date; write it as YYYY-MM-DD [bad-date]
calls/unknown-tag.md:5:8: error: unknown tag 'pricee' (did you mean 'price'?) [unknown-tag]
X
expect_file "--staged: the index, not the working tree" "$T/staged.err" "$T/staged.exp"
expect_eq "--staged: summary" "$(cat "$T/staged.out")" "checked 4 notes: 2 errors, 0 warnings"

# --staged with PATH: only that file
run_vb stagedpath check --staged -C "$R" calls/bad-date.md
expect_eq "--staged PATH: summary" "$(cat "$T/stagedpath.out")" "checked 1 note: 1 error, 0 warnings"
expect_eq "--staged PATH: the staged bytes" "$(cat "$T/stagedpath.err")" \
	"calls/bad-date.md:2:7: error: date 'next tuesday' is not a date; write it as YYYY-MM-DD [bad-date]"

# --rev: the first commit is clean, the second is not
run_vb rev1 check --rev HEAD~1 -C "$R"
expect_eq "--rev HEAD~1: exit 0" "$rc" 0
expect_eq "--rev HEAD~1: summary" "$(cat "$T/rev1.out")" "checked 2 notes: 0 errors, 0 warnings"
expect_eq "--rev HEAD~1: no diagnostics" "$(cat "$T/rev1.err")" ""
run_vb rev2 check --rev main -C "$R" --format=github
expect_eq "--rev main: exit 1" "$rc" 1
expect_eq "--rev main: github annotation" "$(cat "$T/rev2.out")" \
	"::error file=calls/unknown-tag.md,line=5,col=8,title=unknown-tag::unknown tag 'pricee' (did you mean 'price'?)"
expect_eq "--rev main: summary on stderr" "$(cat "$T/rev2.err")" "checked 3 notes: 1 error, 0 warnings"

# a revision that does not exist, and a folder that is no repository
run_vb nope check --rev nope -C "$R"
expect_eq "--rev nope: exit 2" "$rc" 2
expect_eq "--rev nope: bad-revision" "$(cat "$T/nope.err")" \
	"$R: error: 'nope' names no revision of the repository (revspec 'nope' not found); give a branch, tag or commit [bad-revision]"
expect_eq "--rev nope: no summary" "$(cat "$T/nope.out")" ""
mkdir -p "$T/plain"
run_vb norepo check --staged -C "$T/plain"
expect_eq "--staged outside a repository: exit 2" "$rc" 2
expect_eq "--staged outside a repository: no-repository" "$(cat "$T/norepo.err")" \
	"$T/plain: error: no git repository at or above this folder (could not find repository from '$T/plain'); run git init or give the path of a repository [no-repository]"

# a tracked note is read even when an ignore rule matches it (git ignores
# untracked files only); an untracked one it matches is not
cd "$R" || exit 2
printf 'calls/ignored.md\ncalls/unknown-tag.md\n' >.gitignore
cd "$VB_TOP" || exit 2
run_vb tracked check -C "$R"
expect_eq "tracked but matching .gitignore: still checked" "$(cat "$T/tracked.err")" "$(cat "$T/wt.exp")"
expect_eq "tracked but matching .gitignore: summary" "$(cat "$T/tracked.out")" "checked 5 notes: 2 errors, 0 warnings"
