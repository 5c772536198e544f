#!/bin/sh
# verbatim new: the path rule, templates (bundled and the knowledge base's
# own), exact content, -e with an editor, and the errors.
. "$(dirname "$0")/../lib.sh"

kb=$T/kb
mkdir -p "$kb/calls"
cat >"$kb/verbatim.yml" <<'EOF'
notes: [calls]
segments:
  buyer: {label: Recent buyers}
  abandoner: {label: Cart abandoners}
  vip: {label: Big spenders}
tags:
  price: {label: Price, kind: reason}
  fit-uncertainty: {label: Unsure about fit, kind: problem}
templates: templates
EOF

# a bundled template, the date from SOURCE_DATE_EPOCH (2026-11-18)
run_vb new1 new -C "$kb" --segment abandoner --customer C-10492 --interviewer mkowalski
expect_eq "new: exit 0" "$rc" 0
expect_eq "new: prints the path" "$(cat "$T/new1.out")" "$kb/calls/2026/2026-11-18-c10492-abandoner.md"
expect_eq "new: nothing on stderr" "$(cat "$T/new1.err")" ""
note=$kb/calls/2026/2026-11-18-c10492-abandoner.md
cat >"$T/head.expected" <<'EOF'
---
# note 2026-11-18-c10492-abandoner: replace every _Ask:_ line below with what you heard
date: 2026-11-18
segment: abandoner
customer: C-10492
interviewer: mkowalski
EOF
head -6 "$note" >"$T/head.got"
expect_file "new: front matter filled" "$T/head.got" "$T/head.expected"
sed 's/{{customer}}/C-10492/' "$VB_TOP/notes-template/abandoner.md" | tail -n +7 >"$T/rest.expected"
tail -n +7 "$note" >"$T/rest.got"
expect_file "new: the rest is the bundled abandoner template" "$T/rest.got" "$T/rest.expected"
# never filled in, the new note is an unfilled template: an error at its first prompt
run_vb chk1 check -C "$kb"
expect_eq "new: the new note, unfilled, has one error" "$rc:$(cat "$T/chk1.out")" "1:checked 1 note: 1 error, 0 warnings"
expect_eq "new: the unfilled template's error is at the first prompt" "$(cat "$T/chk1.err")" \
	"calls/2026/2026-11-18-c10492-abandoner.md:18:1: error: this note is an unfilled template (no quote, no tag); replace the _Ask:_ prompts with what you heard, or delete the note if the call did not happen [unfilled-template]"

# the same again: -2, then -3; from inside the knowledge base the path is relative
(cd "$kb" && $VB new --segment abandoner --customer c10492 >"$T/new2.out" 2>&1)
expect_eq "new: -2 when taken" "$(cat "$T/new2.out")" "calls/2026/2026-11-18-c10492-abandoner-2.md"
(cd "$kb" && $VB new -s abandoner -c C-10492 >"$T/new3.out" 2>&1)
expect_eq "new: -3 when taken" "$(cat "$T/new3.out")" "calls/2026/2026-11-18-c10492-abandoner-3.md"

# the knowledge base's own template, odd values quoted in the front matter
mkdir -p "$kb/templates"
printf -- '---\ndate: {{date}}\nsegment: {{segment}}\ncustomer: {{customer}}\ninterviewer: {{interviewer}}\n---\n\n# {{customer}} on {{date}} ({{id}})\n' >"$kb/templates/buyer.md"
run_vb new4 new -C "$kb" -s buyer -c "C: 7" --date 2026-10-01
expect_eq "new: own template: exit 0" "$rc:$(cat "$T/new4.out")" "0:$kb/calls/2026/2026-10-01-c7-buyer.md"
cat >"$T/own.expected" <<'EOF'
---
date: 2026-10-01
segment: buyer
customer: "C: 7"
interviewer:
---

# C: 7 on 2026-10-01 (2026-10-01-c7-buyer)
EOF
expect_file "new: the knowledge base's template, filled" "$kb/calls/2026/2026-10-01-c7-buyer.md" "$T/own.expected"

# a follow-up: bundled follow-up.md (the kb has none), follows filled
run_vb new5 new -C "$kb" -s buyer -c C-10492 --follows 2026-11-18-c10492-abandoner --date 2026-11-19
expect_eq "new: follow-up path" "$rc:$(cat "$T/new5.out")" "0:$kb/calls/2026/2026-11-19-c10492-buyer.md"
expect_eq "new: follow-up front matter" "$(sed -n '/^follows:/p;/^# Follow-up/p' "$kb/calls/2026/2026-11-19-c10492-buyer.md")" "follows: 2026-11-18-c10492-abandoner
# Follow-up call with C-10492 (buyer)"
# a follow-up of another customer's call: a warning, the note is made
run_vb new6 new -C "$kb" -s buyer -c C-2 --follows 2026-11-18-c10492-abandoner --date 2026-11-19
expect_eq "new: follows another customer: warning" "$rc:$(cat "$T/new6.err")" "0:verbatim: new: warning: '2026-11-18-c10492-abandoner' is a call with C-10492, not C-2; check the id"
# a segment without a bundled template: the generic one
run_vb new7 new -C "$kb" -s vip -c C-3 --date 2026-11-02
expect_eq "new: generic template" "$rc:$(sed -n 13p "$kb/calls/2026/2026-11-02-c3-vip.md")" "0:# Call with C-3 (vip)"
run_vb chk2 check -C "$kb"
# every note from a bundled template is unfilled (6 errors); the own template
# has no prompt; the follow-ups follow an unfilled note, no conversation (a warning)
expect_eq "new: every bundled template is unfilled" "$rc:$(cat "$T/chk2.out")" "1:checked 7 notes: 6 errors, 2 warnings"
expect_eq "new: the errors are unfilled templates" "$(grep -c 'error: .*\[unfilled-template\]$' "$T/chk2.err")" 6

# -e: the editor (a script, with an argument in $EDITOR) appends a quote, then the note is checked
cat >"$T/ed.sh" <<'EOF'
#!/bin/sh
[ "$1" = "--append" ] || exit 3
printf '\n> "I was not sure about the size" #fit-uncertainty #pricey\n' >>"$2"
EOF
chmod +x "$T/ed.sh"
(cd "$kb" && VISUAL= EDITOR="$T/ed.sh --append" $VB new -e -s abandoner -c C-55 --date 2026-11-03 >"$T/e.out" 2>"$T/e.err"); rc=$?
expect_eq "new -e: exit 1 (the edited note has an error)" "$rc" 1
expect_eq "new -e: path" "$(cat "$T/e.out")" "calls/2026/2026-11-03-c55-abandoner.md"
expect_eq "new -e: diagnostics of the note" "$(cat "$T/e.err")" "calls/2026/2026-11-03-c55-abandoner.md:52:52: error: unknown hashtag '#pricey' (did you mean '#price'?) [unknown-tag]
checked calls/2026/2026-11-03-c55-abandoner.md: 1 error, 0 warnings"
expect_eq "new -e: the editor's text is in the note" "$(tail -1 "$kb/calls/2026/2026-11-03-c55-abandoner.md")" '> "I was not sure about the size" #fit-uncertainty #pricey'
(cd "$kb" && EDITOR=/bin/true VISUAL="$T/ed.sh --append" $VB new -e -s buyer -c C-56 --date 2026-11-03 >/dev/null 2>"$T/e2.err"); rc=$?
expect_eq "new -e: \$VISUAL wins over \$EDITOR" "$rc:$(tail -1 "$T/e2.err")" "1:checked calls/2026/2026-11-03-c56-buyer.md: 1 error, 0 warnings"
(cd "$kb" && VISUAL= EDITOR=/bin/true $VB new -e -s buyer -c C-57 --date 2026-11-03 >/dev/null 2>"$T/e3.err"); rc=$?
expect_eq "new -e: a clean note: exit 0" "$rc:$(cat "$T/e3.err")" "0:checked calls/2026/2026-11-03-c57-buyer.md: 0 errors, 0 warnings"

# errors: exit 2 and a message, no file
n_before=$(find "$kb/calls" -name '*.md' | wc -l)
err() { # WHAT EXPECTED-MESSAGE args...
	what=$1; msg=$2; shift 2
	run_vb err "$@"
	expect_eq "new: $what" "$rc:$(head -1 "$T/err.err")" "2:$msg"
}
err "unknown segment" "verbatim: new: unknown segment 'abandonr' (did you mean 'abandoner'?)" new -C "$kb" -s abandonr -c C-1
err "unknown segment, no suggestion" "verbatim: new: unknown segment 'zzz'; use one of: buyer, abandoner, vip" new -C "$kb" -s zzz -c C-1
err "email as customer" "verbatim: new: customer 'ann@example.com' is an email address; use a pseudonymous id like C-10492" new -C "$kb" -s buyer -c ann@example.com
err "phone as customer" "verbatim: new: customer '+44 20 7946 0958' is a phone number; use a pseudonymous id like C-10492" new -C "$kb" -s buyer -c "+44 20 7946 0958"
err "empty customer" "verbatim: new: the customer id is empty or has control characters; use a pseudonymous id like C-10492" new -C "$kb" -s buyer -c ""
err "customer without letters" "verbatim: new: customer id '--' has no letter or digit; use a pseudonymous id like C-10492" new -C "$kb" -s buyer -c --
err "no such day" "verbatim: new: date '2026-02-30' is no day of the calendar; give a real date" new -C "$kb" -s buyer -c C-1 -d 2026-02-30
err "bad date" "verbatim: new: date '3 Nov' is not YYYY-MM-DD; write it like 2026-11-03" new -C "$kb" -s buyer -c C-1 -d "3 Nov"
err "unknown follows" "verbatim: new: --follows 'nope' names no note; give the id (file name without .md) of an earlier call" new -C "$kb" -s buyer -c C-1 --follows nope
err "missing --customer" "verbatim: new: --segment and --customer are required" new -C "$kb" -s buyer
err "unknown option" "new: unrecognized option '--bogus'" new --bogus
expect_grep "new: usage on unknown option" "$T/err.err" "usage: verbatim new --segment S --customer ID [options]"
expect_eq "new: no file made by the errors" "$(find "$kb/calls" -name '*.md' | wc -l)" "$n_before"

# never replaces: a file that appears at the computed path is refused by O_EXCL;
# here a note of the same id elsewhere in the kb makes the name taken
mkdir -p "$kb/calls/old"
printf -- '---\ndate: 2026-11-18\nsegment: buyer\ncustomer: C-9\n---\n' >"$kb/calls/old/2026-11-18-c9-buyer.md"
run_vb taken new -C "$kb" -s buyer -c C-9
expect_eq "new: an id taken anywhere in the kb gets -2" "$rc:$(cat "$T/taken.out")" "0:$kb/calls/2026/2026-11-18-c9-buyer-2.md"

run_vb help new --help
expect_eq "new --help: exit 0, usage on stdout" "$rc:$(head -1 "$T/help.out")" "0:usage: verbatim new --segment S --customer ID [options]"

# a customer id that makes the file name longer than 255 bytes: said at
# once, not "every name is taken" after a search of 100,000 names (issue 18)
long=C-$(printf '%0300d' 7)
vb_was=$VB; VB="timeout 20 $VB"
run_vb long new -C "$kb" -s buyer -c "$long" --date 2026-10-02
VB=$vb_was
expect_eq "customer id too long: exit 2 at once" "$rc" 2
expect_eq "customer id too long: what is wrong and how to fix it" "$(cat "$T/long.err")" \
	"verbatim: new: the note's file name (<date>-<customer>-<segment>.md) would be 321 bytes, more than the 255 a file name may have; use a shorter customer id, like C-10492"
expect_eq "customer id too long: nothing written" "$(find "$kb/calls" -name '2026-10-02*' | wc -l)" 0
