#!/usr/bin/env bash
# Builds the cert-manager validation oracle (a test-only Go program that runs
# cert-manager's own admission-webhook validation on manifests) for one or more
# cert-manager releases, each once into a cache directory keyed by the release
# and the oracle's own source, and reuses it afterwards:
#
#   build-cert-manager-oracle.sh [RELEASE...]   RELEASE: v1.17.4, 1.17, oldest, newest or all
#                                               (default: oldest newest, what `npm test` needs)
#   build-cert-manager-oracle.sh --pin v1.22.0  maintainers: add a release (writes its go.mod + go.sum)
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/cert-manager-oracle-<version>-<source hash>/
#     certsmith-oracle   JSON lines in (one manifest each), JSON lines out (field errors, warnings)
#     .complete          what was built, and with which Go
#
# `npm run setup` (test/world/setup.sh) builds the oldest and the newest release;
# `npm run fuzz:oracle -- --all-versions` calls this script for the others. The
# differential test (test/oracle/) runs the binaries from the cache and never
# builds them itself.
#
# Layout (cert-manager-oracle/): the *.go files are the one source for every
# release (the webhook's validation functions, their signatures and the install
# packages are the same from v1.14 to v1.21); releases/<version>/go.mod + go.sum
# pin that release's module graph. A build copies both into a staging module and
# builds it there with -mod=readonly, from the Go module proxy; nothing of
# cert-manager is kept in this repository. The module path lies under
# github.com/cert-manager/cert-manager/ so that Go lets it import cert-manager's
# internal/apis/.../validation packages.
#
# --pin writes releases/<version>/go.mod from one template: the module path,
# cert-manager's own `go` line, `require github.com/cert-manager/cert-manager
# <version>`, and the `replace` lines of that release's own go.mod (v1.15 pins
# prometheus, v1.15-v1.18 pin go-asn1-ber; a consuming module ignores upstream's
# replace lines, so they are repeated to build what upstream built), then `go mod tidy`.
#
# "next" (the commit schemas/ comes from, 2d0d7f7f74241a9cbf79f0e2a7bb247238ee09fd)
# has no oracle: the module proxy refuses that commit ("403 Forbidden: This module
# version is not available"). When it serves it, `--pin` its pseudo-version.
#
# Needs Go >= the release's `go` line (1.26 for v1.21); no C compiler. A first
# build of one release downloads 100-150 MB of modules and compiles for 1-3
# minutes on 2 cores, at the lowest CPU priority (nice 19).
#
# Exit status: 0 built or cached; 3 the module proxy does not serve a module an
# oracle needs (set-up carries on; that release's webhook half of the
# differential test is skipped with that reason); 1 any other failure.
#
# A good cache is never deleted: the build goes into a staging directory, the
# binary is checked (it must answer a known document correctly), and only then
# moved into place. CERTSMITH_PEER_REBUILD=1 builds again regardless.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
MODULE_DIR="$HERE/cert-manager-oracle"
RELEASES_DIR="$MODULE_DIR/releases"
CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
JOBS="${CERTSMITH_GO_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}"
CM_MODULE=github.com/cert-manager/cert-manager
ORACLE_MODULE=$CM_MODULE/certsmith-oracle

say() { echo "build-cert-manager-oracle: $*"; }
fail() {
  echo "build-cert-manager-oracle: error: $*" >&2
  exit 1
}

[ -f "$MODULE_DIR/main.go" ] || fail "the oracle source $MODULE_DIR/main.go is missing"
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "CERTSMITH_GO_BUILD_JOBS must be a positive number (got '$JOBS')"

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
need_go() {
  command -v go >/dev/null 2>&1 \
    || fail "Go is not installed (or not on PATH); the cert-manager oracle is built from source with Go (https://go.dev/dl/)"
}

# The pinned releases, oldest first.
pinned_releases() {
  [ -d "$RELEASES_DIR" ] || return 0
  find "$RELEASES_DIR" -mindepth 2 -maxdepth 2 -name go.mod -printf '%h\n' | xargs -r -n1 basename | sort -V
}

# VERSION|1.17|oldest|newest|all -> exact versions, one a line.
resolve() {
  local all
  all="$(pinned_releases)"
  [ -n "$all" ] || fail "no release is pinned in $RELEASES_DIR (add one with --pin vX.Y.Z)"
  case "$1" in
    all) printf '%s\n' "$all" ;;
    oldest) printf '%s\n' "$all" | head -n1 ;;
    newest) printf '%s\n' "$all" | tail -n1 ;;
    *)
      local want="v${1#v}" hit
      if [[ "$want" =~ ^v1\.[0-9]+$ ]]; then
        hit="$(printf '%s\n' "$all" | grep -E "^${want//./\\.}\.[0-9]+$" | tail -n1 || true)"
      else
        hit="$(printf '%s\n' "$all" | grep -Fx "$want" || true)"
      fi
      [ -n "$hit" ] || fail "cert-manager $1 has no oracle module; pinned: $(echo $all). Add one with: $0 --pin vX.Y.Z"
      printf '%s\n' "$hit"
      ;;
  esac
}

# The cache key: same computation as test/oracle/webhook-oracle.ts (sha256 over the
# release's go.mod and go.sum, then the .go files in name order; first 12 hex digits).
source_hash() { # version
  (cd "$MODULE_DIR" && cat "releases/$1/go.mod" "releases/$1/go.sum" $(ls *.go | LC_ALL=C sort) | sha256sum | cut -c1-12)
}

proxy_refused() { # log
  if grep -q "403 Forbidden\|not available\|410 Gone" "$1"; then
    echo "build-cert-manager-oracle: warning: the Go module proxy ($(go env GOPROXY)) does not serve a module the oracle needs (see above); that release's cert-manager webhook half of the differential test (test/oracle/) will be skipped" >&2
    return 0
  fi
  return 1
}

# Builds one release; returns 0 built or cached, 3 refused by the proxy, 1 failed (with a message).
build_one() { # version
  local v="$1" src hash dest bin stamp want_stamp stage go_line go_need go_minor got started answer probe
  src="$RELEASES_DIR/$v"
  [ -f "$src/go.mod" ] && [ -f "$src/go.sum" ] || { echo "build-cert-manager-oracle: error: $src (go.mod, go.sum) is missing" >&2; return 1; }
  hash="$(source_hash "$v")"
  dest="$CACHE_ROOT/cert-manager-oracle-$v-$hash"
  bin="$dest/certsmith-oracle"
  stamp="$dest/.complete"
  want_stamp="$CM_MODULE@$v source:$hash"
  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$want_stamp" ] && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
    say "$v: using the cached build $bin"
    return 0
  fi
  need_go
  go_line="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$src/go.mod" | head -n1)"
  go_need="$(echo "$go_line" | cut -d. -f2)"
  go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  if [ -z "$go_minor" ] || [ "$go_minor" -lt "${go_need:-0}" ]; then
    echo "build-cert-manager-oracle: error: cert-manager $v needs Go >= $go_line; found $(go env GOVERSION)" >&2
    return 1
  fi
  mkdir -p "$CACHE_ROOT" || { echo "build-cert-manager-oracle: error: cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)" >&2; return 1; }
  stage="$(mktemp -d "$CACHE_ROOT/.cert-manager-oracle-$v.build.XXXXXX")" || return 1
  STAGE="$stage"
  mkdir "$stage/module"
  cp "$src/go.mod" "$src/go.sum" "$MODULE_DIR"/*.go "$stage/module/"

  # The version go.mod really selects must be the one its folder names (the cache key).
  if ! got="$(cd "$stage/module" && go list -m -f '{{.Version}}' "$CM_MODULE" 2>"$stage/list.log")"; then
    cat "$stage/list.log" >&2
    proxy_refused "$stage/list.log" && return 3
    echo "build-cert-manager-oracle: error: go list -m $CM_MODULE failed for $v. Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?" >&2
    return 1
  fi
  if [ "$got" != "$v" ]; then
    echo "build-cert-manager-oracle: error: $src/go.mod selects $CM_MODULE $got, not $v" >&2
    return 1
  fi

  say "$v: building the cert-manager validation oracle with $(go env GOVERSION), $JOBS job(s), nice 19; a first build downloads its modules and takes 1-3 minutes on 2 cores"
  started=$(date +%s)
  if ! (cd "$stage/module" && nice -n 19 go build -trimpath -ldflags="-s -w" -o "$stage/certsmith-oracle" .) 2>"$stage/go.log"; then
    cat "$stage/go.log" >&2
    proxy_refused "$stage/go.log" && return 3
    echo "build-cert-manager-oracle: error: building the oracle for $v failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?" >&2
    return 1
  fi

  # It must answer a document every release has an opinion on: an RSA key of 1024 bits.
  probe='{"id":"probe","yaml":"apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: x}\nspec:\n  secretName: x\n  dnsNames: [example.com]\n  issuerRef: {name: i}\n  privateKey: {algorithm: RSA, size: 1024}\n"}'
  answer="$(printf '%s\n' "$probe" | "$stage/certsmith-oracle" 2>&1 || true)"
  if ! printf '%s' "$answer" | grep -q '"field":"spec.privateKey.size"'; then
    echo "build-cert-manager-oracle: error: the $v oracle does not reject an RSA key of 1024 bits at spec.privateKey.size; it printed: $answer" >&2
    return 1
  fi

  mkdir -p "$dest"
  # Same file system: each rename is atomic; the stamp goes last.
  mv -f "$stage/certsmith-oracle" "$bin.new"
  mv -f "$bin.new" "$bin"
  printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - started)) s" >"$stamp.new"
  mv -f "$stamp.new" "$stamp"
  say "$v: built in $(($(date +%s) - started)) s: $bin"
  rm -rf "$stage"
  return 0
}

# --pin: a new release's go.mod (from the template below) and go.sum (go mod tidy).
pin() { # version
  local v="$1" dir tmp info up_dir go_line
  [[ "$v" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || fail "--pin takes an exact release such as v1.22.0 (got '$v')"
  dir="$RELEASES_DIR/$v"
  [ ! -e "$dir" ] || fail "$dir exists already"
  need_go
  tmp="$(mktemp -d)"
  STAGE="$tmp"
  info="$(cd "$tmp" && GOFLAGS=-mod=mod go mod download -json "$CM_MODULE@$v")" || fail "go mod download $CM_MODULE@$v failed: $info"
  up_dir="$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -n "$up_dir" ] && [ -f "$up_dir/go.mod" ] || fail "the Go module proxy gave no module for $CM_MODULE@$v: $info"
  go_line="$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$up_dir/go.mod" | head -n1)"
  mkdir -p "$tmp/module"
  {
    echo "// Test-only module: cert-manager $v's own admission validation as an oracle for"
    echo "// Certsmith's differential test (test/oracle/). Written by"
    echo "// test/world/go-peers/build-cert-manager-oracle.sh --pin $v (then go mod tidy);"
    echo "// built with the .go files of cert-manager-oracle/. Never imported by Certsmith."
    echo
    echo "module $ORACLE_MODULE"
    echo
    echo "go $go_line"
    echo
    echo "require $CM_MODULE $v"
    # cert-manager's own replace lines (single lines and blocks) with module versions, not local paths.
    awk '
      /^replace[[:space:]]*\(/ { block = 1; next }
      block && /^\)/ { block = 0; next }
      block && /=>/ { sub(/^[[:space:]]+/, ""); lines[++n] = "replace " $0; next }
      /^replace[[:space:]]/ && /=>/ { lines[++n] = $0 }
      END { if (n) print ""; for (i = 1; i <= n; i++) if (lines[i] !~ /=>[[:space:]]*\.{1,2}\//) print lines[i] }
    ' "$up_dir/go.mod"
  } >"$tmp/module/go.mod"
  cp "$MODULE_DIR"/*.go "$tmp/module/"
  (cd "$tmp/module" && GOFLAGS=-mod=mod nice -n 19 go mod tidy) || fail "go mod tidy failed for $v"
  mkdir -p "$dir"
  cp "$tmp/module/go.mod" "$tmp/module/go.sum" "$dir/"
  say "pinned $v in $dir; build it with: $0 $v"
}

# The staging directory of the build under way (a finished one removes its own).
STAGE=""
trap 'rm -rf "${STAGE:-/nonexistent}"' EXIT

export GOWORK=off CGO_ENABLED=0 GOMAXPROCS="${GOMAXPROCS:-$JOBS}"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false -p=$JOBS"

if [ "${1:-}" = "--pin" ]; then
  [ $# -eq 2 ] || fail "usage: $0 --pin vX.Y.Z"
  GOFLAGS="${GOFLAGS/-mod=readonly/}" pin "$2"
  exit 0
fi

[ $# -gt 0 ] || set -- oldest newest
versions=()
for a in "$@"; do
  found="$(resolve "$a")" || exit 1
  for v in $found; do
    [[ " ${versions[*]-} " == *" $v "* ]] || versions+=("$v")
  done
done

status=0
for v in "${versions[@]}"; do
  rc=0
  build_one "$v" || rc=$?
  if [ "$rc" -eq 1 ]; then status=1; elif [ "$rc" -eq 3 ] && [ "$status" -eq 0 ]; then status=3; fi
done
exit "$status"
