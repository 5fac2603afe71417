// The GitHub Actions event payload -> a Selection; see github_event.hpp.
#include "gate/git/github_event.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace agate::gate {

namespace {

using nlohmann::json;

bool is_zero_id(const std::string& id) {
  return !id.empty() && id.find_first_not_of('0') == std::string::npos;
}

// The string at a path of keys, or nullopt when a key is missing or the value is not a string.
std::optional<std::string> string_at(const json& root, std::initializer_list<const char*> keys) {
  const json* node = &root;
  for (const char* key : keys) {
    if (!node->is_object() || !node->contains(key)) {
      return std::nullopt;
    }
    node = &(*node)[key];
  }
  if (!node->is_string()) {
    return std::nullopt;
  }
  return node->get<std::string>();
}

std::string strip_prefix(std::string value, std::string_view prefix) {
  if (value.starts_with(prefix)) {
    value.erase(0, prefix.size());
  }
  return value;
}

Result<std::optional<Selection>> from_pull_request(const json& event, const std::string& file) {
  auto base = string_at(event, {"pull_request", "base", "sha"});
  auto head = string_at(event, {"pull_request", "head", "sha"});
  if (!base || !head) {
    return fail("the GitHub event file " + file +
                " has no pull_request.base.sha or pull_request.head.sha");
  }
  Selection selection;
  selection.mode = SelectionMode::range;
  selection.base = *base;
  selection.head = *head;
  const json& pr = event["pull_request"];
  if (pr.contains("number") && pr["number"].is_number_integer()) {
    selection.description_hint = "pull request #" + std::to_string(pr["number"].get<long long>());
  } else {
    selection.description_hint = "pull request";
  }
  if (pr.contains("commits") && pr["commits"].is_number_unsigned()) {
    selection.expected_commits = pr["commits"].get<std::size_t>();
  }
  return std::optional<Selection>(std::move(selection));
}

Result<std::optional<Selection>> from_push(const json& event, const std::string& file,
                                           const Resolvable& resolvable) {
  auto before = string_at(event, {"before"});
  auto after = string_at(event, {"after"});
  if (!before || !after) {
    return fail("the GitHub event file " + file + " has no `before` or `after` commit id");
  }
  std::string ref = string_at(event, {"ref"}).value_or("");
  std::string branch = strip_prefix(ref, "refs/heads/");
  std::string hint = ref.empty() ? "push" : "push to " + branch;

  Selection selection;
  selection.description_hint = hint;
  if (is_zero_id(*after)) {
    selection.mode = SelectionMode::none;
    selection.description_hint = hint + ": the branch was deleted, nothing to check";
    return std::optional<Selection>(std::move(selection));
  }

  std::vector<std::string> commits;
  if (event.contains("commits") && event["commits"].is_array()) {
    for (const auto& commit : event["commits"]) {
      if (commit.is_object() && commit.contains("id") && commit["id"].is_string()) {
        commits.push_back(commit["id"].get<std::string>());
      }
    }
  }
  bool forced =
      event.contains("forced") && event["forced"].is_boolean() && event["forced"].get<bool>();

  bool new_branch = is_zero_id(*before);
  // A forced push whose old tip is gone from the clone is checked like a new branch.
  if (!new_branch && forced && resolvable && !resolvable(*before)) {
    new_branch = true;
  }
  if (!new_branch) {
    selection.mode = SelectionMode::range;
    selection.base = *before;
    selection.head = *after;
    if (!commits.empty()) {
      selection.expected_commits = commits.size();
    }
    return std::optional<Selection>(std::move(selection));
  }

  // A new branch: from where it left the default branch, when that is known.
  auto default_branch = string_at(event, {"repository", "default_branch"});
  if (default_branch && !default_branch->empty() && *default_branch != branch) {
    std::string base = "origin/" + *default_branch;
    if (!resolvable || resolvable(base)) {
      selection.mode = SelectionMode::range;
      selection.base = base;
      selection.head = *after;
      return std::optional<Selection>(std::move(selection));
    }
  }
  if (!commits.empty()) {
    std::string base = commits.front() + "^";
    if (!resolvable || resolvable(base)) {
      selection.mode = SelectionMode::range;
      selection.base = base;
      selection.head = *after;
      selection.expected_commits = commits.size();
      return std::optional<Selection>(std::move(selection));
    }
  }
  selection.mode = SelectionMode::commit;
  selection.rev = *after;
  return std::optional<Selection>(std::move(selection));
}

Result<std::optional<Selection>> from_merge_group(const json& event, const std::string& file) {
  auto base = string_at(event, {"merge_group", "base_sha"});
  auto head = string_at(event, {"merge_group", "head_sha"});
  if (!base || !head) {
    return fail("the GitHub event file " + file +
                " has no merge_group.base_sha or merge_group.head_sha");
  }
  Selection selection;
  selection.mode = SelectionMode::range;
  selection.base = *base;
  selection.head = *head;
  selection.description_hint = "merge group";
  return std::optional<Selection>(std::move(selection));
}

// The event of a GitHub Actions run: its name, its file and the parsed payload; nullopt outside
// Actions or when the environment names no event.
struct Event {
  std::string name;
  std::string path;
  json payload;
};

Result<std::optional<Event>> read_event(const GetEnv& getenv) {
  if (!getenv) {
    return std::optional<Event>();
  }
  auto actions = getenv("GITHUB_ACTIONS");
  auto name = getenv("GITHUB_EVENT_NAME");
  auto path = getenv("GITHUB_EVENT_PATH");
  if (!actions || *actions != "true" || !name || name->empty() || !path || path->empty()) {
    return std::optional<Event>();
  }
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    return fail("cannot read the GitHub event file " + *path + " (GITHUB_EVENT_PATH)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  Event event{*name, *path, {}};
  try {
    event.payload = json::parse(text.str());
  } catch (const json::exception& error) {
    return fail("the GitHub event file " + *path + " is not valid JSON: " + error.what());
  }
  if (!event.payload.is_object()) {
    return fail("the GitHub event file " + *path + " does not hold a JSON object");
  }
  return std::optional<Event>(std::move(event));
}

bool is_pull_request(const std::string& name) {
  return name == "pull_request" || name == "pull_request_target";
}

} // namespace

Result<std::optional<Selection>> selection_from_github(const GetEnv& getenv,
                                                       const Resolvable& resolvable) {
  if (getenv) {
    auto name = getenv("GITHUB_EVENT_NAME");
    if (!name || (!is_pull_request(*name) && *name != "push" && *name != "merge_group")) {
      return std::optional<Selection>();
    }
  }
  auto read = read_event(getenv);
  TRY(read);
  if (!*read) {
    return std::optional<Selection>();
  }
  const Event& event = **read;
  try {
    if (is_pull_request(event.name)) {
      return from_pull_request(event.payload, event.path);
    }
    if (event.name == "merge_group") {
      return from_merge_group(event.payload, event.path);
    }
    return from_push(event.payload, event.path, resolvable);
  } catch (const json::exception& error) {
    return fail("the GitHub event file " + event.path + " is not a " + event.name +
                " event as expected: " + error.what());
  }
}

Result<std::optional<GithubEvent>> publishable_event(const GetEnv& getenv) {
  if (getenv) {
    auto name = getenv("GITHUB_EVENT_NAME");
    if (!name || (!is_pull_request(*name) && *name != "merge_group")) {
      return std::optional<GithubEvent>();
    }
  }
  auto read = read_event(getenv);
  TRY(read);
  if (!*read) {
    return std::optional<GithubEvent>();
  }
  const Event& event = **read;
  GithubEvent out;
  out.name = event.name;
  if (event.name == "merge_group") {
    out.head_sha = string_at(event.payload, {"merge_group", "head_sha"}).value_or("");
    out.base_sha = string_at(event.payload, {"merge_group", "base_sha"}).value_or("");
  } else {
    out.head_sha = string_at(event.payload, {"pull_request", "head", "sha"}).value_or("");
    out.base_sha = string_at(event.payload, {"pull_request", "base", "sha"}).value_or("");
    const json& pr = event.payload["pull_request"];
    if (pr.is_object() && pr.contains("number") && pr["number"].is_number_integer()) {
      out.pull_number = pr["number"].get<long>();
    }
    auto head_repo = string_at(event.payload, {"pull_request", "head", "repo", "full_name"});
    auto base_repo = string_at(event.payload, {"pull_request", "base", "repo", "full_name"});
    out.from_fork = head_repo && base_repo && *head_repo != *base_repo;
    if (out.pull_number <= 0) {
      return fail("the GitHub event file " + event.path + " has no pull_request.number");
    }
  }
  if (out.head_sha.empty()) {
    return fail("the GitHub event file " + event.path + " names no head commit");
  }
  return std::optional<GithubEvent>(std::move(out));
}

} // namespace agate::gate
