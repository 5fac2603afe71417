// Tests of the rule catalog (gate/core/rule_catalog.hpp): its ids are unique and well formed,
// docs/rules.md lists exactly its rules with the same summaries and default severities, and
// every documentation anchor is a heading of its page as GitHub names headings.
#include "gate/core/rule_catalog.hpp"

#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace agate::gate;
namespace fs = std::filesystem;

const fs::path source_dir = AGATE_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string trim_cell(std::string cell) {
  const auto first = cell.find_first_not_of(' ');
  const auto last = cell.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : cell.substr(first, last - first + 1);
}

// The cells of a Markdown table row ("| a | b |" -> {"a", "b"}).
std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t start = 1;
  for (auto bar = row.find('|', start); bar != std::string::npos; bar = row.find('|', start)) {
    cells.push_back(trim_cell(row.substr(start, bar - start)));
    start = bar + 1;
  }
  return cells;
}

// GitHub's anchor for a heading's text: lower case, spaces as '-', every other character but
// letters, digits, '-' and '_' dropped; a repeated anchor gets "-1", "-2", ...
std::string slug(const std::string& heading) {
  std::string out;
  for (unsigned char c : heading) {
    if (std::isalnum(c) != 0) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == ' ') {
      out += '-';
    } else if (c == '-' || c == '_' || c >= 0x80) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The anchors of a Markdown page's headings (outside fenced code blocks).
std::set<std::string> anchors_of(const fs::path& page) {
  std::set<std::string> anchors;
  std::map<std::string, int> seen;
  bool fenced = false;
  for (const auto& line : lines_of(agate::test::read_file(page))) {
    if (line.starts_with("```")) {
      fenced = !fenced;
      continue;
    }
    if (fenced || !line.starts_with('#')) {
      continue;
    }
    const auto text_start = line.find_first_not_of('#');
    if (text_start == std::string::npos || line[text_start] != ' ') {
      continue;
    }
    std::string anchor = slug(trim_cell(line.substr(text_start)));
    const int repeat = seen[anchor]++;
    anchors.insert(repeat == 0 ? anchor : anchor + "-" + std::to_string(repeat));
  }
  return anchors;
}

} // namespace

TEST_CASE("rule catalog: ids are unique, well formed and found by find_rule") {
  std::set<std::string_view> ids;
  for (const auto& info : rule_catalog()) {
    CAPTURE(info.id);
    CHECK(ids.insert(info.id).second);
    CHECK(info.id.find('/') != std::string_view::npos);
    CHECK(info.summary.ends_with('.'));
    CHECK(info.doc.starts_with("docs/"));
    CHECK(info.doc.find(".md#") != std::string_view::npos);
    REQUIRE(find_rule(info.id) != nullptr);
    CHECK(find_rule(info.id)->id == info.id);
  }
  CHECK(rule_catalog().size() == 24);
  CHECK(find_rule(rule::deletion_unrelated)->default_severity == Severity::warning);
  CHECK(find_rule("deletion/unrelate") == nullptr);
  CHECK(find_rule("") == nullptr);
  CHECK(find_rule(rule::provenance_missing_signoff)->default_severity == Severity::error);
  CHECK(find_rule(rule::provenance_agent_signoff)->default_severity == Severity::warning);
  // Not a rule: not in the catalog.
  CHECK(find_rule("provenance/missing-approval") == nullptr);
}

TEST_CASE("rule catalog: docs/rules.md lists every rule with its summary and default severity") {
  std::map<std::string, std::vector<std::string>> documented; // id -> cells
  for (const auto& line : lines_of(agate::test::read_file(source_dir / "docs" / "rules.md"))) {
    if (!line.starts_with("| `")) {
      continue;
    }
    auto cells = cells_of(line);
    REQUIRE(cells.size() == 4);
    REQUIRE(cells[0].size() > 2);
    documented[cells[0].substr(1, cells[0].size() - 2)] = cells;
  }
  CHECK(documented.size() == rule_catalog().size());
  for (const auto& info : rule_catalog()) {
    CAPTURE(info.id);
    auto it = documented.find(std::string(info.id));
    REQUIRE(it != documented.end());
    const auto& cells = it->second;
    CHECK(cells[1] == info.summary);
    CHECK(cells[2] == to_string(info.default_severity));
    // "[page.md](page.md#anchor)", relative to docs/.
    const auto open = cells[3].find("](");
    REQUIRE(open != std::string::npos);
    CHECK(cells[3].substr(open + 2) == std::string(info.doc.substr(5)) + ")");
  }
}

TEST_CASE("rule catalog: every documentation anchor is a heading of its page") {
  for (const auto& info : rule_catalog()) {
    CAPTURE(info.id);
    const auto hash = info.doc.find('#');
    REQUIRE(hash != std::string_view::npos);
    const fs::path page = source_dir / std::string(info.doc.substr(0, hash));
    REQUIRE(fs::exists(page));
    const auto anchors = anchors_of(page);
    CHECK(anchors.contains(std::string(info.doc.substr(hash + 1))));
  }
  // The anchor rule itself, on headings as the docs write them.
  CHECK(slug("`deletion/unrelated`") == "deletionunrelated");
  CHECK(slug("`duplication/library-logic`: the library rule catalog") ==
        "duplicationlibrary-logic-the-library-rule-catalog");
  CHECK(slug("How it works") == "how-it-works");
}
