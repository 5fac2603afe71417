// The SARIF reporter: SARIF 2.1.0 for GitHub code scanning and SARIF viewers, validated in the
// tests against the SARIF 2.1.0 JSON schema (tests/tools/validate-sarif.mjs).
//
// One run; tool.driver lists every rule the findings use (sorted by id). Each finding becomes a
// result with ruleId/ruleIndex, level, message.text (the message, then the hint), one location
// and partialFingerprints. A file path becomes a relative URI reference: '/'-separated, with
// every byte outside the URI's unreserved and sub-delimiter characters percent-encoded (spaces,
// '%', '#', '?', ':' and non-ASCII). Lines are 1-based; a finding without a line has no region.
// An old-side finding's region refers to the old version of the file and carries
// properties.side = "old" (docs/output-formats.md). A finding about a whole change has a logical
// location naming the change and, because GitHub rejects an upload with any unlocated result, a
// physical location at RenderOptions::sarif_change_anchor without a region. Notes become tool
// execution notifications. No timestamps, so the same findings always give the same bytes.
#include "gate/report/report.hpp"

#include "gate/core/rule_catalog.hpp"

#include <algorithm>
#include <cstdint>
#include <map>

namespace agate::gate {

namespace {

// Insertion order, so the log reads top-down: version, tool, results.
using Json = nlohmann::ordered_json;

// Evidence and source come as nlohmann::json; any bytes that are not UTF-8 become U+FFFD.
Json ordered(const nlohmann::json& value) {
  return Json::parse(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string_view sarif_level(Severity severity) {
  switch (severity) {
  case Severity::error:
    return "error";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "note";
  }
  return "warning";
}

// A repository-relative path as a relative URI reference (RFC 3986 path-noscheme): unreserved
// characters, sub-delims, '@' and '/' stay; every other byte is %XX. ':' is encoded too, since
// in a first segment it would read as a scheme.
std::string uri_reference(std::string_view path) {
  static constexpr std::string_view keep = "-._~!$&'()*+,;=@/";
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || (c < 0x80 && keep.find(static_cast<char>(c)) != std::string_view::npos)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0f];
    }
  }
  return out;
}

// FNV-1a, 64 bits: stable across runs and platforms, which is all a fingerprint needs.
std::string fingerprint(const Finding& finding) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto feed = [&](std::string_view text) {
    for (char ch : text) {
      hash ^= static_cast<unsigned char>(ch);
      hash *= 0x100000001b3ULL;
    }
    hash ^= 0xff; // field separator
    hash *= 0x100000001b3ULL;
  };
  feed(finding.rule);
  feed(finding.file);
  feed(finding.message);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = hex[hash & 0x0f];
    hash >>= 4;
  }
  return out;
}

Json result_message(const Finding& finding) {
  std::string text = finding.message.empty() ? finding.rule : finding.message;
  if (!finding.hint.empty()) {
    text += "\n\nHint: " + finding.hint;
  }
  return {{"text", text}};
}

Json location(const Finding& finding, const RenderOptions& options) {
  Json loc = Json::object();
  if (!finding.file.empty()) {
    Json physical = {{"artifactLocation", {{"uri", uri_reference(finding.file)}}}};
    if (finding.line > 0) {
      physical["region"] = {{"startLine", finding.line},
                            {"endLine", std::max(finding.end_line, finding.line)}};
    }
    loc["physicalLocation"] = std::move(physical);
    return loc;
  }
  std::string name = finding.change.empty() ? std::string("change") : finding.change;
  loc["logicalLocations"] =
      Json::array({{{"name", name}, {"fullyQualifiedName", "change:" + name}, {"kind", "module"}}});
  loc["message"] = {{"text", "the whole change " + name}};
  if (!options.sarif_change_anchor.empty()) {
    loc["physicalLocation"] = {
        {"artifactLocation", {{"uri", uri_reference(options.sarif_change_anchor)}}}};
  }
  return loc;
}

} // namespace

std::string render_sarif(const Report& report, const RenderOptions& options) {
  // Rules: every id used, sorted, described from the rule catalog: its summary, its default
  // severity and its documentation page. A rule the catalog does not know is named by its id,
  // with the highest severity it has in this report.
  std::map<std::string, Severity> used;
  for (const Finding& finding : report.findings) {
    auto [it, inserted] = used.emplace(finding.rule, finding.severity);
    if (!inserted && finding.severity > it->second) {
      it->second = finding.severity;
    }
  }
  Json rules = Json::array();
  std::map<std::string, int> rule_index;
  for (const auto& [id, highest] : used) {
    const RuleInfo* info = find_rule(id);
    std::string analyzer = id.substr(0, id.find('/'));
    Json rule = {
        {"id", id},
        {"shortDescription", {{"text", info == nullptr ? id : std::string(info->summary)}}},
        {"defaultConfiguration",
         {{"level", sarif_level(info == nullptr ? highest : info->default_severity)}}},
        {"properties", {{"tags", Json::array({"agate", analyzer})}}},
    };
    if (info != nullptr) {
      rule["help"] = {{"text", std::string(info->summary) + " Documentation: " +
                                   std::string(info->doc) + " in the agate repository."}};
    }
    if (!options.information_uri.empty()) {
      std::string base = options.information_uri;
      if (!base.ends_with('/')) {
        base += '/';
      }
      rule["helpUri"] = info == nullptr ? options.information_uri : base + std::string(info->doc);
    }
    rule_index[id] = static_cast<int>(rules.size());
    rules.push_back(std::move(rule));
  }

  Json driver = {
      {"name", "agate"},
      {"version", report.tool_version.empty() ? std::string("0") : report.tool_version},
      {"rules", std::move(rules)},
  };
  if (!options.information_uri.empty()) {
    driver["informationUri"] = options.information_uri;
  }

  Json results = Json::array();
  std::map<std::string, int> occurrences; // same rule+file+message: hash:1, hash:2, ...
  for (const Finding& finding : report.findings) {
    std::string hash = fingerprint(finding);
    int occurrence = ++occurrences[hash];
    Json properties = {
        {"side", to_string(finding.side)},
        {"evidence", finding.evidence.is_object() ? ordered(finding.evidence) : Json::object()},
    };
    if (!finding.change.empty()) {
      properties["change"] = finding.change;
    }
    if (finding.file.empty()) {
      properties["wholeChange"] = true;
    }
    results.push_back({
        {"ruleId", finding.rule},
        {"ruleIndex", rule_index[finding.rule]},
        {"level", sarif_level(finding.severity)},
        {"message", result_message(finding)},
        {"locations", Json::array({location(finding, options)})},
        {"partialFingerprints", {{"agateFindingHash/v1", hash + ":" + std::to_string(occurrence)}}},
        {"properties", std::move(properties)},
    });
  }

  Json notifications = Json::array();
  for (const Note& note : report.notes) {
    Json notification = {{"level", "note"}, {"message", {{"text", note.message}}}};
    if (!note.file.empty()) {
      notification["locations"] = Json::array(
          {{{"physicalLocation", {{"artifactLocation", {{"uri", uri_reference(note.file)}}}}}}});
    }
    notifications.push_back(std::move(notification));
  }
  Json invocation = {{"executionSuccessful", true}};
  if (!notifications.empty()) {
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }

  Json run = {
      {"tool", {{"driver", std::move(driver)}}},
      {"invocations", Json::array({std::move(invocation)})},
      {"results", std::move(results)},
      {"properties",
       {{"source", report.source_json.is_object() ? ordered(report.source_json) : Json::object()},
        {"failed", report.failed()},
        {"failOn", report.fail_on ? std::string(to_string(*report.fail_on)) : "never"},
        {"suppressed", report.suppressed},
        {"filesChecked", report.files_checked},
        {"changesChecked", report.changes_checked}}},
  };

  Json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Json::array({std::move(run)})},
  };
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace agate::gate
