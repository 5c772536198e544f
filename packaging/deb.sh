#!/bin/sh
# Builds $OUT/verbatim_$VERSION_<arch>.deb from $BUILD/verbatim (make deb
# runs it after building with PREFIX=/usr): the binary and the man pages as
# make install puts them, the licence as the copyright file, and Depends
# from dpkg-shlibdeps (the libraries the binary links) plus, unless
# GIT_LINK=1, the package of the libgit2 that verbatim loads by its soname
# ($GIT_SONAME), which no tool can see in the binary.
set -e
: "${VERSION:?}" "${BUILD:?}" "${OUT:=$BUILD}" "${MAKE:=make}"
pc=${PKG_CONFIG:-pkg-config}
arch=$(dpkg --print-architecture)
name=verbatim_${VERSION}_$arch
mkdir -p "$OUT"
root=$OUT/deb/$name
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/usr/share/doc/verbatim"
$MAKE --no-print-directory -s install PREFIX=/usr DESTDIR="$root" BUILD="$BUILD" >/dev/null
find "$root/usr/share/man" -type f -name '*.[1-9]' -exec gzip -9n {} +
strip --strip-unneeded "$root/usr/bin/verbatim"
cp LICENSE "$root/usr/share/doc/verbatim/copyright"

# Depends: dpkg-shlibdeps wants a debian/control to read; give it one
work=$OUT/deb/shlibs
rm -rf "$work" && mkdir -p "$work/debian"
printf 'Source: verbatim\n\nPackage: verbatim\nArchitecture: any\n' >"$work/debian/control"
bin=$(cd "$root/usr/bin" && pwd)/verbatim
depends=$(cd "$work" && dpkg-shlibdeps -O -e "$bin" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "verbatim: deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
if [ "$GIT_LINK" != 1 ]; then
	[ -n "$GIT_SONAME" ] || { echo "verbatim: deb: no libgit2 soname; install libgit2-dev" >&2; exit 1; }
	lib=$($pc --variable=libdir libgit2)/$GIT_SONAME
	git_pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | sed -n '1s/:.*//p')
	# Debian names the package after the soname: libgit2.so.1.5 is libgit2-1.5
	[ -n "$git_pkg" ] || git_pkg=$(echo "$GIT_SONAME" | sed 's/\.so\./-/')
	depends="$depends, $git_pkg"
fi
size=$(du -sk "$root/usr" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF2
Package: verbatim
Version: $VERSION
Architecture: $arch
Maintainer: verbatim maintainers <verbatim@localhost>
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Description: checks, indexes and reports on Markdown customer-call notes
 verbatim checks a knowledge base of Markdown call notes against its
 vocabulary, indexes the customers' recurring phrases and writes a static
 HTML report with themes over the git history.
EOF2
dpkg-deb --root-owner-group -Zgzip --build "$root" "$OUT/$name.deb" >/dev/null
rm -rf "$OUT/deb"
echo "$OUT/$name.deb"
