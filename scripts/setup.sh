#!/usr/bin/env bash
# Installs what is missing (Debian packages, the pinned tree-sitter sources from npm) and builds
# agate. Idempotent and quick when nothing changed: packages are checked before apt-get runs,
# `npm ci` runs only when package-lock.json changed, and the build is incremental.
#
#   scripts/setup.sh [--sanitize]     build into build/ (or build-asan/ with ASan+UBSan)
#   scripts/setup.sh --deps-only      only install what is missing (scripts/package.sh); extra
#                                     Debian packages in AGATE_EXTRA_PACKAGES (space-separated)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sanitize=0
deps_only=0
[ "${1:-}" = "--sanitize" ] && sanitize=1
[ "${1:-}" = "--deps-only" ] && deps_only=1

# chromium: the review page's test drives it headless (tests/tools/review-page-check.mjs).
packages=(g++ cmake ninja-build pkg-config git gnupg openssh-client libgit2-dev libgpgme-dev
          libcurl4-openssl-dev libssl-dev libre2-dev nlohmann-json3-dev doctest-dev pre-commit
          chromium)
read -r -a extra <<<"${AGATE_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The pinned tree-sitter runtime and grammars (and test-only tools), from the npm registry.
stamp=third_party/node_modules/.agate-lock-stamp
if ! cmp -s third_party/package-lock.json "$stamp" 2>/dev/null; then
  echo "setup: npm ci in third_party/" >&2
  (cd third_party && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp third_party/package-lock.json "$stamp"
fi
[ $deps_only = 1 ] && exit 0

if [ $sanitize = 1 ]; then
  build=build-asan
  flags=(-DAGATE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DAGATE_WERROR=ON)
else
  build=build
  flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGATE_WERROR=ON)
fi
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
