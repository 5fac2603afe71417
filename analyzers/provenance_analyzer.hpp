// The provenance analyzer: does each AI-assisted commit carry the prompt that produced it, and
// does the commit still hold what the agent produced?
//
// Rules (docs/provenance.md):
// - `provenance/invalid-record` (error): a record file under .agate/prompts/ that is not a valid
//   record (bad JSON, unknown version, a field of the wrong type, an unsafe id, an id that does
//   not match its file name); the message names the field.
// - `provenance/secret-in-prompt` (error): a record whose prompt or transcript excerpt still
//   holds a secret (a record written by hand, or by a tool that does not redact).
// - `provenance/missing-record`: an AI-assisted commit (gate/provenance/ai_assisted.hpp) without a
// record;
//   a warning, an error where `provenance.require_records` asks for one ("ai-assisted", or
//   "all" for every commit).
// - `provenance/orphan-record` (warning): an `Agate-Prompt:` trailer naming no record in the
//   commit's tree, or a record committed without its trailer.
// - `provenance/stale-record`: the commit's normalized diff no longer matches the record's
//   `diff_sha256`: the change was edited after the agent produced it. Per-file hashes say which
//   files; a note when a minority of the agent's files were touched up, a warning otherwise.
//   Several records in one commit (a squash) are compared file by file.
// - `provenance/agent-signoff` (warning): a `Signed-off-by:` naming an agent identity.
// - `provenance/missing-signoff` (error): with `provenance.require_human_signoff`, an
//   AI-assisted commit without a `Signed-off-by:` naming a person.
// Staged changes get the record checks that need no commit (invalid, secret, stale); commits get
// all of them; the range as a whole adds nothing to its commits.
#pragma once

#include "analyzers/analyzer.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "gate/provenance/prompt_record.hpp"

#include <string>
#include <vector>

namespace agate::analyzers {

enum class RecordRequirement { none, ai_assisted, all };

// `provenance.require_records` of the policy ("none" when absent).
RecordRequirement record_requirement(const gate::Policy& policy);

// How a change differs from what its records say the agent produced.
struct StaleReport {
  bool stale = false;
  std::vector<std::string> edited;  // files the agent changed, changed differently now
  std::vector<std::string> dropped; // files the agent changed that the change no longer changes
  std::vector<std::string> extra;   // files the change changes that no record mentions
  std::vector<std::string> unverifiable; // files several records changed (a squash)
  int agent_files = 0;
};

StaleReport compare_with_records(const std::vector<gate::PromptRecord>& records,
                                 const gate::DiffHash& current);

class ProvenanceAnalyzer : public Analyzer {
public:
  std::string_view name() const override { return "provenance"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;
};

} // namespace agate::analyzers
