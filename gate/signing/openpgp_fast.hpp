// The fast path of OpenPGP commit-signature checks: the signature's mathematics done in process
// with OpenSSL, for the common case only, so that a range of commits does not start one gpg
// process per signature (about 15 ms each, which made 500 commits take 7.6 s).
//
// GPGME stays the authority on keys: the keyring is imported by gpg, and the key material used
// here is what gpg exports from it (so only keys gpg accepted, with their subkeys bound), while
// which key is trusted, its capabilities, expiry and revocation come from gpg's key listing
// (gate/gpg_keyring). This file only answers "does this one signature verify over these bytes
// with this key", and only says yes when everything is plain: one v4 binary-document signature
// (type 0x00) with an issuer fingerprint, by an RSA or Ed25519 (EdDSA legacy) key, with SHA-2,
// no signature expiry and no critical subpacket it does not know. For anything else, and for
// every signature that does not verify, it says "ask gpg", and gpg decides as before.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate::openpgp {

struct PublicKey {
  int algorithm = 0;            // 1: RSA, 22: EdDSA (legacy, Ed25519)
  std::vector<uint8_t> rsa_n;   // RSA modulus
  std::vector<uint8_t> rsa_e;   // RSA exponent
  std::vector<uint8_t> ed25519; // the 32-byte Ed25519 public key
};

// The supported primary keys and subkeys of binary transferable public keys (as `gpg --export`
// writes them), by v4 fingerprint (upper-case hex). Packets of other kinds or algorithms are
// skipped; malformed input yields what was read before it.
std::map<std::string, PublicKey> parse_public_keys(std::string_view binary);

struct FastCheck {
  bool verified = false;    // false: ask gpg
  std::string issuer;       // the signing (sub)key's fingerprint, upper-case hex
  std::int64_t created = 0; // the signature's creation time
};

// Verifies the armored detached signature over `payload` with `keys` when the case is plain (see
// the top of this file); otherwise, or when the mathematics fails, `verified` is false.
FastCheck verify(std::string_view armored, std::string_view payload,
                 const std::map<std::string, PublicKey>& keys);

// The key id (16 upper-case hex digits) named by the issuer subpackets of an armored v4
// signature, without checking the signature; empty when there is none or the block is not one
// clean signature.
std::string issuer_key_id(std::string_view armored);

} // namespace agate::gate::openpgp
