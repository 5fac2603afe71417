// The policy: `.agate/config.json` (JSON with comments), parsed and validated.
//
// Every threshold and severity lives here, typed: each section is a struct with its defaults,
// filled once by the validating parser, and the analyzers read these fields, never the JSON.
// Unknown keys and wrong types are errors that name the key path (e.g. `size.warn_lines:
// expected an integer, got "400"`). When a range is checked, the text comes from the base
// revision, never from the change under review (see gate/pipeline). A section's keys are rows of
// the schema table (policy_schema.cpp), so validation stays in one place.
#pragma once

#include "gate/core/finding.hpp"
#include "gate/core/glob.hpp"
#include "gate/util/error.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct RuleSetting {
  bool enabled = true;
  std::optional<Severity> severity; // overrides the analyzer's own severity
};

struct LimitsPolicy {
  std::size_t max_file_bytes = 1024 * 1024; // files larger than this are not parsed (a note)
};

struct SizePolicy {
  int warn_lines = 400;    // changed lines (added + deleted) above which: warning
  int error_lines = 1000;  // above which: error
  int warn_files = 50;     // files changed above which: warning, whatever the line count
  int scattered_dirs = 4;  // distinct top-level directories above which a change is scattered
  int scattered_parts = 3; // independent parts (see the size analyzer) at or above which: scattered
};

// The `signatures` section (docs/signatures.md). Trusted OpenPGP keys are the files under
// `.agate/keys/` at the policy revision (k_signature_keys_dir); SSH signers are listed in the
// allowed-signers file named here, read at the policy revision too.
struct SignaturePolicy {
  std::string require = "none"; // which commits must be signed: "none", "ai-assisted", "all"
  std::string allowed_signers = ".agate/allowed_signers"; // git's SSH allowed-signers format
  bool require_committer_match = true; // the committer's email must be one the key may sign for
  bool accept_web_flow_merges = false; // accept `web_flow_key`'s signatures on merge commits
  std::string web_flow_key;            // primary fingerprint of the forge's web-flow key
  // "accept-if-signed-before-expiry" or "reject"
  std::string expired_key = "accept-if-signed-before-expiry";
  std::string revoked_key = "reject"; // "reject" (error) or "warn" (warning)
  // Primary fingerprint (upper-case hex) -> the emails that key may sign for, replacing the
  // emails of its user ids.
  std::map<std::string, std::vector<std::string>> signers;
};

inline constexpr std::string_view k_signature_keys_dir = ".agate/keys";

// `duplication.clone` (docs/rules-duplication.md).
struct ClonePolicy {
  std::size_t min_tokens = 50;   // normalized tokens a unit needs to be reported as a clone
  int min_lines = 5;             // and lines
  double min_similarity = 0.8;   // Dice similarity of the token k-grams, 0.5..1
  int error_lines = 15;          // an identical (renamed or exact) copy this long is an error
  std::size_t max_findings = 20; // clone findings per change; the rest are summarized in a note
};

// `duplication.library_logic` (docs/rules-library.md).
struct LibraryLogicPolicy {
  std::set<std::string> disabled_rules; // library rule ids (`library/...`) not to run
};

struct DuplicationPolicy {
  ClonePolicy clone;
  LibraryLogicPolicy library_logic;
};

// `provenance` (docs/provenance.md).
struct ProvenancePolicy {
  std::string require_records = "none"; // which commits need a prompt record: "none",
                                        // "ai-assisted", "all"
  // More names or emails that mark a commit as AI-assisted (read by the provenance analyzer and
  // by `signatures.require: "ai-assisted"`).
  std::vector<std::string> agent_identities;
  // Whether an AI-assisted commit must carry a `Signed-off-by:` naming a person
  // (`provenance/missing-signoff`).
  bool require_human_signoff = false;
  // What `agate record` may keep: "prompt" or "prompt-and-transcript".
  std::string record_content = "prompt-and-transcript";
  // The largest record file `agate record` writes, in bytes (the record validator's own limit).
  std::size_t max_record_bytes = 4 << 20;
};

struct PublishPolicy {
  int max_inline = 10; // at most this many review comments on a pull request (most severe first)
};

struct Policy {
  std::optional<Severity> fail_on = Severity::error; // nullopt: never fail
  std::vector<std::string> ignore;                   // globs of paths not analyzed
  LimitsPolicy limits;
  SizePolicy size;
  DuplicationPolicy duplication;
  ProvenancePolicy provenance;
  SignaturePolicy signatures;
  PublishPolicy publish;
  std::map<std::string, RuleSetting> rules; // by rule id
  std::string origin; // where it came from, for messages: "defaults", ".agate/config.json@abc123"

  bool enabled(std::string_view rule) const;
  Severity severity_for(std::string_view rule, Severity analyzer_default) const;
  // True when the last `ignore` glob matching `path` is not a `!negation` (gitignore order).
  bool is_ignored(std::string_view path) const;
};

// Parse and validate a policy text; the error names `origin` and the key path.
// Parse errors read "<origin>: invalid JSON at line L, column C: <what>"; validation errors
// "<origin>: <key.path>: expected ..., got ..." or "<origin>: unknown key "<path>" (...)".
Result<Policy> parse_policy(std::string_view text, std::string_view origin);

// The built-in defaults (rules/default-policy.jsonc, which `agate init` writes).
Policy default_policy();
std::string_view default_policy_text();

// What the pipeline does with the policy once the analyzers (and suppressions) have run: drop
// findings of disabled rules and findings in ignored files (whole-change findings are never
// ignored), and apply the severity overrides of `rules`.
std::vector<Finding> apply_policy(std::vector<Finding> findings, const Policy& policy);

} // namespace agate::gate
