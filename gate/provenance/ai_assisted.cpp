// Known agent identities and the trailers that mark an AI-assisted commit; see ai_assisted.hpp.
#include "gate/provenance/ai_assisted.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace agate::gate {

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// Emails (or their domains) that agents commit or co-author with.
constexpr std::array<std::string_view, 14> k_agent_emails = {
    "noreply@anthropic.com",  // Claude Code
    "claude@anthropic.com",   //
    "copilot@github.com",     // GitHub Copilot (co-author trailer)
    "copilot-swe-agent[bot]", // Copilot coding agent
    "198982749+copilot@users.noreply.github.com",
    "codex@openai.com",          // Codex
    "noreply@openai.com",        //
    "cursoragent@cursor.com",    // Cursor agent
    "noreply@aider.chat",        // Aider
    "devin-ai-integration[bot]", // Devin
    "google-labs-jules[bot]",    // Jules
    "gemini-code-assist[bot]",   // Gemini
    "amazon-q-developer[bot]",   // Amazon Q
    "openhands@all-hands.dev",   // OpenHands
};

// Names that only agents use in a co-author trailer.
constexpr std::array<std::string_view, 12> k_agent_names = {
    "claude", "claude code",  "github copilot",     "copilot",
    "codex",  "openai codex", "cursor agent",       "aider",
    "devin",  "jules",        "gemini code assist", "openhands"};

std::pair<std::string, std::string> split_identity(std::string_view value) {
  auto lt = value.find('<');
  auto gt = value.rfind('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) {
    return {std::string(value), ""};
  }
  auto name = value.substr(0, lt);
  while (!name.empty() && name.back() == ' ') {
    name.remove_suffix(1);
  }
  return {std::string(name), std::string(value.substr(lt + 1, gt - lt - 1))};
}

bool yes(std::string_view value) {
  auto v = lower(value);
  return v == "yes" || v == "true" || v == "1" || v == "y";
}

} // namespace

bool is_agent_identity(std::string_view name, std::string_view email,
                       const std::vector<std::string>& extra) {
  auto n = lower(name);
  auto e = lower(email);
  for (const auto& identity : extra) {
    auto wanted = lower(identity);
    if (!wanted.empty() && (n == wanted || (!e.empty() && contains(e, wanted)))) {
      return true;
    }
  }
  for (auto known : k_agent_emails) {
    if (!e.empty() && contains(e, known)) {
      return true;
    }
  }
  for (auto known : k_agent_names) {
    if (n == known) {
      return true;
    }
  }
  // Aider marks the commits it makes with "Name (aider)"; bots end in "[bot]" and agent ones
  // are listed above, so a generic bot (dependabot) is not an agent.
  return n.ends_with(" (aider)");
}

std::optional<std::string> ai_assisted_evidence(const CommitInfo& commit,
                                                const std::vector<std::string>& extra) {
  for (const auto& trailer : commit.trailers) {
    auto key = lower(trailer.key);
    std::string said = "trailer `" + trailer.key + ": " + trailer.value + "`";
    if (key == "agate-prompt") {
      return said;
    }
    if (key == "assisted-by" || key == "generated-by") {
      return said;
    }
    if ((key == "ai-assisted" || key == "ai-generated") && yes(trailer.value)) {
      return said;
    }
    if (key == "co-authored-by") {
      auto [name, email] = split_identity(trailer.value);
      if (is_agent_identity(name, email, extra)) {
        return said;
      }
    }
  }
  // Aider (before 0.50) began the messages of its commits with "aider: ".
  if (commit.message.starts_with("aider: ")) {
    return std::string("message prefix `aider:`");
  }
  if (is_agent_identity(commit.author.name, commit.author.email, extra)) {
    return "author " + commit.author.name + " <" + commit.author.email + ">";
  }
  if (is_agent_identity(commit.committer.name, commit.committer.email, extra)) {
    return "committer " + commit.committer.name + " <" + commit.committer.email + ">";
  }
  return std::nullopt;
}

} // namespace agate::gate
