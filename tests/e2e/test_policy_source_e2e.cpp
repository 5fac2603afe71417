// End-to-end tests of where the policy and the trusted keys come from when a branch is judged:
// the tip of the branch it goes into (BASE of `--range BASE..HEAD`, `--policy-from REV`, a pull
// request's base.sha in GitHub Actions, the remote's branch in the pre-push hook), never the merge
// base, which the author chooses by forking from an old commit whose policy or keys were weaker.
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::RunOptions;
using agate::test::RunResult;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::findings_of;
using agate::test::e2e::git_with_hooks;
using agate::test::e2e::parse_report;

const std::string k_tests = "from app import total\n\n\n"
                            "def test_total_of_nothing_is_zero():\n"
                            "    assert total([]) == 0\n\n\n"
                            "def test_total_adds_the_amounts():\n"
                            "    assert total([1, 2]) == 3\n"
                            "    assert total([5]) == 5\n"
                            "    assert total([0, 0]) == 0\n";

// main: c0 lets everything pass (fail_on never), c1 makes errors fail the gate again.
// feature, forked from c0: deletes a test.
struct WeakFork {
  TempDir tmp;
  GitRepo repo{tmp / "repo"};
  std::string c0;
  std::string c1;
  std::string feature;

  WeakFork() {
    repo.write("app.py", "def total(amounts):\n    return sum(amounts)\n");
    repo.write("tests/test_app.py", k_tests);
    repo.write(".agate/config.json", R"({"fail_on": "never"})");
    c0 = repo.commit_all("base with a lax policy");
    repo.write(".agate/config.json", R"({"fail_on": "error"})");
    c1 = repo.commit_all("Make errors fail the gate");
    repo.git({"checkout", "-q", "-b", "feature", c0});
    std::string kept = k_tests.substr(0, k_tests.find("def test_total_adds"));
    repo.write("tests/test_app.py", kept);
    feature = repo.commit_all("Speed up the suite");
    repo.git({"checkout", "-q", "main"});
  }
};

} // namespace

TEST_CASE("policy source e2e: a range is judged by the policy at BASE, not at the merge base") {
  WeakFork fork;
  auto result = agate_in(fork.repo, {"check", "--range", "main..feature", "--format", "json"});
  INFO(result.err);
  auto report = parse_report(result);
  CHECK(result.exit_code == 1);
  CHECK(report.at("summary").at("fail_on") == "error");
  CHECK(report.at("source").at("policy_revision") == fork.c1);
  CHECK_FALSE(findings_of(report, "deletion/removed-test").empty());

  // --policy-from names the target explicitly, whatever the range's base.
  auto from = agate_in(fork.repo, {"check", "--range", fork.c0 + "..feature", "--policy-from",
                                   "main", "--format", "json"});
  CHECK(from.exit_code == 1);
  CHECK(parse_report(from).at("source").at("policy_revision") == fork.c1);
  auto lax = agate_in(fork.repo, {"check", "--range", fork.c0 + "..feature"});
  CHECK(lax.exit_code == 0);

  auto unknown = agate_in(fork.repo, {"check", "--commit", "feature", "--policy-from", "nope"});
  agate::test::e2e::check_one_line_error(unknown);
  CHECK(unknown.err.find("--policy-from") != std::string::npos);

  auto help = agate_in(fork.repo, {"help", "check"});
  CHECK(help.out.find("--policy-from") != std::string::npos);
}

TEST_CASE("policy source e2e: in Actions a pull request is judged by its base.sha's policy") {
  WeakFork fork;
  agate::test::write_file(fork.tmp / "event.json",
                          nlohmann::json{{"action", "synchronize"},
                                         {"number", 3},
                                         {"pull_request",
                                          {{"number", 3},
                                           {"commits", 1},
                                           {"base", {{"ref", "main"}, {"sha", fork.c1}}},
                                           {"head", {{"ref", "feature"}, {"sha", fork.feature}}}}}}
                              .dump());
  RunOptions options;
  options.env = {{"GITHUB_ACTIONS", "true"},
                 {"GITHUB_EVENT_NAME", "pull_request"},
                 {"GITHUB_EVENT_PATH", (fork.tmp / "event.json").string()},
                 {"GITHUB_STEP_SUMMARY", (fork.tmp / "summary.md").string()}};
  auto result = agate_in(fork.repo, {"check", "--format", "json"}, options);
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(parse_report(result).at("source").at("policy_revision") == fork.c1);
}

TEST_CASE("policy source e2e: the pre-push hook judges a new branch by the remote branch's "
          "policy") {
  WeakFork fork;
  agate::test::run(
      {"git", "init", "-q", "--bare", "-b", "main", (fork.tmp / "remote.git").string()});
  fork.repo.git({"remote", "add", "origin", (fork.tmp / "remote.git").string()});
  fork.repo.git({"push", "-q", "origin", "main"});
  fork.repo.git({"remote", "set-head", "origin", "main"});
  REQUIRE(agate_in(fork.repo, {"install", "--hook", "pre-push"}).exit_code == 0);
  auto pushed = git_with_hooks(fork.repo, {"push", "-q", "origin", "feature"});
  INFO(pushed.out << pushed.err);
  CHECK(pushed.exit_code != 0);
  CHECK((pushed.out + pushed.err).find("deletion/removed-test") != std::string::npos);
  CHECK(pushed.err.find("--policy-from") != std::string::npos);
}

TEST_CASE("policy source e2e: a key removed on the target branch no longer verifies") {
  agate::test::GpgHome gpg;
  const std::string eve = gpg.generate_key("Eve Former <eve@example.com>");
  const std::string ada = gpg.generate_key("Ada Tester <ada@example.com>");
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/eve.asc", gpg.export_key(eve));
  repo.write("app.py", "def total(amounts):\n    return sum(amounts)\n");
  auto c0 = repo.commit_all("base: Eve may sign");
  repo.remove(".agate/keys/eve.asc");
  repo.write(".agate/keys/ada.asc", gpg.export_key(ada));
  repo.commit_all("Eve's key is withdrawn");
  repo.git({"checkout", "-q", "-b", "feature", c0});
  repo.write("app.py", "def total(amounts):\n    return sum(amounts) + 0\n");
  repo.add_all();
  // Eve's commit carries her own address, so only the key decides.
  agate::test::RunOptions env;
  env.cwd = repo.dir();
  env.env = repo.env();
  env.env["GIT_COMMITTER_EMAIL"] = "eve@example.com";
  auto committed =
      agate::test::run({"git", "-c", "gpg.program=" + gpg.program().string(), "-c",
                        "user.signingkey=" + eve, "commit", "-q", "-S", "-m", "Signed by Eve"},
                       env);
  REQUIRE_MESSAGE(committed.exit_code == 0, committed.err);

  // Judged against the merge base, Eve's key would still be trusted.
  CHECK(agate_in(repo, {"verify", c0 + "..feature"}).exit_code == 0);

  auto verified = agate_in(repo, {"verify", "main..feature"});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 1);
  CHECK(verified.out.find("untrusted-key") != std::string::npos);
  auto checked = agate_in(repo, {"check", "--range", "main..feature", "--format", "json"});
  CHECK(checked.exit_code == 1);
  CHECK(findings_of(parse_report(checked), "signature/untrusted-key").size() == 1);
}
