#!/usr/bin/env bash
# Developer tools pinned by version, built from Go modules and cached next to the control plane.
#
#   bash hack/tools.sh actionlint     install actionlint (once) and print the path of its binary
#
# Binaries go to ${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}/tools/bin; a present binary of the
# pinned version is reused (a stamp file records the version), so only the first call needs the
# Go module proxy. Progress goes to stderr, the path alone to stdout.
set -euo pipefail

# Bump here (and only here); the unit test workflows.test.ts runs whatever this installs.
ACTIONLINT_VERSION=v1.7.12

CACHE_ROOT=${POD_CLEANER_CACHE:-$HOME/.cache/pod-cleaner}
TOOLS_BIN=$CACHE_ROOT/tools/bin

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH=/usr/local/go/bin:$PATH
fi

log() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# go_install NAME MODULE/PKG VERSION: installs into TOOLS_BIN unless the stamped version is there
go_install() {
  local name=$1 pkg=$2 version=$3
  local bin=$TOOLS_BIN/$name stamp=$TOOLS_BIN/.stamp-$name
  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
    echo "$bin"
    return 0
  fi
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build $name $version)"
  mkdir -p "$TOOLS_BIN"
  # One installer at a time (parallel jest workers may call this together).
  exec 8>"$TOOLS_BIN/.lock-$name"
  flock 8
  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
    exec 8>&-
    echo "$bin"
    return 0
  fi
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

case "${1:-}" in
  actionlint) go_install actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" ;;
  *)
    echo "usage: $0 actionlint" >&2
    exit 2
    ;;
esac
