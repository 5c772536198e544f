#!/bin/sh
# verbatim --version: its version (the VERSION file), then the versions of
# md4c (built against), libyaml, libgit2 and utf8proc (as they run; "not
# loaded" when libgit2 cannot be loaded).
. "$(dirname "$0")/../lib.sh"
pc=${PKG_CONFIG:-pkg-config}
# utf8proc's .pc file lags its releases (2.8.0 says 2.6.0): its header
# tells the version
utf8proc_version() {
	awk '/#define UTF8PROC_VERSION_(MAJOR|MINOR|PATCH) / { v = v (v == "" ? "" : ".") $3 } END { print v }' \
		"$($pc --variable=includedir libutf8proc)/utf8proc.h"
}
run_vb v --version
cat >"$T/v.expected" <<EOF2
verbatim $(cat "$VB_TOP/VERSION")
md4c $($pc --modversion md4c)
libyaml $($pc --modversion yaml-0.1)
libgit2 $($pc --modversion libgit2)
utf8proc $(utf8proc_version)
EOF2
expect_eq "--version: exit 0" "$rc" 0
expect_file "--version: verbatim's and the libraries' versions" "$T/v.out" "$T/v.expected"
VB_LIBGIT2=$T/no-such-libgit2.so run_vb nogit --version
expect_eq "--version without libgit2: exit 0" "$rc" 0
expect_eq "--version without libgit2: says so" "$(sed -n 4p "$T/nogit.out")" "libgit2 not loaded"
