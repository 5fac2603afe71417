// What the agent importers (gate/agent_import_*.cpp) share: a capped line reader, and the
// conversation builder that applies the one rule for which user turns make up "this change" and
// keeps the excerpt of the last turns. Internal to the importers; see
// gate/provenance/agents/agent_import.hpp.
#pragma once

#include "gate/provenance/agents/agent_import.hpp"
#include "gate/util/text.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate::agent_import {

// Reads a file line by line ('\n', a trailing '\r' dropped) in bounded memory. A line longer than
// `max_line` is skipped whole and counted.
class LineReader {
public:
  static Result<std::unique_ptr<LineReader>> open(const std::filesystem::path& path,
                                                  std::string_view what,
                                                  std::size_t max_line = k_max_import_line);
  // The next line, or nullopt at the end of the file (or on a read error: see error()).
  std::optional<std::string_view> next();
  std::size_t lines() const { return m_lines; }
  std::size_t too_long() const { return m_too_long; }
  const std::string& error() const { return m_error; }

private:
  LineReader(std::ifstream in, std::size_t max_line, std::string label)
      : m_in(std::move(in)), m_max_line(max_line), m_label(std::move(label)) {}
  bool fill();

  std::ifstream m_in;
  std::size_t m_max_line;
  std::string m_label;
  std::vector<char> m_buffer = std::vector<char>(64 << 10);
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  bool m_eof = false;
  std::string m_line;
  std::size_t m_lines = 0;
  std::size_t m_too_long = 0;
  std::string m_error;
};

// Parses one JSONL line; nullopt when it is not a JSON object.
std::optional<nlohmann::json> parse_json_object(std::string_view line);
// The string at `key` of a JSON object, or "" when absent or not a string.
std::string string_at(const nlohmann::json& object, std::string_view key);

// Collects a conversation in file order and keeps only what the result needs: the user turns of
// the current change and the tail that becomes the excerpt.
class Conversation {
public:
  // A human turn. An identical turn right after the previous one with nothing in between (the
  // same message written twice, as Codex does) is dropped.
  void user(std::string text);
  void assistant(std::string_view text);
  void tool(std::string_view text); // a tool call, shown in the excerpt as one short line
  // A git commit happened in the work that answers the latest user turn.
  void commit();

  bool has_user_turn() const { return !m_turns.empty(); }
  // The user turns of this change (see agent_import.hpp), joined by a blank line.
  std::string prompt() const;
  int prompt_turns() const;
  std::string excerpt() const;

private:
  void add_entry(std::string_view role, std::string_view text);

  std::deque<std::string> m_turns; // since the last commit (or all, when none was seen)
  std::size_t m_turn_bytes = 0;
  bool m_commit_after_last = false;
  bool m_commit_seen = false;
  bool m_entry_since_user = true;
  struct Entry {
    std::string role;
    std::string text;
  };
  std::deque<Entry> m_tail;
  std::size_t m_tail_bytes = 0;
};

using gate::trim;
// The first line of `text`, cut to `max` bytes, with "..." when anything was left out.
std::string one_line(std::string_view text, std::size_t max = 160);
// Whether `command` (a shell command line) runs `git commit`.
bool runs_git_commit(std::string_view command);
// `path` made absolute (for transcript_ref), or as given when that fails.
std::string absolute_ref(const std::filesystem::path& path);

// The Claude Code transcript, with `extra_prompt` (a hook's `prompt`) as the last user turn when
// the transcript does not end with it yet.
Result<ImportedPrompt> import_claude_code(const std::filesystem::path& jsonl,
                                          std::string_view extra_prompt);

// Whether `path` names a file that can be read: "cannot read <label>: no such file" / "it is a
// directory" otherwise.
Status check_readable(const std::filesystem::path& path, const std::string& label);

// One import in progress: the open file, the result being filled in and the conversation.
struct Import {
  std::unique_ptr<LineReader> reader;
  ImportedPrompt out;
  Conversation conversation;
  std::string what; // "Claude Code transcript", for messages
  std::filesystem::path path;
  std::size_t not_json = 0;

  // Opens `path` for `tool`; `out.tool` and `out.transcript_ref` are set.
  static Result<Import> start(const std::filesystem::path& path, std::string_view what,
                              std::string_view tool);
  // Calls `each` with every line that is a JSON object; the other non-blank lines are counted.
  template <typename Each> void each_json_object(Each&& each) {
    while (auto line = reader->next()) {
      if (auto object = parse_json_object(*line)) {
        each(*object);
      } else if (!trim(*line).empty()) {
        ++not_json;
      }
    }
  }
  // The prompt, turn count and excerpt from the conversation; or the read error, or "no user
  // prompt found" with what was read.
  Result<ImportedPrompt> finish();
};

} // namespace agate::gate::agent_import
