// Declared dependencies, read from a project's manifests: package.json (npm), requirements*.txt
// and pyproject.toml (PyPI), go.mod (Go modules), Cargo.toml (crates.io), pom.xml and
// build.gradle[.kts] (Maven), CMakeLists.txt, vcpkg.json and conanfile.txt/.py (C and C++).
//
// The library-logic analyzer asks "does this project already depend on X?" before it tells a
// change to use X instead of a hand-written copy. The readers are deliberately forgiving and
// small (no TOML or XML library): a manifest that cannot be read gives no dependencies, never
// an error, because a broken manifest is another tool's business. Names are normalized per
// ecosystem so that rules can name packages the way their registries do: PyPI names follow
// PEP 503 (lower case, runs of `-_.` become `-`), crates fold `_` into `-`, Go module paths
// drop a major-version suffix (`/v4`), Maven names are `group:artifact`, C and C++ names
// (find_package, vcpkg, conan) are lower case.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::analyzers {

enum class Ecosystem { npm, pypi, go, cargo, maven, cpp };

std::string_view to_string(Ecosystem ecosystem); // "npm", "pypi", "go", "cargo", "maven", "cpp"
std::optional<Ecosystem> parse_ecosystem(std::string_view text);
// The ecosystem whose packages code in `language_id` uses ("python" -> pypi); nullopt if none.
std::optional<Ecosystem> ecosystem_for_language(std::string_view language_id);

// A package name as the ecosystem compares it (see the top of this file).
std::string normalize_package_name(Ecosystem ecosystem, std::string_view name);

struct Dependency {
  Ecosystem ecosystem = Ecosystem::npm;
  std::string name;     // normalized
  std::string manifest; // repository-relative path of the manifest that declares it
};

// True for the file names read here (any directory): package.json, requirements*.txt,
// requirements/*.txt, pyproject.toml, go.mod, Cargo.toml, pom.xml, build.gradle(.kts),
// CMakeLists.txt, vcpkg.json, conanfile.txt, conanfile.py.
bool is_manifest_path(std::string_view path);

// The dependencies `content` declares, when `path` names a manifest (else none).
std::vector<Dependency> read_manifest(std::string_view path, std::string_view content);

// The dependencies of a whole tree, looked up by ecosystem and name.
class DeclaredDependencies {
public:
  void add(std::vector<Dependency> dependencies);
  // The first declaration of `name` (normalized here) in `ecosystem`, or nullptr. For Maven, a
  // name without a group (`jedis`) matches any group's artifact of that name.
  const Dependency* find(Ecosystem ecosystem, std::string_view name) const;
  std::size_t size() const { return m_dependencies.size(); }
  const std::vector<Dependency>& all() const { return m_dependencies; }

private:
  std::vector<Dependency> m_dependencies;
};

} // namespace agate::analyzers
