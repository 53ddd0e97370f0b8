#!/usr/bin/env bash
# Certsmith set-up: everything the tests need, on a fresh Debian machine.
#   npm run setup
# Installs the Debian packages the tests use (when missing) and the npm
# dependencies (from package-lock.json). Safe to run again; later runs only
# check what is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Debian packages the tests and benchmarks use: bind9 (authoritative DNS with
# RFC 2136 updates), unbound (caching resolver), Pebble (ACME test CA),
# openssl (the reference for certificate facts), lego (the ACME client
# bench:issue compares against), tinyproxy (an HTTP CONNECT proxy for the
# kubeconfig proxy-url tests), time (GNU time: bench:lint's CPU time and peak RSS).
DEBIAN_PACKAGES=(bind9 bind9-utils bind9-dnsutils unbound pebble lego openssl gcc tinyproxy time)
# The end-to-end suite (test/e2e) drives a real VS Code (code-server) with
# Debian's Chromium; code-server's native modules need these to build, and
# ripgrep stands in for the rg its install step would download.
DEBIAN_PACKAGES+=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep python3 make g++)
# pre-commit installs and runs the hook of .pre-commit-hooks.yaml (test/cli/pre-commit.test.ts).
DEBIAN_PACKAGES+=(pre-commit)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node --version))" >&2
  exit 1
fi

echo "setup: installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund
# Test peers that exist only as Go modules, built once into a cache. A peer
# the module proxy does not serve is reported and its tests are skipped.
bash test/world/go-peers/build-acme-dns.sh || [ $? -eq 3 ]
bash test/world/go-peers/build-kubernetes.sh || [ $? -eq 3 ]
# cert-manager's own webhook validation as a Go program, for the differential test (test/oracle/):
# the oldest and the newest supported release (`npm run fuzz:oracle -- --all-versions` builds the others).
bash test/world/go-peers/build-cert-manager-oracle.sh oldest newest || [ $? -eq 3 ]
bash test/world/go-peers/build-cert-manager-controller.sh || [ $? -eq 3 ]
# kubeconform, the schema validator npm run bench:lint compares `certsmith lint` with.
bash test/world/go-peers/build-kubeconform.sh || [ $? -eq 3 ]
bash test/world/go-peers/fetch-corpus.sh || [ $? -eq 3 ] # real manifests of public projects, for test/semantics/real-world-corpus.test.ts
# code-server (VS Code 1.100 for the end-to-end suite and `npm start`), once into a cache.
bash test/world/editor/install-code-server.sh || [ $? -eq 3 ]
echo "setup: done"
