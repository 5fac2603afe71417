// The JSON reporter: the stable machine-readable shape of docs/output-formats.md, documented with
// an example in docs/output-formats.md. Fields are only ever added, never renamed or removed.
//
//   {"version":1, "tool":{...}, "source":{...}, "findings":[...], "notes":[...], "summary":{...}}
//
// Every finding has all its fields, always of the same type: "file" is "" and "line"/"end_line"
// are 0 for a finding about a whole change, so a consumer never has to test for null. Strings
// that are not valid UTF-8 (a file name on Linux can be any bytes) are written with each bad byte
// as the text \xNN (gate/util/sanitize.hpp) rather than failing the whole report or merging two
// names into one U+FFFD.
#include "gate/report/report.hpp"

#include <algorithm>

namespace agate::gate {

namespace {

nlohmann::ordered_json finding_json(const Finding& finding) {
  int line = finding.line > 0 ? finding.line : 0;
  int end_line = line > 0 ? std::max(finding.end_line, line) : 0;
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
  if (finding.evidence.is_object()) {
    evidence = utf8_json(finding.evidence);
  } else if (!finding.evidence.is_null()) {
    evidence["value"] = utf8_json(finding.evidence);
  }
  // ordered_json keeps the documented field order.
  nlohmann::ordered_json item = nlohmann::ordered_json::object();
  item["rule"] = escape_invalid_utf8(finding.rule);
  item["severity"] = to_string(finding.severity);
  item["file"] = escape_invalid_utf8(finding.file);
  item["line"] = line;
  item["end_line"] = end_line;
  item["side"] = to_string(finding.side);
  item["message"] = escape_invalid_utf8(finding.message);
  item["evidence"] = std::move(evidence);
  item["hint"] = escape_invalid_utf8(finding.hint);
  item["change"] = escape_invalid_utf8(finding.change);
  return item;
}

} // namespace

std::string render_json(const Report& report) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["version"] = 1;
  out["tool"] = {{"name", "agate"}, {"version", report.tool_version}};
  nlohmann::ordered_json source = nlohmann::ordered_json::object();
  if (report.source_json.is_object()) {
    source = utf8_json(report.source_json);
  }
  if (!source.contains("description") && !report.source.empty()) {
    source["description"] = escape_invalid_utf8(report.source);
  }
  out["source"] = std::move(source);

  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& finding : report.findings) {
    findings.push_back(finding_json(finding));
  }
  out["findings"] = std::move(findings);

  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const Note& note : report.notes) {
    notes.push_back(
        {{"file", escape_invalid_utf8(note.file)}, {"message", escape_invalid_utf8(note.message)}});
  }
  out["notes"] = std::move(notes);

  nlohmann::ordered_json summary = nlohmann::ordered_json::object();
  summary["error"] = report.count(Severity::error);
  summary["warning"] = report.count(Severity::warning);
  summary["note"] = report.count(Severity::note);
  summary["total"] = static_cast<int>(report.findings.size());
  summary["failed"] = report.failed();
  summary["fail_on"] = report.fail_on ? std::string(to_string(*report.fail_on)) : "never";
  summary["suppressed"] = report.suppressed;
  summary["files_checked"] = report.files_checked;
  summary["changes_checked"] = report.changes_checked;
  out["summary"] = std::move(summary);

  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace agate::gate
