// End-to-end tests of the text report with the real binary on real repositories made with the
// git CLI: one compiler-style line per finding with a few marked code lines and the hint, the
// evidence only with --verbose, findings on files before whole-change findings, a tally per
// rule and the policy the run used.
#include "tests/e2e/e2e_support.hpp"

namespace {

using namespace agate::test;
using namespace agate::test::e2e;

const char* const k_auth = R"py(from service import utils


def issue_token(secret, user):
    return f"{user}:{utils.sign(secret, user)}"


def validate_token(secret, token):
    user, signature = token.split(":")
    if not utils.constant_time_equal(signature, utils.sign(secret, user)):
        raise ValueError("bad signature")
    if not user:
        raise ValueError("no user")
    return user
)py";

const char* const k_auth_without_validate = R"py(from service import utils


def issue_token(secret, user):
    return f"{user}:{utils.sign(secret, user)}"
)py";

const char* const k_billing = R"py(def add_line(lines, sku, quantity):
    lines.append((sku, quantity))
)py";

const char* const k_billing_feature = R"py(

def invoice_total(lines, discount=0.0):
    total = 0.0
    for sku, quantity in lines:
        total += quantity * (1.0 - discount)
    return round(total, 2)
)py";

void make_service(GitRepo& repo) {
  repo.write("service/__init__.py", "");
  repo.write("service/auth.py", k_auth);
  repo.write("service/billing.py", k_billing);
  repo.commit_all("Service with tokens and invoices");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("text report e2e: a deleted function is one line, its code, the hint, a tally") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_service(repo);
  auto base = repo.head();
  repo.write("service/billing.py", std::string(k_billing) + k_billing_feature);
  repo.write("service/auth.py", k_auth_without_validate);
  repo.commit_all("Add invoice totals with a discount");

  auto result = agate_in(repo, {"check", "--commit", "HEAD", "--color", "never"});
  INFO(result.out);
  CHECK(result.exit_code == 0); // a warning: the default policy fails on errors
  CHECK(result.out.starts_with("service/auth.py: warning[deletion/unrelated]: deleted function "
                               "`validate_token` (auth.py:8-14): not mentioned by the commit "
                               "message"));
  CHECK(result.out.find("\n    8 - def validate_token(secret, token):\n"
                        "    9 -     user, signature = token.split(\":\")\n") != std::string::npos);
  CHECK(result.out.find("      \xe2\x80\xa6 3 more lines (old file)\n") != std::string::npos);
  CHECK(result.out.find("\n  hint: If removing `validate_token` was not intended, restore it; "
                        "if it was, say so in the commit message.\n") != std::string::npos);
  CHECK(result.out.find("evidence") == std::string::npos);
  CHECK(result.out.find("\nby rule:\n  deletion/unrelated  1 warning\n") != std::string::npos);
  CHECK(result.out.find("; policy: defaults (no .agate/config.json at " + base.substr(0, 12) +
                        ")\n") != std::string::npos);

  auto verbose = agate_in(repo, {"check", "--commit", "HEAD", "--verbose"});
  CHECK(verbose.out.find("\n  evidence: ") != std::string::npos);
  CHECK(verbose.out.find("unit=validate_token") != std::string::npos);
  CHECK(count(verbose.out, "\xe2\x80\xa6") == 1); // the code's "… 3 more lines", no cut evidence
  CHECK(agate_in(repo, {"check", "--commit", "HEAD", "-v"}).out == verbose.out);
  CHECK(agate_in(repo, {"help", "check"}).out.find("--verbose") != std::string::npos);
}

TEST_CASE("text report e2e: findings on files first, the whole change after, the policy named") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_service(repo);
  write_size_policy(repo);
  repo.commit_all("Policy");
  repo.write("service/records.py", python_code(1100));
  repo.write("service/auth.py", k_auth_without_validate);
  repo.add_all();

  auto result = agate_in(repo, {"check", "--staged"});
  INFO(result.out);
  CHECK(result.exit_code == 1);
  const auto deletion = result.out.find("service/auth.py: warning[deletion/unrelated]: ");
  const auto size = result.out.find("\nstaged changes: error[size/oversized-change]: ");
  REQUIRE(deletion != std::string::npos);
  REQUIRE(size != std::string::npos);
  CHECK(deletion < size);
  CHECK(result.out.find("  size/oversized-change  1 error\n") != std::string::npos);
  CHECK(result.out.find("; policy: .agate/config.json in the work tree\n") != std::string::npos);

  repo.commit_all("Records");
  auto committed = agate_in(repo, {"check", "--commit", "HEAD"});
  CHECK(committed.out.find("\ncommit " + repo.head().substr(0, 7)) != std::string::npos);
  CHECK(committed.out.find("; policy: .agate/config.json at " +
                           repo.git({"rev-parse", "HEAD~1"}).substr(0, 12) + "\n") !=
        std::string::npos);
}
