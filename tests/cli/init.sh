#!/bin/sh
# verbatim init: the exact files, nothing replaced on a second run, then new
# and check end to end in the fresh git repository on branch main; the CI
# files parse as YAML, name only commands that exist, run this version's
# action and image, and publish the report from the default branch even
# when a note there has errors.
. "$(dirname "$0")/../lib.sh"

# the user's git configuration, without init.defaultBranch (libgit2 reads it
# from $HOME)
mkdir -p "$T/home"
HOME=$T/home
XDG_CONFIG_HOME=$T/home/.config
export HOME XDG_CONFIG_HOME
version=$(cat "$VB_TOP/VERSION")
action=$(sed -n 's/^ACTION_REPO=//p' "$VB_TOP/packaging/names")
image=$(sed -n 's/^IMAGE=//p' "$VB_TOP/packaging/names")

# next_steps DIR BRANCH: what init prints last
next_steps() {
	cat <<EOF

next steps:
  1. write a first note:  cd $1 && verbatim new --segment buyer --customer C-10492 -e
  2. push it:  git add -A && git commit -m 'first note' && git push -u origin $2
  3. publish:  GitHub: Settings > Pages > Source: GitHub Actions (GitLab publishes by itself);
     pull requests are then checked, and every push to $2 updates the report
EOF
}

kb=$T/voc
run_vb init1 init "$kb"
expect_eq "init: exit 0" "$rc" 0
cat >"$T/init1.expected" <<EOF
initialized an empty git repository in $kb (branch main)
created .github/workflows/verbatim.yml
created .gitignore
created .gitlab-ci.yml
created README.md
created calls/.gitkeep
created copy.yml
created roadmap.yml
created templates/abandoner.md
created templates/buyer.md
created templates/follow-up.md
created templates/returner.md
created verbatim.yml
EOF
next_steps "$kb" main >>"$T/init1.expected"
expect_file "init: prints what it created, then the next steps" "$T/init1.out" "$T/init1.expected"
(cd "$kb" && find . -path ./.git -prune -o -type f -print | sort) >"$T/files.got"
cat >"$T/files.expected" <<'EOF'
./.github/workflows/verbatim.yml
./.gitignore
./.gitlab-ci.yml
./README.md
./calls/.gitkeep
./copy.yml
./roadmap.yml
./templates/abandoner.md
./templates/buyer.md
./templates/follow-up.md
./templates/returner.md
./verbatim.yml
EOF
expect_file "init: exactly these files" "$T/files.got" "$T/files.expected"
expect_eq "init: a git repository" "$(git -C "$kb" rev-parse --is-inside-work-tree 2>&1)" "true"
expect_eq "init: on branch main (the hosts' default branch)" "$(git -C "$kb" symbolic-ref HEAD 2>&1)" "refs/heads/main"
# the user's init.defaultBranch wins
printf '[init]\n\tdefaultBranch = trunk\n' >"$T/home/.gitconfig"
run_vb trunk init "$T/trunk"
expect_eq "init: on the user's init.defaultBranch" "$rc:$(head -1 "$T/trunk.out"):$(git -C "$T/trunk" symbolic-ref HEAD 2>&1)" \
	"0:initialized an empty git repository in $T/trunk (branch trunk):refs/heads/trunk"
expect_eq "init: the next steps push that branch" "$(grep -c 'git push -u origin trunk$' "$T/trunk.out")" 1
rm "$T/home/.gitconfig"
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
git -C "$T/repo" symbolic-ref HEAD refs/heads/develop
(cd "$T/repo/sub" && $VB init >"$T/init3.out" 2>&1); rc=$?
expect_eq "init in a repository's subfolder: no git init" "$rc:$(head -1 "$T/init3.out")" "0:created .github/workflows/verbatim.yml"
expect_eq "init in a repository: the next steps name its branch" "$(grep -c 'git push -u origin develop$' "$T/init3.out")" 1
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
expect_eq "init + commit: the commit is on main" "$(git -C "$kb" rev-parse --abbrev-ref HEAD)" "main"
# a bad note pushed to the default branch: check fails (pull requests), the
# report job's one command still publishes
(cd "$kb" && $VB new --segment buyer --customer C-2 >/dev/null 2>&1 && echo '> "x" #no-such-tag' >>calls/2026/2026-11-18-c2-buyer.md &&
	git add -A && git -c user.name=t -c user.email=t@example.com commit -qm bad) >/dev/null 2>&1
run_vb badcheck check -C "$kb"
badrc=$rc
(cd "$kb" && $VB report -o "$T/public" >"$T/badreport.out" 2>&1); rc=$?
expect_eq "a bad note on main: check fails, the report is still written" "$badrc:$rc:$(test -f "$T/public/index.html" && echo written)" "1:0:written"

# the CI files parse as YAML (python3 with PyYAML when there; the unit test
# test_scaffold parses them with vb_yaml_parse too)
if python3 -c 'import yaml' 2>/dev/null; then
	for f in .github/workflows/verbatim.yml .gitlab-ci.yml verbatim.yml roadmap.yml; do
		out=$(python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(type(d).__name__)' "$kb/$f" 2>&1)
		expect_eq "init: $f parses as YAML" "$out" "dict"
	done
	out=$(python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(sorted(d["jobs"]), sorted(d["jobs"]["deploy"]["permissions"].items()))' "$kb/.github/workflows/verbatim.yml")
	expect_eq "init: GitHub jobs and Pages permissions" "$out" "['check', 'deploy', 'report'] [('id-token', 'write'), ('pages', 'write')]"
	# what each job runs: the action of this version, check on pull requests
	# only, the report on pushes to the default branch without a check
	# before it (a bad note there must not stop the report)
	cat >"$T/jobs.py" <<'EOF'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
on = d.get("on", d.get(True))
print("on:", sorted(on), "branches" in (on["push"] or {}))
for name in ("check", "report"):
    job = d["jobs"][name]
    print(name, "if:", job["if"])
    for s in job["steps"]:
        if "verbatim" in s.get("uses", "") or "run" in s:
            print(" ", s.get("uses"), s.get("with"), s.get("run"))
EOF
	python3 "$T/jobs.py" "$kb/.github/workflows/verbatim.yml" >"$T/jobs.got" 2>&1
	cat >"$T/jobs.expected" <<EOF
on: ['pull_request', 'push'] False
check if: github.event_name == 'pull_request'
  $action@v$version {'command': 'check'} None
report if: github.event_name == 'push' && github.ref_name == github.event.repository.default_branch
  $action@v$version {'command': 'report', 'args': '-o public'} None
EOF
	expect_file "init: GitHub jobs run the pinned action; the report does not wait for a clean check" "$T/jobs.got" "$T/jobs.expected"
	python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(d["default"]["image"]); print(d["check"]["script"], d["check"]["rules"]); print(d["pages"]["script"], d["pages"]["rules"])' "$kb/.gitlab-ci.yml" >"$T/gl.got" 2>&1
	cat >"$T/gl.expected" <<EOF
$image:$version
['verbatim check'] [{'if': '\$CI_PIPELINE_SOURCE == "merge_request_event"'}]
['verbatim report -o public'] [{'if': '\$CI_COMMIT_BRANCH == \$CI_DEFAULT_BRANCH'}]
EOF
	expect_file "init: GitLab jobs run the pinned image; pages does not wait for a clean check" "$T/gl.got" "$T/gl.expected"
else
	ok "init: CI files parse as YAML (PyYAML missing: test_scaffold parses them)"
fi

# ... and name only commands that exist
$VB --help | sed -n 's/^  \([a-z]*\) .*/\1/p' >"$T/commands"
# (commands run, not comments, nor paths like /tmp/verbatim)
cat "$kb/.github/workflows/verbatim.yml" "$kb/.gitlab-ci.yml" "$kb/README.md" | grep -v '^ *# ' |
	grep -oE '(^|[ `])verbatim [a-z][a-z-]*' | sed 's/^.*verbatim //' | sort -u >"$T/used"
expect_nogrep "init: no VERBATIM_REPO to set" "$kb/.github/workflows/verbatim.yml" "VERBATIM_REPO"
expect_nogrep "init: no VERBATIM_REPO to set (GitLab)" "$kb/.gitlab-ci.yml" "VERBATIM_REPO"
bad=
while read -r c; do grep -qx "$c" "$T/commands" || bad="$bad $c"; done <"$T/used"
expect_eq "init: every 'verbatim CMD' in the files is a command" "${bad:-none}:$(tr '\n' ' ' <"$T/used")" "none:check hook new report "

run_vb usage init a b
expect_eq "init: two folders: usage" "$rc:$(head -1 "$T/usage.err")" "2:verbatim: init: one folder at most"
run_vb usage2 init --bogus
expect_eq "init: unknown option: usage, exit 2" "$rc:$(sed -n 2p "$T/usage2.err")" "2:usage: verbatim init [DIR]"
