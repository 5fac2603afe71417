#!/usr/bin/env python3
"""Runs the benchmark commands on the corpus and prints the figures as a table.

For each case (the staged change; the 200-commit range) it runs agate and the git commands that
read the same input side by side, interleaved, RUNS times each after one warm-up run, and prints
the median, minimum and maximum wall time and the peak resident set size. The wall time is taken
with time.perf_counter around spawning the process (subprocess, vfork) and reaping it. The peak
RSS comes from GNU time (`/usr/bin/time -f %M`) wrapped around the warm-up run: the rusage that
os.wait4 gives here is useless, since Linux folds the RSS of the vforking python parent into
the child's ru_maxrss at exec. Outputs go to /dev/null. `true` is timed too: the floor that
spawning any process costs here.

The staged case also runs `agate check --staged` with the deletion analyzer's rules switched off
(the same corpus copied, with a `.agate/config.json` in its work tree that disables the four
deletion/* rules: the policy of a staged change comes from the work tree), and prints the
analyzer's overhead: the ratio of the two medians. A second copy switches the three
duplication/* rules off instead, for the duplication analyzers' overhead in milliseconds (issue
target: under 50 ms with a warm cache). The copies keep the caches of `.git/agate/cache` (word
index, clone index, compiled queries) warm like the original.

A cold run follows: the corpus files (work tree and .git) and the executables are dropped from
the page cache with posix_fadvise(POSIX_FADV_DONTNEED) before each command, which needs no
privilege; shared libraries mapped by running processes stay cached.

  measure.py --agate BIN --corpus DIR [--runs N] [--no-cold]

Only the python3 standard library is used.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MS = 100.0
DUPLICATION_TARGET_MS = 50.0
GNU_TIME = "/usr/bin/time"
BASE, HEAD = "bench-base", "bench-head"
DUPLICATION_RULES = ["duplication/clone", "duplication/library-logic",
                     "duplication/bypassed-wrapper"]
DELETION_RULES = ["deletion/unrelated", "deletion/removed-test", "deletion/removed-guard",
                  "deletion/dangling-reference"]
LANG_BY_EXT = {".py": "python", ".js": "javascript", ".ts": "typescript", ".c": "c", ".h": "c"}


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return os.cpu_count(), len(os.sched_getaffinity(0)), cpu, mem_kib / 1024 / 1024


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_once(argv, cwd, errfile):
    """Runs argv, output to /dev/null; returns (wall seconds, exit code)."""
    errfile.seek(0)
    errfile.truncate()
    start = time.perf_counter()
    code = subprocess.call(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=errfile)
    return time.perf_counter() - start, code


def peak_rss_kib(argv, cwd, errfile):
    """Runs argv under GNU time; returns (peak RSS KiB, exit code)."""
    with tempfile.NamedTemporaryFile("r") as out:
        _, code = run_once([GNU_TIME, "-f", "%M", "-o", out.name] + argv, cwd, errfile)
        lines = out.read().split()
    return (int(lines[-1]) if lines and lines[-1].isdigit() else 0), code


class Command:
    def __init__(self, case, label, argv, ok_codes=(0,)):
        self.case = case
        self.label = label
        self.argv = argv
        self.ok_codes = ok_codes
        self.walls = []
        self.rss_kib = 0
        self.cold = None

    def check(self, code, errfile):
        if code not in self.ok_codes:
            errfile.seek(0)
            err = errfile.read().decode(errors="replace").strip()
            sys.exit(f"measure: `{' '.join(self.argv)}` exited {code}: {err[:400]}")

    def run(self, cwd, errfile):
        wall, code = run_once(self.argv, cwd, errfile)
        self.check(code, errfile)
        return wall

    def measure_rss(self, cwd, errfile):
        rss, code = peak_rss_kib(self.argv, cwd, errfile)
        self.check(code, errfile)
        self.rss_kib = max(self.rss_kib, rss)


def evict(paths):
    """Drops the files under paths from the page cache; returns the number of files."""
    count = 0
    for top in paths:
        walk = [(os.path.dirname(top), [], [os.path.basename(top)])] if os.path.isfile(top) \
            else os.walk(top)
        for dirpath, _, filenames in walk:
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                finally:
                    os.close(fd)
    return count


def git_out(corpus, *args):
    return subprocess.run(["git", "-C", corpus] + list(args), check=True, capture_output=True,
                          text=True).stdout.strip()


def source_revision(root):
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")  # read only: never rewrites the index
    rev = subprocess.run(["git", "-C", root, "log", "-1", "--format=%h %cs %s"],
                         capture_output=True, text=True, env=env).stdout.strip()
    dirty = subprocess.run(["git", "-C", root, "diff-index", "--quiet", "HEAD", "--"],
                           capture_output=True, env=env).returncode != 0
    return f"{rev or '?'}{' + uncommitted changes' if dirty else ''}"


def corpus_summary(corpus):
    files = {}
    lines = {}
    for path in git_out(corpus, "ls-files", "-z").split("\0"):
        lang = LANG_BY_EXT.get(os.path.splitext(path)[1])
        if not lang:
            continue
        with open(os.path.join(corpus, path), "rb") as f:
            n = f.read().count(b"\n")
        files[lang] = files.get(lang, 0) + 1
        lines[lang] = lines.get(lang, 0) + n
    parts = [f"{lang} {files[lang]} files/{lines[lang]} lines" for lang in sorted(files)]
    return sum(files.values()), sum(lines.values()), ", ".join(parts)


def findings_summary(agate, corpus, selection):
    out = subprocess.run([agate, "-C", corpus, "check", "--format", "json"] + selection,
                         capture_output=True, text=True)
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        return f"exit {out.returncode}, no JSON report"
    counts = {}
    for finding in doc.get("findings", []):
        key = f"{finding.get('rule')}:{finding.get('severity')}"
        counts[key] = counts.get(key, 0) + 1
    body = ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())) or "none"
    return f"exit {out.returncode}, {sum(counts.values())} findings ({body})"


def fmt_ms(seconds):
    return f"{seconds * 1000:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agate", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-cold", action="store_true")
    ap.add_argument("--source", help="agate's source tree, to print the commit measured")
    args = ap.parse_args()
    agate = os.path.abspath(args.agate)
    corpus = os.path.abspath(args.corpus)
    git = shutil.which("git")

    cores, usable, cpu, mem_gib = machine()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"agate benchmark, {now}")
    print(f"machine: nproc {usable} ({cores} cpus), {cpu}, {mem_gib:.1f} GiB RAM, "
          f"{platform.system()} {platform.release()}")
    print(f"load average at start: {load()}")
    version = subprocess.run([agate, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"agate: {version or '?'} ({agate}); {git_out(corpus, 'version')}")
    if args.source:
        print(f"agate source: {source_revision(args.source)}")
    nfiles, nlines, per_lang = corpus_summary(corpus)
    print(f"corpus: {corpus}, HEAD {git_out(corpus, 'rev-parse', '--short', 'HEAD')}: "
          f"{nfiles} source files, {nlines} lines ({per_lang})")
    commits = git_out(corpus, "rev-list", "--count", f"{BASE}..{HEAD}")
    staged = git_out(corpus, "diff", "--cached", "--shortstat")
    ranged = git_out(corpus, "diff", "--shortstat", BASE, HEAD)
    print(f"staged change: {staged}")
    print(f"range {BASE}..{HEAD}: {commits} commits; together: {ranged}")
    print(f"agate findings, staged: {findings_summary(agate, corpus, ['--staged'])}")
    print(f"agate findings, range:  "
          f"{findings_summary(agate, corpus, ['--range', f'{BASE}..{HEAD}'])}")
    print()

    # Copies of the corpus with the deletion rules, or the duplication rules, off: the analyzers'
    # overheads. The copies keep the warm caches of .git/agate/cache.
    work = tempfile.mkdtemp(prefix="agate-bench-")

    def corpus_without(name, rules_off):
        copy = os.path.join(work, name)
        shutil.copytree(corpus, copy, symlinks=True)
        os.makedirs(os.path.join(copy, ".agate"), exist_ok=True)
        with open(os.path.join(copy, ".agate", "config.json"), "w") as f:
            json.dump({"rules": {r: {"enabled": False} for r in rules_off}}, f)
        return copy

    off = corpus_without("no-deletion", DELETION_RULES)
    dup_off = corpus_without("no-duplication", DUPLICATION_RULES)

    rng = f"{BASE}..{HEAD}"
    cases = {
        "floor": [Command("floor", "true (spawning a process)", [shutil.which("true")])],
        "staged": [
            Command("staged", "agate check --staged", [agate, "check", "--staged"], (0, 1)),
            Command("staged", "agate check --staged (deletion rules off)",
                    [agate, "-C", off, "check", "--staged"], (0, 1)),
            Command("staged", "agate check --staged (duplication rules off)",
                    [agate, "-C", dup_off, "check", "--staged"], (0, 1)),
            Command("staged", "git diff --cached --stat", [git, "diff", "--cached", "--stat"]),
        ],
        "range": [
            Command("range", f"agate check --range {rng}", [agate, "check", "--range", rng],
                    (0, 1)),
            Command("range", f"git diff --stat {rng}", [git, "diff", "--stat", rng]),
            Command("range", f"git log -p {rng} >/dev/null", [git, "log", "-p", rng]),
        ],
    }
    with tempfile.TemporaryFile() as errfile:
        for commands in cases.values():
            for cmd in commands:
                cmd.measure_rss(corpus, errfile)  # warm-up: file cache; and the peak RSS
            for _ in range(args.runs):
                for cmd in commands:
                    cmd.walls.append(cmd.run(corpus, errfile))
        if not args.no_cold:
            for name, commands in cases.items():
                for cmd in commands:
                    if name == "floor":
                        continue
                    evict([corpus, off, dup_off, agate, git, "/usr/lib/git-core/git"])
                    cmd.cold = cmd.run(corpus, errfile)
            for commands in cases.values():  # leave the cache warm for whoever runs next
                for cmd in commands:
                    cmd.run(corpus, errfile)

    width = max(len(c.label) for cs in cases.values() for c in cs)
    head = (f"{'case':<7} {'command':<{width}} {'runs':>4} {'median ms':>10} {'min ms':>8} "
            f"{'max ms':>8} {'peak RSS MiB':>12}")
    if not args.no_cold:
        head += f" {'cold ms':>8}"
    print(f"warm file cache: {args.runs} runs each after 1 warm-up, commands of a case "
          f"interleaved; peak RSS by /usr/bin/time -f %M on the warm-up run")
    if not args.no_cold:
        print("cold ms: 1 run after dropping the corpus (work tree + .git) and the executables "
              "from the page cache (posix_fadvise DONTNEED)")
    print(head)
    print("-" * len(head))
    for commands in cases.values():
        for cmd in commands:
            row = (f"{cmd.case:<7} {cmd.label:<{width}} {len(cmd.walls):>4} "
                   f"{fmt_ms(statistics.median(cmd.walls)):>10} {fmt_ms(min(cmd.walls)):>8} "
                   f"{fmt_ms(max(cmd.walls)):>8} {cmd.rss_kib / 1024:>12.1f}")
            if cmd.cold is not None:
                row += f" {fmt_ms(cmd.cold):>8}"
            print(row)
    print()
    on, off_cmd = cases["staged"][0], cases["staged"][1]
    on_ms = statistics.median(on.walls) * 1000
    off_ms = statistics.median(off_cmd.walls) * 1000
    print(f"deletion analyzer overhead on the hook path: {on_ms:.1f} ms against {off_ms:.1f} ms "
          f"with its rules off: {100.0 * (on_ms - off_ms) / off_ms:+.1f}% (target: at most +20%)")
    dup_ms = statistics.median(cases["staged"][2].walls) * 1000
    dup_verdict = "MET" if on_ms - dup_ms < DUPLICATION_TARGET_MS else "NOT MET"
    print(f"duplication analyzers overhead on the hook path: {on_ms:.1f} ms against {dup_ms:.1f} "
          f"ms with their rules off: {on_ms - dup_ms:+.1f} ms (target: under "
          f"{DUPLICATION_TARGET_MS:.0f} ms): {dup_verdict}")
    shutil.rmtree(work, ignore_errors=True)
    hook = cases["staged"][0]
    median_ms = statistics.median(hook.walls) * 1000
    verdict = "MET" if median_ms < TARGET_MS else "NOT MET"
    print(f"target: hook path (agate check --staged) median < {TARGET_MS:.0f} ms on this "
          f"machine: {verdict} ({median_ms:.1f} ms)")
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
