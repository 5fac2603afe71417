// The text reporter: what a person reads in a terminal or a hook's output.
//
// Findings are grouped: whole-change findings first, under a heading naming the change, then one
// group per file. Each finding is one compiler-style line, `path:line[-end] severity[rule]
// message`, then the code lines it points at with their line numbers, then `= evidence:` and
// `= hint:` lines. Notes (skipped files) and a summary line with the gate's decision close the
// report. Everything read from the repository is sanitized, so a file name or a line of code
// cannot move the cursor or change colors. ANSI colors only when RenderOptions::color is set
// (the CLI sets it for a terminal without NO_COLOR).
#include "gate/report/report.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace agate::gate {

namespace {

constexpr std::size_t k_max_snippet_lines = 12;    // more are summarized as "... N more lines"
constexpr std::size_t k_max_code_line_bytes = 240; // a minified line is cut

class Painter {
public:
  explicit Painter(bool enabled) : m_enabled(enabled) {}

  std::string paint(std::string_view text, std::string_view code) const {
    return gate::paint(m_enabled, code, text);
  }
  std::string bold(std::string_view text) const { return paint(text, "1"); }
  std::string dim(std::string_view text) const { return paint(text, "2"); }
  std::string severity_code(Severity severity) const {
    switch (severity) {
    case Severity::error:
      return "1;31";
    case Severity::warning:
      return "1;33";
    case Severity::note:
      return "1;36";
    }
    return "1";
  }

private:
  bool m_enabled;
};

std::string cut_line(std::string_view line) {
  if (line.size() <= k_max_code_line_bytes) {
    return std::string(line);
  }
  std::size_t end = k_max_code_line_bytes;
  while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xc0) == 0x80) {
    --end;
  }
  return std::string(line.substr(0, end)) + "\xe2\x80\xa6";
}

void append_snippet(std::string& out, const Snippet& snippet, const Painter& painter) {
  std::size_t shown = std::min(snippet.lines.size(), k_max_snippet_lines);
  int last = snippet.first_line + static_cast<int>(shown) - 1;
  std::size_t width = std::to_string(std::max(last, 1)).size();
  for (std::size_t i = 0; i < shown; ++i) {
    std::string number = std::to_string(snippet.first_line + static_cast<int>(i));
    std::string gutter = std::string(width + 1 - number.size(), ' ') + number + " |";
    std::string code = sanitize(cut_line(snippet.lines[i]));
    if (!code.empty() && code.back() == '\r') {
      code.pop_back();
    }
    out += "  " + painter.dim(gutter) + (code.empty() ? "" : " " + code) + "\n";
  }
  if (shown < snippet.lines.size()) {
    out += "  " + std::string(width + 1, ' ') + painter.dim(" | ...") + " " +
           std::to_string(snippet.lines.size() - shown) + " more lines\n";
  }
}

void append_finding(std::string& out, const Report& report, std::size_t index,
                    const Painter& painter) {
  const Finding& finding = report.findings[index];
  std::string where = finding.file.empty()
                          ? (finding.change.empty() ? std::string("change") : finding.change)
                          : location_label(finding);
  std::string severity(to_string(finding.severity));
  out += painter.bold(sanitize(where) + (finding.file.empty() ? ":" : "")) + " " +
         painter.paint(severity, painter.severity_code(finding.severity)) +
         painter.bold("[" + sanitize(finding.rule) + "]") + " " + sanitize(finding.message) + "\n";
  if (const Snippet* snippet = snippet_of(report, index)) {
    append_snippet(out, *snippet, painter);
  }
  std::string evidence = compact_evidence(finding.evidence);
  if (!evidence.empty()) {
    out += "  " + painter.dim("= evidence:") + " " + evidence + "\n";
  }
  if (!finding.hint.empty()) {
    out += "  " + painter.bold("= hint:") + " " + sanitize(finding.hint) + "\n";
  }
}

std::string checked_line(const Report& report) {
  std::string line = "checked ";
  line += report.source.empty() ? std::string("the change") : sanitize(report.source);
  line += ": " + std::to_string(report.files_checked) +
          (report.files_checked == 1 ? " file" : " files") + " in " +
          std::to_string(report.changes_checked) +
          (report.changes_checked == 1 ? " change" : " changes");
  return line;
}

} // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
  Painter painter(options.color);
  std::string out;

  // Groups: whole-change findings by change label, then files, each in first-seen order.
  struct Group {
    std::string title;
    std::vector<std::size_t> findings;
  };
  std::vector<Group> change_groups;
  std::vector<Group> file_groups;
  std::map<std::pair<bool, std::string>, std::size_t> group_of;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& finding = report.findings[i];
    bool whole = finding.file.empty();
    auto& groups = whole ? change_groups : file_groups;
    auto [it, added] = group_of.emplace(
        std::make_pair(whole, whole ? finding.change : finding.file), groups.size());
    if (added) {
      std::string title = !whole                   ? quote_name(finding.file)
                          : finding.change.empty() ? std::string("the whole change")
                                                   : "change " + finding.change;
      groups.push_back(Group{std::move(title), {}});
    }
    groups[it->second].findings.push_back(i);
  }

  bool first_group = true;
  for (const auto* groups : {&change_groups, &file_groups}) {
    for (const Group& group : *groups) {
      if (!first_group) {
        out += "\n";
      }
      first_group = false;
      out += painter.bold("--- " + sanitize(group.title)) + "\n";
      for (std::size_t index : group.findings) {
        append_finding(out, report, index, painter);
      }
    }
  }

  if (!report.notes.empty()) {
    if (!out.empty()) {
      out += "\n";
    }
    out += painter.bold("notes:") + "\n";
    for (const Note& note : report.notes) {
      out += "  " + (note.file.empty() ? "" : quote_name(note.file) + ": ") +
             sanitize(note.message) + "\n";
    }
  }

  if (!out.empty()) {
    out += "\n";
  }
  if (report.findings.empty()) {
    out += "no findings; ";
  }
  out += checked_line(report) + "\n";
  std::string summary = summary_line(report);
  std::string decision = report.failed() ? "gate: FAILED" : "gate: passed";
  std::size_t at = summary.find(decision);
  out += summary.substr(0, at) + painter.paint(decision, report.failed() ? "1;31" : "1;32") +
         summary.substr(at + decision.size()) + "\n";
  return out;
}

} // namespace agate::gate
