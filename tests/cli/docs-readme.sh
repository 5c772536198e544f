#!/bin/sh
# README's "first knowledge base in five commands" works as written: the
# block after "<!-- first-kb -->" is run line by line in an empty folder
# (with `verbatim` in PATH, and an editor that fills the note the way the
# README says: prompts replaced by a quote with a #theme), each command
# exits 0 and says what the README's comment says; the note README opens
# with checks clean in that knowledge base.
. "$(dirname "$0")/../lib.sh"

README=$VB_TOP/README.md
awk '/^<!-- first-kb -->$/ { f = 1; next } f && /^```/ { if (b) exit; b = 1; next } b' "$README" >"$T/steps"
expect_eq "README: the five commands were found" "$(grep -c . "$T/steps")" 5

mkdir -p "$T/bin" "$T/home"
printf '#!/bin/sh\nexec %s "$@"\n' "$VB" >"$T/bin/verbatim"
# the editor: what a product manager types after the call
cat >"$T/bin/fill-note" <<'EOF'
#!/bin/sh
sed -i '/_Ask:_/d' "$1"
printf '\n> "I wasn'"'"'t sure the size would fit my wide feet" #fit-uncertainty\n' >>"$1"
EOF
chmod +x "$T/bin/verbatim" "$T/bin/fill-note"

# one script: each README line (its comment dropped), its output kept apart
i=0
{
	echo 'set -u'
	while IFS= read -r line; do
		i=$((i + 1))
		cmd=$(printf '%s\n' "$line" | sed 's/  *# .*$//')
		printf '%s >"%s/step%d.out" 2>"%s/step%d.err" || { echo "step %d (%s) exit $?"; exit 1; }\n' \
			"$cmd" "$T" "$i" "$T" "$i" "$i" "$cmd"
	done <"$T/steps"
} >"$T/run.sh"
mkdir "$T/work"
(cd "$T/work" && HOME=$T/home PATH="$T/bin:$PATH" VISUAL= EDITOR=fill-note GIT_CONFIG_NOSYSTEM=1 \
	sh "$T/run.sh") >"$T/run.out" 2>&1
expect_eq "README's five commands: each exits 0" "$?:$(cat "$T/run.out")" "0:"

kb=$T/work/acme-voc
expect_grep "1. init created verbatim.yml" "$T/step1.out" "created verbatim.yml"
[ -f "$kb/verbatim.yml" ] && ok "1. acme-voc/verbatim.yml exists" || notok "1. acme-voc/verbatim.yml exists"
note=$(cat "$T/step3.out")
expect_eq "3. new printed the note's path" "$note" "calls/2026/2026-11-18-c10492-abandoner.md"
expect_grep "3. the note holds what the editor wrote" "$kb/$note" "wide feet\" #fit-uncertainty"
# the README's comment on check is its output
want=$(sed -n '4s/.*# "\(.*\)"$/\1/p' "$T/steps")
expect_eq "4. check says what README's comment says" "$(cat "$T/step4.out")" "$want"
expect_eq "4. check: no diagnostics" "$(cat "$T/step4.err")" ""
expect_grep "5. report wrote public/" "$T/step5.out" "wrote public: 1 note, 1 theme"
[ -f "$kb/public/index.html" ] && ok "5. public/index.html exists" || notok "5. public/index.html exists"
expect_eq "5. the quote is on the theme's page" "$(grep -l 'wide feet' "$kb"/public/themes/fit-uncertainty*.html | wc -l)" 1

# the note README opens with, in that knowledge base
awk '/^```markdown$/ { f = 1; next } f && /^```/ { exit } f' "$README" >"$kb/calls/2026/2026-11-03-c10492-abandoner.md"
expect_grep "README's note was found" "$kb/calls/2026/2026-11-03-c10492-abandoner.md" "segment: abandoner"
run_vb check check -C "$kb"
expect_eq "README's note checks clean beside the first one" "$rc:$(cat "$T/check.out"):$(cat "$T/check.err")" \
	"0:checked 2 notes: 0 errors, 0 warnings:"

# a five-minute read: at most 1,000 words (200 a minute); a feature's
# description goes to docs/ (README's last section says where)
words=$(wc -w <"$README")
[ "$words" -le 1000 ] && ok "README is a five-minute read ($words words)" ||
	notok "README is a five-minute read: $words words, more than 1000; move descriptions to docs/ (see its last section)"
