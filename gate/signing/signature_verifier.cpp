// The signature policy decision; see signature_verifier.hpp.
#include "gate/signing/signature_verifier.hpp"

#include "gate/core/rule_catalog.hpp"
#include "gate/provenance/ai_assisted.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <thread>

namespace agate::gate {

namespace {

constexpr std::string_view k_pgp_begin = "-----BEGIN PGP SIGNATURE-----";
constexpr std::string_view k_ssh_begin = "-----BEGIN SSH SIGNATURE-----";

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The format of a signature block, from its armor line.
std::string format_of(std::string_view signature) {
  if (signature.find(k_pgp_begin) != std::string_view::npos) {
    return "openpgp";
  }
  if (signature.find(k_ssh_begin) != std::string_view::npos) {
    return "ssh";
  }
  if (signature.find("-----BEGIN SIGNED MESSAGE-----") != std::string_view::npos ||
      signature.find("-----BEGIN PKCS7-----") != std::string_view::npos ||
      signature.find("-----BEGIN CMS-----") != std::string_view::npos) {
    return "x509";
  }
  return "unknown";
}

// Files under .agate/keys that are documentation, not keys.
bool is_documentation(std::string_view path) {
  auto slash = path.rfind('/');
  std::string name = lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return name.starts_with("readme") || name.ends_with(".md") || name.ends_with(".txt");
}

std::string time_text(std::int64_t time) {
  return format_time(time, TimeStyle::readable);
}

} // namespace

std::string_view to_string(SignatureStatus status) {
  switch (status) {
  case SignatureStatus::unsigned_commit:
    return "unsigned";
  case SignatureStatus::good:
    return "good";
  case SignatureStatus::bad:
    return "bad";
  case SignatureStatus::untrusted_key:
    return "untrusted-key";
  case SignatureStatus::expired_key:
    return "expired-key";
  case SignatureStatus::revoked_key:
    return "revoked-key";
  case SignatureStatus::identity_mismatch:
    return "identity-mismatch";
  case SignatureStatus::unsupported:
    return "unsupported";
  }
  return "unknown";
}

std::string_view rule_for(SignatureStatus status) {
  switch (status) {
  case SignatureStatus::unsigned_commit:
    return rule::signature_missing;
  case SignatureStatus::good:
    return "";
  case SignatureStatus::bad:
    return rule::signature_bad;
  case SignatureStatus::untrusted_key:
    return rule::signature_untrusted_key;
  case SignatureStatus::expired_key:
    return rule::signature_expired_key;
  case SignatureStatus::revoked_key:
    return rule::signature_revoked_key;
  case SignatureStatus::identity_mismatch:
    return rule::signature_identity_mismatch;
  case SignatureStatus::unsupported:
    return rule::signature_unsupported;
  }
  return "";
}

std::optional<std::string> signature_requirement(const Policy& policy, const CommitInfo& commit) {
  const auto& require = policy.signatures.require;
  if (require == "all") {
    return std::string("signatures.require is \"all\"");
  }
  if (require == "ai-assisted") {
    if (auto evidence = ai_assisted_evidence(commit, policy.provenance.agent_identities)) {
      return "signatures.require is \"ai-assisted\" and it is AI-assisted (" + *evidence + ")";
    }
  }
  return std::nullopt;
}

SignatureVerifier::SignatureVerifier(SignaturePolicy policy, std::vector<PolicyFile> key_files,
                                     std::optional<PolicyFile> allowed_signers, std::string origin)
    : m_policy(std::move(policy)), m_key_files(std::move(key_files)),
      m_allowed_signers(std::move(allowed_signers)), m_origin(std::move(origin)) {}

Status SignatureVerifier::load_keyring() {
  if (m_keyring) {
    return success();
  }
  auto keyring = GpgKeyring::create();
  TRY(keyring);
  for (const auto& file : m_key_files) {
    if (is_documentation(file.path)) {
      continue;
    }
    auto imported = (*keyring)->import_keys(file.content, file.path + " (" + m_origin + ")");
    if (!imported) {
      return fail("cannot load the trusted keys: " + imported.error());
    }
    for (const auto& fpr : *imported) {
      m_trusted.try_emplace(fpr, file.path);
    }
  }
  m_keyring = std::move(*keyring);
  return success();
}

Result<std::vector<std::string>> SignatureVerifier::trusted_fingerprints() {
  TRY(load_keyring());
  std::vector<std::string> out;
  for (const auto& [fpr, file] : m_trusted) {
    out.push_back(fpr);
  }
  return out;
}

Result<SignatureVerdict> SignatureVerifier::verify(const CommitInfo& commit) {
  SignatureVerdict verdict;
  verdict.evidence["commit"] = commit.id;
  if (commit.signature_field.empty() || commit.signature.empty()) {
    verdict.status = SignatureStatus::unsigned_commit;
    verdict.reason = "the commit is not signed";
    return verdict;
  }
  verdict.format = format_of(commit.signature);
  verdict.evidence["format"] = verdict.format;
  verdict.evidence["header"] = commit.signature_field;
  const std::size_t blocks = count_of(commit.signature, "-----BEGIN ");
  if (blocks > 1) {
    verdict.status = SignatureStatus::bad;
    verdict.reason = "the " + commit.signature_field + " header holds " + std::to_string(blocks) +
                     " armored blocks; exactly one signature is allowed";
    verdict.evidence["blocks"] = blocks;
    return verdict;
  }
  if (verdict.format == "openpgp") {
    return verify_openpgp(commit, std::move(verdict));
  }
  if (verdict.format == "ssh") {
    return verify_ssh(commit, std::move(verdict));
  }
  verdict.status = SignatureStatus::unsupported;
  verdict.reason = verdict.format == "x509"
                       ? "an X.509 (gpgsm or gitsign) signature, which agate cannot check offline"
                       : "a signature in a format agate does not know (neither OpenPGP, SSH nor "
                         "X.509)";
  return verdict;
}

Status SignatureVerifier::prefetch(const std::vector<const CommitInfo*>& commits) {
  std::vector<const CommitInfo*> openpgp;
  for (const CommitInfo* commit : commits) {
    if (!commit->signature_field.empty() && !commit->signature.empty() &&
        format_of(commit->signature) == "openpgp" &&
        count_of(commit->signature, "-----BEGIN ") == 1 && !m_prefetched.contains(commit->id)) {
      openpgp.push_back(commit);
    }
  }
  if (openpgp.size() < 2) {
    return success(); // nothing to gain over checking it when asked
  }
  TRY(load_keyring());
  std::vector<SignedData> items;
  items.reserve(openpgp.size());
  for (const CommitInfo* commit : openpgp) {
    items.push_back({commit->signature, commit->signed_payload});
  }
  // gpg is mostly process start-up: twice the cores keeps them busy while others start.
  const unsigned threads = std::clamp(2 * std::thread::hardware_concurrency(), 2U, 8U);
  auto checks = m_keyring->verify_many(items, threads);
  TRY(checks);
  for (std::size_t i = 0; i < openpgp.size(); ++i) {
    m_prefetched.emplace(openpgp[i]->id, std::move((*checks)[i]));
  }
  return success();
}

Result<SignatureVerdict> SignatureVerifier::verify_openpgp(const CommitInfo& commit,
                                                           SignatureVerdict verdict) {
  TRY(load_keyring());
  Result<GpgSignatureCheck> checked = fail(std::string());
  if (auto found = m_prefetched.find(commit.id); found != m_prefetched.end()) {
    checked = std::move(found->second);
    m_prefetched.erase(found);
  } else {
    checked = m_keyring->verify(commit.signature, commit.signed_payload);
  }
  TRY(checked);
  const GpgSignatureCheck& check = *checked;
  verdict.fingerprint = check.key ? check.key->fingerprint : check.reported_id;
  verdict.signer = check.key ? check.key->user_id : "";
  if (!check.signing_key.empty() && check.key && check.signing_key != check.key->fingerprint) {
    verdict.signing_key = check.signing_key;
    verdict.evidence["signing_subkey"] = check.signing_key;
  }
  if (check.signed_at > 0) {
    verdict.evidence["signed_at"] = time_text(check.signed_at);
  }
  if (!verdict.fingerprint.empty()) {
    verdict.evidence["fingerprint"] = verdict.fingerprint;
  }
  if (!verdict.signer.empty()) {
    verdict.evidence["signer"] = verdict.signer;
  }

  // A subkey whose usage flags do not include signing (gpg itself may refuse it: "Wrong key
  // usage"): the key is known, but not as a signer.
  auto not_signing_capable = [&] {
    verdict.status = SignatureStatus::untrusted_key;
    verdict.reason = "signed by " + check.signing_key +
                     ", a key that is not allowed to sign (its usage flags do not include "
                     "signing)";
    verdict.evidence["signing_capable"] = false;
    return verdict;
  };
  using Outcome = GpgSignatureCheck::Outcome;
  if (check.outcome == Outcome::error && check.key && !check.signing_key.empty() &&
      !check.signing_capable && m_trusted.count(check.key->fingerprint) > 0) {
    return not_signing_capable();
  }
  if (check.outcome == Outcome::bad || check.outcome == Outcome::error) {
    verdict.status = SignatureStatus::bad;
    verdict.reason = check.detail.empty() ? "the signature does not verify" : check.detail;
    return verdict;
  }
  if (check.signatures != 1) {
    verdict.status = SignatureStatus::bad;
    verdict.reason = "the signature block holds " + std::to_string(check.signatures) +
                     " signatures; exactly one is allowed";
    return verdict;
  }
  if (check.outcome == Outcome::no_public_key || !check.key) {
    verdict.status = SignatureStatus::untrusted_key;
    verdict.reason = "signed by key " + check.reported_id +
                     ", which is not among the trusted keys (" + std::string(k_signature_keys_dir) +
                     "/ " + m_origin + ")";
    return verdict;
  }
  const std::string& primary = check.key->fingerprint;
  const bool is_merge = commit.parents.size() >= 2;
  const bool web_flow = !m_policy.web_flow_key.empty() && primary == m_policy.web_flow_key;
  if (web_flow) {
    verdict.evidence["web_flow_key"] = true;
    if (!m_policy.accept_web_flow_merges || !is_merge) {
      verdict.status = SignatureStatus::untrusted_key;
      verdict.reason = std::string("signed by the web-flow key, which counts only for merge "
                                   "commits and only with signatures.accept_web_flow_merges") +
                       (is_merge ? " (it is false)" : " (this is not a merge commit)");
      return verdict;
    }
  } else if (m_trusted.find(primary) == m_trusted.end()) {
    verdict.status = SignatureStatus::untrusted_key;
    verdict.reason = "signed by key " + primary + ", which is not among the trusted keys";
    return verdict;
  } else {
    verdict.evidence["key_file"] = m_trusted[primary];
  }
  if (!check.signing_capable) {
    return not_signing_capable();
  }
  if (check.signing_key_revoked) {
    verdict.status = SignatureStatus::revoked_key;
    verdict.reason = "signed by key " + primary + ", which has been revoked";
    return verdict;
  }
  if (check.signature_expired) {
    verdict.status = SignatureStatus::expired_key;
    verdict.reason = "the signature itself has expired";
    return verdict;
  }
  if (check.signing_key_expired) {
    const bool before = check.signing_key_expires > 0 && check.signed_at > 0 &&
                        check.signed_at < check.signing_key_expires;
    verdict.evidence["key_expired_at"] = time_text(check.signing_key_expires);
    if (!before || m_policy.expired_key == "reject") {
      verdict.status = SignatureStatus::expired_key;
      verdict.reason = "signed by key " + primary + ", which expired on " +
                       time_text(check.signing_key_expires) +
                       (before ? " (after it signed; signatures.expired_key is \"reject\")"
                               : " (before it signed)");
      return verdict;
    }
    verdict.evidence["signed_before_expiry"] = true;
  }
  if (m_policy.require_committer_match && !(web_flow && is_merge)) {
    std::vector<std::string> bound = check.key->emails;
    if (auto it = m_policy.signers.find(primary); it != m_policy.signers.end()) {
      bound = it->second;
    }
    const std::string committer = lower(commit.committer.email);
    if (std::find(bound.begin(), bound.end(), committer) == bound.end()) {
      verdict.status = SignatureStatus::identity_mismatch;
      verdict.reason = "the committer <" + commit.committer.email + "> is not an address key " +
                       primary + " may sign for";
      verdict.evidence["committer"] = commit.committer.email;
      verdict.evidence["key_addresses"] = bound;
      return verdict;
    }
  }
  verdict.status = SignatureStatus::good;
  verdict.reason =
      web_flow ? "a merge commit signed by the web-flow key" : "a good signature by a trusted key";
  if (check.signing_key_expired) {
    verdict.reason += " (it has expired since it signed)";
  }
  return verdict;
}

Result<SignatureVerdict> SignatureVerifier::verify_ssh(const CommitInfo& commit,
                                                       SignatureVerdict verdict) {
  if (!m_ssh) {
    std::optional<std::string> text;
    if (m_allowed_signers) {
      text = m_allowed_signers->content;
    }
    auto ssh = SshVerifier::create(std::move(text), m_policy.allowed_signers + " " + m_origin);
    TRY(ssh);
    m_ssh = std::move(*ssh);
  }
  std::optional<std::string> principal;
  if (m_policy.require_committer_match) {
    principal = commit.committer.email;
  }
  auto checked =
      m_ssh->verify(commit.signature, commit.signed_payload, principal, commit.committer.time);
  TRY(checked);
  const SshSignatureCheck& check = *checked;
  verdict.fingerprint = check.fingerprint;
  verdict.signer = check.principal;
  if (!check.fingerprint.empty()) {
    verdict.evidence["fingerprint"] = check.fingerprint;
  }
  if (!check.key_type.empty()) {
    verdict.evidence["key_type"] = check.key_type;
  }
  if (!check.principals.empty()) {
    verdict.evidence["principals"] = check.principals;
  }
  switch (check.outcome) {
  case SshSignatureCheck::Outcome::good:
    verdict.status = SignatureStatus::good;
    verdict.reason = "a good SSH signature by an allowed signer";
    break;
  case SshSignatureCheck::Outcome::bad:
    verdict.status = SignatureStatus::bad;
    verdict.reason = "the SSH signature does not verify" +
                     (check.detail.empty() ? std::string() : ": " + check.detail);
    break;
  case SshSignatureCheck::Outcome::untrusted:
    verdict.status = SignatureStatus::untrusted_key;
    verdict.reason = "signed by SSH key " + check.fingerprint + ": " + check.detail;
    break;
  case SshSignatureCheck::Outcome::identity_mismatch:
    verdict.status = SignatureStatus::identity_mismatch;
    verdict.signer = check.principals.empty() ? "" : check.principals.front();
    verdict.reason = "the committer <" + commit.committer.email + "> is not a principal SSH key " +
                     check.fingerprint + " may sign for";
    verdict.evidence["committer"] = commit.committer.email;
    break;
  }
  return verdict;
}

Result<std::unique_ptr<SignatureVerifier>> make_signature_verifier(const Policy& policy,
                                                                   const RepositoryView* view,
                                                                   std::string_view policy_rev) {
  std::vector<PolicyFile> keys;
  std::optional<PolicyFile> allowed;
  const std::string origin =
      policy_rev.empty() ? "in the work tree" : "at " + std::string(policy_rev.substr(0, 12));
  if (view != nullptr) {
    auto files = view->policy_files(policy_rev, k_signature_keys_dir);
    TRY(files);
    keys = std::move(*files);
    const std::string& path = policy.signatures.allowed_signers;
    const auto slash = path.rfind('/');
    auto siblings = view->policy_files(policy_rev, path.substr(0, slash));
    TRY(siblings);
    for (auto& file : *siblings) {
      if (file.path == path) {
        allowed = std::move(file);
      }
    }
  }
  return std::make_unique<SignatureVerifier>(policy.signatures, std::move(keys), std::move(allowed),
                                             origin);
}

} // namespace agate::gate
