// Tests of the GitHub reporter: the exact workflow commands, GitHub's escaping rules, the order
// (most severe first) and the per-level and total limits with the closing notice.
#include "gate/report/report.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

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

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

int count_prefix(const std::vector<std::string>& lines, std::string_view prefix) {
  int n = 0;
  for (const auto& line : lines) {
    n += line.starts_with(prefix) ? 1 : 0;
  }
  return n;
}

} // namespace

TEST_CASE("report github: workflow commands, most severe first, with the summary line") {
  Report report;
  report.fail_on = Severity::error;
  Finding note = make("provenance/missing-record", Severity::note, "src/a.py", 0, 0,
                      "No prompt record covers this file.");
  Finding error = make("duplication/clone", Severity::error, "src/b.py", 3, 9,
                       "parse() duplicates util.parse().");
  error.hint = "Call util.parse() instead.";
  Finding single = make("deletion/dangling-reference", Severity::warning, "src/c.py", 4, 0,
                        "helper() is still called here.");
  Finding whole = make("signature/missing", Severity::error, "", 0, 0, "The commit is unsigned.");
  whole.change = "1a2b3c4";
  report.findings = {whole, note, error, single};

  CHECK(render_github(report, RenderOptions{}) ==
        "::error title=signature/missing::(change 1a2b3c4) The commit is unsigned.\n"
        "::error file=src/b.py,line=3,endLine=9,title=duplication/clone::parse() duplicates "
        "util.parse().%0ACall util.parse() instead.\n"
        "::warning file=src/c.py,line=4,endLine=4,title=deletion/dangling-reference::helper() is "
        "still called here.\n"
        "::notice file=src/a.py,title=provenance/missing-record::No prompt record covers this "
        "file.\n"
        "agate: 2 errors, 1 warning, 1 note; gate: FAILED (fail-on error)\n");
  CHECK(render(Format::github, report) == render_github(report, RenderOptions{}));
}

TEST_CASE("report github: escaping of data and properties as GitHub's toolkit does") {
  Report report;
  Finding f = make("deletion/removed-test", Severity::warning, "we,ird:name%.py", 2, 3,
                   "100% gone\r\n::error::forged");
  f.hint = "a: b, c";
  report.findings = {f};
  auto lines = lines_of(render_github(report, RenderOptions{}));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "::warning file=we%2Cird%3Aname%25.py,line=2,endLine=3,"
                    "title=deletion/removed-test::100%25 gone%0D%0A::error::forged%0Aa: b, c");
  CHECK(lines[1].starts_with("agate: "));

  // A rule (title) with the property delimiters, and a control character in a message.
  report.findings[0].rule = "x:y,z";
  report.findings[0].message = "bell\x07 and \x1b[31mred";
  report.findings[0].hint.clear();
  lines = lines_of(render_github(report, RenderOptions{}));
  CHECK(lines[0] ==
        "::warning file=we%2Cird%3Aname%25.py,line=2,endLine=3,title=x%3Ay%2Cz::bell\\x07 "
        "and \\x1b[31mred");
}

TEST_CASE("report github: an old-side finding names the file only and the old lines") {
  Report report;
  Finding range = make("deletion/removed-guard", Severity::error, "src/app.py", 20, 22,
                       "A None check was deleted.");
  range.side = Side::old_side;
  Finding one =
      make("deletion/removed-test", Severity::warning, "tests/t.py", 5, 5, "test_x was deleted.");
  one.side = Side::old_side;
  Finding file_only = make("deletion/removed-test", Severity::warning, "tests/gone.py", 0, 0,
                           "The test file was deleted.");
  file_only.side = Side::old_side;
  report.findings = {range, one, file_only};
  auto lines = lines_of(render_github(report, RenderOptions{}));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "::error file=src/app.py,title=deletion/removed-guard::(old version, lines "
                    "20-22) A None check was deleted.");
  CHECK(lines[1] == "::warning file=tests/t.py,title=deletion/removed-test::(old version, line "
                    "5) test_x was deleted.");
  CHECK(lines[2] == "::warning file=tests/gone.py,title=deletion/removed-test::(old version) The "
                    "test file was deleted.");
}

TEST_CASE("report github: at most 10 per level, a notice slot kept, the rest counted") {
  Report report;
  for (int i = 0; i < 15; ++i) {
    report.findings.push_back(make("duplication/clone", Severity::error, "e.py", i + 1, i + 1,
                                   "error " + std::to_string(i)));
  }
  for (int i = 0; i < 12; ++i) {
    report.findings.push_back(make("size/scattered-change", Severity::warning, "w.py", i + 1, i + 1,
                                   "warning " + std::to_string(i)));
  }
  for (int i = 0; i < 12; ++i) {
    report.findings.push_back(make("provenance/missing-record", Severity::note, "n.py", i + 1,
                                   i + 1, "note " + std::to_string(i)));
  }
  auto lines = lines_of(render_github(report, RenderOptions{}));
  CHECK(count_prefix(lines, "::error ") == 10);
  CHECK(count_prefix(lines, "::warning ") == 10);
  CHECK(count_prefix(lines, "::notice ") == 10); // 9 findings and the closing notice
  CHECK(count_prefix(lines, "::notice file=n.py") == 9);
  // The first ten errors, in report order.
  CHECK(lines[0].ends_with("::error 0"));
  CHECK(lines[9].ends_with("::error 9"));
  CHECK(lines[10].ends_with("::warning 0"));
  REQUIRE(lines.size() == 31);
  CHECK(lines[29] == "::notice title=agate::10 of 39 findings are not shown as annotations "
                     "(GitHub shows at most 10 of each level per step and 50 per job): see the "
                     "job summary or the SARIF report for all of them.");
  CHECK(lines[30].starts_with("agate: 15 errors, 12 warnings, 12 notes"));
}

TEST_CASE("report github: the total limit counts the closing notice") {
  Report report;
  for (int i = 0; i < 3; ++i) {
    report.findings.push_back(make("duplication/clone", Severity::error, "e.py", i + 1, i + 1,
                                   "error " + std::to_string(i)));
    report.findings.push_back(make("size/scattered-change", Severity::warning, "w.py", i + 1, i + 1,
                                   "warning " + std::to_string(i)));
  }
  RenderOptions options;
  options.github_max_total = 5;
  auto lines = lines_of(render_github(report, options));
  CHECK(count_prefix(lines, "::error ") == 3);
  CHECK(count_prefix(lines, "::warning ") == 1);
  CHECK(count_prefix(lines, "::notice title=agate::2 of 6 findings are not shown") == 1);
  CHECK(lines.size() == 6); // 5 annotations and the plain summary line

  // Within every limit: no closing notice.
  options.github_max_total = 6;
  lines = lines_of(render_github(report, options));
  CHECK(count_prefix(lines, "::notice") == 0);
  CHECK(lines.size() == 7);
}

TEST_CASE("report github: no findings is only the summary line") {
  Report report;
  report.fail_on = Severity::warning;
  CHECK(render_github(report, RenderOptions{}) ==
        "agate: 0 errors, 0 warnings, 0 notes; gate: passed (fail-on warning)\n");
}
