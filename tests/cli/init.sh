#!/bin/sh
# verbatim init: the exact files, nothing replaced on a second run, then new
# and check end to end in the fresh git repository; the CI files parse as
# YAML and name only commands that exist.
. "$(dirname "$0")/../lib.sh"

kb=$T/voc
run_vb init1 init "$kb"
expect_eq "init: exit 0" "$rc" 0
cat >"$T/init1.expected" <<EOF
initialized an empty git repository in $kb
created .github/workflows/verbatim.yml
created .gitignore
created .gitlab-ci.yml
created README.md
created calls/.gitkeep
created roadmap.yml
created templates/abandoner.md
created templates/buyer.md
created templates/follow-up.md
created templates/returner.md
created verbatim.yml
EOF
expect_file "init: prints what it created" "$T/init1.out" "$T/init1.expected"
(cd "$kb" && find . -path ./.git -prune -o -type f -print | sort) >"$T/files.got"
cat >"$T/files.expected" <<'EOF'
./.github/workflows/verbatim.yml
./.gitignore
./.gitlab-ci.yml
./README.md
./calls/.gitkeep
./roadmap.yml
./templates/abandoner.md
./templates/buyer.md
./templates/follow-up.md
./templates/returner.md
./verbatim.yml
EOF
expect_file "init: exactly these files" "$T/files.got" "$T/files.expected"
expect_eq "init: a git repository" "$(git -C "$kb" rev-parse --is-inside-work-tree 2>&1)" "true"
expect_file "init: templates are the bundled ones" "$kb/templates/abandoner.md" "$VB_TOP/notes-template/abandoner.md"
expect_file "init: verbatim.yml" "$kb/verbatim.yml" "$VB_TOP/notes-template/init/verbatim.yml"

# a second run creates nothing and keeps an edited file
echo "# mine" >>"$kb/verbatim.yml"
cp "$kb/verbatim.yml" "$T/edited.yml"
run_vb init2 init "$kb"
sed 's/^created /kept    /' "$T/init1.expected" | grep -v '^initialized' >"$T/init2.expected"
expect_eq "init again: exit 0" "$rc" 0
expect_file "init again: everything kept" "$T/init2.out" "$T/init2.expected"
expect_file "init again: the edited file is untouched" "$kb/verbatim.yml" "$T/edited.yml"

# inside an existing repository: no new one
mkdir -p "$T/repo/sub" && git init -q "$T/repo"
(cd "$T/repo/sub" && $VB init >"$T/init3.out" 2>&1); rc=$?
expect_eq "init in a repository's subfolder: no git init" "$rc:$(head -1 "$T/init3.out")" "0:created .github/workflows/verbatim.yml"
expect_eq "init: no nested .git" "$(test -e "$T/repo/sub/.git" && echo yes || echo no)" "no"

# end to end in the fresh repository: new, then check
(cd "$kb" && $VB new --segment abandoner --customer C-10492 --interviewer mkowalski >"$T/new.out" 2>"$T/new.err"); rc=$?
expect_eq "init + new: the note" "$rc:$(cat "$T/new.out")" "0:calls/2026/2026-11-18-c10492-abandoner.md"
printf '\n> "The size chart did not help me at all" #fit-uncertainty\n' >>"$kb/calls/2026/2026-11-18-c10492-abandoner.md"
run_vb check1 check -C "$kb"
expect_eq "init + new + check: clean" "$rc:$(cat "$T/check1.out")" "0:checked 1 note: 0 errors, 0 warnings"
(cd "$kb" && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm first) >/dev/null 2>&1
run_vb check2 check -C "$kb" --rev HEAD
expect_eq "init + new + commit + check --rev HEAD: clean" "$rc:$(cat "$T/check2.out")" "0:checked 1 note: 0 errors, 0 warnings"

# the CI files parse as YAML (python3 with PyYAML when there; the unit test
# test_scaffold parses them with vb_yaml_parse too)
if python3 -c 'import yaml' 2>/dev/null; then
	for f in .github/workflows/verbatim.yml .gitlab-ci.yml verbatim.yml roadmap.yml; do
		out=$(python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(type(d).__name__)' "$kb/$f" 2>&1)
		expect_eq "init: $f parses as YAML" "$out" "dict"
	done
	out=$(python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(sorted(d["jobs"]), sorted(d["jobs"]["deploy"]["permissions"].items()))' "$kb/.github/workflows/verbatim.yml")
	expect_eq "init: GitHub jobs and Pages permissions" "$out" "['check', 'deploy', 'report'] [('id-token', 'write'), ('pages', 'write')]"
else
	ok "init: CI files parse as YAML (PyYAML missing: test_scaffold parses them)"
fi

# ... and name only commands that exist
$VB --help | sed -n 's/^  \([a-z]*\) .*/\1/p' >"$T/commands"
# (commands run, not comments, nor paths like /tmp/verbatim)
cat "$kb/.github/workflows/verbatim.yml" "$kb/.gitlab-ci.yml" "$kb/README.md" | grep -v '^ *# ' |
	grep -oE '(^|[ `])verbatim [a-z][a-z-]*' | sed 's/^.*verbatim //' | sort -u >"$T/used"
expect_eq "init: the CI files run check and report" "$(grep -hE -o 'verbatim (check|report)[^"]*' "$kb/.github/workflows/verbatim.yml" | sort -u | tr '\n' '|')" "verbatim check --format=github|verbatim report -o public|"
bad=
while read -r c; do grep -qx "$c" "$T/commands" || bad="$bad $c"; done <"$T/used"
expect_eq "init: every 'verbatim CMD' in the files is a command" "${bad:-none}:$(tr '\n' ' ' <"$T/used")" "none:check hook new report "

run_vb usage init a b
expect_eq "init: two folders: usage" "$rc:$(head -1 "$T/usage.err")" "2:verbatim: init: one folder at most"
run_vb usage2 init --bogus
expect_eq "init: unknown option: usage, exit 2" "$rc:$(sed -n 2p "$T/usage2.err")" "2:usage: verbatim init [DIR]"
