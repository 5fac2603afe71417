// What analyzers may read of the repository beyond the change itself, as a small read-only
// interface so unit tests can use a fake:
//   - every file of the new side of a change (the whole-tree reference check of the deletion
//     analyzer, the clone index of the duplication analyzer), listed with blob ids so results
//     can be cached per blob;
//   - the files of a policy directory (`.agate/keys/`, `.agate/prompts/`...) from the revision
//     the policy comes from (the base of a commit or range, or the work tree for staged and
//     worktree changes), so a change cannot bring its own trusted keys.
// Contents are read through the ContentSource of the AnalysisContext by blob id.
#pragma once

#include "gate/core/change.hpp"
#include "gate/util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

class Repository;

struct TreeFile {
  std::string path;  // repository-relative, '/'-separated
  std::string oid;   // hex blob id
  uint32_t mode = 0; // 0100644, 0100755, 0120000 (symlink); submodules are not listed
};

struct PolicyFile {
  std::string path;    // repository-relative, e.g. ".agate/keys/alice.asc"
  std::string content; // the bytes
};

// Thread-safe: an analyzer's work ahead (analyzers/analyzer.hpp) lists a tree on a second thread.
class RepositoryView {
public:
  virtual ~RepositoryView() = default;
  // Every file (blob) on the new side of `change`: the head commit's tree for a commit or a
  // range, the index for a staged change, the index with the work tree's changed files for a
  // worktree change. Sorted by path.
  virtual Result<std::vector<TreeFile>> files_after(const Change& change) const = 0;
  // Every file (blob) of the commit `rev` (a full id, e.g. a change's base_rev); empty for an
  // empty `rev` (the empty tree of a root commit or an unborn HEAD). Sorted by path.
  virtual Result<std::vector<TreeFile>> files_at(std::string_view rev) const = 0;
  // A directory agate may keep caches in (`.git/agate/cache`, created on demand by the caller);
  // empty when there is none (a test fake). A cache must be checked, never trusted: a stale or
  // corrupt one is rebuilt.
  virtual std::filesystem::path cache_dir() const = 0;
  // The files under `dir` (recursively, e.g. ".agate/keys") at the policy revision: the commit
  // `policy_rev`, or the work tree when it is empty. Sorted by path; empty when `dir` is absent.
  virtual Result<std::vector<PolicyFile>> policy_files(std::string_view policy_rev,
                                                       std::string_view dir) const = 0;
};

// The view of a real repository. Listings are cached per revision.
class GitRepositoryView : public RepositoryView {
public:
  explicit GitRepositoryView(Repository& repo) : m_repo(repo) {}
  Result<std::vector<TreeFile>> files_after(const Change& change) const override;
  Result<std::vector<TreeFile>> files_at(std::string_view rev) const override;
  std::filesystem::path cache_dir() const override;
  Result<std::vector<PolicyFile>> policy_files(std::string_view policy_rev,
                                               std::string_view dir) const override;

private:
  Result<std::vector<TreeFile>> tree_files(const std::string& commit_id) const;
  Result<std::vector<TreeFile>> index_files() const;

  Repository& m_repo;
  mutable std::mutex m_mutex; // one listing at a time (an analyzer's work ahead lists too)
  mutable std::map<std::string, std::vector<TreeFile>> m_cache; // commit id or ":index"
};

} // namespace agate::gate
