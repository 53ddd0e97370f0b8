#!/usr/bin/env bash
# Builds acme-dns (joohoi/acme-dns, a Go program: the DNS server behind
# cert-manager's `acmeDNS` DNS-01 provider) once into a cache directory keyed
# by the pinned upstream commit, and reuses it afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/acme-dns-<commit>/acme-dns
#
# Called by `npm run setup` (test/world/setup.sh); test/world/acme-dns.ts runs
# the binary from there and never builds it itself.
#
# Source: the Go module proxy (`go install github.com/joohoi/acme-dns@<commit>`;
# its tags are not semver, so a commit is pinned). Nothing of acme-dns is kept
# in this repository. Some proxies refuse this module ("403 Forbidden: This
# module version is not available"); then the peer cannot be built, set-up
# says so and carries on, and the acmeDNS issuance test is skipped with that
# reason (every other test is unaffected).
#
# Needs Go >= 1.22 and cgo with a C compiler: acme-dns links sqlite
# (github.com/mattn/go-sqlite3).
#
# A good cache is never deleted: the build goes into a staging directory and the
# finished binary is moved into place only after it has been checked.
# CERTSMITH_PEER_REBUILD=1 builds again regardless.
set -euo pipefail

COMMIT=b7a0a8a7bcef39f6158dd596fe716594a170d362

CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
DEST_DIR="$CACHE_ROOT/acme-dns-$COMMIT"
BIN="$DEST_DIR/acme-dns"
STAMP="$DEST_DIR/.complete"

say() { echo "build-acme-dns: $*"; }
fail() {
  echo "build-acme-dns: error: $*" >&2
  exit 1
}

want_stamp="github.com/joohoi/acme-dns@$COMMIT"

if [ -x "$BIN" ] && [ -f "$STAMP" ] && head -n1 "$STAMP" | grep -q "^$want_stamp" && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached build $BIN"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 \
  || fail "Go is not installed (or not on PATH); acme-dns is built from source with Go >= 1.22 (https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
[ -n "$go_minor" ] && [ "$go_minor" -ge 22 ] || fail "acme-dns needs Go >= 1.22; found $(go env GOVERSION)"
cc="$(go env CC)"
cc="${cc:-gcc}"
command -v "${cc%% *}" >/dev/null 2>&1 \
  || fail "no C compiler ($cc): acme-dns needs cgo for sqlite. Install the Debian package gcc (or build-essential): apt-get install -y gcc"

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.acme-dns-$COMMIT.build.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'rm -rf "$STAGE"' EXIT

say "building acme-dns @ ${COMMIT:0:12} with $(go env GOVERSION) and cgo (sqlite); a first build downloads its modules and compiles sqlite: under 2 minutes on 2 cores"
started=$(date +%s)
if ! CGO_ENABLED=1 GOBIN="$STAGE" GOFLAGS=-buildvcs=false go install -trimpath "github.com/joohoi/acme-dns@$COMMIT" 2>"$STAGE/go.log"; then
  cat "$STAGE/go.log" >&2
  if grep -q "403 Forbidden\|not available" "$STAGE/go.log"; then
    echo "build-acme-dns: warning: the Go module proxy ($(go env GOPROXY)) does not serve github.com/joohoi/acme-dns; the acmeDNS issuance test will be skipped" >&2
    exit 3
  fi
  fail "building acme-dns failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))? Is a C compiler installed (Debian package gcc or build-essential)?"
fi
[ -x "$STAGE/acme-dns" ] || fail "go build finished but $STAGE/acme-dns is missing"
# An acme-dns built without cgo starts, then cannot open its sqlite database.
go version -m "$STAGE/acme-dns" | grep -q 'CGO_ENABLED=1' \
  || fail "the acme-dns binary was built without cgo, so it cannot use sqlite; install gcc (Debian package gcc or build-essential) and run again"

mkdir -p "$DEST_DIR"
# Same file system: each rename is atomic, so a reader never sees half a binary,
# and the old binary (if any) stays until the new one is in place.
mv -f "$STAGE/acme-dns" "$BIN.new"
mv -f "$BIN.new" "$BIN"
printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$STAMP.new"
mv -f "$STAMP.new" "$STAMP"
say "built in $(($(date +%s) - started)) s: $BIN"
