// The repository view analyzers read beyond the change: the whole new tree of a change (commit,
// staged, worktree) with blob ids, and policy directories at the policy revision, never from the
// change under review.
#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"
#include "gate/git/repository_view.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace agate;
using namespace agate::test;

namespace {

std::vector<std::string> paths_of(const std::vector<gate::TreeFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    out.push_back(f.path);
  }
  return out;
}

gate::Change load_one(gate::Repository& repo, gate::SelectionMode mode, const std::string& rev) {
  gate::Selection selection;
  selection.mode = mode;
  selection.rev = rev;
  auto loaded = gate::load_changes(repo, selection, {});
  REQUIRE(loaded);
  REQUIRE(!loaded->changes.empty());
  return loaded->changes.front();
}

} // namespace

TEST_CASE("repository view: files after a commit, the staged index and the work tree") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("src/a.py", "def a():\n    return 1\n");
  git.write("src/b.py", "def b():\n    return 2\n");
  git.write("README", "hello\n");
  auto first = git.commit_all("first");
  git.remove("src/b.py");
  git.write("src/c.py", "def c():\n    return 3\n");
  auto second = git.commit_all("second");

  auto repo = gate::Repository::open(tmp.path());
  REQUIRE(repo);
  gate::GitRepositoryView view(*repo);

  auto commit = load_one(*repo, gate::SelectionMode::commit, second);
  auto files = view.files_after(commit);
  REQUIRE(files);
  CHECK(paths_of(*files) == std::vector<std::string>{"README", "src/a.py", "src/c.py"});
  auto before = view.files_at(first);
  REQUIRE(before);
  CHECK(paths_of(*before) == std::vector<std::string>{"README", "src/a.py", "src/b.py"});
  auto none = view.files_at("");
  REQUIRE(none);
  CHECK(none->empty());
  CHECK(view.cache_dir() == fs::path(tmp.path()) / ".git" / "agate" / "cache");
  auto blob = git.git({"rev-parse", second + ":src/c.py"});
  CHECK(files->back().oid == trimmed(blob));
  CHECK(files->back().mode == 0100644);

  // Staged: the index, which differs from HEAD.
  git.write("src/d.py", "x = 1\n");
  git.git({"add", "src/d.py"});
  git.remove("src/a.py"); // a worktree deletion, not staged
  auto staged = load_one(*repo, gate::SelectionMode::staged, "");
  auto staged_files = view.files_after(staged);
  REQUIRE(staged_files);
  CHECK(paths_of(*staged_files) ==
        std::vector<std::string>{"README", "src/a.py", "src/c.py", "src/d.py"});

  // Worktree: the index with the work tree's changes over it.
  gate::GitRepositoryView fresh(*repo);
  auto worktree = load_one(*repo, gate::SelectionMode::worktree, "");
  auto worktree_files = fresh.files_after(worktree);
  REQUIRE(worktree_files);
  CHECK(paths_of(*worktree_files) == std::vector<std::string>{"README", "src/c.py", "src/d.py"});
}

TEST_CASE("repository view: policy files come from the policy revision, not the change") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write(".agate/keys/alice.asc", "alice key\n");
  git.write(".agate/keys/team/bob.asc", "bob key\n");
  auto base = git.commit_all("keys");
  git.write(".agate/keys/mallory.asc", "mallory key\n");
  git.commit_all("trust myself");

  auto repo = gate::Repository::open(tmp.path());
  REQUIRE(repo);
  gate::GitRepositoryView view(*repo);

  auto at_base = view.policy_files(base, ".agate/keys");
  REQUIRE(at_base);
  REQUIRE(at_base->size() == 2);
  CHECK((*at_base)[0].path == ".agate/keys/alice.asc");
  CHECK((*at_base)[0].content == "alice key\n");
  CHECK((*at_base)[1].path == ".agate/keys/team/bob.asc");

  auto in_worktree = view.policy_files("", ".agate/keys/");
  REQUIRE(in_worktree);
  CHECK(in_worktree->size() == 3);

  auto missing = view.policy_files(base, ".agate/nothing");
  REQUIRE(missing);
  CHECK(missing->empty());
  auto missing_worktree = view.policy_files("", ".agate/nothing");
  REQUIRE(missing_worktree);
  CHECK(missing_worktree->empty());

  auto bad_rev = view.policy_files("no-such-rev", ".agate/keys");
  CHECK(!bad_rev);
}
