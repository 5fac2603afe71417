// The signature analyzer: one finding per commit whose signature does not satisfy the policy
// (rules signature/*), decided by gate/signature_verifier against the keys the repository
// trusts at the policy revision.
//
// Only changes of kind `commit` are judged (a range's per-commit changes included; the range as
// a whole has no signature of its own). Severities: `signature/bad` is always an error (the
// commit was changed after it was signed); a commit the policy requires to be signed gets
// errors (`signature/missing` and every other rule); a signed commit the policy does not require
// to be signed still gets its problems reported, as warnings (`signature/revoked-key` follows
// `signatures.revoked_key`). A good signature gives no finding.
//
// A repository that never set up signatures (no trusted keys under .agate/keys/, no allowed
// signers, a policy that requires none and binds no signer) gets no verification at all: every
// signature would be "untrusted", which tells nobody anything. One note for the whole review
// says how many commits are signed, and names the ones signed by GitHub's web-flow key.
//
// The verifier (and so the keyring import) is made once per analyzer object, which the
// registry makes once per run. When the gate cannot decide (a key file that is not a key, gpg
// missing) the analyzer throws agate::Error: exit 2, never a silent pass.
#pragma once

#include "analyzers/analyzer.hpp"
#include "gate/signing/signature_verifier.hpp"

#include <memory>
#include <optional>

namespace agate::analyzers {

class SignatureAnalyzer : public Analyzer {
public:
  std::string_view name() const override { return "signature"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;

private:
  std::unique_ptr<gate::SignatureVerifier> m_verifier;
};

// The finding for a commit's verdict; nullopt when the signature satisfies the policy (a good
// signature, or an unsigned commit the policy does not require to be signed). `requirement`
// is what signature_requirement() said about the commit.
std::optional<gate::Finding> signature_finding(const gate::SignatureVerdict& verdict,
                                               const gate::CommitInfo& commit,
                                               const std::optional<std::string>& requirement,
                                               const gate::SignaturePolicy& policy);

// The one note for a review in a repository that never set up signatures, naming the commits
// signed by GitHub's web-flow key; nullopt when no commit of `change_set` is signed.
std::optional<gate::Finding> unconfigured_signatures_note(const gate::ChangeSet& change_set);

// Whether the commit is signed by GitHub's web-flow key (read from the signature's issuer, not
// verified).
bool is_github_web_flow(const gate::CommitInfo& commit);

} // namespace agate::analyzers
