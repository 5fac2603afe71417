// Tests of the isolated GPGME keyring (gate/signing/gpg_keyring.hpp) with real keys made by gpg:
// the temporary home is private and goes away, only imported keys count (never the user's own
// keyring), primary fingerprints are reported for subkey signatures, and bad input is a clear
// failure.
#include "gate/signing/gpg_keyring.hpp"

#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdlib>

using agate::gate::GpgKeyring;
using agate::gate::GpgSignatureCheck;
using agate::test::GpgHome;

namespace {

struct Keys {
  GpgHome gpg;
  std::string ada = gpg.generate_key("Ada Tester <ada@example.com>");
  std::string subkeyed = gpg.generate_key("Sub Keyed <sub@example.com>", "cert");
  std::string subkey = gpg.add_subkey(subkeyed, "ed25519", "sign");

  std::string sign(const std::string& key, const std::string& payload) {
    return gpg.gpg({"--local-user", key + "!", "--armor", "--detach-sign"}, payload);
  }
};

Keys& keys() {
  static Keys instance;
  return instance;
}

// Sets an environment variable for the scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) {
      old = v;
    }
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old) {
      setenv(name.c_str(), old->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
};

} // namespace

TEST_CASE("gpg keyring: a private temporary home, offline, removed afterwards") {
  std::filesystem::path home;
  {
    auto keyring = GpgKeyring::create();
    REQUIRE_MESSAGE(keyring.ok(), (keyring.ok() ? "" : keyring.error()));
    home = (*keyring)->home();
    struct stat info {};
    REQUIRE(stat(home.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    auto conf = agate::test::read_file(home / "gpg.conf");
    CHECK(conf.find("no-autostart") != std::string::npos);
    CHECK(conf.find("no-auto-key-retrieve") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(home));
}

TEST_CASE("gpg keyring: good, bad and unknown-key signatures; the user's keyring never counts") {
  const std::string payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nmessage\n";
  const std::string signature = keys().sign(keys().ada, payload);
  // The user's own GnuPG home holds the key: it must not matter.
  ScopedEnv env("GNUPGHOME", keys().gpg.dir().string());

  auto empty = GpgKeyring::create().value_or_throw();
  auto unknown = empty->verify(signature, payload).value_or_throw();
  CHECK(unknown.outcome == GpgSignatureCheck::Outcome::no_public_key);
  CHECK_FALSE(unknown.key.has_value());

  auto keyring = GpgKeyring::create().value_or_throw();
  auto imported = keyring->import_keys(keys().gpg.export_key(keys().ada), "ada.asc");
  REQUIRE_MESSAGE(imported.ok(), (imported.ok() ? "" : imported.error()));
  CHECK(*imported == std::vector<std::string>{keys().ada});
  auto good = keyring->verify(signature, payload).value_or_throw();
  CHECK(good.outcome == GpgSignatureCheck::Outcome::good);
  CHECK(good.signatures == 1);
  REQUIRE(good.key.has_value());
  CHECK(good.key->fingerprint == keys().ada);
  CHECK(good.key->emails == std::vector<std::string>{"ada@example.com"});
  CHECK(good.signing_capable);
  CHECK(good.signed_at > 0);

  auto bad = keyring->verify(signature, payload + "x").value_or_throw();
  CHECK(bad.outcome == GpgSignatureCheck::Outcome::bad);

  auto garbage = keyring
                     ->verify("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP "
                              "SIGNATURE-----\n",
                              payload)
                     .value_or_throw();
  CHECK(garbage.outcome != GpgSignatureCheck::Outcome::good);
}

TEST_CASE("gpg keyring: a subkey signature names the primary key") {
  const std::string payload = "signed by a subkey\n";
  auto keyring = GpgKeyring::create().value_or_throw();
  keyring->import_keys(keys().gpg.export_key(keys().subkeyed), "sub.asc").value_or_throw();
  auto check = keyring->verify(keys().sign(keys().subkey, payload), payload).value_or_throw();
  CHECK(check.outcome == GpgSignatureCheck::Outcome::good);
  REQUIRE(check.key.has_value());
  CHECK(check.key->fingerprint == keys().subkeyed);
  CHECK(check.signing_key == keys().subkey);
  CHECK(check.signing_capable);
}

TEST_CASE("gpg keyring: many signatures checked in parallel give the answers one by one would") {
  auto keyring = GpgKeyring::create().value_or_throw();
  keyring->import_keys(keys().gpg.export_key(keys().ada), "ada.asc").value_or_throw();
  keyring->import_keys(keys().gpg.export_key(keys().subkeyed), "sub.asc").value_or_throw();
  std::vector<std::string> payloads;
  std::vector<std::string> signatures;
  for (int i = 0; i < 12; ++i) {
    payloads.push_back("commit " + std::to_string(i) + "\n");
    signatures.push_back(keys().sign(i % 3 == 2 ? keys().subkey : keys().ada, payloads.back()));
  }
  payloads[4] += "changed after signing";
  std::vector<agate::gate::SignedData> items;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    items.push_back({signatures[i], payloads[i]});
  }
  auto many = keyring->verify_many(items, 4).value_or_throw();
  REQUIRE(many.size() == items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    CAPTURE(i);
    auto one = keyring->verify(signatures[i], payloads[i]).value_or_throw();
    CHECK(many[i].outcome == one.outcome);
    CHECK(many[i].outcome ==
          (i == 4 ? GpgSignatureCheck::Outcome::bad : GpgSignatureCheck::Outcome::good));
    CHECK(many[i].signing_key == one.signing_key);
    CHECK(many[i].signed_at == one.signed_at);
    if (i != 4) {
      REQUIRE(many[i].key.has_value());
      CHECK(many[i].key->fingerprint == (i % 3 == 2 ? keys().subkeyed : keys().ada));
    }
  }
  CHECK(keyring->verify_many({}, 4).value_or_throw().empty());
}

TEST_CASE("gpg keyring: what is not a public key is refused with the file's name") {
  auto keyring = GpgKeyring::create().value_or_throw();
  auto text = keyring->import_keys("hello\n", ".agate/keys/notes.asc");
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().find(".agate/keys/notes.asc") != std::string::npos);
  CHECK(text.error().find("not an OpenPGP public key") != std::string::npos);
  auto empty = keyring->import_keys("", "empty.asc");
  CHECK_FALSE(empty.ok());
  auto secret = keyring->import_keys(
      keys().gpg.gpg({"--armor", "--export-secret-keys", keys().ada}), "ada-secret.asc");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.error().find("SECRET") != std::string::npos);
}
