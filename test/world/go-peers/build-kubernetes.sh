#!/usr/bin/env bash
# Builds the Kubernetes test peers once into a cache directory keyed by version,
# and reuses them afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/kubernetes-v1.34.3/
#     kube-apiserver   k8s.io/kubernetes/cmd/kube-apiserver  (v1.34.3)
#     kubectl          k8s.io/kubernetes/cmd/kubectl         (v1.34.3; also a benchmark peer)
#     etcd             go.etcd.io/etcd/server/v3             (v3.6.4, the etcd Kubernetes v1.34 ships)
#     .complete        what was built, and with which Go
#
# Called by `npm run setup` (test/world/setup.sh); test/world/kube-apiserver.ts
# runs the binaries from there and never builds them itself.
#
# Source: the Go module proxy, through the small build module next to this
# script (test/world/go-peers/kubernetes/go.mod + go.sum). That module requires
# k8s.io/kubernetes and replaces each staging module (k8s.io/api, client-go, ...)
# with its published v0.34.3 version, which `go install k8s.io/kubernetes/...@v1.34.3`
# cannot do. Nothing of Kubernetes or etcd is kept in this repository.
#
# Needs Go >= 1.24; no C compiler (CGO_ENABLED=0, static binaries). A first
# build downloads about 1 GB of modules and compiles for a long time: see the
# estimate it prints. It runs at the lowest CPU priority (nice 19) with
# CERTSMITH_GO_BUILD_JOBS parallel jobs (default: the number of CPUs; set 1 so that a small machine stays
# usable; set it to the number of cores on a build machine of your own).
#
# A good cache is never deleted: the build goes into a staging directory, each
# binary is checked (it must run and report the expected version), and only
# then moved into place. CERTSMITH_PEER_REBUILD=1 builds again regardless.
set -euo pipefail

KUBERNETES_VERSION=v1.34.3
ETCD_VERSION=v3.6.4

HERE="$(cd "$(dirname "$0")" && pwd)"
MODULE_DIR="$HERE/kubernetes"
CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
DEST_DIR="$CACHE_ROOT/kubernetes-$KUBERNETES_VERSION"
STAMP="$DEST_DIR/.complete"
BINARIES=(kube-apiserver kubectl etcd)
JOBS="${CERTSMITH_GO_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}"

say() { echo "build-kubernetes: $*"; }
fail() {
  echo "build-kubernetes: error: $*" >&2
  exit 1
}

want_stamp="k8s.io/kubernetes@$KUBERNETES_VERSION go.etcd.io/etcd/server/v3@$ETCD_VERSION"

cached=1
for b in "${BINARIES[@]}"; do [ -x "$DEST_DIR/$b" ] || cached=0; done
if [ "$cached" = 1 ] && [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$want_stamp" ] && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached build in $DEST_DIR"
  exit 0
fi

[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "CERTSMITH_GO_BUILD_JOBS must be a positive number (got '$JOBS')"
[ -f "$MODULE_DIR/go.mod" ] && [ -f "$MODULE_DIR/go.sum" ] || fail "the build module $MODULE_DIR (go.mod, go.sum) is missing"

# Go's own installer puts it in /usr/local/go, which a non-login shell may not have on PATH.
command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 \
  || fail "Go is not installed (or not on PATH); kube-apiserver, kubectl and etcd are built from source with Go >= 1.24 (https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
[ -n "$go_minor" ] && [ "$go_minor" -ge 24 ] || fail "Kubernetes $KUBERNETES_VERSION needs Go >= 1.24; found $(go env GOVERSION)"

cd "$MODULE_DIR"
export GOWORK=off CGO_ENABLED=0 GOMAXPROCS="${GOMAXPROCS:-$JOBS}"
export GOFLAGS="${GOFLAGS:-} -mod=readonly -buildvcs=false -p=$JOBS"

# The versions go.mod really selects must be the ones this script names (the cache key).
for pair in "k8s.io/kubernetes $KUBERNETES_VERSION" "go.etcd.io/etcd/server/v3 $ETCD_VERSION"; do
  set -- $pair
  got="$(go list -m -f '{{.Version}}' "$1" 2>&1)" || fail "go list -m $1 failed in $MODULE_DIR: $got"
  [ "$got" = "$2" ] || fail "$MODULE_DIR/go.mod selects $1 $got, but this script expects $2; change both together"
done

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.kubernetes-$KUBERNETES_VERSION.build.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'rm -rf "$STAGE"' EXIT

# Version stamps as Kubernetes' own build sets them (hack/lib/version.sh), so that
# `kubectl version` and the API server's /version say v1.34.3 and not v0.0.0.
minor="${KUBERNETES_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

build() { # name package [ldflags]
  local name="$1" pkg="$2" flags="${3:-}"
  local t0; t0=$(date +%s)
  say "go build $pkg -> $name"
  if ! nice -n 19 go build -trimpath -ldflags="$flags" -o "$STAGE/$name" "$pkg" 2>"$STAGE/$name.log"; then
    cat "$STAGE/$name.log" >&2
    if grep -q "403 Forbidden\|not available\|410 Gone" "$STAGE/$name.log"; then
      echo "build-kubernetes: warning: the Go module proxy ($(go env GOPROXY)) does not serve a module $name needs; the cluster tests will be skipped" >&2
      exit 3
    fi
    fail "building $name ($pkg) failed (see above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))? Is there enough memory (linking kube-apiserver needs about 2 GB)?"
  fi
  [ -x "$STAGE/$name" ] || fail "go build finished but $STAGE/$name is missing"
  say "  $name built in $(($(date +%s) - t0)) s"
}

say "building kube-apiserver, kubectl ($KUBERNETES_VERSION) and etcd ($ETCD_VERSION) with $(go env GOVERSION), $JOBS job(s), nice 19."
say "a first build downloads ~1 GB of modules and takes long: about 20 minutes with 1 job on 2 cores (measured: 18 min), a few minutes with 8 jobs; later runs reuse $DEST_DIR"
started=$(date +%s)
build etcd go.etcd.io/etcd/server/v3 "-s -w"
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$ldflags"
build kubectl k8s.io/kubernetes/cmd/kubectl "$ldflags"

# Each binary must run and say the version it was built for.
check() { # name expected-substring command...
  local name="$1" want="$2"; shift 2
  local out; out="$("$@" 2>&1 || true)"
  printf '%s' "$out" | grep -qF "$want" || fail "$name does not report $want; it printed: $out"
}
check kube-apiserver "Kubernetes $KUBERNETES_VERSION" "$STAGE/kube-apiserver" --version
check kubectl "Client Version: $KUBERNETES_VERSION" "$STAGE/kubectl" version --client
check etcd "etcd Version: ${ETCD_VERSION#v}" "$STAGE/etcd" --version

mkdir -p "$DEST_DIR"
# Same file system: each rename is atomic, so a reader never sees half a binary,
# and an old binary (if any) stays until its checked replacement is in place.
# The stamp goes last: without the right stamp the tests treat the cache as unbuilt.
for b in "${BINARIES[@]}"; do
  mv -f "$STAGE/$b" "$DEST_DIR/$b.new"
  mv -f "$DEST_DIR/$b.new" "$DEST_DIR/$b"
done
printf '%s\n%s\n' "$want_stamp" "built with $(go env GOVERSION) on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - started)) s" > "$STAMP.new"
mv -f "$STAMP.new" "$STAMP"
say "built in $(($(date +%s) - started)) s: $DEST_DIR ($(du -sh "$DEST_DIR" | cut -f1))"
