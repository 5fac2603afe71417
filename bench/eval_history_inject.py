#!/usr/bin/env python3
"""Recall of agate on defects injected into the histories of tests/eval/history/projects.tsv.

For each project whose copy is present, a temporary `git clone --shared` of its last evaluated
commit gets defective commits with honest-looking messages, and `agate check --commit HEAD` must
report them. Kinds made so far:

- `deleted-unit-used-elsewhere`: a top-level function whose name another file uses is deleted;
- `removed-test`: a test function is deleted from a test file.

Prints recall per kind and language. Python 3 standard library only; the copies are found as
bench/eval_history.py finds them, and a project without one is skipped with one line.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_history  # noqa: E402

PER_KIND = 4  # defects per kind and project
SOURCE_EXT = {"python": (".py",), "javascript": (".js",), "typescript": (".ts",),
              "go": (".go",), "rust": (".rs",), "java": (".java",), "c": (".c",),
              "cpp": (".cc", ".cpp", ".h")}
DEF = {
    "python": re.compile(r"^def (\w+)\("),
    "javascript": re.compile(r"^(?:export )?function (\w+)\("),
    "typescript": re.compile(r"^(?:export )?function (\w+)\("),
    "go": re.compile(r"^func (\w+)\("),
    "rust": re.compile(r"^(?:pub(?:\(crate\))? )?fn (\w+)[<(]"),
    "c": re.compile(r"^\w[\w \*]* \**(\w+)\([^;]*$"),
    "cpp": re.compile(r"^\w[\w:<> \*&]* \**(\w+)\([^;]*$"),
    "java": None,  # methods only: not made yet
}


def git(cwd, *args):
    return subprocess.run(["git", "-C", cwd, *args], capture_output=True, text=True,
                          check=True).stdout


def unit_end(lines, start, language):
    """The index after the unit starting at `start`: Python by indentation, others by `}`."""
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if language == "python":
            if line.strip() and not line[0].isspace():
                return i
        elif line.startswith("}"):
            return i + 1
    return None


def candidates(work, language, want_test):
    """(file, name, start, end) of top-level functions, in a fixed order."""
    found = []
    pattern = DEF.get(language)
    if pattern is None:
        return found
    for path in sorted(git(work, "ls-files").splitlines()):
        if not path.endswith(SOURCE_EXT[language]) or eval_history_vendored(path):
            continue
        is_test = bool(re.search(r"(^|/)(tests?|__tests__)/|_test\.|test_|\.test\.", path))
        if is_test != want_test:
            continue
        with open(os.path.join(work, path), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            m = pattern.match(line)
            if not m:
                continue
            name = m.group(1)
            if want_test != name.lower().startswith("test"):
                continue
            end = unit_end(lines, i, language)
            if end is not None and 3 <= end - i <= 60:
                found.append((path, name, i, end))
    return found


def eval_history_vendored(path):
    return bool(re.search(r"(^|/)(vendor|third_party|deps|external|node_modules)/", path))


def used_elsewhere(work, path, name):
    out = subprocess.run(["git", "-C", work, "grep", "-l", "-w", name], capture_output=True,
                         text=True).stdout.split()
    return any(p != path for p in out)


def inject(work, path, start, end, message):
    full = os.path.join(work, path)
    with open(full, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    del lines[start:end]
    with open(full, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    git(work, "commit", "-q", "-a", "-m", message)


def detected(agate, work, name, rules):
    proc = subprocess.run([agate, "check", "--commit", "HEAD", "-C", work, "--format", "json",
                           "--fail-on", "never"], capture_output=True, text=True)
    if proc.returncode != 0:
        return False
    for f in json.loads(proc.stdout)["findings"]:
        if f["rule"] in rules and f["severity"] in ("warning", "error") and name in f["message"]:
            return True
    return False


KINDS = {
    "deleted-unit-used-elsewhere": (False, ("deletion/unrelated", "deletion/dangling-reference"),
                                    "Tidy up {file}"),
    "removed-test": (True, ("deletion/removed-test",), "Speed up the test suite"),
}


def main():
    agate = os.path.join(eval_history.ROOT, "build", "agate")
    mirrors = eval_history.default_mirrors()
    projects = eval_history.load_projects(os.path.join(eval_history.HISTORY, "projects.tsv"))
    tally = defaultdict(lambda: [0, 0])  # (kind, language) -> [found, made]
    for repo, entry in projects.items():
        mirror = eval_history.mirror_of(mirrors, repo)
        if mirror is None:
            print(f"skipped {repo}: no copy under {mirrors}")
            continue
        language = entry["language"]
        head = entry["commits"][-1][0]
        tmp = tempfile.mkdtemp(prefix="agate-inject-")
        try:
            work = os.path.join(tmp, "w")
            subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", mirror, work],
                           check=True)
            git(work, "checkout", "-q", head)
            git(work, "config", "user.email", "dev@example.com")
            git(work, "config", "user.name", "Dev")
            git(work, "config", "commit.gpgsign", "false")
            for kind, (want_test, rules, message) in KINDS.items():
                made = 0
                for path, name, start, end in candidates(work, language, want_test):
                    if made == PER_KIND:
                        break
                    if not want_test and not used_elsewhere(work, path, name):
                        continue
                    git(work, "checkout", "-q", head)
                    inject(work, path, start, end, message.format(file=os.path.basename(path)))
                    made += 1
                    hit = detected(agate, work, name, rules)
                    tally[(kind, language)][0] += hit
                    tally[(kind, language)][1] += 1
                    if not hit:
                        print(f"   missed {kind}: {repo} {path} {name}")
                git(work, "checkout", "-q", head)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("recall per kind and language (found / made):")
    for kind in KINDS:
        for (k, language), (found, made) in sorted(tally.items()):
            if k == kind:
                print(f"  {kind:28s} {language:11s} {found}/{made}  {found / made:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
