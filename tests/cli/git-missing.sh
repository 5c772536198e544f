#!/bin/sh
# Without libgit2 (VB_LIBGIT2 names a library that is not there): a plain
# folder is checked and reported on as ever; a work tree is listed whole, with
# a warning, and its report has no history; what needs git (a revision, the
# index, history, hooks, init) says so and how to fix it.  Nothing crashes.
. "$(dirname "$0")/../lib.sh"

export VB_LIBGIT2=$T/no-such-libgit2.so
missing="cannot load libgit2 ($T/no-such-libgit2.so"
fix="install it: apt-get install libgit2-dev"

plain=$T/plain
mkdir -p "$plain/calls"
cp "$FIX/rules/verbatim.yml" "$FIX/rules/roadmap.yml" "$plain/"
printf -- '---\ndate: 2026-10-03\nsegment: buyer\ncustomer: C-10100\n---\n\n> "fine" #price\n' \
	>"$plain/calls/2026-10-03-c10100-buyer.md"
run_vb plain check -C "$plain"
expect_eq "plain folder: check exit 0" "$rc" 0
expect_nogrep "plain folder: check says nothing of git" "$T/plain.err" "libgit2"
run_vb plainrep report -C "$plain" -o "$T/site"
expect_eq "plain folder: report exit 0" "$rc" 0
expect_eq "plain folder: report written" "$(find "$T/site/notes" -name '*.html' | wc -l)" 1
expect_nogrep "plain folder: report says nothing of git" "$T/plainrep.err" "libgit2"

repo=$T/repo
cp -r "$plain" "$repo"
git init -q "$repo"
printf 'ignored.md\n' >"$repo/calls/.gitignore"
printf -- '---\ndate: 2026-10-04\n---\n' >"$repo/calls/ignored.md"
git -C "$repo" add -A
git -C "$repo" -c user.name=T -c user.email=t@example.com commit -qm notes
run_vb tree report -C "$repo" -o "$T/site2"
expect_eq "work tree: report exit 0" "$rc" 0
expect_grep "work tree: warns that git is missing" "$T/tree.err" "$missing"
expect_grep "work tree: says what it means" "$T/tree.err" \
	"; files git ignores are listed too, and there is no history [git-unavailable]"
expect_eq "work tree: no history page" "$(ls "$T/site2" | grep -c history)" 0
expect_eq "work tree: the file git ignores is listed too" "$(ls "$T/site2/notes"/* | grep -c '^ignored-')" 1

for cmd in "report --rev HEAD -o site3" "check --rev HEAD" "check --staged" "history" \
	"index --rev HEAD -o ix" "hook install"; do
	run_vb git $cmd -C "$repo"
	expect_eq "$cmd: exit 2" "$rc" 2
	expect_grep "$cmd: says libgit2 is missing and how to fix it" "$T/git.err" "$fix"
done
expect_eq "nothing written for them" "$(ls "$repo" | grep -c -e site3 -e '^ix$')" 0
run_vb init init "$T/new-kb"
expect_eq "init: exit 2" "$rc" 2
expect_grep "init: says libgit2 is missing" "$T/init.err" "$missing"
