// Language detection: by file name and extension, shebang line and .gitattributes linguist
// name; and the flags that keep files out of review: lock files, vendored paths, generated
// markers.
#include "analyzers/syntax/language.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace agate::syntax;

namespace {

std::string id_for_path(const std::string& path) {
  const Language* language = language_for_path(path);
  return language == nullptr ? "none" : std::string(language->id);
}

std::string id_for_shebang(const std::string& line) {
  const Language* language = language_for_shebang(line);
  return language == nullptr ? "none" : std::string(language->id);
}

std::string id_for_linguist(const std::string& name) {
  const Language* language = language_for_linguist(name);
  return language == nullptr ? "none" : std::string(language->id);
}

} // namespace

TEST_CASE("language detection: by extension and file name") {
  CHECK(id_for_path("src/app.py") == "python");
  CHECK(id_for_path("stubs/types.pyi") == "python");
  CHECK(id_for_path("SConstruct") == "python");
  CHECK(id_for_path("build/SConscript") == "python");
  CHECK(id_for_path("web/index.js") == "javascript");
  CHECK(id_for_path("web/esm.mjs") == "javascript");
  CHECK(id_for_path("web/legacy.cjs") == "javascript");
  CHECK(id_for_path("web/App.jsx") == "javascript");
  CHECK(id_for_path("src/server.ts") == "typescript");
  CHECK(id_for_path("src/config.mts") == "typescript");
  CHECK(id_for_path("src/Button.tsx") == "tsx");
  CHECK(id_for_path("cmd/main.go") == "go");
  CHECK(id_for_path("src/lib.rs") == "rust");
  CHECK(id_for_path("src/main/java/App.java") == "java");
  CHECK(id_for_path("lib/list.c") == "c");
  CHECK(id_for_path("include/list.h") == "c");
  CHECK(id_for_path("src/matrix.cpp") == "cpp");
  CHECK(id_for_path("src/matrix.cc") == "cpp");
  CHECK(id_for_path("include/matrix.hpp") == "cpp");
  CHECK(id_for_path("include/matrix.hxx") == "cpp");
  // Extensions are case-insensitive; names without a known extension are unknown.
  CHECK(id_for_path("LEGACY/MAIN.C") == "c");
  CHECK(id_for_path("Script.PY") == "python");
  CHECK(id_for_path("README.md") == "none");
  CHECK(id_for_path("Makefile") == "none");
  CHECK(id_for_path("bin/run") == "none");
  CHECK(id_for_path(".py") == "none");          // a dot file, not a Python file
  CHECK(id_for_path("dir.py/notes") == "none"); // the directory's extension does not count
  CHECK(id_for_path("archive.tar.gz") == "none");
}

TEST_CASE("language detection: by shebang") {
  CHECK(id_for_shebang("#!/usr/bin/env python3") == "python");
  CHECK(id_for_shebang("#!/usr/bin/python3.11") == "python");
  CHECK(id_for_shebang("#!/usr/bin/python") == "python");
  CHECK(id_for_shebang("#! /usr/local/bin/python2.7") == "python");
  CHECK(id_for_shebang("#!/usr/bin/env -S node --flag") == "javascript");
  CHECK(id_for_shebang("#!/usr/bin/env node") == "javascript");
  CHECK(id_for_shebang("#!/usr/bin/nodejs") == "javascript");
  CHECK(id_for_shebang("#!/usr/bin/env -S deno run --allow-net") == "typescript");
  CHECK(id_for_shebang("#!/usr/bin/env ts-node") == "typescript");
  CHECK(id_for_shebang("#!/usr/bin/env PYTHONUNBUFFERED=1 python3 -u") == "python");
  CHECK(id_for_shebang("#!/usr/bin/env python3\r") == "python");
  CHECK(id_for_shebang("#!/usr/bin/env python3\nprint('hi')\n") == "python");
  CHECK(id_for_shebang("#!/bin/sh") == "none");
  CHECK(id_for_shebang("#!/usr/bin/env bash") == "none");
  CHECK(id_for_shebang("#!/usr/bin/env") == "none");
  CHECK(id_for_shebang("#!") == "none");
  CHECK(id_for_shebang("") == "none");
  CHECK(id_for_shebang("# just a comment with python3") == "none");
  CHECK(id_for_shebang("import os") == "none");
  CHECK(id_for_shebang("#!/usr/bin/env pythonista") == "none");
}

TEST_CASE("language detection: by linguist name from .gitattributes") {
  CHECK(id_for_linguist("Python") == "python");
  CHECK(id_for_linguist("python") == "python");
  CHECK(id_for_linguist("JavaScript") == "javascript");
  CHECK(id_for_linguist("TypeScript") == "typescript");
  CHECK(id_for_linguist("TSX") == "tsx");
  CHECK(id_for_linguist("Go") == "go");
  CHECK(id_for_linguist("Rust") == "rust");
  CHECK(id_for_linguist("Java") == "java");
  CHECK(id_for_linguist("C") == "c");
  CHECK(id_for_linguist("C++") == "cpp");
  CHECK(id_for_linguist("Objective-C") == "none");
  CHECK(id_for_linguist("") == "none");
}

TEST_CASE("language detection: lock files") {
  for (const char* path : {"package-lock.json", "web/yarn.lock", "pnpm-lock.yaml", "Cargo.lock",
                           "go.sum", "poetry.lock", "Pipfile.lock", "uv.lock", "Gemfile.lock",
                           "composer.lock", "app/bun.lock", "ios/Podfile.lock", "flake.lock"}) {
    CHECK_MESSAGE(is_lock_file(path), path);
  }
  for (const char* path : {"package.json", "Cargo.toml", "go.mod", "src/lock.py", "locks/x.lock.md",
                           "yarn.lock.bak"}) {
    CHECK_MESSAGE(!is_lock_file(path), path);
  }
}

TEST_CASE("language detection: vendored paths") {
  CHECK(is_vendored_path("vendor/github.com/pkg/errors/errors.go"));
  CHECK(is_vendored_path("web/node_modules/left-pad/index.js"));
  CHECK(is_vendored_path("third_party/zlib/inflate.c"));
  CHECK(is_vendored_path("libs/third-party/json.hpp"));
  CHECK(is_vendored_path("static/bower_components/jquery/jquery.js"));
  // Bundled libraries of C and C++ projects.
  CHECK(is_vendored_path("deps/jemalloc/src/arena.c"));
  CHECK(is_vendored_path("external/googletest/src/gtest.cc"));
  CHECK(is_vendored_path("src/extern/lua/lapi.c"));
  CHECK(is_vendored_path("libs/3rdparty/stb/stb_image.h"));
  CHECK_FALSE(is_vendored_path("src/deps/resolve.js")); // deps/ counts only at the top
  CHECK_FALSE(is_vendored_path("src/vendor.go"));       // a file, not a directory
  CHECK_FALSE(is_vendored_path("src/vendors/list.py")); // not the convention
  CHECK_FALSE(is_vendored_path("vendor"));
  CHECK_FALSE(is_vendored_path("src/main.rs"));
}

TEST_CASE("language detection: a .h header of a C++ project is read as C++") {
  const std::string cpp_header = "// Formatting library for C++\n"
                                 "//\n// Copyright (c) 2012 - present, the authors\n\n"
                                 "#ifndef FMT_BASE_H_\n#define FMT_BASE_H_\n\n"
                                 "#include <stddef.h>\n\nnamespace fmt {\n"
                                 "template <typename T> constexpr auto min_of(T a, T b) -> T {\n"
                                 "  return a < b ? a : b;\n}\n}  // namespace fmt\n#endif\n";
  CHECK(refine_header_language("c", "include/fmt/base.h", cpp_header) == "cpp");
  const std::string c_header = "/* A list for C programs; not a C++ template or a namespace.\n"
                               " * std::list users: see the README. */\n"
                               "#ifndef LIST_H\n#define LIST_H\n#ifdef __cplusplus\n"
                               "extern \"C\" {\n#endif\n"
                               "struct list { struct list *next; };\n"
                               "// a namespace-free C header\n"
                               "void list_push(struct list **head, struct list *item);\n"
                               "#ifdef __cplusplus\n}\n#endif\n#endif\n";
  CHECK(refine_header_language("c", "src/list.h", c_header) == "c");
  CHECK(refine_header_language("c", "src/list.c", cpp_header) == "c"); // only headers
  CHECK(refine_header_language("python", "a.h", cpp_header) == "python");
}

TEST_CASE("language detection: generated markers in the head of a file") {
  CHECK(has_generated_marker("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage pb\n"));
  CHECK(has_generated_marker("# @generated by tool\nx = 1\n"));
  CHECK(has_generated_marker("/* <auto-generated> */\n"));
  CHECK(has_generated_marker("// Generated by the protocol buffer compiler.  DO NOT EDIT!\n"));
  CHECK_FALSE(has_generated_marker("package main\n\nfunc main() {}\n"));
  CHECK_FALSE(has_generated_marker(""));
  // Only the head counts: a marker deep inside a file (a string in the code) does not.
  std::string late(4096, ' ');
  late += "// Code generated by hand\n";
  CHECK_FALSE(has_generated_marker(late));
}
