// See policy_schema.hpp. Validation is table-driven so that it stays in one place: every key is a
// row of `schema()`; sections are objects whose keys are validated by their own rows, and rule
// maps are objects whose keys are rule ids of the catalog.
#include "gate/core/policy_schema.hpp"

#include "gate/core/rule_catalog.hpp"

#include "gate/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdint>
#include <set>
#include <vector>

namespace agate::gate {

namespace {

using nlohmann::json;

// ---- the schema ----------------------------------------------------------------------------

enum class ValueType {
  object,               // a section: keys validated by their own rows
  rule_map,             // an object whose keys are rule ids; entries match "<path>.*" rows
  non_negative_integer, // 0 .. INT_MAX
  positive_integer,     // 1 .. INT_MAX
  boolean,
  string_array,
  one_of, // a string among `allowed`
  version,
  path,                  // a repository-relative path
  fingerprint,           // an OpenPGP fingerprint: 40 (v4) or 64 (v5) hex digits, spaces allowed
  fingerprint_email_map, // {"<fingerprint>": ["email", ...]}
  similarity,            // a number from 0.5 to 1
};

using Setter = void (*)(Policy& policy, const json& value, std::string_view rule);

struct KeySpec {
  std::string_view path; // "size.warn_lines"; `*` stands for a rule id in a rule map
  ValueType type;
  std::vector<std::string_view> allowed; // for one_of
  Setter apply = nullptr;                // nullptr: validated only (sections, the version)
};

// An OpenPGP fingerprint as written by people: spaces dropped, upper-case hex.
std::string normalized_fingerprint(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool is_fingerprint(std::string_view text) {
  const std::string fpr = normalized_fingerprint(text);
  return (fpr.size() == 40 || fpr.size() == 64) &&
         fpr.find_first_not_of("0123456789ABCDEF") == std::string::npos;
}

int as_int(const json& value) {
  return static_cast<int>(value.get<std::int64_t>());
}

const std::vector<KeySpec>& schema() {
  static const std::vector<KeySpec> table = {
      {"version", ValueType::version, {}, nullptr},
      {"fail_on",
       ValueType::one_of,
       {"error", "warning", "never"},
       [](Policy& p, const json& v, std::string_view) {
         const auto text = v.get<std::string>();
         p.fail_on = text == "never" ? std::nullopt : parse_severity(text);
       }},
      {"ignore",
       ValueType::string_array,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.ignore = v.get<std::vector<std::string>>();
       }},
      {"limits", ValueType::object, {}, nullptr},
      {"limits.max_file_bytes",
       ValueType::positive_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.limits.max_file_bytes = static_cast<std::size_t>(v.get<std::int64_t>());
       }},
      // What `agate check --publish` posts on a pull request (docs/install.md).
      {"publish", ValueType::object, {}, nullptr},
      {"publish.max_inline",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.publish.max_inline = as_int(v); }},
      {"size", ValueType::object, {}, nullptr},
      {"size.warn_lines",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.size.warn_lines = as_int(v); }},
      {"size.error_lines",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.size.error_lines = as_int(v); }},
      {"size.warn_files",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.size.warn_files = as_int(v); }},
      {"size.scattered_dirs",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.size.scattered_dirs = as_int(v); }},
      {"size.scattered_parts",
       ValueType::positive_integer,
       {},
       [](Policy& p, const json& v, std::string_view) { p.size.scattered_parts = as_int(v); }},
      // The duplication analyzers (docs/rules-duplication.md, docs/rules-library.md).
      {"duplication", ValueType::object, {}, nullptr},
      {"duplication.clone", ValueType::object, {}, nullptr},
      {"duplication.clone.min_tokens",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.duplication.clone.min_tokens = static_cast<std::size_t>(v.get<std::int64_t>());
       }},
      {"duplication.clone.min_lines",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.duplication.clone.min_lines = as_int(v);
       }},
      {"duplication.clone.min_similarity",
       ValueType::similarity,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.duplication.clone.min_similarity = v.get<double>();
       }},
      {"duplication.clone.error_lines",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.duplication.clone.error_lines = as_int(v);
       }},
      {"duplication.clone.max_findings",
       ValueType::non_negative_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.duplication.clone.max_findings = static_cast<std::size_t>(v.get<std::int64_t>());
       }},
      {"duplication.library_logic", ValueType::object, {}, nullptr},
      {"duplication.library_logic.disabled_rules",
       ValueType::string_array,
       {},
       [](Policy& p, const json& v, std::string_view) {
         const auto ids = v.get<std::vector<std::string>>();
         p.duplication.library_logic.disabled_rules = {ids.begin(), ids.end()};
       }},
      // The provenance analyzer (docs/provenance.md).
      {"provenance", ValueType::object, {}, nullptr},
      {"provenance.require_records",
       ValueType::one_of,
       {"none", "ai-assisted", "all"},
       [](Policy& p, const json& v, std::string_view) {
         p.provenance.require_records = v.get<std::string>();
       }},
      {"provenance.agent_identities",
       ValueType::string_array,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.provenance.agent_identities = v.get<std::vector<std::string>>();
       }},
      {"provenance.require_human_signoff",
       ValueType::boolean,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.provenance.require_human_signoff = v.get<bool>();
       }},
      {"provenance.record_content",
       ValueType::one_of,
       {"prompt", "prompt-and-transcript"},
       [](Policy& p, const json& v, std::string_view) {
         p.provenance.record_content = v.get<std::string>();
       }},
      {"provenance.max_record_bytes",
       ValueType::positive_integer,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.provenance.max_record_bytes = static_cast<std::size_t>(v.get<std::int64_t>());
       }},
      // Read by the signature analyzer and `agate verify` (docs/signatures.md).
      {"signatures", ValueType::object, {}, nullptr},
      {"signatures.require",
       ValueType::one_of,
       {"none", "ai-assisted", "all"},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.require = v.get<std::string>();
       }},
      {"signatures.allowed_signers",
       ValueType::path,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.allowed_signers = v.get<std::string>();
       }},
      {"signatures.require_committer_match",
       ValueType::boolean,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.require_committer_match = v.get<bool>();
       }},
      {"signatures.accept_web_flow_merges",
       ValueType::boolean,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.accept_web_flow_merges = v.get<bool>();
       }},
      {"signatures.web_flow_key",
       ValueType::fingerprint,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.web_flow_key = normalized_fingerprint(v.get<std::string>());
       }},
      {"signatures.expired_key",
       ValueType::one_of,
       {"accept-if-signed-before-expiry", "reject"},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.expired_key = v.get<std::string>();
       }},
      {"signatures.revoked_key",
       ValueType::one_of,
       {"reject", "warn"},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.revoked_key = v.get<std::string>();
       }},
      {"signatures.signers",
       ValueType::fingerprint_email_map,
       {},
       [](Policy& p, const json& v, std::string_view) {
         p.signatures.signers.clear();
         for (const auto& [fpr, emails] : v.items()) {
           auto& bound = p.signatures.signers[normalized_fingerprint(fpr)];
           for (const auto& email : emails) {
             bound.push_back(lower(email.get<std::string>()));
           }
         }
       }},
      {"rules", ValueType::rule_map, {}, nullptr},
      {"rules.*", ValueType::object, {}, nullptr},
      {"rules.*.enabled",
       ValueType::boolean,
       {},
       [](Policy& p, const json& v, std::string_view rule) {
         p.rules[std::string(rule)].enabled = v.get<bool>();
       }},
      {"rules.*.severity",
       ValueType::one_of,
       {"error", "warning", "note"},
       [](Policy& p, const json& v, std::string_view rule) {
         p.rules[std::string(rule)].severity = parse_severity(v.get<std::string>());
       }},
  };
  return table;
}

const KeySpec* find_spec(std::string_view schema_path) {
  for (const auto& spec : schema()) {
    if (spec.path == schema_path) {
      return &spec;
    }
  }
  return nullptr;
}

// The names of the keys directly below `schema_parent` ("" for the top level).
std::vector<std::string> child_names(std::string_view schema_parent) {
  std::vector<std::string> names;
  for (const auto& spec : schema()) {
    std::string_view path = spec.path;
    if (schema_parent.empty()) {
      if (path.find('.') == std::string_view::npos) {
        names.emplace_back(path);
      }
      continue;
    }
    if (path.size() > schema_parent.size() + 1 && path.starts_with(schema_parent) &&
        path[schema_parent.size()] == '.') {
      auto rest = path.substr(schema_parent.size() + 1);
      if (rest.find('.') == std::string_view::npos) {
        names.emplace_back(rest);
      }
    }
  }
  return names;
}

// ---- messages ------------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The candidate closest to `word`, if it is close enough to be a likely typo.
std::optional<std::string> closest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    auto distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

// A value as the user wrote it, shortened; containers are never dumped deeply (a hostile
// document may nest thousands of levels).
std::string shown(const json& value) {
  std::string text;
  if (value.is_object()) {
    text = value.empty() ? "{}" : "{...}";
  } else if (value.is_array()) {
    text = "[";
    for (std::size_t i = 0; i < value.size() && text.size() <= 40; ++i) {
      const auto& item = value[i];
      text += (i == 0 ? "" : ",") + (item.is_array()    ? std::string("[...]")
                                     : item.is_object() ? std::string("{...}")
                                                        : item.dump());
    }
    text += "]";
  } else {
    text = value.dump();
  }
  if (text.size() > 40) {
    text = text.substr(0, 37) + "...";
  }
  return text;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

std::string quoted_list(const std::vector<std::string_view>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += ", ";
    }
    out += "\"" + std::string(item) + "\"";
  }
  return out;
}

// ---- validation ----------------------------------------------------------------------------

class Validator {
public:
  Validator(std::string_view origin, Policy& policy) : m_origin(origin), m_policy(policy) {}

  // Returns the first problem, or nullopt when the document is valid (and stored).
  std::optional<std::string> validate(const json& document) {
    if (!document.is_object()) {
      return error("the policy must be a JSON object ({...}), got " + shown(document));
    }
    return validate_object(document, "", "", "");
  }

private:
  std::string error(const std::string& message) const {
    return std::string(m_origin) + ": " + message;
  }
  std::string key_error(const std::string& path, const std::string& message) const {
    return error(path + ": " + message);
  }

  std::optional<std::string> validate_object(const json& object, const std::string& path,
                                             const std::string& schema_path,
                                             const std::string& rule) {
    const KeySpec* parent = schema_path.empty() ? nullptr : find_spec(schema_path);
    const bool rule_map = parent != nullptr && parent->type == ValueType::rule_map;
    for (const auto& [key, value] : object.items()) {
      const std::string child_path = path.empty() ? key : path + "." + key;
      std::string child_schema;
      std::string child_rule = rule;
      if (rule_map) {
        if (find_rule(key) == nullptr) {
          std::vector<std::string> ids;
          for (const auto& info : rule_catalog()) {
            ids.emplace_back(info.id);
          }
          std::string message = "unknown rule \"" + key + "\" in " + path;
          if (auto near = closest(key, ids)) {
            message += " (did you mean \"" + *near + "\"?)";
          } else {
            message += " (the rule ids are listed in docs/policy.md)";
          }
          return error(message);
        }
        child_schema = schema_path + ".*";
        child_rule = key;
      } else {
        child_schema = schema_path.empty() ? key : schema_path + "." + key;
      }
      const KeySpec* spec = find_spec(child_schema);
      if (spec == nullptr) {
        auto siblings = child_names(schema_path);
        std::string message = "unknown key \"" + child_path + "\"";
        if (auto near = closest(key, siblings)) {
          message += " (did you mean \"" + (path.empty() ? *near : path + "." + *near) + "\"?)";
        } else if (path.empty()) {
          message += " (known keys: " + join(siblings, ", ") + ")";
        } else {
          message += " (known keys in " + path + ": " + join(siblings, ", ") + ")";
        }
        return error(message);
      }
      if (auto problem = validate_value(*spec, value, child_path)) {
        return problem;
      }
      if (spec->type == ValueType::object || spec->type == ValueType::rule_map) {
        if (auto problem = validate_object(value, child_path, child_schema, child_rule)) {
          return problem;
        }
      }
      if (spec->apply != nullptr) {
        spec->apply(m_policy, value, child_rule);
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> validate_value(const KeySpec& spec, const json& value,
                                            const std::string& path) {
    switch (spec.type) {
    case ValueType::object:
    case ValueType::rule_map:
      if (!value.is_object()) {
        if (spec.path == "rules.*") {
          return key_error(path, "expected an object like {\"severity\": \"warning\", "
                                 "\"enabled\": true}, got " +
                                     shown(value));
        }
        return key_error(path, "expected an object, got " + shown(value));
      }
      return std::nullopt;
    case ValueType::non_negative_integer:
    case ValueType::positive_integer: {
      const bool positive = spec.type == ValueType::positive_integer;
      const char* expected =
          positive ? "expected a positive integer" : "expected a non-negative integer";
      if (!value.is_number_integer()) {
        return key_error(path, std::string(expected) + ", got " + shown(value));
      }
      if (value.is_number_unsigned() ? value.get<std::uint64_t>() > INT_MAX
                                     : value.get<std::int64_t>() > INT_MAX) {
        return key_error(path, std::string(expected) + " up to " + std::to_string(INT_MAX) +
                                   ", got " + shown(value));
      }
      if (value.get<std::int64_t>() < (positive ? 1 : 0)) {
        return key_error(path, std::string(expected) + ", got " + shown(value));
      }
      return std::nullopt;
    }
    case ValueType::boolean:
      if (!value.is_boolean()) {
        return key_error(path, "expected true or false, got " + shown(value));
      }
      return std::nullopt;
    case ValueType::string_array:
      if (!value.is_array()) {
        return key_error(path, "expected an array of strings, got " + shown(value));
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string()) {
          return key_error(path + "[" + std::to_string(i) + "]",
                           "expected a string, got " + shown(value[i]));
        }
        if (value[i].get<std::string>().empty()) {
          return key_error(path + "[" + std::to_string(i) + "]",
                           "expected a glob, got an empty string");
        }
      }
      return std::nullopt;
    case ValueType::one_of:
      if (!value.is_string() || std::find(spec.allowed.begin(), spec.allowed.end(),
                                          value.get<std::string>()) == spec.allowed.end()) {
        return key_error(path,
                         "expected one of " + quoted_list(spec.allowed) + ", got " + shown(value));
      }
      return std::nullopt;
    case ValueType::path:
      if (!value.is_string() || value.get<std::string>().empty()) {
        return key_error(path, "expected a repository-relative path, got " + shown(value));
      }
      if (value.get<std::string>().starts_with('/') ||
          value.get<std::string>().find("..") != std::string::npos ||
          value.get<std::string>().find('/') == std::string::npos ||
          value.get<std::string>().ends_with('/')) {
        return key_error(path, "expected the path of a file inside a directory of the "
                               "repository, such as \".agate/allowed_signers\", got " +
                                   shown(value));
      }
      return std::nullopt;
    case ValueType::fingerprint:
      if (!value.is_string() || !is_fingerprint(value.get<std::string>())) {
        return key_error(path, "expected a key fingerprint (40 hex digits, as `gpg "
                               "--fingerprint` prints it), got " +
                                   shown(value));
      }
      return std::nullopt;
    case ValueType::fingerprint_email_map:
      if (!value.is_object()) {
        return key_error(path,
                         "expected an object {\"<key fingerprint>\": [\"email\", ...]}, got " +
                             shown(value));
      }
      for (const auto& [fpr, emails] : value.items()) {
        if (!is_fingerprint(fpr)) {
          return key_error(path, "\"" + fpr +
                                     "\" is not a key fingerprint (40 hex digits, as `gpg "
                                     "--fingerprint` prints it)");
        }
        if (!emails.is_array() || emails.empty()) {
          return key_error(path + "." + fpr,
                           "expected a non-empty array of email addresses, got " + shown(emails));
        }
        for (std::size_t i = 0; i < emails.size(); ++i) {
          if (!emails[i].is_string() ||
              emails[i].get<std::string>().find('@') == std::string::npos) {
            return key_error(path + "." + fpr + "[" + std::to_string(i) + "]",
                             "expected an email address, got " + shown(emails[i]));
          }
        }
      }
      return std::nullopt;
    case ValueType::similarity:
      if (!value.is_number() || value.get<double>() < 0.5 || value.get<double>() > 1.0) {
        return key_error(path,
                         "expected a similarity from 0.5 to 1 (e.g. 0.7), got " + shown(value));
      }
      return std::nullopt;
    case ValueType::version:
      if (!value.is_number_integer() || value.get<std::int64_t>() != 1) {
        return key_error(path, "unsupported policy version " + shown(value) +
                                   " (this agate reads version 1)");
      }
      return std::nullopt;
    }
    return std::nullopt;
  }

  std::string_view m_origin;
  Policy& m_policy;
};

// Checks between keys, after each key is valid on its own.
std::optional<std::string> check_consistency(const Policy& policy, std::string_view origin) {
  if (policy.size.error_lines < policy.size.warn_lines) {
    return std::string(origin) + ": size.error_lines (" + std::to_string(policy.size.error_lines) +
           ") must be at least size.warn_lines (" + std::to_string(policy.size.warn_lines) + ")";
  }
  if (policy.signatures.accept_web_flow_merges && policy.signatures.web_flow_key.empty()) {
    return std::string(origin) +
           ": signatures.accept_web_flow_merges is true but signatures.web_flow_key is not set "
           "(the fingerprint of the web-flow key you committed under .agate/keys)";
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> validate_policy(const json& document, std::string_view origin,
                                           Policy& policy) {
  Validator validator(origin, policy);
  if (auto problem = validator.validate(document)) {
    return problem;
  }
  return check_consistency(policy, origin);
}

} // namespace agate::gate
