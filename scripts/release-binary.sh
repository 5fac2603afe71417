#!/usr/bin/env bash
# Runs agate's released binary for this machine, downloading it on first use: the pre-commit hook
# `agate-release` and the GitHub Action (action.yml) use it so that nobody compiles agate to use
# it. The release tarball is checked against the SHA-256 committed in this repository
# (.github/release-sha256sums.txt, written by the release workflow) before it is unpacked: a
# mismatch stops everything. Unpacked releases are kept in a cache directory.
#
#   scripts/release-binary.sh [ARGS...]        run `agate ARGS...`
#   scripts/release-binary.sh --print-path     print the binary's path instead
#
# Environment:
#   AGATE_BINARY      an agate binary to run as it is (no download, no check)
#   AGATE_TARBALL     a local release tarball to use instead of downloading (offline use); its
#                     checksum comes from the SHA256SUMS beside it, else from the committed table
#   AGATE_VERSION     the release (default: the version in this checkout's CMakeLists.txt)
#   AGATE_PLATFORM    linux-x86_64 or linux-aarch64 (default: this machine's)
#   AGATE_REPOSITORY  OWNER/NAME of the GitHub repository with the releases (default: this
#                     checkout's origin)
#   AGATE_RELEASE_URL where the release's files are (default:
#                     https://github.com/$AGATE_REPOSITORY/releases/download/v$AGATE_VERSION);
#                     a mirror, or file:///path for a local copy
#   AGATE_CACHE_DIR   where releases are unpacked (default: ${XDG_CACHE_HOME:-~/.cache}/agate)
#
# Exit status besides agate's own: 3 no release for this version and platform (build from
# source instead), 4 the checksum does not match or is missing (nothing was run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  local status="$1"
  shift
  echo "agate-release: $*" >&2
  exit "$status"
}

print_path=0
if [ "${1:-}" = "--print-path" ]; then
  print_path=1
  shift
fi

# Runs (or prints) the binary $1 with the remaining arguments.
run_binary() {
  local binary="$1"
  shift
  if [ $print_path = 1 ]; then
    printf '%s\n' "$binary"
    exit 0
  fi
  exec "$binary" "$@"
}

if [ -n "${AGATE_BINARY:-}" ]; then
  [ -x "$AGATE_BINARY" ] || die 3 "AGATE_BINARY=$AGATE_BINARY is not an executable file"
  run_binary "$AGATE_BINARY" "$@"
fi

version="${AGATE_VERSION:-}"
version="${version#v}"
if [ -z "$version" ]; then
  version="$(sed -n 's/^project(agate VERSION \([0-9][0-9.]*\).*/\1/p' "$here/CMakeLists.txt" 2>/dev/null)"
fi
[ -n "$version" ] || die 3 "cannot tell which release to use: set AGATE_VERSION"

platform="${AGATE_PLATFORM:-}"
if [ -z "$platform" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64 | Linux-amd64) platform=linux-x86_64 ;;
    Linux-aarch64 | Linux-arm64) platform=linux-aarch64 ;;
    *) die 3 "no agate release for $(uname -s) $(uname -m): build it from source" ;;
  esac
fi
# The releases are built on Debian 12 and need its glibc (2.36) or newer.
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ -n "$glibc" ] && [ "$(printf '%s\n2.36\n' "$glibc" | sort -V | head -n1)" != "2.36" ]; then
  die 3 "the agate release needs glibc 2.36 or newer, this system has $glibc: build it from source"
fi

name="agate-$version-$platform"
table="$here/.github/release-sha256sums.txt"
# The expected checksum of $name.tar.gz in a sha256sum file, or nothing.
checksum_in() {
  [ -f "$1" ] || return 0
  awk -v f="$name.tar.gz" '$2 == f || $2 == "*" f {print $1; exit}' "$1"
}
if [ -n "${AGATE_TARBALL:-}" ]; then
  [ -f "$AGATE_TARBALL" ] || die 3 "AGATE_TARBALL=$AGATE_TARBALL does not exist"
  name="$(basename "$AGATE_TARBALL" .tar.gz)"
  expected="$(checksum_in "$(dirname "$AGATE_TARBALL")/SHA256SUMS")"
  [ -n "$expected" ] || expected="$(checksum_in "$table")"
  [ -n "$expected" ] || die 4 "no checksum for $name.tar.gz (in SHA256SUMS beside it or in $table)"
else
  expected="$(checksum_in "$table")"
  [ -n "$expected" ] || die 3 "no agate $version release for $platform is recorded in $table: build it from source"
fi

# Unpacked releases are kept by checksum: a cached tree is one that was checked.
cache="${AGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/agate}"
dest="$cache/$expected"
if [ -x "$dest/bin/agate" ]; then
  run_binary "$dest/bin/agate" "$@"
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/.unpack.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ -n "${AGATE_TARBALL:-}" ]; then
  cp "$AGATE_TARBALL" "$work/$name.tar.gz"
else
  base="${AGATE_RELEASE_URL:-}"
  if [ -z "$base" ]; then
    repository="${AGATE_REPOSITORY:-}"
    if [ -z "$repository" ]; then
      origin="$(git -C "$here" remote get-url origin 2>/dev/null || true)"
      repository="$(printf '%s' "$origin" | sed -n 's#.*github\.com[:/]\([^/]*/[^/]*\)$#\1#p')"
      repository="${repository%.git}"
    fi
    [ -n "$repository" ] || die 3 "cannot tell which GitHub repository has the releases: set AGATE_REPOSITORY"
    base="https://github.com/$repository/releases/download/v$version"
  fi
  url="${base%/}/$name.tar.gz"
  echo "agate-release: downloading $url" >&2
  if [[ "$url" == file://* ]]; then
    cp "${url#file://}" "$work/$name.tar.gz" 2>/dev/null || die 3 "cannot download $url"
  elif command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$work/$name.tar.gz" "$url" || die 3 "cannot download $url"
  else
    wget -q -O "$work/$name.tar.gz" "$url" || die 3 "cannot download $url"
  fi
fi

actual="$(sha256sum "$work/$name.tar.gz" | awk '{print $1}')"
if [ "$actual" != "$expected" ]; then
  die 4 "checksum mismatch for $name.tar.gz: expected $expected, got $actual; not using it"
fi
mkdir -p "$work/tree"
tar -xzf "$work/$name.tar.gz" -C "$work/tree" --strip-components=1
[ -x "$work/tree/bin/agate" ] || die 4 "$name.tar.gz holds no bin/agate"
rm -rf "$dest"
mv "$work/tree" "$dest" # atomic within the cache directory
rm -rf "$work"
run_binary "$dest/bin/agate" "$@"
