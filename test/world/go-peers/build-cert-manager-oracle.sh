#!/usr/bin/env bash
# Builds the cert-manager validation oracle (a test-only Go program that runs
# cert-manager's own admission-webhook validation on manifests; source next to
# this script in cert-manager-oracle/) once into a cache directory keyed by the
# cert-manager version and the oracle's own source, and reuses it afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/cert-manager-oracle-<version>-<source hash>/
#     certsmith-oracle   JSON lines in (one manifest each), JSON lines out (field errors, warnings)
#     .complete          what was built, and with which Go
#
# Called by `npm run setup` (test/world/setup.sh); the differential test
# (test/oracle/) runs the binary from there and never builds it itself.
#
# Source: the Go module proxy, through the module in cert-manager-oracle/
# (go.mod + go.sum; no cert-manager source is kept in this repository). Its
# module path lies under github.com/cert-manager/cert-manager/ so that Go lets
# it import cert-manager's internal/apis/.../validation packages.
#
# Version: the bundled CRDs (schemas/upstream/cert-manager) come from commit
# 2d0d7f7f74241a9cbf79f0e2a7bb247238ee09fd (master, 2026-08-22). The module
# proxy here refuses that commit ("403 Forbidden: This module version is not
# available"), so the oracle is built from the newest release it serves,
# v1.21.2; the validation code of the two differs in two places, listed in
# engine/rules/deliberate-differences.ts ("oracle version"). When the proxy
# serves the commit, `go get github.com/cert-manager/cert-manager@2d0d7f7f7424`
# in cert-manager-oracle/, set CERT_MANAGER_VERSION below to the pseudo-version
# it prints, and drop those entries.
#
# Needs Go >= 1.26 (cert-manager v1.21 says go 1.26.0); no C compiler. A first
# build downloads about 150 MB of modules and compiles in under 3 minutes on 2
# cores, at the lowest CPU priority (nice 19).
#
# Exit status: 0 built or cached; 3 the module proxy does not serve a module the
# oracle needs (set-up carries on; the webhook half of the differential test is
# skipped with that reason); 1 any other failure.
#
# A good cache is never deleted: the build goes into a staging directory, the
# binary is checked (it must answer a known document correctly), and only then
# moved into place. CERTSMITH_PEER_REBUILD=1 builds again regardless.
set -euo pipefail

CERT_MANAGER_VERSION=v1.21.2

HERE="$(cd "$(dirname "$0")" && pwd)"
MODULE_DIR="$HERE/cert-manager-oracle"
CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
JOBS="${CERTSMITH_GO_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}"

say() { echo "build-cert-manager-oracle: $*"; }
fail() {
  echo "build-cert-manager-oracle: error: $*" >&2
  exit 1
}

[ -f "$MODULE_DIR/go.mod" ] && [ -f "$MODULE_DIR/go.sum" ] && [ -f "$MODULE_DIR/main.go" ] \
  || fail "the oracle module $MODULE_DIR (go.mod, go.sum, main.go) is missing"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "CERTSMITH_GO_BUILD_JOBS must be a positive number (got '$JOBS')"

# The cache key: the cert-manager version and the oracle's own source (same
# computation as test/oracle/webhook-oracle.ts: sha256 over go.mod, go.sum and
# the .go files in name order, first 12 hex digits).
SRC_HASH="$(cd "$MODULE_DIR" && cat go.mod go.sum $(ls *.go | LC_ALL=C sort) | sha256sum | cut -c1-12)"
DEST_DIR="$CACHE_ROOT/cert-manager-oracle-$CERT_MANAGER_VERSION-$SRC_HASH"
BIN="$DEST_DIR/certsmith-oracle"
STAMP="$DEST_DIR/.complete"
want_stamp="github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION source:$SRC_HASH"

if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$want_stamp" ] && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached build $BIN"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 \
  || fail "Go is not installed (or not on PATH); the cert-manager oracle is built from source with Go >= 1.26 (https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
[ -n "$go_minor" ] && [ "$go_minor" -ge 26 ] || fail "cert-manager $CERT_MANAGER_VERSION needs Go >= 1.26; found $(go env GOVERSION)"

cd "$MODULE_DIR"
export GOWORK=off CGO_ENABLED=0 GOMAXPROCS="${GOMAXPROCS:-$JOBS}"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false -p=$JOBS"

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.cert-manager-oracle-$CERT_MANAGER_VERSION.build.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'rm -rf "$STAGE"' EXIT

proxy_refused() { # log
  if grep -q "403 Forbidden\|not available\|410 Gone" "$1"; then
    echo "build-cert-manager-oracle: warning: the Go module proxy ($(go env GOPROXY)) does not serve a module the oracle needs (see above); the cert-manager webhook half of the differential test (test/oracle/) will be skipped" >&2
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

say "building the cert-manager validation oracle (cert-manager $CERT_MANAGER_VERSION) with $(go env GOVERSION), $JOBS job(s), nice 19; a first build downloads its modules and takes under 3 minutes on 2 cores"
started=$(date +%s)
if ! nice -n 19 go build -trimpath -ldflags="-s -w" -o "$STAGE/certsmith-oracle" . 2>"$STAGE/go.log"; then
  cat "$STAGE/go.log" >&2
  proxy_refused "$STAGE/go.log"
  fail "building the oracle failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
fi
[ -x "$STAGE/certsmith-oracle" ] || fail "go build finished but $STAGE/certsmith-oracle is missing"

# It must answer a document it has an opinion on: an RSA key of 1024 bits.
probe='{"id":"probe","yaml":"apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: x}\nspec:\n  secretName: x\n  dnsNames: [example.com]\n  issuerRef: {name: i}\n  privateKey: {algorithm: RSA, size: 1024}\n"}'
answer="$(printf '%s\n' "$probe" | "$STAGE/certsmith-oracle" 2>&1 || true)"
printf '%s' "$answer" | grep -q '"field":"spec.privateKey.size"' \
  || fail "the oracle does not reject an RSA key of 1024 bits at spec.privateKey.size; it printed: $answer"

mkdir -p "$DEST_DIR"
# Same file system: each rename is atomic; the stamp goes last.
mv -f "$STAGE/certsmith-oracle" "$BIN.new"
mv -f "$BIN.new" "$BIN"
printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - started)) s" > "$STAMP.new"
mv -f "$STAMP.new" "$STAMP"
say "built in $(($(date +%s) - started)) s: $BIN"
