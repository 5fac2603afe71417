// Codex CLI: a session rollout (~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl).
//
// Each line is {"timestamp", "type", "payload"}: `session_meta` (payload.id, payload.cli_version),
// `turn_context` (payload.model), `response_item` (payload.type "message" with role "user"
// content [{"type":"input_text","text"}] or role "assistant" content
// [{"type":"output_text","text"}]; "function_call" {name, arguments (a JSON string), call_id};
// "local_shell_call" {action: {command: [...]}}; "custom_tool_call" {name, input}; their
// outputs), and `event_msg` (payload.type "user_message" {message}, "agent_message" ...). The
// same human message is written twice, as a response_item and as an event_msg; it is kept once.
// Older rollouts put the ResponseItem itself on the line ({"type":"message","role":"user",...})
// after a first line of session metadata ({"id", "timestamp", "instructions"}); both are read.
//
// Not the human's words: the blocks Codex injects as user messages (environment context,
// AGENTS.md and user instructions, permissions, plugins, skills ...), recognized by their
// opening tag or heading.
#include "gate/provenance/agents/agent_import.hpp"

#include "gate/provenance/agents/agent_import_support.hpp"

namespace agate::gate {

namespace fs = std::filesystem;
using nlohmann::json;

namespace agent_import {

namespace {

bool is_injected(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.substr(0, 24) == "# AGENTS.md instructions") {
    return true;
  }
  for (std::string_view tag :
       {"<environment_context", "<user_instructions", "<INSTRUCTIONS>", "<permissions instructions",
        "<developer_instructions", "<recommended_plugins", "<plugins_instructions",
        "<skills_instructions", "<skill>", "<app-context", "<collaboration_mode", "<turn_aborted",
        "<user_shell_command", "<task-notification", "<subagent_notification"}) {
    if (t.substr(0, tag.size()) == tag) {
      return true;
    }
  }
  return false;
}

// The human's words in a user message's content blocks (input_text), injected blocks left out.
std::string user_text(const json& content) {
  if (content.is_string()) {
    const std::string text = content.get<std::string>();
    return is_injected(text) ? std::string() : text;
  }
  std::string text;
  if (!content.is_array()) {
    return text;
  }
  for (const json& block : content) {
    const std::string type = string_at(block, "type");
    if (type == "input_text" || type == "text") {
      const std::string piece = string_at(block, "text");
      if (!is_injected(piece) && !trim(piece).empty()) {
        text += (text.empty() ? "" : "\n") + std::string(trim(piece));
      }
    }
  }
  return text;
}

std::string assistant_text(const json& content) {
  std::string text;
  if (!content.is_array()) {
    return content.is_string() ? content.get<std::string>() : text;
  }
  for (const json& block : content) {
    const std::string type = string_at(block, "type");
    if (type == "output_text" || type == "text") {
      text += (text.empty() ? "" : "\n") + string_at(block, "text");
    }
  }
  return text;
}

// The command line of a shell tool call, from its JSON-string arguments ({"command": [...] or
// "..."}, {"cmd": "..."}), or "" when it is not one.
std::string command_of(const json& value) {
  for (std::string_view key : {"command", "cmd"}) {
    if (!value.contains(key)) {
      continue;
    }
    const json& command = value.at(key);
    if (command.is_string()) {
      return command.get<std::string>();
    }
    if (command.is_array()) {
      std::string joined;
      for (const auto& part : command) {
        if (const auto* text = part.get_ptr<const std::string*>(); text != nullptr) {
          joined += (joined.empty() ? "" : " ") + *text;
        }
      }
      return joined;
    }
  }
  return {};
}

void read_response_item(const json& item, Conversation& conversation) {
  const std::string type = string_at(item, "type");
  if (type == "message") {
    const std::string role = string_at(item, "role");
    const auto content = item.find("content");
    if (content == item.end()) {
      return;
    }
    if (role == "user") {
      conversation.user(user_text(*content));
    } else if (role == "assistant") {
      conversation.assistant(assistant_text(*content));
    }
  } else if (type == "function_call" || type == "custom_tool_call") {
    const std::string name = string_at(item, "name");
    std::string arguments = string_at(item, "arguments");
    if (arguments.empty()) {
      arguments = string_at(item, "input");
    }
    std::string command;
    if (const auto parsed = parse_json_object(arguments)) {
      command = command_of(*parsed);
    }
    conversation.tool("[" + name + "] " + (command.empty() ? arguments : command));
    if (runs_git_commit(command)) {
      conversation.commit();
    }
  } else if (type == "local_shell_call") {
    const auto action = item.find("action");
    const std::string command =
        action != item.end() && action->is_object() ? command_of(*action) : std::string();
    conversation.tool("[shell] " + command);
    if (runs_git_commit(command)) {
      conversation.commit();
    }
  }
}

} // namespace

} // namespace agent_import

Result<ImportedPrompt> import_codex_rollout(const fs::path& jsonl) {
  using namespace agent_import;
  auto started = Import::start(jsonl, "Codex rollout", "codex");
  if (!started.ok()) {
    return fail(started.error());
  }
  Import& import = *started;
  ImportedPrompt& out = import.out;
  bool first = true;
  import.each_json_object([&](const json& entry) {
    const std::string type = string_at(entry, "type");
  const auto payload_it = entry.find("payload");
  const json& payload = payload_it != entry.end() && payload_it->is_object() ? *payload_it : entry;
  if (type == "session_meta" || (first && type.empty() && entry.contains("id"))) {
    if (auto id = string_at(payload, "id"); !id.empty()) {
      out.session_id = id;
    }
    if (auto version = string_at(payload, "cli_version"); !version.empty()) {
      out.tool_version = version;
    }
    if (auto model = string_at(payload, "model"); !model.empty()) {
      out.model = model;
    }
  } else if (type == "turn_context") {
    if (auto model = string_at(payload, "model"); !model.empty()) {
      out.model = model;
    }
  } else if (type == "response_item") {
    read_response_item(payload, import.conversation);
  } else if (type == "event_msg") {
    if (string_at(payload, "type") == "user_message") {
      const std::string message = string_at(payload, "message");
      if (!is_injected(message)) {
        import.conversation.user(message);
      }
    }
  } else if (payload_it == entry.end()) {
    read_response_item(entry, import.conversation); // the older rollout format
  }
  first = false;
});
return import.finish();
} // namespace agate::gate

} // namespace agate::gate
