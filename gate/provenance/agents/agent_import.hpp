// Agent importers: the human's prompt for a change, read from a coding agent's own data, for
// `agate record --from AGENT`.
//
// Each agent keeps its conversation in its own shape (docs/agents.md says which and how agate is
// hooked into each): Claude Code passes a JSON payload to its hooks and keeps a JSONL transcript,
// Codex CLI writes a session rollout JSONL, Aider appends a Markdown chat history. An importer
// turns one of them into the same `ImportedPrompt`: the human's words for this change, a readable
// excerpt of the last turns, and what the data says about the agent and its model.
//
// Which turns belong to "this change": the user turns after the last turn whose work ended in a
// git commit (a `git commit` the agent ran, or Aider's `> Commit <hash>` line), so the last user
// turn always belongs even when the agent committed its own work in that turn. When the data
// shows no commit at all, only the last user turn (earlier turns may have gone into commits made
// outside the agent). Several turns are joined by a blank line.
//
// Not the human's words, so never part of the prompt: tool results, Claude Code's meta lines,
// slash-command and local-command lines and sidechains (subagents), Codex's injected
// environment/instruction blocks (`<environment_context>`, `# AGENTS.md instructions ...`,
// `<user_instructions>` ...), Aider's `/add`-style commands and `> ` tool output.
//
// Files are read line by line with a cap on one line (k_max_import_line: a longer line is
// skipped), so a transcript of hundreds of megabytes is never held in memory; a line that is not
// JSON is skipped, and an import fails only when nothing usable is left, with a one-line message.
// Importers do not redact: the caller runs redact_secrets on what they return.
#pragma once

#include "gate/util/error.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace agate::gate {

// A transcript line longer than this is skipped (a JSONL line with a huge tool result).
inline constexpr std::size_t k_max_import_line = 16 << 20;
// A plain-text prompt file larger than this is refused.
inline constexpr std::size_t k_max_prompt_file = 32 << 20;
// The transcript excerpt: the last turns as text, at most this many bytes.
inline constexpr std::size_t k_max_transcript_excerpt = 16 << 10;

struct ImportedPrompt {
  std::string tool;               // "claude-code", "codex", "aider", "text"
  std::string tool_version;       // when the agent's data says
  std::string model;              // when the agent's data says
  std::string session_id;         // when known
  std::string prompt;             // the human's words for this change (turns joined by "\n\n")
  std::string transcript_excerpt; // the last turns as readable text, at most 16 KiB
  std::string transcript_ref;     // where the full transcript is (a path), when known
  int user_turns = 0;             // how many user turns the prompt joins
};

// Claude Code: the JSON its hooks pass on standard input (UserPromptSubmit has `prompt`;
// Stop/PostToolUse give `transcript_path`, whose transcript is read then).
Result<ImportedPrompt> import_claude_code_hook(std::string_view payload_json);
Result<ImportedPrompt> import_claude_code_transcript(const std::filesystem::path& jsonl);
// Codex CLI: a session rollout JSONL (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl).
Result<ImportedPrompt> import_codex_rollout(const std::filesystem::path& jsonl);
// Aider: .aider.chat.history.md; the `#### ` user turns since the last commit aider made.
Result<ImportedPrompt> import_aider_history(const std::filesystem::path& markdown);
// Anything else: the file's text is the prompt (refused when empty, binary or too large).
Result<ImportedPrompt> import_text_file(const std::filesystem::path& path);

} // namespace agate::gate
