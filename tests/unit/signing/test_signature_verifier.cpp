// Unit tests of the signature policy decision (gate/signing/signature_verifier.hpp) and of how
// verdicts become findings (analyzers/signature_analyzer.hpp), for the paths that need no key:
// which commits must be signed, unsigned and unsupported formats, two armored blocks, severities.
// Real keys and signatures are exercised end to end in tests/e2e/test_signature_e2e.cpp.
#include "analyzers/signature_analyzer.hpp"
#include "gate/signing/signature_verifier.hpp"

#include <doctest/doctest.h>

using namespace agate::gate;
using agate::analyzers::signature_finding;

namespace {

Policy policy_with(const std::string& text) {
  return parse_policy(text, "test").value_or_throw();
}

CommitInfo commit_with(std::string signature, std::string message = "Change\n") {
  CommitInfo commit;
  commit.id = "0123456789abcdef0123456789abcdef01234567";
  commit.committer.email = "ada@example.com";
  commit.message = std::move(message);
  commit.signature_field = signature.empty() ? "" : "gpgsig";
  commit.signature = std::move(signature);
  commit.signed_payload = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nChange\n";
  return commit;
}

SignatureVerdict verdict_for(const CommitInfo& commit) {
  SignatureVerifier verifier(SignaturePolicy{}, {}, std::nullopt, "at test");
  return verifier.verify(commit).value_or_throw();
}

} // namespace

TEST_CASE("signature verifier: which commits must be signed") {
  CommitInfo human = commit_with("");
  CommitInfo agent = commit_with("", "Change\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
  agent.trailers = {{"Co-authored-by", "Claude <noreply@anthropic.com>"}};
  CHECK_FALSE(signature_requirement(default_policy(), human));
  CHECK_FALSE(signature_requirement(default_policy(), agent));
  auto all = policy_with(R"({"signatures": {"require": "all"}})");
  CHECK(signature_requirement(all, human).value() == "signatures.require is \"all\"");
  auto ai = policy_with(R"({"signatures": {"require": "ai-assisted"}})");
  CHECK_FALSE(signature_requirement(ai, human));
  REQUIRE(signature_requirement(ai, agent));
  CHECK(signature_requirement(ai, agent)->find("AI-assisted") != std::string::npos);
}

TEST_CASE("signature verifier: unsigned, unsupported and doubled signatures need no key") {
  CHECK(verdict_for(commit_with("")).status == SignatureStatus::unsigned_commit);

  auto x509 = verdict_for(commit_with("-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED "
                                      "MESSAGE-----\n"));
  CHECK(x509.status == SignatureStatus::unsupported);
  CHECK(x509.format == "x509");
  CHECK(x509.reason.find("X.509") != std::string::npos);

  auto unknown = verdict_for(commit_with("something else\n"));
  CHECK(unknown.status == SignatureStatus::unsupported);
  CHECK(unknown.format == "unknown");

  const std::string block = "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n";
  auto doubled = verdict_for(commit_with(block + block));
  CHECK(doubled.status == SignatureStatus::bad);
  CHECK(doubled.evidence.at("blocks") == 2);
}

TEST_CASE("signature verifier: severities of the findings") {
  const CommitInfo commit = commit_with("x");
  const SignaturePolicy policy;
  SignatureVerdict verdict;
  verdict.status = SignatureStatus::good;
  CHECK_FALSE(signature_finding(verdict, commit, std::string("required"), policy));

  verdict.status = SignatureStatus::unsigned_commit;
  CHECK_FALSE(signature_finding(verdict, commit, std::nullopt, policy));
  auto missing =
      signature_finding(verdict, commit, std::string("signatures.require is \"all\""), policy);
  REQUIRE(missing);
  CHECK(missing->rule == "signature/missing");
  CHECK(missing->severity == Severity::error);
  CHECK(missing->file.empty());

  verdict.status = SignatureStatus::bad;
  auto bad = signature_finding(verdict, commit, std::nullopt, policy);
  REQUIRE(bad);
  CHECK(bad->severity == Severity::error); // whatever the requirement

  verdict.status = SignatureStatus::untrusted_key;
  CHECK(signature_finding(verdict, commit, std::nullopt, policy)->severity == Severity::warning);
  CHECK(signature_finding(verdict, commit, std::string("r"), policy)->severity == Severity::error);

  verdict.status = SignatureStatus::revoked_key;
  SignaturePolicy warn;
  warn.revoked_key = "warn";
  CHECK(signature_finding(verdict, commit, std::string("r"), warn)->severity == Severity::warning);
  CHECK(signature_finding(verdict, commit, std::string("r"), policy)->rule ==
        "signature/revoked-key");
}
