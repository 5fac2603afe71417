// Tests of the hook installer (gate/git/hook_installer.hpp) and of the hook scripts it writes.
//
// The scripts are exercised with real git commands (commit, push to a bare repository) and a
// stand-in for agate: a small shell script that logs its arguments and exits with a chosen
// status, so the hooks' own logic (chaining, ref ranges, finding agate, AGATE_SKIP) is tested
// apart from agate's checks. tests/e2e/test_hooks_e2e.cpp runs the same hooks with the real
// binary.
#include "gate/git/hook_installer.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <sstream>

namespace {

using namespace agate::test;
using agate::gate::HookInstallOptions;
namespace fs = std::filesystem;

constexpr fs::perms k_mode_755 = fs::perms::owner_all | fs::perms::group_read |
                                 fs::perms::group_exec | fs::perms::others_read |
                                 fs::perms::others_exec;

fs::perms mode_of(const fs::path& path) {
  return fs::status(path).permissions() & fs::perms::mask;
}

std::vector<std::string> install(const fs::path& dir, const std::string& agate_path = {},
                                 bool force = false) {
  HookInstallOptions options;
  options.start_dir = dir;
  options.agate_path = agate_path;
  options.force = force;
  auto lines = agate::gate::install_hooks(options);
  REQUIRE_MESSAGE(lines.ok(), (lines.ok() ? "" : lines.error()));
  return *lines;
}

std::vector<std::string> uninstall(const fs::path& dir) {
  HookInstallOptions options;
  options.start_dir = dir;
  auto lines = agate::gate::uninstall_hooks(options);
  REQUIRE_MESSAGE(lines.ok(), (lines.ok() ? "" : lines.error()));
  return *lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& line : lines) {
    all += line + "\n";
  }
  return all;
}

void write_executable(const fs::path& path, const std::string& content) {
  write_file(path, content);
  fs::permissions(path, k_mode_755);
}

// A stand-in for agate that appends its arguments to `log` and exits with $FAKE_AGATE_EXIT.
// What the hooks ask agate on `git commit` with all of agate's hooks installed: the pre-commit
// check without the rules that read the message, the trailers, then those rules with the message.
const std::string k_commit_calls =
    "check --staged --message-rules defer\n"
    "trailer .git/COMMIT_EDITMSG\n"
    "check --staged --message-file .git/COMMIT_EDITMSG --message-rules only\n";

fs::path make_fake_agate(const fs::path& dir, const fs::path& log) {
  auto path = dir / "fake-agate";
  write_executable(path, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + log.string() +
                             "'\nexit \"${FAKE_AGATE_EXIT:-0}\"\n");
  return path;
}

std::string read_or_empty(const fs::path& path) {
  return fs::exists(path) ? read_file(path) : std::string();
}

// Runs git in the repository with extra environment variables (so the hooks see them).
RunResult git_env(GitRepo& repo, const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& extra = {}) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = repo.dir();
  options.env = repo.env();
  for (const auto& [name, value] : extra) {
    options.env[name] = value;
  }
  options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "AGATE", "AGATE_SKIP"};
  return run(argv, options);
}

using agate::test::trimmed;

} // namespace

TEST_CASE("hooks: the installed scripts are the files in hooks/ with the agate path filled in") {
  for (const std::string name : {"pre-commit", "commit-msg", "pre-push"}) {
    CAPTURE(name);
    auto file = read_file(fs::path(AGATE_SOURCE_DIR) / "hooks" / name);
    auto plain = agate::gate::hook_script(name, "");
    REQUIRE(plain.ok());
    CHECK(*plain == file);
    CHECK(agate::gate::is_agate_hook(file));
    CHECK((mode_of(fs::path(AGATE_SOURCE_DIR) / "hooks" / name) & fs::perms::owner_exec) !=
          fs::perms::none);

    auto recorded = agate::gate::hook_script(name, "/opt/it's here/agate");
    REQUIRE(recorded.ok());
    std::string expected = file;
    auto at = expected.find("AGATE_INSTALLED_PATH=''\n");
    REQUIRE(at != std::string::npos);
    expected.replace(at, 24, "AGATE_INSTALLED_PATH='/opt/it'\\''s here/agate'\n");
    CHECK(*recorded == expected);
    // The generated script is valid sh.
    TempDir tmp;
    write_file(tmp / "hook", *recorded);
    CHECK(run({"sh", "-n", (tmp / "hook").string()}).exit_code == 0);
  }
  CHECK_FALSE(agate::gate::hook_script("post-commit", "").ok());
  CHECK_FALSE(agate::gate::is_agate_hook("#!/bin/sh\necho agate check --staged\n"));
}

TEST_CASE("hooks: install writes executable hooks into .git/hooks and is idempotent") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto first = install(repo.dir(), "/usr/local/bin/agate");
  CHECK(first.size() == 3);
  for (const std::string name : {"pre-commit", "commit-msg", "pre-push"}) {
    auto hook = repo.dir() / ".git" / "hooks" / name;
    REQUIRE(fs::exists(hook));
    CHECK(mode_of(hook) == k_mode_755);
    CHECK(read_file(hook).find("AGATE_INSTALLED_PATH='/usr/local/bin/agate'") != std::string::npos);
    CHECK_FALSE(fs::exists(hook.string() + ".agate-chained"));
  }
  auto before = read_file(repo.dir() / ".git/hooks/pre-commit");
  auto second = install(repo.dir(), "/usr/local/bin/agate");
  CHECK(joined(second).find("already installed") != std::string::npos);
  CHECK(read_file(repo.dir() / ".git/hooks/pre-commit") == before);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit.agate-chained"));

  // A new binary path updates agate's own hook in place, still without chaining it.
  auto third = install(repo.dir(), "/opt/agate/bin/agate");
  CHECK(joined(third).find("updated") != std::string::npos);
  CHECK(read_file(repo.dir() / ".git/hooks/pre-commit").find("/opt/agate/bin/agate") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit.agate-chained"));

  auto removed = uninstall(repo.dir());
  CHECK(joined(removed).find("removed agate's hook") != std::string::npos);
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-commit"));
  CHECK_FALSE(fs::exists(repo.dir() / ".git/hooks/pre-push"));
}

TEST_CASE("hooks: install chains an existing hook and uninstall restores it byte for byte") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto hook = repo.dir() / ".git/hooks/pre-commit";
  std::string original = "#!/bin/sh\n# the team's own hook\necho ran > chained-marker\n";
  write_file(hook, original);
  fs::permissions(hook, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);

  auto lines = install(repo.dir());
  CHECK(joined(lines).find("moved the existing hook") != std::string::npos);
  auto chained = repo.dir() / ".git/hooks/pre-commit.agate-chained";
  REQUIRE(fs::exists(chained));
  CHECK(read_file(chained) == original);
  CHECK(agate::gate::is_agate_hook(read_file(hook)));

  // Installing again neither chains agate's own hook nor touches the chained one.
  install(repo.dir());
  CHECK(read_file(chained) == original);
  CHECK(agate::gate::is_agate_hook(read_file(hook)));

  auto removed = uninstall(repo.dir());
  CHECK(joined(removed).find("restored the chained hook") != std::string::npos);
  CHECK(read_file(hook) == original);
  CHECK(mode_of(hook) == (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec));
  CHECK_FALSE(fs::exists(chained));
}

TEST_CASE("hooks: a stale chained hook stops install unless --force, which keeps a backup") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto hooks = repo.dir() / ".git/hooks";
  write_executable(hooks / "pre-commit", "#!/bin/sh\necho new\n");
  write_executable(hooks / "pre-commit.agate-chained", "#!/bin/sh\necho old\n");

  HookInstallOptions options;
  options.start_dir = repo.dir();
  options.hooks = {"pre-commit"};
  auto refused = agate::gate::install_hooks(options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().find("--force") != std::string::npos);
  CHECK(refused.error().find("pre-commit.agate-chained") != std::string::npos);
  CHECK(read_file(hooks / "pre-commit") == "#!/bin/sh\necho new\n");
  CHECK(read_file(hooks / "pre-commit.agate-chained") == "#!/bin/sh\necho old\n");

  options.force = true;
  auto forced = agate::gate::install_hooks(options);
  REQUIRE(forced.ok());
  CHECK(agate::gate::is_agate_hook(read_file(hooks / "pre-commit")));
  CHECK(read_file(hooks / "pre-commit.agate-chained") == "#!/bin/sh\necho new\n");
  CHECK(read_file(hooks / "pre-commit.agate-chained.bak") == "#!/bin/sh\necho old\n");
  CHECK(joined(*forced).find(".bak") != std::string::npos);
}

TEST_CASE("hooks: uninstall leaves a hook that is not agate's alone") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto hook = repo.dir() / ".git/hooks/pre-push";
  write_executable(hook, "#!/bin/sh\nexit 0\n");
  HookInstallOptions options;
  options.start_dir = repo.dir();
  options.hooks = {"pre-push"};
  auto lines = agate::gate::uninstall_hooks(options);
  REQUIRE(lines.ok());
  CHECK(joined(*lines).find("not agate's hook; left alone") != std::string::npos);
  CHECK(read_file(hook) == "#!/bin/sh\nexit 0\n");

  options.hooks = {"post-merge"};
  auto unknown = agate::gate::install_hooks(options);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().find("unknown hook 'post-merge'") != std::string::npos);
}

TEST_CASE("hooks: the hooks directory follows core.hooksPath and the common dir of worktrees") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("README", "hello\n");
  repo.commit_all("initial");
  fs::create_directories(repo.dir() / "src/deep");

  auto found = agate::gate::find_hooks_dir(repo.dir() / "src/deep");
  REQUIRE(found.ok());
  CHECK(*found == repo.dir() / ".git/hooks");

  // A linked worktree shares the hooks of the main repository.
  repo.git({"worktree", "add", "-q", (tmp / "linked").string()});
  auto linked = agate::gate::find_hooks_dir(tmp / "linked");
  REQUIRE(linked.ok());
  CHECK(*linked == repo.dir() / ".git/hooks");

  // Relative core.hooksPath: from the top of the work tree, wherever agate starts.
  repo.git({"config", "core.hooksPath", "tools/githooks"});
  auto relative = agate::gate::find_hooks_dir(repo.dir() / "src/deep");
  REQUIRE(relative.ok());
  CHECK(*relative == repo.dir() / "tools/githooks");
  // ... and from the top of the linked worktree there, as git does.
  auto relative_linked = agate::gate::find_hooks_dir(tmp / "linked");
  REQUIRE(relative_linked.ok());
  CHECK(*relative_linked == tmp / "linked/tools/githooks");

  repo.git({"config", "core.hooksPath", (tmp / "shared-hooks").string()});
  auto absolute = agate::gate::find_hooks_dir(repo.dir());
  REQUIRE(absolute.ok());
  CHECK(*absolute == tmp / "shared-hooks");
  install(repo.dir());
  CHECK(fs::exists(tmp / "shared-hooks/pre-commit"));
  CHECK(fs::exists(tmp / "shared-hooks/pre-push"));

  auto outside = agate::gate::find_hooks_dir(tmp.path());
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().find("cannot open a git repository") != std::string::npos);
}

TEST_CASE("hooks: pre-commit runs the chained hook, then agate check --staged") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto log = tmp / "agate.log";
  auto fake = make_fake_agate(tmp.path(), log);
  write_executable(repo.dir() / ".git/hooks/pre-commit", "#!/bin/sh\necho \"chained $*\" >> '" +
                                                             (tmp / "chained.log").string() +
                                                             "'\nexit \"${CHAINED_EXIT:-0}\"\n");
  install(repo.dir(), fake.string());

  repo.write("a.py", "print('a')\n");
  repo.add_all();
  auto ok = git_env(repo, {"commit", "-q", "-m", "first"});
  CHECK_MESSAGE(ok.exit_code == 0, ok.err);
  CHECK(read_or_empty(tmp / "chained.log") == "chained \n");
  // pre-commit checks; then commit-msg asks for the Agate-Prompt trailers.
  CHECK(read_or_empty(log) == k_commit_calls);

  // agate failing refuses the commit and says how to skip the check.
  repo.write("b.py", "print('b')\n");
  repo.add_all();
  auto refused = git_env(repo, {"commit", "-q", "-m", "second"}, {{"FAKE_AGATE_EXIT", "1"}});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("AGATE_SKIP=1") != std::string::npos);
  CHECK(trimmed(repo.git({"rev-list", "--count", "HEAD"})) == "1");

  // The chained hook failing refuses the commit before agate runs.
  fs::remove(log);
  auto chained_fails = git_env(repo, {"commit", "-q", "-m", "second"}, {{"CHAINED_EXIT", "3"}});
  CHECK(chained_fails.exit_code != 0);
  CHECK(chained_fails.err.find("chained pre-commit hook") != std::string::npos);
  CHECK_FALSE(fs::exists(log));

  // AGATE_SKIP=1 skips agate's check but not the chained hook.
  auto skipped = git_env(repo, {"commit", "-q", "-m", "second"},
                         {{"FAKE_AGATE_EXIT", "1"}, {"AGATE_SKIP", "1"}});
  CHECK_MESSAGE(skipped.exit_code == 0, skipped.err);
  CHECK(skipped.err.find("AGATE_SKIP=1") != std::string::npos);
  CHECK_FALSE(fs::exists(log));
  CHECK(read_or_empty(tmp / "chained.log") == "chained \nchained \nchained \nchained \n");
}

TEST_CASE("hooks: the rules that read the message wait for commit-msg only when it is agate's") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto log = tmp / "agate.log";
  // Fails only the check that reads the message, as a deletion the message leaves unexplained.
  auto fake = tmp / "fake-agate";
  write_executable(fake, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + log.string() +
                             "'\ncase \"$*\" in *'--message-rules only'*) echo 'message check' "
                             "failed >&2; exit 1;; esac\nexit 0\n");
  install(repo.dir(), fake.string());

  repo.write("a.py", "print('a')\n");
  repo.add_all();
  auto refused = git_env(repo, {"commit", "-q", "-m", "first"});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("its message does not explain") != std::string::npos);
  CHECK(read_or_empty(log) == k_commit_calls);
  CHECK_FALSE(repo.git_result({"rev-parse", "-q", "--verify", "HEAD"}).exit_code == 0);

  // Without agate's commit-msg hook the pre-commit hook judges every rule itself.
  uninstall(repo.dir());
  HookInstallOptions only_pre_commit;
  only_pre_commit.start_dir = repo.dir();
  only_pre_commit.agate_path = fake.string();
  only_pre_commit.hooks = {"pre-commit"};
  REQUIRE(agate::gate::install_hooks(only_pre_commit).ok());
  fs::remove(log);
  auto alone = git_env(repo, {"commit", "-q", "-m", "first"});
  CHECK_MESSAGE(alone.exit_code == 0, alone.err);
  CHECK(read_or_empty(log) == "check --staged\n");
}

TEST_CASE("hooks: the hook finds agate through $AGATE, the recorded path, then PATH") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  fs::create_directories(tmp / "it's a dir");
  auto recorded = make_fake_agate(tmp / "it's a dir", tmp / "recorded.log");
  auto env_agate = make_fake_agate(tmp.path(), tmp / "env.log");
  fs::create_directories(tmp / "bin");
  write_executable(tmp / "bin/agate",
                   "#!/bin/sh\necho \"$*\" >> '" + (tmp / "path.log").string() + "'\n");
  install(repo.dir(), recorded.string());
  std::string base_path = "/usr/local/bin:/usr/bin:/bin";

  repo.write("a.txt", "1\n");
  repo.add_all();
  auto by_recorded = git_env(repo, {"commit", "-q", "-m", "c1"}, {{"PATH", base_path}});
  CHECK_MESSAGE(by_recorded.exit_code == 0, by_recorded.err);
  CHECK(read_or_empty(tmp / "recorded.log") == k_commit_calls);

  repo.write("a.txt", "2\n");
  repo.add_all();
  auto by_env = git_env(repo, {"commit", "-q", "-m", "c2"},
                        {{"PATH", base_path}, {"AGATE", env_agate.string()}});
  CHECK_MESSAGE(by_env.exit_code == 0, by_env.err);
  CHECK(read_or_empty(tmp / "env.log") == k_commit_calls);

  fs::remove(recorded);
  repo.write("a.txt", "3\n");
  repo.add_all();
  auto by_path = git_env(repo, {"commit", "-q", "-m", "c3"},
                         {{"PATH", (tmp / "bin").string() + ":" + base_path}});
  CHECK_MESSAGE(by_path.exit_code == 0, by_path.err);
  CHECK(read_or_empty(tmp / "path.log") == k_commit_calls);

  // No agate anywhere: the commit is refused with a message saying what to do.
  repo.write("a.txt", "4\n");
  repo.add_all();
  auto missing = git_env(repo, {"commit", "-q", "-m", "c4"}, {{"PATH", base_path}});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("cannot find agate") != std::string::npos);
  CHECK(missing.err.find("AGATE_SKIP=1") != std::string::npos);
  auto bad_env = git_env(repo, {"commit", "-q", "-m", "c4"},
                         {{"PATH", base_path}, {"AGATE", (tmp / "nope").string()}});
  CHECK(bad_env.exit_code != 0);
  CHECK(bad_env.err.find("$AGATE is set to") != std::string::npos);
  CHECK(trimmed(repo.git({"rev-list", "--count", "HEAD"})) == "3");
}

TEST_CASE("hooks: pre-push checks the range each pushed ref adds") {
  TempDir tmp;
  GitRepo remote(tmp / "remote.git", false);
  run({"git", "init", "-q", "--bare", "-b", "main", (tmp / "remote.git").string()});
  GitRepo repo(tmp / "repo");
  repo.git({"remote", "add", "origin", (tmp / "remote.git").string()});
  auto log = tmp / "agate.log";
  auto fake = make_fake_agate(tmp.path(), log);
  auto stdin_log = tmp / "chained-stdin.log";
  write_executable(repo.dir() / ".git/hooks/pre-push", "#!/bin/sh\necho \"args $*\" >> '" +
                                                           stdin_log.string() + "'\ncat >> '" +
                                                           stdin_log.string() + "'\n");
  install(repo.dir(), fake.string());

  repo.write("a.py", "a = 1\n");
  auto first = repo.commit_all("first");
  // A new branch and no known default branch of the remote: the tip commit is checked.
  auto pushed = git_env(repo, {"push", "-q", "origin", "main"});
  CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
  CHECK(read_or_empty(log) == "check --commit " + first + "\n");
  // The chained hook got the same arguments and standard input.
  auto zero = std::string(40, '0');
  CHECK(read_or_empty(stdin_log) == "args origin " + (tmp / "remote.git").string() +
                                        "\nrefs/heads/main " + first + " refs/heads/main " + zero +
                                        "\n");

  // An updated branch: the range from the remote's tip.
  fs::remove(log);
  repo.write("a.py", "a = 2\n");
  auto second = repo.commit_all("second");
  pushed = git_env(repo, {"push", "-q", "origin", "main"});
  CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
  CHECK(read_or_empty(log) == "check --range " + first + ".." + second + "\n");

  // A new branch when the remote's default branch is known: from the merge-base, judged by the
  // policy at that branch's tip.
  fs::remove(log);
  repo.git({"remote", "set-head", "origin", "main"});
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("b.py", "b = 1\n");
  auto third = repo.commit_all("third");
  pushed = git_env(repo, {"push", "-q", "origin", "feature"});
  CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
  CHECK(read_or_empty(log) ==
        "check --range " + second + ".." + third + " --policy-from " + second + "\n");

  // A deleted ref adds nothing to check.
  fs::remove(log);
  pushed = git_env(repo, {"push", "-q", "origin", ":feature"});
  CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
  CHECK_FALSE(fs::exists(log));

  // agate failing refuses the push; the remote keeps its tip.
  repo.git({"checkout", "-q", "main"});
  repo.write("a.py", "a = 3\n");
  auto fourth = repo.commit_all("fourth");
  auto refused = git_env(repo, {"push", "-q", "origin", "main"}, {{"FAKE_AGATE_EXIT", "1"}});
  CHECK(refused.exit_code != 0);
  CHECK(refused.err.find("the push is refused") != std::string::npos);
  CHECK(read_or_empty(log) == "check --range " + second + ".." + fourth + "\n");
  CHECK(trimmed(remote.git({"rev-parse", "main"})) == second);

  // Two refs at once: both are checked.
  fs::remove(log);
  repo.git({"branch", "other", first});
  repo.git({"checkout", "-q", "other"});
  repo.write("c.py", "c = 1\n");
  auto fifth = repo.commit_all("fifth");
  pushed = git_env(repo, {"push", "-q", "origin", "main", "other"});
  CHECK_MESSAGE(pushed.exit_code == 0, pushed.err);
  auto calls = read_or_empty(log);
  CHECK(calls.find("check --range " + second + ".." + fourth + "\n") != std::string::npos);
  CHECK(calls.find("check --range " + first + ".." + fifth + " --policy-from " + second + "\n") !=
        std::string::npos);
}

TEST_CASE("hooks: install notes a chained hook git would not run, and husky's directory") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto husky = repo.dir() / ".husky/_";
  write_file(husky / "h", "#!/usr/bin/env sh\n# husky 9 helper\n");
  write_file(husky / "pre-commit", "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n");
  fs::permissions(husky / "pre-commit", fs::perms::owner_read | fs::perms::owner_write);
  repo.git({"config", "core.hooksPath", ".husky/_"});
  auto lines = joined(install(repo.dir()));
  CHECK(lines.find("not executable") != std::string::npos);
  CHECK(lines.find("husky") != std::string::npos);
  CHECK(fs::exists(husky / "pre-commit.agate-chained"));
  CHECK(agate::gate::is_agate_hook(read_file(husky / "pre-commit")));
}
