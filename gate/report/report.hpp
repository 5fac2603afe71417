// Reporters: pure functions from a Report to text in one of the output formats.
//
//   text      one compiler-style line per finding, a few lines of code, the hint; a tally per rule
//   json      the stable JSON shape of docs/output-formats.md
//   ({"version":1,"source","findings","summary"}) sarif     SARIF 2.1.0, validated against the
//   official schema in the tests github    GitHub Actions workflow commands (::error
//   file=…,line=…::), most severe first,
//             within GitHub's per-step annotation limits, with a count of what was not shown
//   markdown  a job summary for $GITHUB_STEP_SUMMARY (kept under GitHub's 1 MiB limit)
//   codeclimate  GitLab Code Quality JSON (an array of issues with fingerprint and location)
#pragma once

#include "gate/core/finding.hpp"
#include "gate/report/anchor.hpp"
#include "gate/util/sanitize.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

enum class Format { text, json, sarif, github, markdown, codeclimate };
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

// A file or change the analyzers skipped or could only partly read, said once in the report
// (e.g. "not parsed: larger than limits.max_file_bytes (1048576)").
struct Note {
  std::string file;
  std::string message;
};

// The code lines a finding points at, for the text and markdown reporters.
struct Snippet {
  int first_line = 0;             // line number of lines[0]
  std::vector<std::string> lines; // without newlines
  // Parallel to lines when known: '+' an added line, '-' a deleted one, ' ' unchanged.
  std::vector<char> marks = {};
};

struct Report {
  std::string tool_version;
  std::string source;                                    // human description: "staged changes", ...
  nlohmann::json source_json = nlohmann::json::object(); // {"kind","base","head","commits":[...]}
  std::vector<Finding> findings;                         // sorted: file, line, rule
  std::vector<Snippet> snippets;                         // parallel to findings (may be empty)
  // Parallel to findings (may be empty: each finding then keeps its own place, see anchor_of).
  std::vector<Anchor> anchors;
  std::vector<Note> notes;
  std::optional<Severity> fail_on; // nullopt: --fail-on never
  int suppressed = 0;              // findings silenced by `agate: ignore[...]`
  int files_checked = 0;
  int changes_checked = 0;
  // Where the policy came from, for a person: ".agate/config.json at 1a2b3c4d5e6f",
  // ".agate/config.json in the work tree", "defaults (no .agate/config.json ...)". Empty: unknown.
  std::string policy_origin;

  bool failed() const; // a finding at or above fail_on
  int count(Severity severity) const;
};

struct RenderOptions {
  bool color = false;            // ANSI colors in text output
  bool verbose = false;          // text: each finding's evidence too
  int github_max_per_level = 10; // GitHub shows at most 10 annotations of each level per step
  int github_max_total = 50;     // and 50 per job
  std::size_t markdown_max_bytes = 1000 * 1000; // GitHub's job summary limit is 1 MiB
  // SARIF: tool.driver.informationUri (an absolute URI); empty: omitted.
  std::string information_uri;
  // SARIF: the repository-relative file that carries a whole-change finding's physical location.
  // GitHub code scanning rejects a whole upload when one result lacks a physical location, so a
  // finding about a whole change (empty `file`) whose change keeps no file is anchored here, next
  // to a logical location naming the change: `agate check` gives the policy file, or when the
  // head has none the first file of the head tree. Empty: no physical location at all.
  std::string sarif_change_anchor = ".agate/config.json";
};

std::string render(Format format, const Report& report, const RenderOptions& options = {});

std::string render_text(const Report& report, const RenderOptions& options);
std::string render_json(const Report& report);
std::string render_sarif(const Report& report, const RenderOptions& options = {});
std::string render_github(const Report& report, const RenderOptions& options);
std::string render_markdown(const Report& report, const RenderOptions& options);
std::string render_codeclimate(const Report& report);

// --- helpers shared by the reporters (report.cpp) ---------------------------------------------

// "src/a.py:10-12", "src/a.py:10", "src/a.py" (no line), "" (whole change); " (old)" is appended
// for an old-side finding that has a file. The path goes through quote_name.
std::string location_label(const Finding& finding);
// "2 errors, 1 warning, 0 notes (1 suppressed); gate: FAILED (fail-on error)"; "passed" when the
// gate passes; "(fail-on never)" when nothing fails it; the suppressed part only when nonzero.
std::string summary_line(const Report& report);
// The anchor of finding `index`: report.anchors[index] when the report has anchors, else the
// finding's own place (own_anchor) with a fingerprint from its snippet.
Anchor anchor_of(const Report& report, std::size_t index);
// Indices into report.findings, most severe first, report order within a severity.
std::vector<std::size_t> by_severity(const Report& report);
// The snippet of finding `index`, or nullptr when there is none or it has no lines.
const Snippet* snippet_of(const Report& report, std::size_t index);
// `value` with every string (keys included) that is not valid UTF-8 written with its bad bytes as
// \xNN (gate/util/sanitize.hpp), for the JSON and SARIF reports: the output stays UTF-8 and two
// different names stay different, where U+FFFD would merge them.
nlohmann::ordered_json utf8_json(const nlohmann::json& value);
// A repository-relative path as a relative URI reference (RFC 3986 path-noscheme): unreserved
// characters, sub-delims, '@' and '/' stay; every other byte (':' too) is %XX. For SARIF URIs and
// links to a file on a forge.
std::string uri_reference(std::string_view path);
// Evidence as compact "key=value, key=[a, b]" text, cut at max_bytes with "…".
std::string compact_evidence(const nlohmann::json& evidence, std::size_t max_bytes = 300);

} // namespace agate::gate
