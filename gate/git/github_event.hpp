// Which change to check when agate runs as a GitHub Actions step, from the event payload.
//
// GitHub sets GITHUB_ACTIONS=true, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH (the webhook payload
// as JSON). From them:
// - pull_request, pull_request_target: pull_request.base.sha .. pull_request.head.sha (the
//   checkout of a pull_request is a merge commit; head.sha is the branch's own tip, which is
//   what the author wrote). The description names the pull request; pull_request.commits is
//   kept as the expected commit count (for the `git fetch --deepen=N` hint of a shallow clone).
// - merge_group: merge_group.base_sha .. merge_group.head_sha.
// - push: before .. after. A deleted branch (after = 0000...) has nothing to check (mode none).
//   A new branch (before = 0000...): the range from the default branch (origin/<default_branch>)
//   when it resolves; else the parent of the first pushed commit .. after when that resolves;
//   else the single commit `after`. Resolution uses `resolvable`; without it, the first choice
//   whose inputs the event has is taken.
// - any other event, or not on GitHub Actions: nullopt. The caller then checks the HEAD commit
//   (the CLI's documented default in CI).
// An event file that cannot be read or is not the JSON expected fails, naming the file.
// publishable_event (below) reads the same file for what publishing needs.
#pragma once

#include "gate/git/change_loader.hpp"
#include "gate/util/error.hpp"

#include <functional>
#include <optional>
#include <string>

namespace agate::gate {

using GetEnv = std::function<std::optional<std::string>(const char*)>;
// True when a revision names a commit in the repository (e.g. Repository::resolve(rev).ok()).
using Resolvable = std::function<bool(const std::string& rev)>;

Result<std::optional<Selection>> selection_from_github(const GetEnv& getenv,
                                                       const Resolvable& resolvable = nullptr);

// The pull request or merge group a run is about, for `agate check --publish`, from the same
// event file: pull_request and pull_request_target (pull_request.number, head.sha, base.sha, and
// whether head.repo differs from base.repo: a fork), merge_group (merge_group.head_sha,
// base_sha; no pull request number). nullopt for any other event or outside GitHub Actions.
struct GithubEvent {
  std::string name;
  long pull_number = 0; // 0: no pull request (a merge group)
  std::string head_sha;
  std::string base_sha;
  bool from_fork = false;
};
Result<std::optional<GithubEvent>> publishable_event(const GetEnv& getenv);

} // namespace agate::gate
