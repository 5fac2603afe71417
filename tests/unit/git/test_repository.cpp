// Repository: opening (and each way it fails), revisions, files at a revision, ranges in full and
// shallow clones, the blob store with its overlay, and .gitattributes sources. Every repository
// is a real one made with the git CLI.
#include "gate/git/repository.hpp"

#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <git2.h>
#include <unistd.h>

#include <filesystem>

namespace {

using namespace agate::gate;
using agate::test::GitRepo;
using agate::test::TempDir;
namespace fs = std::filesystem;

using agate::test::trimmed;

Repository open_ok(const fs::path& path, const OpenOptions& options = {}) {
  auto repo = Repository::open(path, options);
  REQUIRE_MESSAGE(repo.ok(), (repo.ok() ? "" : repo.error()));
  return std::move(repo).value();
}

std::string loose_object_path(const fs::path& git_dir, const std::string& id) {
  return (git_dir / "objects" / id.substr(0, 2) / id.substr(2)).string();
}

} // namespace

TEST_CASE("repository: opens from a subdirectory - a plain directory is not a repository") {
  TempDir tmp;
  GitRepo git(tmp / "work");
  git.write("src/a.py", "print(1)\n");
  git.commit_all("init");

  auto repo = open_ok(tmp / "work" / "src");
  CHECK(fs::equivalent(repo.workdir(), tmp / "work"));
  CHECK(fs::equivalent(repo.git_dir(), tmp / "work" / ".git"));
  CHECK_FALSE(repo.is_bare());
  CHECK_FALSE(repo.is_shallow());
  CHECK_FALSE(repo.head_unborn());

  fs::create_directories(tmp / "plain");
  auto none = Repository::open(tmp / "plain");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error() ==
        "not a git repository (or any of its parent directories): " + (tmp / "plain").string());
}

TEST_CASE("repository: a bare repository opens and reads files at a revision") {
  TempDir tmp;
  GitRepo git(tmp / "work");
  git.write("a.txt", "a\n");
  git.commit_all("init");
  agate::test::run(
      {"git", "clone", "-q", "--bare", (tmp / "work").string(), (tmp / "bare.git").string()});
  auto repo = open_ok(tmp / "bare.git");
  CHECK(repo.is_bare());
  CHECK(repo.workdir().empty());
  auto content = repo.read_file_at("HEAD", "a.txt");
  REQUIRE(content.ok());
  CHECK(content->value() == "a\n");
}

TEST_CASE("repository: a repository owned by another user names the safe.directory command") {
  if (geteuid() != 0) {
    MESSAGE("skipped: changing the owner of a directory needs root");
    return;
  }
  TempDir tmp;
  GitRepo git(tmp / "work");
  git.write("a.txt", "a\n");
  git.commit_all("init");
  // Keep the user's global config (which may trust every directory) out of this test.
  GitBuf saved;
  git_libgit2_init();
  git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, saved.get());
  std::string saved_path = saved.str();
  fs::create_directories(tmp / "home");
  git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, (tmp / "home").c_str());
  agate::test::run({"chown", "-R", "65534:65534", (tmp / "work").string()});

  auto repo = Repository::open(tmp / "work");
  // git's `safe.directory = *` (common in CI images) trusts it, which libgit2 1.5 alone does not;
  // the commit can then be read, through the second (object-only) handle too.
  agate::test::write_file(tmp / "home" / ".gitconfig", "[safe]\n\tdirectory = *\n");
  auto trusted = Repository::open(tmp / "work");
  std::string trusted_error = trusted.ok() ? "" : trusted.error();
  bool read_commit = trusted.ok() && object_repository(*trusted).ok() &&
                     trusted->read_file_at("HEAD", "a.txt").ok();
  // An empty value resets the list, as in git.
  agate::test::write_file(tmp / "home" / ".gitconfig", "[safe]\n\tdirectory = *\n\tdirectory =\n");
  auto reset = Repository::open(tmp / "work");
  git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, saved_path.c_str());
  agate::test::run({"chown", "-R", "0:0", (tmp / "work").string()});
  CHECK_MESSAGE(trusted.ok(), trusted_error);
  CHECK(read_commit);
  CHECK_FALSE(reset.ok());
  REQUIRE_FALSE(repo.ok());
  INFO(repo.error());
  CHECK(repo.error().find("owned by another user") != std::string::npos);
  CHECK(repo.error().find("`git config --global --add safe.directory " + (tmp / "work").string() +
                          "`") != std::string::npos);
}

TEST_CASE("repository: a SHA-256 repository is reported as such") {
  TempDir tmp;
  GitRepo git(tmp / "work", false);
  fs::create_directories(tmp / "work");
  git.git({"init", "-q", "--object-format=sha256", "."});
  git.write("a.txt", "a\n");
  git.commit_all("init");
  auto repo = Repository::open(tmp / "work");
  REQUIRE_FALSE(repo.ok());
  CHECK(repo.error().find("SHA-256") != std::string::npos);
  CHECK(repo.error().find("extensions.objectFormat=sha256") != std::string::npos);
}

TEST_CASE("repository: resolve names unknown revisions, peels tags and explains an unborn HEAD") {
  TempDir tmp;
  GitRepo git(tmp.path());
  {
    auto unborn = open_ok(tmp.path());
    CHECK(unborn.head_unborn());
    auto head = unborn.resolve("HEAD");
    REQUIRE_FALSE(head.ok());
    CHECK(head.error().find("HEAD has no commits yet") == 0);
  }
  git.write("a.txt", "a\n");
  std::string first = git.commit_all("first");
  git.git({"tag", "-a", "-m", "annotated", "v1"});
  git.write("a.txt", "b\n");
  std::string second = git.commit_all("second");

  auto repo = open_ok(tmp.path());
  CHECK(repo.resolve("HEAD").value() == second);
  CHECK(repo.resolve("HEAD~1").value() == first);
  CHECK(repo.resolve("v1").value() == first);
  CHECK(repo.resolve(first.substr(0, 10)).value() == first);
  auto unknown = repo.resolve("no-such-branch");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error() == "unknown revision 'no-such-branch'");
  auto tree = repo.resolve("HEAD^{tree}");
  REQUIRE_FALSE(tree.ok());
  CHECK(tree.error().find("does not name a commit") != std::string::npos);
}

TEST_CASE("repository: files at a revision, whatever the work tree holds") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write(".agate/config.json", "{\"old\": true}\n");
  std::string base = git.commit_all("base");
  git.write(".agate/config.json", "{\"new\": true}\n");
  git.commit_all("change");
  git.write(".agate/config.json", "{\"worktree\": true}\n");

  auto repo = open_ok(tmp.path());
  CHECK(repo.read_file_at(base, ".agate/config.json").value() == "{\"old\": true}\n");
  CHECK(repo.read_file_at("HEAD", ".agate/config.json").value() == "{\"new\": true}\n");
  CHECK_FALSE(repo.read_file_at("HEAD", "missing.json").value().has_value());
  CHECK_FALSE(repo.read_file_at("HEAD", ".agate").value().has_value()); // a directory
  CHECK_FALSE(repo.read_file_at("nope", "a").ok());
}

TEST_CASE("repository: commits of a range oldest first, and the merge base of diverged branches") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("a.txt", "0\n");
  std::string root = git.commit_all("root");
  git.git({"checkout", "-q", "-b", "feature"});
  std::vector<std::string> feature;
  for (int i = 1; i <= 3; ++i) {
    git.write("f.txt", std::to_string(i) + "\n");
    feature.push_back(git.commit_all("feature " + std::to_string(i)));
  }
  git.git({"checkout", "-q", "main"});
  git.write("m.txt", "main\n");
  std::string main_tip = git.commit_all("main moves on");

  auto repo = open_ok(tmp.path());
  auto commits = repo.commits_in_range(main_tip, feature.back());
  REQUIRE(commits.ok());
  CHECK(*commits == feature);
  CHECK(repo.merge_base(main_tip, feature.back()).value() == std::optional<std::string>(root));
  CHECK(repo.commits_in_range(feature.back(), feature.back()).value().empty());

  // Unrelated histories have no merge base.
  git.git({"checkout", "-q", "--orphan", "other"});
  git.write("o.txt", "o\n");
  std::string orphan = git.commit_all("orphan");
  CHECK_FALSE(repo.merge_base(orphan, main_tip).value().has_value());
}

TEST_CASE(
    "repository: shallow clones walk ranges inside the available history and explain the rest") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    origin.write("a.txt", std::to_string(i) + "\n");
    ids.push_back(origin.commit_all("commit " + std::to_string(i)));
  }
  agate::test::run({"git", "clone", "-q", "--depth", "3", "file://" + (tmp / "origin").string(),
                    (tmp / "shallow").string()});
  auto repo = open_ok(tmp / "shallow");
  REQUIRE(repo.is_shallow());
  CHECK(repo.shallow_boundary().count(ids[3]) == 1);

  // The base is the boundary commit itself: libgit2 1.5 alone would fail here.
  auto inside = repo.commits_in_range(ids[3], ids[5]);
  REQUIRE_MESSAGE(inside.ok(), (inside.ok() ? "" : inside.error()));
  CHECK(*inside == std::vector<std::string>{ids[4], ids[5]});
  CHECK(repo.merge_base(ids[3], ids[5]).value() == std::optional<std::string>(ids[3]));

  // The base is not in the clone.
  auto missing = repo.resolve(ids[1]);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("is not in this shallow clone: fetch more history") !=
        std::string::npos);
}

TEST_CASE("repository: the blob store reads objects and the overlay, and names corrupt objects") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("a.txt", "hello\n");
  git.write("b.txt", "other\n");
  std::string head = git.commit_all("init");
  std::string blob = trimmed(git.git({"rev-parse", "HEAD:a.txt"}));
  std::string other = trimmed(git.git({"rev-parse", "HEAD:b.txt"}));

  auto repo = open_ok(tmp.path());
  CHECK(repo.content().blob(blob) == std::optional<std::string>("hello\n"));
  CHECK_FALSE(repo.content().blob(head).has_value()); // a commit is not a blob
  CHECK_FALSE(repo.content().blob("not-an-id").has_value());
  CHECK(repo.content().blob("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391") ==
        std::optional<std::string>(""));
  std::string fake = "1234567890123456789012345678901234567890";
  CHECK_FALSE(repo.content().blob(fake).has_value());
  repo.content().add_overlay(fake, "overlay bytes");
  CHECK(repo.content().blob(fake) == std::optional<std::string>("overlay bytes"));

  // Overwrite a loose object with garbage.
  auto path = loose_object_path(tmp / ".git", other);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  agate::test::write_file(path, "this is not zlib data");
  auto raw = repo.read_raw_object(other);
  REQUIRE_FALSE(raw.ok());
  CHECK(raw.error().find(other) != std::string::npos);
  CHECK(raw.error().find("corrupt") != std::string::npos);
  CHECK_FALSE(repo.content().blob(other).has_value());
}

TEST_CASE("repository: with use_environment, GIT_DIR and GIT_INDEX_FILE are honoured") {
  TempDir tmp;
  GitRepo git(tmp / "work");
  git.write("a.txt", "a\n");
  git.commit_all("init");
  // A second index, as `git commit -a` makes for its hooks.
  git.write("b.txt", "b\n");
  agate::test::RunOptions options;
  options.cwd = git.dir();
  options.env = git.env();
  options.env["GIT_INDEX_FILE"] = (tmp / "other-index").string();
  agate::test::run({"git", "read-tree", "HEAD"}, options);
  agate::test::run({"git", "add", "b.txt"}, options);

  OpenOptions open_options;
  open_options.use_environment = true;
  open_options.getenv = [&](const char* name) -> std::optional<std::string> {
    if (std::string_view(name) == "GIT_DIR") {
      return (tmp / "work" / ".git").string();
    }
    if (std::string_view(name) == "GIT_INDEX_FILE") {
      return (tmp / "other-index").string();
    }
    return std::nullopt;
  };
  auto repo = open_ok(tmp.path(), open_options); // tmp itself is not a repository
  git_index* index_raw = nullptr;
  REQUIRE(git_repository_index(&index_raw, git_handle(repo)) == 0);
  IndexPtr index(index_raw);
  CHECK(git_index_get_bypath(index.get(), "b.txt", 0) != nullptr);

  auto plain = open_ok(tmp / "work");
  git_index* plain_raw = nullptr;
  REQUIRE(git_repository_index(&plain_raw, git_handle(plain)) == 0);
  IndexPtr plain_index(plain_raw);
  CHECK(git_index_get_bypath(plain_index.get(), "b.txt", 0) == nullptr);
}

TEST_CASE("repository: .gitattributes come from the commit, the index or the work tree as asked") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write(".gitattributes", "*.gen linguist-generated\n");
  git.write("x.gen", "x\n");
  std::string first = git.commit_all("first");
  git.write(".gitattributes", "*.gen -linguist-generated linguist-language=Python\n");
  git.add_all(); // staged, not committed
  git.write(".gitattributes", "*.gen linguist-vendored\n");

  auto repo = open_ok(tmp.path());
  const std::vector<const char*> names = {"linguist-generated", "linguist-language",
                                          "linguist-vendored"};
  auto at_commit =
      repo.attributes("x.gen", names, AttributeSource{AttributeSource::Kind::commit, first});
  REQUIRE(at_commit.ok());
  CHECK((*at_commit)[0] == std::optional<std::string>("true"));
  CHECK_FALSE((*at_commit)[1].has_value());
  CHECK_FALSE((*at_commit)[2].has_value());

  auto at_index =
      repo.attributes("x.gen", names, AttributeSource{AttributeSource::Kind::index, {}});
  REQUIRE(at_index.ok());
  CHECK((*at_index)[0] == std::optional<std::string>("false"));
  CHECK((*at_index)[1] == std::optional<std::string>("Python"));

  auto at_worktree =
      repo.attributes("x.gen", names, AttributeSource{AttributeSource::Kind::worktree, {}});
  REQUIRE(at_worktree.ok());
  CHECK((*at_worktree)[2] == std::optional<std::string>("true"));
}
