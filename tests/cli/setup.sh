#!/bin/sh
# Every command finds the knowledge base the same way: -C, else the nearest
# folder at or above the current one with verbatim.yml; outside any it says
# so and exits 2.  Regression: index run from a notes subfolder rebuilt the
# shared index without the vocabulary, and phrases then listed the alias
# 'sizing' as a theme of its own.
. "$(dirname "$0")/../lib.sh"
VBA=$(cd "$(dirname "$VB_BIN")" && pwd)/$(basename "$VB_BIN")
VB="$VB_WRAP $VBA"
kb=$T/kb
cp -R "$VB_TOP/examples/acme" "$kb"
git -C "$kb" init -q && git -C "$kb" add -A && git -C "$kb" -c user.name=T -c user.email=t@t commit -qm notes
sub=$kb/calls/2026

(cd "$sub" && $VB index >"$T/index.out" 2>"$T/index.err")
expect_eq "index from a subfolder exits 0" "$?" 0
(cd "$kb" && $VB phrases --format=tsv --limit 100 >"$T/ph.out" 2>"$T/ph.err")
expect_nogrep "the index of a subfolder run knows the aliases (no 'sizing' theme)" "$T/ph.out" "sizing="
expect_grep "... and files them under their theme" "$T/ph.out" "fit-uncertainty="
(cd "$sub" && $VB report >"$T/rep.out" 2>"$T/rep.err")
expect_eq "report from a subfolder writes the knowledge base's public/" \
	"$([ -f "$kb/public/index.html" ] && [ ! -e "$sub/public" ] && echo yes)" yes
(cd "$sub" && $VB stats --as-of 2026-11-13 >"$T/st.out" 2>"$T/st.err")
expect_grep "stats from a subfolder shows the knowledge base's title" "$T/st.out" \
	"$(sed -n 's/^title: //p' "$kb/verbatim.yml")"
(cd "$kb" && $VB stats --as-of 2026-11-13 >"$T/st-top.out" 2>&1)
expect_file "stats from a subfolder: the same as from the top" "$T/st.out" "$T/st-top.out"
(cd "$sub" && $VB phrases --format=tsv --limit 100 >"$T/ph-sub.out" 2>"$T/ph-sub.err")
expect_file "phrases from a subfolder: the knowledge base's index" "$T/ph-sub.out" "$T/ph.out"
for cmd in check next copy history; do
	(cd "$sub" && $VB $cmd >"$T/$cmd.out" 2>"$T/$cmd.err")
	rc=$?
	expect_eq "$cmd from a subfolder works on the knowledge base (exit 0 or findings)" \
		"$([ $rc -le 1 ] && echo yes)" yes
	(cd "$kb" && $VB $cmd >"$T/$cmd-top.out" 2>/dev/null)
	[ $cmd = check ] || expect_file "$cmd from a subfolder: the same as from the top" "$T/$cmd.out" "$T/$cmd-top.out"
done
(cd "$sub" && $VB new --segment buyer --customer C-77 --date 2026-11-12 >"$T/new.out" 2>"$T/new.err")
expect_eq "new from a subfolder puts the note in the first notes folder" \
	"$(ls "$kb"/calls/2026/2026-11-12-c77-buyer.md 2>/dev/null | wc -l | tr -d ' ')" 1
(cd "$sub" && $VB hook install >"$T/hook.out" 2>"$T/hook.err")
rc=$?
expect_eq "hook install from a subfolder: the repository's hook" \
	"$rc:$([ -x "$kb/.git/hooks/pre-commit" ] && [ ! -e "$sub/.git" ] && echo yes)" "0:yes"
expect_nogrep "... which runs check at the top (no cd into a subfolder)" "$kb/.git/hooks/pre-commit" "calls/2026"
(cd "$sub" && $VB hook uninstall >/dev/null 2>&1)
# init scaffolds where it is told (its folder, . by default), never above
mkdir "$sub/team2"
(cd "$sub/team2" && $VB init >"$T/init.out" 2>"$T/init.err")
rc=$?
expect_eq "init from a subfolder scaffolds that folder" \
	"$rc:$([ -f "$sub/team2/verbatim.yml" ] && cmp -s "$VB_TOP/examples/acme/verbatim.yml" "$kb/verbatim.yml" && echo yes)" "0:yes"
rm -rf "$sub/team2"

# every command of the table, by its set-up flags (verbatim --list-commands):
# from a folder of the knowledge base that holds no notes, a command that
# writes (worktree) writes nothing there; one that takes --rev or --staged
# works with them from there too
run_vb cmds --list-commands
args_of() {
	case $1 in
	new) echo "--segment buyer --customer C-78 --date 2026-11-12" ;;
	hook) echo install ;;
	*) echo ;;
	esac
}
mkdir -p "$kb/extra/deeper"
while IFS="$(printf '\t')" read -r cmd flags; do
	case " $flags " in *" kb "*) ;; *) continue ;; esac
	(cd "$kb/extra/deeper" && $VB $cmd $(args_of $cmd) >"$T/x-$cmd.out" 2>"$T/x-$cmd.err")
	rc=$?
	expect_eq "$cmd from a folder without notes works on the knowledge base (exit 0 or 1)" \
		"$([ $rc -le 1 ] && echo yes)" yes
	case " $flags " in *" worktree "*)
		expect_eq "$cmd from a folder without notes writes nothing there" \
			"$(find "$kb/extra/deeper" -mindepth 1 | head -3)" "" ;;
	esac
	case " $flags " in *" rev "*)
		(cd "$kb/extra/deeper" && $VB $cmd $(args_of $cmd) --rev HEAD >/dev/null 2>"$T/r-$cmd.err")
		rc=$?
		expect_eq "$cmd --rev HEAD from a subfolder (exit 0 or 1)" "$([ $rc -le 1 ] && echo yes)" yes ;;
	esac
	case " $flags " in *" staged "*)
		(cd "$kb/extra/deeper" && $VB $cmd $(args_of $cmd) --staged >/dev/null 2>"$T/s-$cmd.err")
		rc=$?
		expect_eq "$cmd --staged from a subfolder (exit 0 or 1)" "$([ $rc -le 1 ] && echo yes)" yes ;;
	esac
done <"$T/cmds.out"
expect_eq "new from a folder without notes: the note in the first notes folder" \
	"$(ls "$kb"/calls/2026/2026-11-12-c78-buyer.md 2>/dev/null | wc -l | tr -d ' ')" 1
(cd "$kb" && $VB hook uninstall >/dev/null 2>&1)

# outside any knowledge base every command with one says so, and writes
# nothing; init starts one there
mkdir -p "$T/outside/deeper"
git init -q "$T/outside" # a repository without verbatim.yml: hook needs one too
while IFS="$(printf '\t')" read -r cmd flags; do
	case " $flags " in *" kb "*) ;; *) continue ;; esac
	(cd "$T/outside/deeper" && $VB $cmd $(args_of $cmd) >"$T/o-$cmd.out" 2>"$T/o-$cmd.err")
	rc=$?
	expect_eq "$cmd outside any knowledge base: exit 2" "$rc" 2
	expect_grep "$cmd outside any knowledge base says so" "$T/o-$cmd.err" \
		"no verbatim.yml here or above; run 'verbatim init'"
done <"$T/cmds.out"
expect_eq "nothing written outside" "$(find "$T/outside" -mindepth 1 -path "$T/outside/.git" -prune -o -print | wc -l | tr -d ' ')" 1
expect_eq "no hook installed outside" "$(ls "$T/outside/.git/hooks" | grep -c '^pre-commit$')" 0
(cd "$T/outside/deeper" && $VB init >"$T/o-init.out" 2>"$T/o-init.err")
rc=$?
expect_eq "init outside any knowledge base starts one there" \
	"$rc:$([ -f "$T/outside/deeper/verbatim.yml" ] && echo yes)" "0:yes"

# the table and verbatim --help list the same commands, all run above
run_vb help --help
expect_eq "verbatim --list-commands: the commands of verbatim --help" \
	"$(cut -f1 "$T/cmds.out" | sort | tr '\n' ' ')" \
	"$(awk '/^commands:/ { c = 1; next } c && !NF { exit } c { print $1 }' "$T/help.out" | sort | tr '\n' ' ')"
expect_eq "every command without a knowledge base is init (run above)" \
	"$(awk -F'\t' '$2 !~ /kb/ { print $1 }' "$T/cmds.out")" init
