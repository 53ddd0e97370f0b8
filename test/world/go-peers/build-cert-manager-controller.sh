#!/usr/bin/env bash
# Builds cert-manager's real controllers and admission webhook as one test-only
# Go program (source next to this script in cert-manager-controller/: its own
# wiring of cert-manager's controller context factory, controller registry,
# issuers and webhook server) once into a cache directory keyed by the
# cert-manager version and the program's own source, and reuses it afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/cert-manager-controller-<version>-<source hash>/
#     certsmith-cert-manager   `controller` and `webhook` subcommands (and `version`)
#     .complete                what was built, with which Go, and how long it took
#
# Called by `npm run setup` (test/world/setup.sh); test/world/cert-manager.ts
# starts the binary from there and never builds it itself.
#
# Source: the Go module proxy, through the module in cert-manager-controller/
# (go.mod + go.sum; no cert-manager source is kept in this repository). Its
# module path lies under github.com/cert-manager/cert-manager/ so that Go lets
# it import cert-manager's internal/ packages (the webhook server). Upstream's
# cmd/controller and cmd/webhook are nested modules the proxy does not serve,
# hence the own wiring. The Venafi issuer is not built: the proxy refuses
# github.com/Venafi/vcert/v5 (403 Forbidden).
#
# Needs Go >= 1.26 (cert-manager v1.21 says go 1.26.0); no C compiler. Runs at
# the lowest CPU priority (nice 19). Measured from empty module and build
# caches on 2 cores: about 160 MB of module downloads (1 GB unpacked), 1.5 GB
# of build cache, 3 minutes (187 s); an 83 MB binary. A change to the .go
# files alone relinks in seconds.
#
# Exit status: 0 built or cached; 3 the module proxy does not serve a module the
# program needs (set-up carries on; the controller tests are skipped with that
# reason); 1 any other failure.
#
# A good cache is never deleted: the build goes into a staging directory, the
# binary is checked (it must report the cert-manager version and know its
# subcommands' flags), and only then moved into place. CERTSMITH_PEER_REBUILD=1
# builds again regardless.
set -euo pipefail

CERT_MANAGER_VERSION=v1.21.2

HERE="$(cd "$(dirname "$0")" && pwd)"
MODULE_DIR="$HERE/cert-manager-controller"
CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
JOBS="${CERTSMITH_GO_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}"
NAME=certsmith-cert-manager

say() { echo "build-cert-manager-controller: $*"; }
fail() {
  echo "build-cert-manager-controller: error: $*" >&2
  exit 1
}

[ -f "$MODULE_DIR/go.mod" ] && [ -f "$MODULE_DIR/go.sum" ] && [ -f "$MODULE_DIR/main.go" ] \
  || fail "the module $MODULE_DIR (go.mod, go.sum, main.go) is missing"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "CERTSMITH_GO_BUILD_JOBS must be a positive number (got '$JOBS')"

# The cache key: the cert-manager version and the program's own source (same
# computation as test/world/cert-manager.ts: sha256 over go.mod, go.sum and the
# .go files in name order, first 12 hex digits).
SRC_HASH="$(cd "$MODULE_DIR" && cat go.mod go.sum $(ls *.go | LC_ALL=C sort) | sha256sum | cut -c1-12)"
DEST_DIR="$CACHE_ROOT/cert-manager-controller-$CERT_MANAGER_VERSION-$SRC_HASH"
BIN="$DEST_DIR/$NAME"
STAMP="$DEST_DIR/.complete"
want_stamp="github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION source:$SRC_HASH"

if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$want_stamp" ] && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached build $BIN"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 \
  || fail "Go is not installed (or not on PATH); cert-manager's controller is built from source with Go >= 1.26 (https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
[ -n "$go_minor" ] && [ "$go_minor" -ge 26 ] || fail "cert-manager $CERT_MANAGER_VERSION needs Go >= 1.26; found $(go env GOVERSION)"

cd "$MODULE_DIR"
export GOWORK=off CGO_ENABLED=0 GOMAXPROCS="${GOMAXPROCS:-$JOBS}"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false -p=$JOBS"

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.cert-manager-controller-$CERT_MANAGER_VERSION.build.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'rm -rf "$STAGE"' EXIT

proxy_refused() { # log
  if grep -q "403 Forbidden\|not available\|410 Gone" "$1"; then
    echo "build-cert-manager-controller: warning: the Go module proxy ($(go env GOPROXY)) does not serve a module cert-manager's controller needs (see above); the tests against the real controller (test/cluster/controller.test.ts) will be skipped" >&2
    exit 3
  fi
}

# The version go.mod really selects must be the one this script names (the cache key).
if ! got="$(go list -m -f '{{.Version}}' github.com/cert-manager/cert-manager 2>"$STAGE/list.log")"; then
  cat "$STAGE/list.log" >&2
  proxy_refused "$STAGE/list.log"
  fail "go list -m github.com/cert-manager/cert-manager failed in $MODULE_DIR. Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
fi
[ "$got" = "$CERT_MANAGER_VERSION" ] || fail "$MODULE_DIR/go.mod selects github.com/cert-manager/cert-manager $got, but this script expects $CERT_MANAGER_VERSION; change both together"

say "building cert-manager's controller and webhook (cert-manager $CERT_MANAGER_VERSION) with $(go env GOVERSION), $JOBS job(s), nice 19; a first build downloads about 160 MB of modules and takes about 3 minutes on 2 cores"
started=$(date +%s)
# AppVersion: what cert-manager puts into its User-Agent and the acmesolver image tag.
if ! nice -n 19 go build -trimpath -ldflags="-s -w -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=$CERT_MANAGER_VERSION" \
  -o "$STAGE/$NAME" . 2>"$STAGE/go.log"; then
  cat "$STAGE/go.log" >&2
  proxy_refused "$STAGE/go.log"
  fail "building cert-manager's controller failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
fi
[ -x "$STAGE/$NAME" ] || fail "go build finished but $STAGE/$NAME is missing"
seconds=$(($(date +%s) - started))

# It must run, name the version it was built from, and know both subcommands.
version="$("$STAGE/$NAME" version 2>&1 || true)"
[ "$version" = "certsmith-cert-manager: github.com/cert-manager/cert-manager $CERT_MANAGER_VERSION" ] \
  || fail "the binary does not report cert-manager $CERT_MANAGER_VERSION; it printed: $version"
help="$("$STAGE/$NAME" controller --help 2>&1 || true)"
printf '%s' "$help" | grep -q -- '--dns01-recursive-nameservers-only' \
  || fail "\`$NAME controller --help\` does not list --dns01-recursive-nameservers-only; it printed: $help"
help="$("$STAGE/$NAME" webhook --help 2>&1 || true)"
printf '%s' "$help" | grep -q -- '--tls-cert-file' \
  || fail "\`$NAME webhook --help\` does not list --tls-cert-file; it printed: $help"

mkdir -p "$DEST_DIR"
# Same file system: each rename is atomic; the stamp goes last.
mv -f "$STAGE/$NAME" "$BIN.new"
mv -f "$BIN.new" "$BIN"
printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $seconds s ($(du -m "$BIN" | cut -f1) MB)" > "$STAMP.new"
mv -f "$STAMP.new" "$STAMP"
say "built in $seconds s: $BIN"
