// Tests of the security check names (analyzers/deletion/security_checks.hpp), read from
// rules/security/checks.json: which names and calls validate, authorise or compare secrets.
#include "analyzers/deletion/security_checks.hpp"

#include <doctest/doctest.h>

using namespace agate::analyzers;

TEST_CASE("security checks: names by their first word, listed calls, subject words") {
  for (const char* name : {"verify", "verify_token", "verifyToken", "validate_signature",
                           "check_permission", "checkAuth", "authorize", "authorise_user",
                           "csrf_protect", "has_permission", "compare_digest"}) {
    CAPTURE(name);
    CHECK(security_name(name));
  }
  for (const char* name : {"checkout", "checksum", "check_output", "verifying_total_", "total",
                           "isSignatureVarargsAssignable", "validator_factory_", "render"}) {
    CAPTURE(name);
    CHECK_FALSE(security_name(name));
  }
}

TEST_CASE("security checks: calls in a line, by their last part or listed in full") {
  CHECK(security_call("    if not hmac.compare_digest(expected, signature):") ==
        "hmac.compare_digest");
  CHECK(security_call("  if (!crypto.timingSafeEqual(a, b)) throw new Error();") ==
        "crypto.timingSafeEqual");
  CHECK(security_call("if subtle.ConstantTimeCompare(a, b) != 1 {") ==
        "subtle.ConstantTimeCompare");
  CHECK(security_call("return MessageDigest.isEqual(a, b);") == "MessageDigest.isEqual");
  CHECK(security_call("    user = self.auth.verify_token (token)") == "self.auth.verify_token");
  CHECK_FALSE(security_call("    total = sum(prices)").has_value());
  CHECK_FALSE(security_call("    isEqual(a, b)").has_value());
  CHECK_FALSE(security_call("    verify_token = None").has_value()); // not called
  // A guard naming a checked subject without a call.
  CHECK(security_subject("if request.csrf_token != expected:") == "request.csrf_token");
  CHECK_FALSE(security_subject("if quantity <= 0:").has_value());
}
