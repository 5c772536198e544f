#!/bin/sh
# action.yml's entry: runs 'verbatim $VERBATIM_COMMAND $VERBATIM_ARGS' in the
# current folder (the checked-out repository).  check defaults to
# --format=github (annotations), report to -o public.  verbatim comes from
# $VERBATIM_BIN or PATH when there; else from the container image of this
# action's version (VERSION and packaging/names beside this script), run as
# the calling user so that libgit2 accepts the repository as its owner's.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
image=$(sed -n 's/^IMAGE=//p' "$here/names"):$(cat "$top/VERSION")

case $VERBATIM_COMMAND in
check) default_args=--format=github ;;
report) default_args="-o public" ;;
*)
	echo "::error::verbatim action: command must be check or report, not '$VERBATIM_COMMAND'"
	exit 2
	;;
esac
# shellcheck disable=SC2086 # args are split at spaces, as documented
set -- "$VERBATIM_COMMAND" ${VERBATIM_ARGS:-$default_args}

bin=${VERBATIM_BIN:-$(command -v verbatim)}
if [ -n "$bin" ]; then
	exec "$bin" "$@"
fi
command -v docker >/dev/null 2>&1 || {
	echo "::error::verbatim action: neither verbatim nor docker is installed on this runner"
	exit 2
}
exec docker run --rm -u "$(id -u):$(id -g)" -e HOME=/tmp -e GITHUB_ACTIONS \
	-v "$PWD:$PWD" -w "$PWD" "$image" verbatim "$@"
