// Support for the tests of the release artifacts; see package_support.hpp.
#include "tests/package/package_support.hpp"

#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <iostream>

namespace agate::test {

namespace {

// The first file in dist/ whose name starts with `prefix` and ends with `suffix`.
std::optional<fs::path> dist_file(const std::string& prefix, const std::string& suffix) {
  if (!fs::is_directory(dist_dir())) {
    return std::nullopt;
  }
  for (const auto& entry : fs::directory_iterator(dist_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(suffix)) {
      return entry.path();
    }
  }
  return std::nullopt;
}

} // namespace

fs::path dist_dir() {
  return fs::path(AGATE_SOURCE_DIR) / "dist";
}

std::optional<fs::path> release_tarball() {
  return dist_file("agate-", "-linux-" + trimmed(run({"uname", "-m"}).out) + ".tar.gz");
}

std::optional<fs::path> release_deb() {
  return dist_file("agate_", ".deb");
}

std::optional<fs::path> release_tarball_or_skip() {
  auto tarball = release_tarball();
  if (!tarball) {
    skip(k_no_release);
  }
  return tarball;
}

void skip(const std::string& why) {
  std::cout << "agate-package-skip: " << why << std::endl;
}

fs::path unpack(const fs::path& tarball, const fs::path& into) {
  fs::create_directories(into);
  auto untar = run({"tar", "-xzf", tarball.string(), "-C", into.string()});
  REQUIRE_MESSAGE(untar.exit_code == 0, untar.err);
  const std::string name = tarball.filename().string();
  fs::path tree = into / name.substr(0, name.size() - std::string(".tar.gz").size());
  REQUIRE(fs::is_regular_file(tree / "bin/agate"));
  return tree;
}

} // namespace agate::test
