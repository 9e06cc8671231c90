#!/usr/bin/env bash
# Developer tools pinned by version, built from Go modules and cached next to the control plane.
#
#   bash hack/tools.sh actionlint     install actionlint (once) and print the path of its binary
#   bash hack/tools.sh shellcheck     install shellcheck (once) and print the path of its binary
#
# Binaries go to ${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}/tools/bin; a present binary of the
# pinned version is reused (a stamp file records the version), so only the first call needs the
# Go module proxy. Progress goes to stderr, the path alone to stdout.
set -euo pipefail

# Bump here (and only here); the unit test workflows.test.ts runs whatever this installs.
ACTIONLINT_VERSION=v1.7.12
# The shellcheck binary (actionlint runs it on every `run:` script) is Haskell, not built here: Debian
# bookworm's package, fetched from the Debian archive by URL (no root, no apt lists needed) and
# checked against the SHA256 of bookworm's signed package index (apt-cache show shellcheck).
SHELLCHECK_DEB=pool/main/s/shellcheck/shellcheck_0.9.0-1_amd64.deb
SHELLCHECK_SHA256=8c40f8a4ecccf3d746b933853972f1cd1be6df84fc5977d0137269d4debefa4f
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

CACHE_ROOT=${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}
TOOLS_BIN=$CACHE_ROOT/tools/bin

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH=/usr/local/go/bin:$PATH
fi

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# installed NAME STAMP: prints the binary's path if the stamped version of NAME is there
installed() {
  local bin=$TOOLS_BIN/$1 stamp=$TOOLS_BIN/.stamp-$1
  [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$2" ] && echo "$bin"
}

# lock NAME: one installer of NAME at a time (parallel jest workers may ask together); the lock
# is held on fd 8 until the caller closes it (exec 8>&-)
lock() {
  mkdir -p "$TOOLS_BIN"
  exec 8>"$TOOLS_BIN/.lock-$1"
  flock 8
}

# go_install NAME MODULE/PKG VERSION: installs into TOOLS_BIN unless the stamped version is there
go_install() {
  local name=$1 pkg=$2 version=$3
  local bin=$TOOLS_BIN/$name stamp=$TOOLS_BIN/.stamp-$name
  installed "$name" "$version" && return 0
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build $name $version)"
  lock "$name"
  if installed "$name" "$version"; then exec 8>&-; return 0; fi
  local start gobin
  start=$(date +%s)
  gobin=$(mktemp -d "$TOOLS_BIN/.gobin.XXXXXX")
  log "installing $name $version (go install $pkg@$version) ..."
  if ! CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$gobin" GOTOOLCHAIN=${GOTOOLCHAIN:-local} \
    go install -trimpath -ldflags "-s -w" "$pkg@$version" >&2; then
    rm -rf "$gobin"
    die "go install $pkg@$version failed"
  fi
  mv -f "$gobin/$name" "$bin"
  rm -rf "$gobin"
  echo "$version" >"$stamp"
  exec 8>&-
  log "installed $name $version in $(($(date +%s) - start))s: $bin"
  echo "$bin"
}

# deb_install NAME POOL_PATH SHA256: extracts usr/bin/NAME of a Debian package into TOOLS_BIN
deb_install() {
  local name=$1 pool=$2 sha=$3
  local bin=$TOOLS_BIN/$name stamp=$TOOLS_BIN/.stamp-$name
  installed "$name" "$sha" && return 0
  lock "$name"
  if installed "$name" "$sha"; then exec 8>&-; return 0; fi
  local tmp
  tmp=$(mktemp -d "$TOOLS_BIN/.deb.XXXXXX")
  log "downloading $DEBIAN_MIRROR/$pool ..."
  if ! curl -fsSL --retry 3 -o "$tmp/pkg.deb" "$DEBIAN_MIRROR/$pool"; then
    rm -rf "$tmp"
    die "could not download $DEBIAN_MIRROR/$pool"
  fi
  if ! echo "$sha  $tmp/pkg.deb" | sha256sum -c --quiet - >&2; then
    rm -rf "$tmp"
    die "$pool: SHA256 mismatch (expected $sha)"
  fi
  (cd "$tmp" && ar x pkg.deb && mkdir x && tar -xf data.tar.* -C x "./usr/bin/$name") ||
    { rm -rf "$tmp"; die "could not unpack $pool"; }
  mv -f "$tmp/x/usr/bin/$name" "$bin"
  rm -rf "$tmp"
  "$bin" --version >/dev/null || die "$bin does not run (missing shared libraries?)"
  echo "$sha" >"$stamp"
  exec 8>&-
  log "installed $name from $pool: $bin"
  echo "$bin"
}

case "${1:-}" in
  actionlint) go_install actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" ;;
  shellcheck) deb_install shellcheck "$SHELLCHECK_DEB" "$SHELLCHECK_SHA256" ;;
  *)
    echo "usage: $0 actionlint|shellcheck" >&2
    exit 2
    ;;
esac
