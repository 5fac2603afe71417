#!/usr/bin/env bash
# The README's second command: set up, build and run the whole test suite through ctest.
#   scripts/test.sh [--sanitize]   (--sanitize: a separate build with ASan and UBSan)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$@"
build=build
[ "${1:-}" = "--sanitize" ] && build=build-asan
cd "$root/$build"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
ctest --output-on-failure -j"$(nproc)" --timeout 300
