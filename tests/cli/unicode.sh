#!/bin/sh
# Unicode in notes, queries and tags: case folding beyond Latin-1 and
# normalization form C, so that a word matches however it was typed
# (`phrases "quá chậm"` finds QUÁ CHẬM; a decomposed café matches a composed
# query and a composed tag key).
. "$(dirname "$0")/../lib.sh"

# composed (NFC) and decomposed (NFD: e + U+0301 combining acute) spellings
E_NFD=$(printf 'e\314\201')
mkdir -p "$T/kb/calls"
cat >"$T/kb/verbatim.yml" <<'EOT'
title: Unicode
notes: [calls]
segments:
  buyer: {label: Recent buyers}
tags:
  café: {label: Coffee colour, kind: problem}
  chậm: {label: Slow, kind: problem}
EOT
note() { # FILE DAY BODY
	printf -- '---\ndate: 2026-03-%s\nsegment: buyer\ncustomer: C-000%s\n---\n\n# Call\n\n%s\n' \
		"$2" "$2" "$3" >"$T/kb/calls/$1.md"
}
note 2026-03-02-c00002-buyer 02 '> "Giao hàng QUÁ CHẬM" #CHẬM'
note 2026-03-03-c00003-buyer 03 '> "Quá chậm, thật sự" #chậm'
note 2026-03-04-c00004-buyer 04 "> \"The caf$E_NFD crème colour\" #caf$E_NFD"
note 2026-03-05-c00005-buyer 05 '> "A CAFÉ CRÈME colour" #Café'

run_vb check check -C "$T/kb"
expect_eq "check: decomposed and upper-case hashtags match the composed keys" "$rc" 0
cat "$T/check.out" "$T/check.err" >"$T/check.all"
expect_nogrep "check: no unknown tag" "$T/check.all" "unknown-tag"

run_vb index index -C "$T/kb" -q
expect_eq "index: exit 0" "$rc" 0

run_vb q1 phrases -C "$T/kb" --format=tsv '"quá chậm"'
expect_eq "\"quá chậm\" finds QUÁ CHẬM and Quá chậm" \
	"$(cut -f1,6 "$T/q1.out" | tail -n +2 | tr '\t\n' ':|')" \
	"calls/2026-03-02-c00002-buyer.md:QUÁ CHẬM|calls/2026-03-03-c00003-buyer.md:Quá chậm|"
run_vb q2 phrases -C "$T/kb" --format=tsv '"QUÁ CHẬM"'
expect_file "the upper-case query finds the same quotes" "$T/q2.out" "$T/q1.out"

run_vb q3 phrases -C "$T/kb" --format=tsv café
expect_eq "a composed café finds the decomposed one (and keeps its bytes)" \
	"$(cut -f1,6 "$T/q3.out" | tail -n +2 | tr '\t\n' ':|')" \
	"calls/2026-03-04-c00004-buyer.md:caf$E_NFD|calls/2026-03-05-c00005-buyer.md:CAFÉ|"
run_vb q4 phrases -C "$T/kb" --format=tsv "caf$E_NFD"
expect_file "a decomposed query finds the same quotes" "$T/q4.out" "$T/q3.out"

run_vb top phrases -C "$T/kb" --format=tsv --tag café
# the key composed; shown as customers wrote it (a tie: the smallest bytes)
expect_grep "the recurring phrase of both spellings, composed" "$T/top.out" "café crème colour	CAFÉ CRÈME colour	2"
