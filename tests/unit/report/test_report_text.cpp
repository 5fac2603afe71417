// Tests of the text reporter and of what every reporter shares (format names, the gate decision,
// the summary line): the exact lines a person sees in a terminal or a hook's output.
#include "gate/report/report.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace agate::gate;

namespace {

Finding make(std::string rule, Severity severity, std::string file, int line, int end_line,
             std::string message) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.file = std::move(file);
  f.line = line;
  f.end_line = end_line;
  f.message = std::move(message);
  return f;
}

// A report with a whole-change finding, a new-side finding with code, an old-side finding and a
// note-level finding without a line, as the pipeline would hand it over (sorted by file).
Report sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.source = "staged changes";
  report.files_checked = 3;
  report.changes_checked = 1;
  report.fail_on = Severity::error;
  report.suppressed = 2;

  Finding whole = make("size/oversized-change", Severity::warning, "", 0, 0,
                       "1200 changed lines in 30 files is too large to review.");
  whole.change = "staged";
  whole.evidence = {{"lines", 1200}, {"files", 30}};
  whole.hint = "Split the change into smaller commits.";

  Finding guard = make("deletion/removed-guard", Severity::error, "src/app.py", 10, 11,
                       "The check `if user is None` was deleted.");
  guard.side = Side::old_side;
  guard.hint = "Restore the check or explain why it is no longer needed.";
  guard.change = "staged";

  Finding clone = make("duplication/clone", Severity::error, "src/app.py", 40, 41,
                       "parse_date duplicates utils.parse_date.");
  clone.evidence = {{"other", "src/utils.py:5-6"}, {"similarity", 0.97}};
  clone.change = "staged";

  Finding note = make("provenance/missing-record", Severity::note, "src/lib.py", 0, 0,
                      "No prompt record covers this file.");
  note.change = "staged";

  report.findings = {whole, guard, clone, note};
  report.snippets = {Snippet{}, Snippet{10, {"if user is None:", "    raise PermissionError()"}},
                     Snippet{40, {"def parse_date(text):", "    return datetime(text)"}},
                     Snippet{}};
  report.notes = {{"vendor/big.min.js", "not parsed: larger than limits.max_file_bytes"}};
  return report;
}

} // namespace

TEST_CASE("report formats: names parse and print back, unknown names are refused") {
  for (auto format :
       {Format::text, Format::json, Format::sarif, Format::github, Format::markdown}) {
    CHECK(parse_format(to_string(format)) == format);
  }
  CHECK_FALSE(parse_format("xml").has_value());
  CHECK_FALSE(parse_format("").has_value());
  CHECK_FALSE(parse_format("JSON").has_value());
}

TEST_CASE("report gate: fails at or above fail-on, never with fail-on never") {
  Report report = sample_report();
  CHECK(report.count(Severity::error) == 2);
  CHECK(report.count(Severity::warning) == 1);
  CHECK(report.count(Severity::note) == 1);
  CHECK(report.failed());
  report.fail_on = std::nullopt;
  CHECK_FALSE(report.failed());
  CHECK(summary_line(report) == "2 errors, 1 warning, 1 note (2 suppressed); gate: passed "
                                "(fail-on never)");
  report.findings = {report.findings[3]}; // the note only
  report.fail_on = Severity::warning;
  CHECK_FALSE(report.failed());
  report.fail_on = Severity::note;
  CHECK(report.failed());
  report.suppressed = 0;
  CHECK(summary_line(report) == "0 errors, 0 warnings, 1 note; gate: FAILED (fail-on note)");
}

TEST_CASE("report text: one compiler-style line per finding, files first, a tally at the end") {
  Report report = sample_report();
  report.snippets[1].marks = {'-', '-'};
  report.snippets[2].marks = {'+', ' '};
  report.policy_origin = ".agate/config.json at 1a2b3c4d5e6f";
  std::string out = render_text(report, RenderOptions{});
  const std::string expected = "src/app.py: error[deletion/removed-guard]: The check `if user is "
                               "None` was deleted.\n"
                               "   10 - if user is None:\n"
                               "   11 -     raise PermissionError()\n"
                               "  hint: Restore the check or explain why it is no longer needed.\n"
                               "src/app.py:40:1: error[duplication/clone]: parse_date duplicates "
                               "utils.parse_date.\n"
                               "   40 + def parse_date(text):\n"
                               "   41       return datetime(text)\n"
                               "src/lib.py: note[provenance/missing-record]: No prompt record "
                               "covers this file.\n"
                               "staged changes: warning[size/oversized-change]: 1200 changed "
                               "lines in 30 files is too large to review.\n"
                               "  hint: Split the change into smaller commits.\n"
                               "\n"
                               "notes:\n"
                               "  vendor/big.min.js: not parsed: larger than "
                               "limits.max_file_bytes\n"
                               "\n"
                               "by rule:\n"
                               "  deletion/removed-guard     1 error\n"
                               "  duplication/clone          1 error\n"
                               "  provenance/missing-record  1 note\n"
                               "  size/oversized-change      1 warning\n"
                               "checked staged changes: 3 files in 1 change; policy: "
                               ".agate/config.json at 1a2b3c4d5e6f\n"
                               "2 errors, 1 warning, 1 note (2 suppressed); gate: FAILED "
                               "(fail-on error)\n";
  CHECK(out == expected);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("evidence") == std::string::npos);
  CHECK(render(Format::text, report) == out);
}

TEST_CASE("report text: the evidence only with verbose, whole and cut between words") {
  Report report = sample_report();
  RenderOptions options;
  options.verbose = true;
  std::string out = render_text(report, options);
  CHECK(out.find("   41       return datetime(text)\n"
                 "  evidence: other=src/utils.py:5-6, similarity=0.97\n") != std::string::npos);
  CHECK(out.find("  hint: Split the change into smaller commits.\n"
                 "  evidence: files=30, lines=1200\n") != std::string::npos);

  Finding f = make("deletion/unrelated", Severity::warning, "a.py", 3, 3, "gone");
  std::string words;
  for (int i = 0; words.size() < 3000; ++i) {
    words += "word" + std::to_string(i) + " ";
  }
  f.evidence = {{"why", words}};
  report.findings = {f};
  report.snippets = {};
  out = render_text(report, options);
  std::string line = out.substr(out.find("  evidence: "));
  line = line.substr(0, line.find('\n'));
  CHECK(line.size() < 2100);
  CHECK(line.ends_with(" \xe2\x80\xa6"));
  std::string before = line.substr(0, line.size() - 4);
  CHECK(words.find(before.substr(before.rfind(' ') + 1) + " ") != std::string::npos);
}

TEST_CASE("report text: the tally counts each rule by level") {
  Report report;
  report.fail_on = Severity::error;
  Finding a = make("deletion/unrelated", Severity::error, "a.py", 3, 3, "big one");
  Finding b = make("deletion/unrelated", Severity::warning, "b.py", 5, 5, "small one");
  Finding c = make("deletion/unrelated", Severity::warning, "c.py", 9, 9, "another");
  report.findings = {a, b, c};
  report.policy_origin = "defaults (no .agate/config.json in the work tree)";
  std::string out = render_text(report, RenderOptions{});
  CHECK(out.find("by rule:\n  deletion/unrelated  1 error, 2 warnings\n") != std::string::npos);
  CHECK(out.find("; policy: defaults (no .agate/config.json in the work tree)\n") !=
        std::string::npos);
}

TEST_CASE("report text: no findings is a short line and the summary") {
  Report report;
  report.source = "commit 1a2b3c4";
  report.files_checked = 1;
  report.changes_checked = 1;
  report.fail_on = Severity::error;
  CHECK(render_text(report, RenderOptions{}) ==
        "no findings; checked commit 1a2b3c4: 1 file in 1 change\n"
        "0 errors, 0 warnings, 0 notes; gate: passed (fail-on error)\n");
}

TEST_CASE("report text: ANSI colors only when asked") {
  Report report = sample_report();
  RenderOptions options;
  options.color = true;
  std::string out = render_text(report, options);
  CHECK(out.find("\x1b[1;31merror\x1b[0m") != std::string::npos);
  CHECK(out.find("\x1b[1;33mwarning\x1b[0m") != std::string::npos);
  CHECK(out.find("\x1b[1;31mgate: FAILED\x1b[0m") != std::string::npos);
  report.fail_on = std::nullopt;
  CHECK(render_text(report, options).find("\x1b[1;32mgate: passed\x1b[0m") != std::string::npos);
  options.color = false;
  CHECK(render_text(report, options).find('\x1b') == std::string::npos);
}

TEST_CASE("report text: control characters from the repository cannot drive the terminal") {
  Report report;
  report.fail_on = Severity::error;
  Finding f = make("deletion/removed-test", Severity::warning, "evil\x1b[2Jname.py", 3, 3,
                   "clears\x1b[2J the screen\r\nand \xc2\x9b CSI");
  report.findings = {f};
  report.snippets = {Snippet{3, {"x = 1\x1b]0;title\x07"}}};
  std::string out = render_text(report, RenderOptions{});
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
  CHECK(out.find('\r') == std::string::npos);
  CHECK(out.find("\xc2\x9b") == std::string::npos);
  CHECK(out.find("\"evil\\x1b[2Jname.py\":3:1: warning[deletion/removed-test]: clears\\x1b[2J "
                 "the screen\\x0d\\x0aand \\u009b CSI\n") != std::string::npos);
  CHECK(out.find("    3   x = 1\\x1b]0;title\\x07\n") != std::string::npos);
}

TEST_CASE("report text: a few lines of code, long lines cut, the rest counted") {
  Report report;
  Finding f = make("duplication/clone", Severity::note, "a.py", 1, 30, "a long clone");
  f.evidence = {{"text", std::string(500, 'x')}};
  report.findings = {f};
  Snippet snippet{1, {}, {}};
  for (int i = 0; i < 30; ++i) {
    snippet.lines.push_back(i == 0 ? std::string(1000, 'y') : "line " + std::to_string(i + 1));
    snippet.marks.push_back('+');
  }
  report.snippets = {snippet};
  std::string out = render_text(report, RenderOptions{});
  CHECK(out.find("    4 + line 4\n") != std::string::npos);
  CHECK(out.find("line 5") == std::string::npos);
  CHECK(out.find("      \xe2\x80\xa6 26 more lines\n") != std::string::npos);
  CHECK(out.find("    1 + " + std::string(160, 'y') + "\xe2\x80\xa6\n") != std::string::npos);
  CHECK(out.find("xxx") == std::string::npos);
}

TEST_CASE("report text: findings on files before any whole-change finding, by path and line") {
  Report report;
  Finding a = make("signature/missing", Severity::error, "", 0, 0, "Commit aaa is unsigned.");
  a.change = "aaa";
  Finding z = make("deletion/removed-test", Severity::warning, "z.py", 2, 2, "test gone");
  z.change = "bbb";
  Finding b = make("size/oversized-change", Severity::error, "", 0, 0, "Range is large.");
  b.change = "aaa..bbb";
  Finding t9 = make("deletion/removed-test", Severity::warning, "t.py", 9, 9, "late test");
  t9.change = "bbb";
  Finding t2 = make("deletion/removed-test", Severity::warning, "t.py", 2, 2, "early test");
  t2.change = "bbb";
  Finding staged = make("size/scattered-change", Severity::note, "", 0, 0, "Scattered.");
  staged.change = "staged";
  report.findings = {a, z, b, t9, t2, staged};
  std::string out = render_text(report, RenderOptions{});
  CHECK(out.starts_with("t.py:2:1: warning[deletion/removed-test]: early test\n"
                        "t.py:9:1: warning[deletion/removed-test]: late test\n"
                        "z.py:2:1: warning[deletion/removed-test]: test gone\n"
                        "commit aaa: error[signature/missing]: Commit aaa is unsigned.\n"
                        "range aaa..bbb: error[size/oversized-change]: Range is large.\n"
                        "staged changes: note[size/scattered-change]: Scattered.\n"
                        "\n"
                        "by rule:\n"));
}
