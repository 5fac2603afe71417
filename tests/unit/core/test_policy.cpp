// Tests of the policy (gate/core/policy.hpp): parsing JSON with comments, the errors a user sees
// for syntax slips, unknown keys and wrong types, the built-in default policy and
// applying the policy to findings (glob matching itself: test_glob.cpp).
#include "gate/core/policy.hpp"

#include "gate/core/rule_catalog.hpp"

#include "analyzers/duplication/clone_analyzer.hpp"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

namespace {

using namespace agate::gate;

const std::string origin = ".agate/config.json";

Policy parse_ok(const std::string& text) {
  auto result = parse_policy(text, origin);
  INFO(text);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? std::string() : result.error()));
  return std::move(result).value();
}

std::string parse_error(const std::string& text) {
  auto result = parse_policy(text, origin);
  INFO(text);
  REQUIRE_FALSE(result.ok());
  return result.error();
}

Finding finding(std::string rule, Severity severity, std::string file) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.file = std::move(file);
  f.line = f.file.empty() ? 0 : 3;
  return f;
}

} // namespace

TEST_CASE("policy: a number too large to represent is an error, not a crash") {
  auto result = parse_policy(R"({"limits": {"max_file_bytes": 1e999}})", ".agate/config.json");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error() == ".agate/config.json: a number is out of range (too large to represent)");
}

TEST_CASE("policy: the built-in default policy parses and holds the documented defaults") {
  auto text = default_policy_text();
  REQUIRE(text.find("\"warn_lines\"") != std::string_view::npos);
  auto parsed = parse_policy(text, "defaults");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? std::string() : parsed.error()));
  const Policy policy = default_policy();
  const Policy plain; // the struct's own defaults must agree with the file
  CHECK(policy.fail_on == Severity::error);
  CHECK(policy.fail_on == plain.fail_on);
  CHECK(policy.ignore.empty());
  CHECK(policy.limits.max_file_bytes == plain.limits.max_file_bytes);
  CHECK(policy.publish.max_inline == 10);
  CHECK(policy.publish.max_inline == plain.publish.max_inline);
  CHECK(policy.size.warn_lines == 400);
  CHECK(policy.size.error_lines == 1000);
  CHECK(policy.size.warn_lines == plain.size.warn_lines);
  CHECK(policy.size.error_lines == plain.size.error_lines);
  CHECK(policy.size.warn_files == plain.size.warn_files);
  CHECK(policy.size.scattered_dirs == plain.size.scattered_dirs);
  CHECK(policy.size.scattered_parts == plain.size.scattered_parts);
  CHECK(policy.rules.empty());
  CHECK(policy.origin == "defaults");
  // Every key of the default file is documented by a comment on the line above it.
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  int keys = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto first = lines[i].find_first_not_of(' ');
    if (first == std::string::npos || lines[i][first] != '"') {
      continue;
    }
    ++keys;
    auto above = lines[i - 1].find_first_not_of(' ');
    INFO("undocumented key line: " << lines[i]);
    CHECK((above != std::string::npos && lines[i - 1].compare(above, 2, "//") == 0));
  }
  CHECK(keys >= 11);
}

TEST_CASE("policy: comments are allowed and values are stored") {
  auto policy = parse_ok(R"(// the team's gate
{
  /* block comment */
  "version": 1,
  "fail_on": "warning", // trailing comment
  "ignore": ["*.min.js", "docs/generated/"],
  "limits": {"max_file_bytes": 2048},
  "size": {"warn_lines": 200, "error_lines": 800, "warn_files": 30,
           "scattered_dirs": 2, "scattered_parts": 2},
  "rules": {
    "size/scattered-change": {"severity": "note"},
    "duplication/clone": {"enabled": false}
  }
})");
  CHECK(policy.fail_on == Severity::warning);
  CHECK(policy.ignore == std::vector<std::string>{"*.min.js", "docs/generated/"});
  CHECK(policy.limits.max_file_bytes == 2048);
  CHECK(policy.size.warn_lines == 200);
  CHECK(policy.size.error_lines == 800);
  CHECK(policy.size.warn_files == 30);
  CHECK(policy.size.scattered_dirs == 2);
  CHECK(policy.size.scattered_parts == 2);
  CHECK(policy.origin == origin);

  CHECK(policy.severity_for("size/scattered-change", Severity::warning) == Severity::note);
  CHECK(policy.severity_for("size/oversized-change", Severity::warning) == Severity::warning);
  CHECK(policy.enabled("size/scattered-change"));
  CHECK_FALSE(policy.enabled("duplication/clone"));
  CHECK(policy.enabled("deletion/unrelated"));
  // Keys left out keep their defaults.
  auto partial = parse_ok(R"({"size": {"warn_lines": 100}})");
  CHECK(partial.size.error_lines == 1000);
  CHECK(partial.fail_on == Severity::error);
  CHECK(parse_ok("{}").size.warn_lines == 400);
}

TEST_CASE("policy: fail_on never means the gate never fails") {
  CHECK_FALSE(parse_ok(R"({"fail_on": "never"})").fail_on.has_value());
  CHECK(parse_ok(R"({"fail_on": "error"})").fail_on == Severity::error);
  CHECK(parse_error(R"({"fail_on": "fatal"})") ==
        ".agate/config.json: fail_on: expected one of \"error\", \"warning\", \"never\", got "
        "\"fatal\"");
}

TEST_CASE("policy: a trailing comma is reported at its line and column") {
  CHECK(parse_error("{\n  \"fail_on\": \"warning\",\n}\n") ==
        ".agate/config.json: invalid JSON at line 2, column 23: trailing comma before '}' (JSON "
        "allows no comma after the last item: remove it)");
  // Also in arrays, and with a comment between the comma and the bracket.
  auto in_array = parse_error("{\"ignore\": [\"a\",\n  // b\n]}");
  CHECK(in_array.find("invalid JSON at line 1, column 16: trailing comma before ']'") !=
        std::string::npos);
}

TEST_CASE("policy: other JSON syntax errors name line, column and what went wrong") {
  CHECK(parse_error("{\n  \"fail_on\": \"error\"\n  \"ignore\": []\n}") ==
        ".agate/config.json: invalid JSON at line 3, column 3: unexpected string literal; "
        "expected '}'");
  CHECK(parse_error("  \n") ==
        ".agate/config.json: invalid JSON at line 2, column 1: the text is empty (write {} for "
        "the default policy)");
  CHECK(parse_error("[1, 2]") ==
        ".agate/config.json: the policy must be a JSON object ({...}), got [1,2]");
  CHECK(parse_error(R"({"size": {"warn_lines": 1}, "size": {"error_lines": 2}})") ==
        ".agate/config.json: duplicate key \"size\" (JSON keeps only the last one: merge them)");
}

TEST_CASE("policy: wrong types name the key path and the value") {
  CHECK(parse_error(R"({"size": {"warn_lines": "400"}})") ==
        ".agate/config.json: size.warn_lines: expected a non-negative integer, got \"400\"");
  CHECK(parse_error(R"({"size": {"warn_lines": -1}})") ==
        ".agate/config.json: size.warn_lines: expected a non-negative integer, got -1");
  CHECK(parse_error(R"({"size": {"error_lines": 10.5}})") ==
        ".agate/config.json: size.error_lines: expected a non-negative integer, got 10.5");
  CHECK(parse_error(R"({"limits": {"max_file_bytes": 0}})") ==
        ".agate/config.json: limits.max_file_bytes: expected a positive integer, got 0");
  CHECK(parse_error(R"({"size": {"warn_lines": 99999999999}})")
            .starts_with(".agate/config.json: size.warn_lines: expected a non-negative integer "
                         "up to 2147483647"));
  CHECK(parse_error(R"({"size": 400})") == ".agate/config.json: size: expected an object, got 400");
  CHECK(parse_error(R"({"ignore": "*.js"})") ==
        ".agate/config.json: ignore: expected an array of strings, got \"*.js\"");
  CHECK(parse_error(R"({"ignore": ["a", 3]})") ==
        ".agate/config.json: ignore[1]: expected a string, got 3");
  CHECK(parse_error(R"({"rules": {"duplication/clone": {"enabled": "no"}}})") ==
        ".agate/config.json: rules.duplication/clone.enabled: expected true or false, got \"no\"");
  CHECK(parse_error(R"({"rules": {"duplication/clone": {"severity": "fatal"}}})") ==
        ".agate/config.json: rules.duplication/clone.severity: expected one of \"error\", "
        "\"warning\", \"note\", got \"fatal\"");
  CHECK(parse_error(R"({"version": 2})") ==
        ".agate/config.json: version: unsupported policy version 2 (this agate reads version 1)");
}

TEST_CASE("policy: unknown keys are errors with a suggestion") {
  CHECK(parse_error(R"({"size": {"warn_line": 400}})") ==
        ".agate/config.json: unknown key \"size.warn_line\" (did you mean \"size.warn_lines\"?)");
  CHECK(parse_error(R"({"fail-on": "error"})") ==
        ".agate/config.json: unknown key \"fail-on\" (did you mean \"fail_on\"?)");
  auto far = parse_error(R"({"deletion": {}})");
  CHECK(far.starts_with(".agate/config.json: unknown key \"deletion\" (known keys: "));
  CHECK(far.find("size") != std::string::npos);
  CHECK(parse_error(R"({"rules": {"duplication/clone": {"sevrity": "note"}}})") ==
        ".agate/config.json: unknown key \"rules.duplication/clone.sevrity\" (did you mean "
        "\"rules.duplication/clone.severity\"?)");
}

TEST_CASE("policy: unknown rule ids are errors naming the rule") {
  CHECK(parse_error(R"({"rules": {"size/oversize-change": {"enabled": false}}})") ==
        ".agate/config.json: unknown rule \"size/oversize-change\" in rules (did you mean "
        "\"size/oversized-change\"?)");
  auto far = parse_error(R"({"rules": {"style/tabs": {"enabled": false}}})");
  CHECK(far.find("unknown rule \"style/tabs\"") != std::string::npos);
  // Every rule of the catalog is accepted, the suppression rule too, and nothing else.
  for (const auto& info : rule_catalog()) {
    CAPTURE(info.id);
    parse_ok(R"({"rules": {")" + std::string(info.id) + R"(": {"severity": "note"}}})");
  }
  CHECK(rule_catalog().size() == 24);
  CHECK(parse_error(R"({"rules": {"provenance/missing-approval": {"enabled": false}}})")
            .find("unknown rule \"provenance/missing-approval\"") != std::string::npos);
}

TEST_CASE("policy: error_lines below warn_lines is an error naming both") {
  CHECK(parse_error(R"({"size": {"warn_lines": 500, "error_lines": 300}})") ==
        ".agate/config.json: size.error_lines (300) must be at least size.warn_lines (500)");
  // Only warn_lines given, above the default error_lines: still inconsistent.
  CHECK(parse_error(R"({"size": {"warn_lines": 2000}})") ==
        ".agate/config.json: size.error_lines (1000) must be at least size.warn_lines (2000)");
  CHECK(parse_ok(R"({"size": {"warn_lines": 500, "error_lines": 500}})").size.error_lines == 500);
}

TEST_CASE("policy: the signatures section is stored, with documented defaults") {
  const Policy defaults = default_policy();
  const SignaturePolicy plain;
  CHECK(defaults.signatures.require == "none");
  CHECK(defaults.signatures.require == plain.require);
  CHECK(defaults.signatures.allowed_signers == plain.allowed_signers);
  CHECK(defaults.signatures.require_committer_match == plain.require_committer_match);
  CHECK(defaults.signatures.accept_web_flow_merges == plain.accept_web_flow_merges);
  CHECK(defaults.signatures.expired_key == plain.expired_key);
  CHECK(defaults.signatures.revoked_key == plain.revoked_key);
  CHECK(defaults.signatures.signers.empty());

  const std::string fpr = "4f1d 09e2 5c8a 0b3d 7e6f  1a2b 3c4d 5e6f 7a8b 9c0d";
  const std::string upper = "4F1D09E25C8A0B3D7E6F1A2B3C4D5E6F7A8B9C0D";
  Policy p = parse_ok(R"({"signatures": {"require": "ai-assisted", "allowed_signers":
      ".github/allowed_signers", "require_committer_match": false, "accept_web_flow_merges": true,
      "web_flow_key": ")" +
                      fpr + R"(", "expired_key": "reject", "revoked_key": "warn",
      "signers": {")" +
                      fpr + R"(": ["Ada@Example.com", "ada@work.example"]}}})");
  CHECK(p.signatures.require == "ai-assisted");
  CHECK(p.signatures.allowed_signers == ".github/allowed_signers");
  CHECK_FALSE(p.signatures.require_committer_match);
  CHECK(p.signatures.accept_web_flow_merges);
  CHECK(p.signatures.web_flow_key == upper);
  CHECK(p.signatures.expired_key == "reject");
  CHECK(p.signatures.revoked_key == "warn");
  REQUIRE(p.signatures.signers.count(upper) == 1);
  CHECK(p.signatures.signers.at(upper) ==
        std::vector<std::string>{"ada@example.com", "ada@work.example"});
}

TEST_CASE("policy: signatures errors name the key") {
  CHECK(parse_error(R"({"signatures": {"require": "some"}})") ==
        origin + ": signatures.require: expected one of \"none\", \"ai-assisted\", \"all\", got "
                 "\"some\"");
  CHECK(parse_error(R"({"signatures": {"web_flow_key": "4AEE18F83AFDEB23"}})")
            .find("signatures.web_flow_key: expected a key fingerprint") != std::string::npos);
  CHECK(parse_error(R"({"signatures": {"signers": {"alice": ["a@x"]}}})")
            .find("\"alice\" is not a key fingerprint") != std::string::npos);
  CHECK(parse_error(R"({"signatures": {"signers": {"4F1D09E25C8A0B3D7E6F1A2B3C4D5E6F7A8B9C0D":
      ["not-an-address"]}}})")
            .find("signatures.signers.4F1D09E25C8A0B3D7E6F1A2B3C4D5E6F7A8B9C0D[0]: expected an "
                  "email address") != std::string::npos);
  CHECK(parse_error(R"({"signatures": {"allowed_signers": "allowed_signers"}})")
            .find("signatures.allowed_signers: expected the path of a file inside a directory") !=
        std::string::npos);
  CHECK(parse_error(R"({"signatures": {"allowed_signers": "../outside/file"}})")
            .find("signatures.allowed_signers") != std::string::npos);
  CHECK(parse_error(R"({"signatures": {"accept_web_flow_merges": true}})")
            .find("signatures.web_flow_key is not set") != std::string::npos);
  CHECK(parse_error(R"({"signatures": {"keys_dir": ".keys"}})")
            .find("unknown key \"signatures.keys_dir\"") != std::string::npos);
}

TEST_CASE("policy: the duplication section is read by the analyzers, with the documented "
          "defaults and errors naming the key") {
  const Policy defaults = default_policy();
  const agate::analyzers::CloneOptions plain;
  auto read = agate::analyzers::clone_options(defaults);
  CHECK(read.min_tokens == plain.min_tokens);
  CHECK(read.min_lines == plain.min_lines);
  CHECK(read.min_similarity == doctest::Approx(plain.min_similarity));
  CHECK(read.error_lines == plain.error_lines);
  CHECK(read.max_findings == plain.max_findings);

  Policy p = parse_ok(R"({"duplication": {"clone": {"min_tokens": 80, "min_lines": 8,
      "min_similarity": 0.9, "error_lines": 30, "max_findings": 5},
      "library_logic": {"disabled_rules": ["library/python-retry-loop"]}}})");
  auto options = agate::analyzers::clone_options(p);
  CHECK(options.min_tokens == 80);
  CHECK(options.min_lines == 8);
  CHECK(options.min_similarity == doctest::Approx(0.9));
  CHECK(options.error_lines == 30);
  CHECK(options.max_findings == 5);
  CHECK(p.duplication.clone.min_tokens == 80);
  CHECK(p.duplication.library_logic.disabled_rules ==
        std::set<std::string>{"library/python-retry-loop"});
  CHECK(defaults.duplication.library_logic.disabled_rules.empty());

  CHECK(parse_error(R"({"duplication": {"clone": {"min_similarity": 0.2}}})") ==
        origin + ": duplication.clone.min_similarity: expected a similarity from 0.5 to 1 (e.g. "
                 "0.7), got 0.2");
  CHECK(parse_error(R"({"duplication": {"clone": {"min_tokens": "50"}}})") ==
        origin + ": duplication.clone.min_tokens: expected a non-negative integer, got \"50\"");
  CHECK(parse_error(R"({"duplication": {"library_logic": {"disabled_rules": [1]}}})")
            .find("duplication.library_logic.disabled_rules[0]: expected a string") !=
        std::string::npos);
  CHECK(parse_error(R"({"duplication": {"clone": {"min_token": 50}}})")
            .find("did you mean \"duplication.clone.min_tokens\"") != std::string::npos);
}

TEST_CASE("policy: is_ignored applies globs in order with negation") {
  auto policy = parse_ok(R"({"ignore": ["*.min.js", "!keep.min.js", "docs/generated/"]})");
  CHECK(policy.is_ignored("web/app.min.js"));
  CHECK_FALSE(policy.is_ignored("web/keep.min.js"));
  CHECK(policy.is_ignored("docs/generated/api.md"));
  CHECK_FALSE(policy.is_ignored("docs/guide.md"));
  CHECK_FALSE(default_policy().is_ignored("src/main.py"));
}

TEST_CASE("policy: apply_policy drops disabled rules and ignored files and overrides severities") {
  auto policy = parse_ok(R"({
    "ignore": ["generated/"],
    "rules": {
      "duplication/clone": {"enabled": false},
      "size/scattered-change": {"severity": "error"},
      "deletion/unrelated": {"severity": "note", "enabled": true}
    }})");
  std::vector<Finding> findings = {
      finding("duplication/clone", Severity::warning, "src/a.py"),
      finding("size/scattered-change", Severity::warning, ""),
      finding("deletion/unrelated", Severity::warning, "src/b.py"),
      finding("deletion/unrelated", Severity::warning, "generated/x.py"),
      finding("size/oversized-change", Severity::error, ""),
  };
  auto kept = apply_policy(findings, policy);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0].rule == "size/scattered-change");
  CHECK(kept[0].severity == Severity::error);
  CHECK(kept[1].rule == "deletion/unrelated");
  CHECK(kept[1].file == "src/b.py");
  CHECK(kept[1].severity == Severity::note);
  CHECK(kept[2].rule == "size/oversized-change");
  CHECK(kept[2].severity == Severity::error);
}
