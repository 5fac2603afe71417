// The git implementation of RepositoryView: trees walked with libgit2, the index read as git
// would (honouring GIT_INDEX_FILE), and policy directories read from the policy revision's tree
// or from the work tree. Listings are cached per revision because every analyzer of every
// change of a range may ask for them.
#include "gate/git/repository_view.hpp"

#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"
#include "gate/git/repository.hpp"
#include "gate/util/file_util.hpp"

#include <algorithm>
#include <map>

namespace agate::gate {

namespace fs = std::filesystem;

namespace {

bool is_file_mode(uint32_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
         mode == GIT_FILEMODE_LINK;
}

struct WalkState {
  std::string prefix; // stripped from the walk's root-relative paths
  std::vector<TreeFile> files;
};

int collect_entry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  auto mode = static_cast<uint32_t>(git_tree_entry_filemode(entry));
  if (!is_file_mode(mode)) {
    return 0;
  }
  std::string path = state->prefix + root + git_tree_entry_name(entry);
  state->files.push_back({std::move(path), oid_hex(*git_tree_entry_id(entry)), mode});
  return 0;
}

Result<TreePtr> commit_tree(git_repository* repo, const Repository& owner, const std::string& id) {
  auto oid = parse_oid(id);
  TRY(oid);
  git_commit* commit_raw = nullptr;
  if (int rc = git_commit_lookup(&commit_raw, repo, &*oid); rc < 0) {
    return owner.object_failure("commit", id, rc);
  }
  CommitPtr commit(commit_raw);
  git_tree* tree_raw = nullptr;
  if (int rc = git_commit_tree(&tree_raw, commit.get()); rc < 0) {
    return owner.object_failure("tree", oid_hex(*git_commit_tree_id(commit.get())), rc);
  }
  return TreePtr(tree_raw);
}

Result<std::vector<TreeFile>> walk(git_tree* tree, std::string prefix) {
  WalkState state{std::move(prefix), {}};
  if (int rc = git_tree_walk(tree, GIT_TREEWALK_PRE, collect_entry, &state); rc < 0) {
    return git_failure("cannot list the tree", rc);
  }
  std::sort(state.files.begin(), state.files.end(),
            [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  return std::move(state.files);
}

std::string trim_slashes(std::string_view dir) {
  while (!dir.empty() && dir.back() == '/') {
    dir.remove_suffix(1);
  }
  return std::string(dir);
}

} // namespace

Result<std::vector<TreeFile>> GitRepositoryView::tree_files(const std::string& commit_id) const {
  if (auto it = m_cache.find(commit_id); it != m_cache.end()) {
    return it->second;
  }
  auto objects = object_repository(m_repo);
  TRY(objects);
  auto tree = commit_tree(*objects, m_repo, commit_id);
  TRY(tree);
  auto files = walk(tree->get(), "");
  TRY(files);
  m_cache[commit_id] = *files;
  return files;
}

Result<std::vector<TreeFile>> GitRepositoryView::index_files() const {
  const std::string key = ":index";
  if (auto it = m_cache.find(key); it != m_cache.end()) {
    return it->second;
  }
  git_index* index_raw = nullptr;
  if (int rc = git_repository_index(&index_raw, git_handle(m_repo)); rc < 0) {
    return git_failure("cannot read the index", rc);
  }
  IndexPtr index(index_raw);
  if (int rc = git_index_read(index.get(), 0); rc < 0) {
    return git_failure("cannot read the index", rc);
  }
  std::map<std::string, TreeFile> by_path;
  const std::size_t count = git_index_entrycount(index.get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_index_entry* entry = git_index_get_byindex(index.get(), i);
    if (entry == nullptr || !is_file_mode(entry->mode)) {
      continue;
    }
    int stage = git_index_entry_stage(entry);
    // A conflicted path: take "ours" (stage 2), as the work tree usually holds it.
    if (stage != 0 && stage != 2) {
      continue;
    }
    by_path[entry->path] = {entry->path, oid_hex(entry->id), entry->mode};
  }
  std::vector<TreeFile> files;
  files.reserve(by_path.size());
  for (auto& [path, file] : by_path) {
    files.push_back(std::move(file));
  }
  m_cache[key] = files;
  return files;
}

Result<std::vector<TreeFile>> GitRepositoryView::files_after(const Change& change) const {
  std::lock_guard lock(m_mutex);
  if (change.kind == ChangeKind::commit || change.kind == ChangeKind::range) {
    return tree_files(change.head_rev);
  }
  auto files = index_files();
  if (!files || change.kind == ChangeKind::staged) {
    return files;
  }
  // The work tree: the index, with the change's own files (worktree against HEAD) laid over it.
  std::map<std::string, TreeFile> by_path;
  for (auto& file : *files) {
    by_path[file.path] = file;
  }
  for (const auto& file : change.files) {
    if (!file.old_path.empty()) {
      by_path.erase(file.old_path);
    }
    if (!file.new_path.empty() && !file.new_oid.empty() && is_file_mode(file.new_mode)) {
      by_path[file.new_path] = {file.new_path, file.new_oid, file.new_mode};
    }
  }
  std::vector<TreeFile> merged;
  merged.reserve(by_path.size());
  for (auto& [path, file] : by_path) {
    merged.push_back(std::move(file));
  }
  return merged;
}

Result<std::vector<TreeFile>> GitRepositoryView::files_at(std::string_view rev) const {
  std::lock_guard lock(m_mutex);
  if (rev.empty()) {
    return std::vector<TreeFile>();
  }
  auto id = m_repo.resolve(rev);
  TRY(id);
  return tree_files(*id);
}

fs::path GitRepositoryView::cache_dir() const {
  // The common dir: shared by all worktrees of the repository.
  const char* common = git_repository_commondir(git_handle(m_repo));
  return common == nullptr ? fs::path() : fs::path(common) / "agate" / "cache";
}

Result<std::vector<PolicyFile>> GitRepositoryView::policy_files(std::string_view policy_rev,
                                                                std::string_view dir) const {
  std::lock_guard lock(m_mutex);
  const std::string root = trim_slashes(dir);
  std::vector<PolicyFile> out;
  if (policy_rev.empty()) {
    if (m_repo.is_bare()) {
      return out;
    }
    const fs::path base = m_repo.workdir() / root;
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(base, ec))) {
      return out;
    }
    for (auto it = fs::recursive_directory_iterator(base, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      // Regular files only: a symlink could point outside the repository.
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) {
        continue;
      }
      auto content = read_file(it->path());
      TRY(content);
      auto rel = fs::relative(it->path(), m_repo.workdir(), ec).generic_string();
      out.push_back({rel, std::move(*content)});
    }
    if (ec) {
      return fail("cannot list " + base.string() + ": " + ec.message());
    }
  } else {
    auto id = m_repo.resolve(policy_rev);
    TRY(id);
    auto objects = object_repository(m_repo);
    TRY(objects);
    auto tree = commit_tree(*objects, m_repo, *id);
    TRY(tree);
    git_tree_entry* entry_raw = nullptr;
    int rc = git_tree_entry_bypath(&entry_raw, tree->get(), root.c_str());
    if (rc == GIT_ENOTFOUND) {
      git_error_clear();
      return out;
    }
    if (rc < 0) {
      return git_failure("cannot look up " + root + " at " + Repository::short_id(*id), rc);
    }
    TreeEntryPtr entry(entry_raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
      return out;
    }
    git_tree* sub_raw = nullptr;
    if (int trc = git_tree_lookup(&sub_raw, *objects, git_tree_entry_id(entry.get())); trc < 0) {
      return m_repo.object_failure("tree", oid_hex(*git_tree_entry_id(entry.get())), trc);
    }
    TreePtr sub(sub_raw);
    auto files = walk(sub.get(), root + "/");
    TRY(files);
    for (const auto& file : *files) {
      if (file.mode == GIT_FILEMODE_LINK) {
        continue;
      }
      auto content = m_repo.read_raw_object(file.oid);
      TRY(content);
      out.push_back({file.path, std::move(*content)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const PolicyFile& a, const PolicyFile& b) { return a.path < b.path; });
  return out;
}

} // namespace agate::gate
