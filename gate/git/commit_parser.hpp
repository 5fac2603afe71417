// Reading raw commit objects and commit messages the way git itself does, without libgit2.
//
// Why by hand: the signature analyzer must verify exactly the bytes git signed, and libgit2's
// `git_commit_extract_signature` also matches `gpgsig` lines in the message body, so a message
// that quotes a signature would confuse it. Here the signature header is searched in the HEADER
// ONLY (up to the first blank line), and the signed payload is computed as git's
// `parse_buffer_signed_by_header` does: the object without every `gpgsig*` header and its
// continuation lines.
//
// Trailers follow git's trailer.c (`git interpret-trailers --parse`, git 2.39) line by line: the
// patch part after a `---` line is ignored, so are trailing comment and blank lines and an old
// "Conflicts:" block; the trailer block is the last paragraph (never the title) when all its
// lines are trailers, or when it holds a git-generated one (`Signed-off-by: `, `(cherry picked
// from commit `) and at least 25% trailer lines; continuation lines (starting with whitespace)
// are unfolded into one value. Keys are not canonicalised (no trailer.* configuration applies).
//
// The summary is the first paragraph joined with spaces, as `git log --format=%s` prints it.
// All functions are pure and never fail: bytes that are not UTF-8 are kept as they are.
#pragma once

#include "gate/core/change.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct HeaderField {
  std::string key;   // "tree", "parent", "author", "gpgsig", "mergetag", ...
  std::string value; // continuation lines joined with '\n', their leading space removed
};

struct ParsedCommit {
  std::string header;  // the header lines as stored, each with its '\n' (no blank separator line)
  std::string message; // everything after the blank line that ends the header, as stored
  std::vector<HeaderField> fields; // in order
  std::string tree;
  std::vector<std::string> parents;
  std::string author;          // raw "Name <email> 1700000000 +0000"
  std::string committer;       // raw
  std::string encoding;        // the `encoding` header, empty when absent (UTF-8)
  std::string signature_field; // "gpgsig" (preferred) or "gpgsig-sha256"; empty when unsigned
  std::string signature;       // that header's value, continuation spaces removed, with newlines
  std::string signed_payload;  // the object without any gpgsig* header and continuation lines
};

// Parses a commit object's bytes (as `git cat-file commit <id>` prints them).
ParsedCommit parse_commit_object(std::string_view raw);

struct TrailerOptions {
  std::string separators = ":"; // git's trailer.separators; ":#" also accepts "Key #value"
  char comment_char = '#';      // core.commentChar
};

// The trailers of a commit message, in order, exactly as `git interpret-trailers --parse` lists
// them (key and value trimmed, continuation lines unfolded into single spaces).
std::vector<Trailer> parse_trailers(std::string_view message, const TrailerOptions& options = {});

// The first paragraph of the message on one line (`git log --format=%s`).
std::string message_summary(std::string_view message);

// Parses a raw "Name <email> 1700000000 +0100" identity line; false when it is malformed.
bool parse_person(std::string_view raw, Person& out);

// What the analyzers and the signature policy know of commit `id`, from its raw object alone.
// The one builder of CommitInfo: `agate check` (the change loader) and `agate verify` read a
// commit through it, so they judge the same author, committer, message and signature.
CommitInfo commit_info(std::string id, std::string_view raw);

} // namespace agate::gate
