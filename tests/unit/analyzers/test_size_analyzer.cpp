// Tests of the size analyzer (analyzers/size_analyzer.hpp): line and file
// thresholds at their boundaries, excluded files, thresholds from a parsed
// policy, ranges, and the split of a change into independent parts computed
// from the units of real source text (the syntax layer).
#include "analyzers/size_analyzer.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "tests/support/file_change_builder.hpp"

#include <doctest/doctest.h>

#include <set>
#include <sstream>

namespace {

using namespace agate;
using gate::Change;
using gate::FileChange;
using gate::Finding;
using gate::Severity;

using agate::test::lines_of;

// Builds changes with real blob contents, as the change loader would.
class Builder {
public:
  // A file changed from `old_text` to `new_text` (empty: added / deleted). The
  // diff is one hunk: the lines between the common prefix and the common suffix
  // are replaced.
  FileChange& file(const std::string& path, const std::string& old_text,
                   const std::string& new_text, const std::string& language = "python") {
    FileChange f =
        test::file_change_from_texts(path, old_text, new_text, language, m_contents, m_next);
    m_change.files.push_back(std::move(f));
    return m_change.files.back();
  }

  // A text file (not parsed) with `n` added lines.
  FileChange& text_file(const std::string& path, int n) {
    std::string text;
    for (int i = 0; i < n; ++i) {
      text += "line " + std::to_string(i) + "\n";
    }
    return file(path, "", text, "");
  }

  Change& change() { return m_change; }

  std::vector<Finding> analyze(const gate::Policy& policy = gate::default_policy()) {
    syntax::SyntaxCache cache;
    gate::ChangeSet set;
    set.changes.push_back(m_change);
    analyzers::AnalysisContext context{set, m_contents, cache, policy};
    analyzers::SizeAnalyzer analyzer;
    return analyzer.analyze(context, set.changes.front());
  }

  analyzers::ChangeSize measure(const gate::Policy& policy = gate::default_policy()) {
    syntax::SyntaxCache cache;
    gate::ChangeSet set;
    set.changes.push_back(m_change);
    analyzers::AnalysisContext context{set, m_contents, cache, policy};
    return analyzers::measure_change(context, set.changes.front(), true);
  }

private:
  gate::MapContentSource m_contents;
  Change m_change = [] {
    Change c;
    c.kind = gate::ChangeKind::commit;
    c.label = "abc1234";
    return c;
  }();
  int m_next = 0;
};

gate::Policy policy_from(const std::string& text) {
  auto parsed = gate::parse_policy(text, ".agate/config.json");
  REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? std::string() : parsed.error()));
  return std::move(parsed).value();
}

const Finding* find_rule(const std::vector<Finding>& findings, std::string_view rule) {
  for (const auto& f : findings) {
    if (f.rule == rule) {
      return &f;
    }
  }
  return nullptr;
}

// A Python function of `body_lines` lines calling `calls` (may be empty).
std::string py_function(const std::string& name, int body_lines, const std::string& calls = "",
                        const std::string& salt = "") {
  std::string text = "def " + name + "(value):\n";
  if (!calls.empty()) {
    text += "    value = " + calls + "(value)\n";
  }
  for (int i = 0; i < body_lines; ++i) {
    text += "    value = value + " + std::to_string(i) + salt + "\n";
  }
  text += "    return value\n\n\n";
  return text;
}

} // namespace

TEST_CASE("size: 400 changed lines pass, 401 warn, 1001 fail with the default "
          "policy") {
  {
    Builder b;
    b.text_file("notes/a.txt", 400);
    CHECK(b.analyze().empty());
  }
  {
    Builder b;
    b.text_file("notes/a.txt", 401);
    auto findings = b.analyze();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "size/oversized-change");
    CHECK(findings[0].severity == Severity::warning);
    CHECK(findings[0].file.empty());
    CHECK(findings[0].change == "abc1234");
    CHECK(findings[0].message ==
          "change is too large to review well: 401 changed lines (+401 -0) in "
          "1 file, 0 units "
          "touched; the limit is 1000 (error) / 400 (warning)");
    CHECK(findings[0].evidence["changed_lines"] == 401);
    CHECK(findings[0].evidence["files"] == 1);
  }
  {
    Builder b;
    b.text_file("notes/a.txt", 1000);
    auto findings = b.analyze();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::warning);
  }
  {
    Builder b;
    b.text_file("notes/a.txt", 600);
    b.text_file("notes/b.txt", 401);
    auto findings = b.analyze();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::error);
    CHECK(findings[0].evidence["changed_lines"] == 1001);
    CHECK(findings[0].evidence["added_lines"] == 1001);
    CHECK(findings[0].evidence["deleted_lines"] == 0);
  }
}

TEST_CASE("size: deleted lines count, and so does the number of files") {
  Builder b;
  std::string old_text;
  for (int i = 0; i < 300; ++i) {
    old_text += "old " + std::to_string(i) + "\n";
  }
  b.file("docs/old.txt", old_text, "", "");
  b.text_file("docs/new.txt", 101);
  auto findings = b.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.starts_with("change is too large to review well: 401 changed lines "
                                        "(+101 -300) in 2 files"));

  Builder many;
  for (int i = 0; i < 51; ++i) {
    many.text_file("data/f" + std::to_string(i) + ".txt", 1);
  }
  auto by_files = many.analyze();
  REQUIRE(by_files.size() == 1);
  CHECK(by_files[0].severity == Severity::warning);
  CHECK(by_files[0].message.find("51 changed lines (+51 -0) in 51 files") != std::string::npos);
  CHECK(by_files[0].message.ends_with("the limit is 50 files (warning)"));

  Builder fifty;
  for (int i = 0; i < 50; ++i) {
    fifty.text_file("data/f" + std::to_string(i) + ".txt", 1);
  }
  CHECK(fifty.analyze().empty());
}

TEST_CASE("size: generated, vendored, lock, prompt-record and ignored files do "
          "not count") {
  Builder b;
  b.text_file("src/schema_pb2.txt", 5000).generated = true;
  b.text_file("vendor/lib.txt", 5000).vendored = true;
  b.text_file("package-lock.json", 5000).lockfile = true;
  b.text_file(".agate/prompts/1.json", 5000).prompt_record = true;
  b.text_file("docs/api/ref.txt", 5000).ignored = true;
  b.text_file("src/main.txt", 10);
  CHECK(b.analyze().empty());
  auto size = b.measure();
  CHECK(size.changed_lines == 10);
  CHECK(size.files == 1);
  CHECK(size.excluded_files == 5);
}

TEST_CASE("size: thresholds come from the policy") {
  auto policy = policy_from(R"({"size": {"warn_lines": 100, "error_lines": 200,
                                         "warn_files": 3}})");
  Builder at;
  at.text_file("a.txt", 100);
  CHECK(at.analyze(policy).empty());
  Builder warn;
  warn.text_file("a.txt", 101);
  auto warned = warn.analyze(policy);
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].severity == Severity::warning);
  CHECK(warned[0].message.ends_with("the limit is 200 (error) / 100 (warning)"));
  CHECK(warned[0].evidence["limits"]["warn_lines"] == 100);
  Builder error;
  error.text_file("a.txt", 201);
  REQUIRE(error.analyze(policy).size() == 1);
  CHECK(error.analyze(policy)[0].severity == Severity::error);
  Builder files;
  for (int i = 0; i < 4; ++i) {
    files.text_file("f" + std::to_string(i) + ".txt", 1);
  }
  REQUIRE(files.analyze(policy).size() == 1);
}

TEST_CASE("size: a range is judged as a whole, and a range of one commit only once") {
  Builder b;
  b.text_file("a.txt", 500);
  b.change().kind = gate::ChangeKind::range;
  b.change().label = "base..head";
  b.change().commits = {"c1"};
  CHECK(b.analyze().empty());
  b.change().commits = {"c1", "c2"};
  auto findings = b.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].change == "base..head");
}

TEST_CASE("size: units touched and new units come from both sides of the change") {
  Builder b;
  const std::string old_text = py_function("parse", 3) + py_function("render", 3);
  // parse changes, render is deleted, emit is new.
  const std::string new_text = py_function("parse", 3, "", " * 2") + py_function("emit", 3);
  b.file("tool/format.py", old_text, new_text);
  auto size = b.measure();
  CHECK(size.units_touched == 3);
  CHECK(size.new_units == 1);
  REQUIRE(size.parts.size() == 1);
  CHECK(size.parts[0].files == std::vector<std::string>{"tool/format.py"});
  CHECK(size.parts[0].units.size() == 3);
}

TEST_CASE("size: a large change is split into its independent parts") {
  Builder b;
  // Part 1: the auth check and the handler that calls it.
  b.file("auth/tokens.py", py_function("validate_token", 4),
         py_function("validate_token", 4, "", " + 1"));
  b.file("api/handlers.py", py_function("login", 2, "check"),
         py_function("login", 2, "validate_token"));
  // Part 2: a new billing function and its test.
  b.file("billing/invoice.py", "", py_function("compute_tax", 30));
  b.file("billing/tests/test_invoice.py", "",
         "def test_compute_tax():\n    assert compute_tax(1) == 436\n");
  // Part 3: an unrelated theme tweak.
  b.file("ui/theme.py", py_function("dark_palette", 6), py_function("dark_palette", 6, "", " - 1"));
  // Docs go apart.
  b.text_file("README.md", 3);

  auto policy = policy_from(R"({"size": {"warn_lines": 20, "error_lines": 40}})");
  auto findings = b.analyze(policy);
  const auto* oversized = find_rule(findings, "size/oversized-change");
  REQUIRE(oversized != nullptr);
  CHECK(oversized->severity == Severity::error);
  const auto& split = oversized->evidence["suggested_split"];
  REQUIRE(split.size() == 3);
  // Largest first: billing (new file and its test), then the theme, then auth.
  CHECK(split[0]["files"] ==
        nlohmann::json({"billing/invoice.py", "billing/tests/test_invoice.py"}));
  CHECK(split[0]["units"] == nlohmann::json({"compute_tax", "test_compute_tax"}));
  CHECK(split[1]["files"] == nlohmann::json({"ui/theme.py"}));
  std::set<std::string> auth_files(split[2]["files"].begin(), split[2]["files"].end());
  CHECK(auth_files == std::set<std::string>{"api/handlers.py", "auth/tokens.py"});
  CHECK(oversized->evidence["other_files"] == nlohmann::json({"README.md"}));
  CHECK(oversized->message.find(
            "it splits into 3 independent parts: billing/ (2 files, 36 lines), ui/theme.py "
            "(12 lines), auth/tokens.py, api/handlers.py (10 lines)") != std::string::npos);
  CHECK(oversized->hint.find("(1) billing/invoice.py, billing/tests/test_invoice.py "
                             "[compute_tax, test_compute_tax]") != std::string::npos);
  CHECK(oversized->hint.find("README.md") != std::string::npos);
  int total = 0;
  for (const auto& part : split) {
    total += part["changed_lines"].get<int>();
  }
  CHECK(total + 3 == oversized->evidence["changed_lines"].get<int>());
}

TEST_CASE("size: directories are counted below the directory that holds every "
          "changed file") {
  Builder nested;
  nested.text_file("src/auth/a.txt", 1);
  nested.text_file("src/billing/x/b.txt", 1);
  nested.text_file("src/c.txt", 1);
  CHECK(nested.measure().directories == std::vector<std::string>{"src", "src/auth", "src/billing"});
  Builder root;
  root.text_file("README.md", 1);
  root.text_file("src/auth/a.txt", 1);
  CHECK(root.measure().directories == std::vector<std::string>{".", "src"});
  Builder one;
  one.text_file("src/auth/a.txt", 1);
  CHECK(one.measure().directories == std::vector<std::string>{"src/auth"});
}

TEST_CASE("size: an honest rename across many directories is not scattered") {
  Builder b;
  b.file("core/users.py", py_function("fetch_user", 3), py_function("load_user", 3));
  for (const std::string dir : {"api", "cli", "jobs", "web", "reports"}) {
    auto caller = [&](const std::string& callee) {
      return "def show_" + dir + "(user_id):\n    user = " + callee +
             "(user_id)\n    if user is None:\n        user = " + callee +
             "(user_id)\n    return user\n";
    };
    b.file(dir + "/views.py", caller("fetch_user"), caller("load_user"));
  }
  auto policy = policy_from(R"({"size": {"scattered_dirs": 2, "scattered_parts": 2}})");
  auto size = b.measure(policy);
  // The rule is really evaluated: enough lines, many directories...
  CHECK(size.changed_lines >= analyzers::scattered_min_lines);
  CHECK(size.directories.size() == 6);
  // ...but every edit references the renamed unit: one part.
  CHECK(size.parts.size() == 1);
  CHECK(find_rule(b.analyze(policy), "size/scattered-change") == nullptr);
}

TEST_CASE("size: unrelated edits in several directories are a scattered change") {
  auto policy = policy_from(R"({"size": {"scattered_dirs": 2, "scattered_parts": 3}})");
  Builder b;
  b.file("auth/session.py", py_function("renew", 6), py_function("renew", 6, "", " * 3"));
  b.file("billing/rates.py", py_function("rate", 6), py_function("rate", 6, "", " / 2"));
  b.file("ui/colors.py", py_function("shade", 6), py_function("shade", 6, "", " - 7"));
  auto findings = b.analyze(policy);
  const auto* scattered = find_rule(findings, "size/scattered-change");
  REQUIRE(scattered != nullptr);
  CHECK(scattered->severity == Severity::warning);
  CHECK(scattered->file.empty());
  CHECK(scattered->message.starts_with(
      "change is scattered: it touches 3 directories (auth, billing, ui) and "
      "splits into 3 "
      "independent parts"));
  CHECK(scattered->message.find("auth/session.py (12 lines)") != std::string::npos);
  CHECK(scattered->evidence["parts"] == 3);
  CHECK(scattered->hint.find("[renew]") != std::string::npos);
  // The same three edits with the default policy (more than 4 directories) are
  // fine.
  CHECK(find_rule(b.analyze(), "size/scattered-change") == nullptr);
}

TEST_CASE("size: tiny unrelated edits are not called scattered") {
  auto policy = policy_from(R"({"size": {"scattered_dirs": 2, "scattered_parts": 3}})");
  Builder b;
  for (const std::string dir : {"a", "b", "c", "d", "e"}) {
    b.file(dir + "/m.py", py_function("f_" + dir, 1), py_function("f_" + dir, 1, "", " + 9"));
  }
  auto size = b.measure(policy);
  CHECK(size.parts.size() == 5);
  CHECK(size.changed_lines < analyzers::scattered_min_lines);
  CHECK(b.analyze(policy).empty());
}
