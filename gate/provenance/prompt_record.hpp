// The prompt record: the human's prompt for a change, committed with the change as
// `.agate/prompts/<id>.json` and linked from the commit message by `Agate-Prompt: <id>`.
//
// Plain data plus its JSON form (schema version 1, documented in docs/prompt-records.md) and a
// validator that names the field that is wrong, because a record is read from commits that
// anyone (an agent, a pull request) may have written: every field is checked, the id must be safe
// as a file name and match the file's name, and unknown versions are refused rather than
// guessed at.
#pragma once

#include "gate/util/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

inline constexpr int k_prompt_record_version = 1;
inline constexpr std::string_view k_prompts_dir = ".agate/prompts";
// A prompt longer than this is cut (at a UTF-8 boundary) when recorded, and the cut said in the
// record: a record is a file in the repository, not an archive.
inline constexpr std::size_t k_max_prompt_bytes = 1 << 20;
inline constexpr std::size_t k_max_excerpt_bytes = 16 << 10;
// A record file larger than this is invalid without being parsed.
inline constexpr std::size_t k_max_record_bytes = 4 << 20;

struct RecordRedaction {
  std::string field; // "prompt" or "transcript.excerpt"
  std::string kind;  // the secret kind, e.g. "github-token"
  int count = 0;
};

struct PromptRecord {
  int version = k_prompt_record_version;
  std::string id;
  std::string created_at; // RFC 3339, UTC: 2026-11-25T05:42:00Z
  std::string tool;       // agent name: "claude-code", "codex", "aider", or what --tool says
  std::string tool_version;
  std::string model;
  std::string prompt;
  std::size_t prompt_bytes = 0; // the prompt's size before any cut
  bool prompt_truncated = false;
  // Optional transcript: an excerpt and where the whole is.
  std::string transcript_excerpt;
  std::string transcript_ref;
  std::string session_id;
  std::vector<std::string> files;                 // paths the change touches
  std::string diff_sha256;                        // see gate/provenance/diff_hash.hpp
  std::map<std::string, std::string> file_sha256; // per file, same normalization
  int added_lines = 0;
  int deleted_lines = 0;
  std::vector<RecordRedaction> redactions; // what was redacted before writing
};

// Whether `id` can name a record file: 1 to 100 characters of [A-Za-z0-9._-], not starting with
// '.' or '-'. (So `../../x`, `a/b` and `` are refused.)
bool is_safe_record_id(std::string_view id);

// A new id: UTC time, then a short hash of the prompt and a random nonce, e.g.
// "20261125T054200Z-3f2a1b9c".
std::string new_record_id(std::string_view prompt, int64_t unix_time);

std::string record_path(std::string_view id); // ".agate/prompts/<id>.json"
// The id of a record path, when `path` is directly under .agate/prompts/ and ends in .json.
std::optional<std::string> record_id_of_path(std::string_view path);
// Why a file under .agate/prompts/ is not a record by its path alone (not `<id>.json` directly
// in the directory); nullopt for a record path or a file elsewhere. Such a file is reported as
// an invalid record: the directory is not analyzed as code, so nothing may hide there.
std::optional<std::string> not_a_record_path(std::string_view path);

nlohmann::json to_json(const PromptRecord& record);
// Pretty JSON with a trailing newline; invalid UTF-8 in any text is replaced (U+FFFD).
std::string serialize(const PromptRecord& record);

// Parses and validates a record file. `path`, when given, must match the record's id. Failures
// name the field: "prompt record .agate/prompts/x.json: field `diff_sha256`: missing".
Result<PromptRecord> parse_prompt_record(std::string_view text, std::string_view path = {});

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view text, std::size_t max_bytes);

} // namespace agate::gate
