// `agate check` as a straight sequence of passes:
//   open the repository -> choose what to review -> load the policy from the base revision ->
//   read the change with libgit2 -> run the analyzers -> apply suppressions and the policy ->
//   build the report -> render and write it -> exit code.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/front_end.hpp"
#include "gate/core/change.hpp"
#include "gate/core/finding.hpp"
#include "gate/core/policy.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/report/report.hpp"

#include <functional>
#include <optional>
#include <string>

namespace agate::gate {

class Repository;

// What passes 3-6 produce: the change, the policy it was judged by, and the findings after
// suppressions and the policy (sorted, each said once). `agate log` and `agate show` review
// commits this way too, so they report exactly what `agate check` would.
struct Review {
  ChangeSet change_set;
  Policy policy;
  std::vector<Finding> findings;
  int suppressed = 0;
  std::vector<Note> notes; // from the analysis: files whose parsing exceeded the time budget
};

// Pass 3: the policy at `policy_rev` (a commit id; empty: the work tree's), or the defaults
// when there is none. `agate verify` reads it the same way. Throws agate::Error.
Policy load_policy(Repository& repo, const std::string& policy_rev);

// Passes 3-6 for `selection`. Throws agate::Error.
Review review_selection(Repository& repo, const Selection& selection);

// Pass 7: the report of a review (snippets read from `contents`).
Report make_report(Review review, const ContentSource& contents, const Selection& selection,
                   std::optional<Severity> fail_on);

// Runs `agate check`; returns the exit code (0 pass, 1 fail). Throws agate::Error (exit 2).
int run_check(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
