// SSH commit signatures (`gpg.format=ssh`), verified the way git verifies them: with
// `ssh-keygen -Y` against an allowed-signers file in git's own format
// (`gpg.ssh.allowedSignersFile`, see ssh-keygen(1) "ALLOWED SIGNERS"), in the namespace `git`, at
// the commit's time (so `valid-after`/`valid-before` options apply as git applies them).
//
// The allowed-signers text comes from the policy revision, never from the change under review.
// Files handed to ssh-keygen live in a private temporary directory removed with the verifier.
#pragma once

#include "gate/util/error.hpp"
#include "gate/util/subprocess.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct SshSignatureCheck {
  enum class Outcome {
    good,              // valid, by an allowed signer, for the principal asked for
    bad,               // the commit does not match the signature, or it cannot be read
    untrusted,         // valid, but the key is not an allowed signer (at that time)
    identity_mismatch, // valid, by an allowed signer, but not for the committer's address
  };
  Outcome outcome = Outcome::bad;
  std::string fingerprint;             // "SHA256:..." of the signing key, when readable
  std::string key_type;                // "ED25519", "RSA", "ECDSA"...
  std::string principal;               // the principal it verified for
  std::vector<std::string> principals; // the allowed-signers principals of the key
  std::string detail;                  // ssh-keygen's words for a failure
};

class SshVerifier {
public:
  // `allowed_signers`: the file's text, or nullopt when the policy has none (every SSH
  // signature is then untrusted). `origin` names it in messages.
  static Result<std::unique_ptr<SshVerifier>> create(std::optional<std::string> allowed_signers,
                                                     std::string origin);

  // Verifies `signature` (an armored SSH signature) over `payload`. With `principal` set, the
  // key must be allowed for that principal (the committer's address); otherwise any principal
  // will do. `time` is the commit's time. Fails only when ssh-keygen cannot be run.
  Result<SshSignatureCheck> verify(std::string_view signature, std::string_view payload,
                                   const std::optional<std::string>& principal, std::int64_t time);

private:
  SshVerifier(PrivateTempDir dir, std::optional<std::filesystem::path> allowed, std::string origin)
      : m_dir(std::move(dir)), m_allowed(std::move(allowed)), m_origin(std::move(origin)) {}
  Result<ProcessResult> ssh_keygen(const std::vector<std::string>& args,
                                   std::string_view input) const;

  PrivateTempDir m_dir;
  std::optional<std::filesystem::path> m_allowed;
  std::string m_origin;
};

} // namespace agate::gate
