// The signature analyzer; see signature_analyzer.hpp.
#include "analyzers/signature_analyzer.hpp"

#include "gate/signing/openpgp_fast.hpp"
#include "gate/util/error.hpp"

#include <algorithm>
#include <array>

namespace agate::analyzers {

namespace {

using gate::SignatureStatus;

std::string short_id(const std::string& id) {
  return id.substr(0, 7);
}

// The key ids GitHub signs web-interface commits with (merges, edits, squash merges), committed
// as "GitHub <noreply@github.com>": the current key and the one before it.
constexpr std::array<std::string_view, 2> k_github_web_flow_key_ids = {"B5690EEEBB952194",
                                                                       "4AEE18F83AFDEB23"};

} // namespace

bool is_github_web_flow(const gate::CommitInfo& commit) {
  if (commit.signature.empty()) {
    return false;
  }
  const std::string id = gate::openpgp::issuer_key_id(commit.signature);
  return std::find(k_github_web_flow_key_ids.begin(), k_github_web_flow_key_ids.end(), id) !=
         k_github_web_flow_key_ids.end();
}

namespace {

constexpr std::string_view k_web_flow_explained =
    "GitHub signs the commits made in its web interface (merges, edits, squash merges) with its "
    "web-flow key";

std::string hint_for(SignatureStatus status, const gate::SignatureVerdict& verdict, bool web_flow) {
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
    if (web_flow) {
      return std::string(k_web_flow_explained) +
             ". To accept it on merge commits, commit GitHub's public key "
             "(https://github.com/web-flow.gpg) under " +
             keys +
             "/ and set signatures.web_flow_key to its fingerprint and "
             "signatures.accept_web_flow_merges to true.";
    }
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
  finding.hint = hint_for(verdict.status, verdict, is_github_web_flow(commit));
  return finding;
}

std::optional<gate::Finding> unconfigured_signatures_note(const gate::ChangeSet& change_set) {
  std::size_t commits = 0;
  std::vector<const gate::CommitInfo*> signed_commits;
  for (const auto& each : change_set.changes) {
    if (each.kind == gate::ChangeKind::commit && each.commit) {
      ++commits;
      if (!each.commit->signature_field.empty()) {
        signed_commits.push_back(&*each.commit);
      }
    }
  }
  if (signed_commits.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> web_flow;
  for (const auto* commit : signed_commits) {
    if (is_github_web_flow(*commit)) {
      web_flow.push_back(short_id(commit->id));
    }
  }
  const std::string keys(gate::k_signature_keys_dir);
  gate::Finding finding;
  finding.rule = std::string(gate::rule_for(SignatureStatus::untrusted_key));
  finding.severity = gate::Severity::note;
  finding.message =
      std::to_string(signed_commits.size()) + " of " + std::to_string(commits) +
      (commits == 1 ? " commit is" : " commits are") +
      " signed, but this repository trusts no signing key (nothing under " + keys +
      "/, no allowed signers, no signatures policy), so their signatures are not checked";
  if (!web_flow.empty()) {
    finding.message +=
        "; " + std::to_string(web_flow.size()) + (web_flow.size() == 1 ? " is" : " are") +
        " signed by GitHub's web-flow key (" + web_flow.front() +
        (web_flow.size() > 1 ? ", ..." : "") + "): " + std::string(k_web_flow_explained);
  }
  finding.evidence["signed_commits"] = signed_commits.size();
  finding.evidence["commits"] = commits;
  finding.evidence["github_web_flow_commits"] = web_flow;
  finding.evidence["configured"] = false;
  finding.hint = "To check signatures, commit the public keys you trust under " + keys +
                 "/ (or SSH signers in the allowed signers file) and set signatures.require "
                 "(docs/signatures.md).";
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
    if (!m_verifier->configured()) {
      // Signatures were never set up: one note for the whole review, no gpg.
      auto note = unconfigured_signatures_note(context.change_set);
      return note ? std::vector<gate::Finding>{std::move(*note)} : std::vector<gate::Finding>{};
    }
    // A range: check every commit's signature now, on several gpg processes at once.
    std::vector<const gate::CommitInfo*> commits;
    for (const auto& each : context.change_set.changes) {
      if (each.kind == gate::ChangeKind::commit && each.commit) {
        commits.push_back(&*each.commit);
      }
    }
    m_verifier->prefetch(commits).value_or_throw();
  }
  if (!m_verifier->configured()) {
    return {};
  }
  auto verdict = m_verifier->verify(commit).value_or_throw();
  auto finding = signature_finding(verdict, commit, requirement, policy.signatures);
  if (!finding) {
    return {};
  }
  return {std::move(*finding)};
}

} // namespace agate::analyzers
