// Readers for dependency manifests (see manifests.hpp). Each reader is a few lines of line-based
// scanning: manifests are small, and a reader that understands the common forms of a format is
// enough to tell whether a package is declared. Nothing here throws or fails.
#include "analyzers/duplication/manifests.hpp"

#include "gate/util/path_util.hpp"
#include "gate/util/regex.hpp"
#include "gate/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace agate::analyzers {

namespace {

using gate::base_name;

// A pattern written in this file: compiling it cannot fail but for a mistake here.
gate::Regex fixed_regex(std::string_view pattern, bool ignore_case = false) {
  return gate::Regex::compile(pattern, ignore_case).value_or_throw();
}
using gate::lower;
using gate::trim;

std::vector<std::string_view> split_lines(std::string_view content) {
  std::vector<std::string_view> lines;
  while (!content.empty()) {
    auto end = content.find('\n');
    lines.push_back(content.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    content.remove_prefix(end + 1);
  }
  return lines;
}

// The leading name of a PEP 508 requirement ("requests[socks]>=2; python_version<'3'").
std::string requirement_name(std::string_view requirement) {
  requirement = trim(requirement);
  std::size_t n = 0;
  while (n < requirement.size() &&
         (std::isalnum(static_cast<unsigned char>(requirement[n])) || requirement[n] == '-' ||
          requirement[n] == '_' || requirement[n] == '.')) {
    ++n;
  }
  return std::string(requirement.substr(0, n));
}

// The contents of the "..." or '...' strings on a line.
std::vector<std::string> quoted_strings(std::string_view line) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char quote = line[i];
    if (quote != '"' && quote != '\'') {
      continue;
    }
    auto end = line.find(quote, i + 1);
    if (end == std::string_view::npos) {
      break;
    }
    out.emplace_back(line.substr(i + 1, end - i - 1));
    i = end;
  }
  return out;
}

// A TOML section header "[a.b]" or "[[a.b]]": its name, or nullopt for other lines.
std::optional<std::string> toml_section(std::string_view line) {
  line = trim(line);
  if (line.size() < 2 || line.front() != '[') {
    return std::nullopt;
  }
  auto close = line.rfind(']');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  std::string name(trim(line.substr(1, close - 1)));
  if (!name.empty() && name.front() == '[') {
    name = std::string(trim(std::string_view(name).substr(1)));
    if (!name.empty() && name.back() == ']') {
      name.pop_back();
    }
  }
  return name;
}

// The bare or quoted key of a TOML "key = value" line.
std::string toml_key(std::string_view line) {
  line = trim(line);
  auto eq = line.find('=');
  if (eq == std::string_view::npos || line.empty() || line.front() == '#') {
    return {};
  }
  std::string key(trim(line.substr(0, eq)));
  if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'')) {
    key = key.substr(1, key.size() - 2);
  }
  return key;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void read_package_json(std::string_view content, std::vector<std::string>& names) {
  auto doc = nlohmann::json::parse(content, nullptr, false);
  if (!doc.is_object()) {
    return;
  }
  for (const char* section :
       {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    auto it = doc.find(section);
    if (it != doc.end() && it->is_object()) {
      for (const auto& item : it->items()) {
        names.push_back(item.key());
      }
    }
  }
}

void read_requirements_txt(std::string_view content, std::vector<std::string>& names) {
  for (auto line : split_lines(content)) {
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == '-') {
      continue; // comments and options (-r other.txt, -e ., --index-url ...)
    }
    auto name = requirement_name(line);
    if (!name.empty()) {
      names.push_back(name);
    }
  }
}

void read_pyproject(std::string_view content, std::vector<std::string>& names) {
  std::string section;
  bool in_array = false; // inside a dependency array that spans lines
  for (auto line : split_lines(content)) {
    if (auto header = toml_section(line); header && !in_array) {
      section = *header;
      continue;
    }
    auto text = trim(line);
    if (text.empty() || text.front() == '#') {
      continue;
    }
    bool poetry = section.rfind("tool.poetry", 0) == 0 && ends_with(section, "dependencies");
    if (poetry) {
      auto key = toml_key(text);
      if (!key.empty() && lower(key) != "python") {
        names.push_back(key);
      }
      continue;
    }
    bool arrays = section == "project.optional-dependencies" || section == "dependency-groups";
    if (!in_array) {
      auto key = toml_key(text);
      bool dependency_key = (section == "project" && key == "dependencies") ||
                            (arrays && !key.empty()) ||
                            (section == "build-system" && key == "requires");
      if (!dependency_key) {
        continue;
      }
      text = text.substr(text.find('=') + 1);
      in_array = text.find('[') != std::string_view::npos;
    }
    for (const auto& requirement : quoted_strings(text)) {
      auto name = requirement_name(requirement);
      if (!name.empty()) {
        names.push_back(name);
      }
    }
    if (text.find(']') != std::string_view::npos) {
      in_array = false;
    }
  }
}

void read_go_mod(std::string_view content, std::vector<std::string>& names) {
  bool block = false;
  for (auto line : split_lines(content)) {
    auto text = trim(line);
    if (auto comment = text.find("//"); comment != std::string_view::npos) {
      text = trim(text.substr(0, comment));
    }
    if (block) {
      if (text == ")") {
        block = false;
      } else if (!text.empty()) {
        names.emplace_back(text.substr(0, text.find_first_of(" \t")));
      }
      continue;
    }
    if (text.rfind("require", 0) != 0) {
      continue;
    }
    auto rest = trim(text.substr(7));
    if (rest == "(") {
      block = true;
    } else if (!rest.empty()) {
      names.emplace_back(rest.substr(0, rest.find_first_of(" \t")));
    }
  }
}

void read_cargo_toml(std::string_view content, std::vector<std::string>& names) {
  std::string section;
  auto is_dependency_table = [](std::string_view name) {
    return name == "dependencies" || name == "dev-dependencies" || name == "build-dependencies" ||
           name == "workspace.dependencies" ||
           (name.rfind("target.", 0) == 0 &&
            (ends_with(name, ".dependencies") || ends_with(name, "-dependencies")));
  };
  for (auto line : split_lines(content)) {
    if (auto header = toml_section(line)) {
      section = *header;
      // [dependencies.serde] declares serde.
      for (std::string_view table : {"dependencies.", "dev-dependencies.", "build-dependencies.",
                                     "workspace.dependencies."}) {
        if (section.rfind(table, 0) == 0) {
          names.push_back(section.substr(table.size()));
          section.clear();
          break;
        }
      }
      continue;
    }
    if (is_dependency_table(section)) {
      auto key = toml_key(line);
      if (!key.empty()) {
        names.push_back(key);
      }
    }
  }
}

void read_pom(std::string_view content, std::vector<std::string>& names) {
  static const auto dependency = fixed_regex(R"(<dependency>((?s:.*?))</dependency>)");
  static const auto group = fixed_regex(R"(<groupId>\s*([^<\s]+)\s*</groupId>)");
  static const auto artifact = fixed_regex(R"(<artifactId>\s*([^<\s]+)\s*</artifactId>)");
  for (const auto& it : dependency.search_all(content)) {
    const auto body = it.groups[1];
    if (auto a = artifact.search(body)) {
      auto g = group.search(body);
      names.push_back(g ? std::string(g->groups[1]) + ":" + std::string(a->groups[1])
                        : std::string(a->groups[1]));
    }
  }
}

void read_gradle(std::string_view content, std::vector<std::string>& names) {
  static const auto coordinate = fixed_regex(
      R"(\b(?:implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|compile|testCompile|annotationProcessor|kapt)\s*\(?\s*["']([^:"'\s]+):([^:"'\s]+)(?::[^"']*)?["'])");
  for (const auto& it : coordinate.search_all(content)) {
    names.push_back(std::string(it.groups[1]) + ":" + std::string(it.groups[2]));
  }
}

void read_cmake(std::string_view content, std::vector<std::string>& names) {
  static const auto call = fixed_regex(
      R"(\b(find_package|FetchContent_Declare|pkg_check_modules|pkg_search_module|CPMAddPackage|CPMFindPackage)\s*\(([^)]*)\))",
      true);
  for (const auto& it : call.search_all(content)) {
    std::string command = lower(it.groups[1]);
    std::istringstream words{std::string(it.groups[2])};
    std::vector<std::string> args;
    for (std::string word; words >> word;) {
      args.push_back(word);
    }
    if (args.empty()) {
      continue;
    }
    if (command == "find_package" || command == "fetchcontent_declare") {
      names.push_back(args[0]);
    } else if (command == "pkg_check_modules" || command == "pkg_search_module") {
      // pkg_check_modules(PREFIX [REQUIRED] [QUIET] [IMPORTED_TARGET] module>=1.0 ...)
      for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "REQUIRED" || args[i] == "QUIET" || args[i] == "IMPORTED_TARGET" ||
            args[i] == "GLOBAL" || args[i] == "NO_CMAKE_PATH" ||
            args[i] == "NO_CMAKE_ENVIRONMENT_PATH") {
          continue;
        }
        auto name = args[i].substr(0, args[i].find_first_of("<>="));
        if (!name.empty()) {
          names.push_back(name);
        }
      }
    } else {
      // CPMAddPackage("gh:owner/name@1.0") or CPMAddPackage(NAME name ...)
      for (std::size_t i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == "NAME") {
          names.push_back(args[i + 1]);
        }
      }
      std::string first = args[0];
      first.erase(std::remove(first.begin(), first.end(), '"'), first.end());
      if (auto colon = first.find(':'); colon != std::string::npos && args[0] != "NAME") {
        auto repo = first.substr(colon + 1);
        repo = repo.substr(0, repo.find('@'));
        names.push_back(repo.substr(repo.rfind('/') + 1));
      }
    }
  }
}

void read_vcpkg(std::string_view content, std::vector<std::string>& names) {
  auto doc = nlohmann::json::parse(content, nullptr, false);
  if (!doc.is_object() || !doc.contains("dependencies") || !doc["dependencies"].is_array()) {
    return;
  }
  for (const auto& item : doc["dependencies"]) {
    if (item.is_string()) {
      names.push_back(item.get<std::string>());
    } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
      names.push_back(item["name"].get<std::string>());
    }
  }
}

void read_conanfile_txt(std::string_view content, std::vector<std::string>& names) {
  std::string section;
  for (auto line : split_lines(content)) {
    if (auto header = toml_section(line)) {
      section = *header;
      continue;
    }
    auto text = trim(line);
    if (!text.empty() && text.front() != '#' &&
        (section == "requires" || section == "build_requires" || section == "tool_requires" ||
         section == "test_requires")) {
      names.emplace_back(text.substr(0, text.find('/')));
    }
  }
}

void read_conanfile_py(std::string_view content, std::vector<std::string>& names) {
  for (auto line : split_lines(content)) {
    if (line.find("requires") == std::string_view::npos) {
      continue;
    }
    for (const auto& text : quoted_strings(line)) {
      auto slash = text.find('/');
      if (slash != std::string::npos && slash > 0) {
        names.push_back(text.substr(0, slash));
      }
    }
  }
}

} // namespace

std::string_view to_string(Ecosystem ecosystem) {
  switch (ecosystem) {
  case Ecosystem::npm:
    return "npm";
  case Ecosystem::pypi:
    return "pypi";
  case Ecosystem::go:
    return "go";
  case Ecosystem::cargo:
    return "cargo";
  case Ecosystem::maven:
    return "maven";
  case Ecosystem::cpp:
    return "cpp";
  }
  return "npm";
}

std::optional<Ecosystem> parse_ecosystem(std::string_view text) {
  for (auto e : {Ecosystem::npm, Ecosystem::pypi, Ecosystem::go, Ecosystem::cargo, Ecosystem::maven,
                 Ecosystem::cpp}) {
    if (to_string(e) == text) {
      return e;
    }
  }
  return std::nullopt;
}

std::optional<Ecosystem> ecosystem_for_language(std::string_view language_id) {
  if (language_id == "python") {
    return Ecosystem::pypi;
  }
  if (language_id == "javascript" || language_id == "typescript" || language_id == "tsx") {
    return Ecosystem::npm;
  }
  if (language_id == "go") {
    return Ecosystem::go;
  }
  if (language_id == "rust") {
    return Ecosystem::cargo;
  }
  if (language_id == "java" || language_id == "kotlin") {
    return Ecosystem::maven;
  }
  if (language_id == "c" || language_id == "cpp") {
    return Ecosystem::cpp;
  }
  return std::nullopt;
}

std::string normalize_package_name(Ecosystem ecosystem, std::string_view name) {
  std::string out(trim(name));
  switch (ecosystem) {
  case Ecosystem::pypi: {
    std::string folded;
    for (char c : lower(out)) {
      bool separator = c == '-' || c == '_' || c == '.';
      if (separator) {
        if (folded.empty() || folded.back() != '-') {
          folded.push_back('-');
        }
      } else {
        folded.push_back(c);
      }
    }
    return folded;
  }
  case Ecosystem::cargo:
    out = lower(out);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
  case Ecosystem::go: {
    // github.com/redis/go-redis/v9 -> github.com/redis/go-redis
    auto slash = out.rfind("/v");
    if (slash != std::string::npos && slash + 2 < out.size() &&
        out.find_first_not_of("0123456789", slash + 2) == std::string::npos) {
      out.erase(slash);
    }
    return out;
  }
  case Ecosystem::cpp:
    return lower(out);
  case Ecosystem::npm:
  case Ecosystem::maven:
    return out;
  }
  return out;
}

bool is_manifest_path(std::string_view path) {
  auto name = base_name(path);
  if (name == "package.json" || name == "pyproject.toml" || name == "go.mod" ||
      name == "Cargo.toml" || name == "pom.xml" || name == "build.gradle" ||
      name == "build.gradle.kts" || name == "CMakeLists.txt" || name == "vcpkg.json" ||
      name == "conanfile.txt" || name == "conanfile.py") {
    return true;
  }
  if (!ends_with(name, ".txt")) {
    return false;
  }
  if (name.rfind("requirements", 0) == 0) {
    return true;
  }
  // requirements/base.txt
  auto dir = path.substr(0, path.size() - name.size());
  return ends_with(dir, "requirements/");
}

std::vector<Dependency> read_manifest(std::string_view path, std::string_view content) {
  if (!is_manifest_path(path)) {
    return {};
  }
  auto name = base_name(path);
  std::vector<std::string> names;
  Ecosystem ecosystem = Ecosystem::npm;
  if (name == "package.json") {
    read_package_json(content, names);
  } else if (name == "pyproject.toml") {
    ecosystem = Ecosystem::pypi;
    read_pyproject(content, names);
  } else if (name == "go.mod") {
    ecosystem = Ecosystem::go;
    read_go_mod(content, names);
  } else if (name == "Cargo.toml") {
    ecosystem = Ecosystem::cargo;
    read_cargo_toml(content, names);
  } else if (name == "pom.xml") {
    ecosystem = Ecosystem::maven;
    read_pom(content, names);
  } else if (name == "build.gradle" || name == "build.gradle.kts") {
    ecosystem = Ecosystem::maven;
    read_gradle(content, names);
  } else if (name == "CMakeLists.txt") {
    ecosystem = Ecosystem::cpp;
    read_cmake(content, names);
  } else if (name == "vcpkg.json") {
    ecosystem = Ecosystem::cpp;
    read_vcpkg(content, names);
  } else if (name == "conanfile.txt") {
    ecosystem = Ecosystem::cpp;
    read_conanfile_txt(content, names);
  } else if (name == "conanfile.py") {
    ecosystem = Ecosystem::cpp;
    read_conanfile_py(content, names);
  } else {
    ecosystem = Ecosystem::pypi;
    read_requirements_txt(content, names);
  }
  std::vector<Dependency> out;
  for (const auto& n : names) {
    auto normalized = normalize_package_name(ecosystem, n);
    if (!normalized.empty()) {
      out.push_back({ecosystem, std::move(normalized), std::string(path)});
    }
  }
  return out;
}

void DeclaredDependencies::add(std::vector<Dependency> dependencies) {
  for (auto& d : dependencies) {
    m_dependencies.push_back(std::move(d));
  }
}

const Dependency* DeclaredDependencies::find(Ecosystem ecosystem, std::string_view name) const {
  auto wanted = normalize_package_name(ecosystem, name);
  bool any_group = ecosystem == Ecosystem::maven && wanted.find(':') == std::string::npos;
  for (const auto& d : m_dependencies) {
    if (d.ecosystem != ecosystem) {
      continue;
    }
    if (d.name == wanted) {
      return &d;
    }
    if (any_group && ends_with(d.name, ":" + wanted)) {
      return &d;
    }
  }
  return nullptr;
}

} // namespace agate::analyzers
