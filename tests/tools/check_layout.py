#!/usr/bin/env python3
"""Checks that agate's folders are its layers (ARCHITECTURE.md).

Every folder of the program's sources has a rank in LAYERS below. A file may include headers of
its own folder and of folders of a lower rank, never of a higher rank or of another folder of the
same rank, so the folder-level include graph has no cycle and reads bottom-up. The check also
fails when a source folder holds more than MAX_FILES files directly (split it into concepts),
when a folder is not in the table, when a source or document cites a document that is not in
the project, when a rule id is spelled as a string literal outside the rule catalog (the
program names rules with the constants of gate/core/rule_catalog.hpp), and when a C library's
header passes its wall: <git2.h> is included only in gate/git and <gpgme.h> only in gate/signing,
by .cpp files or by headers that no other folder includes.

    python3 tests/tools/check_layout.py [ROOT]

Prints one line per problem and exits 1 when there is any, 0 (with a summary) otherwise.
"""
import os
import re
import sys

# Lowest first. Folders of one rank are siblings: neither may include the other.
LAYERS = [
    ["gate/util"],
    ["analyzers/syntax"],
    ["gate/core"],
    ["gate/git"],
    ["gate/provenance"],
    ["gate/provenance/agents"],
    ["gate/signing"],
    ["analyzers"],
    ["analyzers/deletion", "analyzers/duplication"],
    ["gate/report"],
    ["gate/review", "gate/publish"],
    ["gate/app"],
]

# Folders whose files count towards the size limit (tests and benchmarks too: a test file is
# named after its concept, so a test folder grows with the code it mirrors).
SOURCE_ROOTS = ["gate", "analyzers", "tests", "bench"]
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".c", ".cc")
MAX_FILES = 25
# Test data, copied from other projects for evaluations: not agate's sources.
NOT_SOURCES = ["tests/eval/corpus", "tests/eval/duplication/corpus", "tests/fixtures"]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
SYSTEM_INCLUDE = re.compile(r"^\s*#\s*include\s+<([^>]+)>", re.MULTILINE)
# C libraries kept behind one folder: (the library's header name without ".h", its folder).
WALLS = [("git2", "gate/git"), ("gpgme", "gate/signing")]
# Documents named in sources and docs: they must exist in the project.
DOC_REFERENCE = re.compile(r"(?<![\w/.-])(docs/[A-Za-z0-9_-]+\.md)\b")
DESIGN_SKETCH = re.compile(r"\bDESIGN\.md\b")
# Project text speaks of the project, not of its tracker: "issue 3", "issue #3".
TRACKER_NOTE = re.compile(r"\b[Ii]ssue #?\d+\b")
# A string literal that is a rule id ("deletion/unrelated"), and the one file pair allowed to
# hold them.
RULE_ID = re.compile(r"(size|deletion|duplication|signature|provenance|suppression)/[a-z][a-z0-9-]*")
RULE_CATALOG = ("gate/core/rule_catalog.hpp", "gate/core/rule_catalog.cpp")


def rank_of():
    ranks = {}
    for rank, folders in enumerate(LAYERS):
        for folder in folders:
            ranks[folder] = rank
    return ranks


def is_data(path):
    return any(path == d or path.startswith(d + "/") for d in NOT_SOURCES)


def source_files(root):
    for top in SOURCE_ROOTS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules",))
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            if is_data(rel_dir):
                dirnames[:] = []
                continue
            for name in sorted(filenames):
                if name.endswith(SOURCE_SUFFIXES):
                    yield rel_dir, name


def check(root):
    problems = []
    ranks = rank_of()
    per_folder = {}
    edges = set()
    for folder, name in source_files(root):
        per_folder[folder] = per_folder.get(folder, 0) + 1
        if not (folder.startswith("gate") or folder.startswith("analyzers")):
            continue
        if folder not in ranks:
            problems.append(f"{folder}: a source folder with no layer (add it to LAYERS in "
                            f"tests/tools/check_layout.py and to ARCHITECTURE.md)")
            continue
        path = f"{folder}/{name}"
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for target in INCLUDE.findall(text):
            if "/" not in target:
                continue  # a file beside it (ts_runtime.c's lib.c)
            target_folder = target.rsplit("/", 1)[0]
            if target_folder == folder:
                continue
            if target_folder not in ranks:
                if os.path.exists(os.path.join(root, target)):
                    problems.append(f"{path}: includes {target}, in a folder with no layer")
                continue
            edges.add((folder, target_folder))
            if ranks[target_folder] > ranks[folder]:
                problems.append(f"{path}: includes {target}: {folder} (layer {ranks[folder]}) "
                                f"may not include the higher layer {target_folder} "
                                f"(layer {ranks[target_folder]})")
            elif ranks[target_folder] == ranks[folder]:
                problems.append(f"{path}: includes {target}: {folder} and {target_folder} are "
                                f"siblings of one layer and may not include each other")
    for folder, count in sorted(per_folder.items()):
        if count > MAX_FILES:
            problems.append(f"{folder}: {count} source files directly inside (at most "
                            f"{MAX_FILES}: split it into folders by concept)")
    for folder in ranks:
        if not os.path.isdir(os.path.join(root, folder)):
            problems.append(f"{folder}: in LAYERS but not in the tree")
    problems += check_document_references(root)
    problems += check_rule_literals(root)
    problems += check_include_walls(root)
    return problems, per_folder, edges


def string_literals(text):
    """The contents of the C/C++ string literals in `text` with their line numbers, comments and
    character literals skipped (raw strings are read up to their closing delimiter)."""
    literals = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
        elif text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = ")" + text[i + 2:open_paren] + '"'
            end = text.find(delimiter, open_paren + 1)
            end = n if end < 0 else end
            literals.append((line, text[open_paren + 1:end]))
            line += text.count("\n", i, end)
            i = end + len(delimiter)
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if c == '"':
                literals.append((line, text[i + 1:j]))
            i = j + 1
        else:
            i += 1
    return literals


def check_rule_literals(root):
    """Rule ids are spelled once, in the rule catalog: elsewhere in gate/ and analyzers/ a string
    literal that is a rule id is an error (use the constants of gate/core/rule_catalog.hpp)."""
    problems = []
    for folder, name in source_files(root):
        path = f"{folder}/{name}"
        if not path.startswith(("gate/", "analyzers/")) or path in RULE_CATALOG:
            continue
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line, literal in string_literals(text):
            if RULE_ID.fullmatch(literal):
                problems.append(f"{path}:{line}: the rule id \"{literal}\" as a string literal "
                                f"(use its constant from gate/core/rule_catalog.hpp)")
    return problems


def check_include_walls(root):
    """A C library's API is one folder's business: outside it, nothing includes the library's
    headers, neither directly nor through a header of that folder that includes them."""
    texts = {}
    for folder, name in source_files(root):
        if folder.startswith(("gate", "analyzers")):
            with open(os.path.join(root, folder, name), encoding="utf-8", errors="replace") as f:
                texts[f"{folder}/{name}"] = f.read()
    problems = []
    for library, owner in WALLS:
        def names_library(header):
            return header == library + ".h" or header.startswith(library + "/")

        # The owner's headers that expose the library, directly or through one another.
        exposing = set()
        changed = True
        while changed:
            changed = False
            for path, text in texts.items():
                if path in exposing or not path.startswith(owner + "/") or \
                        not path.endswith((".hpp", ".h")):
                    continue
                if any(names_library(h) for h in SYSTEM_INCLUDE.findall(text)) or \
                        any(target in exposing for target in INCLUDE.findall(text)):
                    exposing.add(path)
                    changed = True
        for path, text in sorted(texts.items()):
            if path.rsplit("/", 1)[0] == owner:
                continue
            for header in SYSTEM_INCLUDE.findall(text):
                if names_library(header):
                    problems.append(f"{path}: includes <{header}>, which only {owner} may use")
            for target in INCLUDE.findall(text):
                if target in exposing:
                    problems.append(f"{path}: includes {target}, which exposes <{library}.h> "
                                    f"outside {owner} (keep it in {owner}'s .cpp files)")
    return problems


def check_document_references(root):
    """The project stands on its own: no file cites the design sketch it grew from, and every
    `docs/<name>.md` that the program, its scripts or the top-level documents name is in docs/.
    (Tests and docs/ are left out of the second check: their examples name made-up documents.)"""
    problems = []
    roots = ["gate", "analyzers", "tests", "bench", "scripts", "hooks", "docs", "rules", "cmake",
             ".ci"]
    top_files = ["README.md", "ARCHITECTURE.md", "CONTRIBUTING.md", "CMakeLists.txt"]
    candidates = [f for f in top_files if os.path.exists(os.path.join(root, f))]
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
            if is_data(rel_dir) or "node_modules" in rel_dir:
                dirnames[:] = []
                continue
            candidates += [f"{rel_dir}/{name}" for name in filenames]
    for path in sorted(candidates):
        if path == "tests/tools/check_layout.py":
            continue
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        if DESIGN_SKETCH.search(text):
            problems.append(f"{path}: cites DESIGN.md, which is not in the project (what it "
                            f"needs belongs in docs/)")
        if TRACKER_NOTE.search(text):
            problems.append(f"{path}: names a tracker issue ({TRACKER_NOTE.search(text).group(0)}); "
                            f"say what the text means instead")
        if path.startswith(("tests/", "docs/")):
            continue  # fixtures and examples name made-up documents
        for ref in sorted(set(DOC_REFERENCE.findall(text))):
            if not os.path.exists(os.path.join(root, ref)):
                problems.append(f"{path}: cites {ref}, which is not in the project")
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    root = os.path.abspath(root)
    problems, per_folder, edges = check(root)
    for problem in problems:
        print(f"layout: {problem}")
    if problems:
        return 1
    largest = max(per_folder.items(), key=lambda kv: kv[1])
    print(f"layout: {len(rank_of())} layered folders, {len(edges)} folder-level include edges, "
          f"no cycle; largest source folder {largest[0]} ({largest[1]} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
