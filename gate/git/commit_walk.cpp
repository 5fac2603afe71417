// History walks and per-commit counts for the fast prompt-log views; see commit_walk.hpp.
#include "gate/git/commit_walk.hpp"

#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"

#include <algorithm>
#include <queue>
#include <unordered_set>

namespace agate::gate {

namespace {

Result<CommitPtr> lookup_commit(const Repository& repo, std::string_view id) {
  auto oid = parse_oid(id);
  TRY(oid);
  git_commit* raw = nullptr;
  if (int rc = git_commit_lookup(&raw, git_handle(repo), &*oid); rc < 0) {
    return repo.object_failure("commit", id, rc);
  }
  return CommitPtr(raw);
}

Result<TreePtr> tree_of(const Repository& repo, git_commit* commit) {
  git_tree* raw = nullptr;
  if (int rc = git_commit_tree(&raw, commit); rc < 0) {
    return repo.object_failure("tree of commit", oid_hex(*git_commit_id(commit)), rc);
  }
  return TreePtr(raw);
}

// The subtree at `dir` of `tree`, or null when there is none (or `tree` is null).
Result<TreePtr> subtree(const Repository& repo, git_tree* tree, std::string_view dir) {
  if (tree == nullptr) {
    return TreePtr();
  }
  git_tree_entry* entry_raw = nullptr;
  std::string path(dir);
  if (git_tree_entry_bypath(&entry_raw, tree, path.c_str()) < 0) {
    return TreePtr();
  }
  TreeEntryPtr entry(entry_raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE) {
    return TreePtr();
  }
  git_tree* raw = nullptr;
  if (int rc = git_tree_lookup(&raw, git_handle(repo), git_tree_entry_id(entry.get())); rc < 0) {
    return repo.object_failure("tree", oid_hex(*git_tree_entry_id(entry.get())), rc);
  }
  return TreePtr(raw);
}

Result<DiffPtr> diff_trees(const Repository& repo, git_tree* old_tree, git_tree* new_tree) {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = 0;
  git_diff* raw = nullptr;
  if (int rc = git_diff_tree_to_tree(&raw, git_handle(repo), old_tree, new_tree, &options);
      rc < 0) {
    return git_failure("cannot diff two trees", rc);
  }
  return DiffPtr(raw);
}

// The changed files of the subtree `dir` between `old_tree` and `new_tree` (either may be null).
Result<std::vector<ChangedFile>> changed_under(const Repository& repo, git_tree* old_tree,
                                               git_tree* new_tree, std::string_view dir) {
  auto old_sub = subtree(repo, old_tree, dir);
  TRY(old_sub);
  auto new_sub = subtree(repo, new_tree, dir);
  TRY(new_sub);
  std::vector<ChangedFile> out;
  if (!*new_sub && !*old_sub) {
    return out;
  }
  if (*new_sub && *old_sub &&
      git_oid_equal(git_tree_id(new_sub->get()), git_tree_id(old_sub->get()))) {
    return out;
  }
  auto diff = diff_trees(repo, old_sub->get(), new_sub->get());
  TRY(diff);
  for (std::size_t i = 0; i < git_diff_num_deltas(diff->get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
    ChangedFile file;
    bool deleted = delta->status == GIT_DELTA_DELETED;
    file.path = std::string(dir) + "/" + (deleted ? delta->old_file.path : delta->new_file.path);
    if (!deleted) {
      file.oid = oid_hex(delta->new_file.id);
    }
    out.push_back(std::move(file));
  }
  return out;
}

} // namespace

Result<std::vector<std::string>> history_of(const Repository& repo, std::string_view head,
                                            std::size_t max_count) {
  struct Entry {
    int64_t time;
    std::size_t order; // ties: the one seen first comes first, as git log
    std::string id;
    bool operator<(const Entry& other) const {
      return time != other.time ? time < other.time : order > other.order;
    }
  };
  std::priority_queue<Entry> queue;
  std::unordered_set<std::string> seen;
  std::size_t order = 0;
  auto push = [&](std::string id) -> Status {
    if (!seen.insert(id).second) {
      return success();
    }
    auto commit = lookup_commit(repo, id);
    TRY(commit);
    queue.push({git_commit_time(commit->get()), order++, std::move(id)});
    return success();
  };
  TRY(push(std::string(head)));
  std::vector<std::string> out;
  while (!queue.empty() && (max_count == 0 || out.size() < max_count)) {
    Entry top = queue.top();
    queue.pop();
    if (repo.shallow_boundary().count(top.id) == 0) {
      auto commit = lookup_commit(repo, top.id);
      TRY(commit);
      for (unsigned i = 0; i < git_commit_parentcount(commit->get()); ++i) {
        TRY(push(oid_hex(*git_commit_parent_id(commit->get(), i))));
      }
    }
    out.push_back(std::move(top.id));
  }
  return out;
}

Result<std::vector<ChangedFile>>
files_changed_under(const Repository& repo, std::string_view commit_id, std::string_view dir) {
  auto commit = lookup_commit(repo, commit_id);
  TRY(commit);
  auto tree = tree_of(repo, commit->get());
  TRY(tree);
  unsigned parents = repo.shallow_boundary().count(std::string(commit_id)) != 0
                         ? 0
                         : git_commit_parentcount(commit->get());
  if (parents == 0) {
    return changed_under(repo, nullptr, tree->get(), dir);
  }
  std::vector<ChangedFile> common;
  for (unsigned i = 0; i < parents; ++i) {
    auto parent = lookup_commit(repo, oid_hex(*git_commit_parent_id(commit->get(), i)));
    TRY(parent);
    auto parent_tree = tree_of(repo, parent->get());
    TRY(parent_tree);
    auto changed = changed_under(repo, parent_tree->get(), tree->get(), dir);
    TRY(changed);
    if (i == 0) {
      common = std::move(*changed);
      continue;
    }
    std::erase_if(common, [&](const ChangedFile& file) {
      return std::none_of(changed->begin(), changed->end(),
                          [&](const ChangedFile& other) { return other.path == file.path; });
    });
  }
  return common;
}

Result<LineCounts> commit_line_counts(const Repository& repo, std::string_view commit_id,
                                      std::string_view skip_dir) {
  auto commit = lookup_commit(repo, commit_id);
  TRY(commit);
  LineCounts counts;
  bool boundary = repo.shallow_boundary().count(std::string(commit_id)) != 0;
  if (!boundary && git_commit_parentcount(commit->get()) > 1) {
    return counts;
  }
  auto tree = tree_of(repo, commit->get());
  TRY(tree);
  TreePtr parent_tree;
  if (!boundary && git_commit_parentcount(commit->get()) == 1) {
    auto parent = lookup_commit(repo, oid_hex(*git_commit_parent_id(commit->get(), 0)));
    TRY(parent);
    auto found = tree_of(repo, parent->get());
    TRY(found);
    parent_tree = std::move(*found);
  }
  auto diff = diff_trees(repo, parent_tree.get(), tree->get());
  TRY(diff);
  std::string prefix = std::string(skip_dir) + "/";
  for (std::size_t i = 0; i < git_diff_num_deltas(diff->get()); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff->get(), i);
    const char* path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    if (!skip_dir.empty() && std::string_view(path).starts_with(prefix)) {
      continue;
    }
    ++counts.files;
    if ((delta->flags & GIT_DIFF_FLAG_BINARY) != 0) {
      continue;
    }
    git_patch* patch_raw = nullptr;
    if (int rc = git_patch_from_diff(&patch_raw, diff->get(), i); rc < 0) {
      return git_failure("cannot read the diff of " + std::string(path), rc);
    }
    PatchPtr patch(patch_raw);
    if (!patch) {
      continue; // binary, found while loading
    }
    std::size_t added = 0;
    std::size_t deleted = 0;
    git_patch_line_stats(nullptr, &added, &deleted, patch.get());
    counts.added += static_cast<int>(added);
    counts.deleted += static_cast<int>(deleted);
  }
  return counts;
}

} // namespace agate::gate
