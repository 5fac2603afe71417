#!/usr/bin/env python3
"""Evaluate agate on the real history of public projects.

For every commit listed in tests/eval/history/projects.tsv this runs the real binary
(`agate check --commit SHA -C <copy> --format json`) on a local bare copy of the project, and
`agate check --range BASE..HEAD` over each run of consecutive non-merge commits, as CI and the
pre-push hook do. It matches every warning and error against tests/eval/history/labels.tsv
(each finding labelled `true` or `false` by a person who read the commit) and prints, per half
(`tune`, the commits the analyzers may be tuned on, and `held-out`, the ones they may not):
commits checked, the share blocked (an error) and warned (a warning), precision per rule and at
error level, the median seconds per commit, and the findings nobody has labelled yet.

The copies are not part of the repository: a project whose copy is absent is skipped with one
line, and the run still exits 0 (CI has no copies). `--check` turns the run into a regression
test against the labels and the figures recorded in tests/eval/history/baseline.tsv.

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HISTORY = os.path.join(ROOT, "tests", "eval", "history")
LEVELS = ("error", "warning")
EVIDENCE_UNIT_KEYS = ("unit", "function", "name", "symbol", "test", "type", "method")
RANGE_RUN = 6  # commits per --range run


def default_mirrors():
    """Where the copies live: $AGATE_HISTORY_MIRRORS, else `.mirror` beside the source tree."""
    return os.environ.get("AGATE_HISTORY_MIRRORS") or os.path.join(os.path.dirname(ROOT), ".mirror")


def read_tsv(path):
    """Rows of a tab-separated file, without blank lines and `#` comments."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                rows.append(line.split("\t"))
    return rows


def load_projects(path):
    """{repo: {"language", "commits": [(sha, half, kind)]}} in file order (oldest first)."""
    projects = {}
    for repo, language, sha, half, kind in read_tsv(path):
        entry = projects.setdefault(repo, {"language": language, "commits": []})
        entry["commits"].append((sha, half, kind))
    return projects


def mirror_of(mirrors, repo):
    """The bare copy of owner/name: <mirrors>/owner+name/repo or <mirrors>/owner+name."""
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for candidate in (os.path.join(base, "repo"), base):
        if os.path.isfile(os.path.join(candidate, "HEAD")):
            return candidate
    return None


def git(mirror, *args):
    return subprocess.run(["git", "-C", mirror, *args], capture_output=True, text=True,
                          check=True).stdout


def finding_where(f):
    """The stable place of a finding inside its file: the unit it names, else its line."""
    ev = f.get("evidence") or {}
    for key in EVIDENCE_UNIT_KEYS:
        value = ev.get(key)
        if isinstance(value, str) and value:
            return value
    if not f.get("file"):
        return "-"
    side = "old:" if f.get("side") == "old" else ""
    return f"{side}L{f.get('line', 0)}"


def finding_key(repo, sha, f):
    """(project, sha, rule, file, unit/line): how labels.tsv names a finding."""
    return (repo, sha if ".." in sha else sha[:12], f["rule"], f.get("file") or "-",
            finding_where(f))


def run_agate(agate, mirror, selection):
    """Run one check; returns (seconds, parsed JSON report)."""
    start = time.perf_counter()
    proc = subprocess.run([agate, "check", *selection, "-C", mirror, "--format", "json",
                           "--fail-on", "never"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"agate {' '.join(selection)} in {mirror}: exit {proc.returncode}: "
                           f"{proc.stderr.strip()}")
    return seconds, json.loads(proc.stdout)


def range_runs(mirror, commits):
    """Runs of consecutive non-merge commits (each the first parent of the next) for --range."""
    runs, current = [], []
    parents = {}
    for sha, _, kind in commits:
        parents[sha] = git(mirror, "rev-list", "--parents", "-n", "1", sha).split()[1:]
    for sha, _, kind in commits:
        if kind != "commit" or len(parents[sha]) != 1:
            if current:
                runs.append(current)
            current = []
            continue
        if current and parents[sha][0] != current[-1]:
            runs.append(current)
            current = []
        current.append(sha)
        if len(current) == RANGE_RUN:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [(parents[run[0]][0], run) for run in runs]


class Results:
    """What the runs found: per commit its findings (by key) and its seconds."""

    def __init__(self):
        self.commit_findings = {}  # (repo, sha) -> [(key, severity, message)]
        self.commit_seconds = {}  # (repo, sha) -> seconds
        self.range_findings = {}  # (repo, base..head) -> [(key, severity, message)]
        self.range_seconds = []  # (repo, seconds per commit, half of each commit)
        self.range_of = {}  # (repo, sha) -> range label
        self.errors = []


def collect(report, repo, fallback_sha):
    """Warning and error findings of a report, keyed by the commit they belong to."""
    by_sha = defaultdict(list)
    ids = {c["id"][:7]: c["id"] for c in report["source"].get("commits", [])}
    for f in report["findings"]:
        if f["severity"] not in LEVELS:
            continue
        change = f.get("change", "")
        sha = ids.get(change[:7], fallback_sha) if change else fallback_sha
        by_sha[sha].append((finding_key(repo, sha, f), f["severity"], f["message"]))
    return by_sha


def evaluate(args, projects):
    results = Results()
    jobs = []
    present = {}
    for repo, entry in projects.items():
        mirror = mirror_of(args.mirrors, repo)
        if mirror is None:
            print(f"skipped {repo}: no copy under {args.mirrors} (fetch it to evaluate it)")
            continue
        present[repo] = mirror
        commits = [c for c in entry["commits"] if args.half in ("both", c[1])]
        if args.mode in ("commit", "both"):
            for sha, _, _ in commits:
                jobs.append(("commit", repo, mirror, sha, None))
        if args.mode in ("range", "both"):
            for base, run in range_runs(mirror, commits):
                jobs.append(("range", repo, mirror, base, run))

    def work(job):
        mode, repo, mirror, sha, run = job
        if mode == "commit":
            return job, run_agate(args.agate, mirror, ["--commit", sha])
        return job, run_agate(args.agate, mirror, ["--range", f"{sha}..{run[-1]}"])

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for future in concurrent.futures.as_completed([pool.submit(work, j) for j in jobs]):
            try:
                (mode, repo, mirror, sha, run), (seconds, report) = future.result()
            except RuntimeError as e:
                results.errors.append(str(e))
                continue
            if mode == "commit":
                results.commit_seconds[(repo, sha)] = seconds
                results.commit_findings[(repo, sha)] = collect(report, repo, sha).get(sha, [])
            else:
                label = f"{sha[:12]}..{run[-1][:12]}"
                found = collect(report, repo, label)
                for c in run:
                    results.range_of[(repo, c)] = label
                # Findings about the range as a whole are keyed by the range.
                results.range_findings[(repo, label)] = [x for s, xs in found.items() for x in xs]
                results.range_seconds.append((repo, seconds / len(run), run))
    return results, present


def load_labels(path):
    labels = {}
    if os.path.exists(path):
        for row in read_tsv(path):
            repo, sha, rule, file, where, label = row[:6]
            labels[(repo, sha, rule, file, where)] = (label, row[6] if len(row) > 6 else "")
    return labels


def ratio(a, b):
    return f"{a / b:.3f}" if b else "-"


def half_figures(half, projects, present, results, labels):
    """The figures of one half, as a dict, and the unlabelled findings."""
    commits = [(repo, sha) for repo, e in projects.items() if repo in present
               for sha, h, _ in e["commits"] if h == half and (repo, sha) in results.commit_findings]
    blocked = warned = 0
    per_rule = defaultdict(Counter)
    error_level = Counter()
    unlabelled = {}
    all_keys = set()

    def tally(key, severity, message):
        all_keys.add(key)
        label = labels.get(key, (None,))[0]
        if label is None:
            unlabelled[key] = (severity, message)
            return
        per_rule[key[2]][label] += 1
        if severity == "error":
            error_level[label] += 1

    for repo, sha in commits:
        findings = results.commit_findings[(repo, sha)]
        severities = {s for _, s, _ in findings}
        blocked += "error" in severities
        warned += "warning" in severities
        seen = set()
        for key, severity, message in findings:
            if key not in seen:
                seen.add(key)
                tally(key, severity, message)
    # Range runs: findings on a commit of this half, and those on the range as a whole when its
    # first commit is of this half. Keys already counted from the commit runs are not recounted.
    for (repo, label), findings in results.range_findings.items():
        first = next(s for (r, s), lab in results.range_of.items() if r == repo and lab == label)
        for key, severity, message in findings:
            owner = next((s for r, s in commits if r == repo and s[:12] == key[1]), None)
            if owner is None and not (key[1] == label and (repo, first) in commits):
                continue
            if key not in all_keys:
                tally(key, severity, message)
    seconds = [results.commit_seconds[c] for c in commits]
    range_seconds = [s for repo, s, run in results.range_seconds
                     if any((repo, c) in commits for c in run)]
    return {
        "commits": len(commits),
        "blocked": blocked,
        "warned": warned,
        "per_rule": per_rule,
        "error_level": error_level,
        "seconds": statistics.median(seconds) if seconds else None,
        "range_seconds": statistics.median(range_seconds) if range_seconds else None,
        "keys": all_keys,
    }, unlabelled


def print_half(half, fig, unlabelled):
    n = fig["commits"]
    print(f"== {half}: {n} commits checked")
    if not n:
        return
    print(f"   blocked (an error):   {fig['blocked']:4d}  {ratio(fig['blocked'], n)}")
    print(f"   warned (a warning):   {fig['warned']:4d}  {ratio(fig['warned'], n)}")
    el = fig["error_level"]
    print(f"   error-level precision: {ratio(el['true'], el['true'] + el['false'])} "
          f"({el['true']} true, {el['false']} false)")
    print("   precision per rule (labelled findings, true / all):")
    for rule in sorted(fig["per_rule"]):
        c = fig["per_rule"][rule]
        print(f"     {rule:32s} {ratio(c['true'], c['true'] + c['false']):>6s}  "
              f"({c['true']} true, {c['false']} false)")
    if fig["seconds"] is not None:
        print(f"   seconds per commit, --commit (median): {fig['seconds']:.3f}")
    if fig["range_seconds"] is not None:
        print(f"   seconds per commit, --range (median of runs): {fig['range_seconds']:.3f}")
    print(f"   findings with no label: {len(unlabelled)}")
    for key, (severity, message) in sorted(unlabelled.items()):
        print("     " + "\t".join(key) + f"\t{severity}\t{message[:160]}")


def read_baseline(path):
    return {row[0]: float(row[1]) for row in read_tsv(path)} if os.path.exists(path) else {}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agate", default=os.path.join(ROOT, "build", "agate"))
    parser.add_argument("--mirrors", default=default_mirrors())
    parser.add_argument("--projects", default=os.path.join(HISTORY, "projects.tsv"))
    parser.add_argument("--labels", default=os.path.join(HISTORY, "labels.tsv"))
    parser.add_argument("--baseline", default=os.path.join(HISTORY, "baseline.tsv"))
    parser.add_argument("--half", choices=("tune", "held-out", "both"), default="both")
    parser.add_argument("--mode", choices=("commit", "range", "both"), default="both")
    parser.add_argument("--project", action="append", help="only this owner/name (repeatable)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 on a regression against the labels and the baseline")
    args = parser.parse_args()

    projects = load_projects(args.projects)
    if args.project:
        projects = {r: e for r, e in projects.items() if r in args.project}
    if not os.access(args.agate, os.X_OK):
        print(f"no agate binary at {args.agate} (build it, or pass --agate)")
        return 2
    results, present = evaluate(args, projects)
    if not present:
        print("no project copy is present: nothing evaluated")
        return 0
    labels = load_labels(args.labels)
    halves = ("tune", "held-out") if args.half == "both" else (args.half,)
    print(f"agate {args.agate}; {len(present)} of {len(projects)} projects present; "
          f"mode {args.mode}; machine: {os.cpu_count()} cores")
    problems = list(results.errors)
    found_keys = set()
    baseline = read_baseline(args.baseline)
    for half in halves:
        fig, unlabelled = half_figures(half, projects, present, results, labels)
        found_keys |= fig["keys"]
        print_half(half, fig, unlabelled)
        if unlabelled:
            problems.append(f"{half}: {len(unlabelled)} warning/error findings have no label")
        el = fig["error_level"]
        recorded = baseline.get(f"{half}.error_precision")
        if recorded is not None and el["true"] + el["false"]:
            precision = el["true"] / (el["true"] + el["false"])
            if precision + 1e-9 < recorded:
                problems.append(f"{half}: error-level precision {precision:.3f} is below the "
                                f"recorded {recorded:.3f}")
    # A finding labelled true that the evaluated commits no longer produce is a miss.
    evaluated = {(r, s[:12]) for r, e in projects.items() if r in present
                 for s, h, _ in e["commits"] if h in halves}
    lost = [k for k, (label, _) in labels.items()
            if label == "true" and (k[0], k[1]) in evaluated and k not in found_keys]
    for key in sorted(lost):
        print("   no longer found (labelled true): " + "\t".join(key))
    if lost:
        problems.append(f"{len(lost)} findings labelled true are no longer found")
    for p in problems:
        print(f"problem: {p}")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
