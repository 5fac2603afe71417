// The SARIF reporter: SARIF 2.1.0 for GitHub code scanning and SARIF viewers, validated in the
// tests against the SARIF 2.1.0 JSON schema (tests/tools/validate-sarif.mjs).
//
// One run; tool.driver lists every rule the findings use (sorted by id). Each finding becomes a
// result with ruleId/ruleIndex, level, message.text (the message, the deleted code of an
// old-side finding, then the hint), one location and partialFingerprints (the finding's
// fingerprint, gate/report/anchor.hpp, with an occurrence count). A file path becomes a relative
// URI reference: '/'-separated, with every byte outside the URI's unreserved and sub-delimiter
// characters percent-encoded (spaces, '%', '#', '?', ':' and non-ASCII). Lines are 1-based; a
// finding without a line has no region.
// Every location is the finding's anchor, a file and line that exist at the analysed revision,
// because code scanning shows a region against the new file: an old-side finding sits on the
// nearest surviving line of its hunk, with properties.side = "old" and properties.oldRegion
// naming the old lines; a whole-change finding has a logical location naming the change and a
// physical one at the first file the change keeps. Only when no file survives is
// RenderOptions::sarif_change_anchor used (GitHub rejects an upload with any unlocated result).
// Notes become tool execution notifications. No timestamps: the same findings, the same bytes.
#include "gate/report/report.hpp"

#include "gate/core/rule_catalog.hpp"

#include <algorithm>
#include <map>

namespace agate::gate {

namespace {

// Insertion order, so the log reads top-down: version, tool, results.
using Json = nlohmann::ordered_json;

// Evidence and source come as nlohmann::json; any bytes that are not UTF-8 become \xNN text.
Json ordered(const nlohmann::json& value) {
  return utf8_json(value);
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

std::string line_span(int first, int last) {
  return last > first ? std::to_string(first) + "-" + std::to_string(last) : std::to_string(first);
}

// The message, the deleted code an old-side finding is about (its lines are not in the analysed
// revision, so the code travels in the text), then the hint.
Json result_message(const Finding& finding, const Anchor& anchor) {
  std::string text = finding.message.empty() ? finding.rule : finding.message;
  if (finding.side == Side::old_side && !finding.file.empty()) {
    text += "\n\nIn the old version of " + finding.file;
    if (finding.line > 0) {
      text += ", lines " + line_span(finding.line, std::max(finding.line, finding.end_line));
    }
    text += anchor.deleted_code.empty() ? "." : ", deleted:\n";
    for (const auto& line : anchor.deleted_code) {
      text += "    " + line + "\n";
    }
  }
  if (!finding.hint.empty()) {
    text += "\n\nHint: " + finding.hint;
  }
  return {{"text", escape_invalid_utf8(text)}};
}

Json physical(const std::string& path, int line, int end_line) {
  Json location = {{"artifactLocation", {{"uri", uri_reference(path)}}}};
  if (line > 0) {
    location["region"] = {{"startLine", line}, {"endLine", std::max(end_line, line)}};
  }
  return location;
}

// One location at a file and line of the analysed revision (the anchor); a whole-change finding
// also names the change as a logical location. Without an anchor path, the file itself without a
// region, or RenderOptions::sarif_change_anchor for the whole change.
Json location(const Finding& finding, const Anchor& anchor, const RenderOptions& options) {
  Json loc = Json::object();
  if (finding.file.empty()) {
    std::string name =
        escape_invalid_utf8(finding.change.empty() ? std::string("change") : finding.change);
    loc["logicalLocations"] = Json::array(
        {{{"name", name}, {"fullyQualifiedName", "change:" + name}, {"kind", "module"}}});
    loc["message"] = {{"text", "the whole change " + name}};
  }
  if (!anchor.path.empty()) {
    loc["physicalLocation"] = physical(anchor.path, anchor.line, anchor.end_line);
  } else if (!finding.file.empty()) {
    loc["physicalLocation"] = physical(finding.file, 0, 0);
  } else if (!options.sarif_change_anchor.empty()) {
    loc["physicalLocation"] = physical(options.sarif_change_anchor, 0, 0);
  }
  return loc;
}

} // namespace

// A repository-relative path as a relative URI reference (report.hpp) (RFC 3986 path-noscheme):
// unreserved characters, sub-delims, '@' and '/' stay; every other byte is %XX. ':' is encoded too,
// since in a first segment it would read as a scheme.
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
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    const Anchor anchor = anchor_of(report, i);
    const std::string& hash = anchor.fingerprint;
    int occurrence = ++occurrences[hash];
    Json properties = {
        {"side", to_string(finding.side)},
        {"evidence", finding.evidence.is_object() ? ordered(finding.evidence) : Json::object()},
    };
    if (!finding.change.empty()) {
      properties["change"] = escape_invalid_utf8(finding.change);
    }
    if (finding.file.empty()) {
      properties["wholeChange"] = true;
    }
    if (finding.side == Side::old_side && finding.line > 0) {
      properties["oldRegion"] = {{"startLine", finding.line},
                                 {"endLine", std::max(finding.line, finding.end_line)}};
    }
    results.push_back({
        {"ruleId", finding.rule},
        {"ruleIndex", rule_index[finding.rule]},
        {"level", sarif_level(finding.severity)},
        {"message", result_message(finding, anchor)},
        {"locations", Json::array({location(finding, anchor, options)})},
        {"partialFingerprints", {{"agateFindingHash/v1", hash + ":" + std::to_string(occurrence)}}},
        {"properties", std::move(properties)},
    });
  }

  Json notifications = Json::array();
  for (const Note& note : report.notes) {
    Json notification = {{"level", "note"},
                         {"message", {{"text", escape_invalid_utf8(note.message)}}}};
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
