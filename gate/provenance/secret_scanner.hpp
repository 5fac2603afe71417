// Finds and redacts secrets (cloud keys, forge and service tokens, private key blocks, JWTs,
// passwords in URLs, high-entropy values assigned to secret-like names) in a prompt or a
// transcript excerpt before agate writes it into a record that will be committed.
//
// The scanner is a set of small hand-written matchers run in one left-to-right pass: each
// position is tried against the matchers whose trigger (a prefix such as `ghp_`, `AKIA`,
// `-----BEGIN`, an `=`/`:` after a secret-like name, `://` with user info) starts there, and a
// match is skipped over whole, so matches come out in order and never overlap. No regular
// expression engine is used: the input may be a 10 MB paste with megabyte-long lines and binary
// bytes, and backtracking engines recurse or go quadratic on such text. The cost is linear in the
// input (each matcher looks at a bounded window, except a private key block, which stops at its
// END line or 1 MiB).
//
// Formats follow the published token shapes (GitHub's, GitLab's, Slack's, Stripe's ... as
// collected by gitleaks and detect-secrets); docs/agents.md lists the kinds. False positives are
// kept out by exact prefixes and lengths for the shaped tokens, and for the generic assignment
// rule by a name check, a placeholder check and a Shannon-entropy and character-class threshold
// (so `password = "changeme"` or `token: <your token>` stay, `password = "Tr0ub4dor&3"` goes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct SecretMatch {
  std::string kind;       // stable kind id, e.g. "aws-access-key-id", "github-token", "private-key"
  std::size_t offset = 0; // byte offset in the scanned text
  std::size_t length = 0;
};

// Every secret in `text`, in order, non-overlapping.
std::vector<SecretMatch> find_secrets(std::string_view text);

// `text` with each secret replaced by "[REDACTED:<kind>]", and what was replaced (offsets in the
// original text). Redacting redacted text changes nothing.
struct Redaction {
  std::string text;
  std::vector<SecretMatch> matches;
};
Redaction redact_secrets(std::string_view text);

// The kinds the scanner knows, with a one-line description each (for docs and `agate help`).
struct SecretKind {
  std::string_view id;
  std::string_view description;
};
const std::vector<SecretKind>& secret_kinds();

} // namespace agate::gate
