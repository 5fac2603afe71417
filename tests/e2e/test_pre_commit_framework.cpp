// End-to-end test of agate's manifest for the pre-commit framework (.pre-commit-hooks.yaml at
// the repository root): a project's .pre-commit-config.yaml names a repository holding that
// manifest, pre-commit (the Debian package) clones it from a local path (no network: the hooks
// are `language: system`), and `git commit` / `git push` run agate from PATH.
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate::test;
namespace fs = std::filesystem;

struct Framework {
  TempDir tmp;
  GitRepo hooks_repo{tmp / "agate-hooks"};
  GitRepo project{tmp / "project"};
  std::map<std::string, std::string> env;

  explicit Framework(const std::string& hooks = "      - id: agate\n"
                                                "      - id: agate-pre-push\n") {
    // A repository that holds agate's manifest, as agate's own repository does.
    hooks_repo.write(".pre-commit-hooks.yaml",
                     read_file(fs::path(AGATE_SOURCE_DIR) / ".pre-commit-hooks.yaml"));
    auto rev = hooks_repo.commit_all("agate hooks");

    project.write(".pre-commit-config.yaml", "repos:\n"
                                             "  - repo: " +
                                                 hooks_repo.dir().string() +
                                                 "\n"
                                                 "    rev: " +
                                                 rev +
                                                 "\n"
                                                 "    hooks:\n" +
                                                 hooks);
    project.write("app/__init__.py", "");
    project.write("app/main.py", "def main():\n    return 0\n");
    project.commit_all("initial");

    env = project.env();
    env["PRE_COMMIT_HOME"] = (tmp / "pre-commit-home").string();
    env["PATH"] = fs::path(agate_binary()).parent_path().string() + ":/usr/local/bin:/usr/bin:/bin";
  }

  RunResult run_in_project(const std::vector<std::string>& argv) {
    RunOptions options;
    options.cwd = project.dir();
    options.env = env;
    options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
                         "AGATE",   "AGATE_SKIP",    "PRE_COMMIT_ALLOW_NO_CONFIG",
                         "SKIP"};
    return run(argv, options);
  }
};

bool have_pre_commit() {
  return run({"sh", "-c", "command -v pre-commit"}).exit_code == 0;
}

} // namespace

TEST_CASE(
    "pre-commit framework: the agate hook refuses an oversized commit and passes a small one") {
  REQUIRE_MESSAGE(have_pre_commit(), "pre-commit is not installed (apt-get install pre-commit)");
  Framework fw;
  auto installed = fw.run_in_project({"pre-commit", "install", "-t", "pre-commit"});
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));

  fw.project.write("app/reports.py", oversized_python());
  fw.project.add_all();
  auto refused = fw.run_in_project({"git", "commit", "-q", "-m", "add reports"});
  CHECK(refused.exit_code != 0);
  auto output = refused.out + refused.err;
  CHECK_MESSAGE(output.find("size/oversized-change") != std::string::npos, output);
  CHECK(output.find("hook id: agate") != std::string::npos);
  CHECK(fw.project.git({"rev-list", "--count", "HEAD"}) == "1\n");

  fw.project.git({"rm", "-q", "--cached", "app/reports.py"});
  fw.project.remove("app/reports.py");
  fw.project.write("app/main.py", "def main():\n    return 1\n");
  fw.project.add_all();
  auto small = fw.run_in_project({"git", "commit", "-q", "-m", "return 1"});
  CHECK_MESSAGE(small.exit_code == 0, (small.out + small.err));
  CHECK(fw.project.git({"rev-list", "--count", "HEAD"}) == "2\n");
}

TEST_CASE("pre-commit framework: agate-message judges a deletion by the commit message") {
  REQUIRE_MESSAGE(have_pre_commit(), "pre-commit is not installed (apt-get install pre-commit)");
  Framework fw("      - id: agate\n"
               "        args: [--message-rules, defer]\n"
               "      - id: agate-message\n");
  auto installed =
      fw.run_in_project({"pre-commit", "install", "-t", "pre-commit", "-t", "commit-msg"});
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));
  const std::string two_tests = "def test_sums():\n    assert sum([1, 2]) == 3\n    assert "
                                "sum([]) == 0\n\n\ndef test_sums_negative_prices():\n    "
                                "prices = [-1, -2]\n    total = sum(prices)\n    assert total "
                                "== -3\n    assert total < 0\n";
  fw.project.write("tests/test_sums.py", two_tests);
  fw.project.commit_all("tests");
  fw.project.write("tests/test_sums.py", two_tests.substr(0, two_tests.find("\n\n\n") + 1));
  fw.project.add_all();

  auto refused = fw.run_in_project({"git", "commit", "-q", "-m", "Tidy the tests"});
  CHECK(refused.exit_code != 0);
  auto output = refused.out + refused.err;
  CHECK_MESSAGE(output.find("deletion/removed-test") != std::string::npos, output);
  CHECK(output.find("hook id: agate-message") != std::string::npos);
  CHECK(fw.project.git({"rev-list", "--count", "HEAD"}) == "2\n");

  auto explained = fw.run_in_project(
      {"git", "commit", "-q", "-m", "Remove test_sums_negative_prices: prices are never negative"});
  CHECK_MESSAGE(explained.exit_code == 0, (explained.out + explained.err));
  CHECK(fw.project.git({"rev-list", "--count", "HEAD"}) == "3\n");
}

TEST_CASE("pre-commit framework: agate-message passes its args to agate check") {
  REQUIRE_MESSAGE(have_pre_commit(), "pre-commit is not installed (apt-get install pre-commit)");
  // A warning-level finding: the default gate lets it through, `--fail-on warning` does not.
  Framework fw("      - id: agate\n"
               "        args: [--message-rules, defer]\n"
               "      - id: agate-message\n"
               "        args: [--fail-on, warning]\n");
  auto installed =
      fw.run_in_project({"pre-commit", "install", "-t", "pre-commit", "-t", "commit-msg"});
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));
  const std::string two = "def total(rows):\n    return sum(r.amount for r in rows)\n\n\n"
                          "def average(rows):\n    values = [r.amount for r in rows]\n"
                          "    if not values:\n        return 0\n"
                          "    return sum(values) / len(values)\n";
  fw.project.write("app/stats.py", two);
  fw.project.commit_all("stats");
  fw.project.write("app/stats.py", two.substr(0, two.find("\n\n\n") + 1));
  fw.project.add_all();
  auto refused = fw.run_in_project({"git", "commit", "-q", "-m", "Add a report header"});
  auto output = refused.out + refused.err;
  CHECK_MESSAGE(refused.exit_code != 0, output);
  CHECK(output.find("deletion/unrelated") != std::string::npos);
  CHECK(output.find("hook id: agate-message") != std::string::npos);
  CHECK(fw.project.git({"rev-list", "--count", "HEAD"}) == "2\n");
}

TEST_CASE("pre-commit framework: the agate-pre-push hook refuses to push an oversized commit") {
  REQUIRE_MESSAGE(have_pre_commit(), "pre-commit is not installed (apt-get install pre-commit)");
  Framework fw;
  run({"git", "init", "-q", "--bare", "-b", "main", (fw.tmp / "remote.git").string()});
  fw.project.git({"remote", "add", "origin", (fw.tmp / "remote.git").string()});
  auto installed = fw.run_in_project({"pre-commit", "install", "-t", "pre-push"});
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));

  // The first push reaches the root commit: pre-commit passes no range and the tip is checked.
  auto first = fw.run_in_project({"git", "push", "-q", "origin", "main"});
  REQUIRE_MESSAGE(first.exit_code == 0, (first.out + first.err));
  auto pushed = fw.project.head();

  fw.project.write("app/reports.py", oversized_python());
  fw.project.commit_all("add reports"); // --no-verify: only the push is gated here
  auto refused = fw.run_in_project({"git", "push", "-q", "origin", "main"});
  CHECK(refused.exit_code != 0);
  auto output = refused.out + refused.err;
  CHECK_MESSAGE(output.find("size/oversized-change") != std::string::npos, output);
  GitRepo remote(fw.tmp / "remote.git", false);
  CHECK(remote.git({"rev-parse", "main"}) == pushed + "\n");
}
