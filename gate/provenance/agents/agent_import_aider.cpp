// Aider: the chat history Markdown (.aider.chat.history.md in the repository root, or the file
// `--chat-history-file` names).
//
// Aider appends to it as it goes: `# aider chat started at <time>` opens a session; each line the
// user typed is written as `#### <line>` (a multi-line message is several such lines); what aider
// itself prints is quoted, `> <line>` (`> Aider v0.86.1`, `> Main model: <model> with diff edit
// format`, `> Applied edit to app.py`, `> Commit 1a2b3c4 feat: ...`); the model's replies are
// plain Markdown in between. Lines end with two spaces (a Markdown line break), which are dropped.
//
// A `> Commit <hash> ...` line marks the work of the turn before it as committed. In-chat
// commands (`/add`, `/drop`, `/run` ...) are not prompts; `/ask`, `/code` and `/architect` carry
// one after the command word, which is kept.
#include "gate/provenance/agents/agent_import.hpp"

#include "gate/provenance/agents/agent_import_support.hpp"

namespace agate::gate {

namespace fs = std::filesystem;

namespace agent_import {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The prompt in a user message, or "" for an in-chat command that carries none.
std::string aider_prompt(std::string_view message) {
  const std::string_view t = trim(message);
  if (t.empty() || t.front() != '/') {
    return std::string(t);
  }
  for (std::string_view command : {"/ask", "/code", "/architect", "/context"}) {
    if (starts_with(t, command) &&
        (t.size() == command.size() || t[command.size()] == ' ' || t[command.size()] == '\n')) {
      return std::string(trim(t.substr(command.size())));
    }
  }
  return {};
}

bool is_commit_line(std::string_view tool_line) {
  // "Commit 1a2b3c4 message": a short or full hash after the word.
  if (!starts_with(tool_line, "Commit ")) {
    return false;
  }
  std::size_t n = 0;
  const std::string_view rest = tool_line.substr(7);
  while (n < rest.size() &&
         ((rest[n] >= '0' && rest[n] <= '9') || (rest[n] >= 'a' && rest[n] <= 'f'))) {
    ++n;
  }
  return n >= 7 && (n == rest.size() || rest[n] == ' ');
}

} // namespace

} // namespace agent_import

Result<ImportedPrompt> import_aider_history(const fs::path& markdown) {
  using namespace agent_import;
  auto started = Import::start(markdown, "Aider chat history", "aider");
  if (!started.ok()) {
    return fail(started.error());
  }
  Import& import = *started;
  ImportedPrompt& out = import.out;
  Conversation& conversation = import.conversation;
  std::string message; // the user lines of the message being read
  bool in_message = false;
  std::string reply;
  auto end_message = [&] {
    if (in_message) {
      conversation.user(aider_prompt(message));
      message.clear();
      in_message = false;
    }
  };
  auto end_reply = [&] {
    conversation.assistant(reply);
    reply.clear();
  };
  while (auto raw = import.reader->next()) {
    std::string_view line = *raw;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (starts_with(line, "#### ") || line == "####") {
      end_reply();
      if (message.size() < k_max_import_line) {
        message += (in_message ? "\n" : "") + std::string(line.substr(line.size() > 4 ? 5 : 4));
      }
      in_message = true;
      continue;
    }
    end_message();
    if (starts_with(line, "# aider chat started at ")) {
      end_reply();
      out.session_id = std::string(trim(line.substr(24)));
    } else if (starts_with(line, "> ") || line == ">") {
      end_reply();
      const std::string_view said = trim(line.substr(1));
      if (starts_with(said, "Aider v")) {
        out.tool_version = std::string(trim(said.substr(7)));
      } else if (starts_with(said, "Main model: ") || starts_with(said, "Model: ")) {
        const std::string_view rest = said.substr(said.find(':') + 2);
        out.model = std::string(trim(rest.substr(0, rest.find(" with "))));
      } else if (is_commit_line(said)) {
        conversation.commit();
      }
      if (!said.empty()) {
        conversation.tool(said);
      }
    } else {
      if (reply.size() < 2 * k_max_transcript_excerpt) { // the excerpt keeps less anyway
        reply += std::string(line) + "\n";
      }
    }
  }
  end_message();
  end_reply();
  return import.finish();
}

} // namespace agate::gate
