#!/bin/sh
# Copies completions/facts.awk (without its comment lines) into the three
# completion files, between their "# BEGIN facts.awk" and "# END facts.awk"
# lines, where it sits in single quotes: each file must stand alone once
# installed.  After editing facts.awk, run from the top of the tree:
#
#     sh completions/gen.sh
#
# With --check it changes nothing and fails when a file is not up to date
# (tests/cli/completion.sh runs that).
set -e
cd "$(dirname "$0")"
if grep -v '^#' facts.awk | grep -q "'"; then
	echo "completions/facts.awk: no ' outside comments (it goes inside single quotes)" >&2
	exit 2
fi
rc=0
for f in verbatim.bash _verbatim verbatim.fish; do
	awk -v src=facts.awk '
		/^# BEGIN facts.awk/ { print; getline; print; while ((getline l < src) > 0) if (l !~ /^#/) print l; skip = 1; next }
		/^# END facts.awk/ { print "\x27"; skip = 0 }
		!skip { print }
	' "$f" >"$f.new"
	if [ "$1" = --check ]; then
		cmp -s "$f" "$f.new" || { echo "completions/$f is not up to date with facts.awk: run sh completions/gen.sh" >&2; rc=1; }
		rm -f "$f.new"
	else
		mv "$f.new" "$f"
	fi
done
exit $rc
