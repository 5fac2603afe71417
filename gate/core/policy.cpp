// The policy: `.agate/config.json` (JSON with comments, gate/core/jsonc), validated against the
// schema table (gate/core/policy_schema), its defaults (rules/default-policy.jsonc, embedded), and
// applying it to findings: disabled rules and ignored paths dropped, severities overridden.
#include "gate/core/policy.hpp"

#include "gate/core/jsonc.hpp"
#include "gate/core/policy_schema.hpp"

#include "gate/util/embedded.hpp"

namespace agate::gate {

bool Policy::enabled(std::string_view rule) const {
  auto it = rules.find(std::string(rule));
  return it == rules.end() || it->second.enabled;
}

Severity Policy::severity_for(std::string_view rule, Severity analyzer_default) const {
  auto it = rules.find(std::string(rule));
  if (it == rules.end() || !it->second.severity) {
    return analyzer_default;
  }
  return *it->second.severity;
}

bool Policy::is_ignored(std::string_view path) const {
  bool ignored = false;
  for (const auto& pattern : ignore) {
    std::string_view glob = pattern;
    const bool negated = glob.starts_with('!');
    if (negated) {
      glob.remove_prefix(1);
    }
    if (glob_match(glob, path)) {
      ignored = !negated;
    }
  }
  return ignored;
}

Result<Policy> parse_policy(std::string_view text, std::string_view origin) {
  auto document = parse_jsonc(text, origin);
  TRY(document);
  Policy policy;
  policy.origin = std::string(origin);
  if (auto problem = validate_policy(*document, origin, policy)) {
    return fail(*problem);
  }
  return policy;
}

std::string_view default_policy_text() {
  const auto* file = embedded::find("default-policy.jsonc");
  return file == nullptr ? std::string_view("{}") : file->content;
}

Policy default_policy() {
  static const Policy policy = [] {
    auto parsed = parse_policy(default_policy_text(), "defaults");
    if (!parsed) {
      // The embedded file is part of the program: a test checks that it parses.
      throw Error("the built-in default policy is invalid: " + parsed.error());
    }
    return std::move(parsed).value();
  }();
  return policy;
}

std::vector<Finding> apply_policy(std::vector<Finding> findings, const Policy& policy) {
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (auto& finding : findings) {
    if (!policy.enabled(finding.rule)) {
      continue;
    }
    if (!finding.file.empty() && policy.is_ignored(finding.file)) {
      continue;
    }
    finding.severity = policy.severity_for(finding.rule, finding.severity);
    kept.push_back(std::move(finding));
  }
  return kept;
}

} // namespace agate::gate
