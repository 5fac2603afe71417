#!/usr/bin/env bash
# Benchmark of `agate verify` on a range of 500 OpenPGP-signed commits, next to
# `git log --show-signature` on the same range (git verifying with the same key in a keyring):
# median wall time of several runs and peak memory (GNU time %M).
#
#   bash bench/verify.sh [--runs N] [--commits N]
#
# The repository (and its GnuPG home) is made once into build-bench/verify-<N>/ and reused.
# agate is built in Release into build-bench/ (incremental); set AGATE=/path/to/agate to
# measure another binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs=5
commits=500
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --commits) commits="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in gpg git /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "verify.sh: $tool is missing (apt-get install gnupg git time)" >&2; exit 2; }
done

if [ -z "${AGATE:-}" ]; then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  ninja -C build-bench agate >/dev/null
  AGATE="$root/build-bench/agate"
fi

work="$root/build-bench/verify-$commits"
repo="$work/repo"
export GNUPGHOME="$work/gnupg"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Tester" GIT_AUTHOR_EMAIL=ada@example.com
export GIT_COMMITTER_NAME="Ada Tester" GIT_COMMITTER_EMAIL=ada@example.com
if [ ! -f "$work/done" ]; then
  echo "verify.sh: making $commits signed commits in $repo (once)" >&2
  rm -rf "$work"
  mkdir -p "$GNUPGHOME" "$repo"
  chmod 700 "$GNUPGHOME"
  gpg --batch --quiet --passphrase '' --pinentry-mode loopback \
    --quick-gen-key "Ada Tester <ada@example.com>" ed25519 sign never 2>/dev/null
  git -C "$repo" init -q -b main
  mkdir -p "$repo/.agate/keys"
  echo '{"signatures": {"require": "all"}}' > "$repo/.agate/config.json"
  gpg --armor --export ada@example.com > "$repo/.agate/keys/ada.asc"
  git -C "$repo" add -A
  git -C "$repo" commit -q -m base
  git -C "$repo" tag base
  for i in $(seq 1 "$commits"); do
    echo "line $i" >> "$repo/file.txt"
    git -C "$repo" add file.txt
    git -C "$repo" -c user.signingkey=ada@example.com commit -q -S -m "Change $i"
  done
  touch "$work/done"
fi

# Median wall time (seconds) and peak RSS (KiB) of a command over $runs runs.
measure() {
  local times=() peak=0 start end mem
  for _ in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
    mem=$(tail -1 "$work/mem")
    [ "$mem" -gt "$peak" ] && peak=$mem
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-44s median %6.3f s   peak %7.1f MiB\n' "$label" "$median" "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')"
}

cd "$repo"
echo "range base..HEAD: $commits signed commits, $runs runs each"
label="agate verify base..HEAD" measure "$AGATE" verify base..HEAD
label="agate check --range base..HEAD" measure "$AGATE" check --range base..HEAD --format json
label="git log --show-signature base..HEAD" measure git log --show-signature base..HEAD
"$AGATE" verify base..HEAD | tail -1
