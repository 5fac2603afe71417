// The prompt-log review's page model: the commits of a range, each with its provenance (whether
// it is AI-assisted, by which tool and model, its prompt records, their status, its signature),
// and, when the commits were analyzed, its diff and agate's findings at their lines.
//
// `agate log`, `agate stats` and `agate review` all read this one model, built once per commit,
// so the figures of one can never disagree with another. A commit's entry is built in two
// steps: `read_commit_entry` answers from the commit object, its trailers and the records it
// adds (no analysis: what `agate log` shows by default), and `add_review` fills in the diff and
// the findings of the commit's review (what `agate log --findings` and `agate review` add).
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"
#include "gate/core/finding.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/prompt_record.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// Who wrote a commit, as the review counts it.
enum class AuthorKind { human, ai_with_record, ai_without_record };
std::string_view to_string(AuthorKind kind); // "human", "ai-recorded", "ai-unrecorded"

struct DiffFile {
  std::string path;     // the new path (the old one for a deletion)
  std::string old_path; // when renamed
  std::string status;   // "added", "modified", "deleted", "renamed", ...
  bool shown = true;    // false for a binary, too large or submodule change
  std::vector<Hunk> hunks;
};

struct CommitEntry {
  std::string id;
  std::vector<std::string> parents;
  Person author;
  std::string subject; // the first line of the message
  std::string message;
  std::optional<std::string> ai_evidence; // why it counts as AI-assisted
  std::string tool;                       // from the first record, else from the marker
  std::string model;
  std::vector<PromptRecord> records;
  // "ok", "stale" (only when analyzed: it needs the diff), "invalid", "orphan", "missing",
  // "none": see docs/provenance.md.
  std::string record_status = "none";
  // Without analysis: "signed" (it carries a signature, not verified) or "unsigned". Analyzed:
  // "signed" means verified by the policy, else the worst signature rule ("untrusted-key"...).
  std::string signature_status = "unsigned";
  bool lines_counted = false;
  int added_lines = 0; // code lines, prompt records left out; 0 for a merge
  int deleted_lines = 0;

  bool analyzed = false;
  int errors = 0;
  int warnings = 0;
  int notes = 0;
  std::vector<Finding> findings;
  std::vector<DiffFile> diff;

  bool ai_assisted() const { return ai_evidence.has_value() || !records.empty(); }
  AuthorKind kind() const;
};

// The entry of commit `id` (a full id) from its object, trailers and the records it adds.
// `agent_identities` are the policy's extra agent names and emails. Throws agate::Error.
CommitEntry read_commit_entry(Repository& repo, const std::string& id,
                              const std::vector<std::string>& agent_identities);

// Adds the lines the commit adds and deletes (prompt records left out). Throws agate::Error.
void count_lines(Repository& repo, CommitEntry& entry);

// Fills in what the commit's review found: `change` is the commit's change, `findings` the
// review's findings (those of other changes are ignored). The record and signature status then
// say what `agate check --commit` says.
void add_review(CommitEntry& entry, const Change& change, const std::vector<Finding>& findings,
                const ContentSource& contents);

// The model as the review page embeds it: {"range", "generated_by", "commits": [...]}.
nlohmann::json page_json(const std::string& range, const std::vector<CommitEntry>& commits);

} // namespace agate::gate
