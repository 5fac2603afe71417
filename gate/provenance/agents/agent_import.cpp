// The parts the agent importers share (the capped line reader, the conversation builder and its
// rule for which turns make up a change) and the plain-text importer. The agent-specific readers
// are in agent_import_claude.cpp, agent_import_codex.cpp and agent_import_aider.cpp.
#include "gate/provenance/agents/agent_import.hpp"

#include "gate/provenance/agents/agent_import_support.hpp"
#include "gate/provenance/prompt_record.hpp"
#include "gate/util/file_util.hpp"
#include "gate/util/text.hpp"

#include <cerrno>
#include <cstring>

namespace agate::gate {

namespace fs = std::filesystem;

namespace agent_import {

namespace {

// User turns kept for one change at the most (older ones are dropped first).
constexpr std::size_t k_max_turn_bytes = 32 << 20;

std::string mib(std::uintmax_t bytes) {
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

} // namespace

Status check_readable(const fs::path& path, const std::string& label) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return fail("cannot read " + label + ": no such file");
  }
  if (fs::is_directory(status)) {
    return fail("cannot read " + label + ": it is a directory");
  }
  return success();
}

Result<std::unique_ptr<LineReader>> LineReader::open(const fs::path& path, std::string_view what,
                                                     std::size_t max_line) {
  const std::string label = std::string(what) + " " + path.string();
  if (auto readable = check_readable(path, label); !readable.ok()) {
    return fail(readable.error());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail("cannot read " + label + ": " + std::strerror(errno));
  }
  return std::unique_ptr<LineReader>(new LineReader(std::move(in), max_line, label));
}

bool LineReader::fill() {
  if (m_eof) {
    return false;
  }
  m_in.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
  m_pos = 0;
  m_end = static_cast<std::size_t>(m_in.gcount());
  if (m_end == 0) {
    m_eof = true;
    if (m_in.bad()) {
      m_error = "cannot read " + m_label + ": read error";
    }
    return false;
  }
  return true;
}

std::optional<std::string_view> LineReader::next() {
  m_line.clear();
  bool skipping = false;
  bool any = false;
  for (;;) {
    if (m_pos == m_end && !fill()) {
      if (!any) {
        return std::nullopt;
      }
      ++m_lines;
      if (skipping) {
        ++m_too_long;
        return std::nullopt;
      }
      break;
    }
    any = true;
    const char* begin = m_buffer.data() + m_pos;
    const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', m_end - m_pos));
    const std::size_t n = newline ? static_cast<std::size_t>(newline - begin) : m_end - m_pos;
    if (!skipping) {
      if (m_line.size() + n > m_max_line) {
        skipping = true;
        std::string().swap(m_line); // give the memory back
      } else {
        m_line.append(begin, n);
      }
    }
    m_pos += n;
    if (newline) {
      ++m_pos;
      ++m_lines;
      if (skipping) {
        ++m_too_long;
        skipping = false;
        any = false;
        continue;
      }
      break;
    }
  }
  if (!m_line.empty() && m_line.back() == '\r') {
    m_line.pop_back();
  }
  return std::string_view(m_line);
}

std::optional<nlohmann::json> parse_json_object(std::string_view line) {
  if (trim(line).empty()) {
    return std::nullopt;
  }
  auto value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return std::nullopt;
  }
  return value;
}

std::string string_at(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return {};
  }
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return {};
  }
  return it->get<std::string>();
}

std::string one_line(std::string_view text, std::size_t max) {
  text = trim(text);
  const std::size_t newline = text.find('\n');
  const std::string_view first = trim(text.substr(0, newline));
  std::string out = cut_utf8(first, max);
  if (out.size() < text.size()) {
    out += " ...";
  }
  return out;
}

bool runs_git_commit(std::string_view command) {
  // Each `git` word, then its options (-C DIR and -c KEY=VALUE take a value), then the
  // subcommand, within one simple command (up to ; & | or a newline).
  std::size_t pos = 0;
  while ((pos = command.find("git", pos)) != std::string_view::npos) {
    const bool word_start = pos == 0 || command[pos - 1] == ' ' || command[pos - 1] == '\t' ||
                            command[pos - 1] == ';' || command[pos - 1] == '&' ||
                            command[pos - 1] == '|' || command[pos - 1] == '(' ||
                            command[pos - 1] == '\n' || command[pos - 1] == '"' ||
                            command[pos - 1] == '\'' || command[pos - 1] == '/';
    std::size_t p = pos + 3;
    pos += 3;
    if (!word_start || (p < command.size() && command[p] != ' ' && command[p] != '\t')) {
      continue;
    }
    bool takes_value = false;
    for (;;) {
      while (p < command.size() && (command[p] == ' ' || command[p] == '\t')) {
        ++p;
      }
      std::size_t end = p;
      while (end < command.size() && command[end] != ' ' && command[end] != '\t' &&
             command[end] != ';' && command[end] != '&' && command[end] != '|' &&
             command[end] != '\n' && command[end] != '"' && command[end] != '\'') {
        ++end;
      }
      const std::string_view word = command.substr(p, end - p);
      if (word.empty()) {
        break;
      }
      if (takes_value) {
        takes_value = false;
      } else if (word == "-C" || word == "-c") {
        takes_value = true;
      } else if (word.front() != '-') {
        if (word == "commit") {
          return true;
        }
        break;
      }
      p = end;
    }
  }
  return false;
}

std::string absolute_ref(const fs::path& path) {
  std::error_code ec;
  auto absolute = fs::absolute(path, ec);
  return ec ? path.string() : absolute.lexically_normal().string();
}

Result<Import> Import::start(const fs::path& path, std::string_view what, std::string_view tool) {
  auto opened = LineReader::open(path, what);
  if (!opened.ok()) {
    return fail(opened.error());
  }
  Import import;
  import.reader = std::move(*opened);
  import.out.tool = std::string(tool);
  import.out.transcript_ref = absolute_ref(path);
  import.what = std::string(what);
  import.path = path;
  return import;
}

Result<ImportedPrompt> Import::finish() {
  if (!reader->error().empty()) {
    return fail(reader->error());
  }
  if (!conversation.has_user_turn()) {
    std::string detail = std::to_string(reader->lines()) + " lines read";
    if (not_json > 0) {
      detail += ", " + std::to_string(not_json) + " not JSON";
    }
    if (reader->too_long() > 0) {
      detail += ", " + std::to_string(reader->too_long()) + " longer than " +
                mib(k_max_import_line) + " skipped";
    }
    return fail(what + " " + path.string() + ": no user prompt found (" + detail + ")");
  }
  out.prompt = conversation.prompt();
  out.user_turns = conversation.prompt_turns();
  out.transcript_excerpt = conversation.excerpt();
  return std::move(out);
}

void Conversation::user(std::string text) {
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) {
    return;
  }
  if (trimmed.size() != text.size()) {
    text = std::string(trimmed);
  }
  if (!m_entry_since_user && !m_turns.empty() && m_turns.back() == text) {
    return; // the same message written twice
  }
  if (m_commit_after_last) {
    m_turns.clear();
    m_turn_bytes = 0;
    m_commit_after_last = false;
  }
  add_entry("user", text);
  m_turn_bytes += text.size();
  m_turns.push_back(std::move(text));
  while (m_turn_bytes > k_max_turn_bytes && m_turns.size() > 1) {
    m_turn_bytes -= m_turns.front().size();
    m_turns.pop_front();
  }
  m_entry_since_user = false;
}

void Conversation::assistant(std::string_view text) {
  text = trim(text);
  if (!text.empty()) {
    add_entry("assistant", text);
    m_entry_since_user = true;
  }
}

void Conversation::tool(std::string_view text) {
  add_entry("tool", one_line(text));
  m_entry_since_user = true;
}

void Conversation::commit() {
  if (!m_turns.empty()) {
    m_commit_after_last = true;
    m_commit_seen = true;
  }
}

std::string Conversation::prompt() const {
  if (m_turns.empty()) {
    return {};
  }
  if (!m_commit_seen) {
    return m_turns.back();
  }
  std::string out;
  for (const std::string& turn : m_turns) {
    if (!out.empty()) {
      out += "\n\n";
    }
    out += turn;
  }
  return out;
}

int Conversation::prompt_turns() const {
  if (m_turns.empty()) {
    return 0;
  }
  return m_commit_seen ? static_cast<int>(m_turns.size()) : 1;
}

void Conversation::add_entry(std::string_view role, std::string_view text) {
  if (!m_tail.empty() && m_tail.back().role == role) {
    Entry& last = m_tail.back();
    if (last.text.size() < k_max_transcript_excerpt) {
      m_tail_bytes -= last.text.size();
      last.text = cut_utf8(last.text + "\n" + std::string(text), k_max_transcript_excerpt);
      m_tail_bytes += last.text.size();
    }
  } else {
    m_tail.push_back(Entry{std::string(role), cut_utf8(text, k_max_transcript_excerpt)});
    m_tail_bytes += m_tail.back().text.size();
  }
  while (m_tail_bytes > 2 * k_max_transcript_excerpt && m_tail.size() > 1) {
    m_tail_bytes -= m_tail.front().text.size();
    m_tail.pop_front();
  }
}

std::string Conversation::excerpt() const {
  // The newest entries that fit, oldest first; the newest alone is cut to fit.
  std::vector<std::string> parts;
  std::size_t total = 0;
  for (auto it = m_tail.rbegin(); it != m_tail.rend(); ++it) {
    std::string part = it->role + ": " + it->text;
    const std::size_t cost = part.size() + (parts.empty() ? 0 : 2);
    if (total + cost > k_max_transcript_excerpt) {
      if (parts.empty()) {
        parts.push_back(cut_utf8(part, k_max_transcript_excerpt));
      }
      break;
    }
    total += cost;
    parts.push_back(std::move(part));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty()) {
      out += "\n\n";
    }
    out += *it;
  }
  return out;
}

} // namespace agent_import

Result<ImportedPrompt> import_text_file(const fs::path& path) {
  const std::string label = "prompt file " + path.string();
  if (auto readable = agent_import::check_readable(path, label); !readable.ok()) {
    return fail(readable.error());
  }
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > k_max_prompt_file) {
      return fail(label + " is " + agent_import::mib(size) + "; a prompt file may be at most " +
                  agent_import::mib(k_max_prompt_file));
    }
  }
  auto text = read_file(path);
  if (!text.ok()) {
    return fail(text.error());
  }
  std::string content = std::move(*text);
  if (content.size() > k_max_prompt_file) {
    return fail(label + " is larger than " + agent_import::mib(k_max_prompt_file));
  }
  if (content.find('\0') != std::string::npos) {
    return fail(label + " is binary (it holds NUL bytes), not a text prompt");
  }
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) {
    content.erase(0, 3); // a UTF-8 byte order mark
  }
  const std::string_view prompt = agent_import::trim(content);
  if (prompt.empty()) {
    return fail(label + " is empty: there is no prompt to record");
  }
  ImportedPrompt out;
  out.tool = "text";
  out.prompt = std::string(prompt);
  out.user_turns = 1;
  return out;
}

} // namespace agate::gate
