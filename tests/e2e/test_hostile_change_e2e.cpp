// End-to-end tests of smaller ways a change could get past the gate or make it misreport, with
// the real binary and real repositories: a policy file that is a symbolic link, a file hidden
// under .agate/prompts/ that is not a record, a commit signed only in a `gpgsig-sha256` header
// of a SHA-1 repository, signer addresses that differ only in case (SSH and OpenPGP must agree),
// and a pushed new branch whose remote has no default branch known.
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using agate::test::GitRepo;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::findings_of;
using agate::test::e2e::parse_report;

// The signature status `agate verify REV` prints (third column).
std::string verify_status(GitRepo& repo, const std::string& rev) {
  auto result = agate_in(repo, {"verify", rev});
  INFO(result.out << result.err);
  std::istringstream line(result.out);
  std::string id, outcome, status;
  line >> id >> outcome >> status;
  return status;
}

} // namespace

TEST_CASE("hostile change e2e: a policy that is a symbolic link is refused, never followed") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("app.py", "def f():\n    return 1\n");
  repo.write("secret.txt", "TOPSECRET-VALUE {\n");
  repo.commit_all("base");
  fs::create_directories(repo.dir() / ".agate");
  fs::create_symlink("../secret.txt", repo.dir() / ".agate/config.json");
  repo.git({"add", "-A"});

  auto staged = agate_in(repo, {"check", "--staged"});
  agate::test::e2e::check_one_line_error(staged);
  CHECK(staged.err.find("symbolic link") != std::string::npos);
  CHECK(staged.err.find("TOPSECRET") == std::string::npos);
  CHECK(staged.out.find("TOPSECRET") == std::string::npos);

  // Committed: the next commit is judged by the policy at its parent, which is the link.
  repo.commit("Link the policy");
  repo.write("app.py", "def f():\n    return 2\n");
  repo.commit_all("change");
  auto committed = agate_in(repo, {"check", "--commit", "HEAD"});
  agate::test::e2e::check_one_line_error(committed);
  CHECK(committed.err.find("symbolic link") != std::string::npos);
  CHECK(committed.err.find("TOPSECRET") == std::string::npos);
}

TEST_CASE("hostile change e2e: a file under .agate/prompts/ that is not a record is reported") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("app.py", "def f():\n    return 1\n");
  repo.commit_all("base");
  repo.write(".agate/prompts/helpers.py", "def validate(token):\n    return True\n");
  repo.write(".agate/prompts/notes.txt", "not json\n");
  repo.commit_all("Add helpers");
  auto result = agate_in(repo, {"check", "--commit", "HEAD", "--format", "json"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  auto invalid = findings_of(parse_report(result), "provenance/invalid-record");
  std::vector<std::string> files;
  for (const auto& finding : invalid) {
    files.push_back(finding.at("file").get<std::string>());
  }
  CHECK(files == std::vector<std::string>{".agate/prompts/helpers.py", ".agate/prompts/notes.txt"});
}

TEST_CASE("hostile change e2e: only a gpgsig-sha256 header in a SHA-1 repository is unsigned, "
          "as git says") {
  agate::test::GpgHome gpg;
  const std::string ada = gpg.generate_key("Ada Tester <ada@example.com>");
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/keys/ada.asc", gpg.export_key(ada));
  repo.commit_all("base");
  agate::test::commit_signed(repo, gpg, ada, "Signed");
  CHECK(verify_status(repo, "HEAD") == "good");
  // The same signature moved to the header git ignores in a SHA-1 repository.
  auto moved = agate::test::rewrite_head(repo, [](std::string raw) {
    return raw.replace(raw.find("\ngpgsig "), 8, "\ngpgsig-sha256 ");
  });
  auto git_verdict = repo.git_result({"verify-commit", moved});
  CHECK(git_verdict.exit_code != 0);
  CHECK(verify_status(repo, moved) == "unsigned");
  auto checked = agate_in(repo, {"check", "--commit", moved, "--format", "json"});
  CHECK(findings_of(parse_report(checked), "signature/bad").empty());
}

TEST_CASE("hostile change e2e: SSH and OpenPGP signers match the committer's address in any "
          "case") {
  TempDir tmp;
  // SSH: the allowed signer is spelled with capitals; the committer is ada@example.com.
  auto key = agate::test::make_ssh_key(tmp / "keys", "ada", "ada");
  std::string pub = agate::test::read_file(key.string() + ".pub");
  GitRepo ssh_repo(tmp / "ssh");
  ssh_repo.write(".agate/allowed_signers", "Ada@Example.COM " + pub);
  ssh_repo.commit_all("base");
  agate::test::commit_ssh_signed(ssh_repo, key, "Signed over SSH");
  CHECK(verify_status(ssh_repo, "HEAD") == "good");

  // OpenPGP: a key bound by the policy to the same address spelled with capitals.
  agate::test::GpgHome gpg;
  const std::string ada = gpg.generate_key("Ada Tester <ada@elsewhere.org>");
  GitRepo pgp_repo(tmp / "pgp");
  pgp_repo.write(".agate/keys/ada.asc", gpg.export_key(ada));
  pgp_repo.write(".agate/config.json",
                 R"({"signatures": {"signers": {")" + ada + R"(": ["Ada@Example.COM"]}}})");
  pgp_repo.commit_all("base");
  agate::test::commit_signed(pgp_repo, gpg, ada, "Signed with OpenPGP");
  CHECK(verify_status(pgp_repo, "HEAD") == "good");
}

TEST_CASE("hostile change e2e: pre-push of a new branch without a known remote default branch "
          "checks every commit the remotes lack, not just the tip") {
  TempDir tmp;
  agate::test::run({"git", "init", "-q", "--bare", "-b", "main", (tmp / "remote.git").string()});
  GitRepo repo(tmp / "repo");
  std::string tests = "def test_one():\n    assert 1 == 1\n\n\n"
                      "def test_two():\n    assert 2 == 2\n    assert 3 == 3\n";
  repo.write("tests/test_app.py", tests);
  repo.write("app.py", "def f():\n    return 1\n");
  repo.commit_all("base");
  repo.git({"remote", "add", "origin", (tmp / "remote.git").string()});
  repo.git({"push", "-q", "origin", "main"});
  REQUIRE(repo.git_result({"rev-parse", "--verify", "-q", "refs/remotes/origin/HEAD"}).exit_code !=
          0);
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("tests/test_app.py", tests.substr(0, tests.find("def test_two")));
  repo.commit_all("Tidy"); // deletes a test: an error
  repo.write("app.py", "def f():\n    return 2\n");
  repo.commit_all("Return two"); // the tip alone is harmless
  REQUIRE(agate_in(repo, {"install", "--hook", "pre-push"}).exit_code == 0);

  auto pushed = agate::test::e2e::git_with_hooks(repo, {"push", "-q", "origin", "feature"});
  INFO(pushed.out << pushed.err);
  CHECK(pushed.exit_code != 0);
  CHECK((pushed.out + pushed.err).find("deletion/removed-test") != std::string::npos);
}
