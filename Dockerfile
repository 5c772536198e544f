# verbatim in a small image: Debian 12 slim, the binary and the libraries it
# runs with (as the Debian package's Depends name them), nothing to compile.
#
#   docker build -t verbatim .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/notes" -w /notes verbatim verbatim check
#
# The build stage runs the same commands as a developer: the packages that
# the Makefile names when pkg-config misses one (plus the toolchain and
# dpkg-dev), then 'make deb'.  tests/cli/packaging.sh runs those commands
# and checks these lists against the Makefile, where no container runtime is.
FROM debian:bookworm-slim AS build
RUN apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        build-essential pkg-config dpkg-dev libmd4c-dev libyaml-dev libgit2-dev zlib1g-dev libutf8proc-dev
WORKDIR /src
COPY . .
RUN make deb DEBDIR=/out

# apt resolves the package's Depends: libmd4c0, libyaml-0-2, zlib1g, libutf8proc2 and the
# libgit2 that verbatim loads.  No entry point: CI systems run their own
# shell (GitLab) or name the command (docker run IMAGE verbatim check).
FROM debian:bookworm-slim
COPY --from=build /out/*.deb /tmp/
RUN apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/verbatim_*.deb && \
    rm -rf /var/lib/apt/lists/* /tmp/*.deb && \
    verbatim --version
CMD ["verbatim", "--help"]
