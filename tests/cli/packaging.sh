#!/bin/sh
# Releases and installs without compiling, tested where no container runtime
# is: make dist (the tarball holds exactly the committed tree), make deb
# (the files and Depends; the Dockerfile's build stage runs these same
# commands, and its packages are the ones the Makefile names), the GitHub
# Action's entry script (packaging/action.sh, with verbatim on PATH and
# through a stand-in docker), and make check-platforms with a stand-in
# docker that works and one that does not.
. "$(dirname "$0")/../lib.sh"
[ "$VB_SUITE" = plain ] || exit 0
version=$(cat "$VB_TOP/VERSION")
image=$(sed -n 's/^IMAGE=//p' "$VB_TOP/packaging/names")
in_git=$(git -C "$VB_TOP" rev-parse --is-inside-work-tree 2>/dev/null)

# ---- make dist ----
if [ "$in_git" = true ]; then
	make -s -C "$VB_TOP" dist DISTDIR="$T" >"$T/dist.out" 2>&1
	expect_eq "make dist: exit 0, verbatim-<version>.tar.gz" "$?:$(cat "$T/dist.out")" "0:$T/verbatim-$version.tar.gz"
	# (names as Python's repr: the fixtures have hostile ones)
	python3 -c 'import sys, tarfile
for n in sorted(m.name for m in tarfile.open(sys.argv[1]) if not m.isdir()): print(repr(n))' \
		"$T/verbatim-$version.tar.gz" >"$T/dist.got"
	git -C "$VB_TOP" ls-tree -r -z --name-only HEAD | python3 -c 'import sys
for n in sorted(sys.argv[1] + n for n in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0") if n): print(repr(n))' \
		"verbatim-$version/" >"$T/dist.expected"
	expect_file "make dist: the committed tree under verbatim-<version>/" "$T/dist.got" "$T/dist.expected"
	expect_grep "make dist: the licence is in it" "$T/dist.got" "'verbatim-$version/LICENSE'"
else
	ok "make dist # SKIP $VB_TOP is no git checkout (dist archives HEAD)"
fi

# ---- make deb, as the Dockerfile's build stage runs it ----
dockerfile=$VB_TOP/Dockerfile
sed -n '/^FROM .* AS build/,/^FROM /p' "$dockerfile" >"$T/build-stage"
grep '^RUN make' "$T/build-stage" | sed 's/^RUN //' >"$T/build-cmds"
expect_eq "Dockerfile: the build stage runs make deb into /out" "$(cat "$T/build-cmds")" "make deb DEBDIR=/out"
# its packages: the toolchain and the ones the Makefile names for each library
sed -n 's/^APT_[a-z0-9.-]* *:= *//p' "$VB_TOP/Makefile" | sort >"$T/apt.expected"
sed -n '/apt-get install/,/^[^ ]/p' "$T/build-stage" | tr ' \\' '\n\n' | grep -E '^(lib|zlib)' | sort >"$T/apt.got"
expect_file "Dockerfile: the build stage installs the libraries the Makefile names" "$T/apt.got" "$T/apt.expected"
expect_eq "Dockerfile: ... and the toolchain" "$(tr ' \\' '\n\n' <"$T/build-stage" | grep -cxE 'build-essential|pkg-config|dpkg-dev')" 3
(cd "$VB_TOP" && sh -c "$(sed "s|/out|$T/out|g" "$T/build-cmds")") >"$T/deb.out" 2>&1
deb=$T/out/verbatim_${version}_$(dpkg --print-architecture).deb
expect_eq "make deb: exit 0, prints the package" "$?:$(tail -1 "$T/deb.out")" "0:$deb"
dpkg-deb -c "$deb" | awk '{ print $NF }' | grep -v '/$' | sort >"$T/deb.got"
{
	echo ./usr/bin/verbatim
	echo ./usr/share/doc/verbatim/copyright
	for m in "$VB_TOP"/cmd/man/*.1; do echo "./usr/share/man/man1/$(basename "$m").gz"; done
} | sort >"$T/deb.expected"
# (other files make install may add, like shell completions, are welcome)
expect_eq "make deb: the binary, every man page, the licence" "$(comm -13 "$T/deb.got" "$T/deb.expected")" ""
depends=$(dpkg-deb -f "$deb" Depends)
for p in libc6 libmd4c0 libyaml-0-2 zlib1g libgit2-; do
	case ", $depends" in *", $p"*) ok "make deb: depends on $p" ;; *) notok "make deb: depends on $p"; echo "#   Depends: $depends" ;; esac
done
expect_eq "make deb: version and architecture" "$(dpkg-deb -f "$deb" Version Architecture | tr '\n' ' ')" \
	"Version: $version Architecture: $(dpkg --print-architecture) "
dpkg-deb -x "$deb" "$T/root"
expect_eq "make deb: the packaged binary runs" "$("$T/root/usr/bin/verbatim" --version | head -1)" "verbatim $version"
expect_grep "Dockerfile: the runtime stage installs that package" "$dockerfile" "apt-get install -y -qq --no-install-recommends /tmp/verbatim_*.deb"

# ---- the GitHub Action's entry script ----
action=$VB_TOP/packaging/action.sh
expect_grep "action.yml runs packaging/action.sh" "$VB_TOP/action.yml" 'run: sh "$GITHUB_ACTION_PATH/packaging/action.sh"'
cp -R "$FIX/rules" "$T/kb"
(cd "$T/kb" && VERBATIM_BIN=$VB_BIN VERBATIM_COMMAND=check VERBATIM_ARGS='' sh "$action") >"$T/a-check.out" 2>"$T/a-check.err"
rc=$?
(cd "$T/kb" && $VB_BIN check --format=github) >"$T/check.expected" 2>/dev/null
expect_eq "action check: the findings' exit status" "$rc" 1
expect_file "action check: GitHub annotations by default" "$T/a-check.out" "$T/check.expected"
(cd "$T/kb" && VERBATIM_BIN=$VB_BIN VERBATIM_COMMAND=check VERBATIM_ARGS="--format=json --quiet" sh "$action") >"$T/a-json.out" 2>&1
(cd "$T/kb" && $VB_BIN check --format=json --quiet) >"$T/json.expected" 2>&1
expect_file "action check: args replace the default, split at spaces" "$T/a-json.out" "$T/json.expected"
(cd "$T/kb" && VERBATIM_BIN=$VB_BIN VERBATIM_COMMAND=report VERBATIM_ARGS='' sh "$action") >"$T/a-report.out" 2>&1
expect_eq "action report: exit 0, writes public/" "$?:$(test -f "$T/kb/public/index.html" && echo yes)" "0:yes"
(cd "$T/kb" && VERBATIM_BIN=$VB_BIN VERBATIM_COMMAND=stats sh "$action") >"$T/a-bad.out" 2>&1
expect_eq "action: another command is refused" "$?:$(cat "$T/a-bad.out")" \
	"2:::error::verbatim action: command must be check or report, not 'stats'"
# no verbatim on PATH: the image of this version, run as the calling user
mkdir -p "$T/fake"
cat >"$T/fake/docker" <<EOF2
#!/bin/sh
printf '%s\n' "\$@" >"$T/docker.args"
EOF2
chmod +x "$T/fake/docker"
(cd "$T/kb" && PATH=$T/fake:/usr/bin:/bin VERBATIM_COMMAND=report VERBATIM_ARGS="-o site" sh "$action") >/dev/null 2>&1
printf '%s\n' run --rm -u "$(id -u):$(id -g)" -e HOME=/tmp -e GITHUB_ACTIONS -v "$T/kb:$T/kb" -w "$T/kb" \
	"$image:$version" verbatim report -o site >"$T/docker.expected"
expect_file "action without verbatim: docker runs the image of its version" "$T/docker.args" "$T/docker.expected"

# ---- make check-platforms ----
if [ "$in_git" = true ]; then
	cat >"$T/fake/docker" <<EOF2
#!/bin/sh
[ "\$1" = info ] && exit 1
exit 0
EOF2
	(PATH=$T/fake:/usr/bin:/bin CONTAINER_RUNTIME=docker sh "$VB_TOP/.ci/platforms") >"$T/pl1.out" 2>&1
	expect_eq "check-platforms, docker not working: fails" "$?" 2
	expect_grep "check-platforms, docker not working: says so" "$T/pl1.out" "no working container runtime (docker or podman); nothing was checked"
	cat >"$T/fake/docker" <<EOF2
#!/bin/sh
[ "\$1" = info ] && exit 0
echo "\$@" >>"$T/runs"
tar -t >>"$T/files"
EOF2
	(PATH=$T/fake:/usr/bin:/bin CONTAINER_RUNTIME=docker sh "$VB_TOP/.ci/platforms") >"$T/pl2.out" 2>&1
	expect_eq "check-platforms: Debian 12 and 13 checked" "$?:$(grep '^== .*: ok$' "$T/pl2.out" | tr '\n' '|')" \
		"0:== debian:bookworm: ok|== debian:trixie: ok|"
	expect_eq "check-platforms: each container runs .ci/run" "$(grep -c 'sh .ci/run' "$T/runs")" 2
	expect_eq "check-platforms: the tracked files go in, no build output" \
		"$(grep -cx -e Makefile -e .ci/run "$T/files"):$(grep -c '^build' "$T/files")" "4:0"
else
	ok "check-platforms # SKIP $VB_TOP is no git checkout"
fi
