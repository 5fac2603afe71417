// `agate check --publish`: after the report is written, post it on the pull request the GitHub
// Actions run is about (gate/publish/publisher.hpp), with the token from GITHUB_TOKEN (or the
// variable --github-token-env names), GITHUB_API_URL (GitHub Enterprise Server honoured),
// GITHUB_SERVER_URL and GITHUB_REPOSITORY, and the event from GITHUB_EVENT_PATH.
//
// Never fails the command: whatever goes wrong is said once as a notice (a workflow command
// `::notice` on standard output when standard output is not the report, else a line on standard
// error), and the exit code stays the gate's. When posting is refused (403/404: a fork's
// read-only token) the findings still reach the run as annotations and the step summary. The
// token appears in no output.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/front_end.hpp"
#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"
#include "gate/publish/publisher.hpp"

#include <vector>

namespace agate::gate {

// Each commit of the change set with its provenance, for the summary comment.
std::vector<CommitProvenance> commit_provenance(const ChangeSet& change_set,
                                                const std::vector<Finding>& findings,
                                                const ContentSource& contents);

// Posts `report`. `commands_on_stdout`: standard output may take workflow commands (it holds
// annotations or nothing; otherwise notices go to standard error); `annotations_shown`: the
// report already is workflow annotations on standard output.
void publish_report(const CliOptions& options, const GetEnv& getenv, const Report& report,
                    std::vector<CommitProvenance> commits, int max_inline, bool commands_on_stdout,
                    bool annotations_shown);

} // namespace agate::gate
