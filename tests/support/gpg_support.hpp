// Test support for signed commits: a throw-away GnuPG home that makes real keys (fast ed25519
// by default, passphrase-less through loopback pinentry), exports, revokes and re-flags them,
// and signs commits through git with a `gpg.program` wrapper script that points gpg at this
// home (and, for expiry tests, at a faked clock); SSH keys and SSH-signed commits; and a
// rewrite of a commit object for tampering tests.
//
// A GpgHome owns its directory (outside the per-test-case TempDir, so one home can serve a whole
// test file) and stops the gpg-agent it started when it goes away.
#pragma once

#include "tests/support/test_support.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace agate::test {

class GpgHome {
public:
  GpgHome();
  ~GpgHome();
  GpgHome(const GpgHome&) = delete;
  GpgHome& operator=(const GpgHome&) = delete;

  const fs::path& dir() const { return m_dir; }

  // Runs gpg on this home (batch, loopback pinentry, empty passphrase); throws on failure.
  // `faked_time` (seconds since the epoch) runs gpg as if it were then.
  std::string gpg(const std::vector<std::string>& args, const std::string& input = "",
                  std::optional<std::int64_t> faked_time = std::nullopt);

  // A new key with user id `uid`; returns its primary fingerprint.
  std::string generate_key(const std::string& uid, const std::string& usage = "sign",
                           const std::string& expire = "never",
                           std::optional<std::int64_t> at = std::nullopt,
                           const std::string& algo = "ed25519");
  // Adds a subkey to `fingerprint`; returns the subkey's fingerprint.
  std::string add_subkey(const std::string& fingerprint, const std::string& algo,
                         const std::string& usage);
  // The armored public key (with its subkeys and any revocation).
  std::string export_key(const std::string& fingerprint);
  // The armored public key as it is once revoked (with the revocation certificate gpg made when
  // it generated it), while this home keeps the key unrevoked and able to sign.
  std::string export_revoked(const std::string& fingerprint);
  // The armored public key with the usage flags of subkey number `index` (1 = the first
  // subkey) changed by toggling `toggles` ("SE": toggle sign, toggle encrypt) in
  // `gpg --edit-key ... change-usage`; this home keeps the key as it was.
  std::string export_with_subkey_usage(const std::string& fingerprint, int index,
                                       const std::string& toggles);

  // A script usable as git's gpg.program that runs gpg on this home (at `faked_time`).
  fs::path program(std::optional<std::int64_t> faked_time = std::nullopt);

private:
  fs::path m_dir;
  int m_programs = 0;
};

// Commits what is staged (or nothing: --allow-empty), signed by `key` of `gpg`; returns the id.
std::string commit_signed(GitRepo& repo, GpgHome& gpg, const std::string& key,
                          const std::string& message,
                          std::optional<std::int64_t> faked_time = std::nullopt,
                          const std::vector<std::string>& extra_args = {});

// A new ed25519 SSH key pair in `dir` with comment `comment`; returns the private key's path
// (the public key is beside it with ".pub").
fs::path make_ssh_key(const fs::path& dir, const std::string& name, const std::string& comment);
// Commits what is staged, SSH-signed with `private_key`; returns the id.
std::string commit_ssh_signed(GitRepo& repo, const fs::path& private_key,
                              const std::string& message);

// Replaces HEAD's commit object by `edit(raw object)` (written with `git hash-object -t commit`)
// and moves the current branch to it; returns the new id.
std::string rewrite_head(GitRepo& repo, const std::function<std::string(std::string)>& edit);

// The value of a commit header holding `blocks` joined, as git writes a multi-line header
// ("gpgsig " then continuation lines starting with a space), with its final newline.
std::string gpgsig_header(const std::string& field, const std::string& block);

} // namespace agate::test
