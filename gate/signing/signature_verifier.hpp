// Whether a commit's signature satisfies the repository's policy: the one decision behind the
// signature analyzer (`agate check`) and `agate verify`, so both always agree.
//
// Inputs are the repository's own: the OpenPGP public keys under `.agate/keys/` and the SSH
// allowed-signers file, both read at the policy revision (the base of a range), so a change
// cannot bring and trust its own key. They are loaded lazily, once per run: the OpenPGP keyring
// on the first OpenPGP signature, ssh-keygen's files on the first SSH signature, so a run that
// meets no signature needs neither gpg nor ssh-keygen.
//
// OpenPGP (gate/gpg_keyring): exactly one armored block holding exactly one signature, a good
// status, by a (sub)key that can sign, whose PRIMARY fingerprint is one of the imported keys';
// then revocation, expiry (by policy: accepted when the signature predates the expiry) and the
// committer's email against the addresses the key may sign for (its user ids' emails, or the
// policy's `signatures.signers` entry). The forge's web-flow key, when named in the policy,
// counts only on merge commits and only with `accept_web_flow_merges`.
// SSH (gate/ssh_signature): ssh-keygen -Y against the allowed signers, namespace git, for the
// committer's email as principal when the policy requires a match.
// X.509 (gpgsm, gitsign) and unknown formats are `unsupported`, named.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/policy.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/signing/gpg_keyring.hpp"
#include "gate/signing/ssh_signature.hpp"
#include "gate/util/error.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

enum class SignatureStatus {
  unsigned_commit,
  good,
  bad,
  untrusted_key,
  expired_key,
  revoked_key,
  identity_mismatch,
  unsupported,
};

// "unsigned", "good", "bad", "untrusted-key", "expired-key", "revoked-key",
// "identity-mismatch", "unsupported".
std::string_view to_string(SignatureStatus status);
// The rule id reported for a status ("signature/bad"); "signature/missing" for an unsigned
// commit; empty for a good signature.
std::string_view rule_for(SignatureStatus status);

struct SignatureVerdict {
  SignatureStatus status = SignatureStatus::unsigned_commit;
  std::string format;      // "openpgp", "ssh", "x509", "unknown"; empty when unsigned
  std::string signer;      // "Name <email>" of the key's user id, or the SSH principal
  std::string fingerprint; // the primary key's fingerprint, or the SSH key's SHA256:...
  std::string signing_key; // the subkey that signed, when it is not the primary key
  std::string reason;      // one sentence: why this status
  nlohmann::json evidence = nlohmann::json::object(); // facts behind it, for reports
};

class SignatureVerifier {
public:
  // `key_files`: the files under .agate/keys at the policy revision; `allowed_signers`: the
  // SSH allowed-signers file there, if any; `origin` says where they come from ("at abc1234" or
  // "in the work tree"), for messages.
  SignatureVerifier(SignaturePolicy policy, std::vector<PolicyFile> key_files,
                    std::optional<PolicyFile> allowed_signers, std::string origin);

  // The verdict on one commit's signature. Fails (exit 2) when the gate cannot decide: a key
  // file that is not a public key, gpg or ssh-keygen missing.
  Result<SignatureVerdict> verify(const CommitInfo& commit);

  // Checks the OpenPGP signatures of `commits` ahead, on several gpg processes at once, so that
  // verify() on each of them then costs no gpg run: for ranges. Fails like verify().
  Status prefetch(const std::vector<const CommitInfo*>& commits);

  // Whether the repository set up signatures at all: trusted keys under .agate/keys/, an SSH
  // allowed-signers file, or a policy that requires signatures or binds signers or a web-flow
  // key. When it did not, every signature would be "untrusted" and say nothing, so the signature
  // analyzer only notes the signed commits (docs/signatures.md).
  bool configured() const;

private:
  Status load_keyring();
  Result<SignatureVerdict> verify_openpgp(const CommitInfo& commit, SignatureVerdict verdict);
  Result<SignatureVerdict> verify_ssh(const CommitInfo& commit, SignatureVerdict verdict);

  SignaturePolicy m_policy;
  std::vector<PolicyFile> m_key_files;
  std::optional<PolicyFile> m_allowed_signers;
  std::string m_origin;
  std::unique_ptr<GpgKeyring> m_keyring;                 // imported on first use
  std::map<std::string, std::string> m_trusted;          // primary fingerprint -> key file
  std::unique_ptr<SshVerifier> m_ssh;                    // set up on first use
  std::map<std::string, GpgSignatureCheck> m_prefetched; // by commit id, until verify() takes it
};

// The verifier for a review: key files and allowed signers from `view` at `policy_rev` (the
// work tree when empty). A null view (unit tests) means no trusted keys.
Result<std::unique_ptr<SignatureVerifier>> make_signature_verifier(const Policy& policy,
                                                                   const RepositoryView* view,
                                                                   std::string_view policy_rev);

// Whether the policy requires `commit` to be signed, and why ("signatures.require is "all"",
// "it is AI-assisted: trailer ..."); nullopt when it does not.
std::optional<std::string> signature_requirement(const Policy& policy, const CommitInfo& commit);

} // namespace agate::gate
