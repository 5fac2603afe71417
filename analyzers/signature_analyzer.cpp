// The signature analyzer; see signature_analyzer.hpp.
#include "analyzers/signature_analyzer.hpp"

#include "gate/util/error.hpp"

namespace agate::analyzers {

namespace {

using gate::SignatureStatus;

std::string short_id(const std::string& id) {
  return id.substr(0, 7);
}

std::string hint_for(SignatureStatus status, const gate::SignatureVerdict& verdict) {
  const std::string keys(gate::k_signature_keys_dir);
  switch (status) {
  case SignatureStatus::unsigned_commit:
    return "Sign the commit with a trusted key (`git commit --amend -S`, or `git rebase "
           "--exec 'git commit --amend --no-edit -S'` for a branch; `git config commit.gpgsign "
           "true` signs every commit).";
  case SignatureStatus::bad:
    return "The commit is not what was signed: do not merge it. Recreate it from a trusted "
           "copy and sign it again.";
  case SignatureStatus::untrusted_key:
    if (verdict.format == "ssh") {
      return "To trust this signer, add their public key to the allowed signers file in its "
             "own reviewed change (it counts from the change after it), or sign with a key "
             "already listed there.";
    }
    return "To trust this signer, add their public key (`gpg --armor --export " +
           (verdict.fingerprint.empty() ? std::string("KEYID") : verdict.fingerprint) + " > " +
           keys +
           "/NAME.asc`) in its own reviewed change (it counts from the change after it), "
           "or sign with a key already trusted.";
  case SignatureStatus::expired_key:
    return "Extend the key's expiry (`gpg --quick-set-expire`) and commit the refreshed public "
           "key under " +
           keys + "/, or sign again with a valid key.";
  case SignatureStatus::revoked_key:
    return "The key was revoked: sign the commit again with a current, trusted key.";
  case SignatureStatus::identity_mismatch:
    return "Commit with an address the key may sign for (`git config user.email`), add the "
           "address to the key's user ids and commit the refreshed key, or bind it in the "
           "policy's signatures.signers.";
  case SignatureStatus::unsupported:
    return "Sign with OpenPGP (gpg) or SSH (`gpg.format=ssh`), which agate verifies.";
  case SignatureStatus::good:
    break;
  }
  return "";
}

} // namespace

std::optional<gate::Finding> signature_finding(const gate::SignatureVerdict& verdict,
                                               const gate::CommitInfo& commit,
                                               const std::optional<std::string>& requirement,
                                               const gate::SignaturePolicy& policy) {
  if (verdict.status == SignatureStatus::good ||
      (verdict.status == SignatureStatus::unsigned_commit && !requirement)) {
    return std::nullopt;
  }
  gate::Finding finding;
  finding.rule = std::string(gate::rule_for(verdict.status));
  const bool required = requirement.has_value();
  finding.severity = required ? gate::Severity::error : gate::Severity::warning;
  if (verdict.status == SignatureStatus::bad) {
    finding.severity = gate::Severity::error;
  }
  if (verdict.status == SignatureStatus::revoked_key && policy.revoked_key == "warn") {
    finding.severity = gate::Severity::warning;
  }
  const std::string id = short_id(commit.id);
  std::string what;
  switch (verdict.status) {
  case SignatureStatus::unsigned_commit:
    what = "commit " + id + " is not signed";
    break;
  case SignatureStatus::bad:
    what = "commit " + id + " has a bad signature: " + verdict.reason;
    break;
  case SignatureStatus::unsupported:
    what = "commit " + id + " carries " + verdict.reason;
    break;
  default:
    what = "commit " + id + ": " + verdict.reason;
    break;
  }
  if (requirement) {
    what += "; it must be signed: " + *requirement;
  } else if (verdict.status != SignatureStatus::bad) {
    what += " (signing is not required for it, so a warning)";
  }
  finding.message = what;
  finding.evidence = verdict.evidence;
  finding.evidence["status"] = std::string(gate::to_string(verdict.status));
  finding.evidence["required"] = required;
  if (requirement) {
    finding.evidence["requirement"] = *requirement;
  }
  finding.hint = hint_for(verdict.status, verdict);
  return finding;
}

std::vector<gate::Finding> SignatureAnalyzer::analyze(const AnalysisContext& context,
                                                      const gate::Change& change) {
  if (change.kind != gate::ChangeKind::commit || !change.commit) {
    return {};
  }
  const gate::CommitInfo& commit = *change.commit;
  const gate::Policy& policy = context.policy;
  auto requirement = gate::signature_requirement(policy, commit);
  if (commit.signature_field.empty() && !requirement) {
    return {}; // nothing to check and nothing required: no keyring needed
  }
  if (!m_verifier) {
    m_verifier =
        gate::make_signature_verifier(policy, context.repository, context.change_set.policy_rev)
            .value_or_throw();
    // A range: check every commit's signature now, on several gpg processes at once.
    std::vector<const gate::CommitInfo*> commits;
    for (const auto& each : context.change_set.changes) {
      if (each.kind == gate::ChangeKind::commit && each.commit) {
        commits.push_back(&*each.commit);
      }
    }
    m_verifier->prefetch(commits).value_or_throw();
  }
  auto verdict = m_verifier->verify(commit).value_or_throw();
  auto finding = signature_finding(verdict, commit, requirement, policy.signatures);
  if (!finding) {
    return {};
  }
  return {std::move(*finding)};
}

} // namespace agate::analyzers
