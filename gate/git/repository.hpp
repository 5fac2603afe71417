// A git repository opened with libgit2: discovery, revisions, files at a revision or in the work
// tree, the commits of a range, and the blob store the analyzers read (ContentSource).
//
// Every failure is a Result with one line that names the thing and what to do: not a
// repository, a repository owned by another user (safe.directory), a SHA-256 repository (which
// libgit2 1.5 cannot open), an unknown revision, a corrupt object, and a shallow clone that lacks
// the history a range needs (libgit2 1.5 does not know shallow boundaries, so in a shallow clone
// the range is walked here, treating the commits of `.git/shallow` as parentless).
#pragma once

#include "gate/core/content_source.hpp"
#include "gate/util/error.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

// libgit2's repository handle, never dereferenced outside gate/git: the rest of the program
// sees Repository's operations, not libgit2 (gate/git/libgit2.hpp gives gate/git the handles).
struct git_repository;

namespace agate::gate {

// Frees a libgit2 repository handle (git_repository_free).
struct GitRepositoryFree {
  void operator()(git_repository* repo) const noexcept;
};

// Blobs from the object database, plus an overlay of worktree contents that are hashed but never
// written as objects. Safe to call from several threads.
class RepositoryContent : public ContentSource {
public:
  explicit RepositoryContent(git_repository* repo) : m_repo(repo) {}
  std::optional<std::string> blob(std::string_view oid) const override;
  // Makes `content` readable under `oid` (a worktree file that is not an object).
  void add_overlay(std::string oid, std::string content);
  bool has_overlay(std::string_view oid) const;

private:
  git_repository* m_repo; // not owned: the Repository outlives its content source
  mutable std::mutex m_mutex;
  std::map<std::string, std::string, std::less<>> m_overlay;
};

// Where .gitattributes are read from.
struct AttributeSource {
  enum class Kind { worktree, index, commit };
  Kind kind = Kind::worktree;
  // For Kind::commit: only that commit's .gitattributes (and $GIT_DIR/info/attributes).
  std::string commit_id;
};

// A value of a git attribute: nullopt unspecified; "true" for `attr`, "false" for `-attr`,
// else the string of `attr=value`.
using AttributeValue = std::optional<std::string>;

struct OpenOptions {
  // Honour GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE as git does (hooks run with them set, and
  // `git commit -a`/`git commit <path>` stage into a temporary GIT_INDEX_FILE).
  bool use_environment = false;
  std::function<std::optional<std::string>(const char*)> getenv; // default: std::getenv
};

class Repository {
public:
  // Opens the repository that contains `start` (searching parent directories, like git).
  static Result<Repository> open(const std::filesystem::path& start,
                                 const OpenOptions& options = {});

  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  std::filesystem::path workdir() const; // empty for a bare repository
  std::filesystem::path git_dir() const;
  bool is_bare() const;
  bool is_shallow() const;
  bool head_unborn() const;

  // The full id of the commit `rev` names (any git revision syntax; tags are peeled).
  Result<std::string> resolve(std::string_view rev) const;
  // The first 7 hex digits of an id (for labels).
  static std::string short_id(std::string_view id) { return std::string(id.substr(0, 7)); }

  // The bytes of `path` in the tree of commit `rev`; nullopt when there is no such file.
  Result<std::optional<std::string>> read_file_at(std::string_view rev,
                                                  std::string_view path) const;
  // The commits reachable from head and not from base, oldest first (parents before children),
  // both given as revisions (full ids, or anything resolve() accepts). In a shallow clone, fails
  // with the fetch-more-history message when the walk reaches the shallow boundary;
  // `expected_commits`, when known (from a GitHub event), gives the `git fetch --deepen=N` hint.
  Result<std::vector<std::string>>
  commits_in_range(std::string_view base, std::string_view head,
                   std::optional<std::size_t> expected_commits = std::nullopt) const;
  // The best common ancestor of two commits (revisions, as above); nullopt when they share no
  // history. In a shallow clone, within the available history (boundary commits parentless).
  Result<std::optional<std::string>> merge_base(std::string_view a, std::string_view b) const;

  // The raw bytes of an object (for commits: as `git cat-file commit` prints them).
  Result<std::string> read_raw_object(std::string_view id) const;

  // The values of `names` for `path`, read from `source`.
  Result<std::vector<AttributeValue>> attributes(std::string_view path,
                                                 const std::vector<const char*>& names,
                                                 const AttributeSource& source);

  // The blobs analyzers read; the loader adds worktree contents to its overlay.
  RepositoryContent& content() { return *m_content; }
  const RepositoryContent& content() const { return *m_content; }

  // The commits of `.git/shallow` (the boundary of a shallow clone), empty when not shallow.
  const std::set<std::string>& shallow_boundary() const { return m_shallow; }

  // Adds the work-tree file `path` (repository-relative) to the index, as `git add` does, and
  // writes the index.
  Status stage(std::string_view path);

  // A message for an object that could not be read: missing (in a shallow clone: fetch more),
  // or corrupt.
  Failure object_failure(std::string_view what, std::string_view id, int code) const;

private:
  using Handle = std::unique_ptr<git_repository, GitRepositoryFree>;
  friend git_repository* git_handle(const Repository& repo);
  friend Result<git_repository*> object_repository(Repository& repo);

  explicit Repository(Handle repo);
  Result<git_repository*> objects();
  Result<std::string> full_id(std::string_view rev) const;
  Result<std::vector<std::string>> commits_between(std::string_view base, std::string_view head,
                                                   std::optional<std::size_t> expected) const;
  Result<std::optional<std::string>> merge_base_of(std::string_view a, std::string_view b) const;
  Result<std::vector<std::string>> walk_shallow(std::string_view base, std::string_view head,
                                                std::optional<std::size_t> expected_commits) const;

  Handle m_repo;
  Handle m_objects_repo; // the same repository opened bare with an empty index
  std::unique_ptr<RepositoryContent> m_content;
  std::set<std::string> m_shallow;
};

// "actions/checkout with fetch-depth: 0, or `git fetch --deepen=N`" (`git fetch --unshallow`
// when N is unknown).
std::string fetch_more_history_hint(std::optional<std::size_t> deepen);

} // namespace agate::gate
