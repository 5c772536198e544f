#!/bin/sh
# Reading an index file never trusts its kind or size: a device, a FIFO, a
# folder, a truncated file or a huge declared count give one message and exit
# 2 at once (each run under a timeout, so that a hang fails instead of
# blocking the suite).
. "$(dirname "$0")/../lib.sh"

IX=$FIX/phrases/index.expected
# run_to NAME ARGS...: run_vb under a 20 s timeout (exit 124 when it expires)
run_to() {
	name=$1; shift
	timeout 20 $VB "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
}

run_to zero phrases --index /dev/zero wide
expect_eq "/dev/zero: exit 2 at once" "$rc" 2
expect_eq "/dev/zero: message" "$(cat "$T/zero.err")" "/dev/zero: error: not a regular file, so not an index file; give the file that verbatim index writes [not-an-index]"

mkfifo "$T/fifo"
run_to fifo phrases --index "$T/fifo" wide
expect_eq "a FIFO: exit 2, no wait for a writer" "$rc" 2
expect_eq "a FIFO: message" "$(cat "$T/fifo.err")" "$T/fifo: error: not a regular file, so not an index file; give the file that verbatim index writes [not-an-index]"

mkdir "$T/folder"
run_to dir phrases --index "$T/folder"
expect_eq "a folder: exit 2 and message" "$rc:$(cat "$T/dir.err")" "2:$T/folder: error: not a regular file, so not an index file; give the file that verbatim index writes [not-an-index]"

head -c 200 "$IX" >"$T/cut"
run_to cut phrases --index "$T/cut" wide
expect_eq "a truncated index: exit 2" "$rc" 2
expect_eq "a truncated index: message" "$(cat "$T/cut.err")" "$T/cut:2:1: error: the index file is damaged (it ends too early); run verbatim index again [damaged-index]"

: >"$T/empty"
run_to empty phrases --index "$T/empty"
expect_eq "an empty file: exit 2 and message" "$rc:$(cat "$T/empty.err")" "2:$T/empty: error: the index file is damaged (it ends too early); run verbatim index again [damaged-index]"

# a declared count far beyond what the file holds is refused before use
sed 's/^notes 4$/notes 4000000000/' "$IX" >"$T/huge"
run_to huge phrases --index "$T/huge" wide
expect_eq "a huge declared count: exit 2" "$rc" 2
expect_eq "a huge declared count: message" "$(cat "$T/huge.err")" "$T/huge:3:1: error: the index file is damaged (a count is larger than the file); run verbatim index again [damaged-index]"

# a file larger than any index is refused by its size, unread
truncate -s 1025M "$T/big"
run_to big phrases --index "$T/big" wide
expect_eq "a file over 1 GiB: exit 2 and message" "$rc:$(cat "$T/big.err")" "2:$T/big: error: the file is larger than 1024 MiB, more than any index file; give the file that verbatim index writes [not-an-index]"

# index reads its previous file the same way: a FIFO there does not block it
cp -R "$FIX/phrases" "$T/kb"
mkfifo "$T/prev"
timeout 20 $VB index -C "$T/kb" -q -o "$T/prev" >"$T/ix.out" 2>&1
expect_eq "index -o FIFO: no wait for a writer" "$([ $? -ne 124 ] && echo done)" done
