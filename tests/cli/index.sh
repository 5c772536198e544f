#!/bin/sh
# verbatim index: summary, the file (golden, deterministic, Unicode, redacted),
# where it lives, the cache, refusals and a damaged previous index.
. "$(dirname "$0")/../lib.sh"

cp -R "$FIX/phrases" "$T/kb"
touch "$T/stamp"; sleep 1
run_vb i1 index -C "$T/kb"
expect_eq "index exits 0" "$rc" 0
cat >"$T/want" <<EOT
indexed 5 notes (4 conversations, 9 quotes): 6 recurring phrases, 4 clusters
parsed 5, reused 0 from the cache; 1 note with errors (see verbatim check)
wrote $T/.kb.verbatim-index
EOT
expect_file "index summary" "$T/i1.out" "$T/want"
expect_file "index file (golden)" "$T/.kb.verbatim-index" "$FIX/phrases/index.expected"
expect_grep "curly apostrophe kept" "$T/.kb.verbatim-index" "I wasn’t sure if the size would fit my wide feet"
expect_grep "accents kept" "$T/.kb.verbatim-index" "café crème colour"
expect_grep "CJK kept" "$T/.kb.verbatim-index" "尺码偏小，尺码偏小"
expect_nogrep "email redacted in the index" "$T/.kb.verbatim-index" "jane.doe@example.com"
expect_grep "redaction marker" "$T/.kb.verbatim-index" "Mail me at [email removed] about"
expect_eq "nothing written among the notes" "$(find "$T/kb" -newer "$T/stamp" | wc -l)" 0

# determinism and the cache: an unchanged rebuild reuses every clean note
cp "$T/.kb.verbatim-index" "$T/first"
run_vb i2 index -C "$T/kb" -q
expect_eq "rebuild exits 0 quietly" "$rc:$(cat "$T/i2.out")" "0:"
expect_file "two builds, same bytes" "$T/.kb.verbatim-index" "$T/first"
run_vb i3 index -C "$T/kb"
expect_grep "unchanged: only the note with errors is parsed" "$T/i3.out" "parsed 1, reused 4 from the cache"
expect_grep "unchanged: the note with errors counted" "$T/i3.out" "; 1 note with errors"
printf '\n> "Shipping was more than the socks" #shipping-cost\n' >>"$T/kb/calls/2026-02-09-c00004-abandoner.md"
run_vb i4 index -C "$T/kb"
expect_grep "one note changed: it and the note with errors are parsed" "$T/i4.out" "parsed 2, reused 3 from the cache"
expect_grep "the changed note's new quote is indexed" "$T/.kb.verbatim-index" "phrase	shipping was more than the socks	Shipping was more than the socks	3	"

# --rev and the default path in a git repository
cp -R "$FIX/phrases" "$T/repo"
(cd "$T/repo" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm init) >/dev/null 2>&1
run_vb g1 index -C "$T/repo" --rev HEAD
expect_eq "git: exit 0" "$rc" 0
expect_grep "git: default path in the git dir" "$T/g1.out" "wrote $T/repo/.git/verbatim/index"
sed 1,3d "$T/repo/.git/verbatim/index" >"$T/g.body"; sed 1,3d "$FIX/phrases/index.expected" >"$T/f.body"
expect_file "git revision: the same index as the folder" "$T/g.body" "$T/f.body"
expect_eq "git: working tree clean" "$(cd "$T/repo" && git status --porcelain)" ""

# refusals
run_vb r1 index -C "$T/kb" -o "$T/kb/calls/idx"
expect_eq "-o inside a notes folder: exit 2" "$rc" 2
expect_grep "-o inside a notes folder: message" "$T/r1.err" "error: the index file would be among the notes (notes folder 'calls'); write it elsewhere or leave out -o [index-in-notes]"
expect_eq "-o inside a notes folder: nothing written" "$(ls "$T/kb/calls" | grep -c idx)" 0
mkdir -p "$T/flat" && cp "$FIX/phrases/calls/"*.md "$T/flat/"
run_vb r2 index -C "$T/flat" -o "$T/flat/sub.idx"
expect_eq "notes: [.]: -o in the root refused" "$rc" 2
run_vb r3 index -C "$T/flat"
expect_eq "notes: [.]: default path beside the folder" "$rc:$(tail -1 "$T/r3.out")" "0:wrote $T/.flat.verbatim-index"
run_vb u1 index -C "$T/kb" extra
expect_eq "unexpected argument: exit 2" "$rc" 2

# a damaged previous index is rebuilt whole, with a note
printf 'verbatim-index 4\nnotes 3\n' >"$T/.kb.verbatim-index"
run_vb d1 index -C "$T/kb"
expect_eq "damaged previous index: exit 0" "$rc" 0
expect_grep "damaged previous index: said" "$T/d1.err" "the previous index is damaged; indexing every note"
expect_grep "damaged previous index: everything parsed" "$T/d1.out" "parsed 5, reused 0"

# an index of the older format (without the words as written) is rebuilt whole
printf 'verbatim-index 1\nnotes 0\nphrases 0\nclusters 0\n' >"$T/.kb.verbatim-index"
run_vb o1 index -C "$T/kb"
expect_eq "older format: exit 0, said" "$rc:$(cat "$T/o1.err")" "0:verbatim: index: $T/.kb.verbatim-index: the previous index is of an older format; indexing every note"
expect_grep "older format: everything parsed" "$T/o1.out" "parsed 5, reused 0"
expect_eq "older format: rewritten in the current one" "$(head -1 "$T/.kb.verbatim-index")" "verbatim-index 4"
# format 2 (without LTV tiers, products and follows:) is an older format too
sed 1s/4/2/ "$T/.kb.verbatim-index" >"$T/v2" && mv "$T/v2" "$T/.kb.verbatim-index"
run_vb o2 index -C "$T/kb"
expect_eq "format 2: exit 0, said" "$rc:$(cat "$T/o2.err")" "0:verbatim: index: $T/.kb.verbatim-index: the previous index is of an older format; indexing every note"
expect_grep "format 2: everything parsed" "$T/o2.out" "parsed 5, reused 0"

# -o replaces nothing but an earlier index (issue 18, item 5)
cp "$T/kb/verbatim.yml" "$T/vocab.before"
run_vb x1 index -C "$T/kb" -o "$T/kb/verbatim.yml"
expect_eq "-o verbatim.yml: exit 2" "$rc" 2
expect_grep "-o verbatim.yml: message" "$T/x1.err" "error: the index file would replace a file that is not a verbatim index, which is never done; remove it or choose another file with -o [output-refused]"
expect_grep "-o verbatim.yml: where" "$T/x1.err" "$T/kb/verbatim.yml:"
expect_file "-o verbatim.yml: the file is untouched" "$T/kb/verbatim.yml" "$T/vocab.before"
printf 'my notes\n' >"$T/notes.txt"
run_vb x2 index -C "$T/kb" -o "$T/notes.txt"
expect_eq "-o another file: refused, untouched" "$rc:$(cat "$T/notes.txt")" "2:my notes"
: >"$T/empty"
run_vb x3 index -C "$T/kb" -o "$T/empty"
expect_eq "-o an empty file: refused" "$rc:$(wc -c <"$T/empty")" "2:0"
mkdir "$T/adir"
run_vb x4 index -C "$T/kb" -o "$T/adir"
expect_grep "-o a folder: refused" "$T/x4.err" "would replace a folder"
ln -s "$T/.kb.verbatim-index" "$T/link"
run_vb x6 index -C "$T/kb" -o "$T/link"
expect_eq "-o a symbolic link: refused, kept" "$rc:$(test -L "$T/link" && echo link)" "2:link"
# (no device here: a run that replaced one as root would break the machine)
mkfifo "$T/fifo"
vb_was=$VB; VB="timeout 60 $VB"
run_vb x7 index -C "$T/kb" -o "$T/fifo"
VB=$vb_was
expect_eq "-o a FIFO: refused at once" "$rc:$(test -p "$T/fifo" && echo fifo)" "2:fifo"
expect_grep "-o a FIFO: message" "$T/x7.err" "would replace a special file (a device, FIFO or socket)"
run_vb x8 index -C "$T/kb" -o "$T/.kb.verbatim-index"
expect_eq "-o an earlier index: replaced" "$rc:$(head -1 "$T/.kb.verbatim-index" | cut -d" " -f1)" "0:verbatim-index"
run_vb x9 index -C "$T/kb" -o "$T/new-index"
expect_eq "-o a new file: written" "$rc:$(head -1 "$T/new-index" | cut -d" " -f1)" "0:verbatim-index"
