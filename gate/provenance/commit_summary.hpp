// One commit as the prompt-log review shows it (`agate log`, `agate show`, the Agent Trace
// export): whether it is AI-assisted and why, the prompt records it carries, what became of them
// (their provenance findings), its signature status and its finding counts. Built from a Review
// of the commit, so it says exactly what `agate check --commit` would.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"
#include "gate/core/finding.hpp"
#include "gate/provenance/prompt_record.hpp"
#include "gate/provenance/record_links.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agate::gate {

struct CommitSummary {
  const Change* change = nullptr;         // kind commit, with `commit` set
  std::optional<std::string> ai_evidence; // why it counts as AI-assisted
  std::vector<PromptRecord> records;      // valid records the commit adds or changes
  // How the commit's records are tied to it (gate/provenance/record_links.hpp): by trailer, or
  // matched by diff when a squash or rebase lost the trailer.
  std::vector<RecordLink> links;
  // "ok", "matched" (a record found by its diff, its trailer lost), "stale", "invalid",
  // "orphan", "missing" (AI-assisted, no record), "none" (no record, not AI-assisted): the most
  // serious provenance finding decides.
  std::string record_status = "none";
  // "unsigned", "signed" (no signature finding), or the worst signature rule without its
  // prefix ("untrusted-key", "bad"...).
  std::string signature_status = "unsigned";
  int errors = 0;
  int warnings = 0;
  int notes = 0;
  std::vector<const Finding*> findings; // this commit's findings, in report order

  bool ai_assisted() const {
    return ai_evidence.has_value() || !records.empty() || record_status == "matched";
  }
};

// `findings` are a review's findings; those of other changes are ignored.
CommitSummary summarize_commit(const Change& change, const std::vector<Finding>& findings,
                               const ContentSource& contents);

} // namespace agate::gate
