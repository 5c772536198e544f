#!/bin/sh
# verbatim hook: the pre-commit hook checks what is staged (the git index),
# not the working tree, and blocks the commit on errors in the notes the
# commit adds or changes, never on notes it does not touch.
. "$(dirname "$0")/../lib.sh"

repo=$T/repo
git init -q "$repo"
git -C "$repo" config user.name "Test"
git -C "$repo" config user.email "test@example.com"
mkdir -p "$repo/calls"
cat >"$repo/verbatim.yml" <<'EOF'
notes: [calls]
segments:
  buyer: {label: Recent buyers}
tags:
  price: {label: Price, kind: reason}
  fit-uncertainty: {label: Unsure about fit, kind: problem}
EOF
good() { printf -- '---\ndate: 2026-11-03\nsegment: buyer\ncustomer: C-1\n---\n\n> "Too dear for me" #price\n'; }
bad() { printf -- '---\ndate: 2026-11-03\nsegment: buyer\ncustomer: C-1\n---\n\n> "Too dear for me" #pricee\n'; }
note=calls/2026-11-03-c1-buyer.md
commit() { (cd "$repo" && git commit -qm "$1" >"$T/commit.out" 2>&1); rc=$?; }

run_vb inst hook install -C "$repo"
expect_eq "hook install: exit 0" "$rc" 0
expect_eq "hook install: message" "$(cat "$T/inst.out")" "installed $repo/.git/hooks/pre-commit (runs $VB_BIN check --staged --changed-since HEAD)"
expect_eq "hook: executable" "$(test -x "$repo/.git/hooks/pre-commit" && echo yes)" "yes"
expect_grep "hook: runs the binary under test by its absolute path" "$repo/.git/hooks/pre-commit" "verbatim='$VB_BIN'"

# an unknown tag staged: the commit is blocked with the diagnostic
bad >"$repo/$note"
git -C "$repo" add -A
commit "bad"
expect_eq "hook: unknown tag blocks the commit" "$rc" 1
expect_grep "hook: the diagnostic is shown" "$T/commit.out" "$note:7:21: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]"
expect_grep "hook: says the commit was blocked" "$T/commit.out" "verbatim: commit blocked"
expect_eq "hook: nothing committed" "$(git -C "$repo" rev-parse -q --verify HEAD || echo none)" "none"

# the fix staged: passes
good >"$repo/$note"
git -C "$repo" add -A
commit "good"
expect_eq "hook: the staged fix passes" "$rc:$(git -C "$repo" log --format=%s)" "0:good"

# staged fix, working tree still wrong: passes (the index is what is committed)
good >"$repo/$note"
printf '\nMore notes.\n' >>"$repo/$note"
git -C "$repo" add "$note"
bad >"$repo/$note"
commit "staged fix"
expect_eq "hook: staged fix with a wrong working tree passes" "$rc:$(git -C "$repo" log -1 --format=%s)" "0:staged fix"

# the reverse: staged wrong, working tree fixed: blocked
bad >"$repo/$note"
git -C "$repo" add "$note"
good >"$repo/$note"
commit "staged wrong"
expect_eq "hook: staged error with a fixed working tree is blocked" "$rc:$(git -C "$repo" log -1 --format=%s)" "1:staged fix"
expect_grep "hook: the staged error is reported" "$T/commit.out" "unknown hashtag '#pricee'"

# git commit -a (GIT_INDEX_FILE is a temporary index): the working tree's fix counts
(cd "$repo" && git commit -qam "commit -a" >"$T/commit.out" 2>&1); rc=$?
expect_eq "hook: commit -a with the fix passes" "$rc:$(git -C "$repo" log -1 --format=%s)" "0:commit -a"

# a foreign hook is kept unless --force, which keeps a backup; uninstall restores it
printf '#!/bin/sh\nexit 0\n' >"$repo/.git/hooks/pre-commit"
run_vb foreign hook install -C "$repo"
expect_eq "hook install: refuses a foreign hook" "$rc:$(cat "$T/foreign.err")" "2:verbatim: hook: $repo/.git/hooks/pre-commit exists and is not verbatim's; keep it, or use --force (it is moved to pre-commit.verbatim-backup)"
run_vb force hook install -C "$repo" --force
expect_eq "hook install --force: exit 0" "$rc:$(head -1 "$T/force.out")" "0:moved the old hook to $repo/.git/hooks/pre-commit.verbatim-backup"
expect_eq "hook: backup kept" "$(cat "$repo/.git/hooks/pre-commit.verbatim-backup")" "#!/bin/sh
exit 0"
run_vb again hook install -C "$repo"
expect_eq "hook install over its own hook: exit 0" "$rc" 0
run_vb un hook uninstall -C "$repo"
expect_eq "hook uninstall: removes and restores" "$rc:$(cat "$T/un.out")" "0:removed $repo/.git/hooks/pre-commit
restored the earlier hook from $repo/.git/hooks/pre-commit.verbatim-backup"
expect_eq "hook uninstall: the earlier hook is back" "$(cat "$repo/.git/hooks/pre-commit")" "#!/bin/sh
exit 0"
run_vb un2 hook uninstall -C "$repo"
expect_eq "hook uninstall: a foreign hook is left alone" "$rc:$(cat "$T/un2.err")" "2:verbatim: hook: $repo/.git/hooks/pre-commit is not verbatim's; it is left alone"

# core.hooksPath is respected (relative to the working tree)
rm -f "$repo/.git/hooks/pre-commit"
git -C "$repo" config core.hooksPath githooks
run_vb hp hook install -C "$repo"
expect_eq "hook install: core.hooksPath" "$rc:$(test -x "$repo/githooks/pre-commit" && echo yes)" "0:yes"
bad >"$repo/$note"
git -C "$repo" add -A
commit "via hooksPath"
expect_eq "hook in core.hooksPath blocks the commit" "$rc" 1

# usage
run_vb u1 hook
expect_eq "hook: no action: exit 2" "$rc:$(head -1 "$T/u1.err")" "2:verbatim: hook: say install or uninstall"
run_vb u2 hook frob
expect_eq "hook: unknown action: exit 2" "$rc:$(head -1 "$T/u2.err")" "2:verbatim: hook: unknown action; say install or uninstall"
run_vb u3 hook install --bogus
expect_eq "hook: unknown option: usage, exit 2" "$rc:$(sed -n 2p "$T/u3.err")" "2:usage: verbatim hook install [-C DIR] [--force]"
mkdir -p "$T/norepo"
run_vb u4 hook install -C "$T/norepo"
expect_eq "hook: no repository: exit 2" "$rc:$(cat "$T/u4.err")" "2:$T/norepo: error: not in a git repository; run 'git init' (or 'verbatim init') first [no-repository]"

# ---- only what the commit changes: a bad note committed earlier blocks no
# later commit that does not touch it; a new bad note is blocked ----
repo=$T/repo2
git init -q "$repo"
git -C "$repo" config user.name "Test"
git -C "$repo" config user.email "test@example.com"
mkdir -p "$repo/calls"
cp "$T/repo/verbatim.yml" "$repo/"
bad >"$repo/calls/old-bad.md"
git -C "$repo" add -A
git -C "$repo" commit -qm "a bad note, before the hook"
run_vb inst2 hook install -C "$repo"
printf 'readme\n' >"$repo/notes.txt"
git -C "$repo" add notes.txt
commit "touches no note"
expect_eq "hook: a commit touching no note passes while a bad note is committed" \
	"$rc:$(git -C "$repo" log -1 --format=%s)" "0:touches no note"
good >"$repo/calls/2026-11-04-c2-buyer.md"
git -C "$repo" add -A
commit "a good note"
expect_eq "hook: a good new note passes while a bad note is committed" \
	"$rc:$(git -C "$repo" log -1 --format=%s)" "0:a good note"
bad >"$repo/calls/2026-11-05-c3-buyer.md"
git -C "$repo" add -A
commit "a new bad note"
expect_eq "hook: a new bad note is blocked" "$rc:$(git -C "$repo" log -1 --format=%s)" "1:a good note"
expect_grep "hook: the new note's error is shown" "$T/commit.out" \
	"calls/2026-11-05-c3-buyer.md:7:21: error: unknown hashtag '#pricee'"
expect_nogrep "hook: the old note's error is not" "$T/commit.out" "old-bad.md"
git -C "$repo" reset -q
rm "$repo/calls/2026-11-05-c3-buyer.md"
# a change to verbatim.yml checks every note: dropping a tag that a
# committed note uses is blocked
sed 's/^  price: .*$//' "$T/repo/verbatim.yml" >"$repo/verbatim.yml"
git -C "$repo" add verbatim.yml
commit "drop the price tag"
expect_eq "hook: a vocabulary change checks every note" "$rc:$(git -C "$repo" log -1 --format=%s)" \
	"1:a good note"
expect_grep "hook: the untouched note that the change breaks is shown" "$T/commit.out" \
	"calls/2026-11-04-c2-buyer.md:7:21: error: unknown hashtag '#price'"
git -C "$repo" checkout -q HEAD -- verbatim.yml

# ---- verbatim not installed: said plainly; a commit without notes passes ----
mkdir -p "$T/bin"
cp "$VB_BIN" "$T/bin/verbatim"
(cd "$repo" && "$T/bin/verbatim" hook install >/dev/null)
rm "$T/bin/verbatim"
good >"$repo/calls/2026-11-06-c4-buyer.md"
git -C "$repo" add -A
(cd "$repo" && PATH=/usr/bin:/bin git commit -qm "no verbatim" >"$T/commit.out" 2>&1); rc=$?
expect_eq "hook without verbatim: a commit with notes is held" "$rc" 1
expect_grep "hook without verbatim: says it plainly" "$T/commit.out" \
	"verbatim: this commit changes notes, and verbatim, which checks them, is not installed (not at $T/bin/verbatim nor in PATH); install it, or commit with --no-verify, or remove this hook"
expect_nogrep "hook without verbatim: no cryptic shell error" "$T/commit.out" "not found"
git -C "$repo" reset -q
printf 'more\n' >>"$repo/notes.txt"
git -C "$repo" add notes.txt
(cd "$repo" && PATH=/usr/bin:/bin git commit -qm "no verbatim, no notes" >"$T/commit.out" 2>&1); rc=$?
expect_eq "hook without verbatim: a commit touching no note passes" \
	"$rc:$(git -C "$repo" log -1 --format=%s)" "0:no verbatim, no notes"

# ---- the pre-commit framework's hook (.pre-commit-hooks.yaml) ----
if python3 - "$VB_TOP" >"$T/pc.out" 2>&1 <<'PY'
import os, re, sys, yaml
top = sys.argv[1]
hooks = yaml.safe_load(open(os.path.join(top, ".pre-commit-hooks.yaml")))
h = [x for x in hooks if x["id"] == "verbatim-check"][0]
assert {"id", "name", "entry", "language"} <= set(h), h
entry = os.path.join(top, h["entry"].split()[0])
assert h["language"] == "script" and os.access(entry, os.X_OK), entry
files = re.compile(h["files"])
for yes in ("calls/2026/a.md", "kb/calls/a.md", "verbatim.yml", "kb/roadmap.yml", "copy.yml"):
    assert files.search(yes), yes
for no in ("README.txt", ".github/workflows/ci.yml", "src/app.c", "notverbatim.yml"):
    assert not files.search(no), no
PY
then ok "pre-commit: .pre-commit-hooks.yaml names an executable script and the right files"
else notok "pre-commit: .pre-commit-hooks.yaml names an executable script and the right files"; sed 's/^/#   /' "$T/pc.out" | tail -5; fi
PC=$VB_TOP/contrib/pre-commit-check
mkdir -p "$T/bin2"
ln -s "$VB_BIN" "$T/bin2/verbatim"
printf 'A README with #pricee is no note\n' >"$repo/README.md"
(cd "$repo" && PATH="$T/bin2:/usr/bin:/bin" "$PC" README.md calls/2026-11-04-c2-buyer.md >"$T/pc1.out" 2>&1); rc=$?
expect_eq "pre-commit: a good note and a README pass" "$rc:$(cat "$T/pc1.out")" "0:"
bad >"$repo/calls/2026-11-07-c5-buyer.md"
(cd "$repo" && PATH="$T/bin2:/usr/bin:/bin" "$PC" README.md calls/2026-11-07-c5-buyer.md >"$T/pc2.out" 2>&1); rc=$?
expect_eq "pre-commit: a bad note fails with its diagnostic" "$rc:$(cat "$T/pc2.out")" \
	"1:calls/2026-11-07-c5-buyer.md:7:21: error: unknown hashtag '#pricee' (did you mean '#price'?) [unknown-tag]"
(cd "$repo" && PATH=/usr/bin:/bin "$PC" calls/2026-11-07-c5-buyer.md >"$T/pc3.out" 2>&1); rc=$?
expect_eq "pre-commit: verbatim not installed, said plainly" "$rc:$(cat "$T/pc3.out")" \
	"1:verbatim: the verbatim-check hook needs verbatim, which is not installed (not in PATH); install it (README: Set-up), or skip the hook once: SKIP=verbatim-check git commit"

# ---- a monorepo: the knowledge base is the folder kb of the repository ----
repo=$T/mono
git init -q "$repo"
git -C "$repo" config user.name "Test"
git -C "$repo" config user.email "test@example.com"
mkdir -p "$repo/kb/calls" "$repo/app"
printf 'notes: [calls]\ntags:\n  price: {label: Price, kind: reason}\n' >"$repo/kb/verbatim.yml"
bad >"$repo/kb/calls/old-bad.md"
printf '# app\n' >"$repo/app/README.md"
git -C "$repo" add -A
git -C "$repo" commit -qm "before the hook"
run_vb inst3 hook install -C "$repo/kb"
expect_eq "monorepo: the hook checks the knowledge base's folder" "$rc:$(cat "$T/inst3.out")" \
	"0:installed $repo/.git/hooks/pre-commit (runs $VB_BIN check -C kb --staged --changed-since HEAD)"
printf '# the app, changed\n' >"$repo/app/README.md"
git -C "$repo" add -A
commit "app only"
expect_eq "monorepo: a commit touching no note passes" "$rc:$(git -C "$repo" log -1 --format=%s)" "0:app only"
bad >"$repo/kb/calls/new-bad.md"
git -C "$repo" add -A
commit "new bad"
expect_eq "monorepo: a new bad note is blocked" "$rc:$(git -C "$repo" log -1 --format=%s)" "1:app only"
expect_grep "monorepo: its error is shown" "$T/commit.out" "calls/new-bad.md:7:21: error: unknown hashtag '#pricee'"
expect_nogrep "monorepo: the old note's is not" "$T/commit.out" "old-bad.md"
run_vb st3 check --staged -C "$repo/kb"
expect_eq "monorepo: check --staged reads the folder's vocabulary and notes" \
	"$rc:$(cut -d: -f1 "$T/st3.err" | sort -u | tr '\n' ' ')" "1:calls/new-bad.md calls/old-bad.md "
