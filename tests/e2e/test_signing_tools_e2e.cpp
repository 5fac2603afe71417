// `agate verify` on a machine without gpg or without ssh-keygen (a minimal container, a runner
// image without GnuPG): one line on stderr saying which program is missing and that the commits
// signed that way are unverifiable, exit 2, and never a "good" verdict or a passing summary.
// The real binary runs with a PATH that holds git and nothing else.
#include "tests/support/gpg_support.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace {

using namespace agate::test;

// A directory holding only a link to git, for a PATH without gpg and ssh-keygen.
fs::path path_with_only_git(const TempDir& tmp) {
  const fs::path bin = tmp / "only-git";
  fs::create_directories(bin);
  const std::string git = trimmed(run({"sh", "-c", "command -v git"}).out);
  REQUIRE(!git.empty());
  fs::create_symlink(git, bin / "git");
  return bin;
}

RunResult verify_without_tools(const TempDir& tmp, const GitRepo& repo, const std::string& range) {
  RunOptions options;
  options.env = {{"PATH", path_with_only_git(tmp).string()}, {"HOME", tmp.path().string()}};
  return agate::test::agate(repo.dir(), {"verify", range}, options);
}

// agate's answer when `missing` (the message's words for the program) is not there: one line
// that says so and names the `kind` of commits that are unverifiable; no verdict at all.
void check_unverifiable(const RunResult& result, const std::string& missing,
                        const std::string& kind) {
  INFO(result.out << result.err);
  CHECK(result.exit_code == 2);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(result.err.find(missing) != std::string::npos);
  CHECK(result.err.find(kind + "-signed commits are unverifiable") != std::string::npos);
  CHECK(result.out.find("good") == std::string::npos);
  CHECK(result.out.find("passed") == std::string::npos);
}

} // namespace

TEST_CASE("signing tools e2e: without gpg, OpenPGP-signed commits are unverifiable, in one line") {
  TempDir tmp;
  GpgHome gpg;
  const std::string key = gpg.generate_key("Ada Tester <ada@example.com>");
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/ada.asc", gpg.export_key(key));
  const std::string base = repo.commit_all("base");
  commit_signed(repo, gpg, key, "Signed by Ada");
  REQUIRE(agate::test::agate(repo.dir(), {"verify", base + "..HEAD"}).out.find(" good ") !=
          std::string::npos);

  check_unverifiable(verify_without_tools(tmp, repo, base + "..HEAD"), "GnuPG (gpg) was not found",
                     "OpenPGP");
}

TEST_CASE("signing tools e2e: without ssh-keygen, SSH-signed commits are unverifiable, in one "
          "line") {
  TempDir tmp;
  auto ada_key = make_ssh_key(tmp / "ssh", "ada", "ada@example.com");
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/allowed_signers", "ada@example.com " + read_file(ada_key.string() + ".pub"));
  const std::string base = repo.commit_all("base");
  commit_ssh_signed(repo, ada_key, "Signed by Ada over SSH");
  REQUIRE(agate::test::agate(repo.dir(), {"verify", base + "..HEAD"}).out.find(" good ") !=
          std::string::npos);

  check_unverifiable(verify_without_tools(tmp, repo, base + "..HEAD"), "ssh-keygen: not found",
                     "SSH");
}
