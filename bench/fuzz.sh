#!/usr/bin/env bash
# The fuzzing campaign: builds the libFuzzer targets of tests/fuzz with clang (ASan, UBSan and
# coverage instrumentation on all of agate) into build-fuzz/ and runs each target for a while,
# starting from its seed corpus, then prints one line per target: inputs run, executions per
# second, coverage, corpus size, and "clean" or the file of the input that failed.
#
#   bash bench/fuzz.sh [SECONDS] [TARGET...]   SECONDS per target (default 600); targets by name
#                                              (commit_parser, openpgp, policy, ...; default all)
#
# A failing input (crash, sanitizer report, broken property, an input running over 10 s, or over
# 2 GB of memory) is kept in build-fuzz/crashes/ and reproduced with
# `build-fuzz/fuzz_<target> <file>`. The working corpus (seeds plus what the fuzzer found) is
# build-fuzz/corpus/<target>/; the seeds in tests/fuzz/corpus are never modified. Exit 1 when any
# target failed. Installs clang from Debian when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds=600
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
case "${1:-}" in
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do
    name="$(basename "$f" .cpp)"
    targets+=("${name#fuzz_}")
  done
fi
for t in "${targets[@]}"; do
  [ -f "tests/fuzz/fuzz_$t.cpp" ] || { echo "fuzz.sh: no target '$t' (tests/fuzz/fuzz_$t.cpp)" >&2; exit 2; }
done

AGATE_EXTRA_PACKAGES="clang ${AGATE_EXTRA_PACKAGES:-}" bash scripts/setup.sh --deps-only
build=build-fuzz
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DAGATE_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

mkdir -p "$build/crashes"
printf 'machine: %s, %s cores; clang %s; %s s per target\n' \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)" \
  "$(clang --version | head -1 | grep -o '[0-9][0-9.]*' | head -1)" "$seconds"
printf '%-15s %12s %10s %8s %8s  %s\n' target runs exec/s cov corpus result
failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  cp -n "tests/fuzz/corpus/$t"/* "$corpus/" 2>/dev/null || true
  log="$build/fuzz_$t.log"
  status=0
  "$build/fuzz_$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" >"$log" 2>&1 ||
    status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  files=$(find "$corpus" -type f | wc -l)
  if [ $status -eq 0 ]; then
    result=clean
  else
    failed=1
    artifact=$(grep -o "$build/crashes/$t-[^ ]*" "$log" | tail -1 || true)
    result="FAILED (${artifact:-see $log})"
  fi
  printf '%-15s %12s %10s %8s %8s  %s\n' "$t" "$runs" "$speed" "$cov" "$files" "$result"
done
exit $failed
