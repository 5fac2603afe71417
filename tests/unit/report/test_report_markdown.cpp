// Tests of the Markdown reporter (the GitHub job summary): its sections, the escaping that keeps
// tables and code blocks intact, and the truncation under the size limit with exact counts.
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

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_CASE("report markdown: title, counts, findings table, details with code, notes") {
  Report report;
  report.source = "pull request #7";
  report.files_checked = 2;
  report.changes_checked = 3;
  report.fail_on = Severity::error;
  report.suppressed = 4;
  Finding warning = make("size/scattered-change", Severity::warning, "", 0, 0,
                         "The change touches 4 unrelated areas.");
  warning.change = "1a2b3c4";
  Finding error = make("deletion/removed-guard", Severity::error, "src/app.py", 10, 11,
                       "The check `if user is None` was deleted.");
  error.side = Side::old_side;
  error.hint = "Restore it.";
  error.evidence = {{"guard", "if user is None"}};
  report.findings = {warning, error};
  report.snippets = {Snippet{}, Snippet{10, {"if user is None:", "    raise Denied()"}}};
  report.notes = {{"vendor/x.js", "not parsed: generated"}};

  std::string out = render_markdown(report, RenderOptions{});
  CHECK(out.starts_with("## agate: gate FAILED\n\nChecked pull request \\#7: 2 files in 3 "
                        "changes. 1 error, 1 warning, 0 notes (4 suppressed); gate: FAILED "
                        "(fail-on error).\n\n"));
  CHECK(out.find("| Severity | Findings |\n| --- | ---: |\n| error | 1 |\n| warning | 1 |\n| "
                 "note | 0 |\n| suppressed | 4 |\n") != std::string::npos);
  // Most severe first.
  CHECK(out.find("| Severity | Rule | Location | Message |\n| --- | --- | --- | --- |\n"
                 "| error | `deletion/removed-guard` | `src/app.py:10-11` (old) | The check "
                 "`if user is None` was deleted. |\n"
                 "| warning | `size/scattered-change` | change `1a2b3c4` | The change touches 4 "
                 "unrelated areas. |\n") != std::string::npos);
  CHECK(out.find("<details><summary>error deletion/removed-guard at src/app.py:10-11 "
                 "(old)</summary>\n\nThe check `if user is None` was deleted.\n\n"
                 "**Hint:** Restore it.\n\n"
                 "Evidence: `guard=if user is None`\n\n"
                 "Lines 10-11 (old version):\n\n"
                 "```python\nif user is None:\n    raise Denied()\n```\n\n</details>\n") !=
        std::string::npos);
  CHECK(out.find("### Notes\n\n- `vendor/x.js`: not parsed: generated\n") != std::string::npos);
  CHECK(out.find("left out") == std::string::npos);
  CHECK(render(Format::markdown, report) == out);

  report.fail_on = std::nullopt;
  CHECK(render_markdown(report, RenderOptions{}).starts_with("## agate: gate passed\n"));
}

TEST_CASE("report markdown: pipes, backticks and HTML cannot break the table or the page") {
  Report report;
  Finding f = make("duplication/clone", Severity::warning, "we`ird|name.py", 1, 2,
                   "a | b <script>alert(1)</script> & *bold* [link](x)\nsecond line");
  report.findings = {f};
  report.snippets = {Snippet{1, {"s = \"```\"", "t = 1 | 2"}}};
  std::string out = render_markdown(report, RenderOptions{});

  std::string row = out.substr(out.find("| warning | `"));
  row = row.substr(0, row.find('\n'));
  CHECK(row == "| warning | `duplication/clone` | ``we`ird\\|name.py:1-2`` | a \\| b "
               "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\*bold\\* \\[link\\](x)<br>second "
               "line |");
  CHECK(out.find("<script>") == std::string::npos);

  // Code spans in a message stay code (pipes escaped in the table); an unmatched backtick is
  // escaped.
  report.findings[0].message = "use `a | b` or ``x`y`` not ` alone <b>";
  out = render_markdown(report, RenderOptions{});
  CHECK(out.find("| use `a \\| b` or ``x`y`` not \\` alone &lt;b&gt; |\n") != std::string::npos);
  CHECK(out.find("\n\nuse `a | b` or ``x`y`` not \\` alone &lt;b&gt;\n\n") != std::string::npos);
  // The code block's fence is longer than the backticks inside it.
  CHECK(out.find("````python\ns = \"```\"\nt = 1 | 2\n````\n") != std::string::npos);
}

TEST_CASE("report markdown: no findings") {
  Report report;
  report.fail_on = Severity::error;
  std::string out = render_markdown(report, RenderOptions{});
  CHECK(out.find("## agate: gate passed") == 0);
  CHECK(out.find("No findings.") != std::string::npos);
  CHECK(out.find("### Findings") == std::string::npos);
}

TEST_CASE("report markdown: kept under the size limit, saying how many were left out") {
  Report report;
  report.fail_on = Severity::error;
  for (int i = 0; i < 200; ++i) {
    Severity severity = i % 10 == 0 ? Severity::error : Severity::warning;
    report.findings.push_back(make("duplication/clone", severity,
                                   "src/f" + std::to_string(i) + ".py", 1, 20,
                                   "finding " + std::to_string(i)));
    Snippet snippet{1, {}};
    for (int j = 0; j < 20; ++j) {
      snippet.lines.push_back("    value_" + std::to_string(j) + " = compute(" + std::to_string(i) +
                              ")");
    }
    report.snippets.push_back(snippet);
  }
  RenderOptions options;
  options.markdown_max_bytes = 8000;
  std::string out = render_markdown(report, options);
  CHECK(out.size() <= options.markdown_max_bytes);

  std::size_t rows = occurrences(out, "| error | `") + occurrences(out, "| warning | `");
  std::size_t details = occurrences(out, "<details>");
  CHECK(rows > 0);
  CHECK(rows < 200);
  CHECK(details <= rows);
  CHECK(out.find("_" + std::to_string(200 - rows) +
                 " of 200 findings left out to keep this "
                 "summary under 8000 bytes; see the SARIF or JSON report for all of them._") !=
        std::string::npos);
  if (details < rows) {
    CHECK(out.find("_Details of " + std::to_string(rows - details) +
                   " findings left out for size._") != std::string::npos);
  }
  // The 20 errors come first, so they are the ones kept.
  CHECK(occurrences(out, "| error | `") == std::min<std::size_t>(rows, 20));

  // With the default limit everything fits.
  std::string all = render_markdown(report, RenderOptions{});
  CHECK(occurrences(all, "<details>") == 200);
  CHECK(all.find("left out") == std::string::npos);
}
