// The rule catalog's table (see rule_catalog.hpp). Documentation anchors are the ones GitHub
// generates for the headings of the docs pages (lower case, punctuation other than `-` and `_`
// dropped, spaces as `-`): `## \`deletion/unrelated\`` is `#deletionunrelated`.
#include "gate/core/rule_catalog.hpp"

#include <array>

namespace agate::gate {

namespace {

constexpr std::array catalog{
    RuleInfo{rule::size_oversized_change, "The change is too large to review well.",
             Severity::warning, "docs/policy.md#sizeoversized-change"},
    RuleInfo{rule::size_scattered_change, "The change touches many unrelated places at once.",
             Severity::warning, "docs/policy.md#sizescattered-change"},
    RuleInfo{rule::deletion_unrelated,
             "Code was deleted that the change had no stated reason to touch.", Severity::warning,
             "docs/rules-deletion.md#deletionunrelated"},
    RuleInfo{rule::deletion_dangling_reference,
             "Something was deleted that remaining code still uses.", Severity::error,
             "docs/rules-deletion.md#deletiondangling-reference"},
    RuleInfo{rule::deletion_removed_test, "A test was deleted.", Severity::error,
             "docs/rules-deletion.md#deletionremoved-test"},
    RuleInfo{rule::deletion_removed_guard, "Error handling or an assertion was deleted.",
             Severity::warning, "docs/rules-deletion.md#deletionremoved-guard"},
    RuleInfo{rule::duplication_clone, "The change adds code that duplicates existing code.",
             Severity::warning, "docs/rules-duplication.md#duplicationclone"},
    RuleInfo{rule::duplication_library_logic,
             "The change reimplements what a library already provides.", Severity::warning,
             "docs/rules-library.md#duplicationlibrary-logic-the-library-rule-catalog"},
    RuleInfo{rule::duplication_bypassed_wrapper,
             "The change calls an API directly where the project has a wrapper for it.",
             Severity::warning, "docs/rules-duplication.md#duplicationbypassed-wrapper"},
    RuleInfo{rule::signature_missing, "The commit is not signed.", Severity::error,
             "docs/signatures.md#signaturemissing"},
    RuleInfo{rule::signature_bad, "The commit signature does not verify.", Severity::error,
             "docs/signatures.md#signaturebad"},
    RuleInfo{rule::signature_untrusted_key, "The commit is signed with a key that is not trusted.",
             Severity::warning, "docs/signatures.md#signatureuntrusted-key"},
    RuleInfo{rule::signature_expired_key, "The commit is signed with an expired key.",
             Severity::warning, "docs/signatures.md#signatureexpired-key"},
    RuleInfo{rule::signature_revoked_key, "The commit is signed with a revoked key.",
             Severity::warning, "docs/signatures.md#signaturerevoked-key"},
    RuleInfo{rule::signature_identity_mismatch,
             "The signing key does not belong to the commit's author.", Severity::warning,
             "docs/signatures.md#signatureidentity-mismatch"},
    RuleInfo{rule::signature_unsupported, "The commit's signature format cannot be checked.",
             Severity::warning, "docs/signatures.md#signatureunsupported"},
    RuleInfo{rule::provenance_missing_record, "No prompt record describes the change.",
             Severity::warning, "docs/provenance.md#provenancemissing-record"},
    RuleInfo{rule::provenance_stale_record,
             "The prompt record does not match what the commit holds.", Severity::note,
             "docs/provenance.md#provenancestale-record"},
    RuleInfo{rule::provenance_orphan_record, "A prompt record belongs to no change.",
             Severity::warning, "docs/provenance.md#provenanceorphan-record"},
    RuleInfo{rule::provenance_invalid_record, "A prompt record cannot be read.", Severity::error,
             "docs/provenance.md#provenanceinvalid-record"},
    RuleInfo{rule::provenance_secret_in_prompt,
             "A prompt record contains what looks like a secret.", Severity::error,
             "docs/provenance.md#provenancesecret-in-prompt"},
    RuleInfo{rule::provenance_missing_signoff, "No person signed off the AI-assisted commit.",
             Severity::error, "docs/provenance.md#provenancemissing-signoff"},
    RuleInfo{rule::provenance_agent_signoff, "An agent signed off the commit.", Severity::warning,
             "docs/provenance.md#provenanceagent-signoff"},
    RuleInfo{rule::suppression_missing_reason, "A suppression comment gives no reason.",
             Severity::warning, "docs/policy.md#suppressionmissing-reason"},
};

} // namespace

std::span<const RuleInfo> rule_catalog() {
  return catalog;
}

const RuleInfo* find_rule(std::string_view id) {
  for (const auto& info : catalog) {
    if (info.id == id) {
      return &info;
    }
  }
  return nullptr;
}

} // namespace agate::gate
