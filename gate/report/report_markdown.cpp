// The Markdown reporter: a job summary for $GITHUB_STEP_SUMMARY.
//
// A title with the gate's decision, a table of counts, a table of the findings (most severe
// first), a collapsible section per finding with its message, hint, evidence and code in a
// fenced block, and the notes. Text from the repository is escaped so it cannot break the table
// or inject HTML, and code fences are longer than any run of backticks in the code. GitHub takes
// at most 1 MiB: the summary is kept within RenderOptions::markdown_max_bytes by leaving out
// details first and then whole findings (least severe last in, first out), and a closing line
// says how many were left out and where to see them all.
#include "gate/report/markdown_text.hpp"
#include "gate/report/report.hpp"

#include <algorithm>

namespace agate::gate {

namespace {

std::string location_cell(const Finding& finding) {
  if (finding.file.empty()) {
    return "change " + code_span(finding.change.empty() ? "(whole)" : finding.change, true);
  }
  std::string label = location_label(finding);
  bool old_side = finding.side == Side::old_side;
  if (old_side) {
    label.resize(label.size() - std::string_view(" (old)").size());
  }
  return code_span(label, true) + (old_side ? " (old)" : "");
}

std::string row(const Finding& finding) {
  return "| " + std::string(to_string(finding.severity)) + " | " + code_span(finding.rule, true) +
         " | " + location_cell(finding) + " | " + escape_text(finding.message, true) + " |\n";
}

std::string details(const Report& report, std::size_t index) {
  const Finding& finding = report.findings[index];
  std::string where =
      finding.file.empty()
          ? "change " + (finding.change.empty() ? std::string("(whole)") : finding.change)
          : location_label(finding);
  // The summary line is HTML, not Markdown: only entities.
  std::string summary;
  for (char c :
       sanitize(std::string(to_string(finding.severity)) + " " + finding.rule + " at " + where)) {
    summary += c == '<'   ? std::string("&lt;")
               : c == '>' ? std::string("&gt;")
               : c == '&' ? std::string("&amp;")
                          : std::string(1, c);
  }
  std::string out = "<details><summary>" + summary + "</summary>\n\n";
  out += escape_text(finding.message) + "\n\n";
  if (!finding.hint.empty()) {
    out += "**Hint:** " + escape_text(finding.hint) + "\n\n";
  }
  std::string evidence = compact_evidence(finding.evidence, 2000);
  if (!evidence.empty()) {
    out += "Evidence: " + code_span(evidence, false) + "\n\n";
  }
  if (const Snippet* snippet = snippet_of(report, index)) {
    int last = snippet->first_line + static_cast<int>(snippet->lines.size()) - 1;
    out += last > snippet->first_line
               ? "Lines " + std::to_string(snippet->first_line) + "-" + std::to_string(last)
               : "Line " + std::to_string(snippet->first_line);
    out += finding.side == Side::old_side ? " (old version):\n\n" : ":\n\n";
    out += code_block(snippet->lines, fence_language(finding.file)) + "\n";
  }
  out += "</details>\n\n";
  return out;
}

std::string counts_table(const Report& report) {
  std::string out = "| Severity | Findings |\n| --- | ---: |\n";
  out += "| error | " + std::to_string(report.count(Severity::error)) + " |\n";
  out += "| warning | " + std::to_string(report.count(Severity::warning)) + " |\n";
  out += "| note | " + std::to_string(report.count(Severity::note)) + " |\n";
  out += "| suppressed | " + std::to_string(report.suppressed) + " |\n\n";
  return out;
}

} // namespace

std::string render_markdown(const Report& report, const RenderOptions& options) {
  std::string head = report.failed() ? "## agate: gate FAILED\n\n" : "## agate: gate passed\n\n";
  head += "Checked " + escape_text(report.source.empty() ? "the change" : report.source) + ": " +
          std::to_string(report.files_checked) + (report.files_checked == 1 ? " file" : " files") +
          " in " + std::to_string(report.changes_checked) +
          (report.changes_checked == 1 ? " change" : " changes") + ". " +
          escape_text(summary_line(report)) + ".\n\n";
  head += counts_table(report);

  std::vector<std::size_t> order = by_severity(report);
  std::vector<std::string> rows;
  std::vector<std::string> detail;
  for (std::size_t index : order) {
    rows.push_back(row(report.findings[index]));
    detail.push_back(details(report, index));
  }
  std::vector<std::string> note_lines;
  for (const Note& note : report.notes) {
    note_lines.push_back("- " +
                         (note.file.empty() ? "" : code_span(quote_name(note.file), false) + ": ") +
                         escape_text(note.message) + "\n");
  }

  const std::string table_head =
      "### Findings\n\n| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n";
  const std::string details_head = "### Details\n\n";
  const std::string notes_head = "### Notes\n\n";
  const std::size_t footer_reserve = 400; // the closing "left out" lines
  const std::size_t limit = options.markdown_max_bytes;
  std::size_t used = head.size() + footer_reserve;

  // Rows first (most severe first), then notes, then details for the rows that made it.
  std::size_t rows_shown = 0;
  if (!rows.empty() && used + table_head.size() + 1 <= limit) {
    used += table_head.size() + 1;
    while (rows_shown < rows.size() && used + rows[rows_shown].size() <= limit) {
      used += rows[rows_shown++].size();
    }
  }
  std::size_t notes_shown = 0;
  if (!note_lines.empty() && used + notes_head.size() + 1 <= limit) {
    used += notes_head.size() + 1;
    while (notes_shown < note_lines.size() && used + note_lines[notes_shown].size() <= limit) {
      used += note_lines[notes_shown++].size();
    }
  }
  std::size_t details_shown = 0;
  if (rows_shown > 0 && used + details_head.size() <= limit) {
    used += details_head.size();
    while (details_shown < rows_shown && used + detail[details_shown].size() <= limit) {
      used += detail[details_shown++].size();
    }
  }

  std::string out = head;
  if (report.findings.empty()) {
    out += "No findings.\n\n";
  }
  if (rows_shown > 0) {
    out += table_head;
    for (std::size_t i = 0; i < rows_shown; ++i) {
      out += rows[i];
    }
    out += "\n";
  }
  if (details_shown > 0) {
    out += details_head;
    for (std::size_t i = 0; i < details_shown; ++i) {
      out += detail[i];
    }
  }
  if (notes_shown > 0) {
    out += notes_head;
    for (std::size_t i = 0; i < notes_shown; ++i) {
      out += note_lines[i];
    }
    out += "\n";
  }
  std::size_t left_out = rows.size() - rows_shown;
  if (left_out > 0) {
    out += "_" + std::to_string(left_out) + " of " + std::to_string(rows.size()) +
           " findings left out to keep this summary under " + std::to_string(limit) +
           " bytes; see the SARIF or JSON report for all of them._\n\n";
  }
  if (details_shown < rows_shown) {
    out += "_Details of " + std::to_string(rows_shown - details_shown) +
           " findings left out for size._\n\n";
  }
  if (notes_shown < note_lines.size()) {
    out += "_" + std::to_string(note_lines.size() - notes_shown) + " of " +
           std::to_string(note_lines.size()) + " notes left out for size._\n\n";
  }
  return out;
}

} // namespace agate::gate
