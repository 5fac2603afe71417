// Summaries of reviewed commits for the prompt-log review; see commit_summary.hpp.
#include "gate/provenance/commit_summary.hpp"

#include "gate/provenance/ai_assisted.hpp"

#include <algorithm>

namespace agate::gate {

namespace {

// The order in which provenance outcomes override each other, most serious last.
int record_rank(std::string_view status) {
  static constexpr std::string_view order[] = {"none",   "ok",      "matched", "stale",
                                               "orphan", "missing", "invalid"};
  for (std::size_t i = 0; i < std::size(order); ++i) {
    if (order[i] == status) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

} // namespace

CommitSummary summarize_commit(const Change& change, const std::vector<Finding>& findings,
                               const ContentSource& contents) {
  CommitSummary summary;
  summary.change = &change;
  if (change.commit) {
    summary.ai_evidence = ai_assisted_evidence(*change.commit);
    if (!change.commit->signature.empty()) {
      summary.signature_status = "signed";
    }
  }
  for (const auto& file : change.files) {
    if (!file.prompt_record || file.new_oid.empty() || !record_id_of_path(file.new_path)) {
      continue;
    }
    if (auto text = contents.blob(file.new_oid)) {
      if (auto record = parse_prompt_record(*text, file.new_path)) {
        summary.records.push_back(std::move(*record));
      }
    }
  }
  if (!summary.records.empty()) {
    summary.record_status = "ok";
  }
  if (change.commit) {
    summary.links =
        link_records(prompt_trailer_ids(*change.commit),
                     record_candidates(change, contents, nullptr), diff_hash(change.files));
    // A record the commit holds without naming it in a trailer, tied to it by its diff or files:
    // "matched", without running the provenance rules (the fast `agate log`).
    if (std::any_of(summary.links.begin(), summary.links.end(),
                    [](const RecordLink& link) { return link.how != LinkKind::trailer; })) {
      summary.record_status = "matched";
    }
  }
  Severity worst_signature = Severity::note;
  bool any_signature_finding = false;
  for (const auto& finding : findings) {
    if (finding.change != change.label) {
      continue;
    }
    summary.findings.push_back(&finding);
    switch (finding.severity) {
    case Severity::error:
      ++summary.errors;
      break;
    case Severity::warning:
      ++summary.warnings;
      break;
    case Severity::note:
      ++summary.notes;
      break;
    }
    if (finding.rule.starts_with("provenance/")) {
      std::string status = finding.rule.substr(11);
      if (status == "missing-record") {
        status = "missing";
      } else if (status == "stale-record") {
        status = "stale";
      } else if (status == "orphan-record") {
        status = finding.evidence.contains("matched_by") ? "matched" : "orphan";
      } else if (status == "invalid-record") {
        status = "invalid";
      } else {
        continue; // secret-in-prompt says nothing of the record's binding
      }
      if (record_rank(status) > record_rank(summary.record_status)) {
        summary.record_status = status;
      }
    }
    if (finding.rule.starts_with("signature/")) {
      if (!any_signature_finding || finding.severity > worst_signature) {
        summary.signature_status = finding.rule.substr(10);
        worst_signature = finding.severity;
        any_signature_finding = true;
      }
    }
  }
  return summary;
}

} // namespace agate::gate
