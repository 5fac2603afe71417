// The rule catalog: every rule agate reports, in one table (docs/rules.md lists the same).
//
// A rule id is `<analyzer>/<rule>`. The policy's `rules` section accepts exactly these ids, the
// reporters take a rule's summary, default severity and documentation anchor from here, and the
// analyzers name their rules with the constants in `agate::gate::rule` below, so an id is spelled
// once. (The layout check in ctest fails when a rule-id string literal appears anywhere else in
// gate/ or analyzers/; a test checks that docs/rules.md and each anchor agree with the table.)
#pragma once

#include "gate/core/finding.hpp"

#include <span>
#include <string_view>

namespace agate::gate {

namespace rule {
inline constexpr std::string_view size_oversized_change = "size/oversized-change";
inline constexpr std::string_view size_scattered_change = "size/scattered-change";
inline constexpr std::string_view deletion_unrelated = "deletion/unrelated";
inline constexpr std::string_view deletion_dangling_reference = "deletion/dangling-reference";
inline constexpr std::string_view deletion_removed_test = "deletion/removed-test";
inline constexpr std::string_view deletion_removed_guard = "deletion/removed-guard";
inline constexpr std::string_view duplication_clone = "duplication/clone";
inline constexpr std::string_view duplication_library_logic = "duplication/library-logic";
inline constexpr std::string_view duplication_bypassed_wrapper = "duplication/bypassed-wrapper";
inline constexpr std::string_view signature_missing = "signature/missing";
inline constexpr std::string_view signature_bad = "signature/bad";
inline constexpr std::string_view signature_untrusted_key = "signature/untrusted-key";
inline constexpr std::string_view signature_expired_key = "signature/expired-key";
inline constexpr std::string_view signature_revoked_key = "signature/revoked-key";
inline constexpr std::string_view signature_identity_mismatch = "signature/identity-mismatch";
inline constexpr std::string_view signature_unsupported = "signature/unsupported";
inline constexpr std::string_view provenance_missing_record = "provenance/missing-record";
inline constexpr std::string_view provenance_stale_record = "provenance/stale-record";
inline constexpr std::string_view provenance_orphan_record = "provenance/orphan-record";
inline constexpr std::string_view provenance_invalid_record = "provenance/invalid-record";
inline constexpr std::string_view provenance_secret_in_prompt = "provenance/secret-in-prompt";
inline constexpr std::string_view provenance_missing_signoff = "provenance/missing-signoff";
inline constexpr std::string_view provenance_agent_signoff = "provenance/agent-signoff";
inline constexpr std::string_view suppression_missing_reason = "suppression/missing-reason";
} // namespace rule

struct RuleInfo {
  std::string_view id;      // "deletion/unrelated"
  std::string_view summary; // one sentence, as docs/rules.md and SARIF's shortDescription show it
  // The severity the rule reports with in the ordinary case (some rules raise it, e.g. a large
  // deletion; the policy may override it); SARIF's defaultConfiguration.level.
  Severity default_severity;
  std::string_view doc; // repository-relative page and GitHub heading anchor
};

// Every rule, in documentation order.
std::span<const RuleInfo> rule_catalog();

// The catalog entry of `id`, or nullptr for an id agate does not know.
const RuleInfo* find_rule(std::string_view id);

} // namespace agate::gate
