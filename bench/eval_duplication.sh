#!/usr/bin/env bash
# The duplication evaluation and benchmark, side by side with jscpd 5.
#
#   bash bench/eval_duplication.sh            # everything
#   bash bench/eval_duplication.sh --no-index # skip the 2,000-file index benchmark
#
# 1. Builds agate (Release) in build-bench/ and installs jscpd from bench/jscpd (npm ci, pinned).
# 2. agate: runs the evaluation test (tests/eval/duplication) with AGATE_EVAL_OUT, which keeps the
#    repository of cases (real code, one commit per case on top of the tag `base`) and writes
#    cases.tsv with agate's outcome per case.
# 3. jscpd: on each case's commit, in its strongest diff mode
#    (--ignore-identifiers --ignore-literals --baseline-from-ref base), scores the same way: a
#    clone case is found when a new clone (isNew) covers the copy's lines, an honest case is
#    flagged when jscpd reports any new clone.
# 4. Index: a repository of 2,000 real Python files (Debian's python3.11 standard library and
#    /usr/lib/python3/dist-packages) with one staged change; the index built from scratch, loaded
#    warm, and the analyzer on the staged change with a warm cache (medians), peak RSS of that
#    process by GNU time; then the wall time of `agate check --staged` with and without the three
#    duplication rules (median of 9, interleaved), against the 50 ms target.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="${AGATE_BENCH_BUILD:-$root/build-bench}" # an existing build dir: skips the build
out="$build/eval-duplication"
index_bench=1
[ "${1:-}" = "--no-index" ] && index_bench=0

if [ -z "${AGATE_BENCH_BUILD:-}" ]; then
  cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" -j2 agate agate_tests >/dev/null
fi
npm ci --prefix "$root/bench/jscpd" --ignore-scripts --no-audit --no-fund >/dev/null 2>&1
jscpd="$root/bench/jscpd/node_modules/.bin/jscpd"
[ -x /usr/bin/time ] || { echo "GNU time missing: apt-get install time" >&2; exit 2; }

echo "== agate (clone analyzer, in-process, one commit per case)"
AGATE_EVAL_OUT="$out" "$build/agate_tests" -tc="duplication eval*" --no-intro --no-version >/dev/null || true
python3 - "$out/cases.tsv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
clones = [r for r in rows if r["clone"] == "1"]
honest = [r for r in rows if r["clone"] == "0"]
found = sum(r["agate_found"] == "1" for r in clones)
err = sum(r["agate_error"] == "1" for r in honest)
anyf = sum(r["agate_any"] == "1" for r in honest)
ms = [float(r["agate_ms"]) for r in rows]
print(f"agate  recall {found}/{len(clones)} = {100*found/len(clones):.1f}%  "
      f"false alarms (error) {err}/{len(honest)} = {100*err/len(honest):.1f}%  "
      f"honest flagged (any level) {anyf}/{len(honest)} = {100*anyf/len(honest):.1f}%  "
      f"time per case median {statistics.median(ms):.0f} ms, total {sum(ms)/1000:.1f} s")
EOF

echo "== jscpd $("$jscpd" --version 2>/dev/null | tr -d '\n') --ignore-identifiers --ignore-literals --baseline-from-ref base"
python3 - "$out" "$jscpd" <<'EOF'
import csv, json, os, statistics, subprocess, sys, tempfile, time
out, jscpd = sys.argv[1], sys.argv[2]
repo = os.path.join(out, "repo")
rows = list(csv.DictReader(open(os.path.join(out, "cases.tsv")), delimiter="\t"))
found = flagged = clones = honest = 0
times = []
for r in rows:
    subprocess.run(["git", "-C", repo, "checkout", "-q", "--detach", r["commit"]], check=True)
    with tempfile.TemporaryDirectory() as report:
        start = time.perf_counter()
        subprocess.run([jscpd, "--ignore-identifiers", "--ignore-literals",
                        "--baseline-from-ref", "base", "-r", "json", "-o", report, "."],
                       cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        path = os.path.join(report, "jscpd-report.json")
        dups = json.load(open(path))["duplicates"] if os.path.exists(path) else []
    new = [d for d in dups if d.get("isNew")]
    if r["clone"] == "1":
        clones += 1
        start, end = int(r["start"]), int(r["end"])
        hit = any(side["name"].lstrip("./") == r["file"] and side["start"] <= end and start <= side["end"]
                  for d in new for side in (d["firstFile"], d["secondFile"]))
        found += hit
    else:
        honest += 1
        flagged += bool(new)
subprocess.run(["git", "-C", repo, "checkout", "-q", "--detach", "base"], check=True)
print(f"jscpd  recall {found}/{clones} = {100*found/clones:.1f}%  "
      f"honest flagged (any new clone) {flagged}/{honest} = {100*flagged/honest:.1f}%  "
      f"time per case median {1000*statistics.median(times):.0f} ms, total {sum(times):.1f} s")
EOF

[ "$index_bench" = 1 ] || exit 0

echo "== index of a 2,000-file repository"
corpus="$build/index-corpus"
if [ ! -d "$corpus/.git" ]; then
  rm -rf "$corpus.tmp" && mkdir -p "$corpus.tmp"
  (cd / && find usr/lib/python3.11 usr/lib/python3/dist-packages -name '*.py' -size -200k | LC_ALL=C sort | head -2000) |
    while read -r f; do mkdir -p "$corpus.tmp/$(dirname "$f")"; cp "/$f" "$corpus.tmp/$f"; done
  git -C "$corpus.tmp" init -q
  git -C "$corpus.tmp" add -A
  git -C "$corpus.tmp" -c user.name=bench -c user.email=bench@example.com commit -qm base
  git -C "$corpus.tmp" repack -adq # packed, as a clone is (loose objects make every read slow)
  git -C "$corpus.tmp" prune-packed
  mv "$corpus.tmp" "$corpus"
fi
git -C "$corpus" reset -q --hard
# A typical staged change: one new module with two functions, one copied from another file.
python3 - "$corpus" <<'EOF'
import os, sys
root = sys.argv[1]
src = open(os.path.join(root, "usr/lib/python3.11/textwrap.py")).read()
i = src.find("def dedent"); j = src.find("\ndef ", i + 5)
body = src[i:j].replace("margin", "edge")
with open(os.path.join(root, "usr/lib/python3.11/newmod.py"), "w") as f:
    f.write("import re\n\n_whitespace_only_re = re.compile('^[ \\t]+$', re.MULTILINE)\n"
            "_leading_whitespace_re = re.compile('(^[ \\t]*)(?:[^ \\t\\n])', re.MULTILINE)\n\n\n"
            + body + "\n\ndef shout(words):\n    return ' '.join(w.upper() for w in words)\n")
EOF
git -C "$corpus" add -A
echo "files in the tree: $(git -C "$corpus" ls-files | wc -l)"
AGATE_INDEX_BENCH_REPO="$corpus" /usr/bin/time -f "peak RSS of the benchmark process: %M KiB" \
  "$build/agate_tests" -tc="duplication bench*" --no-skip --no-intro --no-version 2>&1 |
  grep -E "^(index|clone analyzer|cache file|peak RSS)"

# (agate exits 1 on the finding: its output is taken first, so that pipefail does not hide it)
staged_json=$(cd "$corpus" && "$build/agate" check --staged --format json 2>/dev/null || true)
if grep -q '"duplication/' <<<"$staged_json"; then
  python3 - "$build/agate" "$corpus" <<'EOF'
import os, statistics, subprocess, sys, time
agate, repo = sys.argv[1], sys.argv[2]
cfg = os.path.join(repo, ".agate", "config.json")
def timed(disabled):
    # The policy of a staged change is read from the work tree.
    os.makedirs(os.path.dirname(cfg), exist_ok=True)
    with open(cfg, "w") as f:
        f.write('{"rules": {"duplication/clone": {"enabled": false}, '
                '"duplication/bypassed-wrapper": {"enabled": false}, '
                '"duplication/library-logic": {"enabled": false}}}' if disabled else "{}")
    start = time.perf_counter()
    subprocess.run([agate, "check", "--staged"], cwd=repo, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
timed(False), timed(True)  # warm-up: caches and page cache
on, off = [], []
for _ in range(9):  # interleaved, so that a change in the machine's load affects both alike
    on.append(timed(False))
    off.append(timed(True))
os.remove(cfg)
on_ms, off_ms = 1000 * statistics.median(on), 1000 * statistics.median(off)
verdict = "MET" if on_ms - off_ms < 50 else "NOT MET"
print(f"agate check --staged: {on_ms:.0f} ms with the duplication rules, {off_ms:.0f} ms "
      f"without: {on_ms - off_ms:.0f} ms added (warm cache, median of 9, interleaved; "
      f"target under 50 ms: {verdict})")
EOF
else
  echo "agate check --staged: no duplication finding on the staged copy (expected one): the analyzer did not run" >&2; exit 1
fi
