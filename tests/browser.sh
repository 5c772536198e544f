# Helpers for the CLI tests that open pages in headless Chromium (sourced
# after lib.sh): browser URL prints the page's DOM once its scripts ran
# (log in $T/log); page_ok WHAT checks that log for no console message,
# script error, policy violation or failed load.
if ! command -v chromium >/dev/null 2>&1; then
	notok "chromium is installed (apt-get install chromium)"; exit 1
fi
browser() {
	profile=$(mktemp -d)
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 --virtual-time-budget=10000 \
		--dump-dom "$1" 2>"$T/log"
	status=$?
	rm -rf "$profile"
	return $status
}
page_ok() {
	if grep -E 'Uncaught|ERR_|Refused to|Failed to load|CONSOLE|violates' "$T/log" >"$T/bad"; then
		notok "$1"; sed 's/^/#   /' "$T/bad" | head -10
	else ok "$1"; fi
}
