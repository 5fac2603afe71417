// The change model: what is under review, as plain data read from git by gate/change_loader.
//
// A ChangeSet holds one or more Changes. A Change is what one pass of the analyzers looks at:
// the staged index, the worktree, one commit, or a whole range taken together. For a range,
// the ChangeSet holds one Change per commit (oldest first) followed by one Change for the range
// as a whole (kind == range), so analyzers can judge both each step and the sum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agate::gate {

enum class FileStatus { added, deleted, modified, renamed, copied, type_change };
std::string_view to_string(FileStatus status);

struct DiffLine {
  char origin = ' '; // '+' added, '-' deleted, ' ' context
  int old_line = 0;  // 1-based line in the old file, 0 for an added line
  int new_line = 0;  // 1-based line in the new file, 0 for a deleted line
  std::string text;  // without the trailing newline; raw bytes (a CRLF line keeps its '\r')
};

struct Hunk {
  int old_start = 0;
  int old_lines = 0;
  int new_start = 0;
  int new_lines = 0;
  std::string header; // the "@@ ... @@ context" line
  std::vector<DiffLine> lines;
};

struct FileChange {
  std::string old_path; // empty for an added file
  std::string new_path; // empty for a deleted file
  FileStatus status = FileStatus::modified;
  int similarity = 0;  // for renamed/copied: 0..100
  std::string old_oid; // hex blob id; empty when there is no old side
  std::string new_oid; // hex blob id; empty when there is no new side
  uint32_t old_mode = 0;
  uint32_t new_mode = 0;
  std::vector<Hunk> hunks;
  int added_lines = 0;
  int deleted_lines = 0;

  std::string language; // language id from the syntax table ("python"...), empty if unknown
  // For a file that existed in the base: the language of its old path there (the base's
  // .gitattributes, the old extension); lets the analyzers see code a change hides by renaming
  // it to .txt, a lock-file name or a path they skip.
  std::string old_language;

  // Flags. A file with any of binary/submodule/symlink/too_large/excluded() is not parsed.
  bool binary = false;
  bool submodule = false;
  bool symlink = false;
  bool mode_only = false; // only the file mode changed
  bool too_large = false; // larger than policy.limits.max_file_bytes: skipped with a note
                          // (no hunks; added/deleted_lines still counted up to 64 MiB)
  // The exclusions generated, vendored, lockfile and ignored are judged from the base for a file
  // that existed there (its old path, the base's .gitattributes, its old content), so that a
  // change cannot exclude its own code; from the new side for an added file.
  bool generated = false;     // .gitattributes linguist-generated, or a generated-file marker
  bool vendored = false;      // .gitattributes linguist-vendored, or a vendor/ third_party/ path
  bool lockfile = false;      // package-lock.json, Cargo.lock, ...
  bool prompt_record = false; // under .agate/prompts/ (the new path)
  bool ignored = false;       // matched an ignore glob of the policy

  // The path to show: the new path, or the old one for a deleted file.
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
  // Not code to analyze: generated, vendored, lock file, prompt record or ignored.
  bool excluded() const { return generated || vendored || lockfile || prompt_record || ignored; }
  // Text whose syntax can be read.
  bool parseable() const {
    return !binary && !submodule && !symlink && !too_large && !excluded() && !language.empty();
  }
};

struct Person {
  std::string name;
  std::string email;
  int64_t time = 0;       // seconds since the epoch
  int offset_minutes = 0; // timezone offset
};

struct Trailer {
  std::string key;
  std::string value;
};

struct CommitInfo {
  std::string id;                   // full hex id
  std::vector<std::string> parents; // full hex ids, first parent first
  Person author;
  Person committer;
  std::string message;           // the whole message
  std::string summary;           // first paragraph, joined on one line
  std::vector<Trailer> trailers; // parsed as `git interpret-trailers` does
  std::string raw_header;        // the commit object's header, as stored
  std::string signature_field;   // "gpgsig", "gpgsig-sha256" or empty when unsigned
  std::string signature;         // the signature block, continuation spaces removed
  std::string signed_payload;    // the commit object without its signature headers
};

enum class ChangeKind { staged, worktree, commit, range };
std::string_view to_string(ChangeKind kind);

struct Change {
  ChangeKind kind = ChangeKind::staged;
  std::string label;    // "staged", "worktree", a short commit id, or "BASE..HEAD"
  std::string base_rev; // the old side: a commit id, or empty for a root commit / unborn HEAD
  std::string head_rev; // the new side commit id; empty for staged/worktree
  std::optional<CommitInfo> commit; // for kind == commit
  std::vector<std::string> commits; // for kind == range: the commit ids it covers, oldest first
  std::vector<FileChange> files;
};

struct ChangeSet {
  std::string description; // e.g. "staged changes", "range a1b2c3d..e4f5a6b (12 commits)"
  std::string policy_rev;  // where the policy comes from: a commit id, or empty = the worktree
  std::vector<Change> changes;
};

} // namespace agate::gate
