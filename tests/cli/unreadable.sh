#!/bin/sh
# A knowledge base that cannot be read is an I/O error (exit 2) for every
# command, as a missing one is: its folder, a notes folder, verbatim.yml
# (issue 18).  An unreadable note stays a finding about that note.
. "$(dirname "$0")/../lib.sh"

# root reads anything: the commands then run as an unprivileged user
if [ "$(id -u)" = 0 ]; then
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$T"
else
	AS=
fi
cp -R "$FIX/phrases" "$T/kb"
chmod -R a+rX "$T/kb"

run_as() { # OUT args...: like run_vb, as the unprivileged user
	name=$1; shift
	$AS $VB "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
}

for c in check stats index report phrases; do
	run_as m-$c $c -C "$T/missing"
	expect_eq "$c: a missing knowledge base: exit 2" "$rc" 2
done

chmod 000 "$T/kb"
for c in check stats index report phrases next copy new; do
	args=; [ $c = new ] && args="--segment buyer --customer C-1"
	run_as u-$c $c -C "$T/kb" $args
	expect_eq "$c: an unreadable knowledge base: exit 2" "$rc" 2
	expect_grep "$c: an unreadable knowledge base: said how to fix" "$T/u-$c.err" \
		"$T/kb: error: cannot read the knowledge base: Permission denied; check its permissions (chmod u+rx) [unreadable]"
done
chmod 755 "$T/kb"

chmod 000 "$T/kb/calls"
for c in check stats; do
	run_as c-$c $c -C "$T/kb"
	expect_eq "$c: an unreadable notes folder: exit 2" "$rc" 2
	expect_grep "$c: an unreadable notes folder: said" "$T/c-$c.err" \
		"calls: error: cannot read folder: Permission denied; check its permissions [unreadable]"
done
chmod 755 "$T/kb/calls"

chmod 000 "$T/kb/verbatim.yml"
run_as y-check check -C "$T/kb"
expect_eq "check: an unreadable verbatim.yml: exit 2" "$rc" 2
chmod 644 "$T/kb/verbatim.yml"

# one unreadable note is a finding about it (exit 1), as before
chmod 000 "$T/kb/calls/2026-01-05-c00001-buyer.md"
run_as n-check check -C "$T/kb"
expect_eq "check: an unreadable note: exit 1" "$rc" 1
expect_grep "check: an unreadable note: said" "$T/n-check.err" \
	"error: cannot read: Permission denied; check its permissions [unreadable]"
expect_grep "check: an unreadable note: which" "$T/n-check.err" "calls/2026-01-05-c00001-buyer.md:"
chmod 644 "$T/kb/calls/2026-01-05-c00001-buyer.md"
chmod -R u+rwX "$T"
