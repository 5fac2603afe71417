// The Code Quality reporter: the JSON GitLab reads from a job's `codequality` report to show
// findings in a merge request (its widget and the diff view), a subset of the Code Climate
// engine format.
//
// A JSON array with one issue per finding:
//   {"type":"issue", "check_name": rule, "description": message (and the deleted code of an
//    old-side finding), "content":{"body": hint}, "categories":[...], "severity": info | minor |
//    critical, "fingerprint": the finding's fingerprint (gate/report/anchor.hpp) and its
//    occurrence, "location":{"path": anchor path, "lines":{"begin": anchor line}}}
// GitLab requires description, check_name, fingerprint, severity, location.path and
// location.lines.begin on every issue, and shows an issue only at a file and line of the merge
// request's head: the location is the finding's anchor, and a finding with no surviving file
// (a change that only deletes files) is placed at the first line of its own file. A fingerprint
// is unique in the report (GitLab drops repeated ones) and stable across pushes, so GitLab tells
// new issues from fixed ones.
#include "gate/report/report.hpp"

#include <map>

namespace agate::gate {

namespace {

using Json = nlohmann::ordered_json;

std::string_view quality_severity(Severity severity) {
  switch (severity) {
  case Severity::error:
    return "critical";
  case Severity::warning:
    return "minor";
  case Severity::note:
    return "info";
  }
  return "minor";
}

// Code Climate's categories: deletions and signatures are risks, size and duplication are
// complexity and duplication, everything else style.
std::string_view category(const std::string& rule) {
  if (rule.starts_with("deletion") || rule.starts_with("signature") ||
      rule.starts_with("provenance")) {
    return "Bug Risk";
  }
  if (rule.starts_with("duplication")) {
    return "Duplication";
  }
  if (rule.starts_with("size")) {
    return "Complexity";
  }
  return "Style";
}

std::string description(const Finding& finding, const Anchor& anchor) {
  std::string text = finding.message.empty() ? finding.rule : finding.message;
  if (finding.file.empty() && !finding.change.empty()) {
    text += " (the whole change " + finding.change + ")";
  }
  if (finding.side == Side::old_side && !anchor.deleted_code.empty()) {
    text += " Deleted from " + finding.file + ":";
    for (const auto& line : anchor.deleted_code) {
      text += "\n    " + line;
    }
  }
  return escape_invalid_utf8(text);
}

} // namespace

std::string render_codeclimate(const Report& report) {
  Json issues = Json::array();
  std::map<std::string, int> occurrences;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    const Anchor anchor = anchor_of(report, i);
    int occurrence = ++occurrences[anchor.fingerprint];
    std::string path = anchor.path.empty() ? finding.file : anchor.path;
    if (path.empty()) {
      path = ".";
    }
    Json issue = {
        {"type", "issue"},
        {"check_name", finding.rule},
        {"description", description(finding, anchor)},
        {"categories", Json::array({category(finding.rule)})},
        {"severity", quality_severity(finding.severity)},
        {"fingerprint", anchor.fingerprint + ":" + std::to_string(occurrence)},
        {"location",
         {{"path", escape_invalid_utf8(path)},
          {"lines", {{"begin", anchor.path.empty() ? 1 : std::max(anchor.line, 1)}}}}},
    };
    if (!finding.hint.empty()) {
      issue["content"] = {{"body", escape_invalid_utf8(finding.hint)}};
    }
    issues.push_back(std::move(issue));
  }
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace agate::gate
