// Loading and validating library-logic rule files, and compiling their queries on demand (see
// library_rules.hpp for the format).
#include "analyzers/duplication/library_rules.hpp"

#include "analyzers/syntax/language.hpp"
#include "gate/util/embedded.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <set>

namespace agate::analyzers {

namespace {

using nlohmann::json;

constexpr std::string_view rules_prefix = "library/";
constexpr std::string_view examples_prefix = "library/examples/";

bool is_rule_file(std::string_view path) {
  return path.rfind(rules_prefix, 0) == 0 && path.rfind(examples_prefix, 0) != 0 &&
         path.size() > 5 && path.substr(path.size() - 5) == ".json" &&
         path.find('/', rules_prefix.size()) == std::string_view::npos;
}

Result<std::string> string_field(const json& object, const char* key, const std::string& where,
                                 bool required) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) {
      return fail(where + ": missing \"" + key + "\"");
    }
    return std::string();
  }
  if (!it->is_string() || it->get<std::string>().empty()) {
    return fail(where + ": \"" + key + "\": expected a non-empty string");
  }
  return it->get<std::string>();
}

Result<std::vector<std::string>> string_list(const json& object, const char* key,
                                             const std::string& where) {
  std::vector<std::string> out;
  auto it = object.find(key);
  if (it == object.end()) {
    return out;
  }
  if (!it->is_array()) {
    return fail(where + ": \"" + key + "\": expected an array of strings");
  }
  for (const auto& item : *it) {
    if (!item.is_string() || item.get<std::string>().empty()) {
      return fail(where + ": \"" + key + "\": expected an array of non-empty strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Status check_keys(const json& object, std::initializer_list<std::string_view> known,
                  const std::string& where) {
  for (const auto& item : object.items()) {
    if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
      return fail(where + ": unknown key \"" + item.key() + "\"");
    }
  }
  return success();
}

Result<RuleRequirement> parse_requirement(const json& item, const LibraryRule& rule,
                                          const std::string& where) {
  if (!item.is_object()) {
    return fail(where + ": expected an object");
  }
  if (auto keys = check_keys(item, {"ecosystem", "packages", "stdlib", "languages", "use"}, where);
      !keys) {
    return fail(keys.error());
  }
  RuleRequirement requirement;
  auto use = string_field(item, "use", where, true);
  TRY(use);
  requirement.use = *use;
  auto stdlib = string_field(item, "stdlib", where, false);
  auto ecosystem = string_field(item, "ecosystem", where, false);
  if (!stdlib || !ecosystem) {
    return fail(!stdlib ? stdlib.error() : ecosystem.error());
  }
  if (stdlib->empty() == ecosystem->empty()) {
    return fail(where + ": give exactly one of \"ecosystem\" (with \"packages\") and \"stdlib\"");
  }
  auto languages = string_list(item, "languages", where);
  auto packages = string_list(item, "packages", where);
  if (!languages || !packages) {
    return fail(!languages ? languages.error() : packages.error());
  }
  if (!ecosystem->empty()) {
    auto parsed = parse_ecosystem(*ecosystem);
    if (!parsed) {
      return fail(where + ": unknown ecosystem \"" + *ecosystem +
                  "\" (npm, pypi, go, cargo, maven, cpp)");
    }
    if (packages->empty()) {
      return fail(where + ": \"packages\": name at least one package");
    }
    if (!languages->empty()) {
      return fail(where + ": \"languages\" belongs to a \"stdlib\" alternative (a dependency "
                          "applies to the languages of its ecosystem)");
    }
    bool used =
        std::any_of(rule.languages.begin(), rule.languages.end(),
                    [&](const std::string& l) { return ecosystem_for_language(l) == parsed; });
    if (!used) {
      return fail(where + ": ecosystem \"" + *ecosystem +
                  "\" matches none of the rule's languages");
    }
    requirement.ecosystem = parsed;
    requirement.packages = std::move(*packages);
  } else {
    if (!packages->empty()) {
      return fail(where + ": \"packages\" belongs to an \"ecosystem\" alternative");
    }
    for (const auto& language : *languages) {
      if (!rule.applies_to(language)) {
        return fail(where + ": language \"" + language + "\" is not one of the rule's languages");
      }
    }
    requirement.stdlib = *stdlib;
    requirement.languages = std::move(*languages);
  }
  return requirement;
}

struct QueryCache {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const RuleQueries>> compiled;
};

QueryCache& query_cache() {
  static QueryCache cache;
  return cache;
}

} // namespace

namespace {

// The top-level patterns of a query source: its balanced (...) and [...] groups at depth 0.
// Strings and ; comments are skipped so that a bracket inside them does not count.
std::vector<std::string_view> top_level_patterns(std::string_view src) {
  std::vector<std::string_view> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (c == '"') {
      for (++i; i < src.size() && src[i] != '"'; ++i) {
        i += src[i] == '\\' ? 1 : 0;
      }
    } else if (c == ';') {
      while (i < src.size() && src[i] != '\n') {
        ++i;
      }
    } else if (c == '(' || c == '[') {
      if (depth++ == 0) {
        start = i;
      }
    } else if ((c == ')' || c == ']') && depth > 0 && --depth == 0) {
      out.push_back(src.substr(start, i - start + 1));
    }
  }
  return out;
}

// The literals of the first (#eq? @x "..") or (#any-of? @x ".." ..) predicate of a pattern;
// empty when it has none (a match of the pattern then says nothing about the text).
std::vector<std::string> predicate_literals(std::string_view pattern) {
  std::size_t at = 0;
  while (true) {
    std::size_t eq = pattern.find("(#eq?", at);
    std::size_t any = pattern.find("(#any-of?", at);
    std::size_t found = std::min(eq, any);
    if (found == std::string_view::npos) {
      return {};
    }
    std::size_t i = pattern.find('?', found) + 1;
    auto skip_space = [&] {
      while (i < pattern.size() && std::isspace(static_cast<unsigned char>(pattern[i]))) {
        ++i;
      }
    };
    skip_space();
    at = i;
    if (i >= pattern.size() || pattern[i] != '@') {
      continue; // not a capture compared with strings
    }
    while (i < pattern.size() && !std::isspace(static_cast<unsigned char>(pattern[i])) &&
           pattern[i] != ')') {
      ++i;
    }
    std::vector<std::string> literals;
    bool only_strings = true;
    while (true) {
      skip_space();
      if (i >= pattern.size() || pattern[i] == ')') {
        break;
      }
      if (pattern[i] != '"') {
        only_strings = false; // e.g. (#eq? @a @b)
        break;
      }
      std::string literal;
      for (++i; i < pattern.size() && pattern[i] != '"'; ++i) {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) {
          ++i;
          literal += pattern[i] == 'n' ? '\n' : pattern[i];
        } else {
          literal += pattern[i];
        }
      }
      ++i;
      literals.push_back(std::move(literal));
    }
    at = i;
    if (only_strings && !literals.empty() &&
        std::none_of(literals.begin(), literals.end(),
                     [](const std::string& l) { return l.empty(); })) {
      return literals;
    }
  }
}

} // namespace

std::vector<std::string> required_words(std::string_view query_source) {
  std::vector<std::string> words;
  auto patterns = top_level_patterns(query_source);
  if (patterns.empty()) {
    return {};
  }
  for (auto pattern : patterns) {
    auto literals = predicate_literals(pattern);
    if (literals.empty()) {
      return {}; // this alternative matches whatever the text holds
    }
    words.insert(words.end(), literals.begin(), literals.end());
  }
  return words;
}

bool LibraryRule::may_match(std::string_view text) const {
  for (const auto& any_of : required_words) {
    if (std::none_of(any_of.begin(), any_of.end(), [&](const std::string& word) {
          return text.find(word) != std::string_view::npos;
        })) {
      return false;
    }
  }
  return true;
}

bool LibraryRule::applies_to(std::string_view language_id) const {
  return std::find(languages.begin(), languages.end(), language_id) != languages.end();
}

Result<LibraryRule> parse_library_rule(std::string_view path, std::string_view text) {
  std::string where = "rules/" + std::string(path);
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail(where + ": not a JSON object");
  }
  if (auto keys = check_keys(doc,
                             {"id", "title", "languages", "query", "inside", "not_inside",
                              "pattern", "requires", "severity", "description"},
                             where);
      !keys) {
    return fail(keys.error());
  }
  LibraryRule rule;
  rule.origin = std::string(path);
  auto id = string_field(doc, "id", where, true);
  auto title = string_field(doc, "title", where, true);
  auto query = string_field(doc, "query", where, false);
  auto pattern = string_field(doc, "pattern", where, false);
  auto severity = string_field(doc, "severity", where, false);
  for (const auto* field : {&id, &title, &query, &pattern, &severity}) {
    if (!*field) {
      return fail(field->error());
    }
  }
  auto base = path.substr(path.rfind('/') + 1);
  base = base.substr(0, base.size() - (base.size() > 5 ? 5 : 0)); // drop ".json"
  if (*id != "library/" + std::string(base)) {
    return fail(where + ": \"id\" must be \"library/" + std::string(base) +
                "\" (the file name), got \"" + *id + "\"");
  }
  rule.id = *id;
  rule.title = *title;
  rule.query = *query;
  rule.pattern = *pattern;
  if (!severity->empty()) {
    auto parsed = gate::parse_severity(*severity);
    if (!parsed) {
      return fail(where + ": \"severity\": expected note, warning or error, got \"" + *severity +
                  "\"");
    }
    rule.severity = *parsed;
  }
  auto languages = string_list(doc, "languages", where);
  auto inside = string_list(doc, "inside", where);
  auto not_inside = string_list(doc, "not_inside", where);
  for (const auto* list : {&languages, &inside, &not_inside}) {
    if (!*list) {
      return fail(list->error());
    }
  }
  if (languages->empty()) {
    return fail(where + ": \"languages\": name at least one language");
  }
  for (const auto& language : *languages) {
    if (syntax::find_language(language) == nullptr) {
      return fail(where + ": unknown language \"" + language + "\"");
    }
  }
  rule.languages = std::move(*languages);
  rule.inside = std::move(*inside);
  rule.not_inside = std::move(*not_inside);
  if (rule.query.empty() && rule.pattern.empty()) {
    return fail(where + ": give a \"query\" or a \"pattern\"");
  }
  if (rule.query.empty() && (!rule.inside.empty() || !rule.not_inside.empty())) {
    return fail(where + ": \"inside\" and \"not_inside\" need a \"query\"");
  }
  if (!rule.pattern.empty()) {
    auto compiled = gate::Regex::compile(rule.pattern);
    if (!compiled) {
      return fail(where + ": \"pattern\": invalid regular expression: " + compiled.error());
    }
    rule.pattern_regex = std::move(*compiled);
  }
  auto requires_it = doc.find("requires");
  if (requires_it == doc.end() || !requires_it->is_array() || requires_it->empty()) {
    return fail(where + ": \"requires\": expected a non-empty array of alternatives");
  }
  for (std::size_t i = 0; i < requires_it->size(); ++i) {
    auto requirement =
        parse_requirement((*requires_it)[i], rule, where + ": requires[" + std::to_string(i) + "]");
    TRY(requirement);
    rule.requirements.push_back(std::move(*requirement));
  }
  if (auto words = required_words(rule.query); !words.empty()) {
    rule.required_words.push_back(std::move(words));
  }
  for (const auto& part : rule.inside) {
    if (auto words = required_words(part); !words.empty()) {
      rule.required_words.push_back(std::move(words));
    }
  }
  return rule;
}

Result<std::shared_ptr<const std::vector<LibraryRule>>> builtin_library_rules() {
  static const Result<std::shared_ptr<const std::vector<LibraryRule>>> loaded =
      []() -> Result<std::shared_ptr<const std::vector<LibraryRule>>> {
    auto rules = std::make_shared<std::vector<LibraryRule>>();
    std::set<std::string> ids;
    for (const auto& file : embedded::files()) {
      if (!is_rule_file(file.path)) {
        continue;
      }
      auto rule = parse_library_rule(file.path, file.content);
      TRY(rule);
      if (!ids.insert(rule->id).second) {
        return fail("rules/" + std::string(file.path) + ": duplicate rule id \"" + rule->id + "\"");
      }
      rules->push_back(std::move(*rule));
    }
    std::sort(rules->begin(), rules->end(),
              [](const LibraryRule& a, const LibraryRule& b) { return a.id < b.id; });
    return std::shared_ptr<const std::vector<LibraryRule>>(std::move(rules));
  }();
  return loaded;
}

Result<std::shared_ptr<const RuleQueries>> compile_rule_queries(const LibraryRule& rule,
                                                                std::string_view language_id) {
  std::string text = rule.origin + '\n' + rule.query;
  for (const auto& part : rule.inside) {
    text += "\n+" + part;
  }
  for (const auto& part : rule.not_inside) {
    text += "\n-" + part;
  }
  auto key = std::make_pair(std::move(text), std::string(language_id));
  auto& cache = query_cache();
  {
    std::lock_guard lock(cache.mutex);
    if (auto it = cache.compiled.find(key); it != cache.compiled.end()) {
      return it->second;
    }
  }
  const auto* language = syntax::find_language(language_id);
  if (language == nullptr || !rule.applies_to(language_id)) {
    return fail("rules/" + rule.origin + ": not a rule for language \"" + std::string(language_id) +
                "\"");
  }
  auto queries = std::make_shared<RuleQueries>();
  auto compile = [&](const std::string& source,
                     const std::string& part) -> Result<std::shared_ptr<const syntax::Query>> {
    return syntax::Query::compile(language->grammar(), source,
                                  "rules/" + rule.origin + " (" + part + ", " +
                                      std::string(language_id) + ")");
  };
  if (!rule.query.empty()) {
    auto main = compile(rule.query, "query");
    TRY(main);
    queries->main = *main;
    bool found = false;
    for (uint32_t i = 0; i < queries->main->capture_count(); ++i) {
      if (queries->main->capture_name(i) == "match") {
        queries->match_capture = i;
        found = true;
      }
    }
    if (!found) {
      return fail("rules/" + rule.origin + ": \"query\" has no @match capture");
    }
  }
  for (std::size_t i = 0; i < rule.inside.size(); ++i) {
    auto q = compile(rule.inside[i], "inside[" + std::to_string(i) + "]");
    TRY(q);
    queries->inside.push_back(*q);
  }
  for (std::size_t i = 0; i < rule.not_inside.size(); ++i) {
    auto q = compile(rule.not_inside[i], "not_inside[" + std::to_string(i) + "]");
    TRY(q);
    queries->not_inside.push_back(*q);
  }
  std::lock_guard lock(cache.mutex);
  auto [it, inserted] = cache.compiled.emplace(key, queries);
  return it->second;
}

} // namespace agate::analyzers
