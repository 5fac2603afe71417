// AI-assisted markers read from rules/agents/identities.json; see ai_assisted.hpp and the data
// file's own description of its fields.
#include "gate/provenance/ai_assisted.hpp"

#include "gate/util/embedded.hpp"
#include "gate/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace agate::gate {

namespace {

constexpr std::string_view k_identities_file = "agents/identities.json";

struct KnownAgent {
  std::string tool;
  std::vector<std::string> names;
  std::vector<std::string> emails;
  std::vector<std::string> bots;
  std::vector<std::string> name_suffixes;
  std::vector<std::string> model_after;
};

struct MessageMarker {
  std::string text; // lower case
  std::string tool;
};

struct AgentCatalog {
  std::vector<std::string> marker_trailers;
  std::vector<std::string> yes_trailers;
  std::vector<std::string> yes_values;
  std::vector<std::string> identity_trailers;
  std::vector<MessageMarker> message_prefixes;
  std::vector<MessageMarker> message_lines;
  std::vector<KnownAgent> agents;
};

std::vector<std::string> lowered(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) {
    out.push_back(lower(item.get<std::string>()));
  }
  return out;
}

std::vector<MessageMarker> markers(const nlohmann::json& list, const char* key) {
  std::vector<MessageMarker> out;
  for (const auto& item : list) {
    out.push_back({lower(item.at(key).get<std::string>()), item.at("tool").get<std::string>()});
  }
  return out;
}

// The embedded data is part of the program: a file that does not parse is a build defect, which
// the unit tests catch, so it throws rather than returning a Result.
AgentCatalog load_catalog() {
  const auto* file = embedded::find(k_identities_file);
  if (file == nullptr) {
    throw std::logic_error("rules/agents/identities.json is not embedded");
  }
  auto data = nlohmann::json::parse(file->content);
  AgentCatalog catalog;
  catalog.marker_trailers = lowered(data.at("marker_trailers"));
  catalog.yes_trailers = lowered(data.at("yes_trailers"));
  catalog.yes_values = lowered(data.at("yes_values"));
  catalog.identity_trailers = lowered(data.at("identity_trailers"));
  catalog.message_prefixes = markers(data.at("message_prefixes"), "prefix");
  catalog.message_lines = markers(data.at("message_lines"), "contains");
  for (const auto& entry : data.at("agents")) {
    KnownAgent agent;
    agent.tool = entry.at("tool").get<std::string>();
    agent.names = lowered(entry.value("names", nlohmann::json::array()));
    agent.emails = lowered(entry.value("emails", nlohmann::json::array()));
    agent.bots = lowered(entry.value("bots", nlohmann::json::array()));
    agent.name_suffixes = lowered(entry.value("name_suffixes", nlohmann::json::array()));
    agent.model_after = lowered(entry.value("model_after", nlohmann::json::array()));
    catalog.agents.push_back(std::move(agent));
  }
  return catalog;
}

const AgentCatalog& catalog() {
  static const AgentCatalog loaded = load_catalog();
  return loaded;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The model a matched identity's name carries after one of the agent's prefixes.
std::string model_in_name(const KnownAgent& agent, std::string_view name) {
  auto folded = lower(name);
  for (const auto& prefix : agent.model_after) {
    if (folded.size() > prefix.size() && folded.starts_with(prefix)) {
      std::string model(trim(name.substr(prefix.size())));
      if (prefix.ends_with("(") && model.ends_with(")")) {
        model.pop_back();
      }
      return std::string(trim(model));
    }
  }
  return "";
}

// A GitHub bot login ("devin-ai-integration[bot]") as the name, or inside its noreply email
// ("158243242+devin-ai-integration[bot]@users.noreply.github.com").
bool is_bot(std::string_view bot, std::string_view name, std::string_view email) {
  return name == bot || (!email.empty() && (email.starts_with(std::string(bot) + "@") ||
                                            contains(email, "+" + std::string(bot) + "@")));
}

std::optional<AgentIdentity> known_agent(std::string_view name, std::string_view email) {
  auto n = lower(name);
  auto e = lower(email);
  for (const auto& agent : catalog().agents) {
    bool by_address =
        std::any_of(agent.emails.begin(), agent.emails.end(),
                    [&](const auto& known) { return !e.empty() && contains(e, known); }) ||
        std::any_of(agent.bots.begin(), agent.bots.end(),
                    [&](const auto& bot) { return is_bot(bot, n, e); });
    if (by_address) {
      return AgentIdentity{agent.tool, model_in_name(agent, name)};
    }
    if (listed(agent.names, n) ||
        std::any_of(agent.name_suffixes.begin(), agent.name_suffixes.end(),
                    [&](const auto& suffix) { return n.ends_with(suffix); })) {
      return AgentIdentity{agent.tool, ""};
    }
  }
  return std::nullopt;
}

// The kernel's `Assisted-by: AGENT_NAME:MODEL_VERSION [TOOL...]` names the agent and model;
// other values ("Claude", "an LLM") are kept whole as the tool.
AiEvidence marker_trailer(const Trailer& trailer, std::string said) {
  AiEvidence evidence{std::move(said), "", ""};
  auto value = trim(trailer.value);
  auto [name, email] = split_identity(value);
  if (auto agent = known_agent(name, email)) {
    evidence.tool = agent->tool;
    evidence.model = agent->model;
    return evidence;
  }
  auto word_end = value.find(' ');
  auto first = value.substr(0, word_end);
  if (auto colon = first.find(':'); colon != std::string_view::npos) {
    evidence.tool = lower(first.substr(0, colon));
    evidence.model = std::string(first.substr(colon + 1));
  } else {
    evidence.tool = lower(value);
  }
  return evidence;
}

} // namespace

std::pair<std::string, std::string> split_identity(std::string_view value) {
  auto lt = value.find('<');
  auto gt = value.rfind('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) {
    return {std::string(trim(value)), ""};
  }
  return {std::string(trim(value.substr(0, lt))), std::string(value.substr(lt + 1, gt - lt - 1))};
}

std::optional<AgentIdentity> agent_identity(std::string_view name, std::string_view email,
                                            const std::vector<std::string>& extra) {
  auto n = lower(name);
  auto e = lower(email);
  for (const auto& identity : extra) {
    auto wanted = lower(identity);
    if (!wanted.empty() && (n == wanted || (!e.empty() && contains(e, wanted)))) {
      return AgentIdentity{identity, ""};
    }
  }
  return known_agent(name, email);
}

std::optional<AiEvidence> ai_assisted_marker(const CommitInfo& commit,
                                             const std::vector<std::string>& extra) {
  const auto& data = catalog();
  for (const auto& trailer : commit.trailers) {
    auto key = lower(trailer.key);
    std::string said = "trailer `" + trailer.key + ": " + trailer.value + "`";
    if (key == "agate-prompt") {
      return AiEvidence{said, "", ""};
    }
    if (listed(data.marker_trailers, key)) {
      return marker_trailer(trailer, said);
    }
    if (listed(data.yes_trailers, key) && listed(data.yes_values, lower(trim(trailer.value)))) {
      return AiEvidence{said, "", ""};
    }
    if (listed(data.identity_trailers, key)) {
      auto [name, email] = split_identity(trailer.value);
      if (auto agent = agent_identity(name, email, extra)) {
        return AiEvidence{said, agent->tool, agent->model};
      }
    }
  }
  auto message = lower(commit.message);
  for (const auto& marker : data.message_prefixes) {
    if (message.starts_with(marker.text)) {
      return AiEvidence{"message prefix `" + std::string(trim(marker.text)) + "`", marker.tool, ""};
    }
  }
  for (const auto& marker : data.message_lines) {
    if (contains(message, marker.text)) {
      return AiEvidence{"message line `" + marker.text + "`", marker.tool, ""};
    }
  }
  for (const auto* person : {&commit.author, &commit.committer}) {
    if (auto agent = agent_identity(person->name, person->email, extra)) {
      return AiEvidence{std::string(person == &commit.author ? "author " : "committer ") +
                            person->name + " <" + person->email + ">",
                        agent->tool, agent->model};
    }
  }
  return std::nullopt;
}

std::optional<std::string> ai_assisted_evidence(const CommitInfo& commit,
                                                const std::vector<std::string>& extra) {
  if (auto marker = ai_assisted_marker(commit, extra)) {
    return std::move(marker->said);
  }
  return std::nullopt;
}

} // namespace agate::gate
