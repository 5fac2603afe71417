// An OpenPGP keyring that holds only the keys the repository trusts, and detached-signature
// verification against it, with GPGME.
//
// Isolation is the point: the keyring lives in a fresh temporary GnuPG home (mode 0700) that
// holds nothing but the keys imported into it, so the user's own keyring, agent and trust
// settings never count. The home's gpg.conf keeps gpg offline (`no-autostart`, no key server,
// no automatic key retrieval); the destructor stops any daemon gpg started there
// (`gpgconf --homedir H --kill all`) and removes the directory, also when an operation failed.
//
// This layer reports facts (which key, which subkey, can it sign, is it expired or revoked,
// when was the signature made); gate/signature_verifier decides what they mean for the policy.
// It never relies on GPGME's VALID/GREEN summary bits: with an isolated keyring and no trust
// database they never appear. GPGME itself stays in gpg_keyring.cpp (the `Gpgme` state below is
// defined there), so no other file sees <gpgme.h>.
#pragma once

#include "gate/signing/openpgp_fast.hpp"
#include "gate/util/error.hpp"
#include "gate/util/subprocess.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// A public key of the keyring.
struct GpgKey {
  std::string fingerprint;         // the primary key's, upper-case hex
  std::string user_id;             // the first valid user id, "Name <email>"
  std::vector<std::string> emails; // the emails of its valid (not revoked) user ids, lower-case
  bool revoked = false;
  bool expired = false;
};

// What gpg said about one detached signature.
struct GpgSignatureCheck {
  enum class Outcome {
    good,          // the signature matches the data (the key may still be expired/revoked)
    bad,           // the data was changed after signing, or the signature is broken
    no_public_key, // made by a key the keyring does not hold
    error,         // gpg could not check it (unsupported algorithm, malformed packet...)
  };
  Outcome outcome = Outcome::error;
  std::size_t signatures = 0; // how many signatures the data held (agate requires exactly one)
  std::string reported_id;    // the fingerprint or key id gpg reported (may be a subkey's)
  std::optional<GpgKey> key;  // the primary key it belongs to, when the keyring holds it
  std::string signing_key;    // fingerprint of the (sub)key that made the signature
  bool signing_capable = false;
  bool signing_key_revoked = false;     // that subkey or its primary key is revoked
  std::int64_t signing_key_expires = 0; // when the subkey (or its primary) expires; 0: never
  bool signing_key_expired = false;     // expired now
  bool signature_expired = false;       // the signature carries an expiry that has passed
  std::int64_t signed_at = 0;           // the signature's creation time (seconds since the epoch)
  std::string detail;                   // gpg's words for an error or a bad signature
  unsigned status_code = 0;             // gpg's error code for the signature (GPG_ERR_...)
};

// A detached signature and the bytes it signs.
struct SignedData {
  std::string_view signature;
  std::string_view payload;
};

class GpgKeyring {
public:
  // A new, empty keyring in its own temporary GnuPG home. Fails with a message saying what to
  // install when GnuPG is missing.
  static Result<std::unique_ptr<GpgKeyring>> create();
  ~GpgKeyring();
  GpgKeyring(const GpgKeyring&) = delete;
  GpgKeyring& operator=(const GpgKeyring&) = delete;

  // Imports the armored (or binary) public keys of `data`; returns the primary fingerprints
  // found in it. Fails when it holds no public key or holds a secret key; `name` is used in the
  // message.
  Result<std::vector<std::string>> import_keys(std::string_view data, std::string_view name);

  // The key whose primary fingerprint is `fingerprint`, if the keyring holds it.
  std::optional<GpgKey> find_key(std::string_view fingerprint);

  // Checks `signature` (armored, detached) over `payload`. Fails only when gpg cannot be run.
  Result<GpgSignatureCheck> verify(std::string_view signature, std::string_view payload);

  // The same for many signatures, on up to `threads` gpg processes at a time (gpg starts once
  // per signature, so a range of commits is checked in parallel); results in input order.
  Result<std::vector<GpgSignatureCheck>> verify_many(const std::vector<SignedData>& items,
                                                     unsigned threads);

  const std::filesystem::path& home() const { return m_home.path(); }

private:
  // The GPGME context on the home and the keyring's listing (gpg_keyring.cpp).
  struct Gpgme;
  GpgKeyring(PrivateTempDir home, std::unique_ptr<Gpgme> gpgme);
  // Fills in the facts of the key that made the signature, from the listing.
  void add_key_facts(GpgSignatureCheck& check);
  // The check done in process (gate/openpgp_fast) when the signature is a plain one that
  // verifies with a key gpg exports from this keyring; nullopt: ask gpg.
  std::optional<GpgSignatureCheck> fast_check(std::string_view signature, std::string_view payload);

  PrivateTempDir m_home; // declared first: destroyed after the context
  std::unique_ptr<Gpgme> m_gpgme;
  // The key material gpg exports, for the fast path; exported on first use after an import.
  std::optional<std::map<std::string, openpgp::PublicKey>> m_exported;
};

} // namespace agate::gate
