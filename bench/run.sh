#!/usr/bin/env bash
# The benchmark command: prints wall time and peak memory of `agate check --staged` (10 files,
# about 300 changed lines) and `agate check --range` (200 commits) on a corpus of real code,
# next to git commands that read the same input. See bench/README.md.
#
#   bash bench/run.sh [--quick]     7 runs of each command (3 with --quick), plus one cold run
#
# Installs what it needs when missing (Debian's gnulib and python3.11 for the corpus), builds
# agate in Release into build-bench/ (incremental), and builds the corpus repository into
# build-bench/corpus once: it is rebuilt only when bench/make_corpus.py or a source package
# version changes (hash stamp in build-bench/corpus.stamp).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

runs=7
for arg in "$@"; do
  case "$arg" in
    --quick) runs=3 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$arg' (use --quick)" >&2; exit 2 ;;
  esac
done

build=build-bench
python=/usr/bin/python3  # Debian's: its stdlib is the Python part of the corpus

# Debian packages: the build, git, and the corpus sources (python3.11 stdlib, gnulib).
packages=(g++ cmake ninja-build pkg-config git libgit2-dev libgpgme-dev libcurl4-openssl-dev
          nlohmann-json3-dev doctest-dev python3 libpython3.11-stdlib gnulib time)
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The pinned tree-sitter sources the build compiles (same step as scripts/setup.sh).
if [ ! -f third_party/node_modules/tree-sitter/vendor/tree-sitter/lib/src/lib.c ]; then
  echo "run.sh: npm ci in third_party/" >&2
  (cd third_party && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# agate in Release. Warnings are not errors here: gcc 12 at -O3 reports false positives
# (-Wrestrict inside libstdc++) that the default RelWithDebInfo build does not see.
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" agate >"$build/bench-build.log" 2>&1 || {
  tail -40 "$build/bench-build.log" >&2; echo "run.sh: build failed ($build/bench-build.log)" >&2
  exit 1
}

# The corpus, rebuilt only when its recipe or its sources changed.
want="$("$python" bench/make_corpus.py --stamp-only "$build/corpus")"
if [ ! -d "$build/corpus/.git" ] || [ "$(cat "$build/corpus.stamp" 2>/dev/null)" != "$want" ]; then
  echo "run.sh: building the corpus into $build/corpus (a few minutes, once)" >&2
  rm -f "$build/corpus.stamp"
  "$python" bench/make_corpus.py "$build/corpus"
  echo "$want" >"$build/corpus.stamp"
fi

"$python" bench/measure.py --agate "$build/agate" --corpus "$build/corpus" --runs "$runs" \
  --source "$root"
