// The secret scanner: one pass over the text, hand-written matchers keyed by the byte that
// starts their trigger. See secret_scanner.hpp for the why; the token shapes are noted at each
// matcher.
#include "gate/provenance/secret_scanner.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace agate::gate {

namespace {

// Kind ids, in the order of secret_kinds().
constexpr std::string_view k_aws_key_id = "aws-access-key-id";
constexpr std::string_view k_aws_secret = "aws-secret-access-key";
constexpr std::string_view k_gcp_api_key = "gcp-api-key";
constexpr std::string_view k_gcp_service_account = "gcp-service-account-key";
constexpr std::string_view k_azure_storage = "azure-storage-key";
constexpr std::string_view k_github_token = "github-token";
constexpr std::string_view k_github_pat = "github-fine-grained-token";
constexpr std::string_view k_gitlab_token = "gitlab-token";
constexpr std::string_view k_slack_token = "slack-token";
constexpr std::string_view k_slack_webhook = "slack-webhook";
constexpr std::string_view k_stripe = "stripe-key";
constexpr std::string_view k_openai = "openai-api-key";
constexpr std::string_view k_anthropic = "anthropic-api-key";
constexpr std::string_view k_huggingface = "huggingface-token";
constexpr std::string_view k_npm = "npm-token";
constexpr std::string_view k_pypi = "pypi-token";
constexpr std::string_view k_twilio = "twilio-api-key";
constexpr std::string_view k_sendgrid = "sendgrid-api-key";
constexpr std::string_view k_mailgun = "mailgun-api-key";
constexpr std::string_view k_discord_webhook = "discord-webhook";
constexpr std::string_view k_digitalocean = "digitalocean-token";
constexpr std::string_view k_shopify = "shopify-token";
constexpr std::string_view k_private_key = "private-key";
constexpr std::string_view k_jwt = "jwt";
constexpr std::string_view k_url_password = "password-in-url";
constexpr std::string_view k_assignment = "secret-assignment";

constexpr std::size_t k_max_private_key = 1 << 20; // BEGIN ... END
constexpr std::size_t k_max_value = 1024;          // a value assigned to a secret-like name
constexpr std::size_t k_max_name = 64;             // the name before `=` / `:`
constexpr std::size_t k_max_authority = 512;       // user:password@host of a URL
constexpr std::size_t k_max_token = 4096;          // any single shaped token

struct Found {
  std::string_view kind;
  std::size_t offset = 0;
  std::size_t length = 0;
};

// The text and two memos that keep the pass linear on adversarial input: where the next
// "-----END " line is (so a thousand BEGIN lines without an END do not each search the rest), and
// a stretch already known to hold no shaped token (so values that overlap are not re-scanned).
struct Scan {
  std::string_view t;
  bool end_known = false;
  std::size_t end_from = 0; // next_end is the first END at or after this
  std::size_t next_end = std::string_view::npos;
  std::size_t clean_from = 0; // [clean_from, clean_to) holds no token start
  std::size_t clean_to = 0;
};

std::size_t next_end_line(Scan& s, std::size_t from) {
  constexpr std::string_view end_marker = "-----END ";
  if (s.end_known && from >= s.end_from &&
      (s.next_end == std::string_view::npos || s.next_end >= from)) {
    return s.next_end;
  }
  if (s.end_known && from < s.end_from) {
    // Only the stretch before the previous search start is new.
    const std::size_t stop = std::min(s.t.size(), s.end_from + end_marker.size());
    const std::size_t found = s.t.substr(0, stop).find(end_marker, from);
    if (found != std::string_view::npos) {
      return found;
    }
    if (s.next_end == std::string_view::npos || s.next_end >= from) {
      return s.next_end;
    }
  }
  s.end_known = true;
  s.end_from = from;
  s.next_end = s.t.find(end_marker, from);
  return s.next_end;
}

// Character classes on bytes; anything outside ASCII (binary, UTF-8) is in none of them.
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_alpha(char c) {
  return is_upper(c) || is_lower(c);
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
bool is_word(char c) {
  return is_alnum(c) || c == '_';
}
bool is_url_b64(char c) {
  return is_word(c) || c == '-';
}
bool is_b64(char c) {
  return is_alnum(c) || c == '+' || c == '/';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_aws_id_char(char c) {
  return is_upper(c) || (c >= '2' && c <= '7');
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_quote(char c) {
  return c == '"' || c == '\'' || c == '`';
}
char lower(char c) {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

template <typename Pred>
std::size_t run(std::string_view t, std::size_t pos, Pred pred, std::size_t max = k_max_token) {
  std::size_t n = 0;
  while (pos + n < t.size() && n < max && pred(t[pos + n])) {
    ++n;
  }
  return n;
}

bool starts(std::string_view t, std::size_t pos, std::string_view prefix) {
  return t.substr(pos, prefix.size()) == prefix;
}

// True when the token starting at `pos` is not glued to a preceding word (`xghp_...`).
bool left_free(std::string_view t, std::size_t pos) {
  return pos == 0 || !(is_url_b64(t[pos - 1]));
}
bool right_free(std::string_view t, std::size_t end) {
  return end >= t.size() || !is_alnum(t[end]);
}

bool has_digit(std::string_view s) {
  for (char c : s) {
    if (is_digit(c)) {
      return true;
    }
  }
  return false;
}

double shannon_entropy(std::string_view s) {
  if (s.empty()) {
    return 0;
  }
  std::array<std::size_t, 256> counts{};
  for (char c : s) {
    ++counts[static_cast<unsigned char>(c)];
  }
  double bits = 0;
  const double n = static_cast<double>(s.size());
  for (std::size_t count : counts) {
    if (count > 0) {
      const double p = static_cast<double>(count) / n;
      bits -= p * std::log2(p);
    }
  }
  return bits;
}

// prefix + a run of `pred` characters of at least `min` (and at most `max`) bytes.
template <typename Pred>
std::optional<Found> prefixed(std::string_view t, std::size_t i, std::string_view prefix,
                              std::string_view kind, Pred pred, std::size_t min,
                              std::size_t max = k_max_token) {
  if (!starts(t, i, prefix) || !left_free(t, i)) {
    return std::nullopt;
  }
  const std::size_t body = run(t, i + prefix.size(), pred, max + 1);
  if (body < min || body > max) {
    return std::nullopt;
  }
  return Found{kind, i, prefix.size() + body};
}

// AWS access key ids: AKIA (long-term), ASIA (STS), ABIA, ACCA + 16 of [A-Z2-7].
std::optional<Found> match_aws_key_id(std::string_view t, std::size_t i) {
  for (std::string_view p : {"AKIA", "ASIA", "ABIA", "ACCA"}) {
    if (starts(t, i, p) && left_free(t, i) && run(t, i + 4, is_aws_id_char, 17) == 16 &&
        right_free(t, i + 20)) {
      return Found{k_aws_key_id, i, 20};
    }
  }
  return std::nullopt;
}

// Google API keys: AIza + 35 of [A-Za-z0-9_-].
std::optional<Found> match_gcp_api_key(std::string_view t, std::size_t i) {
  return prefixed(t, i, "AIza", k_gcp_api_key, is_url_b64, 35, 35);
}

// Azure storage account keys in connection strings (AccountKey=<88 base64>) and Service Bus /
// Event Hubs shared access keys (SharedAccessKey=<44 base64>): the value is redacted.
std::optional<Found> match_azure_key(std::string_view t, std::size_t i) {
  for (auto [prefix, min] : {std::pair<std::string_view, std::size_t>{"AccountKey=", 80},
                             std::pair<std::string_view, std::size_t>{"SharedAccessKey=", 40}}) {
    if (starts(t, i, prefix)) {
      const std::size_t start = i + prefix.size();
      const std::size_t n = run(
          t, start, [](char c) { return is_b64(c) || c == '='; }, 200);
      if (n >= min && n < 200) {
        return Found{k_azure_storage, start, n};
      }
    }
  }
  return std::nullopt;
}

// GitHub: ghp_ (classic PAT), gho_ (OAuth), ghu_ (user-to-server), ghs_ (server-to-server),
// ghr_ (refresh) + 36 alphanumerics; github_pat_ + 22 + "_" + 59 (fine-grained PAT).
std::optional<Found> match_github(std::string_view t, std::size_t i) {
  for (std::string_view p : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    if (auto f = prefixed(t, i, p, k_github_token, is_alnum, 36, 255)) {
      return f;
    }
  }
  return prefixed(t, i, "github_pat_", k_github_pat, is_word, 70, 255);
}

// GitLab: personal (glpat-), pipeline trigger (glptt-), deploy (gldt-), runner (glrt-) tokens;
// 20 or more of [A-Za-z0-9_-] (newer tokens also carry `.` segments).
std::optional<Found> match_gitlab(std::string_view t, std::size_t i) {
  for (std::string_view p : {"glpat-", "glptt-", "gldt-", "glrt-"}) {
    if (auto f = prefixed(
            t, i, p, k_gitlab_token, [](char c) { return is_url_b64(c) || c == '.'; }, 20, 300)) {
      return f;
    }
  }
  return std::nullopt;
}

// Slack tokens: xoxb- (bot), xoxp- (user), xoxa-, xoxr-, xoxs-, xoxe- and app tokens xapp-;
// numeric segments joined by '-', so at least one digit.
std::optional<Found> match_slack_token(std::string_view t, std::size_t i) {
  for (std::string_view p : {"xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-"}) {
    auto f = prefixed(t, i, p, k_slack_token, is_url_b64, 10, 300);
    if (f && has_digit(t.substr(i + p.size(), f->length - p.size()))) {
      return f;
    }
  }
  return std::nullopt;
}

// Webhook URLs whose path is the secret: Slack incoming webhooks and workflow triggers, Discord
// webhooks (numeric id / 68-character token).
std::optional<Found> match_webhook(std::string_view t, std::size_t i) {
  if (!starts(t, i, "https://")) {
    return std::nullopt;
  }
  auto path_run = [](char c) { return is_url_b64(c) || c == '/'; };
  for (std::string_view p :
       {"https://hooks.slack.com/services/", "https://hooks.slack.com/workflows/",
        "https://hooks.slack.com/triggers/"}) {
    if (starts(t, i, p)) {
      const std::size_t n = run(t, i + p.size(), path_run, 300);
      if (n >= 20) {
        return Found{k_slack_webhook, i, p.size() + n};
      }
    }
  }
  for (std::string_view p :
       {"https://discord.com/api/webhooks/", "https://discordapp.com/api/webhooks/",
        "https://ptb.discord.com/api/webhooks/", "https://canary.discord.com/api/webhooks/"}) {
    if (starts(t, i, p)) {
      const std::size_t id = run(t, i + p.size(), is_digit, 25);
      if (id < 17 || id > 20 || i + p.size() + id >= t.size() || t[i + p.size() + id] != '/') {
        continue;
      }
      const std::size_t token = run(t, i + p.size() + id + 1, is_url_b64, 200);
      if (token >= 60) {
        return Found{k_discord_webhook, i, p.size() + id + 1 + token};
      }
    }
  }
  return std::nullopt;
}

// sk-... : Anthropic (sk-ant-api03-, sk-ant-admin01-, sk-ant-oat01- ...), OpenAI project,
// service-account and admin keys (sk-proj-, sk-svcacct-, sk-admin-), OpenAI keys carrying the
// "T3BlbkFJ" marker, and legacy OpenAI keys (sk- + 48 alphanumerics).
std::optional<Found> match_sk_dash(std::string_view t, std::size_t i) {
  if (!starts(t, i, "sk-") || !left_free(t, i)) {
    return std::nullopt;
  }
  const std::size_t n = run(t, i + 3, is_url_b64, 1024);
  const std::string_view body = t.substr(i + 3, n);
  if (body.substr(0, 4) == "ant-") {
    return n >= 36 ? std::optional<Found>(Found{k_anthropic, i, 3 + n}) : std::nullopt;
  }
  for (std::string_view p : {"proj-", "svcacct-", "admin-", "None-"}) {
    if (body.substr(0, p.size()) == p && n >= p.size() + 32) {
      return Found{k_openai, i, 3 + n};
    }
  }
  if (n >= 32 && body.find("T3BlbkFJ") != std::string_view::npos) {
    return Found{k_openai, i, 3 + n};
  }
  if (n == 48 && run(t, i + 3, is_alnum, 49) == 48 && has_digit(body)) {
    return Found{k_openai, i, 3 + n};
  }
  return std::nullopt;
}

// Stripe secret and restricted keys: sk_live_, rk_live_, sk_test_, rk_test_ + 16..99 alnum.
std::optional<Found> match_stripe(std::string_view t, std::size_t i) {
  for (std::string_view p : {"sk_live_", "rk_live_", "sk_test_", "rk_test_", "sk_prod_"}) {
    if (auto f = prefixed(t, i, p, k_stripe, is_alnum, 16, 99)) {
      return f;
    }
  }
  return std::nullopt;
}

// Hugging Face user access tokens: hf_ + 34 letters (mixed case; digits tolerated).
std::optional<Found> match_huggingface(std::string_view t, std::size_t i) {
  auto f = prefixed(t, i, "hf_", k_huggingface, is_alnum, 30, 40);
  if (!f) {
    return std::nullopt;
  }
  bool upper = false;
  bool low = false;
  for (char c : t.substr(i + 3, f->length - 3)) {
    upper = upper || is_upper(c);
    low = low || is_lower(c);
  }
  return upper && low ? f : std::nullopt;
}

// npm access tokens: npm_ + 36 alphanumerics.
std::optional<Found> match_npm(std::string_view t, std::size_t i) {
  auto f = prefixed(t, i, "npm_", k_npm, is_alnum, 36, 36);
  return f && has_digit(t.substr(i + 4, 36)) ? f : std::nullopt;
}

// PyPI API tokens: pypi- + a macaroon whose base64 starts "AgEIcHlwaS5vcmc" (pypi.org) or
// "AgENdGVzdC5weXBpLm9yZw" (test.pypi.org); real ones are 150+ characters.
std::optional<Found> match_pypi(std::string_view t, std::size_t i) {
  if (auto f = prefixed(t, i, "pypi-AgEIcHlwaS5vcmc", k_pypi, is_url_b64, 50)) {
    return f;
  }
  return prefixed(t, i, "pypi-AgENdGVzdC5weXBpLm9yZw", k_pypi, is_url_b64, 50);
}

// Twilio API key SIDs: SK + 32 lowercase hex.
std::optional<Found> match_twilio(std::string_view t, std::size_t i) {
  auto f = prefixed(t, i, "SK", k_twilio, is_lower_hex, 32, 32);
  return f && right_free(t, i + 34) ? f : std::nullopt;
}

// SendGrid API keys: SG. + 22 + "." + 43 of [A-Za-z0-9_-].
std::optional<Found> match_sendgrid(std::string_view t, std::size_t i) {
  if (!starts(t, i, "SG.") || !left_free(t, i)) {
    return std::nullopt;
  }
  const std::size_t a = run(t, i + 3, is_url_b64, 23);
  if (a != 22 || i + 3 + a >= t.size() || t[i + 3 + a] != '.') {
    return std::nullopt;
  }
  const std::size_t b = run(t, i + 4 + a, is_url_b64, 44);
  if (b != 43) {
    return std::nullopt;
  }
  return Found{k_sendgrid, i, 4 + a + b};
}

// Mailgun private API keys: key- + 32 hex.
std::optional<Found> match_mailgun(std::string_view t, std::size_t i) {
  auto f = prefixed(t, i, "key-", k_mailgun, is_lower_hex, 32, 32);
  return f && right_free(t, i + 36) && has_digit(t.substr(i + 4, 32)) ? f : std::nullopt;
}

// DigitalOcean personal access (dop_v1_), OAuth (doo_v1_) and refresh (dor_v1_) tokens:
// prefix + 64 hex.
std::optional<Found> match_digitalocean(std::string_view t, std::size_t i) {
  for (std::string_view p : {"dop_v1_", "doo_v1_", "dor_v1_"}) {
    if (auto f = prefixed(t, i, p, k_digitalocean, is_lower_hex, 64, 64)) {
      return f;
    }
  }
  return std::nullopt;
}

// Shopify access tokens: shpat_ (admin API), shpca_ (custom app), shppa_ (private app), shpss_
// (shared secret) + 32 hex.
std::optional<Found> match_shopify(std::string_view t, std::size_t i) {
  for (std::string_view p : {"shpat_", "shpca_", "shppa_", "shpss_"}) {
    if (auto f = prefixed(t, i, p, k_shopify, is_hex, 32, 32)) {
      return f;
    }
  }
  return std::nullopt;
}

// JSON Web Tokens: base64url header "eyJ..." "." payload "eyJ..." "." signature (the signature
// may be empty for alg "none").
std::optional<Found> match_jwt(std::string_view t, std::size_t i) {
  if (!starts(t, i, "eyJ") || !left_free(t, i)) {
    return std::nullopt;
  }
  auto seg = [](char c) { return is_url_b64(c); };
  const std::size_t header = run(t, i, seg);
  if (header < 10 || i + header >= t.size() || t[i + header] != '.') {
    return std::nullopt;
  }
  const std::size_t p = i + header + 1;
  if (!starts(t, p, "eyJ")) {
    return std::nullopt;
  }
  const std::size_t payload = run(t, p, seg);
  if (payload < 10 || p + payload >= t.size() || t[p + payload] != '.') {
    return std::nullopt;
  }
  const std::size_t signature = run(t, p + payload + 1, seg);
  return Found{k_jwt, i, header + 1 + payload + 1 + signature};
}

// PEM and PGP private keys: "-----BEGIN [TYPE ]PRIVATE KEY[ BLOCK]-----" to the matching END
// line (in a file or JSON-escaped in a string, as in GCP service-account JSON). Without an END,
// the header and the base64 body after it.
std::optional<Found> match_private_key(Scan& s, std::size_t i) {
  const std::string_view t = s.t;
  if (!starts(t, i, "-----BEGIN ")) {
    return std::nullopt;
  }
  const std::size_t label = i + 11;
  const std::size_t label_len = run(
      t, label, [](char c) { return is_upper(c) || c == ' '; }, 64);
  const std::string_view name = t.substr(label, label_len);
  if (name.find("PRIVATE KEY") == std::string_view::npos ||
      !starts(t, label + label_len, "-----")) {
    return std::nullopt;
  }
  const std::size_t body = label + label_len + 5;
  std::string_view kind = k_private_key;
  const std::size_t back = i >= 40 ? i - 40 : 0;
  if (t.substr(back, i - back).find("\"private_key\"") != std::string_view::npos ||
      t.substr(back, i - back).find("\\\"private_key\\\"") != std::string_view::npos) {
    kind = k_gcp_service_account;
  }
  const std::size_t end = next_end_line(s, body);
  if (end != std::string_view::npos && end - body <= k_max_private_key) {
    const std::size_t close = t.substr(0, std::min(t.size(), end + 80)).find("-----", end + 9);
    if (close != std::string_view::npos) {
      return Found{kind, i, close + 5 - i};
    }
  }
  const std::size_t n = run(
      t, body, [](char c) { return is_b64(c) || c == '=' || c == '\n' || c == '\r' || c == '\\'; },
      64 << 10);
  return Found{kind, i, body - i + n};
}

bool is_redacted_marker(std::string_view value) {
  return value.substr(0, 10) == "[REDACTED:";
}

// The shaped tokens, anchored at `i`. The byte after the first is checked before any matcher
// runs: most text is letters that start no token, and this keeps the pass at a few nanoseconds
// a byte.
std::optional<Found> match_token(Scan& s, std::size_t i) {
  const std::string_view t = s.t;
  if (i + 1 >= t.size()) {
    return std::nullopt;
  }
  const char second = t[i + 1];
  switch (t[i]) {
  case 'A':
    if (auto f = match_aws_key_id(t, i)) {
      return f;
    }
    if (second == 'I') {
      return match_gcp_api_key(t, i);
    }
    return second == 'c' ? match_azure_key(t, i) : std::nullopt;
  case 'S':
    if (second == 'G') {
      return match_sendgrid(t, i);
    }
    if (second == 'K') {
      return match_twilio(t, i);
    }
    return second == 'h' ? match_azure_key(t, i) : std::nullopt;
  case 'e':
    return second == 'y' ? match_jwt(t, i) : std::nullopt;
  case 'g':
    if (second == 'h' || second == 'i') {
      return match_github(t, i);
    }
    return second == 'l' ? match_gitlab(t, i) : std::nullopt;
  case 'x':
    return second == 'o' || second == 'a' ? match_slack_token(t, i) : std::nullopt;
  case 'h':
    if (second == 't') {
      return match_webhook(t, i);
    }
    return second == 'f' ? match_huggingface(t, i) : std::nullopt;
  case 's':
    if (second == 'k') {
      if (auto f = match_sk_dash(t, i)) {
        return f;
      }
      return match_stripe(t, i);
    }
    return second == 'h' ? match_shopify(t, i) : std::nullopt;
  case 'r':
    return second == 'k' ? match_stripe(t, i) : std::nullopt;
  case 'n':
    return second == 'p' ? match_npm(t, i) : std::nullopt;
  case 'p':
    return second == 'y' ? match_pypi(t, i) : std::nullopt;
  case 'd':
    return second == 'o' ? match_digitalocean(t, i) : std::nullopt;
  case 'k':
    return second == 'e' ? match_mailgun(t, i) : std::nullopt;
  case '-':
    return second == '-' ? match_private_key(s, i) : std::nullopt;
  default:
    return std::nullopt;
  }
}

// A shaped token anywhere in [from, to): then the value is left to that matcher.
bool contains_token(Scan& s, std::size_t from, std::size_t to) {
  std::size_t p = from;
  if (from >= s.clean_from && from <= s.clean_to) {
    p = s.clean_to; // already known clean up to there
  } else {
    s.clean_from = from;
    s.clean_to = from;
  }
  for (; p < to; ++p) {
    if (match_token(s, p)) {
      s.clean_to = p;
      return true;
    }
  }
  s.clean_to = std::max(s.clean_to, to);
  return false;
}

bool is_placeholder(std::string_view v) {
  const char first = v.front();
  if (first == '$' || first == '<' || first == '{' || first == '%' || first == '(' ||
      first == '*' || first == '[' || first == '/' || first == '~' || first == '.') {
    return true; // $VAR, ${VAR}, <your token>, {{ secret }}, %s, ***, paths
  }
  if (v.find("...") != std::string_view::npos || v.find("://") != std::string_view::npos) {
    return true;
  }
  bool same = true;
  for (char c : v) {
    same = same && lower(c) == lower(first);
  }
  return same; // xxxxxxxx, 00000000
}

// Whether the value assigned to a secret-like name looks like a real secret: long enough,
// several character classes, high enough entropy, and not a word, an identifier or a path.
bool looks_secret(std::string_view v, bool password_name) {
  if (v.size() < 6 || is_redacted_marker(v) || is_placeholder(v)) {
    return false;
  }
  bool low = false;
  bool up = false;
  bool digit = false;
  bool symbol = false;
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) {
      return false; // prose, or binary
    }
    low = low || is_lower(c);
    up = up || is_upper(c);
    digit = digit || is_digit(c);
    symbol = symbol || !(is_alnum(c) || c == '_' || c == '-' || c == '.');
  }
  const int classes = int(low) + int(up) + int(digit) + int(symbol);
  const double entropy = shannon_entropy(v);
  if (classes < 2) {
    return false; // a word, CONSTANT_NAME, a number
  }
  if (!digit && !symbol && (!low || !up)) {
    return false; // snake_case or kebab-case words
  }
  if (password_name) {
    return entropy >= 2.5;
  }
  return v.size() >= 12 && entropy >= 3.0;
}

// The secret-like name ending before `end` (whitespace, a closing quote, an escaping backslash
// and a ':' of ':=' skipped), lower-cased with separators dropped: "DB_PASSWORD" -> "dbpassword".
std::string name_before(std::string_view t, std::size_t end) {
  std::size_t j = end;
  std::size_t skipped = 0;
  while (j > 0 && is_space(t[j - 1]) && skipped++ < 8) {
    --j;
  }
  if (j > 0 && t[j - 1] == ':') {
    --j;
  }
  if (j > 0 && is_quote(t[j - 1])) {
    --j;
    if (j > 0 && t[j - 1] == '\\') {
      --j;
    }
  }
  std::string name;
  std::size_t n = 0;
  while (j > 0 && n < k_max_name &&
         (is_alnum(t[j - 1]) || t[j - 1] == '_' || t[j - 1] == '-' || t[j - 1] == '.')) {
    --j;
    ++n;
  }
  if (n == k_max_name) {
    return {};
  }
  for (char c : t.substr(j, n)) {
    if (is_alnum(c)) {
      name += lower(c);
    }
  }
  return name;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

enum class NameKind { none, password, secret, gcp_key_id };

NameKind classify_name(std::string_view name) {
  for (std::string_view p : {"password", "passwd", "pwd", "passphrase"}) {
    if (ends_with(name, p)) {
      return NameKind::password;
    }
  }
  if (ends_with(name, "privatekeyid")) {
    return NameKind::gcp_key_id;
  }
  for (std::string_view s : {"secret", "token", "apikey", "accesskey", "secretkey", "privatekey",
                             "authkey", "credential", "credentials", "clientsecret"}) {
    if (ends_with(name, s)) {
      return NameKind::secret;
    }
  }
  return NameKind::none;
}

// `name = value`, `name: value`, `"name": "value"`, `name := value`, `name => value`: the value
// when `name` is secret-like and the value looks like a secret. Triggered at the '=' or ':'.
std::optional<Found> match_assignment(Scan& s, std::size_t i) {
  const std::string_view t = s.t;
  const char op = t[i];
  const char next = i + 1 < t.size() ? t[i + 1] : '\0';
  const char prev = i > 0 ? t[i - 1] : '\0';
  std::size_t k = i + 1;
  if (op == '=') {
    if (next == '=' || prev == '=' || prev == '!' || prev == '<' || prev == '>') {
      return std::nullopt; // a comparison
    }
    if (next == '>') {
      ++k;
    }
  } else {
    if (next == ':' || prev == ':' || next == '/') {
      return std::nullopt; // a scope (a::b) or a URL
    }
    if (next == '=') {
      ++k;
    }
  }
  const std::string name = name_before(t, i);
  const NameKind name_kind = name.empty() ? NameKind::none : classify_name(name);
  if (name_kind == NameKind::none) {
    return std::nullopt;
  }
  std::size_t skipped = 0;
  while (k < t.size() && is_space(t[k]) && skipped++ < 8) {
    ++k;
  }
  bool escaped_quote = k + 1 < t.size() && t[k] == '\\' && is_quote(t[k + 1]);
  const char quote = escaped_quote ? t[k + 1] : (k < t.size() && is_quote(t[k]) ? t[k] : '\0');
  const std::size_t start = k + (escaped_quote ? 2 : (quote != '\0' ? 1 : 0));
  std::size_t end = start;
  while (end < t.size() && end - start <= k_max_value) {
    const char c = t[end];
    if (quote != '\0') {
      if (c == '\n' || (!escaped_quote && c == quote) ||
          (escaped_quote && c == '\\' && end + 1 < t.size() && t[end + 1] == quote)) {
        break;
      }
    } else if (c == '\n' || c == '\r' || is_space(c) || is_quote(c) || c == ',' || c == ';' ||
               c == ')' || c == ']' || c == '}' || c == '(' || c == '>' || c == '\\' || c == ':' ||
               (c == '=' && end + 1 < t.size() && is_alnum(t[end + 1]))) {
      break; // (':' and '=' inside: the next assignment, which is tried on its own)
    }
    ++end;
  }
  if (end - start > k_max_value || end == start) {
    return std::nullopt;
  }
  if (quote != '\0' && (end >= t.size() || t[end] == '\n')) {
    return std::nullopt; // unterminated string
  }
  const std::string_view value = t.substr(start, end - start);
  if (quote == '\0' && end < t.size() && t[end] == '(') {
    return std::nullopt; // a call: get_password()
  }
  if (contains_token(s, start, end)) {
    return std::nullopt; // the shaped-token matcher names it better
  }
  if (name_kind == NameKind::gcp_key_id) {
    if (value.size() == 40 && run(value, 0, is_lower_hex) == 40) {
      return Found{k_gcp_service_account, start, value.size()};
    }
    return std::nullopt;
  }
  if (!looks_secret(value, name_kind == NameKind::password)) {
    return std::nullopt;
  }
  const bool aws = name.find("aws") != std::string::npos || ends_with(name, "secretaccesskey");
  if (aws && value.size() == 40 && run(value, 0, [](char c) { return is_b64(c); }) == 40) {
    return Found{k_aws_secret, start, value.size()};
  }
  return Found{k_assignment, start, value.size()};
}

bool is_url_placeholder(std::string_view password) {
  if (password.empty() || is_redacted_marker(password)) {
    return true;
  }
  const char first = password.front();
  if (first == '$' || first == '<' || first == '{' || first == '%' || first == '[') {
    return true;
  }
  std::string low;
  for (char c : password) {
    low += lower(c);
  }
  for (std::string_view p : {"password", "pass", "passwd", "pwd", "secret", "pw"}) {
    if (low == p) {
      return true;
    }
  }
  bool same = true;
  for (char c : low) {
    same = same && (c == low.front());
  }
  return same; // ****, xxxx
}

// scheme://user:password@host: the password (only). Triggered at the ':' of "://".
std::optional<Found> match_url_password(Scan& s, std::size_t i) {
  const std::string_view t = s.t;
  if (!starts(t, i, "://") || i == 0 || !is_alpha(t[i - 1])) {
    return std::nullopt;
  }
  const std::size_t from = i + 3;
  std::size_t at = std::string_view::npos;
  std::size_t colon = std::string_view::npos;
  for (std::size_t p = from; p < t.size() && p - from < k_max_authority; ++p) {
    const char c = t[p];
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '?' || c == '#' || u <= ' ' || is_quote(c) || c == '<' || c == '>') {
      break;
    }
    if (c == ':' && colon == std::string_view::npos && at == std::string_view::npos) {
      colon = p;
    }
    if (c == '@') {
      at = p; // the last '@' ends the user info
    }
  }
  if (at == std::string_view::npos || colon == std::string_view::npos || colon > at ||
      colon == from || (colon >= 9 && is_redacted_marker(t.substr(colon - 9, 10)))) {
    return std::nullopt; // no user:password, or the user part is already a redaction
  }
  const std::size_t start = colon + 1;
  const std::string_view password = t.substr(start, at - start);
  if (is_url_placeholder(password)) {
    return std::nullopt;
  }
  if (auto token = match_token(s, start); token && token->length <= password.size()) {
    return Found{token->kind, start, password.size()};
  }
  return Found{k_url_password, start, password.size()};
}

std::optional<Found> match_at(Scan& s, std::size_t i) {
  const char c = s.t[i];
  if (c == ':') {
    if (auto f = match_url_password(s, i)) {
      return f;
    }
    return match_assignment(s, i);
  }
  if (c == '=') {
    return match_assignment(s, i);
  }
  return match_token(s, i);
}

} // namespace

std::vector<SecretMatch> find_secrets(std::string_view text) {
  static const std::array<bool, 256> trigger = [] {
    std::array<bool, 256> table{};
    for (char c : std::string_view("ASegxhsrnpdk-:=")) {
      table[static_cast<unsigned char>(c)] = true;
    }
    return table;
  }();
  std::vector<SecretMatch> out;
  Scan scan{text};
  std::size_t i = 0;
  while (i < text.size()) {
    if (!trigger[static_cast<unsigned char>(text[i])]) {
      ++i;
      continue;
    }
    if (auto f = match_at(scan, i); f && f->length > 0) {
      out.push_back(SecretMatch{std::string(f->kind), f->offset, f->length});
      i = f->offset + f->length;
    } else {
      ++i;
    }
  }
  return out;
}

Redaction redact_secrets(std::string_view text) {
  Redaction result;
  result.matches = find_secrets(text);
  result.text.reserve(text.size());
  std::size_t pos = 0;
  for (const SecretMatch& m : result.matches) {
    result.text.append(text.substr(pos, m.offset - pos));
    result.text += "[REDACTED:" + m.kind + "]";
    pos = m.offset + m.length;
  }
  result.text.append(text.substr(pos));
  return result;
}

const std::vector<SecretKind>& secret_kinds() {
  static const std::vector<SecretKind> kinds = {
      {k_aws_key_id, "AWS access key id (AKIA/ASIA/ABIA/ACCA + 16 characters)"},
      {k_aws_secret, "AWS secret access key (40 base64 characters assigned to an AWS name)"},
      {k_gcp_api_key, "Google Cloud / Google API key (AIza + 35 characters)"},
      {k_gcp_service_account,
       "Google Cloud service-account key JSON (private_key block, private_key_id)"},
      {k_azure_storage, "Azure storage account key or shared access key in a connection string"},
      {k_github_token, "GitHub token (ghp_, gho_, ghu_, ghs_, ghr_ + 36 characters)"},
      {k_github_pat, "GitHub fine-grained personal access token (github_pat_...)"},
      {k_gitlab_token, "GitLab token (glpat-, glptt-, gldt-, glrt-)"},
      {k_slack_token, "Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe-, xapp-)"},
      {k_slack_webhook, "Slack incoming webhook or workflow URL (hooks.slack.com)"},
      {k_stripe, "Stripe secret or restricted key (sk_live_, rk_live_, sk_test_, rk_test_)"},
      {k_openai, "OpenAI API key (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-...)"},
      {k_anthropic, "Anthropic API key (sk-ant-...)"},
      {k_huggingface, "Hugging Face access token (hf_...)"},
      {k_npm, "npm access token (npm_ + 36 characters)"},
      {k_pypi, "PyPI API token (pypi-AgEI...)"},
      {k_twilio, "Twilio API key SID (SK + 32 hex)"},
      {k_sendgrid, "SendGrid API key (SG.<22>.<43>)"},
      {k_mailgun, "Mailgun private API key (key- + 32 hex)"},
      {k_discord_webhook, "Discord webhook URL (discord.com/api/webhooks/<id>/<token>)"},
      {k_digitalocean, "DigitalOcean token (dop_v1_, doo_v1_, dor_v1_ + 64 hex)"},
      {k_shopify, "Shopify access token or shared secret (shpat_, shpca_, shppa_, shpss_)"},
      {k_private_key, "Private key block (-----BEGIN ... PRIVATE KEY----- to its END line)"},
      {k_jwt, "JSON Web Token (eyJ....eyJ....signature)"},
      {k_url_password, "Password in a URL (scheme://user:password@host; the password only)"},
      {k_assignment, "High-entropy value assigned to a secret-like name (password, secret, "
                     "token, api_key, access_key, client_secret ...)"},
  };
  return kinds;
}

} // namespace agate::gate
