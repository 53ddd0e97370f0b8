#!/usr/bin/env bash
# Builds kubeconform (yannh/kubeconform, the Kubernetes schema validator many
# CI pipelines run) once into a cache directory keyed by its version, and
# reuses it afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/kubeconform-v0.8.0/kubeconform
#
# Called by `npm run setup` (test/world/setup.sh); `npm run bench:lint`
# (test/bench/lint.bench.ts) runs it from there beside `certsmith lint` and
# never builds it itself. It is a peer to compare against, not a dependency.
#
# Source: the Go module proxy (`go install github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0`).
# Nothing of kubeconform is kept in this repository. A proxy that refuses the
# module makes this script exit 3: set-up says so and carries on, and the
# benchmark says it cannot run.
#
# A good cache is never deleted: the build goes into a staging directory and the
# finished binary is moved into place only after it has been checked.
# CERTSMITH_PEER_REBUILD=1 builds again regardless.
set -euo pipefail

VERSION=v0.8.0
MODULE=github.com/yannh/kubeconform/cmd/kubeconform

CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
DEST_DIR="$CACHE_ROOT/kubeconform-$VERSION"
BIN="$DEST_DIR/kubeconform"
STAMP="$DEST_DIR/.complete"

say() { echo "build-kubeconform: $*"; }
fail() {
  echo "build-kubeconform: error: $*" >&2
  exit 1
}

want_stamp="$MODULE@$VERSION"

if [ -x "$BIN" ] && [ -f "$STAMP" ] && head -n1 "$STAMP" | grep -q "^$want_stamp" && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached build $BIN"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 \
  || fail "Go is not installed (or not on PATH); kubeconform is built from source with Go >= 1.22 (https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
[ -n "$go_minor" ] && [ "$go_minor" -ge 22 ] || fail "kubeconform needs Go >= 1.22; found $(go env GOVERSION)"

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.kubeconform-$VERSION.build.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'rm -rf "$STAGE"' EXIT

say "building kubeconform $VERSION with $(go env GOVERSION); a first build downloads its modules: about 1 minute on 2 cores"
started=$(date +%s)
# Without cgo, as upstream releases it: a static binary.
if ! CGO_ENABLED=0 GOBIN="$STAGE" GOFLAGS=-buildvcs=false go install -trimpath "$MODULE@$VERSION" 2>"$STAGE/go.log"; then
  cat "$STAGE/go.log" >&2
  if grep -q "403 Forbidden\|not available" "$STAGE/go.log"; then
    echo "build-kubeconform: warning: the Go module proxy ($(go env GOPROXY)) does not serve $MODULE@$VERSION; npm run bench:lint cannot compare with kubeconform" >&2
    exit 3
  fi
  fail "building kubeconform failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
fi
[ -x "$STAGE/kubeconform" ] || fail "go install finished but $STAGE/kubeconform is missing"
"$STAGE/kubeconform" -v >/dev/null 2>&1 || fail "the kubeconform binary built but does not run ($STAGE/kubeconform -v)"

mkdir -p "$DEST_DIR"
# Same file system: each rename is atomic, so a reader never sees half a binary.
mv -f "$STAGE/kubeconform" "$BIN.new"
mv -f "$BIN.new" "$BIN"
printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$STAMP.new"
mv -f "$STAMP.new" "$STAMP"
say "built in $(($(date +%s) - started)) s: $BIN"
