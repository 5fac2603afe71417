// From a source selection (--staged, --worktree, --commit, --range, or a GitHub event) to the
// ChangeSet the analyzers read, through libgit2.
//
// What each mode compares:
// - staged:   the HEAD tree (the empty tree when HEAD is unborn) against the index, i.e. what
//             `git commit` would record. Needs a work tree.
// - worktree: the HEAD tree against the work tree, seen through the index
//             (git_diff_tree_to_workdir_with_index, like `git diff HEAD`): staged and unstaged
//             changes of tracked files together; untracked files are not included; a submodule
//             counts when its staged commit differs from HEAD's. Worktree
//             contents are hashed (with the to-odb filters, as `git add` would) but never written
//             to the repository; their bytes go to the overlay of repo.content(). Needs a work
//             tree.
// - commit:   the commit against its first parent (the empty tree for a root commit). Works in a
//             bare repository. A merge commit keeps only the files whose merged side differs
//             from every parent's (its conflict resolution and its own edits): what the branches
//             bring in was reviewed in their own commits.
// - range:    BASE..HEAD: one Change per commit reachable from HEAD and not from BASE, oldest
//             first (parents before children), each against its first parent; then one Change of
//             kind `range`: the merge-base tree against the HEAD tree (GitHub's three-dot pull
//             request diff; BASE itself when the two share no history). Works in a bare repository.
// - none:     nothing to check (a GitHub push that deleted a branch): an empty ChangeSet whose
//             description says why.
//
// Commits and ranges are read through object_repository() (gate/git/libgit2.hpp), so a broken index
// or work tree does not stop them. In a shallow clone, a missing base or parent fails with the
// "fetch more history" message (actions/checkout fetch-depth, `git fetch --deepen=N`).
//
// Where the policy and the trusted keys come from (ChangeSet::policy_rev): Selection::policy_from
// when it is set (`--policy-from REV`); else commit -> its first parent (empty for a root
// commit: the caller then uses the built-in default); range -> BASE as given, i.e. the tip of the
// branch the change goes into (a pull request's base.sha, the remote tip a push updates), never
// the merge base, which the author of the change chooses by forking from an old commit whose
// policy or keys were weaker; staged/worktree -> empty, meaning the worktree's
// .agate/config.json.
//
// Per file: rename and copy detection (copies from modified files, threshold 50%), type changes,
// binary detection (no hunks), submodules and symlinks flagged (no parsing), mode-only changes,
// files larger than max_file_bytes flagged too_large (no hunks, but line counts up to 64 MiB).
// Language and the generated/vendored flags come from .gitattributes `linguist-language`,
// `linguist-generated`, `linguist-vendored`; then from the path, the shebang line, a
// generated-file marker and the conventional vendored paths. For a file that existed in the base
// (the old side: the parent, the merge base, HEAD for staged/worktree) all of these are read
// from the base: its .gitattributes, the old path (vendored paths, lock-file names, ignore
// globs) and the old content (a generated marker), so a change cannot exclude its own code;
// FileChange::old_language keeps the old path's language. An added file is judged from the
// reviewed commit (commit/range), the index (staged) or the work tree (worktree).
#pragma once

#include "gate/core/change.hpp"
#include "gate/git/repository.hpp"
#include "gate/util/error.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace agate::gate {

enum class SelectionMode { staged, worktree, commit, range, none };

struct Selection {
  SelectionMode mode = SelectionMode::staged;
  std::string rev;  // commit: any revision ("HEAD" when empty)
  std::string base; // range: any revisions
  std::string head;
  std::string description_hint; // e.g. "pull request #12"; prefixes the ChangeSet description
  // The number of commits the range should hold, when an outside source knows it (a GitHub
  // event): used for the `git fetch --deepen=N` hint when a shallow clone lacks the base.
  std::optional<std::size_t> expected_commits;
  // The revision whose policy and keys judge the change (the target branch's tip); empty: as
  // the mode says (see above).
  std::string policy_from;
};

struct LoadOptions {
  std::size_t max_file_bytes = 1 << 20;
  std::function<bool(std::string_view path)> is_ignored; // the policy's ignore globs; may be empty
};

Result<ChangeSet> load_changes(Repository& repo, const Selection& sel, const LoadOptions& opts);

// Where the policy for `sel` comes from, known before the change is loaded (the policy's ignore
// globs are needed to load it): the same value load_changes puts in ChangeSet::policy_rev, with
// the same failures (unknown revision, unborn HEAD, shallow clone without the base or parent).
Result<std::string> selection_policy_rev(Repository& repo, const Selection& sel);

// "staged", "worktree", "commit", "range", "none".
std::string_view to_string(SelectionMode mode);

} // namespace agate::gate
