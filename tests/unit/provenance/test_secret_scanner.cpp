// The secret scanner: every kind it knows is found and redacted in realistic surroundings,
// ordinary prose and code are left alone, and large, binary or adversarial input is handled in
// one linear pass. The fake secrets are generated with the right shapes (prefix, alphabet,
// length) at run time, so no literal token sits in the source.
#include "gate/provenance/secret_scanner.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace agate;
using gate::find_secrets;
using gate::redact_secrets;

namespace {

constexpr std::string_view k_alnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view k_url_b64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
constexpr std::string_view k_b64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view k_hex = "0123456789abcdef";

// `n` characters of `alphabet`, picked by a fixed pseudo-random sequence (high entropy, all
// classes of the alphabet present for any useful n).
std::string chars(std::string_view alphabet, std::size_t n, uint32_t seed = 7) {
  std::string out;
  uint32_t state = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    out += alphabet[(state >> 8) % alphabet.size()];
  }
  return out;
}

std::string pem_body(uint32_t seed) {
  std::string body;
  for (int line = 0; line < 6; ++line) {
    body += chars(k_b64, 64, seed + static_cast<uint32_t>(line)) + "\n";
  }
  return body + chars(k_b64, 20, seed) + "==\n";
}

struct Case {
  std::string kind;
  std::string text;   // the secret in realistic surroundings
  std::string secret; // what must be redacted
};

std::vector<Case> cases() {
  std::vector<Case> out;
  auto add = [&](std::string kind, const std::string& before, const std::string& secret,
                 const std::string& after) {
    out.push_back(Case{std::move(kind), before + secret + after, secret});
  };
  add("aws-access-key-id",
      "export AWS_ACCESS_KEY_ID=", "AKIA" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16), "\n");
  add("aws-access-key-id",
      "temporary creds: ", "ASIA" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 9),
      " (expires in 1h)");
  add("aws-secret-access-key", "aws_secret_access_key = ", chars(k_b64, 40, 3), "\n");
  add("gcp-api-key", "const mapsKey = \"", "AIza" + chars(k_url_b64, 35), "\";");
  add("azure-storage-key", "DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=",
      chars(k_b64, 86) + "==", ";EndpointSuffix=core.windows.net");
  add("azure-storage-key",
      "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=",
      chars(k_b64, 43) + "=", "");
  for (std::string prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    add("github-token", "git clone https://", prefix + chars(k_alnum, 36, prefix[2]),
        "@github.com/example/shop.git is what I ran");
  }
  add("github-fine-grained-token",
      "GH_TOKEN=", "github_pat_" + chars(k_alnum, 22) + "_" + chars(k_alnum, 59, 11),
      " gh pr list");
  add("gitlab-token", "use the token ", "glpat-" + chars(k_url_b64, 20), " for the registry");
  add("slack-token", "SLACK_BOT_TOKEN=", "xoxb-2648123456789-2648987654321-" + chars(k_alnum, 24),
      "\n");
  add("slack-webhook", "post to ",
      "https://hooks.slack.com/services/T02ABCDEF/B05GHIJKL/" + chars(k_alnum, 24),
      " when the build fails");
  add("stripe-key", "stripe.api_key = '", "sk_live_" + chars(k_alnum, 24), "'");
  add("stripe-key", "restricted: ", "rk_live_" + chars(k_alnum, 24, 5), ".");
  add("openai-api-key",
      "OPENAI_API_KEY=", "sk-proj-" + chars(k_url_b64, 74) + "T3BlbkFJ" + chars(k_url_b64, 74, 2),
      "\n");
  add("openai-api-key", "my old key ",
      "sk-" + chars(k_alnum, 20) + "T3BlbkFJ" + chars(k_alnum, 20, 4), " still works?");
  add("anthropic-api-key", "ANTHROPIC_API_KEY=\"", "sk-ant-api03-" + chars(k_url_b64, 93) + "AA",
      "\"");
  add("huggingface-token", "login with ",
      "hf_" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34), " then push");
  add("npm-token", "//registry.npmjs.org/:_authToken=", "npm_" + chars(k_alnum, 36), "\n");
  add("pypi-token", "password = ", "pypi-AgEIcHlwaS5vcmc" + chars(k_url_b64, 120), "\n");
  add("twilio-api-key", "TWILIO_API_KEY=", "SK" + chars(k_hex, 32), "\n");
  add("sendgrid-api-key", "sg = SendGridAPIClient('",
      "SG." + chars(k_url_b64, 22) + "." + chars(k_url_b64, 43, 8), "')");
  add("mailgun-api-key", "auth=('api', '", "key-" + chars(k_hex, 32, 6), "')");
  add("discord-webhook",
      "webhook: ", "https://discord.com/api/webhooks/1234567890123456789/" + chars(k_url_b64, 68),
      "\n");
  add("digitalocean-token", "doctl auth init -t ", "dop_v1_" + chars(k_hex, 64), "\n");
  add("shopify-token", "X-Shopify-Access-Token: ", "shpat_" + chars(k_hex, 32), "\n");
  for (std::string type : {"", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED "}) {
    add("private-key", "here is the deploy key:\n",
        "-----BEGIN " + type + "PRIVATE" + " KEY-----\n" + pem_body(type.size()) + "-----END " +
            type + "PRIVATE KEY-----",
        "\nplease add it to the server");
  }
  add("private-key", "gpg export:\n",
      "-----BEGIN PGP PRIVATE" + std::string(" KEY BLOCK-----\n\n") + pem_body(1) +
          "-----END PGP PRIVATE KEY BLOCK-----",
      "\n");
  add("jwt", "Authorization: Bearer ",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
      "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
      "\n");
  add("password-in-url", "DATABASE_URL=postgres://shop:", "Xk9pQ2mL7vRt",
      "@db.internal:5432/shop\n");
  add("password-in-url", "mongodb+srv://admin:", "s3cr3t-Passw0rd",
      "@cluster0.example.net/?retryWrites=true");
  add("secret-assignment", "DB_PASSWORD=", "hunter2x", "\n");
  add("secret-assignment", "password = \"", "Tr0ub4dor&3", "\"");
  add("secret-assignment", "{\"client_secret\": \"", chars(k_alnum, 32, 13), "\"}");
  add("secret-assignment", "api_key: ", chars(k_hex, 32, 14), "\n");
  add("secret-assignment", "token := \"", chars(k_alnum, 24, 15), "\"");
  add("secret-assignment", "{\\\"password\\\": \\\"", "S3cr3t!Pass", "\\\"}");
  return out;
}

bool sorted_and_disjoint(const std::vector<gate::SecretMatch>& matches) {
  for (std::size_t i = 1; i < matches.size(); ++i) {
    if (matches[i].offset < matches[i - 1].offset + matches[i - 1].length) {
      return false;
    }
  }
  return true;
}

} // namespace

TEST_CASE("secret scanner: every kind is found and redacted") {
  std::set<std::string> covered;
  for (const Case& c : cases()) {
    CAPTURE(c.text);
    const auto matches = find_secrets(c.text);
    REQUIRE(matches.size() == 1);
    CHECK(matches[0].kind == c.kind);
    CHECK(c.text.substr(matches[0].offset, matches[0].length) == c.secret);
    const auto redacted = redact_secrets(c.text);
    CHECK(redacted.text.find(c.secret) == std::string::npos);
    CHECK(redacted.text.find("[REDACTED:" + c.kind + "]") != std::string::npos);
    // Only the secret goes: the surroundings are kept byte for byte.
    CHECK(redacted.text.substr(0, matches[0].offset) == c.text.substr(0, matches[0].offset));
    covered.insert(c.kind);
  }
  // GCP service-account JSON: the private_key_id and the (JSON-escaped) key block.
  const std::string key_id = chars(k_hex, 40, 21);
  std::string body = pem_body(4);
  std::string escaped;
  for (char c : body) {
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  const std::string block =
      "-----BEGIN PRIVATE" + std::string(" KEY-----\\n") + escaped + "-----END PRIVATE KEY-----\\n";
  const std::string json = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"shop-prod\",\n"
                           "  \"private_key_id\": \"" +
                           key_id + "\",\n  \"private_key\": \"" + block +
                           "\",\n  \"client_email\": \"ci@shop-prod.iam.gserviceaccount.com\"\n}";
  const auto matches = find_secrets(json);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].kind == "gcp-service-account-key");
  CHECK(json.substr(matches[0].offset, matches[0].length) == key_id);
  CHECK(matches[1].kind == "gcp-service-account-key");
  CHECK(json.substr(matches[1].offset, matches[1].length).rfind("-----BEGIN PRIVATE", 0) == 0);
  CHECK(redact_secrets(json).text.find("END PRIVATE KEY") == std::string::npos);
  covered.insert(matches[0].kind);

  std::set<std::string> known;
  for (const auto& kind : gate::secret_kinds()) {
    known.insert(std::string(kind.id));
    CHECK(!kind.description.empty());
  }
  CHECK(known.size() >= 20);
  CHECK(covered == known);
}

TEST_CASE("secret scanner: prose and code that must not be redacted") {
  const std::vector<std::string> clean = {
      "Revert 4b1f0c9e2d7a6b5c8e3f1a0d9c8b7a6e5f4d3c2b and cherry-pick 9d2c4e1.",
      "The request id is 123e4567-e89b-12d3-a456-426614174000.",
      "Edit src/gate/secret_scanner.cpp and /usr/include/nlohmann/json.hpp, then run make.",
      "The header is aGVsbG8gd29ybGQgZnJvbSB0aGUgdGVzdHM= (base64 of a greeting).",
      "Set password = \"changeme\" in the example config so people know to change it.",
      "password: ${DB_PASSWORD}",
      "api_key = os.environ[\"API_KEY\"]",
      "token = get_token(session)",
      "secret: <your secret here>",
      "max_tokens = 4096",
      "if password == \"Adm1nAdm1n\": deny()",
      "client_secret = None",
      "\"password\": \"\"",
      "password: xxxxxxxxxxxx",
      "access_token: \"**************\"",
      "use sk-learn and a task-force of scikit models",
      "connect to postgres://user:password@localhost/db or https://example.com/a:b@c",
      "ssh://git@github.com:22/example/shop.git and git@github.com:example/shop.git",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC "
      "KEY-----",
      "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n",
      "std::string token = next_token(); auto secret = vault.read(\"db\");",
      "a::b::c = d; x := y; m => n; key: value; tokenizer = make_tokenizer()",
      "The secret is that the cache key = the file path plus its mtime.",
      "csrf_token: form-submit-token",
      "Look at ghp_ and AKIA prefixes in the docs; eyJ starts a JWT.",
      "Call the endpoint with SK and key- prefixes stripped.",
  };
  for (const std::string& text : clean) {
    CAPTURE(text);
    CHECK(find_secrets(text).empty());
    CHECK(redact_secrets(text).text == text);
  }
}

TEST_CASE("secret scanner: a password in a URL loses the password only") {
  const auto r = redact_secrets("DATABASE_URL=postgres://shop:Xk9pQ2mL7vRt@db.internal:5432/shop");
  CHECK(r.text == "DATABASE_URL=postgres://shop:[REDACTED:password-in-url]@db.internal:5432/shop");
  // A known token used as the password is named as that token.
  const std::string token = "ghp_" + chars(k_alnum, 36);
  const auto t = redact_secrets("https://x-access-token:" + token + "@github.com/o/r.git");
  CHECK(t.text == "https://x-access-token:[REDACTED:github-token]@github.com/o/r.git");
}

TEST_CASE("secret scanner: overlapping candidates give one match each, in order") {
  const std::string gh = "ghp_" + chars(k_alnum, 36);
  const std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0." + chars(k_url_b64, 43);
  const std::string stripe = "sk_live_" + chars(k_alnum, 24);
  // A shaped token assigned to a secret-like name is named by its shape, not as an assignment;
  // adjacent tokens are separate; a JWT in an Authorization value is one JWT.
  const std::string text = "token = \"" + gh + "\"\nauth_token: " + jwt + "\n" + gh + "," + gh +
                           "\nSTRIPE_SECRET=" + stripe + "\n";
  const auto matches = find_secrets(text);
  REQUIRE(matches.size() == 5);
  CHECK(sorted_and_disjoint(matches));
  CHECK(matches[0].kind == "github-token");
  CHECK(matches[1].kind == "jwt");
  CHECK(matches[2].kind == "github-token");
  CHECK(matches[3].kind == "github-token");
  CHECK(matches[4].kind == "stripe-key");
  // A token glued to a word is not a token (xghp_...), and a too-short one is not either.
  CHECK(find_secrets("x" + gh).empty());
  CHECK(find_secrets("ghp_" + chars(k_alnum, 20)).empty());
}

TEST_CASE("secret scanner: redaction is idempotent") {
  std::string all;
  for (const Case& c : cases()) {
    const auto once = redact_secrets(c.text);
    const auto twice = redact_secrets(once.text);
    CAPTURE(once.text);
    CHECK(twice.text == once.text);
    CHECK(twice.matches.empty());
    all += c.text + "\n";
  }
  const auto once = redact_secrets(all);
  CHECK(once.matches.size() == cases().size());
  CHECK(redact_secrets(once.text).text == once.text);
}

TEST_CASE("secret scanner: binary bytes") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  CHECK(find_secrets(bytes).empty());
  const std::string gh = "ghp_" + chars(k_alnum, 36);
  const std::string text = bytes + gh + "\xff\xfe" + bytes + "password=\x80\x81Zq9!xY2w\xc3\x28";
  const auto matches = find_secrets(text);
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].kind == "github-token");
  CHECK(matches[0].offset == 256);
  std::string nul_separated = std::string("\0\0", 2) + gh + std::string("\0", 1);
  CHECK(find_secrets(nul_separated).size() == 1);
}

TEST_CASE("secret scanner: a 10 MB input with long lines, binary bytes and a few secrets") {
  // Lines of 1 MiB and more, prose, code, base64 and binary; secrets at known places.
  const std::string gh = "ghp_" + chars(k_alnum, 36, 31);
  const std::string aws = "AKIA" + chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 32);
  const std::string key = "-----BEGIN RSA PRIVATE" + std::string(" KEY-----\n") + pem_body(33) +
                          "-----END RSA PRIVATE KEY-----";
  std::string text;
  text.reserve(11 << 20);
  std::vector<std::pair<std::size_t, std::string>> expected;
  const std::string prose = "The quick brown fox refactors the cache key = path + mtime; see "
                            "4b1f0c9e2d7a6b5c8e3f1a0d9c8b7a6e5f4d3c2b and /usr/lib/x.so. ";
  const std::string b64 = chars(k_b64, 4096, 34);
  for (int block = 0; text.size() < (10u << 20); ++block) {
    for (int i = 0; i < 8000; ++i) {
      text += prose; // ~1 MiB without a newline
    }
    text += b64;
    for (int i = 0; i < 64; ++i) {
      text += static_cast<char>((i * 37 + block) & 0xff);
    }
    text += "\n";
    const std::string& secret = block % 3 == 0 ? gh : block % 3 == 1 ? aws : key;
    expected.emplace_back(text.size() + 6, secret);
    text += "value " + secret + " end\n";
  }
  const auto matches = find_secrets(text);
  REQUIRE(matches.size() == expected.size());
  for (std::size_t i = 0; i < matches.size(); ++i) {
    CHECK(matches[i].offset == expected[i].first);
    CHECK(text.substr(matches[i].offset, matches[i].length) == expected[i].second);
  }
  const auto redacted = redact_secrets(text);
  CHECK(redacted.text.size() < text.size());
  CHECK(redacted.text.find(gh) == std::string::npos);
}

TEST_CASE("secret scanner: adversarial input stays linear and safe") {
  // Each of these is a trigger repeated a megabyte long: many BEGIN lines without an END,
  // chained assignments, URL schemes without hosts, runs of '=' and ':'.
  const std::string begin = "-----BEGIN PRIVATE" + std::string(" KEY-----");
  std::vector<std::string> inputs;
  std::string s;
  while (s.size() < (1 << 20)) {
    s += begin;
  }
  inputs.push_back(s);
  s.clear();
  while (s.size() < (1 << 20)) {
    s += "token=";
  }
  inputs.push_back(s);
  s.clear();
  while (s.size() < (1 << 20)) {
    s += "password:\"Zq9!xY2w ";
  }
  inputs.push_back(s);
  s.clear();
  while (s.size() < (1 << 20)) {
    s += "a://b:c";
  }
  inputs.push_back(s);
  inputs.push_back(std::string(1 << 20, '='));
  inputs.push_back(std::string(1 << 20, ':'));
  inputs.push_back("eyJ" + std::string(1 << 20, 'a'));
  for (const std::string& input : inputs) {
    const auto matches = find_secrets(input);
    CHECK(sorted_and_disjoint(matches));
    const auto redacted = redact_secrets(input);
    CHECK(redact_secrets(redacted.text).text == redacted.text);
  }
  // The BEGIN lines without an END are one (header-only) match each.
  CHECK(find_secrets(inputs[0]).size() == (inputs[0].size() + begin.size() - 1) / begin.size());
}
