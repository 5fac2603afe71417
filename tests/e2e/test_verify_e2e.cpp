// End-to-end tests of `agate verify [RANGE]`: one line per commit decided by the repository's
// signature policy and keys at the base, the exit codes (0 pass, 1 a commit fails, 2 agate
// cannot decide), the default range, and agreement with `agate check`.
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::GpgHome;
using agate::test::TempDir;
using agate::test::e2e::agate_in;

struct Keys {
  GpgHome gpg;
  std::string ada;
  std::string subkeyed; // primary (certify only) with a signing subkey
  std::string eve;      // a key no repository trusts
  Keys() {
    ada = gpg.generate_key("Ada Tester <ada@example.com>");
    eve = gpg.generate_key("Eve Outsider <eve@example.com>");
    subkeyed = gpg.generate_key("Ada Subkeys <ada@example.com>", "cert");
    gpg.add_subkey(subkeyed, "ed25519", "sign");
  }
};

Keys& keys() {
  static Keys instance;
  return instance;
}

// The output line of `agate verify` for commit `id`.
std::string line_of(const std::string& out, const std::string& id) {
  auto at = out.find(id.substr(0, 7) + "  ");
  REQUIRE(at != std::string::npos);
  return out.substr(at, out.find('\n', at) - at);
}

// The signature status `agate verify REV` prints for a commit (its third column), "unsigned" for
// a commit it reports as missing a signature.
std::string verify_status(GitRepo& repo, const std::string& id) {
  auto result = agate_in(repo, {"verify", id});
  INFO(result.out << result.err);
  std::istringstream line(line_of(result.out, id));
  std::string short_id, outcome, status;
  line >> short_id >> outcome >> status;
  return status == "missing" ? "unsigned" : status;
}

// The signature status `agate check --commit REV` reports: the evidence of its signature finding,
// "good" when there is none.
std::string check_status(GitRepo& repo, const std::string& id) {
  auto result = agate_in(repo, {"check", "--commit", id, "--format", "json"});
  INFO(result.out << result.err);
  auto report = agate::test::e2e::parse_report(result);
  for (const auto& finding : report.at("findings")) {
    if (finding.at("rule").get<std::string>().rfind("signature/", 0) == 0) {
      return finding.at("evidence").at("status").get<std::string>();
    }
  }
  return "good";
}

} // namespace

TEST_CASE("verify e2e: `agate check --commit X` and `agate verify X` see the same signature of "
          "good, bad, unsigned and untrusted commits") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/ada.asc", keys().gpg.export_key(keys().ada));
  repo.commit_all("base");
  auto good = agate::test::commit_signed(repo, keys().gpg, keys().ada, "Good");
  repo.write("a.txt", "x\n");
  auto unsigned_id = repo.commit_all("Unsigned");
  auto untrusted = agate::test::commit_signed(repo, keys().gpg, keys().eve, "By an outsider");
  agate::test::commit_signed(repo, keys().gpg, keys().ada, "Pay ten euros");
  auto bad = agate::test::rewrite_head(repo, [](std::string raw) {
    return raw.replace(raw.find("Pay ten euros"), 13, "Pay a million");
  });
  const std::vector<std::pair<std::string, std::string>> expected = {
      {good, "good"}, {bad, "bad"}, {unsigned_id, "unsigned"}, {untrusted, "untrusted-key"}};
  for (const auto& [id, status] : expected) {
    CAPTURE(status);
    CHECK(verify_status(repo, id) == status);
    CHECK(check_status(repo, id) == status);
  }
}

TEST_CASE("verify e2e: one line per commit with status, fingerprint and signer; exit 1 on a "
          "failing commit") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/ada.asc", keys().gpg.export_key(keys().ada));
  repo.write(".agate/keys/ada-subkeys.asc", keys().gpg.export_key(keys().subkeyed));
  auto base = repo.commit_all("base");
  auto good = agate::test::commit_signed(repo, keys().gpg, keys().ada, "Good");
  auto by_subkey = agate::test::commit_signed(repo, keys().gpg, keys().subkeyed, "By subkey");
  auto result = agate_in(repo, {"verify", base + "..HEAD"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  auto good_line = line_of(result.out, good);
  CHECK(good_line.find("  ok  ") != std::string::npos);
  CHECK(good_line.find("good") != std::string::npos);
  CHECK(good_line.find(keys().ada) != std::string::npos);
  CHECK(good_line.find("Ada Tester <ada@example.com>") != std::string::npos);
  // A subkey signed: the line names the PRIMARY fingerprint.
  CHECK(line_of(result.out, by_subkey).find(keys().subkeyed) != std::string::npos);
  CHECK(result.out.find("verified 2 commits") != std::string::npos);

  // An unsigned commit fails the policy.
  repo.write("a.txt", "x\n");
  auto unsigned_id = repo.commit_all("Unsigned");
  auto failing = agate_in(repo, {"verify", base + "..HEAD"});
  INFO(failing.out << failing.err);
  CHECK(failing.exit_code == 1);
  auto line = line_of(failing.out, unsigned_id);
  CHECK(line.find("error") != std::string::npos);
  CHECK(line.find("missing") != std::string::npos);
  CHECK(failing.out.find("FAILED") != std::string::npos);

  // `agate check` reports the same commit.
  auto checked = agate_in(repo, {"check", "--range", base + "..HEAD", "--format", "json"});
  auto report = agate::test::e2e::parse_report(checked);
  auto missing = agate::test::e2e::findings_of(report, "signature/missing");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].at("evidence").at("commit") == unsigned_id);

  // A single revision.
  auto one = agate_in(repo, {"verify", good});
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("verified 1 commit of") != std::string::npos);
}

TEST_CASE("verify e2e: the default range is @{upstream}..HEAD, else HEAD") {
  TempDir tmp;
  GitRepo upstream(tmp / "upstream");
  upstream.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  upstream.write(".agate/keys/ada.asc", keys().gpg.export_key(keys().ada));
  upstream.commit_all("base");
  GitRepo clone(tmp / "clone", false);
  upstream.git({"clone", "-q", upstream.dir().string(), clone.dir().string()});
  auto signed_id = agate::test::commit_signed(clone, keys().gpg, keys().ada, "Mine");
  auto result = agate_in(clone, {"verify"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("verified 1 commit of @{upstream}..HEAD") != std::string::npos);
  CHECK(line_of(result.out, signed_id).find("good") != std::string::npos);

  // No upstream: HEAD alone, judged by its parent's policy.
  auto alone = agate_in(upstream, {"verify"});
  INFO(alone.out << alone.err);
  // The root commit is unsigned, and the policy (the work tree's, for a root commit) requires
  // a signature.
  CHECK(alone.exit_code == 1);
  CHECK(alone.out.find("verified 1 commit of HEAD") != std::string::npos);
}

TEST_CASE("verify e2e: bad ranges and a broken keyring exit 2 with one line") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/broken.asc", "not a key\n");
  auto base = repo.commit_all("base");
  agate::test::commit_signed(repo, keys().gpg, keys().ada, "Signed");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"verify", "nosuch..HEAD"},
                                               {"verify", "a...b"},
                                               {"verify", "HEAD", "extra"},
                                               {"verify", base + "..HEAD"}}) {
    CAPTURE(args.back());
    agate::test::e2e::check_one_line_error(agate_in(repo, args));
  }
}
