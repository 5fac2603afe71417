#!/usr/bin/env python3
"""Builds the benchmark corpus: a git repository of REAL code with synthetic history.

The code comes from packages, never from this project:
  python/  the Python standard library sources from Debian's python3.11 packages
           (/usr/lib/python3.11, tests and site-packages left out)
  js/      lodash 4.17.21, from the npm registry (`npm pack`)
  ts/      the TypeScript sources of rxjs 7.8.1 (its src/ folder), from the npm registry
  c/       gnulib's C library sources from Debian's gnulib package (/usr/share/gnulib/lib)

On top of one import commit (tag bench-base) it makes 200 commits (tag bench-head), each changing
1 to 4 files the way people and agents do: a function copied in from another file of the same
language, a function deleted, an identifier renamed through a function. Then it stages one
change of 10 files and about 300 changed lines (added + deleted) made the same way, and leaves
it in the index for `agate check --staged`.

Everything is deterministic: sorted inputs, fixed seeds, fixed author, committer and dates, no
user or system git configuration. Only the python3 standard library is used.

  make_corpus.py OUT_DIR [--stamp-only]

OUT_DIR is replaced as a whole (built next to it, then renamed). --stamp-only prints the hash
that identifies the corpus this script would build (script text + source versions) and exits.
"""

import argparse
import ast
import hashlib
import json
import keyword
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

SEED = 20240601
RANGE_COMMITS = 200
STAGED_FILES = 10
STAGED_LINES = 300  # added + deleted, as `git diff --numstat` counts them
STAGED_TOLERANCE = 10
NPM_PACKAGES = ["lodash@4.17.21", "rxjs@7.8.1"]
DEBIAN_SOURCES = {"libpython3.11-stdlib": "/usr/lib/python3.11", "gnulib": "/usr/share/gnulib/lib"}
BASE_DATE = 1704096000  # 2024-01-01T08:00:00Z
AUTHORS = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Coding Agent", "agent@example.com"),
    ("Linus Pauling", "linus@example.com"),
]
LANG_BY_EXT = {".py": "python", ".js": "javascript", ".ts": "typescript", ".c": "c", ".h": "c"}


def log(msg):
    print(f"make_corpus: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Sources


def dpkg_version(package):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True,
                         text=True)
    return out.stdout.strip() if out.returncode == 0 else "missing"


def stamp():
    h = hashlib.sha256()
    with open(__file__, "rb") as f:
        h.update(f.read())
    for pkg in sorted(DEBIAN_SOURCES):
        h.update(f"{pkg}={dpkg_version(pkg)}\n".encode())
    h.update(" ".join(NPM_PACKAGES).encode())
    return h.hexdigest()[:16]


def copy_tree(src_root, dst_root, accept):
    """Copies the files under src_root that accept(relpath) keeps; returns their count."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(src_root):
        dirnames.sort()
        for name in sorted(filenames):
            src = os.path.join(dirpath, name)
            rel = os.path.relpath(src, src_root)
            if os.path.islink(src) or not accept(rel):
                continue
            dst = os.path.join(dst_root, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, "rb") as fi, open(dst, "wb") as fo:
                fo.write(fi.read())
            count += 1
    return count


def accept_python(rel):
    parts = rel.split(os.sep)
    skip_dirs = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}
    if any(p in skip_dirs for p in parts[:-1]) or parts[0].startswith("config-"):
        return False
    return rel.endswith(".py")


def accept_lodash(rel):
    return rel.endswith(".js") and not rel.endswith(".min.js")


def accept_rxjs(rel):
    return rel.startswith("src" + os.sep) and rel.endswith(".ts")


def accept_gnulib(rel):
    return rel.endswith(".c") or (rel.endswith(".h") and not rel.endswith(".in.h"))


def populate(work, tmp):
    for pkg, path in DEBIAN_SOURCES.items():
        if not os.path.isdir(path):
            sys.exit(f"make_corpus: {path} is missing: apt-get install -y {pkg}")
    n = copy_tree("/usr/lib/python3.11", os.path.join(work, "python"), accept_python)
    log(f"python: {n} files from /usr/lib/python3.11")
    n = copy_tree("/usr/share/gnulib/lib", os.path.join(work, "c", "gnulib"), accept_gnulib)
    log(f"c: {n} files from /usr/share/gnulib/lib")

    packs = os.path.join(tmp, "packs")
    os.makedirs(packs)
    log(f"npm pack {' '.join(NPM_PACKAGES)}")
    out = subprocess.run(["npm", "pack", "--json", "--pack-destination", packs] + NPM_PACKAGES,
                         capture_output=True, text=True, cwd=tmp)
    if out.returncode != 0:
        sys.exit(f"make_corpus: npm pack failed: {out.stderr.strip()[:500]}")
    for entry in json.loads(out.stdout):
        dest = os.path.join(tmp, "unpacked", entry["name"])
        os.makedirs(dest)
        with tarfile.open(os.path.join(packs, entry["filename"])) as tar:
            tar.extractall(dest)
    n = copy_tree(os.path.join(tmp, "unpacked", "lodash", "package"),
                  os.path.join(work, "js", "lodash"), accept_lodash)
    log(f"js: {n} files from lodash")
    n = copy_tree(os.path.join(tmp, "unpacked", "rxjs", "package"),
                  os.path.join(work, "ts", "rxjs"), accept_rxjs)
    log(f"ts: {n} files from rxjs")


# --------------------------------------------------------------------------------------------
# Units: top-level functions (and methods for Python) with their line ranges, 0-based, inclusive


class Unit:
    def __init__(self, start, end, top_level):
        self.start = start
        self.end = end
        self.top_level = top_level

    def size(self):
        return self.end - self.start + 1


def python_units(lines):
    try:
        tree = ast.parse("".join(lines))
    except (SyntaxError, ValueError):
        return None
    units = []

    def add(node, top):
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        units.append(Unit(start - 1, node.end_lineno - 1, top))

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            add(node, True)
        elif isinstance(node, ast.ClassDef):
            methods = [m for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))]
            add(node, True)
            if len(node.body) > 1:
                for m in methods:
                    add(m, False)
    return units


STRIP_RE = re.compile(r"\\.|\"[^\"\n]*\"|'[^'\n]*'|`[^`\n]*`")


def brace_units(lines):
    """Top-level `{ ... }` blocks that start at column 0 with their header lines (C, JS, TS)."""
    units = []
    depth = 0
    in_comment = False
    open_line = None
    for i, raw in enumerate(lines):
        line = STRIP_RE.sub("", raw)
        code = ""
        j = 0
        while j < len(line):
            if in_comment:
                k = line.find("*/", j)
                if k < 0:
                    j = len(line)
                else:
                    in_comment = False
                    j = k + 2
                continue
            if line.startswith("/*", j):
                in_comment = True
                j += 2
                continue
            if line.startswith("//", j):
                break
            code += line[j]
            j += 1
        if code.lstrip().startswith("#"):
            continue
        for ch in code:
            if ch == "{":
                if depth == 0:
                    open_line = i
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    depth = 0
                    open_line = None
                elif depth == 0 and open_line is not None:
                    if raw.startswith("}"):
                        start = open_line
                        while start > 0:
                            prev = lines[start - 1]
                            if (not prev.strip() or prev[0] in " \t#/*}" or
                                    prev.rstrip().endswith((";", "}", "*/"))):
                                break
                            start -= 1
                        if lines[start][:1] not in (" ", "\t", "") and i - start >= 2:
                            units.append(Unit(start, i, True))
                    open_line = None
    return units


def units_of(lang, lines):
    return python_units(lines) if lang == "python" else brace_units(lines)


KEYWORDS = set(keyword.kwlist) | {
    "self", "cls", "None", "True", "False", "print", "len", "str", "int", "list", "dict",
    "return", "const", "let", "var", "function", "this", "new", "typeof", "instanceof",
    "undefined", "null", "true", "false", "export", "import", "from", "extends", "implements",
    "interface", "type", "public", "private", "protected", "readonly", "static", "void", "char",
    "short", "long", "unsigned", "signed", "double", "float", "struct", "union", "enum", "sizeof",
    "typedef", "extern", "inline", "register", "volatile", "restrict", "switch", "case",
    "default", "break", "continue", "while", "for", "else", "goto", "size_t", "bool", "string",
    "number", "any", "unknown", "never", "object", "async", "await", "yield", "delete", "throw",
    "catch", "try", "finally", "super", "arguments", "define", "include", "endif", "ifdef",
}
IDENT_RE = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
RENAMES = ["value", "item", "result", "current", "entry", "node", "data", "state"]


# --------------------------------------------------------------------------------------------
# Edits. Each returns the number of changed lines (added + deleted) it made, or 0 if it could
# not make one within the budget.


class Corpus:
    def __init__(self, root):
        self.root = root
        self.files = {}  # relpath -> lang
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != ".git")
            for name in sorted(filenames):
                lang = LANG_BY_EXT.get(os.path.splitext(name)[1])
                if lang:
                    self.files[os.path.relpath(os.path.join(dirpath, name), root)] = lang
        self.paths = sorted(self.files)
        self.donors = {}  # lang -> [(path, start, end)] units worth copying, from the base tree
        self.targets = {}  # lang -> [path] files worth changing
        for path in self.paths:
            lang = self.files[path]
            lines = self.read(path)
            if lines is None:
                continue
            units = units_of(lang, lines)
            if not units:
                continue
            for u in units:
                if u.top_level and 4 <= u.size() <= 60:
                    self.donors.setdefault(lang, []).append((path, u.start, u.end))
            if 60 <= len(lines) <= 2500 and len(units) >= 2:
                self.targets.setdefault(lang, []).append(path)

    def read(self, path):
        try:
            with open(os.path.join(self.root, path), encoding="utf-8") as f:
                return f.readlines()
        except UnicodeDecodeError:
            return None

    def write(self, path, lines):
        with open(os.path.join(self.root, path), "w", encoding="utf-8") as f:
            f.writelines(lines)

    def copy_function(self, rng, path, budget):
        lang = self.files[path]
        lines = self.read(path)
        units = [u for u in units_of(lang, lines) or [] if u.top_level]
        fits = [d for d in self.donors.get(lang, []) if d[0] != path and d[2] - d[1] + 2 <= budget]
        if not units or not fits:
            return 0
        donor_path, start, end = rng.choice(fits)
        body = self.read(donor_path)[start:end + 1]
        if body and not body[-1].endswith("\n"):
            body[-1] += "\n"
        after = rng.choice(units).end + 1
        gap = ["\n", "\n"] if lang == "python" else ["\n"]
        lines[after:after] = gap + body
        self.write(path, lines)
        return len(gap) + len(body)

    def delete_function(self, rng, path, budget):
        lang = self.files[path]
        lines = self.read(path)
        units = units_of(lang, lines) or []
        fits = [u for u in units if u.size() + 1 <= budget and u.size() < len(lines) // 2]
        if not fits:
            return 0
        u = rng.choice(fits)
        end = u.end + 1
        if end < len(lines) and not lines[end].strip():
            end += 1
        del lines[u.start:end]
        self.write(path, lines)
        return end - u.start

    def rename_identifier(self, rng, path, budget):
        lang = self.files[path]
        lines = self.read(path)
        units = units_of(lang, lines) or []
        rng.shuffle(units)
        for u in units[:20]:
            counts = {}
            for i in range(u.start, u.end + 1):
                for name in set(IDENT_RE.findall(lines[i])):
                    if len(name) >= 3 and name not in KEYWORDS and not name.isupper():
                        counts.setdefault(name, []).append(i)
            choices = sorted(n for n, where in counts.items()
                             if 2 <= len(where) and 2 * len(where) <= budget)
            if not choices:
                continue
            name = rng.choice(choices)
            new = name + "_" + rng.choice(RENAMES)
            pattern = re.compile(r"\b" + re.escape(name) + r"\b")
            for i in counts[name]:
                lines[i] = pattern.sub(new, lines[i])
            self.write(path, lines)
            return 2 * len(counts[name])
        return 0

    def change_file(self, rng, path, budget):
        """Changes one file by about `budget` lines with a mix of edits; returns lines changed."""
        done = 0
        attempts = 0
        while budget - done >= 4 and attempts < 12:
            attempts += 1
            op = rng.choices([self.copy_function, self.delete_function, self.rename_identifier],
                             weights=[45, 25, 30])[0]
            done += op(rng, path, budget - done)
        if done == 0:
            done = self.rename_identifier(rng, path, max(budget, 8))
        return done

    def pick_files(self, rng, count):
        langs = sorted(self.targets)
        picked = []
        while len(picked) < count:
            path = rng.choice(self.targets[rng.choice(langs)])
            if path not in picked:
                picked.append(path)
        return picked


# --------------------------------------------------------------------------------------------
# git


def git_env(tmp, date):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "HOME": tmp, "XDG_CONFIG_HOME": tmp, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": f"@{date} +0000", "GIT_COMMITTER_DATE": f"@{date} +0000",
        "LC_ALL": "C", "TZ": "UTC",
    })
    return env


def git(root, tmp, *args, date=BASE_DATE, author=AUTHORS[0], check=True):
    """Runs git; exits on failure. check=None returns the exit code instead of the output."""
    env = git_env(tmp, date)
    env.update({"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
                "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1]})
    out = subprocess.run(["git", "-C", root] + list(args), env=env, capture_output=True,
                         text=True)
    if check and out.returncode != 0:
        sys.exit(f"make_corpus: git {' '.join(args[:2])} failed: {out.stderr.strip()[:500]}")
    return out.stdout if check is not None else out.returncode


def numstat_total(root, tmp, *args):
    total = 0
    files = 0
    for line in git(root, tmp, "diff", "--numstat", *args).splitlines():
        added, deleted, _ = line.split("\t", 2)
        if added != "-":
            total += int(added) + int(deleted)
        files += 1
    return files, total


def build(out_dir):
    out_dir = os.path.abspath(out_dir)
    work = out_dir + ".tmp"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tmp = tempfile.mkdtemp(prefix="agate-bench-")
    try:
        populate(work, tmp)
        git(work, tmp, "init", "-q", "-b", "main")
        for key, value in [("core.autocrlf", "false"), ("commit.gpgsign", "false"),
                           ("gc.auto", "0"), ("user.useConfigOnly", "false")]:
            git(work, tmp, "config", key, value)
        git(work, tmp, "add", "-A")
        git(work, tmp, "commit", "-q", "-m", "Import python, lodash, rxjs and gnulib sources")
        git(work, tmp, "tag", "bench-base")

        corpus = Corpus(work)
        rng = random.Random(SEED)
        log(f"{RANGE_COMMITS} commits")
        n = 0
        while n < RANGE_COMMITS:
            count = rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]
            changed = []
            for path in corpus.pick_files(rng, count):
                if corpus.change_file(rng, path, rng.randint(6, 40)):
                    changed.append(path)
            if not changed:
                continue
            git(work, tmp, "add", "--", *changed)
            if git(work, tmp, "diff", "--cached", "--quiet", check=None) == 0:
                continue  # the edits cancelled out (a function copied in, then deleted)
            subject = f"Rework {os.path.splitext(os.path.basename(changed[0]))[0]}"
            if len(changed) > 1:
                subject += f" and {len(changed) - 1} more file{'s' if len(changed) > 2 else ''}"
            git(work, tmp, "commit", "-q", "-m", subject, date=BASE_DATE + 3600 * (n + 1),
                author=AUTHORS[n % len(AUTHORS)])
            n += 1
        git(work, tmp, "tag", "bench-head")
        # Packed, like a real clone; the staged change below adds loose objects, like `git add`.
        git(work, tmp, "-c", "pack.threads=1", "repack", "-a", "-d", "-q")
        git(work, tmp, "prune")

        # The staged change: retry with the next seed until git counts 300 +- tolerance lines.
        for attempt in range(50):
            srng = random.Random(SEED * 1000 + attempt)
            picked = corpus.pick_files(srng, STAGED_FILES)
            for path in picked:
                corpus.change_file(srng, path, STAGED_LINES // STAGED_FILES)
            git(work, tmp, "add", "-A")
            files, total = numstat_total(work, tmp, "--cached")
            for _ in range(30):  # top up: git's count differs a little from the plan
                if total >= STAGED_LINES - STAGED_TOLERANCE // 2:
                    break
                corpus.change_file(srng, srng.choice(picked), STAGED_LINES - total)
                git(work, tmp, "add", "-A")
                files, total = numstat_total(work, tmp, "--cached")
            if files == STAGED_FILES and abs(total - STAGED_LINES) <= STAGED_TOLERANCE:
                break
            git(work, tmp, "reset", "-q", "--hard", "bench-head")
        else:
            sys.exit("make_corpus: could not make a staged change of the wanted size")
        log(f"staged change: {files} files, {total} changed lines (attempt {attempt})")
        git(work, tmp, "update-index", "--refresh")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(work, out_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--stamp-only", action="store_true")
    args = ap.parse_args()
    if args.stamp_only:
        print(stamp())
        return
    build(args.out_dir)


if __name__ == "__main__":
    main()
