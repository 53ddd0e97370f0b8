#!/usr/bin/env bash
# Fetches the real-world corpus (test/corpus/SOURCES.tsv: real manifest files of
# public projects) into the peer cache, once per version of the list:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/corpus-<hash of SOURCES.tsv>/
#     <module>@<version>/<path>   each listed file, as the module zip has it
#     .complete                   what was fetched, and with which Go
#
# Called by `npm run setup` (test/world/setup.sh); the corpus test
# (test/semantics/real-world-corpus.test.ts) and `npm run corpus:report` read
# the cache and never fetch anything themselves.
#
# Source: the Go module proxy. Each listed module version is downloaded with
# `go mod download` (which checks it against the Go checksum database) into a
# module cache of its own under the staging directory, the listed files are
# copied out, each file's SHA-256 is compared with the list (a mismatch fails
# loudly: the list and the module disagree), and the module cache is deleted.
# Nothing of these projects is kept in this repository.
#
# Exit status: 0 fetched or cached; 3 the module proxy refuses a listed module
# version (set-up carries on; the corpus test is skipped and names the modules,
# from corpus-<hash>.refused); 1 any other failure.
#
# A good cache is never deleted: the files go into a staging directory that is
# renamed into place only when every file is there and checked.
# CERTSMITH_PEER_REBUILD=1 fetches again regardless.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SOURCES="$HERE/../../corpus/SOURCES.tsv"
CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"

say() { echo "fetch-corpus: $*"; }
fail() {
  echo "fetch-corpus: error: $*" >&2
  exit 1
}

[ -f "$SOURCES" ] || fail "the list $SOURCES is missing"
HASH="$(sha256sum "$SOURCES" | cut -c1-12)"
DEST="$CACHE_ROOT/corpus-$HASH"
STAMP="$DEST/.complete"
REFUSED="$CACHE_ROOT/corpus-$HASH.refused"

if [ -f "$STAMP" ] && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached corpus $DEST"
  exit 0
fi

command -v go >/dev/null 2>&1 || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; } || true
command -v go >/dev/null 2>&1 || fail "Go is not installed (or not on PATH); the corpus is fetched with \`go mod download\` (Go >= 1.26, https://go.dev/dl/)"
go_minor="$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
# Some listed modules declare `go 1.26.0`; an older Go refuses to download them.
[ -n "$go_minor" ] && [ "$go_minor" -ge 26 ] || fail "the corpus needs Go >= 1.26 (some listed modules declare it); found $(go env GOVERSION)"

# module<TAB>version<TAB>path<TAB>licence<TAB>sha256<TAB>repository; comments and the header line skipped.
rows="$(grep -v '^#' "$SOURCES" | tail -n +2)"
[ -n "$rows" ] || fail "$SOURCES lists no files"
mapfile -t modules < <(printf '%s\n' "$rows" | awk -F'\t' '{ print $1 "@" $2 }' | sort -u)
files=$(printf '%s\n' "$rows" | wc -l)

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.corpus-$HASH.fetch.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
trap 'chmod -R u+w "$STAGE" 2>/dev/null; rm -rf "$STAGE"' EXIT

say "fetching ${#modules[@]} module versions from the Go module proxy ($(go env GOPROXY)) for $files files"
started=$(date +%s)
# One `go mod download` for all of them: it fetches in parallel. A module cache of its own
# (writable, so that it can be deleted) keeps the user's free of a few hundred MB of sources.
# Run outside any Go module, so that only the listed versions count.
set +e
(cd "$STAGE" && GOMODCACHE="$STAGE/modcache" GOFLAGS=-modcacherw GOTOOLCHAIN=local \
  nice -n 19 go mod download -json "${modules[@]}" >"$STAGE/download.json" 2>"$STAGE/download.log")
set -e

# Each module's extracted directory, or its error, from go's JSON objects (one field per line).
awk '
  /^\{/ { path = ""; version = ""; dir = ""; err = "" }
  /^\t"Path": / { path = $0; sub(/^\t"Path": "/, "", path); sub(/",?$/, "", path) }
  /^\t"Version": / { version = $0; sub(/^\t"Version": "/, "", version); sub(/",?$/, "", version) }
  /^\t"Dir": / { dir = $0; sub(/^\t"Dir": "/, "", dir); sub(/",?$/, "", dir) }
  /^\t"Error": / { err = $0; sub(/^\t"Error": "/, "", err); sub(/",?$/, "", err); gsub(/(\\n|\\t)+/, " ", err) }
  /^\}/ { printf "%s@%s\t%s\t%s\n", path, version, dir, err }
' "$STAGE/download.json" >"$STAGE/modules.tsv"

refused=()
other=()
declare -A dir_of=()
for mv in "${modules[@]}"; do
  line="$(awk -F'\t' -v mv="$mv" '$1 == mv' "$STAGE/modules.tsv" | head -n1)"
  dir="$(printf '%s' "$line" | cut -f2)"
  err="$(printf '%s' "$line" | cut -f3-)"
  if [ -n "$dir" ] && [ -z "$err" ] && [ -d "$dir" ]; then
    dir_of[$mv]="$dir"
  elif printf '%s' "$err" | grep -q '403 Forbidden\|404 Not Found\|410 Gone\|not available\|unknown revision\|invalid version'; then
    refused+=("$mv: $err")
  else
    other+=("$mv: ${err:-no module directory}")
  fi
done
if [ ${#other[@]} -gt 0 ]; then
  printf '  %s\n' "${other[@]}" >&2
  [ -s "$STAGE/download.log" ] && sed 's/^/  /' "$STAGE/download.log" >&2
  fail "downloading ${#other[@]} module versions failed (above). Is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
fi
if [ ${#refused[@]} -gt 0 ]; then
  printf '%s\n' "${refused[@]}" >"$REFUSED"
  printf '  %s\n' "${refused[@]}" >&2
  echo "fetch-corpus: warning: the Go module proxy does not serve ${#refused[@]} of the ${#modules[@]} module versions above; the real-world corpus test will be skipped (listed in $REFUSED)" >&2
  exit 3
fi

# Copy and check each listed file.
mismatches=0
while IFS=$'\t' read -r module version path _licence sha256 _repository; do
  src="${dir_of[$module@$version]}/$path"
  dst="$STAGE/files/$module@$version/$path"
  [ -f "$src" ] || fail "$module@$version has no file $path (SOURCES.tsv names a file the module does not contain)"
  mkdir -p "$(dirname "$dst")"
  cp "$src" "$dst"
  chmod 0644 "$dst"
  got="$(sha256sum "$dst" | cut -d' ' -f1)"
  if [ "$got" != "$sha256" ]; then
    echo "fetch-corpus: error: $module@$version $path: SHA-256 $got, but SOURCES.tsv says $sha256" >&2
    mismatches=$((mismatches + 1))
  fi
done <<<"$rows"
[ "$mismatches" -eq 0 ] || fail "$mismatches files differ from SOURCES.tsv (above): the list and the modules disagree; fix the list, do not skip the check"

printf '%s\n%s\n' "corpus of $files files from ${#modules[@]} module versions, SOURCES.tsv $HASH" \
  "fetched with $(go env GOVERSION) from $(go env GOPROXY) on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - started)) s" >"$STAGE/files/.complete"
rm -rf "$DEST" "$REFUSED"
# Same file system: the rename is atomic, so a reader never sees half a corpus.
mv "$STAGE/files" "$DEST"
say "fetched $files files ($(du -sh "$DEST" | cut -f1)) in $(($(date +%s) - started)) s: $DEST"
