#!/usr/bin/env bash
# Installs code-server (a real VS Code: web workbench + Node extension host)
# once into a cache directory keyed by its version, and reuses it afterwards:
#
#   ${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}/code-server-4.100.3/
#     node_modules/.bin/code-server
#
# Called by `npm run setup` (test/world/setup.sh). The end-to-end suite
# (test/e2e/extension.e2e.test.ts, through test/world/code-server.ts) and
# `npm start` run it from there; neither installs it. It is kept out of the
# project's package.json on purpose: it is large (~500 MB) and has native parts.
#
# code-server 4.100.3 carries VS Code 1.100 (the oldest version the extension
# supports, package.json engines.vscode) and needs Node.js 20 exactly.
#
# Its native modules are compiled against the system Node's headers
# (npm_config_nodedir=/usr, Debian packages libkrb5-dev libx11-dev
# libxkbfile-dev libsecret-1-dev pkg-config, plus a C++ compiler). One of its
# dependencies, @vscode/ripgrep, downloads rg from GitHub in its install step,
# which is not reachable here: its download cache is seeded with Debian's rg
# (package ripgrep) first, so it finds the archive and never downloads.
#
# A good install is never deleted half-way: everything is built in a staging
# directory beside the destination, checked, then renamed into place.
# CERTSMITH_PEER_REBUILD=1 installs again regardless.
#
# Exit status: 0 installed (or already there), 3 not installable on this
# Node.js (not Node 20: set-up carries on, the e2e suite is skipped), 1 error.
set -euo pipefail

VERSION=4.100.3
# @vscode/ripgrep version and the rg archive it looks for (code-server 4.100.3's tree).
RIPGREP_PKG_VERSIONS=(1.15.11 1.15.10 1.15.9)
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE_ROOT="${CERTSMITH_PEER_CACHE:-$HOME/.cache/certsmith-peers}"
DEST="$CACHE_ROOT/code-server-$VERSION"
BIN="$DEST/node_modules/.bin/code-server"
STAMP="$DEST/.complete"
want_stamp="code-server@$VERSION"

say() { echo "install-code-server: $*"; }
fail() {
  echo "install-code-server: error: $*" >&2
  exit 1
}

if [ -x "$BIN" ] && [ -f "$STAMP" ] && head -n1 "$STAMP" | grep -qx "$want_stamp" && [ "${CERTSMITH_PEER_REBUILD:-}" != 1 ]; then
  say "using the cached install $DEST"
  exit 0
fi

command -v node >/dev/null 2>&1 || fail "Node.js is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  # Not fatal for `npm run setup`: the end-to-end suite is skipped with this reason.
  echo "install-code-server: warning: code-server $VERSION needs Node.js 20 (found $(node --version)); not installed, so the end-to-end suite (test/e2e) will be skipped" >&2
  exit 3
fi
[ -f /usr/include/node/node_api.h ] || fail "the Node.js headers are missing (/usr/include/node): install the Debian package nodejs (or libnode-dev) that matches $(node --version)"
for tool in rg pkg-config g++ make python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: run \`npm run setup\` (Debian packages ripgrep pkg-config build-essential python3)"
done
for lib in krb5-gssapi x11 xkbfile libsecret-1; do
  pkg-config --exists "$lib" || fail "the development files for $lib are missing: apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev"
done

mkdir -p "$CACHE_ROOT" || fail "cannot create the cache directory $CACHE_ROOT (set CERTSMITH_PEER_CACHE to a writable directory)"
STAGE="$(mktemp -d "$CACHE_ROOT/.code-server-$VERSION.install.XXXXXX")" || fail "cannot create a staging directory in $CACHE_ROOT"
OLD=""
cleanup() {
  rm -rf "$STAGE"
  [ -z "$OLD" ] || rm -rf "$OLD"
}
trap cleanup EXIT

# @vscode/ripgrep's postinstall looks in $TMPDIR/vscode-ripgrep-cache-<version>/ before it downloads.
export TMPDIR="$STAGE/tmp"
mkdir -p "$TMPDIR"
for v in "${RIPGREP_PKG_VERSIONS[@]}"; do
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$v"
  tar czf "$TMPDIR/vscode-ripgrep-cache-$v/$RIPGREP_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg
done

say "installing code-server@$VERSION into $DEST (npm; compiles native modules: about 1-2 minutes on 2 cores)"
started=$(date +%s)
echo '{ "name": "certsmith-code-server", "private": true }' >"$STAGE/package.json"
if ! (
  cd "$STAGE"
  npm_config_yes=true npm_config_unsafe_perm=true npm_config_nodedir=/usr npm_config_update_notifier=false \
    npm install --no-audit --no-fund --no-save --unsafe-perm "code-server@$VERSION"
) >"$STAGE/npm.log" 2>&1; then
  tail -n 60 "$STAGE/npm.log" >&2
  fail "npm install code-server@$VERSION failed (last lines above). Is the npm registry reachable? Are the build dependencies installed (\`npm run setup\`)?"
fi
[ -x "$STAGE/node_modules/.bin/code-server" ] || fail "npm finished but node_modules/.bin/code-server is missing"
[ -x "$STAGE/node_modules/@vscode/ripgrep/bin/rg" ] || [ -x "$STAGE/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
  || say "warning: no rg found in @vscode/ripgrep (search in files may not work)"
# (its own config file goes into the staging tmp dir, not ~/.config)
got="$(XDG_CONFIG_HOME="$TMPDIR/config" XDG_DATA_HOME="$TMPDIR/data" "$STAGE/node_modules/.bin/code-server" --version 2>/dev/null | grep -m1 "^$VERSION " || true)"
case "$got" in
  "$VERSION "*) ;;
  *) fail "the installed code-server does not run (\`code-server --version\` printed: ${got:-nothing})" ;;
esac
rm -rf "$TMPDIR"
printf '%s\n%s\n' "$want_stamp" "installed with Node $(node --version) on $(date -u +%Y-%m-%dT%H:%M:%SZ): $got" >"$STAGE/.complete"

# Move into place: the old install (if any) is moved aside first and removed only
# once the new one is there. Both renames are within one directory (atomic).
if [ -e "$DEST" ]; then
  OLD="$CACHE_ROOT/.code-server-$VERSION.old.$$"
  mv "$DEST" "$OLD"
fi
mv "$STAGE" "$DEST"
STAGE=""
say "installed in $(($(date +%s) - started)) s: $DEST ($got)"
