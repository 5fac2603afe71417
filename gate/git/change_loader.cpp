// Selection -> ChangeSet through libgit2 diffs and patches; see change_loader.hpp for what each
// mode compares. One Loader per call keeps the caches that make long ranges cheap: attribute
// values per (attribute source, path), where a commit that touches no .gitattributes file shares
// its parent's attribute source.
#include "gate/git/change_loader.hpp"

#include "analyzers/syntax/language.hpp"
#include "gate/git/commit_parser.hpp"
#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

namespace agate::gate {

std::string_view to_string(SelectionMode mode) {
  switch (mode) {
  case SelectionMode::staged:
    return "staged";
  case SelectionMode::worktree:
    return "worktree";
  case SelectionMode::commit:
    return "commit";
  case SelectionMode::range:
    return "range";
  case SelectionMode::none:
    return "none";
  }
  return "unknown";
}

namespace {

namespace fs = std::filesystem;

const std::vector<const char*> k_linguist_attributes = {"linguist-language", "linguist-generated",
                                                        "linguist-vendored"};

// Files above this size get no line counts at all (their diff would cost too much).
constexpr std::size_t k_max_counted_bytes = std::size_t{64} << 20;

// linguist's boolean attributes: set, or any value but "false".
bool attribute_true(const AttributeValue& value) {
  return value && *value != "false";
}

bool is_gitattributes(const char* path) {
  if (path == nullptr) {
    return false;
  }
  std::string_view p(path);
  return p == ".gitattributes" || p.ends_with("/.gitattributes");
}

// Files agate never reads as text, by extension: in a partial clone their blobs are not fetched.
bool binary_by_extension(std::string_view path) {
  static constexpr std::string_view extensions[] = {
      ".png", ".jpg",  ".jpeg",  ".gif", ".bmp",  ".ico", ".webp", ".tif", ".tiff",  ".psd",
      ".mp3", ".mp4",  ".m4a",   ".mov", ".avi",  ".mkv", ".webm", ".wav", ".flac",  ".ogg",
      ".zip", ".gz",   ".tgz",   ".bz2", ".xz",   ".zst", ".7z",   ".rar", ".jar",   ".war",
      ".pdf", ".woff", ".woff2", ".ttf", ".otf",  ".eot", ".so",   ".dll", ".dylib", ".exe",
      ".a",   ".o",    ".class", ".pyc", ".wasm", ".bin", ".dat",  ".iso", ".dmg",   ".sqlite",
  };
  std::string name = lower(base_name(path));
  for (std::string_view extension : extensions) {
    if (name.size() > extension.size() && name.ends_with(extension)) {
      return true;
    }
  }
  return false;
}

std::string oid_or_empty(const git_oid& id) {
  return oid_is_zero(id) ? std::string() : oid_hex(id);
}

FileStatus status_of(git_delta_t status) {
  switch (status) {
  case GIT_DELTA_ADDED:
    return FileStatus::added;
  case GIT_DELTA_DELETED:
    return FileStatus::deleted;
  case GIT_DELTA_RENAMED:
    return FileStatus::renamed;
  case GIT_DELTA_COPIED:
    return FileStatus::copied;
  case GIT_DELTA_TYPECHANGE:
    return FileStatus::type_change;
  default:
    return FileStatus::modified;
  }
}

git_diff_options diff_options() {
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
  // A submodule whose commit moved is a change; a dirty submodule work tree is not.
  options.ignore_submodules = GIT_SUBMODULE_IGNORE_DIRTY;
  options.context_lines = 3;
  return options;
}

std::string strip_newline(const char* text, std::size_t length) {
  std::string_view view(text, length);
  if (view.ends_with('\n')) {
    view.remove_suffix(1);
  }
  return std::string(view);
}

// The full id of a range's base, with the shallow-clone message when it is missing there.
Result<std::string> resolve_base(Repository& repo, const Selection& selection) {
  auto base = repo.resolve(selection.base);
  // A commit id, or a walk back from a ref (main~3), that a shallow clone does not hold.
  const std::string& rev = selection.base;
  bool names_history = rev.find_first_of("~^") != std::string::npos ||
                       (rev.size() == GIT_OID_HEXSZ &&
                        rev.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos);
  if (!base && repo.is_shallow() && names_history &&
      base.error().find("corrupt") == std::string::npos) {
    std::optional<std::size_t> deepen;
    if (selection.expected_commits) {
      deepen = *selection.expected_commits + 1;
    }
    return fail("the base commit " + selection.base +
                " is not in this shallow clone: fetch more history (" +
                fetch_more_history_hint(deepen) + ")");
  }
  return base;
}

// The first parent of a commit ("" for a root commit); fails when a shallow clone lacks it.
Result<std::string> first_parent(Repository& repo, const std::string& id) {
  auto oid = parse_oid(id);
  TRY(oid);
  git_commit* commit_raw = nullptr;
  if (int rc = git_commit_lookup(&commit_raw, git_handle(repo), &*oid); rc < 0) {
    return repo.object_failure("commit", id, rc);
  }
  CommitPtr commit(commit_raw);
  if (git_commit_parentcount(commit.get()) == 0) {
    return std::string();
  }
  std::string parent = oid_hex(*git_commit_parent_id(commit.get(), 0));
  if (repo.shallow_boundary().count(id)) {
    return fail("the parent " + parent + " of commit " + Repository::short_id(id) +
                " is not in this shallow clone: fetch more history (" + fetch_more_history_hint(1) +
                ")");
  }
  return parent;
}

class Loader {
public:
  Loader(Repository& repo, const LoadOptions& options) : m_repo(repo), m_options(options) {}

  Result<ChangeSet> load(const Selection& selection);

private:
  Status need_work_tree() const;
  Result<std::optional<std::string>> head_commit() const;
  struct CommitAndTree {
    CommitPtr commit;
    TreePtr tree;
  };
  Result<CommitAndTree> commit_and_tree(const std::string& id) const;
  Result<TreePtr> tree_of_commit(const std::string& id) const;
  // The diff of the trees of two commits ("" for the empty tree), without rename detection.
  Result<DiffPtr> tree_diff(const std::string& from, const std::string& to) const;
  // A merge commit is judged by what it adds beyond its parents: files whose merged side is
  // the same as another parent's (brought in by the branch, unchanged) leave its change.
  void drop_files_from_other_parents(const std::vector<std::string>& parents,
                                     std::vector<FileChange>& files) const;
  // What staged and worktree changes are compared against: HEAD (none when unborn), its tree,
  // and the index, freshly read.
  struct WorkTreeSides {
    std::optional<std::string> head;
    TreePtr tree;
    IndexPtr index;
  };
  Result<WorkTreeSides> work_tree_sides() const;
  Result<Change> load_staged();
  Result<Change> load_worktree();
  Result<Change> load_commit(const std::string& id);
  Result<ChangeSet> load_range(const Selection& selection);
  Result<std::vector<FileChange>> files_of(git_diff* diff, const AttributeSource& source,
                                           bool worktree, bool only_submodules = false);
  Status fill_worktree_side(FileChange& file, const git_diff_delta& delta);
  Status fill_hunks(FileChange& file, git_diff* diff, std::size_t index, bool keep_hunks);
  Result<std::size_t> blob_size(const std::string& oid, const std::string& path) const;
  Status classify(FileChange& file, const AttributeSource& source);
  void count_huge_lines(FileChange& file) const;
  // The base revision whose attributes judge the files that existed there (empty: none).
  void set_base(const std::string& commit) {
    if (commit.empty()) {
      m_base.reset();
      return;
    }
    auto shared = m_attribute_commit.find(commit);
    m_base = AttributeSource{AttributeSource::Kind::commit,
                             shared == m_attribute_commit.end() ? commit : shared->second};
  }
  Result<std::vector<AttributeValue>> linguist_attributes(const std::string& path,
                                                          const AttributeSource& source);
  std::optional<std::string> content_head(const FileChange& file, std::size_t bytes) const;
  Failure blob_failure(const FileChange& file, int code) const;
  // In a partial clone: fetches the blobs of `diffs` that agate reads, in one `git fetch`, and
  // records in the repository (Repository::record_missing) those it could not have or did not
  // ask for (binary files by their extension).
  void fetch_blobs(const std::vector<git_diff*>& diffs, bool worktree);
  // Whether a blob of `file`, or of any file of `diff`, is missing and was recorded so.
  bool blob_missing(const FileChange& file) const;
  bool diff_lacks_blobs(git_diff* diff) const;

  Repository& m_repo;
  const LoadOptions& m_options;
  // Where commits, trees, diffs and patches are read: the repository itself for staged and
  // worktree changes, its object-only twin for commits and ranges (no index involved).
  git_repository* m_git = nullptr;
  OdbPtr m_odb;
  std::map<std::pair<std::string, std::string>, std::vector<AttributeValue>> m_attribute_cache;
  // commit id -> the commit whose .gitattributes files it shares (itself or an ancestor)
  std::unordered_map<std::string, std::string> m_attribute_commit;
  // The attributes of the base revision (the old side of the diff being read): what judges the
  // files that existed there; nullopt when there is no base (a root commit, an unborn HEAD).
  std::optional<AttributeSource> m_base;
  // Sizes of hashed worktree contents that are not objects (too large ones are not kept).
  std::unordered_map<std::string, std::size_t> m_worktree_sizes;
};

Status Loader::need_work_tree() const {
  if (m_repo.is_bare()) {
    return fail("agate check needs a work tree: " + m_repo.git_dir().string() +
                " is a bare repository (check a commit or a range there instead)");
  }
  return success();
}

Result<std::optional<std::string>> Loader::head_commit() const {
  if (m_repo.head_unborn()) {
    return std::optional<std::string>();
  }
  auto head = m_repo.resolve("HEAD");
  TRY(head);
  return std::optional<std::string>(*head);
}

Result<Loader::CommitAndTree> Loader::commit_and_tree(const std::string& id) const {
  auto oid = parse_oid(id);
  TRY(oid);
  git_commit* commit_raw = nullptr;
  if (int rc = git_commit_lookup(&commit_raw, m_git, &*oid); rc < 0) {
    return m_repo.object_failure("commit", id, rc);
  }
  CommitPtr commit(commit_raw);
  git_tree* tree_raw = nullptr;
  if (int rc = git_commit_tree(&tree_raw, commit.get()); rc < 0) {
    return m_repo.object_failure("tree", oid_hex(*git_commit_tree_id(commit.get())), rc);
  }
  return CommitAndTree{std::move(commit), TreePtr(tree_raw)};
}

void Loader::drop_files_from_other_parents(const std::vector<std::string>& parents,
                                           std::vector<FileChange>& files) const {
  for (std::size_t i = 1; i < parents.size() && !files.empty(); ++i) {
    auto tree = tree_of_commit(parents[i]);
    if (!tree) {
      continue; // a parent a shallow clone lacks: the merge is judged on its first parent
    }
    std::erase_if(files, [&](const FileChange& file) {
      const std::string& path = file.path();
      git_tree_entry* entry_raw = nullptr;
      const bool present = git_tree_entry_bypath(&entry_raw, tree->get(), path.c_str()) == 0;
      TreeEntryPtr entry(entry_raw);
      if (file.new_path.empty()) {
        return !present; // the branch deleted it too
      }
      return present && oid_hex(*git_tree_entry_id(entry.get())) == file.new_oid;
    });
  }
}

Result<TreePtr> Loader::tree_of_commit(const std::string& id) const {
  auto found = commit_and_tree(id);
  TRY(found);
  return std::move(found->tree);
}

Result<DiffPtr> Loader::tree_diff(const std::string& from, const std::string& to) const {
  TreePtr from_tree;
  if (!from.empty()) {
    auto t = tree_of_commit(from);
    TRY(t);
    from_tree = std::move(*t);
  }
  auto to_tree = tree_of_commit(to);
  TRY(to_tree);
  auto options = diff_options();
  git_diff* diff_raw = nullptr;
  if (int rc = git_diff_tree_to_tree(&diff_raw, m_git, from_tree.get(), to_tree->get(), &options);
      rc < 0) {
    return git_failure(
        "cannot compare " +
            (from.empty() ? std::string("the empty tree") : Repository::short_id(from)) + " with " +
            Repository::short_id(to),
        rc);
  }
  return DiffPtr(diff_raw);
}

Result<ChangeSet> Loader::load(const Selection& selection) {
  m_git = git_handle(m_repo);
  if (selection.mode == SelectionMode::commit || selection.mode == SelectionMode::range) {
    auto objects = object_repository(m_repo);
    TRY(objects);
    m_git = *objects;
  }
  git_odb* odb_raw = nullptr;
  if (int rc = git_repository_odb(&odb_raw, m_git); rc < 0) {
    return git_failure("cannot open the object database", rc);
  }
  m_odb.reset(odb_raw);

  auto describe = [&](std::string text) {
    return selection.description_hint.empty() ? text
                                              : selection.description_hint + " (" + text + ")";
  };
  ChangeSet set;
  switch (selection.mode) {
  case SelectionMode::none:
    set.description =
        selection.description_hint.empty() ? "nothing to check" : selection.description_hint;
    return set;
  case SelectionMode::staged: {
    auto change = load_staged();
    TRY(change);
    set.description = describe("staged changes");
    set.changes.push_back(std::move(*change));
    return set;
  }
  case SelectionMode::worktree: {
    auto change = load_worktree();
    TRY(change);
    set.description = describe("worktree changes");
    set.changes.push_back(std::move(*change));
    return set;
  }
  case SelectionMode::commit: {
    auto id = m_repo.resolve(selection.rev.empty() ? "HEAD" : selection.rev);
    TRY(id);
    auto change = load_commit(*id);
    TRY(change);
    set.description = describe("commit " + Repository::short_id(*id));
    set.policy_rev = change->base_rev;
    set.changes.push_back(std::move(*change));
    return set;
  }
  case SelectionMode::range:
    return load_range(selection);
  }
  return fail("unknown selection mode");
}

Result<Loader::WorkTreeSides> Loader::work_tree_sides() const {
  TRY(need_work_tree());
  WorkTreeSides sides;
  auto head = head_commit();
  TRY(head);
  sides.head = std::move(*head);
  if (sides.head) {
    auto t = tree_of_commit(*sides.head);
    TRY(t);
    sides.tree = std::move(*t);
  }
  git_index* index_raw = nullptr;
  if (int rc = git_repository_index(&index_raw, m_git); rc < 0) {
    return git_failure("cannot read the index", rc);
  }
  sides.index.reset(index_raw);
  // The index object is cached by the repository: re-read it if the file changed since.
  if (int rc = git_index_read(sides.index.get(), 0); rc < 0) {
    return git_failure("cannot read the index", rc);
  }
  return sides;
}

Result<Change> Loader::load_staged() {
  auto sides = work_tree_sides();
  TRY(sides);
  auto& [head, tree, index] = *sides;
  auto options = diff_options();
  git_diff* diff_raw = nullptr;
  if (int rc = git_diff_tree_to_index(&diff_raw, m_git, tree.get(), index.get(), &options);
      rc < 0) {
    return git_failure("cannot compare HEAD with the index", rc);
  }
  DiffPtr diff(diff_raw);
  set_base(head.value_or(""));
  auto files = files_of(diff.get(), AttributeSource{AttributeSource::Kind::index, {}}, false);
  TRY(files);
  Change change;
  change.kind = ChangeKind::staged;
  change.label = "staged";
  change.base_rev = head.value_or("");
  change.files = std::move(*files);
  return change;
}

Result<Change> Loader::load_worktree() {
  auto sides = work_tree_sides();
  TRY(sides);
  auto& [head, tree, index] = *sides;
  // Submodules are left out of the work-tree diff (libgit2 1.5 leaks memory when it inspects
  // their work trees) and taken from the index: a submodule whose staged commit differs from
  // HEAD's is reported; one only checked out at another commit is not.
  auto options = diff_options();
  options.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
  git_diff* diff_raw = nullptr;
  if (int rc = git_diff_tree_to_workdir_with_index(&diff_raw, m_git, tree.get(), &options);
      rc < 0) {
    return git_failure("cannot compare HEAD with the work tree", rc);
  }
  DiffPtr diff(diff_raw);
  set_base(head.value_or(""));
  auto files = files_of(diff.get(), AttributeSource{AttributeSource::Kind::worktree, {}}, true);
  TRY(files);
  auto index_options = diff_options();
  git_diff* index_diff_raw = nullptr;
  if (int rc =
          git_diff_tree_to_index(&index_diff_raw, m_git, tree.get(), index.get(), &index_options);
      rc < 0) {
    return git_failure("cannot compare HEAD with the index", rc);
  }
  DiffPtr index_diff(index_diff_raw);
  auto submodules =
      files_of(index_diff.get(), AttributeSource{AttributeSource::Kind::worktree, {}}, false, true);
  TRY(submodules);
  for (auto& submodule : *submodules) {
    files->push_back(std::move(submodule));
  }
  Change change;
  change.kind = ChangeKind::worktree;
  change.label = "worktree";
  change.base_rev = head.value_or("");
  change.files = std::move(*files);
  return change;
}

Result<Change> Loader::load_commit(const std::string& id) {
  auto parent = first_parent(m_repo, id);
  TRY(parent);
  std::string parent_id = *parent;

  auto raw = m_repo.read_raw_object(id);
  TRY(raw);
  CommitInfo info = commit_info(id, *raw);

  auto compared = tree_diff(parent_id, id);
  TRY(compared);
  DiffPtr diff = std::move(*compared);

  // The commit shares its first parent's attributes unless it touches a .gitattributes file.
  std::string attribute_commit = id;
  if (!parent_id.empty()) {
    auto it = m_attribute_commit.find(parent_id);
    if (it != m_attribute_commit.end()) {
      bool touches = false;
      for (std::size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
        touches = touches || is_gitattributes(delta->old_file.path) ||
                  is_gitattributes(delta->new_file.path);
      }
      if (!touches) {
        attribute_commit = it->second;
      }
    }
  }
  m_attribute_commit[id] = attribute_commit;

  set_base(parent_id);
  auto files =
      files_of(diff.get(), AttributeSource{AttributeSource::Kind::commit, attribute_commit}, false);
  TRY(files);
  drop_files_from_other_parents(info.parents, *files);
  Change change;
  change.kind = ChangeKind::commit;
  change.label = Repository::short_id(id);
  change.base_rev = parent_id;
  change.head_rev = id;
  change.commit = std::move(info);
  change.files = std::move(*files);
  return change;
}

Result<ChangeSet> Loader::load_range(const Selection& selection) {
  if (selection.base.empty() || selection.head.empty()) {
    return fail("a range needs a base and a head revision (BASE..HEAD)");
  }
  auto base = resolve_base(m_repo, selection);
  TRY(base);
  auto head = m_repo.resolve(selection.head);
  TRY(head);
  auto commits = m_repo.commits_in_range(*base, *head, selection.expected_commits);
  TRY(commits);
  auto merge_base = m_repo.merge_base(*base, *head);
  TRY(merge_base);
  std::string old_side = merge_base->value_or(*base);

  if (m_repo.is_partial_clone()) {
    // One fetch for the whole range rather than one per commit.
    std::vector<DiffPtr> diffs;
    std::vector<std::pair<std::string, std::string>> sides;
    for (const auto& id : *commits) {
      auto parent = first_parent(m_repo, id);
      TRY(parent);
      sides.emplace_back(*parent, id);
    }
    sides.emplace_back(old_side, *head);
    for (const auto& [from, to] : sides) {
      auto diff = tree_diff(from, to);
      TRY(diff);
      diffs.push_back(std::move(*diff));
    }
    std::vector<git_diff*> raw;
    for (const auto& diff : diffs) {
      raw.push_back(diff.get());
    }
    fetch_blobs(raw, false);
  }

  ChangeSet set;
  for (const auto& id : *commits) {
    auto change = load_commit(id);
    TRY(change);
    set.changes.push_back(std::move(*change));
  }

  auto compared = tree_diff(old_side, *head);
  TRY(compared);
  DiffPtr diff = std::move(*compared);
  auto attribute_commit = m_attribute_commit.count(*head) ? m_attribute_commit[*head] : *head;
  set_base(old_side);
  auto files =
      files_of(diff.get(), AttributeSource{AttributeSource::Kind::commit, attribute_commit}, false);
  TRY(files);

  Change range;
  range.kind = ChangeKind::range;
  range.label = Repository::short_id(*base) + ".." + Repository::short_id(*head);
  range.base_rev = old_side;
  range.head_rev = *head;
  range.commits = *commits;
  range.files = std::move(*files);
  set.changes.push_back(std::move(range));

  std::string text = "range " + Repository::short_id(*base) + ".." + Repository::short_id(*head) +
                     " (" + std::to_string(commits->size()) +
                     (commits->size() == 1 ? " commit)" : " commits)");
  set.description =
      selection.description_hint.empty() ? text : selection.description_hint + " (" + text + ")";
  set.policy_rev = *base; // as selection_policy_rev says, without --policy-from
  return set;
}

void Loader::fetch_blobs(const std::vector<git_diff*>& diffs, bool worktree) {
  if (!m_repo.is_partial_clone()) {
    return;
  }
  std::set<std::string> wanted;
  std::set<std::string> binary;
  for (git_diff* diff : diffs) {
    for (std::size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
      const git_diff_delta* delta = git_diff_get_delta(diff, i);
      for (const git_diff_file* side : {&delta->old_file, &delta->new_file}) {
        if (side->mode == GIT_FILEMODE_COMMIT || side->mode == 0 || oid_is_zero(side->id) ||
            (worktree && side == &delta->new_file)) {
          continue; // a submodule, no such side, or a work-tree file (read from the disk)
        }
        const char* path = side->path == nullptr ? "" : side->path;
        (binary_by_extension(path) ? binary : wanted).insert(oid_hex(side->id));
      }
    }
  }
  for (const auto& id : binary) {
    wanted.erase(id);
  }
  for (const auto& id : m_repo.fetch_missing({wanted.begin(), wanted.end()})) {
    std::string why = m_repo.fetch_error();
    m_repo.record_missing(
        id, {true, "not checked: blob " + id +
                       " is missing from this partial clone and could not be fetched from its "
                       "promisor remote '" +
                       m_repo.promisor_remote().value_or("") + "'" +
                       (why.empty() ? std::string() : " (" + why + ")")});
  }
  for (const auto& id : m_repo.missing_objects({binary.begin(), binary.end()})) {
    m_repo.record_missing(id, {false, "not fetched in this partial clone: a binary file by its "
                                      "extension, which agate does not read"});
  }
}

bool Loader::diff_lacks_blobs(git_diff* diff) const {
  if (!m_repo.is_partial_clone()) {
    return false;
  }
  for (std::size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    for (const git_diff_file* side : {&delta->old_file, &delta->new_file}) {
      if (!oid_is_zero(side->id) && m_repo.missing_blob(oid_hex(side->id)) != nullptr) {
        return true;
      }
    }
  }
  return false;
}

bool Loader::blob_missing(const FileChange& file) const {
  if (file.submodule) {
    return false;
  }
  for (const auto* oid : {&file.old_oid, &file.new_oid}) {
    if (!oid->empty() && m_repo.missing_blob(*oid) != nullptr) {
      return true;
    }
  }
  return false;
}

Result<std::size_t> Loader::blob_size(const std::string& oid, const std::string& path) const {
  auto id = parse_oid(oid);
  TRY(id);
  if (auto it = m_worktree_sizes.find(oid); it != m_worktree_sizes.end()) {
    return it->second;
  }
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (int rc = git_odb_read_header(&size, &type, m_odb.get(), &*id); rc < 0) {
    return fail("cannot read blob " + oid + " of " + path + ": " + git_error_text(rc) +
                " (the repository may be corrupt: run `git fsck`)");
  }
  return size;
}

Failure Loader::blob_failure(const FileChange& file, int code) const {
  std::string message = git_error_text(code);
  // Name the blob that cannot be read.
  for (const auto* oid : {&file.old_oid, &file.new_oid}) {
    if (oid->empty() || m_worktree_sizes.count(*oid) != 0) {
      continue;
    }
    auto id = parse_oid(*oid);
    git_odb_object* object_raw = nullptr;
    if (id && git_odb_read(&object_raw, m_odb.get(), &*id) < 0) {
      return fail("cannot read blob " + *oid + " of " + file.path() + ": " + git_error_text(code) +
                  " (the repository may be corrupt: run `git fsck`)");
    }
    OdbObjectPtr object(object_raw);
  }
  return fail("cannot compare the versions of " + file.path() + ": " + message);
}

Status Loader::fill_worktree_side(FileChange& file, const git_diff_delta& delta) {
  if (delta.new_file.mode == GIT_FILEMODE_COMMIT) {
    return success(); // a submodule: its commit id is what libgit2 reports
  }
  if ((delta.new_file.flags & GIT_DIFF_FLAG_VALID_ID) != 0 && !oid_is_zero(delta.new_file.id) &&
      git_odb_exists(m_odb.get(), &delta.new_file.id) == 1) {
    file.new_oid = oid_hex(delta.new_file.id); // the work tree holds a blob that is an object
    return success();
  }
  fs::path path = m_repo.workdir() / fs::path(delta.new_file.path);
  std::string content;
  if (delta.new_file.mode == GIT_FILEMODE_LINK) {
    std::error_code ec;
    content = fs::read_symlink(path, ec).string();
    if (ec) {
      return fail("cannot read the symbolic link " + path.string() + ": " + ec.message());
    }
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return fail("cannot read " + path.string());
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    content = bytes.str();
    // What `git add` would store: the to-odb filters (eol conversion, ident, ...).
    git_filter_list* filters_raw = nullptr;
    if (int rc = git_filter_list_load(&filters_raw, m_git, nullptr, delta.new_file.path,
                                      GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT);
        rc < 0) {
      return git_failure("cannot load the filters for " + std::string(delta.new_file.path), rc);
    }
    FilterListPtr filters(filters_raw);
    if (filters) {
      GitBuf filtered;
      if (int rc = git_filter_list_apply_to_buffer(filtered.get(), filters.get(), content.data(),
                                                   content.size());
          rc < 0) {
        return git_failure("cannot filter " + std::string(delta.new_file.path), rc);
      }
      content = filtered.str();
    }
  }
  git_oid id;
  if (int rc = git_odb_hash(&id, content.data(), content.size(), GIT_OBJECT_BLOB); rc < 0) {
    return git_failure("cannot hash " + path.string(), rc);
  }
  file.new_oid = oid_hex(id);
  if (git_odb_exists(m_odb.get(), &id) != 1) {
    m_worktree_sizes[file.new_oid] = content.size();
    if (content.size() <= m_options.max_file_bytes) {
      m_repo.content().add_overlay(file.new_oid, std::move(content));
    }
  }
  return success();
}

Status Loader::fill_hunks(FileChange& file, git_diff* diff, std::size_t index, bool keep_hunks) {
  git_patch* patch_raw = nullptr;
  if (int rc = git_patch_from_diff(&patch_raw, diff, index); rc < 0) {
    return blob_failure(file, rc);
  }
  PatchPtr patch(patch_raw);
  if (!patch) {
    return success(); // unchanged content
  }
  const git_diff_delta* delta = git_patch_get_delta(patch.get());
  if ((delta->flags & GIT_DIFF_FLAG_BINARY) != 0) {
    file.binary = true;
    return success();
  }
  std::size_t additions = 0;
  std::size_t deletions = 0;
  git_patch_line_stats(nullptr, &additions, &deletions, patch.get());
  file.added_lines = static_cast<int>(additions);
  file.deleted_lines = static_cast<int>(deletions);
  if (!keep_hunks) {
    return success();
  }
  std::size_t hunk_count = git_patch_num_hunks(patch.get());
  file.hunks.reserve(hunk_count);
  for (std::size_t h = 0; h < hunk_count; ++h) {
    const git_diff_hunk* git_hunk = nullptr;
    std::size_t line_count = 0;
    if (int rc = git_patch_get_hunk(&git_hunk, &line_count, patch.get(), h); rc < 0) {
      return blob_failure(file, rc);
    }
    Hunk hunk;
    hunk.old_start = git_hunk->old_start;
    hunk.old_lines = git_hunk->old_lines;
    hunk.new_start = git_hunk->new_start;
    hunk.new_lines = git_hunk->new_lines;
    hunk.header = strip_newline(git_hunk->header, git_hunk->header_len);
    hunk.lines.reserve(line_count);
    for (std::size_t l = 0; l < line_count; ++l) {
      const git_diff_line* line = nullptr;
      if (int rc = git_patch_get_line_in_hunk(&line, patch.get(), h, l); rc < 0) {
        return blob_failure(file, rc);
      }
      if (line->origin != GIT_DIFF_LINE_CONTEXT && line->origin != GIT_DIFF_LINE_ADDITION &&
          line->origin != GIT_DIFF_LINE_DELETION) {
        continue; // "\ No newline at end of file" markers
      }
      DiffLine diff_line;
      diff_line.origin = line->origin;
      diff_line.old_line = std::max(line->old_lineno, 0);
      diff_line.new_line = std::max(line->new_lineno, 0);
      diff_line.text = strip_newline(line->content, line->content_len);
      hunk.lines.push_back(std::move(diff_line));
    }
    file.hunks.push_back(std::move(hunk));
  }
  return success();
}

Result<std::vector<AttributeValue>> Loader::linguist_attributes(const std::string& path,
                                                                const AttributeSource& source) {
  std::string source_key =
      source.kind == AttributeSource::Kind::commit
          ? source.commit_id
          : std::string(source.kind == AttributeSource::Kind::index ? ":index" : ":worktree");
  auto key = std::make_pair(std::move(source_key), path);
  auto it = m_attribute_cache.find(key);
  if (it != m_attribute_cache.end()) {
    return it->second;
  }
  auto values = m_repo.attributes(path, k_linguist_attributes, source);
  TRY(values);
  m_attribute_cache.emplace(std::move(key), *values);
  return values;
}

std::optional<std::string> Loader::content_head(const FileChange& file, std::size_t bytes) const {
  const std::string& oid = file.new_oid.empty() ? file.old_oid : file.new_oid;
  if (oid.empty()) {
    return std::nullopt;
  }
  auto content = m_repo.content().blob(oid);
  if (content && content->size() > bytes) {
    content->resize(bytes);
  }
  return content;
}

// A text file too large to diff still counts: its old lines as deleted, its new ones as added
// (an upper bound). Binary content (a NUL byte in its first 8000 bytes, as git decides) counts
// no lines.
void Loader::count_huge_lines(FileChange& file) const {
  auto lines_of = [this](const std::string& oid) -> int {
    if (oid.empty()) {
      return 0;
    }
    auto content = m_repo.content().blob(oid);
    if (!content ||
        std::string_view(*content).substr(0, 8000).find('\0') != std::string_view::npos) {
      return 0;
    }
    auto count = std::count(content->begin(), content->end(), '\n');
    if (!content->empty() && content->back() != '\n') {
      ++count;
    }
    return static_cast<int>(std::min<std::ptrdiff_t>(count, 1 << 30));
  };
  file.deleted_lines = lines_of(file.old_oid);
  file.added_lines = lines_of(file.new_oid);
}

Status Loader::classify(FileChange& file, const AttributeSource& reviewed) {
  const std::string& path = file.path();
  // A file that existed in the base is judged by the base's .gitattributes: a change cannot take
  // its own code out of analysis by marking it generated, vendored or plain text.
  const bool in_base = !file.old_path.empty() && m_base.has_value();
  const AttributeSource& source = in_base ? *m_base : reviewed;
  auto attributes = linguist_attributes(path, source);
  TRY(attributes);
  const AttributeValue& language_attr = (*attributes)[0];
  const AttributeValue& generated_attr = (*attributes)[1];
  const AttributeValue& vendored_attr = (*attributes)[2];

  bool readable = !file.binary && !file.submodule && !file.symlink && !file.too_large;
  std::optional<std::string> head;
  bool head_read = false;
  auto read_head = [&]() -> const std::optional<std::string>& {
    if (!head_read) {
      head = content_head(file, 1024);
      head_read = true;
    }
    return head;
  };

  if (language_attr && *language_attr != "true" && *language_attr != "false") {
    // An explicit linguist-language wins, even when agate does not read that language.
    if (const auto* by_name = syntax::language_for_linguist(*language_attr)) {
      file.language = std::string(by_name->id);
    }
  } else if (const auto* by_path = syntax::language_for_path(path)) {
    file.language = std::string(by_path->id);
    if (readable && path.ends_with(".h")) { // C, or a C++ project's header
      if (auto text = content_head(file, syntax::header_sniff_bytes)) {
        file.language = std::string(syntax::refine_header_language(file.language, path, *text));
      }
    }
  } else if (readable) {
    if (const auto& bytes = read_head(); bytes && bytes->starts_with("#!")) {
      std::string_view first = std::string_view(*bytes).substr(0, 256);
      first = first.substr(0, first.find('\n'));
      if (!first.empty() && first.back() == '\r') {
        first.remove_suffix(1);
      }
      if (const auto* by_shebang = syntax::language_for_shebang(first)) {
        file.language = std::string(by_shebang->id);
      }
    }
  }

  // Vendored paths, lock-file names, ignore globs and generated markers: of the old path and the
  // old content for a file that existed in the base (moving code under vendor/, renaming it to a
  // lock-file name or adding an @generated marker does not exclude it), else of the new ones.
  const std::string& judged_path = in_base ? file.old_path : path;
  AttributeValue base_vendored = vendored_attr;
  AttributeValue base_generated = generated_attr;
  if (in_base) {
    auto old_attributes = linguist_attributes(file.old_path, source);
    TRY(old_attributes);
    base_generated = (*old_attributes)[1];
    base_vendored = (*old_attributes)[2];
    const AttributeValue& old_language_attr = (*old_attributes)[0];
    if (old_language_attr && *old_language_attr != "true" && *old_language_attr != "false") {
      if (const auto* by_name = syntax::language_for_linguist(*old_language_attr)) {
        file.old_language = std::string(by_name->id);
      }
    } else if (const auto* by_path = syntax::language_for_path(file.old_path)) {
      file.old_language = std::string(by_path->id);
    }
    if (file.old_language.empty() && file.old_path == path) {
      file.old_language = file.language; // by its shebang
    }
  }
  if (base_vendored) {
    file.vendored = attribute_true(base_vendored);
  } else {
    file.vendored = syntax::is_vendored_path(judged_path);
  }
  file.lockfile = syntax::is_lock_file(judged_path);
  file.prompt_record = path.starts_with(".agate/prompts/");
  file.ignored = m_options.is_ignored && m_options.is_ignored(judged_path);
  if (base_generated) {
    file.generated = attribute_true(base_generated);
  } else if (in_base) {
    // The marker of the old content: one the change adds does not count.
    if (!file.old_oid.empty() && !file.old_language.empty() && !file.vendored && !file.lockfile &&
        !file.ignored) {
      auto bytes = m_repo.content().blob(file.old_oid);
      if (bytes && bytes->size() > 1024) {
        bytes->resize(1024);
      }
      file.generated = bytes && syntax::has_generated_marker(*bytes);
    }
  } else if (readable && !file.language.empty() && !file.excluded()) {
    // Only code that would otherwise be analyzed is worth reading for a marker.
    const auto& bytes = read_head();
    file.generated = bytes && syntax::has_generated_marker(*bytes);
  }
  return success();
}

Result<std::vector<FileChange>> Loader::files_of(git_diff* diff, const AttributeSource& source,
                                                 bool worktree, bool only_submodules) {
  if (!only_submodules) {
    fetch_blobs({diff}, worktree);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
    find.rename_threshold = 50;
    find.copy_threshold = 50;
    // Blobs a partial clone lacks cannot be compared: renames are then found by id only.
    const bool missing = diff_lacks_blobs(diff);
    if (missing) {
      find.flags |= GIT_DIFF_FIND_EXACT_MATCH_ONLY;
    }
    if (int rc = git_diff_find_similar(diff, &find); rc < 0) {
      if (!missing) {
        return git_failure("cannot detect renames", rc);
      }
      git_error_clear(); // the files stay as added and deleted
    }
  }

  std::vector<FileChange> files;
  std::size_t count = git_diff_num_deltas(diff);
  files.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    if (delta->status == GIT_DELTA_UNMODIFIED || delta->status == GIT_DELTA_IGNORED ||
        delta->status == GIT_DELTA_UNTRACKED || delta->status == GIT_DELTA_UNREADABLE) {
      continue;
    }
    if (only_submodules && delta->old_file.mode != GIT_FILEMODE_COMMIT &&
        delta->new_file.mode != GIT_FILEMODE_COMMIT) {
      continue;
    }
    FileChange file;
    file.status = status_of(delta->status);
    if (file.status != FileStatus::added) {
      file.old_path = delta->old_file.path;
      file.old_oid = oid_or_empty(delta->old_file.id);
      file.old_mode = delta->old_file.mode;
    }
    if (file.status != FileStatus::deleted) {
      file.new_path = delta->new_file.path;
      file.new_mode = delta->new_file.mode;
      if (worktree) {
        TRY(fill_worktree_side(file, *delta));
      }
      if (file.new_oid.empty()) {
        file.new_oid = oid_or_empty(delta->new_file.id);
      }
    }
    if (file.status == FileStatus::renamed || file.status == FileStatus::copied) {
      file.similarity = static_cast<int>(delta->similarity);
    }
    file.submodule = file.old_mode == GIT_FILEMODE_COMMIT || file.new_mode == GIT_FILEMODE_COMMIT;
    file.symlink = file.old_mode == GIT_FILEMODE_LINK || file.new_mode == GIT_FILEMODE_LINK;
    file.mode_only = file.status == FileStatus::modified && file.old_mode != file.new_mode &&
                     !file.old_oid.empty() && file.old_oid == file.new_oid;

    if (blob_missing(file)) {
      // Nothing of it can be read: no sizes, no hunks, no parsing (the pipeline says why).
      file.binary = true;
      TRY(classify(file, source));
      files.push_back(std::move(file));
      continue;
    }
    std::size_t largest = 0;
    if (!file.submodule) {
      for (const auto* oid : {&file.old_oid, &file.new_oid}) {
        if (oid->empty()) {
          continue;
        }
        auto size = blob_size(*oid, file.path());
        TRY(size);
        largest = std::max(largest, *size);
      }
      file.too_large = largest > m_options.max_file_bytes;
    }
    // A file too large to analyze still counts toward the size of the change: its line counts
    // are computed (without keeping hunks) unless it is huge.
    if (!file.submodule && !file.mode_only && largest <= k_max_counted_bytes) {
      TRY(fill_hunks(file, diff, i, !file.too_large));
    } else if (!file.submodule && !file.mode_only) {
      count_huge_lines(file);
    }
    TRY(classify(file, source));
    files.push_back(std::move(file));
  }
  return files;
}

} // namespace

Result<std::string> selection_policy_rev(Repository& repo, const Selection& sel) {
  ensure_libgit2();
  if (!sel.policy_from.empty() && sel.mode != SelectionMode::none) {
    auto from = repo.resolve(sel.policy_from);
    if (!from) {
      return fail("--policy-from: " + from.error());
    }
    return from;
  }
  switch (sel.mode) {
  case SelectionMode::staged:
  case SelectionMode::worktree:
  case SelectionMode::none:
    return std::string();
  case SelectionMode::commit: {
    auto id = repo.resolve(sel.rev.empty() ? "HEAD" : sel.rev);
    TRY(id);
    return first_parent(repo, *id);
  }
  case SelectionMode::range: {
    if (sel.base.empty() || sel.head.empty()) {
      return fail("a range needs a base and a head revision (BASE..HEAD)");
    }
    auto base = resolve_base(repo, sel);
    TRY(base);
    auto head = repo.resolve(sel.head);
    TRY(head);
    return base;
  }
  }
  return std::string();
}

Result<ChangeSet> load_changes(Repository& repo, const Selection& sel, const LoadOptions& opts) {
  ensure_libgit2();
  Loader loader(repo, opts);
  return loader.load(sel);
}

} // namespace agate::gate
