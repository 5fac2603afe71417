// End-to-end tests of the signature rules (signature/*) through `agate check`: real keys made
// with gpg and ssh-keygen, real commits signed by git, and the real binary reading them. Every
// rule has a case here; so do the ways a signature can try to cheat (a signature block pasted
// into the message, two blocks in one header, a pull request that trusts its own key, a key
// only in the user's own keyring) and bad input (malformed armor, a truncated signature, a key
// file that is not a key, gpg missing).
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <memory>

namespace {

using agate::test::GitRepo;
using agate::test::GpgHome;
using agate::test::RunResult;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::findings_of;
using agate::test::e2e::parse_report;
using nlohmann::json;

// The keys of this file, made once per process on first use: key generation is the slow part.
struct Keys {
  GpgHome gpg;
  std::string ada_key;
  std::string bob_key;
  std::string mallory_key;

  const std::string& ada() { // trusted; the committer's own address
    if (ada_key.empty()) {
      ada_key = gpg.generate_key("Ada Tester <ada@example.com>");
    }
    return ada_key;
  }
  const std::string& bob() { // trusted; another address
    if (bob_key.empty()) {
      bob_key = gpg.generate_key("Bob Builder <bob@example.com>");
    }
    return bob_key;
  }
  const std::string& mallory() { // never trusted by the repositories below
    if (mallory_key.empty()) {
      mallory_key = gpg.generate_key("Mallory <ada@example.com>");
    }
    return mallory_key;
  }
};

Keys& keys() {
  static Keys instance;
  return instance;
}

// A repository whose first commit holds `policy` and the public keys `trusted` (file name ->
// fingerprint) under .agate/keys; returns the base commit id.
std::string make_base(GitRepo& repo, const std::string& policy,
                      const std::vector<std::pair<std::string, std::string>>& trusted) {
  repo.write(".agate/config.json", policy);
  for (const auto& [name, fpr] : trusted) {
    repo.write(".agate/keys/" + name, keys().gpg.export_key(fpr));
  }
  repo.write("README.md", "# project\n");
  return repo.commit_all("base");
}

json check(GitRepo& repo, const std::vector<std::string>& selection,
           agate::test::RunOptions options = {}) {
  std::vector<std::string> args{"check", "--format", "json"};
  args.insert(args.end(), selection.begin(), selection.end());
  auto result = agate_in(repo, args, options);
  INFO("stderr: " << result.err);
  REQUIRE((result.exit_code == 0 || result.exit_code == 1));
  return parse_report(result);
}

std::vector<json> signature_findings(const json& report) {
  std::vector<json> out;
  for (const auto& finding : report.at("findings")) {
    if (finding.at("rule").get<std::string>().starts_with("signature/")) {
      out.push_back(finding);
    }
  }
  return out;
}

std::string rules_of(const std::vector<json>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.at("rule").get<std::string>() + "(" + f.at("severity").get<std::string>() + ") ";
  }
  return out;
}

const std::string k_require_all = R"({"signatures": {"require": "all"}})";
const std::string k_require_none = R"({"signatures": {"require": "none"}})";

// The signature block of HEAD, read back from git.
std::string head_signature(GitRepo& repo) {
  std::string raw = repo.git({"cat-file", "commit", "HEAD"});
  auto begin = raw.find("-----BEGIN");
  auto end = raw.find("-----END", begin);
  end = raw.find("-----", end + 8);
  std::string block;
  std::string header_part = raw.substr(begin, end + 5 - begin);
  // Continuation lines start with a space.
  for (std::size_t i = 0; i < header_part.size(); ++i) {
    if (header_part[i] == '\n' && i + 1 < header_part.size() && header_part[i + 1] == ' ') {
      block += '\n';
      ++i;
    } else {
      block += header_part[i];
    }
  }
  return block + "\n";
}

} // namespace

TEST_CASE("signature e2e: a good signature passes, an unsigned commit is missing when required") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto base = make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  repo.write("a.txt", "one\n");
  repo.add_all();
  auto good = agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Signed change");
  repo.write("a.txt", "two\n");
  auto unsigned_id = repo.commit_all("Unsigned change");

  auto report = check(repo, {"--range", base + "..HEAD"});
  auto found = signature_findings(report);
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/missing");
  CHECK(found[0].at("severity") == "error");
  CHECK(found[0].at("evidence").at("commit") == unsigned_id);
  CHECK(found[0].at("message").get<std::string>().find("signatures.require is \"all\"") !=
        std::string::npos);
  CHECK(report.at("summary").dump().find("error") != std::string::npos);

  // The good commit alone passes (exit 0).
  auto alone = agate_in(repo, {"check", "--commit", good, "--format", "json"});
  CHECK(alone.exit_code == 0);
  CHECK(signature_findings(parse_report(alone)).empty());

  // Without a requirement, an unsigned commit is fine.
  TempDir tmp2;
  GitRepo relaxed(tmp2 / "repo");
  make_base(relaxed, k_require_none, {{"ada.asc", keys().ada()}});
  relaxed.write("a.txt", "one\n");
  relaxed.commit_all("Unsigned change");
  CHECK(signature_findings(check(relaxed, {"--commit", "HEAD"})).empty());
}

TEST_CASE("signature e2e: require ai-assisted asks only AI-assisted commits for a signature") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto base = make_base(repo, R"({"signatures": {"require": "ai-assisted"}})", {});
  repo.write("a.txt", "human\n");
  repo.commit_all("Human change");
  repo.write("a.txt", "agent\n");
  auto agent = repo.commit_all("Agent change\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
  auto found = signature_findings(check(repo, {"--range", base + "..HEAD"}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/missing");
  CHECK(found[0].at("evidence").at("commit") == agent);
  CHECK(found[0].at("evidence").at("requirement").get<std::string>().find("Co-authored-by") !=
        std::string::npos);
}

TEST_CASE("signature e2e: a commit changed after signing is bad whatever the policy requires") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_none, {{"ada.asc", keys().ada()}});
  repo.write("a.txt", "pay 10 EUR\n");
  repo.add_all();
  agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Pay ten euros");
  CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());

  // Same signature header, different message: the object is rewritten by hand.
  auto tampered = agate::test::rewrite_head(repo, [](std::string raw) {
    auto at = raw.find("Pay ten euros");
    REQUIRE(at != std::string::npos);
    return raw.replace(at, 13, "Pay a million");
  });
  REQUIRE(repo.git({"cat-file", "commit", tampered}).find("gpgsig") != std::string::npos);
  auto found = signature_findings(check(repo, {"--commit", tampered}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/bad");
  CHECK(found[0].at("severity") == "error");
}

TEST_CASE("signature e2e: a key in the user's own keyring but not in .agate/keys is untrusted") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto base = make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  // Mallory's key (and secret key) live in the user's GnuPG home, which agate is pointed at.
  agate::test::commit_signed(repo, keys().gpg, keys().mallory(), "Signed by mallory");
  agate::test::RunOptions options;
  options.env["GNUPGHOME"] = keys().gpg.dir().string();
  auto found = signature_findings(check(repo, {"--range", base + "..HEAD"}, options));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/untrusted-key");
  CHECK(found[0].at("severity") == "error");
  CHECK(found[0].at("message").get<std::string>().find(keys().mallory().substr(24)) !=
        std::string::npos);

  // Not required: still reported, as a warning.
  TempDir tmp2;
  GitRepo relaxed(tmp2 / "repo");
  make_base(relaxed, k_require_none, {{"ada.asc", keys().ada()}});
  agate::test::commit_signed(relaxed, keys().gpg, keys().mallory(), "Signed by mallory");
  auto warned = signature_findings(check(relaxed, {"--commit", "HEAD"}, options));
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].at("rule") == "signature/untrusted-key");
  CHECK(warned[0].at("severity") == "warning");
}

TEST_CASE("signature e2e: an expired key is accepted for signatures made before it expired, "
          "unless the policy rejects it") {
  const std::int64_t created = 1600000000; // September 2020; the key expires a year later
  GpgHome& gpg = keys().gpg;
  auto expiring = gpg.generate_key("Ada Expiring <ada@example.com>", "sign", "1y", created);
  for (const std::string expired_key : {"accept-if-signed-before-expiry", "reject"}) {
    CAPTURE(expired_key);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    make_base(repo, R"({"signatures": {"require": "all", "expired_key": ")" + expired_key + "\"}}",
              {{"ada.asc", expiring}});
    agate::test::commit_signed(repo, gpg, expiring, "Signed in 2020", created + 10 * 86400);
    auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
    INFO(rules_of(found));
    if (expired_key == "reject") {
      REQUIRE(found.size() == 1);
      CHECK(found[0].at("rule") == "signature/expired-key");
      CHECK(found[0].at("evidence").at("key_expired_at").get<std::string>().starts_with("2021-"));
    } else {
      CHECK(found.empty());
    }
  }
}

TEST_CASE("signature e2e: a revoked key is rejected (an error, or a warning by policy)") {
  GpgHome& gpg = keys().gpg;
  auto key = gpg.generate_key("Ada Revoked <ada@example.com>");
  const std::string revoked = gpg.export_revoked(key);
  for (const std::string setting : {"reject", "warn"}) {
    CAPTURE(setting);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    repo.write(".agate/config.json",
               R"({"signatures": {"require": "all", "revoked_key": ")" + setting + "\"}}");
    repo.write(".agate/keys/ada.asc", revoked);
    repo.commit_all("base");
    agate::test::commit_signed(repo, gpg, key, "Signed by a key revoked since");
    auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
    INFO(rules_of(found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("rule") == "signature/revoked-key");
    CHECK(found[0].at("severity") == (setting == "reject" ? "error" : "warning"));
  }
}

TEST_CASE("signature e2e: a signing subkey counts for its primary key; a subkey that may not "
          "sign does not") {
  GpgHome& gpg = keys().gpg;
  auto primary = gpg.generate_key("Ada Subkeys <ada@example.com>", "cert");
  gpg.add_subkey(primary, "rsa2048", "sign");
  {
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    make_base(repo, k_require_all, {{"ada.asc", primary}});
    agate::test::commit_signed(repo, gpg, primary, "Signed by the subkey");
    auto report = check(repo, {"--commit", "HEAD"});
    CHECK(signature_findings(report).empty());
  }
  // The same key as the repository knows it: the subkey's usage changed to encryption only.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", k_require_all);
  repo.write(".agate/keys/ada.asc", gpg.export_with_subkey_usage(primary, 1, "SE"));
  repo.commit_all("base");
  agate::test::commit_signed(repo, gpg, primary, "Signed by a subkey that may only encrypt");
  auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/untrusted-key");
  CHECK(found[0].at("message").get<std::string>().find("not allowed to sign") != std::string::npos);
}

TEST_CASE("signature e2e: the committer must be an address the key may sign for") {
  const std::vector<std::pair<std::string, std::string>> trusted = {{"bob.asc", keys().bob()}};
  {
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    make_base(repo, k_require_all, trusted);
    // The committer is ada@example.com; the key is Bob's.
    agate::test::commit_signed(repo, keys().gpg, keys().bob(), "Ada's commit signed by Bob");
    auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
    INFO(rules_of(found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("rule") == "signature/identity-mismatch");
    CHECK(found[0].at("evidence").at("committer") == "ada@example.com");
  }
  for (const std::string& policy : std::vector<std::string>{
           R"({"signatures": {"require": "all", "require_committer_match": false}})",
           R"({"signatures": {"require": "all", "signers": {")" + keys().bob() +
               R"(": ["ada@example.com"]}}})"}) {
    CAPTURE(policy);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    make_base(repo, policy, trusted);
    agate::test::commit_signed(repo, keys().gpg, keys().bob(), "Ada's commit signed by Bob");
    CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());
  }
}

TEST_CASE("signature e2e: a signature block pasted into the message of an unsigned commit does "
          "not count") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  agate::test::commit_signed(repo, keys().gpg, keys().ada(), "A real signed commit");
  const std::string block = head_signature(repo);
  repo.write("a.txt", "x\n");
  auto pasted = repo.commit_all("Looks signed\n\n" + agate::test::gpgsig_header("gpgsig", block));
  REQUIRE(repo.git({"cat-file", "commit", pasted}).find("\ngpgsig -----BEGIN") !=
          std::string::npos);
  auto found = signature_findings(check(repo, {"--commit", pasted}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/missing");
}

TEST_CASE("signature e2e: a signature header with two armored blocks, only one good, is bad") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  agate::test::commit_signed(repo, keys().gpg, keys().mallory(), "Another commit");
  const std::string other = head_signature(repo);
  repo.git({"reset", "-q", "--hard", "HEAD^"});
  agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Signed commit");
  CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());
  const std::string good = head_signature(repo);
  for (const std::string& blocks : {good + other, other + good}) {
    auto doubled = agate::test::rewrite_head(repo, [&](std::string raw) {
      auto start = raw.find("gpgsig ");
      auto end = raw.find("-----END PGP SIGNATURE-----", start);
      end = raw.find('\n', end) + 1;
      return raw.replace(start, end - start, agate::test::gpgsig_header("gpgsig", blocks));
    });
    auto found = signature_findings(check(repo, {"--commit", doubled}));
    INFO(rules_of(found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("rule") == "signature/bad");
    CHECK(found[0].at("evidence").at("blocks") == 2);
    repo.git({"reset", "-q", "--hard", "HEAD@{1}"});
  }
}

TEST_CASE("signature e2e: SSH signatures verify against the allowed signers of the base") {
  TempDir tmp;
  auto ada_key = agate::test::make_ssh_key(tmp / "ssh", "ada", "ada@example.com");
  auto eve_key = agate::test::make_ssh_key(tmp / "ssh", "eve", "eve@example.com");
  auto ada_pub = agate::test::read_file(ada_key.string() + ".pub");
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", k_require_all);
  repo.write(".agate/allowed_signers", "ada@example.com " + ada_pub);
  auto base = repo.commit_all("base");

  agate::test::commit_ssh_signed(repo, ada_key, "Signed by ada over SSH");
  CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());

  auto tampered = agate::test::rewrite_head(repo, [](std::string raw) {
    return raw.replace(raw.find("Signed by ada"), 13, "Signed by eve");
  });
  auto bad = signature_findings(check(repo, {"--commit", tampered}));
  INFO(rules_of(bad));
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].at("rule") == "signature/bad");

  repo.git({"reset", "-q", "--hard", base});
  agate::test::commit_ssh_signed(repo, eve_key, "Signed by eve over SSH");
  auto untrusted = signature_findings(check(repo, {"--commit", "HEAD"}));
  INFO(rules_of(untrusted));
  REQUIRE(untrusted.size() == 1);
  CHECK(untrusted[0].at("rule") == "signature/untrusted-key");
  CHECK(untrusted[0].at("evidence").at("fingerprint").get<std::string>().starts_with("SHA256:"));

  // Ada's key allowed only for another address: identity mismatch.
  TempDir tmp2;
  GitRepo other(tmp2 / "repo");
  other.write(".agate/config.json", k_require_all);
  other.write(".agate/allowed_signers", "ada@elsewhere.org " + ada_pub);
  other.commit_all("base");
  agate::test::commit_ssh_signed(other, ada_key, "Signed by ada over SSH");
  auto mismatch = signature_findings(check(other, {"--commit", "HEAD"}));
  INFO(rules_of(mismatch));
  REQUIRE(mismatch.size() == 1);
  CHECK(mismatch[0].at("rule") == "signature/identity-mismatch");
}

TEST_CASE("signature e2e: merge commits, and the web-flow key only for merges when accepted") {
  GpgHome& gpg = keys().gpg;
  auto web_flow = gpg.generate_key("GitHub <noreply@github.com>");
  auto make = [&](GitRepo& repo, bool accept) {
    make_base(repo,
              R"({"signatures": {"require": "all", "web_flow_key": ")" + web_flow +
                  R"(", "accept_web_flow_merges": )" + (accept ? "true" : "false") + "}}",
              {{"ada.asc", keys().ada()}, {"web-flow.asc", web_flow}});
    repo.git({"checkout", "-q", "-b", "feature"});
    repo.write("feature.txt", "f\n");
    repo.add_all();
    agate::test::commit_signed(repo, gpg, keys().ada(), "Feature");
    repo.git({"checkout", "-q", "main"});
    repo.write("main.txt", "m\n");
    repo.add_all();
    agate::test::commit_signed(repo, gpg, keys().ada(), "Main moves on");
  };
  {
    // A merge signed by a trusted key is good like any commit.
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    make(repo, false);
    agate::test::commit_signed(repo, gpg, keys().ada(), "", std::nullopt,
                               {"merge", "-q", "--no-ff", "-S", "-m", "Merge", "feature"});
    REQUIRE(repo.git({"rev-list", "--parents", "-n", "1", "HEAD"}).size() > 2 * 41);
    CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());
    // The web-flow key is not accepted while accept_web_flow_merges is false.
    repo.git({"reset", "-q", "--hard", "HEAD^"});
    agate::test::commit_signed(
        repo, gpg, web_flow, "", std::nullopt,
        {"merge", "-q", "--no-ff", "-S", "-m", "Merge pull request #1", "feature"});
    auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
    INFO(rules_of(found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("rule") == "signature/untrusted-key");
  }
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make(repo, true);
  agate::test::commit_signed(
      repo, gpg, web_flow, "", std::nullopt,
      {"merge", "-q", "--no-ff", "-S", "-m", "Merge pull request #1", "feature"});
  CHECK(signature_findings(check(repo, {"--commit", "HEAD"})).empty());
  // Not for an ordinary commit, even with the option on.
  agate::test::commit_signed(repo, gpg, web_flow, "Edited in the web interface");
  auto found = signature_findings(check(repo, {"--commit", "HEAD"}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/untrusted-key");
}

TEST_CASE("signature e2e: a pull request cannot trust its own new key") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto base = make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  repo.write(".agate/keys/mallory.asc", keys().gpg.export_key(keys().mallory()));
  repo.add_all();
  auto adds_key = agate::test::commit_signed(repo, keys().gpg, keys().mallory(), "Trust me");
  repo.write("a.txt", "payload\n");
  repo.add_all();
  auto uses_key = agate::test::commit_signed(repo, keys().gpg, keys().mallory(), "Use it");

  auto result = agate_in(repo, {"check", "--format", "json", "--range", base + "..HEAD"});
  CHECK(result.exit_code == 1);
  auto found = signature_findings(parse_report(result));
  INFO(rules_of(found));
  REQUIRE(found.size() == 2);
  for (const auto& f : found) {
    CHECK(f.at("rule") == "signature/untrusted-key");
  }
  // Once the key is on the base (merged and reviewed), it counts: proof that the base decides.
  auto later = agate_in(repo, {"check", "--format", "json", "--commit", uses_key});
  CHECK(signature_findings(parse_report(later)).empty());
  (void)adds_key;
}

TEST_CASE("signature e2e: an X.509 signature is unsupported, named") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_all, {});
  repo.commit("Signed with gitsign");
  auto x509 = agate::test::rewrite_head(repo, [](std::string raw) {
    auto at = raw.find("\n\n");
    return raw.insert(at + 1,
                      agate::test::gpgsig_header(
                          "gpgsig", "-----BEGIN SIGNED MESSAGE-----\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n"
                                    "-----END SIGNED MESSAGE-----\n"));
  });
  auto found = signature_findings(check(repo, {"--commit", x509}));
  INFO(rules_of(found));
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("rule") == "signature/unsupported");
  CHECK(found[0].at("message").get<std::string>().find("X.509") != std::string::npos);
}

TEST_CASE("signature e2e: malformed and truncated signatures are bad, not crashes") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_none, {{"ada.asc", keys().ada()}});
  agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Signed");
  const std::string good = head_signature(repo);
  const std::vector<std::string> broken = {
      "-----BEGIN PGP SIGNATURE-----\n\n!!! not base64 at all !!!\n-----END PGP SIGNATURE-----\n",
      good.substr(0, good.size() / 2) + "\n", // truncated: no END line
      "-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n",
  };
  for (const auto& block : broken) {
    CAPTURE(block);
    auto id = agate::test::rewrite_head(repo, [&](std::string raw) {
      auto start = raw.find("gpgsig ");
      auto end = raw.find("-----END PGP SIGNATURE-----", start);
      end = raw.find('\n', end) + 1;
      return raw.replace(start, end - start, agate::test::gpgsig_header("gpgsig", block));
    });
    auto found = signature_findings(check(repo, {"--commit", id}));
    INFO(rules_of(found));
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("rule") == "signature/bad");
    CHECK(found[0].at("severity") == "error");
    repo.git({"reset", "-q", "--hard", "HEAD@{1}"});
  }
}

TEST_CASE("signature e2e: a key file that is not a key, or a secret key, stops the gate (exit 2)") {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"notes.asc", "this is not a key\n"},
      {"ada.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZZZZ\n-----END PGP PUBLIC KEY "
                  "BLOCK-----\n"},
      {"secret.asc", keys().gpg.gpg({"--armor", "--export-secret-keys", keys().ada()})},
  };
  for (const auto& [name, content] : files) {
    CAPTURE(name);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    repo.write(".agate/config.json", k_require_all);
    repo.write(".agate/keys/" + name, content);
    repo.commit_all("base");
    agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Signed");
    auto result = agate_in(repo, {"check", "--commit", "HEAD"});
    agate::test::e2e::check_one_line_error(result);
    CHECK(result.err.find(".agate/keys/" + name) != std::string::npos);
  }
}

TEST_CASE("signature e2e: without gpg the gate cannot decide (exit 2), without signatures it "
          "does not need gpg") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_base(repo, k_require_all, {{"ada.asc", keys().ada()}});
  agate::test::commit_signed(repo, keys().gpg, keys().ada(), "Signed");
  agate::test::RunOptions no_gpg;
  no_gpg.env["PATH"] = (tmp / "empty-bin").string();
  std::filesystem::create_directories(tmp / "empty-bin");
  auto result = agate_in(repo, {"check", "--commit", "HEAD"}, no_gpg);
  agate::test::e2e::check_one_line_error(result);
  CHECK(result.err.find("gpg") != std::string::npos);

  // An unsigned commit under require "none" is decided without gpg.
  TempDir tmp2;
  GitRepo relaxed(tmp2 / "repo");
  make_base(relaxed, k_require_none, {{"ada.asc", keys().ada()}});
  relaxed.commit("Unsigned");
  auto fine = agate_in(relaxed, {"check", "--commit", "HEAD"}, no_gpg);
  CHECK(fine.exit_code == 0);
}
