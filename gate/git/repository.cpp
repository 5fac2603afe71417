// Repository: libgit2 access with one-line, actionable failures; see repository.hpp.
#include "gate/git/repository.hpp"

#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <sys/stat.h>
#include <unistd.h>

namespace agate::gate {

namespace fs = std::filesystem;

std::string fetch_more_history_hint(std::optional<std::size_t> deepen) {
  if (deepen) {
    return "actions/checkout with fetch-depth: 0, or `git fetch --deepen=" +
           std::to_string(*deepen) + "`";
  }
  return "actions/checkout with fetch-depth: 0, or `git fetch --unshallow`";
}

// --- RepositoryContent -------------------------------------------------------------------------

std::optional<std::string> RepositoryContent::blob(std::string_view oid) const {
  {
    std::lock_guard lock(m_mutex);
    auto it = m_overlay.find(oid);
    if (it != m_overlay.end()) {
      return it->second;
    }
  }
  if (oid == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391") {
    return std::string(); // the empty blob, which git does not always write (`git add -N`)
  }
  auto id = parse_oid(oid);
  if (!id) {
    return std::nullopt;
  }
  git_odb* odb_raw = nullptr;
  if (git_repository_odb(&odb_raw, m_repo) < 0) {
    return std::nullopt;
  }
  OdbPtr odb(odb_raw);
  git_odb_object* object_raw = nullptr;
  if (git_odb_read(&object_raw, odb.get(), &*id) < 0) {
    return std::nullopt;
  }
  OdbObjectPtr object(object_raw);
  if (git_odb_object_type(object.get()) != GIT_OBJECT_BLOB) {
    return std::nullopt;
  }
  return std::string(static_cast<const char*>(git_odb_object_data(object.get())),
                     git_odb_object_size(object.get()));
}

void RepositoryContent::add_overlay(std::string oid, std::string content) {
  std::lock_guard lock(m_mutex);
  m_overlay[std::move(oid)] = std::move(content);
}

bool RepositoryContent::has_overlay(std::string_view oid) const {
  std::lock_guard lock(m_mutex);
  return m_overlay.find(oid) != m_overlay.end();
}

// --- opening ------------------------------------------------------------------------------------

namespace {

std::optional<std::string> default_getenv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

// The git directory that discovery finds from `start`, without opening (or validating) it.
std::optional<std::string> discover_git_dir(const std::string& start) {
  GitBuf buf;
  if (git_repository_discover(buf.get(), start.c_str(), 0, nullptr) < 0) {
    git_error_clear();
    return std::nullopt;
  }
  std::string dir = buf.str();
  while (dir.size() > 1 && dir.back() == '/') {
    dir.pop_back();
  }
  return dir;
}

// extensions.objectFormat of the repository whose git dir is `git_dir`, lower case.
std::string object_format(const std::string& git_dir) {
  git_config* config_raw = nullptr;
  auto path = (fs::path(git_dir) / "config").string();
  if (git_config_open_ondisk(&config_raw, path.c_str()) < 0) {
    git_error_clear();
    return {};
  }
  ConfigPtr config(config_raw);
  GitBuf value;
  if (git_config_get_string_buf(value.get(), config.get(), "extensions.objectformat") < 0) {
    git_error_clear();
    return {};
  }
  return lower(value.str());
}

// The directory git's safe.directory must name: the work tree, or the git dir when bare.
std::string owner_check_path(const std::string& git_dir) {
  fs::path dir(git_dir);
  if (dir.filename() == ".git") {
    return dir.parent_path().string();
  }
  return dir.string();
}

// True when the git dir or its work tree belongs to another user than the one running agate.
bool owned_by_someone_else(const std::string& git_dir) {
  uid_t me = geteuid();
  for (const auto& path : {git_dir, owner_check_path(git_dir)}) {
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && info.st_uid != me) {
      return true;
    }
  }
  return false;
}

// True when git's own configuration (system and global, where git reads safe.directory)
// trusts every repository with `safe.directory = *`, which libgit2 1.5 does not understand.
// An empty value resets the list, as in git.
bool safe_directory_allows_all() {
  git_config* config_raw = nullptr;
  if (git_config_open_default(&config_raw) < 0) {
    git_error_clear();
    return false;
  }
  ConfigPtr config(config_raw);
  bool all = false;
  auto callback = [](const git_config_entry* entry, void* payload) -> int {
    bool& allowed = *static_cast<bool*>(payload);
    std::string_view value = entry->value != nullptr ? entry->value : "";
    if (value.empty()) {
      allowed = false;
    } else if (value == "*") {
      allowed = true;
    }
    return 0;
  };
  if (git_config_get_multivar_foreach(config.get(), "safe.directory", nullptr, callback, &all) <
      0) {
    git_error_clear();
    return false;
  }
  return all;
}

bool is_hex_id(std::string_view s) {
  return s.size() == GIT_OID_HEXSZ && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

} // namespace

void GitRepositoryFree::operator()(git_repository* repo) const noexcept {
  git_repository_free(repo);
}

git_repository* git_handle(const Repository& repo) {
  return repo.m_repo.get();
}

Result<git_repository*> object_repository(Repository& repo) {
  return repo.objects();
}

Repository::Repository(Handle repo)
    : m_repo(std::move(repo)), m_content(std::make_unique<RepositoryContent>(m_repo.get())) {}

Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Result<Repository> Repository::open(const fs::path& start, const OpenOptions& options) {
  ensure_libgit2();
  auto getenv = options.getenv ? options.getenv : default_getenv;

  std::string start_path = start.empty() ? std::string(".") : start.string();
  unsigned int flags = 0;
  std::optional<std::string> git_dir_env;
  if (options.use_environment) {
    git_dir_env = getenv("GIT_DIR");
    if (git_dir_env && !git_dir_env->empty()) {
      std::error_code ec;
      start_path = fs::absolute(*git_dir_env, ec).string();
      flags = GIT_REPOSITORY_OPEN_NO_SEARCH;
    }
  }

  auto sha256_failure = [](const std::string& dir) {
    return fail("the repository at " + dir +
                " uses SHA-256 object ids (extensions.objectFormat=sha256), which this build "
                "of agate (libgit2 1.5) cannot read");
  };
  // Checked before libgit2 tries (and fails, leaking memory) to open such a repository.
  auto discovered =
      flags == 0 ? discover_git_dir(start_path) : std::optional<std::string>(start_path);
  if (discovered && object_format(*discovered) == "sha256") {
    return sha256_failure(*discovered);
  }

  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, start_path.c_str(), flags, nullptr);
  std::string libgit2_message;
  bool untrusted = false;
  if (rc < 0) {
    libgit2_message = git_error_text(rc);
    // libgit2 1.5.1 reports a repository it does not trust as GIT_ENOTFOUND with a message
    // about safe.directory; later versions return GIT_EOWNER.
    untrusted = rc == GIT_EOWNER ||
                (discovered && (libgit2_message.find("safe.directory") != std::string::npos ||
                                owned_by_someone_else(*discovered)));
    if (untrusted && safe_directory_allows_all()) {
      // git trusts it (`safe.directory = *`): open it as git would. The option is global to
      // the process, so it is switched off only for this call.
      untrusted = false;
      git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
      rc = git_repository_open_ext(&raw, start_path.c_str(), flags, nullptr);
      git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
      if (rc < 0) {
        libgit2_message = git_error_text(rc);
      }
    }
  }
  if (rc < 0) {
    const auto& git_dir = discovered;
    if (untrusted) {
      std::string dir = git_dir ? owner_check_path(*git_dir) : start_path;
      return fail("the repository at " + dir +
                  " is owned by another user, so git does not trust it: add it to git's "
                  "safe.directory with `git config --global --add safe.directory " +
                  dir + "`");
    }
    if (libgit2_message.find("objectformat") != std::string::npos) {
      return sha256_failure(git_dir ? *git_dir : start_path);
    }
    if (rc == GIT_ENOTFOUND) {
      return fail("not a git repository (or any of its parent directories): " + start_path);
    }
    return fail("cannot open the git repository at " + start_path + ": " + libgit2_message);
  }
  RepositoryPtr repo(raw);

  if (options.use_environment) {
    auto work_tree = getenv("GIT_WORK_TREE");
    if (work_tree && !work_tree->empty()) {
      std::error_code ec;
      auto dir = fs::absolute(*work_tree, ec).string();
      if (int wrc = git_repository_set_workdir(repo.get(), dir.c_str(), 0); wrc < 0) {
        return git_failure("cannot use GIT_WORK_TREE " + dir, wrc);
      }
    }
    auto index_file = getenv("GIT_INDEX_FILE");
    if (index_file && !index_file->empty()) {
      std::error_code ec;
      auto path = fs::absolute(*index_file, ec).string();
      git_index* index_raw = nullptr;
      if (int irc = git_index_open(&index_raw, path.c_str()); irc < 0) {
        return git_failure("cannot read GIT_INDEX_FILE " + path, irc);
      }
      IndexPtr index(index_raw);
      if (int src = git_repository_set_index(repo.get(), index.get()); src < 0) {
        return git_failure("cannot use GIT_INDEX_FILE " + path, src);
      }
    }
  }

  Repository result(Handle(repo.release()));
  if (git_repository_is_shallow(result.m_repo.get()) == 1) {
    std::ifstream in(fs::path(git_repository_commondir(result.m_repo.get())) / "shallow");
    std::string line;
    while (std::getline(in, line)) {
      if (is_hex_id(line)) {
        result.m_shallow.insert(line);
      }
    }
  }
  return result;
}

fs::path Repository::workdir() const {
  const char* dir = git_repository_workdir(m_repo.get());
  return dir == nullptr ? fs::path() : fs::path(dir);
}

fs::path Repository::git_dir() const {
  return fs::path(git_repository_path(m_repo.get()));
}

bool Repository::is_bare() const {
  return git_repository_is_bare(m_repo.get()) == 1;
}

bool Repository::is_shallow() const {
  return git_repository_is_shallow(m_repo.get()) == 1;
}

bool Repository::head_unborn() const {
  return git_repository_head_unborn(m_repo.get()) == 1;
}

// --- objects -------------------------------------------------------------------------------------

Failure Repository::object_failure(std::string_view what, std::string_view id, int code) const {
  std::string name = std::string(what) + " " + std::string(id);
  if (code == GIT_ENOTFOUND) {
    if (is_shallow()) {
      return fail("the " + name + " is not in this shallow clone: fetch more history (" +
                  fetch_more_history_hint(std::nullopt) + ")");
    }
    return fail("the " + name +
                " is missing from the repository (run `git fsck`): " + git_error_text(code));
  }
  return fail("cannot read " + name + ": " + git_error_text(code) +
              " (the repository may be corrupt: run `git fsck`)");
}

Result<std::string> Repository::resolve(std::string_view rev) const {
  std::string spec(rev);
  if (spec.empty()) {
    return fail("an empty revision was given");
  }
  // A plain ref name (HEAD, main, origin/main, v1) is turned into its id first: libgit2 1.5's
  // revparse leaks memory when the object a ref names is corrupt, and the id names it in errors.
  std::string ref_target;
  git_reference* ref_raw = nullptr;
  if (git_reference_dwim(&ref_raw, m_repo.get(), spec.c_str()) == 0) {
    ReferencePtr ref(ref_raw);
    git_reference* resolved_raw = nullptr;
    if (git_reference_resolve(&resolved_raw, ref.get()) == 0) {
      ReferencePtr resolved(resolved_raw);
      if (const git_oid* target = git_reference_target(resolved.get())) {
        ref_target = oid_hex(*target);
      }
    }
  }
  git_error_clear();
  std::string lookup = ref_target.empty() ? spec : ref_target;

  git_object* object_raw = nullptr;
  int rc = git_revparse_single(&object_raw, m_repo.get(), lookup.c_str());
  if (rc < 0) {
    bool about_head = spec == "HEAD" || spec == "@" || spec.starts_with("HEAD~") ||
                      spec.starts_with("HEAD^") || spec.starts_with("@~") || spec.starts_with("@^");
    if (about_head && head_unborn()) {
      return fail("HEAD has no commits yet (the current branch is unborn), so there is no commit "
                  "'" +
                  spec + "' to check: commit first, or check the staged changes");
    }
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
      if (is_hex_id(spec) && is_shallow()) {
        return fail("the commit " + spec + " is not in this shallow clone: fetch more history (" +
                    fetch_more_history_hint(std::nullopt) + ")");
      }
      return fail("unknown revision '" + spec + "'");
    }
    if (rc == GIT_EAMBIGUOUS) {
      return fail("ambiguous revision '" + spec + "': give more digits of the commit id");
    }
    // The object exists but cannot be read: name its id when the revision is a ref or an id.
    std::string message = git_error_text(rc);
    std::string id = is_hex_id(lookup) ? lookup : std::string();
    if (!id.empty()) {
      return fail("cannot read object " + id + " ('" + spec + "'): " + message +
                  " (the repository may be corrupt: run `git fsck`)");
    }
    return fail("cannot read revision '" + spec + "': " + message +
                " (the repository may be corrupt: run `git fsck`)");
  }
  ObjectPtr object(object_raw);
  git_object* commit_raw = nullptr;
  rc = git_object_peel(&commit_raw, object.get(), GIT_OBJECT_COMMIT);
  if (rc < 0) {
    return fail("revision '" + spec + "' does not name a commit");
  }
  ObjectPtr commit(commit_raw);
  return oid_hex(*git_object_id(commit.get()));
}

Result<std::string> Repository::read_raw_object(std::string_view id) const {
  auto oid = parse_oid(id);
  TRY(oid);
  git_odb* odb_raw = nullptr;
  if (int rc = git_repository_odb(&odb_raw, m_repo.get()); rc < 0) {
    return git_failure("cannot open the object database", rc);
  }
  OdbPtr odb(odb_raw);
  git_odb_object* object_raw = nullptr;
  if (int rc = git_odb_read(&object_raw, odb.get(), &*oid); rc < 0) {
    return object_failure("object", id, rc);
  }
  OdbObjectPtr object(object_raw);
  return std::string(static_cast<const char*>(git_odb_object_data(object.get())),
                     git_odb_object_size(object.get()));
}

Result<std::optional<std::string>> Repository::read_file_at(std::string_view rev,
                                                            std::string_view path) const {
  auto id = resolve(rev);
  TRY(id);
  auto oid = parse_oid(*id);
  git_commit* commit_raw = nullptr;
  if (int rc = git_commit_lookup(&commit_raw, m_repo.get(), &*oid); rc < 0) {
    return object_failure("commit", *id, rc);
  }
  CommitPtr commit(commit_raw);
  git_tree* tree_raw = nullptr;
  if (int rc = git_commit_tree(&tree_raw, commit.get()); rc < 0) {
    return object_failure("tree", oid_hex(*git_commit_tree_id(commit.get())), rc);
  }
  TreePtr tree(tree_raw);
  std::string rel(path);
  git_tree_entry* entry_raw = nullptr;
  int rc = git_tree_entry_bypath(&entry_raw, tree.get(), rel.c_str());
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) {
    return git_failure("cannot look up " + rel + " at " + short_id(*id), rc);
  }
  TreeEntryPtr entry(entry_raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
    return std::optional<std::string>();
  }
  auto content = read_raw_object(oid_hex(*git_tree_entry_id(entry.get())));
  TRY(content);
  return std::optional<std::string>(std::move(*content));
}

// --- history -------------------------------------------------------------------------------------

Result<std::string> Repository::full_id(std::string_view rev) const {
  if (is_hex_id(rev)) {
    return std::string(rev);
  }
  return resolve(rev);
}

Result<std::vector<std::string>>
Repository::commits_in_range(std::string_view base, std::string_view head,
                             std::optional<std::size_t> expected_commits) const {
  auto base_id = full_id(base);
  TRY(base_id);
  auto head_id = full_id(head);
  TRY(head_id);
  return commits_between(*base_id, *head_id, expected_commits);
}

Result<std::vector<std::string>>
Repository::commits_between(std::string_view base, std::string_view head,
                            std::optional<std::size_t> expected_commits) const {
  if (is_shallow()) {
    return walk_shallow(base, head, expected_commits);
  }
  auto base_oid = parse_oid(base);
  auto head_oid = parse_oid(head);
  if (!base_oid || !head_oid) {
    return fail(!base_oid ? base_oid.error() : head_oid.error());
  }
  git_revwalk* walk_raw = nullptr;
  if (int rc = git_revwalk_new(&walk_raw, m_repo.get()); rc < 0) {
    return git_failure("cannot walk the history", rc);
  }
  RevwalkPtr walk(walk_raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  if (int rc = git_revwalk_push(walk.get(), &*head_oid); rc < 0) {
    return object_failure("commit", head, rc);
  }
  if (int rc = git_revwalk_hide(walk.get(), &*base_oid); rc < 0) {
    return object_failure("commit", base, rc);
  }
  std::vector<std::string> commits;
  git_oid id;
  int rc = 0;
  while ((rc = git_revwalk_next(&id, walk.get())) == 0) {
    commits.push_back(oid_hex(id));
  }
  if (rc != GIT_ITEROVER) {
    return fail("cannot walk the history from " + short_id(head) + " to " + short_id(base) + ": " +
                git_error_text(rc) + " (the repository may be corrupt: run `git fsck`)");
  }
  return commits;
}

namespace {

struct CommitNode {
  std::vector<std::string> parents; // empty for a root or a shallow boundary commit
  int64_t time = 0;
  bool boundary = false;
};

using Graph = std::unordered_map<std::string, CommitNode>;

// All commits reachable from `start` in the available history, boundary commits parentless.
Result<std::unordered_set<std::string>> ancestors(const Repository& repo, const std::string& start,
                                                  Graph& graph) {
  std::unordered_set<std::string> seen;
  std::vector<std::string> stack{start};
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(id).second) {
      continue;
    }
    auto it = graph.find(id);
    if (it == graph.end()) {
      auto oid = parse_oid(id);
      TRY(oid);
      git_commit* commit_raw = nullptr;
      if (int rc = git_commit_lookup(&commit_raw, git_handle(repo), &*oid); rc < 0) {
        return repo.object_failure("commit", id, rc);
      }
      CommitPtr commit(commit_raw);
      CommitNode node;
      node.time = git_commit_time(commit.get());
      node.boundary = repo.shallow_boundary().count(id) != 0;
      if (!node.boundary) {
        for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
          node.parents.push_back(oid_hex(*git_commit_parent_id(commit.get(), i)));
        }
      }
      it = graph.emplace(id, std::move(node)).first;
    }
    for (const auto& parent : it->second.parents) {
      if (!seen.count(parent)) {
        stack.push_back(parent);
      }
    }
  }
  return seen;
}

} // namespace

Result<std::vector<std::string>>
Repository::walk_shallow(std::string_view base, std::string_view head,
                         std::optional<std::size_t> expected_commits) const {
  Graph graph;
  auto from_head = ancestors(*this, std::string(head), graph);
  TRY(from_head);
  auto from_base = ancestors(*this, std::string(base), graph);
  TRY(from_base);
  std::unordered_set<std::string> range;
  for (const auto& id : *from_head) {
    if (!from_base->count(id)) {
      range.insert(id);
    }
  }
  for (const auto& id : range) {
    if (graph.at(id).boundary) {
      std::optional<std::size_t> deepen;
      if (expected_commits) {
        deepen = *expected_commits + 1;
      }
      return fail("the base commit " + std::string(base) +
                  " is not in the history of this shallow clone: fetch more history (" +
                  fetch_more_history_hint(deepen) + ")");
    }
  }
  // Parents before children: a depth-first post-order from head, first parents first.
  std::vector<std::string> order;
  std::unordered_set<std::string> done;
  std::vector<std::pair<std::string, std::size_t>> stack;
  if (range.count(std::string(head))) {
    stack.emplace_back(std::string(head), 0);
  }
  while (!stack.empty()) {
    auto& [id, next_parent] = stack.back();
    const auto& parents = graph.at(id).parents;
    if (next_parent < parents.size()) {
      const std::string& parent = parents[next_parent++];
      if (range.count(parent) && !done.count(parent)) {
        stack.emplace_back(parent, 0); // a DAG: a parent is never already on the stack
      }
      continue;
    }
    done.insert(id);
    order.push_back(id);
    stack.pop_back();
  }
  return order;
}

Result<std::optional<std::string>> Repository::merge_base(std::string_view a,
                                                          std::string_view b) const {
  auto a_id = full_id(a);
  TRY(a_id);
  auto b_id = full_id(b);
  TRY(b_id);
  return merge_base_of(*a_id, *b_id);
}

Result<std::optional<std::string>> Repository::merge_base_of(std::string_view a,
                                                             std::string_view b) const {
  if (is_shallow()) {
    // The best common ancestors are the common commits without a child among the common ones.
    Graph graph;
    auto from_a = ancestors(*this, std::string(a), graph);
    TRY(from_a);
    auto from_b = ancestors(*this, std::string(b), graph);
    TRY(from_b);
    std::unordered_set<std::string> common;
    for (const auto& id : *from_a) {
      if (from_b->count(id)) {
        common.insert(id);
      }
    }
    std::unordered_set<std::string> has_child;
    for (const auto& id : common) {
      for (const auto& parent : graph.at(id).parents) {
        has_child.insert(parent);
      }
    }
    std::optional<std::string> best;
    int64_t best_time = 0;
    for (const auto& id : common) {
      if (has_child.count(id)) {
        continue;
      }
      int64_t time = graph.at(id).time;
      if (!best || time > best_time || (time == best_time && id < *best)) {
        best = id;
        best_time = time;
      }
    }
    return best;
  }
  auto a_oid = parse_oid(a);
  auto b_oid = parse_oid(b);
  if (!a_oid || !b_oid) {
    return fail(!a_oid ? a_oid.error() : b_oid.error());
  }
  git_oid out;
  int rc = git_merge_base(&out, m_repo.get(), &*a_oid, &*b_oid);
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) {
    return fail("cannot find the merge base of " + short_id(a) + " and " + short_id(b) + ": " +
                git_error_text(rc) + " (the repository may be corrupt: run `git fsck`)");
  }
  return std::optional<std::string>(oid_hex(out));
}

Status Repository::stage(std::string_view path) {
  git_index* index_raw = nullptr;
  if (int rc = git_repository_index(&index_raw, m_repo.get()); rc < 0) {
    return git_failure("cannot open the index", rc);
  }
  IndexPtr index(index_raw);
  if (int rc = git_index_read(index.get(), 0); rc < 0) {
    return git_failure("cannot read the index", rc);
  }
  const std::string rel(path);
  if (int rc = git_index_add_bypath(index.get(), rel.c_str()); rc < 0) {
    return git_failure("cannot stage " + rel, rc);
  }
  if (int rc = git_index_write(index.get()); rc < 0) {
    return git_failure("cannot write the index", rc);
  }
  return success();
}

// --- attributes ---------------------------------------------------------------------------------

Result<git_repository*> Repository::objects() {
  if (!m_objects_repo) {
    // The same repository opened bare, with an empty in-memory index: its attribute lookups
    // see only the commit given in the options (and $GIT_DIR/info/attributes), never the work
    // tree or the index.
    git_repository* raw = nullptr;
    std::string dir = git_dir().string();
    // The repository was trusted when it was opened (git's ownership rules); this second
    // handle on its git dir is not checked again (safe.directory names the work tree, not the
    // git dir, and libgit2 1.5 does not know `*`).
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
    int rc = git_repository_open_ext(
        &raw, dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, nullptr);
    git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 1);
    if (rc < 0) {
      return git_failure("cannot open the objects of " + dir, rc);
    }
    RepositoryPtr repo(raw);
    git_index* index_raw = nullptr;
    if (int irc = git_index_new(&index_raw); irc < 0) {
      return git_failure("cannot create an index", irc);
    }
    IndexPtr index(index_raw);
    if (int src = git_repository_set_index(repo.get(), index.get()); src < 0) {
      return git_failure("cannot set an index", src);
    }
    m_objects_repo.reset(repo.release());
  }
  return m_objects_repo.get();
}

Result<std::vector<AttributeValue>> Repository::attributes(std::string_view path,
                                                           const std::vector<const char*>& names,
                                                           const AttributeSource& source) {
  git_attr_options options = GIT_ATTR_OPTIONS_INIT;
  git_repository* repo = m_repo.get();
  switch (source.kind) {
  case AttributeSource::Kind::worktree:
    options.flags = GIT_ATTR_CHECK_FILE_THEN_INDEX | GIT_ATTR_CHECK_NO_SYSTEM;
    break;
  case AttributeSource::Kind::index:
    options.flags = GIT_ATTR_CHECK_INDEX_ONLY | GIT_ATTR_CHECK_NO_SYSTEM;
    break;
  case AttributeSource::Kind::commit: {
    auto oid = parse_oid(source.commit_id);
    TRY(oid);
    auto attr_repo = objects();
    TRY(attr_repo);
    repo = *attr_repo;
    options.flags =
        GIT_ATTR_CHECK_INDEX_ONLY | GIT_ATTR_CHECK_NO_SYSTEM | GIT_ATTR_CHECK_INCLUDE_COMMIT;
    options.attr_commit_id = *oid;
    break;
  }
  }
  std::vector<const char*> values(names.size(), nullptr);
  std::string rel(path);
  std::vector<const char*> name_list = names;
  if (int rc = git_attr_get_many_ext(values.data(), repo, &options, rel.c_str(), names.size(),
                                     name_list.data());
      rc < 0) {
    return git_failure("cannot read .gitattributes for " + rel, rc);
  }
  std::vector<AttributeValue> result;
  result.reserve(values.size());
  for (const char* value : values) {
    switch (git_attr_value(value)) {
    case GIT_ATTR_VALUE_TRUE:
      result.emplace_back("true");
      break;
    case GIT_ATTR_VALUE_FALSE:
      result.emplace_back("false");
      break;
    case GIT_ATTR_VALUE_STRING:
      result.emplace_back(value);
      break;
    default:
      result.emplace_back(std::nullopt);
      break;
    }
  }
  return result;
}

} // namespace agate::gate
