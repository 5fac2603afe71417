// End-to-end tests of `agate install` / `agate uninstall` and of the installed hooks, with the
// real binary and real repositories: git itself runs the hooks on `git commit` and `git push`,
// and the hooks run the agate that `agate install` recorded.
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate::test;
namespace fs = std::filesystem;

constexpr fs::perms k_mode_750 =
    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec;

fs::perms mode_of(const fs::path& path) {
  return fs::status(path).permissions() & fs::perms::mask;
}

// Runs git in the repository the way a user would: hooks enabled, agate not forced by $AGATE.
RunResult git_hooked(GitRepo& repo, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& extra_env = {}) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = repo.dir();
  options.env = repo.env();
  for (const auto& [key, value] : extra_env) {
    options.env[key] = value;
  }
  options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "AGATE", "AGATE_SKIP"};
  return run(argv, options);
}

RunResult agate_in(GitRepo& repo, const std::vector<std::string>& args, const fs::path& cwd = {}) {
  RunOptions options;
  options.env = repo.env();
  options.unset_env = {"AGATE", "AGATE_SKIP"};
  return agate::test::agate(cwd.empty() ? repo.dir() : cwd, args, options);
}

std::string commit_count(GitRepo& repo) {
  auto out = repo.git({"rev-list", "--count", "HEAD"});
  return out.substr(0, out.find('\n'));
}

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  repo.commit_all("initial");
}

void write_executable(const fs::path& path, const std::string& content) {
  write_file(path, content);
  fs::permissions(path, k_mode_750);
}

} // namespace

TEST_CASE("hooks e2e: the installed pre-commit hook refuses an oversized change") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto installed = agate_in(repo, {"install"});
  REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
  CHECK(installed.out.find("pre-commit") != std::string::npos);
  CHECK(installed.out.find("pre-push") != std::string::npos);
  CHECK(fs::exists(repo.dir() / ".git/hooks/pre-commit"));

  repo.write("app/handlers.py", oversized_python());
  repo.add_all();
  auto refused = git_hooked(repo, {"commit", "-q", "-m", "add handlers"});
  CHECK(refused.exit_code != 0);
  CHECK((refused.out + refused.err).find("size/oversized-change") != std::string::npos);
  CHECK(commit_count(repo) == "1");

  // A small change commits.
  repo.remove("app/handlers.py");
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.add_all();
  auto small = git_hooked(repo, {"commit", "-q", "-m", "return 1"});
  CHECK_MESSAGE(small.exit_code == 0, (small.out + small.err));
  CHECK(commit_count(repo) == "2");
}

namespace {

const char* const k_cart_tests = R"py(from shop import cart


def test_total_of_an_empty_cart_is_zero():
    assert cart.total([]) == 0


def test_negative_quantities_are_refused():
    items = [("apple", -2, 0.5)]
    refused = False
    try:
        cart.total(items)
    except ValueError:
        refused = True
    assert refused
)py";

const char* const k_cart_tests_without_negative = R"py(from shop import cart


def test_total_of_an_empty_cart_is_zero():
    assert cart.total([]) == 0
)py";

} // namespace

TEST_CASE("hooks e2e: the commit message explains a deletion at commit-msg, where it exists") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("shop/__init__.py", "");
  repo.write("shop/cart.py", "def total(items):\n    return sum(q * p for _, q, p in items)\n");
  repo.write("tests/test_cart.py", k_cart_tests);
  repo.commit_all("Cart and its tests");
  REQUIRE(agate_in(repo, {"install"}).exit_code == 0);
  repo.write("tests/test_cart.py", k_cart_tests_without_negative);
  repo.add_all();

  // A message that does not explain the deletion: pre-commit leaves the test's deletion to the
  // message, in one line; commit-msg reads the message and refuses the commit.
  auto refused = git_hooked(repo, {"commit", "-q", "-m", "Speed up the suite"});
  const std::string said = refused.out + refused.err;
  CHECK(refused.exit_code != 0);
  CHECK(said.find("agate: 1 finding (deletion/removed-test) depends on the commit message, which "
                  "the commit-msg hook reads once it is written\n") != std::string::npos);
  CHECK(said.find("tests/test_cart.py: error[deletion/removed-test]: deleted test "
                  "`test_negative_quantities_are_refused`") != std::string::npos);
  CHECK(said.find("not mentioned by the commit message") != std::string::npos);
  CHECK(said.find("its message does not explain") != std::string::npos);
  CHECK(commit_count(repo) == "1");

  // The editor's template names the file in a comment: git drops comment lines, so does agate.
  const std::string editor = "sh -c 'printf \"Speed up the suite\\n\" > \"$1.msg\" && "
                             "cat \"$1\" >> \"$1.msg\" && mv \"$1.msg\" \"$1\"' editor";
  auto template_only = git_hooked(repo, {"commit", "-q"}, {{"GIT_EDITOR", editor}});
  CHECK(template_only.exit_code != 0);
  CHECK((template_only.out + template_only.err).find("deletion/removed-test") != std::string::npos);
  CHECK(commit_count(repo) == "1");

  // A message that says why the test goes: the commit is recorded, and commit-msg says nothing.
  auto explained = git_hooked(repo, {"commit", "-q", "-m",
                                     "Remove test_negative_quantities_are_refused: quantities "
                                     "are checked at the till now"});
  CHECK_MESSAGE(explained.exit_code == 0, (explained.out + explained.err));
  CHECK(explained.out.find("deletion/removed-test") == std::string::npos);
  CHECK(commit_count(repo) == "2");
}

TEST_CASE("hooks e2e: the hook checks what `git commit -a` and `git commit PATH` record") {
  // git points GIT_INDEX_FILE at a temporary index for these: agate must read that one.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  REQUIRE(agate_in(repo, {"install"}).exit_code == 0);
  repo.write("app/main.py", oversized_python());
  auto all = git_hooked(repo, {"commit", "-q", "-a", "-m", "rewrite main"});
  CHECK(all.exit_code != 0);
  CHECK((all.out + all.err).find("size/oversized-change") != std::string::npos);
  auto path = git_hooked(repo, {"commit", "-q", "-m", "rewrite main", "app/main.py"});
  CHECK(path.exit_code != 0);
  CHECK((path.out + path.err).find("size/oversized-change") != std::string::npos);
  CHECK(commit_count(repo) == "1");
}

TEST_CASE("hooks e2e: an existing hook is chained, runs first, can block, and is restored") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto hook = repo.dir() / ".git/hooks/pre-commit";
  std::string original = "#!/bin/sh\n# the team's hook\necho ran >> \"$(git rev-parse "
                         "--git-dir)/team-hook-ran\"\n[ ! -e BLOCK ] || exit 1\n";
  write_executable(hook, original);

  auto installed = agate_in(repo, {"install", "--hook", "pre-commit"});
  REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
  CHECK(installed.out.find("pre-commit.agate-chained") != std::string::npos);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-push"));

  // Both run: the team's hook leaves its marker and agate refuses the oversized change.
  repo.write("app/handlers.py", oversized_python());
  repo.add_all();
  auto refused = git_hooked(repo, {"commit", "-q", "-m", "big"});
  CHECK(refused.exit_code != 0);
  CHECK(fs::exists(repo.dir() / ".git/team-hook-ran"));
  CHECK((refused.out + refused.err).find("size/oversized-change") != std::string::npos);

  // A small change passes both.
  repo.git({"rm", "-q", "--cached", "app/handlers.py"});
  repo.remove("app/handlers.py");
  repo.write("app/main.py", "def main():\n    return 2\n");
  repo.add_all();
  auto small = git_hooked(repo, {"commit", "-q", "-m", "small"});
  CHECK_MESSAGE(small.exit_code == 0, (small.out + small.err));
  CHECK(read_file(repo.dir() / ".git/team-hook-ran") == "ran\nran\n");

  // The team's hook failing blocks a commit agate would let through.
  repo.write("BLOCK", "");
  repo.write("app/main.py", "def main():\n    return 3\n");
  repo.add_all();
  auto blocked = git_hooked(repo, {"commit", "-q", "-m", "blocked"});
  CHECK(blocked.exit_code != 0);
  CHECK(commit_count(repo) == "2");

  auto removed = agate_in(repo, {"uninstall"});
  REQUIRE_MESSAGE(removed.exit_code == 0, removed.err);
  CHECK(read_file(hook) == original);
  CHECK(mode_of(hook) == k_mode_750);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit.agate-chained"));
}

TEST_CASE("hooks e2e: installing twice is idempotent") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  REQUIRE(agate_in(repo, {"install"}).exit_code == 0);
  auto first = read_file(repo.dir() / ".git/hooks/pre-commit");
  auto again = agate_in(repo, {"install"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.out.find("already installed") != std::string::npos);
  CHECK(read_file(repo.dir() / ".git/hooks/pre-commit") == first);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit.agate-chained"));
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-push.agate-chained"));
  // The hook records the binary that installed it.
  CHECK(first.find(fs::canonical(agate_binary()).string()) != std::string::npos);

  // A stale chained hook next to a foreign hook is not overwritten without --force.
  write_executable(repo.dir() / ".git/hooks/pre-push", "#!/bin/sh\nexit 0\n");
  write_executable(repo.dir() / ".git/hooks/pre-push.agate-chained", "#!/bin/sh\nexit 0\n");
  auto stale = agate_in(repo, {"install"});
  CHECK(stale.exit_code == 2);
  CHECK(stale.err.find("--force") != std::string::npos);
  CHECK(agate_in(repo, {"install", "--force"}).exit_code == 0);
}

TEST_CASE("hooks e2e: core.hooksPath, relative or absolute, is where the hooks go") {
  TempDir tmp;
  SUBCASE("relative to the top of the work tree") {
    GitRepo repo(tmp / "repo");
    make_initial_commit(repo);
    repo.git({"config", "core.hooksPath", "tools/hooks"});
    auto installed = agate_in(repo, {"install"}, repo.dir() / "app");
    REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
    CHECK(fs::exists(repo.dir() / "tools/hooks/pre-commit"));
    CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit"));
    repo.write("app/handlers.py", oversized_python());
    repo.git({"add", "app/handlers.py"});
    CHECK(git_hooked(repo, {"commit", "-q", "-m", "big"}).exit_code != 0);
    CHECK(commit_count(repo) == "1");
  }
  SUBCASE("absolute, shared with other tools") {
    GitRepo repo(tmp / "repo");
    make_initial_commit(repo);
    auto shared = tmp / "shared-hooks";
    write_executable(shared / "pre-commit", "#!/bin/sh\ntouch \"$0.ran\"\n");
    repo.git({"config", "core.hooksPath", shared.string()});
    auto installed = agate_in(repo, {"install"});
    REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
    CHECK(fs::exists(shared / "pre-commit.agate-chained"));
    repo.write("app/handlers.py", oversized_python());
    repo.git({"add", "app/handlers.py"});
    CHECK(git_hooked(repo, {"commit", "-q", "-m", "big"}).exit_code != 0);
    CHECK(fs::exists(shared / "pre-commit.agate-chained.ran"));
    REQUIRE(agate_in(repo, {"uninstall"}).exit_code == 0);
    CHECK(read_file(shared / "pre-commit") == "#!/bin/sh\ntouch \"$0.ran\"\n");
  }
}

TEST_CASE("hooks e2e: one install from a linked worktree serves every worktree") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.git({"worktree", "add", "-q", "-b", "side", (tmp / "linked").string()});
  auto installed = agate_in(repo, {"install"}, tmp / "linked");
  REQUIRE_MESSAGE(installed.exit_code == 0, installed.err);
  CHECK(fs::exists(repo.dir() / ".git/hooks/pre-commit"));

  GitRepo linked(tmp / "linked", false);
  linked.write("app/handlers.py", oversized_python());
  linked.git({"add", "app/handlers.py"});
  auto refused = git_hooked(linked, {"commit", "-q", "-m", "big"});
  CHECK(refused.exit_code != 0);
  CHECK((refused.out + refused.err).find("size/oversized-change") != std::string::npos);

  repo.write("app/more.py", oversized_python());
  repo.git({"add", "app/more.py"});
  CHECK(git_hooked(repo, {"commit", "-q", "-m", "big"}).exit_code != 0);
  CHECK(commit_count(repo) == "1");
  CHECK(commit_count(linked) == "1");
}

TEST_CASE("hooks e2e: the pre-push hook refuses to push an oversized commit") {
  TempDir tmp;
  run({"git", "init", "-q", "--bare", "-b", "main", (tmp / "remote.git").string()});
  GitRepo remote(tmp / "remote.git", false);
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.git({"remote", "add", "origin", (tmp / "remote.git").string()});
  REQUIRE(agate_in(repo, {"install", "--hook", "pre-push"}).exit_code == 0);

  auto first = git_hooked(repo, {"push", "-q", "origin", "main"});
  REQUIRE_MESSAGE(first.exit_code == 0, (first.out + first.err));
  auto pushed = repo.head();

  repo.write("app/handlers.py", oversized_python());
  repo.commit_all("add handlers"); // --no-verify: only the push is gated here
  auto refused = git_hooked(repo, {"push", "-q", "origin", "main"});
  CHECK(refused.exit_code != 0);
  CHECK((refused.out + refused.err).find("size/oversized-change") != std::string::npos);
  auto remote_main = remote.git({"rev-parse", "main"});
  CHECK(remote_main.substr(0, remote_main.find('\n')) == pushed);

  // A new branch holding the same commit is refused too (its tip commit is checked).
  auto branch = git_hooked(repo, {"push", "-q", "origin", "main:refs/heads/feature"});
  CHECK(branch.exit_code != 0);
  CHECK(remote.git_result({"rev-parse", "--verify", "-q", "refs/heads/feature"}).exit_code != 0);
}

TEST_CASE("demo: make-demo.sh builds the same repository every run, agent change staged") {
  TempDir tmp;
  auto script = (fs::path(AGATE_SOURCE_DIR) / "demo/make-demo.sh").string();
  auto made = run({script, (tmp / "demo").string()});
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  GitRepo demo(tmp / "demo", false);
  auto head = demo.head();
  CHECK(demo.git({"rev-list", "--count", "HEAD"}) == "3\n");
  auto staged = demo.git({"diff", "--cached", "--name-status"});
  CHECK(staged.find("A\tinventory/pricing_rules.py") != std::string::npos);
  CHECK(staged.find("M\tinventory/auth.py") != std::string::npos);
  auto auth_diff = demo.git({"diff", "--cached", "inventory/auth.py"});
  CHECK(auth_diff.find("-def validate_token(secret, token):") != std::string::npos);
  CHECK(read_file(tmp / "demo/inventory/inventory.py").find("auth.validate_token(") !=
        std::string::npos);

  // Run again (it replaces its own directory) with --commit: same history, one more commit.
  auto again = run({script, "--commit", (tmp / "demo").string()});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(demo.git({"rev-parse", "HEAD~1"}) == head + "\n");
  CHECK(demo.git({"log", "-1", "--format=%B"})
            .find("Co-authored-by: Claude <noreply@anthropic.com>") != std::string::npos);
  CHECK(demo.git({"status", "--porcelain"}).empty());

  // It never deletes a directory it did not make.
  write_file(tmp / "precious/keep.txt", "keep\n");
  CHECK(run({script, (tmp / "precious").string()}).exit_code != 0);
  CHECK(read_file(tmp / "precious/keep.txt") == "keep\n");
}

TEST_CASE("demo: agate flags the agent's change in the demo repository") {
  TempDir tmp;
  auto script = (fs::path(AGATE_SOURCE_DIR) / "demo/make-demo.sh").string();
  REQUIRE(run({script, (tmp / "demo").string()}).exit_code == 0);
  auto staged = agate::test::agate(tmp / "demo", {"check", "--staged"});
  CHECK(staged.exit_code == 1);
  CHECK((staged.out + staged.err).find("size/oversized-change") != std::string::npos);

  REQUIRE(run({script, "--commit", (tmp / "demo").string()}).exit_code == 0);
  auto committed = agate::test::agate(tmp / "demo", {"check", "--commit", "HEAD"});
  CHECK(committed.exit_code == 1);
  CHECK((committed.out + committed.err).find("size/oversized-change") != std::string::npos);
}
