#!/bin/sh
# End to end, as a team starts: verbatim init in a fresh folder (it becomes a
# git repository), two notes with verbatim new filled in with quotes and tags,
# verbatim check clean, git commit, verbatim index, verbatim report (with its
# history page) and verbatim stats; every step exits 0.
. "$(dirname "$0")/../lib.sh"

K=$T/team
mkdir "$K"
export GIT_AUTHOR_NAME="Sam Team" GIT_AUTHOR_EMAIL=sam@example.com
export GIT_COMMITTER_NAME="Sam Team" GIT_COMMITTER_EMAIL=sam@example.com
export GIT_AUTHOR_DATE="2026-03-04T09:00:00 +0000" GIT_COMMITTER_DATE="2026-03-04T09:00:00 +0000"

run_vb init init "$K"
expect_eq "init exits 0 and makes a git repository" "$rc $(git -C "$K" rev-parse --show-toplevel)" "0 $(cd "$K" && pwd -P)"

run_vb new1 new -C "$K" -s buyer -c C-1 -d 2026-03-02
expect_eq "new: the first note's path" "$rc $(cat "$T/new1.out")" "0 $K/calls/2026/2026-03-02-c1-buyer.md"
run_vb new2 new -C "$K" -s abandoner -c C-2 -d 2026-03-03
expect_eq "new: the second note's path" "$rc $(cat "$T/new2.out")" "0 $K/calls/2026/2026-03-03-c2-abandoner.md"

# fill them in: tags in the front matter, quotes with hashtags in the body
N1=$K/calls/2026/2026-03-02-c1-buyer.md
N2=$K/calls/2026/2026-03-03-c2-abandoner.md
sed -i 's/^tags: \[\]/tags: [price]/' "$N1" "$N2"
cat >>"$N1" <<'EOT'

## Quotes

> "The shipping cost almost made me leave the cart." #shipping-cost

> "I was not sure the size would fit." #fit-uncertainty
EOT
cat >>"$N2" <<'EOT'

## Quotes

> "Shipping was more than the socks themselves." #shipping-cost
EOT

run_vb check check -C "$K"
expect_eq "check is clean" "$rc $(cat "$T/check.out")" "0 checked 2 notes: 0 errors, 0 warnings"

git -C "$K" add -A && git -C "$K" commit -q -m "First two calls"
expect_eq "git commit of the knowledge base" "$(git -C "$K" log --format=%s)" "First two calls"

run_vb index index -C "$K"
expect_eq "index exits 0" "$rc" 0

run_vb report report -C "$K"
expect_eq "report exits 0 and says what it wrote" "$rc $(cat "$T/report.out")" "0 wrote $K/public: 2 notes, 3 themes"
expect_eq "report prints no diagnostics" "$(cat "$T/report.err")" ""
expect_grep "index.html has the top theme" "$K/public/index.html" '<a href="themes/shipping-cost-'
expect_grep "history.html has the theme's first commit" "$K/public/history.html" \
	"Shipping cost</a></th><td class=\"date\">2026-03-04 <code>$(git -C "$K" rev-parse HEAD | cut -c1-7)</code></td><td class=\"date\">2026-03-02</td><td class=\"num\">2</td><td class=\"num\">2</td>"
expect_grep "history.html: the commit in the timeline, author by name" "$K/public/history.html" "</code> First two calls <span class=\"muted\">(Sam Team)</span></li>"
expect_eq "no author email in the site" "$(grep -rl 'sam@' "$K/public" | wc -l)" 0

# stats is relative to today: look at the week of these calls
run_vb stats stats -C "$K" --as-of 2026-03-04
expect_eq "stats exits 0" "$rc" 0
expect_grep "stats: this week's calls" "$T/stats.out" "This week      2 calls, goal 5: 3 to go"
expect_grep "stats: the top theme" "$T/stats.out" "  Shipping cost                 2 calls      2 customers"
