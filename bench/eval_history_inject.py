#!/usr/bin/env python3
"""Recall of agate on defects injected into the histories of tests/eval/history/projects.tsv.

For each project whose copy is present, a temporary `git clone --shared` of its last evaluated
commit gets defective commits, one at a time, each with an honest-looking message that does not
name the unit it breaks, and `agate check --commit HEAD` must report them (a warning or an error).
Up to PER_KIND of each kind per project, in a fixed order. Kinds:

- `deleted-unit-used-elsewhere`: a top-level function whose name another file contains (a Java
  method, with its annotations and Javadoc; not `main`, not an `@Override`) is deleted ("Tidy up
  FILE"); expected: `deletion/unrelated` or `deletion/dangling-reference` naming it;
- `removed-test`: a test function (Java: a method annotated `@Test`) is deleted from a test file
  ("Speed up the test suite"); expected: `deletion/removed-test` naming it;
- `removed-guard`: one whole guard is deleted from a top-level function (Java: a method) that
  otherwise survives: Python `if ...:` whose body is one `raise`; `if (...) throw ...;` or
  `if (...) { throw ...; }` in JavaScript, TypeScript, Java and C++ (there also a throwing macro or
  function, `FMT_THROW(..)`, `report_error(..)`); Go `if ... { return ..., errors.New/fmt.Errorf(..)
  }` or `if err != nil { return ... }`; Rust `if ... { return Err(..) }` or `bail!(..)`; C `if (...)
  return -1;`, `NULL`, `-EXXX` or an error-named call (`type_error(..)`; not in a comparison
  function) ("Simplify FUNCTION"); expected: `deletion/removed-guard` at the guard's first line or
  quoting its condition;
- `removed-guard-branch`: one non-first branch whose body raises or returns an error, as above, is
  deleted from a chain (`elif ...: raise`, `} else if (...) { throw ... }` or `else if (...) throw`,
  Go and Rust `} else if ... { return ... }`), in a function or a method of any language (the
  chains are in methods) ("Simplify FUNCTION"); expected as for `removed-guard`;
- `deleted-unit-in-edited-file`: a unit deleted as by the first kind, and in the same commit a
  comment line (without the deleted name) added at the top of the body of another function of that
  file ("Clarify OTHER"); expected as for the first kind;
- `renamed-copy`: a function of 8-40 lines and at least 70 tokens (Java: a method; C++: with its
  template header) is copied, its name and its parameters and locals renamed with the suffix `2`,
  to the end of another source file of the language: the next one of its directory, else the next
  one (Go: of its directory and package; Java: into the last class of a file with a class) ("Add a
  helper for FILE"); expected: `duplication/clone` naming the original.

The first two kinds are made as the first version of this script made them (their figures are
quoted in docs/evaluation-history.md; Java was added). The other four leave test, vendored and
generated files alone, take one case per file before a second one, and take files of benchmarks,
examples, scripts, docs and tools last. A project where a kind finds nothing to inject gets a line
saying so.

Prints each project's misses, then recall per kind and language (`*`: all languages pooled) and
the seconds the run took. `--check` compares that with tests/eval/history/recall.tsv (the minimums
the build that wrote it reached: a drop is a regression) and exits 1 naming each drop;
`--write-baseline` rewrites that file from the run. Python 3 standard library only; the copies are
found as bench/eval_history.py finds them, a project without one is skipped with one line, and with
no copy at all the run prints one line and exits 0 (CI has no copies).
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, namedtuple

sys.dont_write_bytecode = True  # no __pycache__ in bench/
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
    "java": None,  # methods, by JAVA_METHOD
}
# An indented Java method header on one line, ending with `{`: modifiers, type parameters, return
# type, name, parameters, throws clause. Constructors (no return type) do not match.
JAVA_METHOD = re.compile(
    r"^(\s+)((?:(?:public|protected|private|static|final|synchronized|strictfp)\s+)+)"
    r"(?:<[^{};]*>\s+)?[\w.$]+(?:<[^{};]*>)?(?:\[\])*\s+(\w+)\s*\([^;{}]*\)\s*"
    r"(?:throws\s+[\w.$,\s]+)?\{\s*$")
TEST_PATH = re.compile(r"(^|/)(tests?|__tests__)/|_test\.|test_|\.test\.")
GENERATED = re.compile(r"\b(auto-?generated|generated by|@generated|code generated|do not edit)\b|"
                       r"bison parser|lexical scanner", re.IGNORECASE)
SECONDARY = re.compile(r"(^|/)(bench|benches|benchmarks?|examples?|scripts?|docs?|tools?)/")
RULES_DELETED = ("deletion/unrelated", "deletion/dangling-reference")
RULES_GUARD = ("deletion/removed-guard",)
LEVELS = ("warning", "error")


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


def java_end(lines, start, indent):
    """The index after the Java method whose header (indented by `indent`) is at `start`."""
    for i in range(start + 1, len(lines)):
        if lines[i].rstrip() == indent + "}":
            return i + 1
    return None


def java_lead(lines, start):
    """The first line of the annotations and Javadoc right above the method at `start`."""
    s = start
    while s > 0 and lines[s - 1].strip().startswith("@"):
        s -= 1
    if s > 0 and lines[s - 1].strip().endswith("*/"):
        t = s - 1
        while t >= 0 and not lines[t].strip().startswith("/*"):
            t -= 1
        if t >= 0:
            s = t
            while s > 0 and lines[s - 1].strip().startswith("@"):
                s -= 1
    return s


def java_methods(lines):
    """(name, lead, header, end, annotations) of the one-line-header methods of a Java file."""
    found = []
    for i, line in enumerate(lines):
        m = JAVA_METHOD.match(line)
        if not m or not re.search(r"\b(public|protected|private|static)\b", m.group(2)):
            continue
        end = java_end(lines, i, m.group(1))
        if end is None:
            continue
        lead = java_lead(lines, i)
        annotations = [x.strip() for x in lines[lead:i] if x.strip().startswith("@")]
        found.append((m.group(3), lead, i, end, annotations))
    return found


def candidates(work, language, want_test):
    """(file, name, start, end) of top-level functions (Java: methods), in a fixed order."""
    found = []
    pattern = DEF.get(language)
    if pattern is None and language != "java":
        return found
    for path in sorted(git(work, "ls-files").splitlines()):
        if not path.endswith(SOURCE_EXT[language]) or eval_history_vendored(path):
            continue
        is_test = bool(TEST_PATH.search(path))
        if is_test != want_test:
            continue
        with open(os.path.join(work, path), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        if language == "java":
            for name, lead, i, end, annotations in java_methods(lines):
                is_test_method = any(a == "@Test" or a.startswith("@Test(") for a in annotations)
                if want_test != is_test_method or "@Override" in annotations or name == "main":
                    continue
                if 3 <= end - i <= 60:
                    found.append((path, name, lead, end))
            continue
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


# ---- reading the code -------------------------------------------------------------------------

class Tree:
    """The files of one project's copy at its last evaluated commit, read from git (the work
    tree holds the injected commits)."""

    def __init__(self, work, language, head):
        self.work = work
        self.language = language
        self.head = head
        self.paths = sorted(git(work, "ls-tree", "-r", "--name-only", head).splitlines())
        self._lines = {}
        self._batch = None

    def lines(self, path):
        if path not in self._lines:
            if self._batch is None:
                self._batch = subprocess.Popen(["git", "-C", self.work, "cat-file", "--batch"],
                                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self._batch.stdin.write(f"{self.head}:{path}\n".encode())
            self._batch.stdin.flush()
            header = self._batch.stdout.readline().split()
            data = self._batch.stdout.read(int(header[2]) + 1)[:-1] if len(header) == 3 else b""
            self._lines[path] = data.decode("utf-8", errors="replace").split("\n")
        return self._lines[path]

    def close(self):
        if self._batch is not None:
            self._batch.stdin.close()
            self._batch.wait()

    def sources(self):
        """Non-test, non-vendored, non-generated source files of the language, sorted, those of
        benchmarks, examples, scripts, docs and tools last."""
        out = []
        for path in self.paths:
            if (path.endswith(SOURCE_EXT[self.language]) and not TEST_PATH.search(path)
                    and not eval_history_vendored(path)
                    and not GENERATED.search("\n".join(self.lines(path)[:12]))):
                out.append(path)
        return sorted(out, key=lambda p: (bool(SECONDARY.search(p)), p))

    def functions(self, path):
        """(name, header, end) of the top-level functions of a file (Java: its methods)."""
        lines = self.lines(path)
        if self.language == "java":
            return [(name, i, end) for name, _, i, end, _ in java_methods(lines)]
        out = []
        pattern = DEF[self.language]
        for i, line in enumerate(lines):
            m = pattern.match(line)
            if not m:
                continue
            if self.language == "python":
                # The first code line at column 0 that does not close the signature's brackets.
                end = next((j for j in range(i + 1, len(lines))
                            if code_of(lines[j], "python")[:1] not in ("", " ", "\t", ")", "]")),
                           len(lines))
            else:
                end = unit_end(lines, i, self.language)
            if end is None or (self.language != "python" and any(
                    pattern.match(x) for x in lines[i + 1:end - 1])):
                continue  # a one-line function: its end is another one's
            if self.language in ("go", "javascript", "typescript") and sum(
                    x.count("`") for x in lines[i:end]) % 2:
                continue  # its end was a `}` inside a raw string or template literal
            out.append((m.group(1), i, end))
        return out

    def scopes(self, path):
        """(name, header, end) of the functions and methods of a file: the top-level functions
        and, by their one-line headers, Python methods, JavaScript and TypeScript methods, function
        expressions and arrow functions with a block, Go methods, Rust functions in `impl` blocks,
        C++ member functions defined in their class."""
        lines = self.lines(path)
        out = set(self.functions(path))
        pattern = SCOPE.get(self.language)
        if pattern is None:
            return sorted(out, key=lambda f: f[1])
        for i, line in enumerate(lines):
            m = pattern.match(line)
            if not m or m.group(2) in KEYWORDS:
                continue
            pad = m.group(1)
            end = None
            for j in range(i + 1, len(lines)):
                code = code_of(lines[j], self.language)
                if not code.strip():
                    continue
                if self.language == "python":
                    if indent(lines[j]) <= len(pad) and code.strip()[:1] not in (")", "]"):
                        end = j
                        break
                elif indent(lines[j]) < len(pad) or (
                        indent(lines[j]) == len(pad) and code.strip().startswith("}")):
                    end = j + 1 if code.strip().startswith("}") else None
                    break
            if end is not None:
                out.add((m.group(2), i, end))
        return sorted(out, key=lambda f: f[1])


# Headers of methods and nested function forms (Tree.scopes): (indentation, name).
SCOPE = {
    "python": re.compile(r"^(\s*)(?:async\s+)?def (\w+)\("),
    "javascript": re.compile(
        r"^(\s*)(?:(?:static|async|get|set)\s+)*(?:[\w.]+\s*[=:]\s*(?:async\s+)?function\s*\w*\s*"
        r"|(?:export\s+)?(?:const|let|var)\s+\w+\s*=\s*(?:async\s+)?\([^;]*\)\s*=>\s*(?=\{)"
        r"|)(\w*)\s*\([^;]*\)\s*\{$"),
    "typescript": re.compile(
        r"^(\s*)(?:(?:export|default|public|private|protected|static|async|override|readonly|get|"
        r"set)\s+)*(?:(?:const|let)\s+)?(#?\w+)\s*(?:<[^;]*>)?\s*(?:=\s*(?:async\s+)?)?"
        r"(?:function\s*)?\([^;]*\)\s*(?::\s*[^;{]+)?(?:=>\s*)?\{$"),
    "go": re.compile(r"^()func \([^)]*\)\s*(\w+)\("),
    "rust": re.compile(r"^(\s*)(?:pub(?:\([\w:]+\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?"
                       r"fn (\w+)"),
    "cpp": re.compile(r"^(\s+)(?:[\w:<>,\*&~]+\s+)*[\*&]*(\w+)\([^;]*\)\s*(?:const\s*)?"
                      r"(?:noexcept\s*)?(?:override\s*)?(?:->\s*[^{;]+)?\{$"),
}


def code_of(line, language):
    """The line without string and character literals (kept as empty quotes) and comments."""
    s = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    if language == "rust":
        s = re.sub(r"'(?:\\.|[^'\\])'", "''", s)
    else:
        s = re.sub(r"'(?:\\.|[^'\\])*'", "''", s)
    if language in ("go", "javascript", "typescript"):
        s = re.sub(r"`(?:\\.|[^`\\])*`", "``", s)
    cut = s.find("#") if language == "python" else s.find("//")
    if cut >= 0:
        s = s[:cut]
    if language != "python":
        s = re.sub(r"/\*.*?\*/", "", s)
        if s.lstrip().startswith(("/*", "* ", "*/")) or s.strip() == "*":
            s = ""
    return s.rstrip()


def depth(code):
    return sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")


def indent(line):
    return len(line) - len(line.lstrip())


def closing_paren(code, start):
    """The index of the `)` matching the `(` at `start`, or None."""
    level = 0
    for i in range(start, len(code)):
        if code[i] == "(":
            level += 1
        elif code[i] == ")":
            level -= 1
            if level == 0:
                return i
    return None


def next_code(lines, k, language, limit=None):
    """The index of the first line at or after `k` with code, or None."""
    limit = len(lines) if limit is None else limit
    for i in range(k, limit):
        if code_of(lines[i], language).strip():
            return i
    return None


def statement(lines, k, language, limit):
    """(text, end) of the statement starting at line `k`: its code and the index after it."""
    text, level = "", 0
    for i in range(k, min(limit, k + 12)):
        code = code_of(lines[i], language)
        text += " " + code.strip()
        level += depth(code)
        if level <= 0 and (language in ("python", "go", "rust") or code.endswith(";")):
            return text.strip(), i + 1
    return None, None


def single_statement(lines, start, stop, language):
    """The code of the body lines [start, stop) if they hold exactly one statement, else None."""
    first = next_code(lines, start, language, stop)
    if first is None:
        return None
    text, end = statement(lines, first, language, stop)
    if text is None or next_code(lines, end, language, stop) is not None:
        return None
    return text


NESTED_OPENER = {
    "javascript": re.compile(r"\bfunction\b|=>\s*\{$"),
    "typescript": re.compile(r"\bfunction\b|=>\s*\{$"),
    "go": re.compile(r"\bfunc\s*\("),
    "rust": re.compile(r"(^|[(,=\s])(move\s+)?\|[^|]*\|\s*(->[^{]*)?\{$|\bfn\s+\w+"),
    "java": re.compile(r"\bnew\s+[\w.<>, ]+\([^;]*\)\s*\{$|->\s*\{$"),
    "cpp": re.compile(r"(^|[=(,\s])\[[^\]]*\]\s*(\([^;]*\))?\s*(mutable\s*)?(->[^{]*)?\{$"),
    "c": None,
}


def in_nested_function(lines, start, k, language):
    """Whether line `k` is inside a function literal, lambda or local class opened after `start`."""
    if language == "python":
        for j in range(k - 1, start, -1):
            code = code_of(lines[j], language)
            if code.strip() and indent(lines[j]) < indent(lines[k]):
                if re.match(r"\s+(async\s+)?(def|class) ", code):
                    return True
        return False
    opener = NESTED_OPENER[language]
    if opener is None:
        return False
    stack, level = [], 0
    for j in range(start + 1, k):
        code = code_of(lines[j], language)
        change = depth(code)
        if change > 0 and opener.search(code):
            stack.append(level)
        level += change
        while stack and level <= stack[-1]:
            stack.pop()
    return bool(stack)


def is_error_exit(text, language, condition=""):
    """Whether a statement raises or returns an error, as the guards of the kind are defined."""
    if language == "python":
        return text.startswith("raise") and "NotImplementedError" not in text
    if language in ("javascript", "typescript", "java"):
        return bool(re.match(r"throw\b", text))
    if language == "cpp":  # also a throwing macro or function: FMT_THROW(..), report_error(..)
        return bool(re.match(r"(throw\b|\w*(THROW|throw)\w*\s*\(|report_error\s*\()", text))
    if language == "go":
        return text.startswith("return") and bool(
            re.search(r"\b(errors\.New|fmt\.Errorf)\(", text)
            or re.search(r"\berr\s*!=\s*nil\b", condition))
    if language == "rust":
        return bool(re.match(r"(return\s+Err\s*\(|(anyhow::)?bail!\s*[(\[{])", text))
    if language == "c":
        return bool(re.match(r"return\s*\(?\s*(-\s*\d+|NULL\b|-\s*E[A-Z0-9_]+\b|"
                             r"\w*(err|Err|ERR|fail|Fail|FAIL|invalid|Invalid|INVALID)\w*\s*\()",
                             text))
    return False


Guard = namedtuple("Guard", "path function start end condition")


def guards(tree, path, branch):
    """The guards of a file's top-level functions (Java: methods) or, with `branch`, the deletable
    non-first branches of chains in its functions and methods, in line order:
    Guard(path, function, first line, index after, condition)."""
    lines = tree.lines(path)
    language = tree.language
    found, seen = [], set()
    for fname, fs, fe in (tree.scopes(path) if branch else tree.functions(path)):
        if language == "c" and re.search(r"cmp|compar", fname, re.IGNORECASE):
            continue  # a comparison's `return -1` is a value, not an error
        for k in range(fs + 1, fe - 1 if language != "python" else fe):
            if k in seen:
                continue
            g = (python_guard if language == "python" else brace_guard)(lines, k, fe, language,
                                                                        branch)
            if g is None or in_nested_function(lines, fs, k, language):
                continue
            start, end, condition = g
            seen.add(k)
            found.append(Guard(path, fname, start, end, condition))
    return found


def python_guard(lines, k, fe, language, branch):
    code = code_of(lines[k], language)
    m = re.match(r"^(\s+)(elif|if) (.+):$", code)
    if not m or (m.group(2) == "elif") != branch or depth(m.group(3)) != 0:
        return None
    ind = len(m.group(1))
    body = next_code(lines, k + 1, language, fe)
    if body is None or indent(lines[body]) <= ind:
        return None
    text, end = statement(lines, body, language, fe)
    if text is None or not is_error_exit(text, language):
        return None
    after = next_code(lines, end, language, fe)
    if after is not None and indent(lines[after]) > ind:
        return None  # more than the one statement in the body
    if not branch:
        if after is not None and indent(lines[after]) == ind and re.match(
                r"\s*(elif|else)\b", lines[after]):
            return None  # the first branch of a chain
        before = k - 1
        while before > 0 and not code_of(lines[before], language).strip():
            before -= 1
        if indent(lines[before]) < ind and (after is None or indent(lines[after]) < ind):
            return None  # the block would be left empty
    return k, end, m.group(3)


def brace_guard(lines, k, fe, language, branch):
    code = code_of(lines[k], language)
    parens = language not in ("go", "rust")
    lead = r"\}\s*else\s+if" if branch else r"if"
    m = re.match(r"^(\s*)(" + lead + r")\b\s*(.*)$", code)
    alone_else = None
    if not m and branch:
        m = re.match(r"^(\s*)(else\s+if)\b\s*(.*)$", code)  # `else if` at the start of a line
        alone_else = m is not None
    if not m:
        return None
    ind, rest = m.group(1), m.group(3)
    if parens:
        if not rest.startswith("("):
            return None
        close = closing_paren(rest, 0)
        if close is None:
            return None
        condition, rest = rest[1:close], rest[close + 1:].strip()
    else:
        if not rest.endswith("{") or rest.startswith("let ") or depth(rest[:-1]) != 0:
            return None
        condition, rest = rest[:-1].strip(), "{"
    closes_previous = branch and not alone_else  # `} else if`: its `}` closes the previous branch
    if rest == "{":
        close = None
        for j in range(k + 1, fe):
            c = code_of(lines[j], language)
            if c.strip() and indent(lines[j]) <= len(ind):
                close = j
                break
        if close is None or not code_of(lines[close], language).strip().startswith("}"):
            return None
        text = single_statement(lines, k + 1, close, language)
        if text is None or not is_error_exit(text, language, condition):
            return None
        closing = code_of(lines[close], language).strip()
        if closes_previous:
            return k, close, condition  # the next `}` (or `} else`) closes the previous branch
        if closing != "}":
            return None  # followed by `else`: a chain's first branch (or a whole else-if block)
        end = close + 1
    elif not parens:
        return None
    elif closes_previous:
        return None  # `} else if (...) stmt;` is rare and ambiguous
    elif rest:
        text, end = statement([rest], 0, language, 1)
        if text is None or not is_error_exit(text, language):
            return None
        end = k + 1
    else:
        nxt = next_code(lines, k + 1, language, fe)
        if nxt is None or indent(lines[nxt]) <= len(ind):
            return None
        text, end = statement(lines, nxt, language, fe)
        if text is None or not is_error_exit(text, language):
            return None
    after = next_code(lines, end, language, fe)
    if not branch and after is not None and code_of(lines[after], language).strip().startswith(
            "else"):
        return None
    return k, end, condition


def spread(items, key):
    """`items` reordered: the first of each key (in order), then the second of each, ..."""
    rank, counts = [], defaultdict(int)
    for n, item in enumerate(items):
        k = key(item)
        rank.append((counts[k], n, item))
        counts[k] += 1
    return [item for _, _, item in sorted(rank, key=lambda r: (r[0], r[1]))]


# ---- the cases --------------------------------------------------------------------------------

# A case: where (for the miss line), the files it rewrites ({path: lines}), the commit message,
# and what agate must report (findings -> bool).
Case = namedtuple("Case", "where edits message match")


def deleted(lines, start, end):
    return lines[:start] + lines[end:]


def names_unit(rules, name):
    def match(findings):
        return any(f["rule"] in rules and f["severity"] in LEVELS and name in f["message"]
                   for f in findings)
    return match


def cases_deleted_unit(tree, repo, want_test, message):
    """The two kinds made first: a deleted unit used elsewhere, a removed test."""
    rules = ("deletion/removed-test",) if want_test else RULES_DELETED
    for path, name, start, end in candidates(tree.work, tree.language, want_test):
        if not want_test and not used_elsewhere(tree.work, path, name):
            continue
        yield Case(f"{repo} {path} {name}",
                   {path: deleted(tree.lines(path), start, end)},
                   message.format(file=os.path.basename(path)), names_unit(rules, name))


def guard_match(g):
    piece = re.sub(r"\s+", " ", g.condition.strip())[:24]

    def match(findings):
        for f in findings:
            if (f["rule"] in RULES_GUARD and f["severity"] in LEVELS
                    and f.get("file") == g.path):
                text = re.sub(r"\s+", " ", f["message"] + " " +
                              str((f.get("evidence") or {}).get("guard", "")))
                if (f.get("side") == "old" and f.get("line") == g.start + 1) or piece in text:
                    return True
        return False
    return match


def cases_guard(tree, repo, branch):
    found = []
    for path in tree.sources():
        found.extend(guards(tree, path, branch))
    for g in spread(found, key=lambda g: g.path):
        yield Case(f"{repo} {g.path}:{g.start + 1} in {g.function}: "
                   f"{tree.lines(g.path)[g.start].strip()[:70]}",
                   {g.path: deleted(tree.lines(g.path), g.start, g.end)},
                   f"Simplify {g.function}", guard_match(g))


COMMENTS = ("Callers rely on the order of the steps below.",
            "Keep these steps in this order: callers rely on it.")


def comment_line(language, name):
    """A comment line without the word `name` (a comment's words can count as references)."""
    mark = "#" if language == "python" else "//"
    text = next(c for c in COMMENTS if not re.search(r"\b" + re.escape(name) + r"\b", c, re.I))
    return f"{mark} {text}"


def body_start(lines, start, end, language):
    """The index of the first line of a function's body after its header (and docstring)."""
    level = 0
    for i in range(start, end):
        code = code_of(lines[i], language)
        level += depth(code)
        if language == "python" and level == 0 and code.endswith(":"):
            first = next_code(lines, i + 1, language, end)
            if first is None:
                return None
            text = lines[first].strip()
            quote = next((q for q in ('"""', "'''") if text.lstrip("rbuRBU").startswith(q)),
                         None)
            if quote is None:
                return first
            opened = text.find(quote) + 3
            for j in range(first, end):  # the line that closes the docstring
                if quote in (lines[j].strip()[opened:] if j == first else lines[j]):
                    return j + 1
            return None
        if language != "python" and code.endswith("{") and level > 0:
            return i + 1
    return None


def body_indent(lines, start, end, language):
    """The indentation of the body of the function at [start, end): the least inner one."""
    outer = indent(lines[start])
    inner = [indent(lines[i]) for i in range(start + 1, end)
             if code_of(lines[i], language).strip() and indent(lines[i]) > outer]
    if not inner:
        return None
    first = next(lines[i] for i in range(start + 1, end)
                 if code_of(lines[i], language).strip() and indent(lines[i]) == min(inner))
    return first[:min(inner)]


def cases_edited_file(tree, repo):
    language = tree.language
    for path, name, start, end in candidates(tree.work, language, False):
        if not used_elsewhere(tree.work, path, name):
            continue
        lines = tree.lines(path)
        others = [(n, s, e) for n, s, e in tree.functions(path)
                  if n != name and (e <= start or s >= end)]
        others.sort(key=lambda o: (o[1] < start, abs(o[1] - start)))  # the next one, else before
        for other, s, e in others:
            pad = body_indent(lines, s, e, language)
            if pad is None:
                continue
            at = body_start(lines, s, e, language)
            if at is None or at >= e - (language != "python"):
                continue
            new = list(lines)
            if at >= end:
                new.insert(at, pad + comment_line(language, name))
                new = deleted(new, start, end)
            else:
                new = deleted(new, start, end)
                new.insert(at, pad + comment_line(language, name))
            yield Case(f"{repo} {path} {name} (edited {other})", {path: new},
                       f"Clarify {other}", names_unit(RULES_DELETED, name))
            break


KEYWORDS = set("""
and as assert async await break case catch class const continue def default del do elif else
enum except export extends false final finally fn for from func function go goto if impl import in
instanceof interface is lambda let loop match mod mut new nil none nonlocal not null or package
pass pub raise return self static struct super switch this throw throws true try type typeof
unsafe use var void where while with yield int long char short double float bool boolean byte
unsigned signed auto sizeof string str err ok some cls
""".split())


def split_top(text):
    """`text` split at its top-level commas."""
    parts, level, cur = [], 0, ""
    for ch in text:
        if ch in "([{<":
            level += 1
        elif ch in ")]}>":
            level -= 1
        if ch == "," and level == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


def local_names(code_lines, language, name):
    """Parameters and locals the function `name` of `code_lines` (code only) defines."""
    text = "\n".join(code_lines)
    header = re.search(r"\b" + re.escape(name) + r"\s*(<[^()]*>)?\s*\(", text)
    open_at = text.find("(", header.start()) if header else text.find("(")
    close = closing_paren(text, open_at) if open_at >= 0 else None
    params = text[open_at + 1:close] if close else ""
    body = text[close + 1:] if close else text
    names = set()
    parts = [p.strip() for p in split_top(params.replace("\n", " ")) if p.strip()]
    for n, p in enumerate(parts):
        if language == "python":
            m = re.match(r"\**(\w+)", p)
        elif language in ("javascript", "typescript"):
            m = re.match(r"(?:\.\.\.)?(?:(?:public|private|readonly)\s+)*(\w+)", p)
        elif language == "go":
            words = p.split()
            later_typed = any(len(q.split()) >= 2 for q in parts[n + 1:])
            m = re.match(r"(\w+)", p) if len(words) >= 2 or later_typed else None
        elif language == "rust":
            m = re.match(r"(?:mut\s+)?(\w+)\s*:", p)
        else:
            m = re.search(r"(\w+)\s*(?:\[\s*\w*\s*\])*\s*(?:=.*)?$", p)
        if m:
            names.add(m.group(1))
    patterns = {
        "python": [r"^\s*(\w+)\s*(?::[^=\n]+)?=(?!=)", r"^\s*(\w+(?:\s*,\s*\w+)+)\s*=(?!=)",
                   r"\bfor\s+\(?(\w+(?:\s*,\s*\w+)*)\)?\s+in\b", r"\bas\s+(\w+)"],
        "javascript": [r"\b(?:const|let|var)\s+(\w+)"],
        "typescript": [r"\b(?:const|let|var)\s+(\w+)"],
        "go": [r"^\s*(\w+(?:\s*,\s*\w+)*)\s*:=", r"\bvar\s+(\w+)",
               r"\bfor\s+(\w+(?:\s*,\s*\w+)*)\s*:="],
        "rust": [r"\blet\s+(?:mut\s+)?(\w+)", r"\bfor\s+(\w+)\s+in\b"],
    }.get(language, [r"^\s*(?:final\s+|const\s+|unsigned\s+|struct\s+)*[A-Za-z_][\w:.]*"
                     r"(?:<[^;=()]*>)?(?:\[\])*[\s\*&]+(\w+)\s*(?:=(?!=)|;|\[|:)"])
    for pattern in patterns:
        for m in re.finditer(pattern, body, re.MULTILINE):
            names.update(x.strip() for x in m.group(1).split(","))
    # Locals start with a small letter (`let Ok(x) = ..` binds `x`, not `Ok`).
    return {n for n in names if re.fullmatch(r"_*[a-z]\w*", n) and n not in KEYWORDS}


def renamed(lines, language, name):
    """The lines of a function renamed: its name and its parameters and locals get `2`."""
    code = [code_of(x, language) for x in lines]
    names = local_names(code, language, name) | {name}
    whole = "\n".join(lines)
    names = {n for n in names if not re.search(r"\b" + re.escape(n + "2") + r"\b", whole)}
    out = []
    for line in lines:
        for n in sorted(names, key=len, reverse=True):
            # Not a member (`x.n`, `x->n`, `X::n`); a spread (`...n`) is renamed.
            line = re.sub(r"(?<![\w$])(?<!(?<!\.)\.)(?<!->)(?<!::)" + re.escape(n) + r"\b", n + "2",
                          line)
        out.append(line)
    return out


def copy_targets(sources, path, language, tree):
    """Other source files a copy of a function of `path` may go to: the next files of its
    directory (cyclically), then the others after it, then those before; the same extension
    first. Go: only files of its directory and package; Java: only files with a class."""
    here = os.path.dirname(path)
    ordered = sorted(p for p in sources if p != path)
    ordered = [p for p in ordered if p > path] + [p for p in ordered if p < path]
    if language == "go":
        package = next((x for x in tree.lines(path) if x.startswith("package ")), None)
        return [p for p in ordered if os.path.dirname(p) == here
                and next((x for x in tree.lines(p) if x.startswith("package ")), None) == package]
    if language == "java":  # into a class (not an interface or annotation type)
        ordered = [p for p in ordered if any(re.match(r"(public |final |abstract )*class \w", x)
                                             for x in tree.lines(p))]
    ordered = [p for p in ordered if os.path.dirname(p) == here] + \
        [p for p in ordered if os.path.dirname(p) != here]
    ext = os.path.splitext(path)[1]
    return [p for p in ordered if os.path.splitext(p)[1] == ext] + \
        [p for p in ordered if os.path.splitext(p)[1] != ext]


def clone_match(name):
    quoted = re.compile(r"`(?:[\w.:$]+[.:])?" + re.escape(name) + r"`")

    def match(findings):
        for f in findings:
            if f["rule"] != "duplication/clone" or f["severity"] not in LEVELS:
                continue
            existing = ((f.get("evidence") or {}).get("existing") or {}).get("unit", "")
            if re.fullmatch(r"(?:[\w.:$]+[.:])?" + re.escape(name), existing or "") \
                    or quoted.search(f["message"]):
                return True
        return False
    return match


def code_tokens(lines, language):
    """About how many tokens of code the lines hold, a string literal counting as one (the clone
    rule ignores units under 50 normalized tokens)."""
    text = "\n".join(lines)
    if language == "python":
        text = re.sub(r"(\"\"\"|\'\'\')(?:.|\n)*?\1", '""', text)
    else:
        text = re.sub(r"/\*(?:.|\n)*?\*/", "", text)
    if language in ("go", "javascript", "typescript"):
        text = re.sub(r"`(?:\\.|[^`\\])*`", '""', text)
    return sum(len(re.findall(r"\w+|[^\s\w]", code_of(x, language))) for x in text.split("\n"))


def cases_copy(tree, repo):
    language = tree.language
    sources = tree.sources()
    units = []
    for path in sources:
        for name, s, e in tree.functions(path):
            size = e - s
            if (8 <= size <= 40 and not name.lower().startswith("test") and name != "main"
                    and code_tokens(tree.lines(path)[s:e], language) >= 70):
                units.append((path, name, s, e))
    for path, name, s, e in spread(units, key=lambda u: u[0]):
        lines = tree.lines(path)
        if language == "cpp":  # the template header goes with the function
            t = s - 1
            while t > s - 6 and t > 0 and lines[t][:1] in (" ", "\t"):
                t -= 1
            if t >= 0 and lines[t].startswith("template"):
                s = t
        body = lines[s:e]
        if language == "python":
            while body and not code_of(body[-1], language).strip():
                body.pop()
        targets = copy_targets(sources, path, language, tree)
        if not targets:
            continue
        target = targets[0]
        copy = renamed(body, language, name)
        old = tree.lines(target)
        if language == "java":
            last = max((i for i, x in enumerate(old) if x.rstrip() == "}"), default=None)
            if last is None:
                continue
            member = next((m.group(1) for m in map(JAVA_METHOD.match, old) if m), "  ")
            base = indent(copy[0])
            copy = [member + x[base:] if x.strip() else "" for x in copy]
            new = old[:last] + [""] + copy + old[last:]
        else:
            tail = list(old)
            trailing = tail and tail[-1] == ""
            while tail and not tail[-1].strip():
                tail.pop()
            gap = ["", ""] if language == "python" else [""]
            new = tail + gap + copy + ([""] if trailing else [])
        yield Case(f"{repo} {path} {name} -> {target}", {target: new},
                   f"Add a helper for {os.path.basename(target)}", clone_match(name))


KINDS = {
    "deleted-unit-used-elsewhere": lambda t, r: cases_deleted_unit(t, r, False, "Tidy up {file}"),
    "removed-test": lambda t, r: cases_deleted_unit(t, r, True, "Speed up the test suite"),
    "removed-guard": lambda t, r: cases_guard(t, r, False),
    "removed-guard-branch": lambda t, r: cases_guard(t, r, True),
    "deleted-unit-in-edited-file": cases_edited_file,
    "renamed-copy": cases_copy,
}


# ---- running ----------------------------------------------------------------------------------

def findings_of(agate, work):
    """The findings of `agate check --commit HEAD`, or None when agate failed."""
    try:
        proc = subprocess.run([agate, "check", "--commit", "HEAD", "-C", work, "--format",
                               "json", "--fail-on", "never"], capture_output=True, text=True)
    except OSError:  # the binary is being rebuilt
        return None
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)["findings"]


def evaluate_project(agate, repo, mirror, language, head):
    """(lines to print, {(kind, language): [found, made]}) of one project."""
    out, tally = [], defaultdict(lambda: [0, 0])
    tmp = tempfile.mkdtemp(prefix="agate-inject-")
    try:
        work = os.path.join(tmp, "w")
        subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", mirror, work],
                       check=True)
        git(work, "checkout", "-q", head)
        git(work, "config", "user.email", "dev@example.com")
        git(work, "config", "user.name", "Dev")
        git(work, "config", "commit.gpgsign", "false")
        tree = Tree(work, language, head)
        for kind, make in KINDS.items():
            made = 0
            for case in make(tree, repo):
                if made == PER_KIND:
                    break
                git(work, "checkout", "-q", head)
                for path, lines in case.edits.items():
                    with open(os.path.join(work, path), "w", encoding="utf-8") as f:
                        f.write("\n".join(lines))
                git(work, "commit", "-q", "-a", "-m", case.message)
                made += 1
                findings = findings_of(agate, work)
                hit = findings is not None and case.match(findings)
                tally[(kind, language)][0] += hit
                tally[(kind, language)][1] += 1
                if not hit:
                    failed = " (agate failed)" if findings is None else ""
                    out.append(f"   missed {kind}: {case.where}{failed}")
            if made == 0:
                out.append(f"   none made of {kind}: {repo} ({language}) has no candidate")
            git(work, "checkout", "-q", head)
        tree.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out, tally


def read_recall(path):
    """{(kind, language): (minimum found, made)} of recall.tsv."""
    if not os.path.exists(path):
        return {}
    return {(k, lang): (int(found), int(made))
            for k, lang, found, made in eval_history.read_tsv(path)}


def write_recall(path, tally, revision):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Recall of agate on the defects bench/eval_history_inject.py injects into the\n"
                "# copies of tests/eval/history/projects.tsv: kind, language (`*`: all languages\n"
                "# pooled), the minimum number found, the number made. The minimums are what the\n"
                f"# build of {revision} reaches, so a drop below one is a regression\n"
                "# (`bench/eval_history_inject.py --check`); rewrite with --write-baseline.\n")
        f.write("# kind\tlanguage\tminimum found\tmade\n")
        for (kind, language), (found, made) in sorted(
                tally.items(), key=lambda kv: (list(KINDS).index(kv[0][0]), kv[0][1])):
            f.write(f"{kind}\t{language}\t{found}\t{made}\n")


def regressions(tally, recorded, complete):
    """(the drops below the recorded minimums, rows not compared), as sentences. A row is compared
    only when as many defects were made as recorded (the same copies, the same injector); a pooled
    row only when every project was evaluated."""
    problems, skipped = [], []
    for (kind, language), (minimum, made_then) in sorted(recorded.items()):
        found, made = tally.get((kind, language), (0, 0))
        if made == 0 or (language == "*" and not complete):
            continue  # not measured here (a copy is absent, or --project)
        if made != made_then:
            skipped.append(f"{kind} {language}: {made} made, {made_then} recorded (not compared; "
                           f"rewrite the file with --write-baseline if the injector changed)")
        elif found < minimum:
            problems.append(f"{kind} {language}: {found} of {made} found, the recorded minimum "
                            f"is {minimum}")
    return problems, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agate", default=os.path.join(eval_history.ROOT, "build", "agate"))
    parser.add_argument("--mirrors", default=eval_history.default_mirrors())
    parser.add_argument("--projects",
                        default=os.path.join(eval_history.HISTORY, "projects.tsv"))
    parser.add_argument("--recall", default=os.path.join(eval_history.HISTORY, "recall.tsv"))
    parser.add_argument("--project", action="append", help="only this owner/name (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="projects evaluated at once")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="exit 1 when a recall drops below tests/eval/history/recall.tsv")
    mode.add_argument("--write-baseline", action="store_true",
                      help="write tests/eval/history/recall.tsv from this run")
    args = parser.parse_args()

    projects = eval_history.load_projects(args.projects)
    if args.project:
        projects = {r: e for r, e in projects.items() if r in args.project}
    present = {}
    for repo in projects:
        mirror = eval_history.mirror_of(args.mirrors, repo)
        if mirror is not None:
            present[repo] = mirror
    if not present:
        print(f"no project copy is present under {args.mirrors}: nothing injected")
        return 0
    if not os.access(args.agate, os.X_OK):
        print(f"no agate binary at {args.agate} (build it, or pass --agate)")
        return 2
    if args.write_baseline and (args.project or len(present) < len(projects)):
        print("--write-baseline needs every project of projects.tsv (no --project, every copy)")
        return 2
    for repo in projects:
        if repo not in present:
            print(f"skipped {repo}: no copy under {args.mirrors}")
    started = time.perf_counter()
    tally = defaultdict(lambda: [0, 0])  # (kind, language) -> [found, made]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [(repo, pool.submit(evaluate_project, args.agate, repo, mirror,
                                      projects[repo]["language"],
                                      projects[repo]["commits"][-1][0]))
                   for repo, mirror in present.items()]
        for repo, future in futures:
            out, part = future.result()
            print(f"{repo}:", flush=True)
            for line in out:
                print(line, flush=True)
            for key, (found, made) in part.items():
                tally[key][0] += found
                tally[key][1] += made
                tally[(key[0], "*")][0] += found
                tally[(key[0], "*")][1] += made
    seconds = time.perf_counter() - started
    print(f"recall per kind and language (found / made), agate {args.agate}, "
          f"{len(present)} of {len(projects)} projects:")
    for kind in KINDS:
        for (k, language), (found, made) in sorted(tally.items()):
            if k == kind:
                print(f"  {kind:28s} {language:11s} {found}/{made}  {found / made:.2f}")
    print(f"{seconds:.0f} s, {args.jobs} projects at once, machine: {os.cpu_count()} cores")
    if args.write_baseline:
        revision = subprocess.run(["git", "-C", eval_history.ROOT, "describe", "--always",
                                   "--dirty"], capture_output=True, text=True).stdout.strip()
        write_recall(args.recall, tally, f"{revision or '?'} on {time.strftime('%Y-%m-%d')}")
        print(f"wrote {os.path.relpath(args.recall, eval_history.ROOT)}")
    if args.check:
        recorded = read_recall(args.recall)
        if not recorded:
            print(f"no recorded recall in {args.recall}: nothing to compare")
            return 1
        complete = not args.project and len(present) == len(projects)
        problems, skipped = regressions(tally, recorded, complete)
        for key in sorted(set(tally) - set(recorded)):
            print(f"note: {key[0]} {key[1]} is not in {os.path.basename(args.recall)}")
        for line in skipped:
            print(f"note: {line}")
        for p in problems:
            print(f"REGRESSION: {p}")
        if problems:
            return 1
        print(f"recall at or above {os.path.relpath(args.recall, eval_history.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
