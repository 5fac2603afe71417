// What `agate check --publish` posts on a GitHub pull request, and posting it.
//
// Planning is pure (plan_publication, summary_comment): from the Report, the pull request and
// what earlier runs posted, it decides
//   - the inline review comments: one per finding whose anchor (gate/report/anchor.hpp) is a
//     line the diff shows, most severe first, at most `max_inline`, skipping findings an earlier
//     run already commented on (each comment hides its finding's fingerprint in an HTML comment);
//     a finding on deleted lines sits on the nearest surviving line with the deleted code quoted;
//   - the findings that earlier comments named and that are gone now: resolved;
//   - the check run `agate`: conclusion failure (the gate fails), neutral (findings, the gate
//     passes) or success (none), with one annotation per finding that has an anchor;
//   - the sticky summary comment, found again by a hidden marker: the verdict, counts per rule,
//     the top findings with links to the file and line at the head commit, the findings not
//     commented inline, what was resolved, per-commit provenance with each recorded prompt in a
//     collapsed block, and the command that runs the same check locally.
// All text from the pull request (paths, messages, code, commit subjects, prompts) goes through
// gate/report/markdown_text.hpp, so it cannot close the block it sits in.
//
// publish() makes the calls: the review comments already there, the check run (annotations in
// batches of 50, the API's limit per request), one review (event COMMENT) and the summary comment
// (edited in place when found). A 403 or 404 (a fork's read-only token) stops publishing: the
// outcome says so once and the caller falls back to annotations and the step summary. A 422 on
// the review (a line outside the diff) posts the review again without inline comments, which
// then go to the summary. Posting never changes the gate's exit code.
#pragma once

#include "gate/publish/github_api.hpp"
#include "gate/report/report.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace agate::gate {

// One commit of the pull request, as the summary shows its provenance.
struct CommitProvenance {
  std::string id;
  std::string subject;
  bool ai_assisted = false;
  std::string ai_evidence;          // why it counts as AI-assisted
  std::string record_status;        // "ok", "missing", "none", ...
  std::string signature_status;     // "signed", "unsigned", "bad", ...
  std::vector<std::string> prompts; // the recorded prompts
};

struct PublishTarget {
  std::string server_url = "https://github.com"; // GITHUB_SERVER_URL, for links
  std::string repository;                        // owner/name
  long pull_number = 0;                          // 0: a merge group (check run only)
  std::string head_sha;
  std::string base_sha;
  int max_inline = 10;
  std::vector<CommitProvenance> commits;
};

// What an earlier run posted: the fingerprints of its inline comments, with each comment's title.
struct Posted {
  std::map<std::string, std::string> comments; // fingerprint -> first line of the comment
};

struct InlineComment {
  std::size_t finding = 0; // index in report.findings
  std::string path;
  int line = 0; // the last line, of the side's file
  std::string body;
  std::string side = "RIGHT"; // "LEFT": deleted lines, numbered as in the base's file
  int start_line = 0;         // the first line of a comment on several lines; 0: one line
};

struct PublishPlan {
  std::vector<InlineComment> comments; // new inline comments
  std::vector<std::size_t> already;    // findings an earlier run commented on
  std::vector<std::size_t> not_inline; // findings only the summary lists
  std::vector<std::string> resolved;   // titles of earlier comments whose finding is gone
  std::string conclusion;              // success, neutral, failure
  std::vector<nlohmann::json> annotations;
};

inline constexpr std::string_view k_summary_marker = "<!-- agate:summary -->";
// Size limit of a comment body on GitHub (65536 characters): the summary is kept below it.
inline constexpr std::size_t k_max_comment_bytes = 60000;

PublishPlan plan_publication(const Report& report, const PublishTarget& target,
                             const Posted& posted);
// The fingerprint an inline comment's body hides, or "" when it is not one of agate's.
std::string hidden_fingerprint(const std::string& body);
// The sticky summary comment's body (starts with k_summary_marker).
std::string summary_comment(const Report& report, const PublishTarget& target,
                            const PublishPlan& plan);
// The check run's output title and summary.
nlohmann::json check_run_output(const Report& report, const PublishPlan& plan, std::size_t first,
                                std::size_t count);

struct PublishOutcome {
  bool degraded = false; // nothing (more) could be posted: 403/404
  // Things to tell the user, once each ("agate: notice: ..."): no token, no header, no secret.
  std::vector<std::string> notices;
  int inline_comments = 0;
  int annotations = 0;
  bool summary_updated = false; // edited in place rather than created
};

PublishOutcome publish(GithubApi& api, const Report& report, const PublishTarget& target);

} // namespace agate::gate
