// The library-logic rule catalog's own tests (like semgrep's rule tests): every rule file of
// rules/library/ loads and validates, every query compiles for every language the rule names,
// and every rule's examples (rules/library/examples/<rule>/positive.* and negative.*) give
// exactly the findings they announce. A positive example marks each expected finding with a
// comment holding `ruleid: library/<rule>` on the line before it; a negative example must give
// none. A rule that a dependency makes relevant must also stay quiet on its positive examples
// when the project declares no dependency. Also tests the validation errors of rule files.
#include "analyzers/duplication/library_logic_analyzer.hpp"
#include "analyzers/duplication/library_rules.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/util/embedded.hpp"
#include "tests/support/file_change_builder.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

namespace {

using namespace agate;

constexpr std::string_view examples_dir = "library/examples/";

struct Example {
  std::string rule; // "library/python-retry-loop"
  std::string file; // "positive.py"
  std::string_view text;
};

struct Catalog {
  std::vector<Example> examples;
  std::map<std::string, std::vector<std::pair<std::string, std::string_view>>> manifests;
};

Catalog load_catalog() {
  Catalog catalog;
  for (const auto& f : embedded::files()) {
    if (f.path.rfind(examples_dir, 0) != 0) {
      continue;
    }
    auto rest = f.path.substr(examples_dir.size());
    auto slash = rest.find('/');
    REQUIRE(slash != std::string_view::npos);
    std::string rule = "library/" + std::string(rest.substr(0, slash));
    std::string file(rest.substr(slash + 1));
    if (analyzers::is_manifest_path(file)) {
      catalog.manifests[rule].emplace_back(file, f.content);
    } else {
      catalog.examples.push_back({rule, file, f.content});
    }
  }
  return catalog;
}

// The 1-based lines that follow a `ruleid: <rule>` annotation.
std::set<int> expected_lines(std::string_view text, const std::string& rule) {
  std::set<int> lines;
  int number = 0;
  for (const auto& line : test::lines_of(std::string(text))) {
    ++number;
    auto at = line.find("ruleid: ");
    if (at != std::string::npos && line.substr(at + 8) == rule) {
      lines.insert(number + 1);
    }
  }
  return lines;
}

// Runs `rule` on a change that adds `example` (and, with `with_manifests`, the example's
// manifests) to an empty repository, and returns the lines of its findings.
std::vector<int> run_example(const analyzers::LibraryRule& rule, const Example& example,
                             const Catalog& catalog, bool with_manifests) {
  gate::MapContentSource contents;
  gate::Change change;
  change.kind = gate::ChangeKind::staged;
  change.label = "staged";
  int next = 0;
  const auto* language = syntax::language_for_path(example.file);
  REQUIRE_MESSAGE(language != nullptr, example.file);
  change.files.push_back(test::file_change_from_texts("src/" + example.file, "",
                                                      std::string(example.text),
                                                      std::string(language->id), contents, next));
  if (with_manifests && catalog.manifests.count(example.rule) > 0) {
    for (const auto& [name, text] : catalog.manifests.at(example.rule)) {
      change.files.push_back(
          test::file_change_from_texts(name, "", std::string(text), "", contents, next));
    }
  }
  gate::ChangeSet set;
  set.changes.push_back(change);
  syntax::SyntaxCache cache;
  auto policy = gate::default_policy();
  analyzers::AnalysisContext context{set, contents, cache, policy};
  analyzers::LibraryLogicAnalyzer analyzer({rule});
  std::vector<int> lines;
  for (const auto& finding : analyzer.analyze(context, set.changes.front())) {
    CHECK(finding.rule == "duplication/library-logic");
    CHECK(finding.evidence["rule_id"] == rule.id);
    CHECK(finding.file == "src/" + example.file);
    lines.push_back(finding.line);
  }
  return lines;
}

// True when some standard-library alternative of `rule` applies to `language`.
bool stdlib_applies(const analyzers::LibraryRule& rule, std::string_view language) {
  for (const auto& requirement : rule.requirements) {
    if (!requirement.ecosystem &&
        (requirement.languages.empty() ||
         std::find(requirement.languages.begin(), requirement.languages.end(), language) !=
             requirement.languages.end())) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("library rules: every rule file loads, and every query compiles for its languages") {
  auto loaded = analyzers::builtin_library_rules();
  REQUIRE_MESSAGE(loaded.ok(), loaded.error());
  const auto& rules = **loaded;
  CHECK(rules.size() >= 25);
  std::set<std::string> languages;
  for (const auto& rule : rules) {
    for (const auto& language : rule.languages) {
      languages.insert(language);
      auto queries = analyzers::compile_rule_queries(rule, language);
      CHECK_MESSAGE(queries.ok(), (queries.ok() ? "" : queries.error()));
    }
  }
  for (std::string_view wanted :
       {"python", "javascript", "typescript", "go", "rust", "java", "c", "cpp"}) {
    CHECK_MESSAGE(languages.count(std::string(wanted)) == 1, wanted);
  }
}

TEST_CASE("library rules: every rule's examples give exactly the findings they announce") {
  auto rules = std::move(analyzers::builtin_library_rules()).value_or_throw();
  auto catalog = load_catalog();
  std::map<std::string, const analyzers::LibraryRule*> by_id;
  for (const auto& rule : *rules) {
    by_id[rule.id] = &rule;
  }
  std::map<std::string, int> positives;
  std::map<std::string, int> negatives;
  for (const auto& example : catalog.examples) {
    CAPTURE(example.rule);
    CAPTURE(example.file);
    auto it = by_id.find(example.rule);
    REQUIRE_MESSAGE(it != by_id.end(), "examples for an unknown rule");
    const auto& rule = *it->second;
    bool positive = example.file.rfind("positive", 0) == 0;
    REQUIRE_MESSAGE((positive || example.file.rfind("negative", 0) == 0),
                    "example files are named positive.* or negative.*");
    const auto* language = syntax::language_for_path(example.file);
    REQUIRE(language != nullptr);
    REQUIRE_MESSAGE(rule.applies_to(language->id), "the rule does not cover this language");
    auto expected = expected_lines(example.text, rule.id);
    auto found = run_example(rule, example, catalog, true);
    std::set<int> found_set(found.begin(), found.end());
    CHECK(found.size() == found_set.size()); // one finding per place
    CHECK(found_set == expected);
    if (positive) {
      CHECK_MESSAGE(!expected.empty(), "a positive example announces at least one finding");
      ++positives[rule.id];
      if (!stdlib_applies(rule, language->id)) {
        // Relevant only through a dependency: without manifests, nothing.
        CHECK(run_example(rule, example, catalog, false).empty());
      }
    } else {
      CHECK(expected.empty());
      ++negatives[rule.id];
    }
  }
  for (const auto& rule : *rules) {
    CAPTURE(rule.id);
    CHECK(positives[rule.id] >= 1);
    CHECK(negatives[rule.id] >= 1);
  }
}

TEST_CASE("library rules: rule files with mistakes are rejected with the key that is wrong") {
  auto parse = [](std::string_view text) {
    auto rule = analyzers::parse_library_rule("library/demo.json", text);
    return rule.ok() ? std::string("ok") : rule.error();
  };
  const std::string good_head =
      R"({"id": "library/demo", "title": "demo", "languages": ["python"], )";
  const std::string stdlib = R"("requires": [{"stdlib": "json", "use": "json.dumps"}])";
  CHECK(parse(good_head + R"("query": "(call) @match", )" + stdlib + "}") == "ok");
  CHECK(parse("[1, 2]") == "rules/library/demo.json: not a JSON object");
  CHECK(parse(R"({"id": "library/other", "title": "t", "languages": ["python"], "pattern": "x", )" +
              stdlib + "}")
            .find("\"id\" must be \"library/demo\"") != std::string::npos);
  CHECK(parse(good_head + R"("pattern": "x", "colour": 1, )" + stdlib + "}") ==
        "rules/library/demo.json: unknown key \"colour\"");
  CHECK(parse(R"({"id": "library/demo", "title": "t", "languages": ["cobol"], "pattern": "x", )" +
              stdlib + "}") == "rules/library/demo.json: unknown language \"cobol\"");
  CHECK(parse(good_head + stdlib + "}") ==
        "rules/library/demo.json: give a \"query\" or a \"pattern\"");
  CHECK(
      parse(good_head + R"("pattern": "(", )" + stdlib + "}").find("invalid regular expression") !=
      std::string::npos);
  CHECK(parse(good_head + R"("pattern": "x", "severity": "fatal", )" + stdlib + "}")
            .find("expected note, warning or error") != std::string::npos);
  CHECK(parse(good_head + R"("pattern": "x", "requires": []})")
            .find("\"requires\": expected a non-empty array") != std::string::npos);
  CHECK(
      parse(good_head +
            R"("pattern": "x", "requires": [{"ecosystem": "npm", "packages": ["a"], "use": "a"}]})")
          .find("ecosystem \"npm\" matches none of the rule's languages") != std::string::npos);
  CHECK(parse(good_head + R"("pattern": "x", "requires": [{"ecosystem": "pypi", "use": "a"}]})")
            .find("name at least one package") != std::string::npos);
  CHECK(
      parse(good_head +
            R"("pattern": "x", "requires": [{"ecosystem": "pip", "packages": ["a"], "use": "a"}]})")
          .find("unknown ecosystem \"pip\"") != std::string::npos);
  CHECK(parse(good_head + R"("pattern": "x", "requires": [{"stdlib": "json"}]})")
            .find("requires[0]: missing \"use\"") != std::string::npos);

  // Queries compile on first use: a broken one names the file, and a missing @match is caught.
  auto broken = analyzers::parse_library_rule(
      "library/demo.json", good_head + R"("query": "(no_such_node) @match", )" + stdlib + "}");
  REQUIRE(broken.ok());
  auto compiled = analyzers::compile_rule_queries(*broken, "python");
  REQUIRE_FALSE(compiled.ok());
  CHECK(compiled.error().find("rules/library/demo.json (query, python)") != std::string::npos);
  auto unnamed = analyzers::parse_library_rule(
      "library/demo.json", good_head + R"("query": "(call) @c", )" + stdlib + "}");
  REQUIRE(unnamed.ok());
  auto no_match = analyzers::compile_rule_queries(*unnamed, "python");
  REQUIRE_FALSE(no_match.ok());
  CHECK(no_match.error() == "rules/library/demo.json: \"query\" has no @match capture");
}

// The false-alarm proxy of docs/rules-library.md: every rule, made relevant by declaring every
// package the rules name, over real code that hand-rolls nothing on purpose (a Python standard
// library, npm packages...), each file taken as if a change added it whole. Skipped by default;
// run with
//   AGATE_LIBRARY_EVAL_DIRS=/usr/lib/python3.11:/usr/lib/node_modules
//     agate_tests -tc='library rules: false alarms*' --no-skip
// It prints the files and lines read and the findings per rule (every finding with
// AGATE_LIBRARY_EVAL_VERBOSE=1), and fails when more than 3 files in a hundred get a finding.
TEST_CASE("library rules: false alarms over honest code" * doctest::skip()) {
  const char* dirs = std::getenv("AGATE_LIBRARY_EVAL_DIRS");
  REQUIRE_MESSAGE(dirs != nullptr, "set AGATE_LIBRARY_EVAL_DIRS to a ':'-separated list");
  auto rules = std::move(analyzers::builtin_library_rules()).value_or_throw();
  // Manifests that declare every package any rule names.
  std::map<analyzers::Ecosystem, std::vector<std::string>> packages;
  for (const auto& rule : *rules) {
    for (const auto& requirement : rule.requirements) {
      if (requirement.ecosystem) {
        for (const auto& p : requirement.packages) {
          packages[*requirement.ecosystem].push_back(p);
        }
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> manifests;
  std::string requirements, package_json = R"({"dependencies": {)", go_mod = "module x\n",
                            cargo = "[dependencies]\n", pom, cmake;
  for (const auto& [ecosystem, names] : packages) {
    for (const auto& p : names) {
      switch (ecosystem) {
      case analyzers::Ecosystem::pypi:
        requirements += p + "\n";
        break;
      case analyzers::Ecosystem::npm:
        package_json += "\"" + p + "\": \"*\",";
        break;
      case analyzers::Ecosystem::go:
        go_mod += "require " + p + " v1.0.0\n";
        break;
      case analyzers::Ecosystem::cargo:
        cargo += p + " = \"1\"\n";
        break;
      case analyzers::Ecosystem::maven:
        pom += "<dependency><artifactId>" + p + "</artifactId></dependency>\n";
        break;
      case analyzers::Ecosystem::cpp:
        cmake += "find_package(" + p + ")\n";
        break;
      }
    }
  }
  package_json += R"("-": "*"}})";
  manifests = {{"requirements.txt", requirements},
               {"package.json", package_json},
               {"go.mod", go_mod},
               {"Cargo.toml", cargo},
               {"pom.xml", pom},
               {"CMakeLists.txt", cmake}};

  const bool verbose = std::getenv("AGATE_LIBRARY_EVAL_VERBOSE") != nullptr;
  std::map<std::string, int> per_rule;
  std::map<std::string, std::string> first_place;
  int files = 0;
  int files_flagged = 0;
  long lines = 0;
  std::string list(dirs);
  for (std::size_t start = 0; start <= list.size();) {
    auto end = list.find(':', start);
    std::string dir =
        list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? list.size() + 1 : end + 1;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(
             dir, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file() || it->file_size() > 256 * 1024) {
        continue;
      }
      const auto* language = syntax::language_for_path(it->path().string());
      if (language == nullptr) {
        continue;
      }
      std::string text = test::read_file(it->path());
      gate::MapContentSource contents;
      gate::Change change;
      change.kind = gate::ChangeKind::staged;
      change.label = "staged";
      int next = 0;
      change.files.push_back(test::file_change_from_texts(
          it->path().string(), "", text, std::string(language->id), contents, next));
      lines += change.files.back().added_lines;
      for (const auto& [name, content] : manifests) {
        change.files.push_back(test::file_change_from_texts(name, "", content, "", contents, next));
      }
      gate::ChangeSet set;
      set.changes.push_back(change);
      syntax::SyntaxCache cache;
      auto policy = gate::default_policy();
      analyzers::AnalysisContext context{set, contents, cache, policy};
      analyzers::LibraryLogicAnalyzer analyzer;
      auto findings = analyzer.analyze(context, set.changes.front());
      ++files;
      files_flagged += findings.empty() ? 0 : 1;
      for (const auto& f : findings) {
        std::string id = f.evidence["rule_id"];
        if (verbose) {
          MESSAGE(id << " " << f.file << ":" << f.line);
        }
        if (per_rule[id]++ == 0) {
          first_place[id] = f.file + ":" + std::to_string(f.line);
        }
      }
    }
  }
  int total = 0;
  for (const auto& [id, count] : per_rule) {
    total += count;
    MESSAGE(id << ": " << count << " (first: " << first_place[id] << ")");
  }
  MESSAGE("files " << files << ", lines " << lines << ", findings " << total
                   << ", files with a finding " << files_flagged);
  CHECK(files > 0);
  CHECK(files_flagged * 100 <= 3 * files);
}

TEST_CASE("library rules: the words a query compares with let a file without them skip the rule") {
  using analyzers::required_words;
  // One pattern, its first #eq?/#any-of? predicate.
  CHECK(required_words(R"(((call function: (identifier) @f) (#eq? @f "sleep")))") ==
        std::vector<std::string>{"sleep"});
  CHECK(required_words(R"(((identifier) @m (#any-of? @m "time" "asyncio")))") ==
        std::vector<std::string>{"time", "asyncio"});
  // Alternatives: the union, but only when every alternative has words.
  CHECK(required_words(R"(((identifier) @a (#eq? @a "x")) ((identifier) @b (#eq? @b "y")))") ==
        std::vector<std::string>{"x", "y"});
  CHECK(required_words(R"(((identifier) @a (#eq? @a "x")) (for_statement))").empty());
  // No constraint: no predicate, a regex, a capture compared with a capture, a negation.
  CHECK(required_words("[(for_statement) (while_statement)] @match").empty());
  CHECK(required_words(R"(((identifier) @a (#match? @a "^x")))").empty());
  CHECK(required_words(R"(((identifier) @a (identifier) @b (#eq? @a @b)))").empty());
  CHECK(required_words(R"(((identifier) @a (#not-eq? @a "x")))").empty());
  // Escapes and brackets inside strings.
  CHECK(required_words(R"(((string) @s (#eq? @s "\"(GET\"")))") ==
        std::vector<std::string>{"\"(GET\""});

  // The catalog: most rules can be skipped by words, and a rule is never skipped on a file that
  // one of its positive examples is (the examples test above runs through may_match too).
  auto rules = std::move(analyzers::builtin_library_rules()).value_or_throw();
  std::size_t with_words = 0;
  for (const auto& rule : *rules) {
    with_words += rule.required_words.empty() ? 0 : 1;
  }
  MESSAGE(with_words << " of " << rules->size() << " rules have words to look for");
  CHECK(with_words * 2 >= rules->size());
  for (const auto& rule : *rules) {
    if (rule.id == "library/python-retry-loop") {
      CHECK_FALSE(rule.may_match("for i in range(3):\n    try:\n        return f()\n"));
      CHECK(rule.may_match("import time\nfor i in range(3):\n    time.sleep(1)\n"));
    }
  }
}
