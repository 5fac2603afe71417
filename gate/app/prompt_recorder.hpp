// `agate record`: writes the prompt record for the staged change and stages it.
//
// The passes: find the prompt (flags, a file, standard input, or an agent's own data through
// gate/agent_import), redact secrets from everything that will be written, read the staged
// change and hash it (gate/diff_hash, prompt records excluded), write
// .agate/prompts/<id>.json atomically, and add it to the index. If staging fails the file is
// removed again, so an interrupted or failed record leaves neither a half-written file nor a
// changed index. Nothing is written before the prompt and the change are known to be usable.
#pragma once

#include "gate/provenance/prompt_record.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace agate::gate {

class Repository;

struct RecordRequest {
  std::optional<std::string> prompt; // --prompt TEXT
  std::string prompt_file;           // --prompt-file FILE ("-" = standard input)
  std::string from;                  // --from AGENT: claude-code, codex, aider, text
  std::string source;                // --session FILE (codex), --history FILE (aider), text file
  std::string tool;                  // --tool NAME (overrides what the agent's data says)
  std::string model;                 // --model NAME
  std::string transcript;            // --transcript FILE: its tail becomes the excerpt
  int64_t now = 0;                   // seconds since the epoch; 0: the clock
  // The policy's `provenance.record_content` and `provenance.max_record_bytes`
  // (gate/provenance/record_privacy.hpp).
  bool keep_transcript = true;
  std::size_t max_record_bytes = k_max_record_bytes;
  std::function<std::optional<std::string>(const char*)> getenv; // for $HOME; empty: std::getenv
};

struct RecordOutcome {
  PromptRecord record;
  std::filesystem::path file;       // absolute path of the written record
  int redacted = 0;                 // secrets replaced
  bool transcript_left_out = false; // the policy keeps prompts only, and there was a transcript
  // The public forge the repository's remote points at, when the record holds a transcript.
  std::optional<std::string> public_remote;
};

// Throws agate::Error with a one-line message on any failure (nothing written then).
RecordOutcome record_prompt(Repository& repo, const RecordRequest& request, std::istream& input);

// The ids of the prompt records the staged change adds or modifies (for the commit-msg hook).
std::vector<std::string> staged_record_ids(Repository& repo);

} // namespace agate::gate
