#!/usr/bin/env bash
# The README's first command: set up, build, make the bundled demo repository (a small project
# plus an AI-style change) and run `agate check` on it, printing the report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
demo="${AGATE_DEMO_DIR:-$root/build/demo-repo}"
"$root/demo/make-demo.sh" "$demo" >/dev/null
echo "== agate check --staged in $demo (the AI-style change is staged) =="
set +e
"$root/build/agate" -C "$demo" check --staged --color "${AGATE_COLOR:-auto}"
rc=$?
set -e
echo "== agate exited with $rc (0 pass, 1 the gate fails, 2 agate failed) =="
[ $rc -le 1 ]
