// The table of languages agate reads with tree-sitter (like difftastic's): id, grammar, how files
// are recognised (extensions, file names, shebang interpreters, linguist names) and the query
// file in rules/languages/<id>.scm that extracts units. Lookup by path, shebang line or
// .gitattributes `linguist-language` value.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

struct TSLanguage;

namespace agate::syntax {

struct Language {
  std::string_view id;            // "python", "javascript", "typescript", "tsx", "go", ...
  std::string_view display_name;  // "Python"
  const TSLanguage* (*grammar)(); // the tree-sitter entry point
  std::vector<std::string_view> extensions;     // without the dot, lower case: "py", "pyi"
  std::vector<std::string_view> file_names;     // exact base names: "SConstruct"
  std::vector<std::string_view> interpreters;   // shebang programs: "python3", "node"
  std::vector<std::string_view> linguist_names; // lower case: "python", "c++"
};

const std::vector<Language>& languages();
const Language* find_language(std::string_view id);

// By the file name or extension; nullptr when unknown.
const Language* language_for_path(std::string_view path);
// By a first line like "#!/usr/bin/env python3"; nullptr when it is not a known shebang.
const Language* language_for_shebang(std::string_view first_line);
// By a .gitattributes linguist-language value ("Python", "C++", "TSX"), case-insensitive.
const Language* language_for_linguist(std::string_view name);

// `.h` is C by its extension, but C++ projects name their headers `.h` too, and reading a C++
// header with the C grammar loses its units (and the deletions in it). Returns "cpp" for a
// `.h` file whose text (its first kilobytes are enough) has C++-only syntax: a namespace, a
// template, a class with access specifiers, `std::`, `constexpr`, `nullptr`, an `extern "C"`
// guard aside; otherwise `id` unchanged.
std::string_view refine_header_language(std::string_view id, std::string_view path,
                                        std::string_view text);
// How much of a `.h` file refine_header_language() needs to see.
inline constexpr std::size_t header_sniff_bytes = 8192;

// Whether one scope of the language may hold several functions of one name told apart by their
// parameters (C++ and Java overloads). Elsewhere, several definitions of one name in one scope
// are alternatives chosen at build or load time (`#[cfg]`, `#ifdef`, an `if` at module level).
bool allows_overloading(std::string_view id);

// Lock files (package-lock.json, yarn.lock, Cargo.lock, go.sum, poetry.lock, ...).
bool is_lock_file(std::string_view path);
// Paths of tests by convention: under a test/, tests/, spec/, specs/, __tests__/, testing/ or
// testdata/ directory, or named test_*, test.*, *_test, *Test, *Tests, *_spec, *.test.*, *.spec.*
// or conftest.*.
bool is_test_path(std::string_view path);
// Paths that are vendored by convention: a vendor/, third_party/, external/, extern/,
// node_modules/ (...) folder anywhere, or deps/ at the top.
bool is_vendored_path(std::string_view path);
// A file's first bytes say it is generated ("@generated", "Code generated ... DO NOT EDIT", ...).
bool has_generated_marker(std::string_view content);

} // namespace agate::syntax
