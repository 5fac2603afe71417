// The language table and the lookups by path, shebang and linguist name. Adding a language is one
// row here, one grammar in CMakeLists.txt/third_party/package.json and one rules/languages/*.scm.
#include "analyzers/syntax/language.hpp"
#include "gate/util/path_util.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

extern "C" {
const TSLanguage* tree_sitter_python();
const TSLanguage* tree_sitter_javascript();
const TSLanguage* tree_sitter_typescript();
const TSLanguage* tree_sitter_tsx();
const TSLanguage* tree_sitter_go();
const TSLanguage* tree_sitter_rust();
const TSLanguage* tree_sitter_java();
const TSLanguage* tree_sitter_c();
const TSLanguage* tree_sitter_cpp();
}

namespace agate::syntax {

namespace {

using gate::lower;

using gate::base_name;

} // namespace

const std::vector<Language>& languages() {
  static const std::vector<Language> table = {
      {"python",
       "Python",
       tree_sitter_python,
       {"py", "pyi", "pyw"},
       {"SConstruct", "SConscript"},
       {"python", "python2", "python3"},
       {"python"}},
      {"javascript",
       "JavaScript",
       tree_sitter_javascript,
       {"js", "mjs", "cjs", "jsx"},
       {},
       {"node", "nodejs"},
       {"javascript", "js", "jsx"}},
      {"typescript",
       "TypeScript",
       tree_sitter_typescript,
       {"ts", "mts", "cts"},
       {},
       {"ts-node", "tsx", "deno"},
       {"typescript", "ts"}},
      {"tsx", "TSX", tree_sitter_tsx, {"tsx"}, {}, {}, {"tsx"}},
      {"go", "Go", tree_sitter_go, {"go"}, {}, {}, {"go", "golang"}},
      {"rust", "Rust", tree_sitter_rust, {"rs"}, {}, {}, {"rust"}},
      {"java", "Java", tree_sitter_java, {"java"}, {}, {}, {"java"}},
      {"c", "C", tree_sitter_c, {"c", "h"}, {}, {"tcc"}, {"c"}},
      {"cpp",
       "C++",
       tree_sitter_cpp,
       {"cc", "cpp", "cxx", "c++", "hh", "hpp", "hxx", "h++", "ipp", "tpp", "inl"},
       {},
       {},
       {"c++", "cpp"}},
  };
  return table;
}

bool allows_overloading(std::string_view id) {
  return id == "cpp" || id == "java";
}

const Language* find_language(std::string_view id) {
  for (const auto& language : languages()) {
    if (language.id == id) {
      return &language;
    }
  }
  return nullptr;
}

const Language* language_for_path(std::string_view path) {
  auto name = base_name(path);
  for (const auto& language : languages()) {
    for (auto file_name : language.file_names) {
      if (name == file_name) {
        return &language;
      }
    }
  }
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return nullptr;
  }
  auto ext = lower(name.substr(dot + 1));
  for (const auto& language : languages()) {
    for (auto e : language.extensions) {
      if (ext == e) {
        return &language;
      }
    }
  }
  return nullptr;
}

const Language* language_for_shebang(std::string_view first_line) {
  if (first_line.substr(0, 2) != "#!") {
    return nullptr;
  }
  // Callers may pass the head of the file: only its first line is the shebang.
  first_line = first_line.substr(0, first_line.find('\n'));
  // "#!/usr/bin/env -S python3 -u" -> "python3"; "#!/usr/bin/python3.11" -> "python3.11"
  std::string_view rest = first_line.substr(2);
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && std::isspace(static_cast<unsigned char>(rest[i]))) {
      ++i;
    }
    std::size_t start = i;
    while (i < rest.size() && !std::isspace(static_cast<unsigned char>(rest[i]))) {
      ++i;
    }
    if (i > start) {
      words.push_back(rest.substr(start, i - start));
    }
  }
  std::string_view program;
  for (std::size_t w = 0; w < words.size(); ++w) {
    auto name = base_name(words[w]);
    if (w == 0 && name == "env") {
      continue;
    }
    if (!words[w].empty() && words[w][0] == '-') {
      continue; // env options such as -S
    }
    if (name.find('=') != std::string_view::npos) {
      continue; // env VAR=value
    }
    program = name;
    break;
  }
  if (program.empty()) {
    return nullptr;
  }
  // Strip a version suffix: python3.11 -> python3 -> python
  std::string prog(program);
  for (const auto& language : languages()) {
    for (auto interpreter : language.interpreters) {
      if (prog == interpreter) {
        return &language;
      }
    }
  }
  while (!prog.empty() &&
         (std::isdigit(static_cast<unsigned char>(prog.back())) || prog.back() == '.')) {
    prog.pop_back();
    for (const auto& language : languages()) {
      for (auto interpreter : language.interpreters) {
        if (prog == interpreter) {
          return &language;
        }
      }
    }
  }
  return nullptr;
}

const Language* language_for_linguist(std::string_view name) {
  auto wanted = lower(name);
  for (const auto& language : languages()) {
    for (auto l : language.linguist_names) {
      if (wanted == l) {
        return &language;
      }
    }
  }
  return nullptr;
}

bool is_test_path(std::string_view path) {
  auto segments = gate::split_path(path);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto segment = std::string(segments[i]);
    const auto l = lower(segment);
    if (i + 1 < segments.size()) {
      if (l == "test" || l == "tests" || l == "spec" || l == "specs" || l == "__tests__" ||
          l == "testing" || l == "testdata") {
        return true;
      }
      continue;
    }
    auto dot = segment.find('.');
    const auto name = dot == std::string::npos ? segment : segment.substr(0, dot);
    if (l.starts_with("test_") || l.starts_with("test.") || l.starts_with("conftest.") ||
        name.ends_with("_test") || name.ends_with("Test") || name.ends_with("Tests") ||
        name.ends_with("_spec") || l.find(".test.") != std::string::npos ||
        l.find(".spec.") != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool is_lock_file(std::string_view path) {
  static const std::array<std::string_view, 22> names = {"package-lock.json",
                                                         "npm-shrinkwrap.json",
                                                         "yarn.lock",
                                                         "pnpm-lock.yaml",
                                                         "bun.lockb",
                                                         "bun.lock",
                                                         "deno.lock",
                                                         "Cargo.lock",
                                                         "go.sum",
                                                         "go.work.sum",
                                                         "poetry.lock",
                                                         "Pipfile.lock",
                                                         "uv.lock",
                                                         "pdm.lock",
                                                         "composer.lock",
                                                         "Gemfile.lock",
                                                         "mix.lock",
                                                         "pubspec.lock",
                                                         "packages.lock.json",
                                                         "gradle.lockfile",
                                                         "flake.lock",
                                                         "Podfile.lock"};
  auto name = base_name(path);
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_vendored_path(std::string_view path) {
  // Anywhere in the path (linguist's vendor list): dependency folders by their conventional
  // names. `deps/` only at the top, where C projects keep their bundled libraries (a deps/ deeper
  // down is as often a project's own dependency-handling code).
  static const std::array<std::string_view, 9> dirs = {
      "vendor",   "third_party", "third-party",  "thirdparty",      "3rdparty",
      "external", "extern",      "node_modules", "bower_components"};
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      break; // the last segment is the file itself
    }
    auto segment = path.substr(start, slash - start);
    if (std::find(dirs.begin(), dirs.end(), segment) != dirs.end() ||
        (start == 0 && segment == "deps")) {
      return true;
    }
    start = slash + 1;
  }
  return false;
}

std::string_view refine_header_language(std::string_view id, std::string_view path,
                                        std::string_view text) {
  if (id != "c" || !path.ends_with(".h")) {
    return id;
  }
  const auto head = text.substr(0, std::min(text.size(), header_sniff_bytes));
  static const std::array<std::string_view, 10> markers = {
      "namespace ", "template <", "template<",  "public:", "private:",
      "protected:", "std::",      "constexpr ", "nullptr", "#include <type_traits>"};
  for (auto marker : markers) {
    for (auto pos = head.find(marker); pos != std::string_view::npos;
         pos = head.find(marker, pos + 1)) {
      // Not inside a line comment: the text before it on its line has no "//" or leading "*".
      const auto line_start = head.rfind('\n', pos);
      auto before = head.substr(line_start == std::string_view::npos ? 0 : line_start + 1,
                                pos - (line_start == std::string_view::npos ? 0 : line_start + 1));
      const auto first = before.find_first_not_of(" \t");
      const bool comment = before.find("//") != std::string_view::npos ||
                           (first != std::string_view::npos &&
                            (before[first] == '*' || before.substr(first).starts_with("/*")));
      if (!comment) {
        return "cpp";
      }
    }
  }
  return id;
}

bool has_generated_marker(std::string_view content) {
  // Look only at the head of the file, as linguist does.
  auto head = content.substr(0, std::min<std::size_t>(content.size(), 1024));
  static const std::array<std::string_view, 6> markers = {
      "@generated",
      "Code generated",
      "DO NOT EDIT",
      "<auto-generated",
      "This file was automatically generated",
      "Generated by the protocol buffer compiler"};
  for (auto marker : markers) {
    if (head.find(marker) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

} // namespace agate::syntax
