// Tests of the in-process fast path of OpenPGP signature checks (gate/signing/openpgp_fast.hpp)
// against gpg itself, with real keys: Ed25519 and RSA signatures made by gpg verify, and their keys
// are found by fingerprint (subkeys too); a changed payload, another key's signature, a signature
// block with junk, SHA-1, and a signature with an expiry are never "verified" (gpg decides them).
#include "gate/signing/openpgp_fast.hpp"

#include "gate/signing/gpg_keyring.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

namespace {

using agate::test::GpgHome;
namespace openpgp = agate::gate::openpgp;

struct Keys {
  GpgHome gpg;
  std::string ed = gpg.generate_key("Ed Wards <ed@example.com>");
  std::string rsa =
      gpg.generate_key("Rosa Sa <rosa@example.com>", "sign", "never", std::nullopt, "rsa2048");
  std::string other = gpg.generate_key("Other One <other@example.com>");
  std::string primary = gpg.generate_key("Sub Keyed <sub@example.com>", "cert");
  std::string subkey = gpg.add_subkey(primary, "ed25519", "sign");

  std::string sign(const std::string& key, const std::string& payload,
                   const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--local-user", key + "!", "--armor", "--detach-sign"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gpg.gpg(args, payload);
  }
  std::string exported(const std::vector<std::string>& fingerprints) {
    std::vector<std::string> args{"--export"};
    args.insert(args.end(), fingerprints.begin(), fingerprints.end());
    return gpg.gpg(args);
  }
};

Keys& keys() {
  static Keys instance;
  return instance;
}

} // namespace

TEST_CASE("openpgp fast path: keys gpg exports are found by fingerprint, subkeys too") {
  auto parsed =
      openpgp::parse_public_keys(keys().exported({keys().ed, keys().rsa, keys().primary}));
  CHECK(parsed.count(keys().ed) == 1);
  CHECK(parsed.at(keys().ed).algorithm == 22);
  CHECK(parsed.count(keys().rsa) == 1);
  CHECK(parsed.at(keys().rsa).algorithm == 1);
  CHECK(parsed.count(keys().subkey) == 1);
  CHECK(parsed.count(keys().other) == 0);
  CHECK(openpgp::parse_public_keys("not a key").empty());
  CHECK(openpgp::parse_public_keys("").empty());
}

TEST_CASE("openpgp fast path: good Ed25519 and RSA signatures verify; anything else is gpg's") {
  auto parsed =
      openpgp::parse_public_keys(keys().exported({keys().ed, keys().rsa, keys().primary}));
  const std::string payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
                              "author Ed <ed@example.com> 1700000000 +0000\n\nA commit\n";
  for (const auto& [signer, issuer] : std::vector<std::pair<std::string, std::string>>{
           {keys().ed, keys().ed}, {keys().rsa, keys().rsa}, {keys().subkey, keys().subkey}}) {
    CAPTURE(signer);
    auto signature = keys().sign(signer, payload);
    auto good = openpgp::verify(signature, payload, parsed);
    CHECK(good.verified);
    CHECK(good.issuer == issuer);
    CHECK(good.created > 1700000000);
    // One byte changed after signing.
    CHECK_FALSE(openpgp::verify(signature, payload + " ", parsed).verified);
    std::string changed = payload;
    changed[5] = 'X';
    CHECK_FALSE(openpgp::verify(signature, changed, parsed).verified);
    // Without the key.
    CHECK_FALSE(openpgp::verify(signature, payload, {}).verified);
    // A corrupted signature body.
    std::string corrupt = signature;
    corrupt[corrupt.find("\n\n") + 10] ^= 0x01;
    CHECK_FALSE(openpgp::verify(corrupt, payload, parsed).verified);
    // An armor checksum that does not match the data: gpg refuses the block, and so does the
    // fast path (even where the changed bytes, such as the unhashed issuer, are not signed).
    auto crc_line = signature.find("\n=");
    REQUIRE(crc_line != std::string::npos);
    std::string bad_checksum = signature;
    bad_checksum[crc_line + 2] = bad_checksum[crc_line + 2] == 'A' ? 'B' : 'A';
    CHECK_FALSE(openpgp::verify(bad_checksum, payload, parsed).verified);
  }
  // Signed by a key the map does not hold.
  CHECK_FALSE(openpgp::verify(keys().sign(keys().other, payload), payload, parsed).verified);
  // SHA-1 and a signature that expires: left to gpg.
  CHECK_FALSE(
      openpgp::verify(keys().sign(keys().rsa, payload, {"--digest-algo", "SHA1"}), payload, parsed)
          .verified);
  CHECK_FALSE(openpgp::verify(keys().sign(keys().ed, payload, {"--default-sig-expire", "1y"}),
                              payload, parsed)
                  .verified);
  // Not a signature at all.
  CHECK_FALSE(openpgp::verify("hello", payload, parsed).verified);
  CHECK_FALSE(openpgp::verify("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP "
                              "SIGNATURE-----\n",
                              payload, parsed)
                  .verified);
}

TEST_CASE("openpgp fast path: the keyring answers the same with it as gpg alone") {
  auto keyring = agate::gate::GpgKeyring::create().value_or_throw();
  keyring->import_keys(keys().gpg.export_key(keys().ed), "ed.asc").value_or_throw();
  keyring->import_keys(keys().gpg.export_key(keys().rsa), "rsa.asc").value_or_throw();
  const std::string payload = "a commit\n";
  for (const auto& key : {keys().ed, keys().rsa}) {
    CAPTURE(key);
    auto check = keyring->verify(keys().sign(key, payload), payload).value_or_throw();
    CHECK(check.outcome == agate::gate::GpgSignatureCheck::Outcome::good);
    REQUIRE(check.key.has_value());
    CHECK(check.key->fingerprint == key);
    CHECK(check.signing_capable);
    auto bad = keyring->verify(keys().sign(key, payload), payload + "x").value_or_throw();
    CHECK(bad.outcome == agate::gate::GpgSignatureCheck::Outcome::bad);
  }
}

TEST_CASE("openpgp fast path: only a clean armor block verifies; anything odd is left to gpg") {
  auto parsed = openpgp::parse_public_keys(keys().exported({keys().ed}));
  const std::string payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
                              "author Ed <ed@example.com> 1700000000 +0000\n\nA commit\n";
  const std::string signature = keys().sign(keys().ed, payload);
  REQUIRE(openpgp::verify(signature, payload, parsed).verified);
  const auto begin_end = signature.find('\n');
  const auto blank = signature.find("\n\n");
  REQUIRE(begin_end != std::string::npos);
  REQUIRE(blank != std::string::npos);
  const std::string begin_line = signature.substr(0, begin_end + 1);
  const std::string body = signature.substr(blank + 2);

  // Clean variants gpg reads too: a known header, CRLF line ends, blank lines around the block.
  CHECK(
      openpgp::verify(begin_line + "Comment: made by a test\n\n" + body, payload, parsed).verified);
  std::string crlf;
  for (char c : signature) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  CHECK(openpgp::verify(crlf, payload, parsed).verified);
  CHECK(openpgp::verify("\n" + signature + "\n", payload, parsed).verified);

  // What gpg refuses (found by the fuzzer: base64 on the BEGIN line, read as a header block
  // whose blank line the fast path took for the start of the data), and other odd shapes.
  const std::vector<std::string> odd{
      "-----BEGIN PGP SIGNATURE-----gUCaxRW7REcZnV6ekBleGFt\ncGxlLmNvbQAK\n\n" + body,
      begin_line + "not a header\n\n" + body,
      begin_line + "X-Unknown: value\n\n" + body,
      "text before\n" + signature,
      signature + "text after\n",
      signature + signature,
      begin_line + body, // no blank line before the data
  };
  for (const auto& text : odd) {
    CAPTURE(text);
    CHECK_FALSE(openpgp::verify(text, payload, parsed).verified);
  }
  // Data after the checksum line, and padding inside the data.
  auto crc_line = body.find("\n=");
  REQUIRE(crc_line != std::string::npos);
  std::string after_crc = body;
  after_crc.insert(body.find('\n', crc_line + 1) + 1, "AAAA\n");
  CHECK_FALSE(openpgp::verify(begin_line + "\n" + after_crc, payload, parsed).verified);
  std::string inner_padding = body;
  inner_padding.insert(0, "AA==\n");
  CHECK_FALSE(openpgp::verify(begin_line + "\n" + inner_padding, payload, parsed).verified);
}
