// Tests of the library-logic analyzer (analyzers/duplication/library_logic_analyzer.hpp) on
// hand-built changes parsed by the real syntax layer, with the built-in rules: only code the change
// adds is matched, the message names the place, the dependency and its manifest (read from the
// whole new tree, vendored manifests aside) or the standard library, findings are capped per file,
// and the commits of a range are judged once, as the range.
#include "analyzers/duplication/library_logic_analyzer.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "tests/support/file_change_builder.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate;

// The new tree: the files listed here (contents in the test's MapContentSource).
class FakeView : public gate::RepositoryView {
public:
  std::vector<gate::TreeFile> files;
  Result<std::vector<gate::TreeFile>> files_after(const gate::Change&) const override {
    return files;
  }
  Result<std::vector<gate::TreeFile>> files_at(std::string_view) const override { return files; }
  std::filesystem::path cache_dir() const override { return {}; }
  Result<std::vector<gate::PolicyFile>> policy_files(std::string_view,
                                                     std::string_view) const override {
    return std::vector<gate::PolicyFile>{};
  }
};

struct Fixture {
  gate::MapContentSource contents;
  gate::Change change;
  gate::Policy policy = gate::default_policy();
  FakeView view;
  bool use_view = false;
  int next = 0;

  Fixture() {
    change.kind = gate::ChangeKind::staged;
    change.label = "staged";
  }

  gate::FileChange& file(const std::string& path, const std::string& old_text,
                         const std::string& new_text, const std::string& language) {
    change.files.push_back(
        test::file_change_from_texts(path, old_text, new_text, language, contents, next));
    return change.files.back();
  }

  // A file of the new tree that the change does not touch.
  void tree_file(const std::string& path, const std::string& text) {
    std::string oid = "tree-" + std::to_string(next++);
    contents.add(oid, text);
    view.files.push_back({path, oid, 0100644});
    use_view = true;
  }

  std::vector<gate::Finding> analyze(std::vector<gate::Change> before = {}) {
    gate::ChangeSet set;
    set.changes = std::move(before);
    set.changes.push_back(change);
    syntax::SyntaxCache cache;
    analyzers::AnalysisContext context{set, contents, cache, policy, use_view ? &view : nullptr};
    analyzers::LibraryLogicAnalyzer analyzer;
    std::vector<gate::Finding> all;
    for (const auto& c : set.changes) {
      auto found = analyzer.analyze(context, c);
      all.insert(all.end(), found.begin(), found.end());
    }
    return all;
  }
};

const std::string retry_loop = R"(import time
import requests


def fetch_prices(url):
    for attempt in range(5):
        try:
            return requests.get(url).json()
        except requests.RequestException:
            time.sleep(2 ** attempt)
    raise RuntimeError("unavailable")
)";

} // namespace

TEST_CASE("library-logic: a retry loop added while tenacity is a dependency") {
  Fixture fx;
  fx.file("requirements.txt", "", "requests==2.31\ntenacity==8.2.3\n", "");
  fx.file("app/client.py", "", retry_loop, "python");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.rule == "duplication/library-logic");
  CHECK(f.severity == gate::Severity::warning);
  CHECK(f.file == "app/client.py");
  CHECK(f.line == 6);
  CHECK(f.end_line == 10);
  CHECK(f.change == "staged");
  CHECK(f.message ==
        "hand-written retry loop with sleep in fetch_prices (app/client.py:6-10): `tenacity` is a "
        "dependency (requirements.txt) and does this: @tenacity.retry(stop=stop_after_attempt(n), "
        "wait=wait_exponential())");
  CHECK(f.evidence["rule_id"] == "library/python-retry-loop");
  CHECK(f.evidence["dependency"] == "tenacity");
  CHECK(f.evidence["ecosystem"] == "pypi");
  CHECK(f.evidence["manifest"] == "requirements.txt");
  CHECK(f.evidence["unit"] == "fetch_prices");
  CHECK(f.hint.find("@tenacity.retry") != std::string::npos);
}

TEST_CASE("library-logic: without the dependency, a dependency-only rule stays quiet") {
  Fixture fx;
  fx.file("requirements.txt", "", "requests==2.31\n", "");
  fx.file("app/client.py", "", retry_loop, "python");
  CHECK(fx.analyze().empty());
}

TEST_CASE("library-logic: code that was already there is never reported") {
  Fixture fx;
  fx.tree_file("requirements.txt", "tenacity\n");
  // The change only adds a line after the existing loop...
  auto edited = retry_loop + "\n\ndef other():\n    return 1\n";
  fx.file("app/client.py", retry_loop, edited, "python");
  CHECK(fx.analyze().empty());
  // ...or edits one line inside it: the loop is still mostly old code.
  Fixture fx2;
  fx2.tree_file("requirements.txt", "tenacity\n");
  auto inner = retry_loop;
  inner.replace(inner.find("2 ** attempt"), 12, "3 ** attempt");
  fx2.file("app/client.py", retry_loop, inner, "python");
  CHECK(fx2.analyze().empty());
}

TEST_CASE("library-logic: manifests come from the new tree, vendored ones aside") {
  Fixture fx;
  fx.tree_file("third_party/lib/requirements.txt", "tenacity\n");
  fx.tree_file("README.md", "tenacity\n");
  fx.file("app/client.py", "", retry_loop, "python");
  CHECK(fx.analyze().empty());
  fx.tree_file("services/api/pyproject.toml", "[project]\ndependencies = [\"backoff>=2\"]\n");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence["dependency"] == "backoff");
  CHECK(findings[0].evidence["manifest"] == "services/api/pyproject.toml");
  CHECK(findings[0].message.find("`backoff` is a dependency (services/api/pyproject.toml)") !=
        std::string::npos);
}

TEST_CASE("library-logic: a standard-library rule names the module and needs no manifest") {
  Fixture fx;
  fx.file("web/util.js", "",
          "function snapshot(state) {\n  return JSON.parse(JSON.stringify(state));\n}\n",
          "javascript");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message ==
        "deep copy through a JSON round trip in snapshot (web/util.js:2): the standard library "
        "(structuredClone) does this: structuredClone(value)");
  CHECK(findings[0].evidence["dependency"].is_null());
  CHECK(findings[0].evidence["stdlib"] == "structuredClone");
  // With lodash declared, the dependency comes first.
  fx.file("package.json", "", R"({"dependencies": {"lodash": "^4.17.21"}})", "");
  findings = fx.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence["dependency"] == "lodash");
  CHECK(findings[0].message.find("and does this: _.cloneDeep") != std::string::npos);
}

TEST_CASE("library-logic: top-level code, excluded files and a disabled rule") {
  Fixture fx;
  fx.file("tool.py", "", "import json\nstate = {}\ncopy_of = json.loads(json.dumps(state))\n",
          "python");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message.find(" in top-level code (tool.py:3): ") != std::string::npos);
  fx.change.files.back().vendored = true;
  CHECK(fx.analyze().empty());
  fx.change.files.back().vendored = false;
  fx.policy.rules["duplication/library-logic"].enabled = false;
  CHECK(fx.analyze().empty());
}

TEST_CASE("library-logic: matches on adjacent lines are one finding") {
  Fixture fx;
  fx.file(
      "web/escape.py", "",
      "def escape(s):\n    s = s.replace(\"&\", \"&amp;\")\n    s = s.replace(\"<\", \"&lt;\")\n"
      "    s = s.replace(\">\", \"&gt;\")\n    return s\n\n\ndef other(s):\n"
      "    return s.replace('\"', \"&quot;\")\n",
      "python");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].line == 2);
  CHECK(findings[0].end_line == 4);
  CHECK(findings[0].message.find("HTML escaped by hand in escape (web/escape.py:2-4): the "
                                 "standard library (html) does this: html.escape(text)") == 0);
  CHECK(findings[1].line == 9);
  CHECK(findings[1].evidence["unit"] == "other");
}

TEST_CASE("library-logic: at most a few findings per rule and file, the last counting the rest") {
  Fixture fx;
  std::string text = "import json\n";
  for (int i = 0; i < 8; ++i) {
    text += "def copy" + std::to_string(i) + "(x):\n    return json.loads(json.dumps(x))\n";
  }
  fx.file("copies.py", "", text, "python");
  auto findings = fx.analyze();
  REQUIRE(findings.size() == static_cast<std::size_t>(analyzers::max_findings_per_file));
  CHECK(findings.back().message.find("(and 3 more in this file)") != std::string::npos);
  CHECK(findings.back().evidence["more_in_file"] == 3);
  CHECK(findings.front().evidence["unit"] == "copy0");
}

TEST_CASE("library-logic: the commits of a range are judged once, as the range") {
  Fixture fx;
  fx.file("tool.py", "", "import json\ncopy_of = json.loads(json.dumps({}))\n", "python");
  gate::Change commit = fx.change;
  commit.kind = gate::ChangeKind::commit;
  commit.label = "abc1234";
  commit.head_rev = "abc1234abc1234abc1234abc1234abc1234abc12";
  fx.change.kind = gate::ChangeKind::range;
  fx.change.label = "base..head";
  fx.change.commits = {commit.head_rev};
  auto findings = fx.analyze({commit});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].change == "base..head");
}
