// The text reporter: what a person reads in a terminal or a hook's output.
//
// One compiler-style line per finding, `path:line:col: severity[rule]: message`, which editors
// and terminals turn into a link (the column is 1: agate places findings on lines). A finding on
// deleted lines names only its file, since its line numbers are those of the old file; its code
// lines carry the old numbers. Under the line: at most a few lines of the code it points at,
// added lines marked `+` and deleted ones `-`, then the hint on one line; the evidence (the
// facts behind the message, by their JSON names) only with RenderOptions::verbose. Findings on
// files come first, by path and line, then the findings about a whole change. Notes (skipped
// files), a tally per rule, the policy the run used and the gate's decision close the report.
// Everything read from the repository is sanitized, so a file name or a line of code cannot move
// the cursor or change colours. ANSI colours only when RenderOptions::color is set (the CLI sets
// it for a terminal without NO_COLOR, or --color=always).
#include "gate/report/report.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <tuple>

namespace agate::gate {

namespace {

constexpr std::size_t k_max_snippet_lines = 4;     // more are summarized as "… N more lines"
constexpr std::size_t k_max_code_line_bytes = 160; // a minified line is cut
constexpr std::size_t k_max_evidence_bytes = 2000; // --verbose: cut between words after this

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

// The first `max_bytes` bytes of `text`, not splitting a UTF-8 sequence, with "…" when cut.
std::string cut_line(std::string_view line, std::size_t max_bytes) {
  if (line.size() <= max_bytes) {
    return std::string(line);
  }
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(line[end]) & 0xc0) == 0x80) {
    --end;
  }
  return std::string(line.substr(0, end)) + "\xe2\x80\xa6";
}

// `text` cut after at most `max_bytes` at the last space before it, with " …": never mid-word
// (a text without a space up to there is cut at the limit, between UTF-8 sequences).
std::string cut_at_word(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  auto space = text.rfind(' ', max_bytes);
  if (space == std::string::npos || space == 0) {
    return cut_line(text, max_bytes);
  }
  auto end = text.find_last_not_of(" ,", space);
  return text.substr(0, end == std::string::npos ? space : end + 1) + " \xe2\x80\xa6";
}

// How a whole-change finding names its change: "staged changes", "commit 1a2b3c4", ...
std::string change_title(const std::string& label) {
  if (label.empty()) {
    return "the change";
  }
  if (label == "staged") {
    return "staged changes";
  }
  if (label == "worktree") {
    return "work tree";
  }
  if (label.find("..") != std::string::npos) {
    return "range " + label;
  }
  return "commit " + label;
}

// The finding's code lines, at most k_max_snippet_lines; the count of the others is taken from
// the finding's line range when the snippet holds fewer.
void append_snippet(std::string& out, const Snippet& snippet, const Finding& finding,
                    const Painter& painter) {
  std::size_t shown = std::min(snippet.lines.size(), k_max_snippet_lines);
  std::size_t total = snippet.lines.size();
  if (finding.end_line >= snippet.first_line) {
    total = std::max(total, static_cast<std::size_t>(finding.end_line - snippet.first_line + 1));
  }
  int last = snippet.first_line + static_cast<int>(shown) - 1;
  std::size_t width = std::max<std::size_t>(4, std::to_string(std::max(last, 1)).size());
  for (std::size_t i = 0; i < shown; ++i) {
    std::string number = std::to_string(snippet.first_line + static_cast<int>(i));
    char mark = i < snippet.marks.size() ? snippet.marks[i] : ' ';
    if (mark != '+' && mark != '-') {
      mark = ' ';
    }
    std::string code = sanitize(cut_line(snippet.lines[i], k_max_code_line_bytes));
    std::string gutter = std::string(width + 1 - number.size(), ' ') + number + " ";
    std::string marked = mark == ' '
                             ? std::string(" ")
                             : painter.paint(std::string(1, mark), mark == '+' ? "32" : "31");
    out += painter.dim(gutter) + marked + (code.empty() ? "" : " " + code) + "\n";
  }
  if (shown < total) {
    std::size_t more = total - shown;
    out += std::string(width + 2, ' ') +
           painter.dim("\xe2\x80\xa6 " + std::to_string(more) +
                       (more == 1 ? " more line" : " more lines")) +
           (finding.side == Side::old_side ? painter.dim(" (old file)") : "") + "\n";
  }
}

void append_finding(std::string& out, const Report& report, std::size_t index,
                    const RenderOptions& options, const Painter& painter) {
  const Finding& finding = report.findings[index];
  std::string where;
  if (finding.file.empty()) {
    where = sanitize(change_title(finding.change));
  } else if (finding.side == Side::old_side || finding.line <= 0) {
    where = quote_name(finding.file);
  } else {
    where = quote_name(finding.file) + ":" + std::to_string(finding.line) + ":1";
  }
  std::string severity(to_string(finding.severity));
  out += painter.bold(where + ":") + " " +
         painter.paint(severity, painter.severity_code(finding.severity)) +
         painter.bold("[" + sanitize(finding.rule) + "]") + ": " + sanitize(finding.message) + "\n";
  if (const Snippet* snippet = snippet_of(report, index)) {
    append_snippet(out, *snippet, finding, painter);
  }
  if (!finding.hint.empty()) {
    out += "  " + painter.bold("hint:") + " " + sanitize(finding.hint) + "\n";
  }
  if (options.verbose) {
    std::string evidence = compact_evidence(finding.evidence, std::string::npos);
    if (!evidence.empty()) {
      out += "  " + painter.dim("evidence:") + " " + cut_at_word(evidence, k_max_evidence_bytes) +
             "\n";
    }
  }
}

// "3 errors, 1 warning" (the levels with a count, most severe first).
std::string level_counts(const std::array<int, 3>& counts) {
  std::string out;
  for (Severity severity : {Severity::error, Severity::warning, Severity::note}) {
    int n = counts[static_cast<std::size_t>(severity)];
    if (n == 0) {
      continue;
    }
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(to_string(severity)) +
           (n == 1 ? "" : "s");
  }
  return out;
}

void append_tally(std::string& out, const Report& report, const Painter& painter) {
  std::map<std::string, std::array<int, 3>> by_rule;
  for (const Finding& finding : report.findings) {
    auto& counts = by_rule.try_emplace(finding.rule, std::array<int, 3>{0, 0, 0}).first->second;
    ++counts[static_cast<std::size_t>(finding.severity)];
  }
  std::size_t width = 0;
  for (const auto& [rule, counts] : by_rule) {
    width = std::max(width, sanitize(rule).size());
  }
  out += painter.bold("by rule:") + "\n";
  for (const auto& [rule, counts] : by_rule) {
    std::string name = sanitize(rule);
    out += "  " + name + std::string(width - name.size() + 2, ' ') + level_counts(counts) + "\n";
  }
}

std::string checked_line(const Report& report) {
  std::string line = "checked ";
  line += report.source.empty() ? std::string("the change") : sanitize(report.source);
  line += ": " + std::to_string(report.files_checked) +
          (report.files_checked == 1 ? " file" : " files") + " in " +
          std::to_string(report.changes_checked) +
          (report.changes_checked == 1 ? " change" : " changes");
  if (!report.policy_origin.empty()) {
    line += "; policy: " + sanitize(report.policy_origin);
  }
  return line;
}

} // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
  Painter painter(options.color);
  std::string out;

  // Findings on files first, by path and line (the report's order within a line), then the
  // findings about a whole change in the report's order.
  std::vector<std::size_t> order(report.findings.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&report](std::size_t a, std::size_t b) {
    const Finding& x = report.findings[a];
    const Finding& y = report.findings[b];
    bool x_whole = x.file.empty();
    bool y_whole = y.file.empty();
    if (x_whole || y_whole) {
      return !x_whole && y_whole;
    }
    return std::tie(x.file, x.line) < std::tie(y.file, y.line);
  });
  for (std::size_t index : order) {
    append_finding(out, report, index, options, painter);
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
  } else {
    append_tally(out, report, painter);
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
