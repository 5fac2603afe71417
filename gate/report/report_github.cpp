// The GitHub reporter: workflow commands that GitHub Actions turns into annotations on the
// pull request's files.
//
//   ::error file=src/a.py,line=10,endLine=12,title=deletion/removed-guard::message%0Ahint
//
// GitHub shows at most 10 annotations of each level per step and 50 per job and drops the rest
// silently, so the most severe findings go first, each level and the total are capped
// (RenderOptions), and when any finding is left out a last `::notice` says how many and where to
// see them all (one notice slot is kept free for it). An old-side finding has no line in the new
// file: its annotation names the file only and its message says which old lines it means. A
// finding about a whole change has no file. Values are escaped as GitHub's toolkit does (data:
// % CR LF; properties: also ':' and ','), and control characters are made visible first, so a
// message cannot start a command of its own. A plain summary line ends the output.
#include "gate/report/report.hpp"

namespace agate::gate {

namespace {

std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view command_of(Severity severity) {
  switch (severity) {
  case Severity::error:
    return "error";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "notice";
  }
  return "warning";
}

std::string annotation(const Finding& finding) {
  std::string properties;
  auto add = [&](std::string_view key, const std::string& value) {
    properties += properties.empty() ? " " : ",";
    properties += std::string(key) + "=" + escape_property(value);
  };
  std::string message = finding.message.empty() ? finding.rule : finding.message;
  if (!finding.file.empty()) {
    add("file", quote_name(finding.file));
    if (finding.side == Side::old_side) {
      if (finding.line > 0) {
        std::string lines =
            finding.end_line > finding.line
                ? "lines " + std::to_string(finding.line) + "-" + std::to_string(finding.end_line)
                : "line " + std::to_string(finding.line);
        message = "(old version, " + lines + ") " + message;
      } else {
        message = "(old version) " + message;
      }
    } else if (finding.line > 0) {
      add("line", std::to_string(finding.line));
      add("endLine", std::to_string(std::max(finding.end_line, finding.line)));
    }
  } else if (!finding.change.empty()) {
    message = "(change " + finding.change + ") " + message;
  }
  add("title", sanitize(finding.rule));
  if (!finding.hint.empty()) {
    message += "\n" + finding.hint;
  }
  return "::" + std::string(command_of(finding.severity)) + properties +
         "::" + escape_data(sanitize(message, true)) + "\n";
}

} // namespace

std::string render_github(const Report& report, const RenderOptions& options) {
  auto select = [&](int per_level, int total) {
    std::vector<std::size_t> shown;
    int per[3] = {0, 0, 0};
    for (std::size_t index : by_severity(report)) {
      auto level = static_cast<std::size_t>(report.findings[index].severity);
      if (per[level] < per_level && static_cast<int>(shown.size()) < total) {
        ++per[level];
        shown.push_back(index);
      }
    }
    return shown;
  };
  int per_level = std::max(options.github_max_per_level, 0);
  int total = std::max(options.github_max_total, 0);
  std::vector<std::size_t> shown = select(per_level, total);
  bool notice_needed = shown.size() < report.findings.size();
  if (notice_needed) {
    // Keep one notice (and one of the total) for the closing notice, which GitHub counts too.
    std::vector<std::size_t> first = select(per_level, std::max(total - 1, 0));
    shown.clear();
    int notices = 0;
    for (std::size_t index : first) {
      if (report.findings[index].severity == Severity::note && ++notices >= per_level) {
        continue;
      }
      shown.push_back(index);
    }
  }

  std::string out;
  for (std::size_t index : shown) {
    out += annotation(report.findings[index]);
  }
  if (notice_needed) {
    std::size_t hidden = report.findings.size() - shown.size();
    out += "::notice title=agate::" +
           escape_data(std::to_string(hidden) + " of " + std::to_string(report.findings.size()) +
                       " findings are not shown as annotations (GitHub shows at most " +
                       std::to_string(per_level) + " of each level per step and " +
                       std::to_string(total) +
                       " per job): see the job summary or the SARIF report for all of them.") +
           "\n";
  }
  out += "agate: " + summary_line(report) + "\n";
  return out;
}

} // namespace agate::gate
