# make install honours PREFIX and DESTDIR and installs the man pages.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = plain ] || exit 0 # one build is enough
make -s -C "$VB_TOP" install PREFIX=/opt/vb DESTDIR="$T/root" >"$T/make.out" 2>&1
expect_eq "make install exits 0" "$?" 0
expect_eq "the binary is installed" "$(ls "$T/root/opt/vb/bin")" verbatim
{ echo verbatim.1; $VB_BIN --help | sed -n 's/^  \([a-z][a-z-]*\) .*/verbatim-\1.1/p'; } | sort >"$T/man.expected"
ls "$T/root/opt/vb/share/man/man1" | sort >"$T/man.got"
expect_file "a man page per command" "$T/man.got" "$T/man.expected"
expect_eq "the shell completions" \
	"$(cd "$T/root/opt/vb/share" && ls bash-completion/completions/verbatim zsh/site-functions/_verbatim fish/vendor_completions.d/verbatim.fish | tr '\n' ' ')" \
	"bash-completion/completions/verbatim fish/vendor_completions.d/verbatim.fish zsh/site-functions/_verbatim "
"$T/root/opt/vb/bin/verbatim" --version >"$T/v.out"
expect_eq "the installed binary runs" "$(head -1 "$T/v.out")" "verbatim $(cat "$VB_TOP/VERSION")"
make -s -C "$VB_TOP" uninstall PREFIX=/opt/vb DESTDIR="$T/root" >/dev/null 2>&1
expect_eq "make uninstall removes them" "$(find "$T/root" -type f | wc -l)" 0
