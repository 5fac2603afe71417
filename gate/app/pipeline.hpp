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

// The commit message of a staged or work-tree change, which git writes only after the
// pre-commit hook: `--message-file` gives it (the commit-msg hook passes git's file), and
// `--message-rules` splits the rules that read it (whether the message explains a deletion) from
// the others, so the pre-commit hook judges the others and the commit-msg hook those.
enum class MessageRules {
  all,   // every rule
  defer, // every rule but those that read the message; their findings are only counted
  only,  // only the rules that read the message
};
struct MessageOptions {
  std::optional<std::string> message; // the message as git will record it
  MessageRules rules = MessageRules::all;
};

// True for a rule whose judgement reads the commit message.
bool reads_message(std::string_view rule);

// Pass 3: the policy at `policy_rev` (a commit id; empty: the work tree's), or the defaults
// when there is none. `agate verify` reads it the same way. Throws agate::Error.
Policy load_policy(Repository& repo, const std::string& policy_rev);

// Passes 3-6 for `selection`. Throws agate::Error.
// `message` attaches a commit message to a staged or work-tree change and limits the rules.
Review review_selection(Repository& repo, const Selection& selection,
                        const MessageOptions& message = {});

// Pass 7: the report of a review (snippets read from `contents`).
Report make_report(Review review, const ContentSource& contents, const Selection& selection,
                   std::optional<Severity> fail_on);

// Runs `agate check`; returns the exit code (0 pass, 1 fail). Throws agate::Error (exit 2).
int run_check(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
