// Every language of the table loads its grammar, parses a small realistic sample and compiles
// its unit query; queries evaluate their predicates (which the tree-sitter C library does not).
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/query.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/util/embedded.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace agate::syntax;

namespace {

// A few lines of everyday code per language, each with a function, a type and an import.
const std::map<std::string, std::string>& samples() {
  static const std::map<std::string, std::string> all = {
      {"python", "import json\n\nclass Box:\n    def get(self):\n        return json.dumps({})\n"},
      {"javascript",
       "import fs from 'fs';\nclass Box {\n  get() { return fs.readFileSync('x'); }\n}\n"},
      {"typescript", "import { x } from './x';\nclass Box {\n  get(): number { return x; }\n}\n"},
      {"tsx", "import React from 'react';\nclass Box {\n  get() { return <div>{1}</div>; }\n}\n"},
      {"go", "package box\n\nimport \"fmt\"\n\ntype Box struct{}\n\nfunc (b Box) Get() string {\n"
             "\treturn fmt.Sprint(1)\n}\n"},
      {"rust", "use std::fmt;\n\nstruct Box;\n\nimpl Box {\n    fn get(&self) -> u32 { 1 }\n}\n"},
      {"java",
       "import java.util.List;\n\nclass Box {\n    int get() { return List.of(1).size(); }\n}\n"},
      {"c",
       "#include <stdio.h>\n\nstruct box { int v; };\n\nint get(struct box *b) { return b->v; }\n"},
      {"cpp", "#include <vector>\n\nclass Box {\npublic:\n  int get() const { return 1; }\n};\n"},
  };
  return all;
}

} // namespace

TEST_CASE("syntax languages: every language in the table has a sample, a grammar and a query") {
  REQUIRE(languages().size() == samples().size());
  for (const auto& language : languages()) {
    std::string id(language.id);
    CAPTURE(id);
    REQUIRE(samples().count(id) == 1);
    REQUIRE(static_cast<bool>(language.grammar));
    const TSLanguage* grammar = language.grammar();
    REQUIRE(grammar != nullptr);
    CHECK(ts_language_abi_version(grammar) >= TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION);
    CHECK(ts_language_abi_version(grammar) <= TREE_SITTER_LANGUAGE_VERSION);
    CHECK_MESSAGE(agate::embedded::find("languages/" + id + ".scm") != nullptr,
                  "rules/languages/" << id << ".scm is missing");
    CHECK(find_language(id) == &language);
  }
}

TEST_CASE("syntax languages: every unit query compiles") {
  for (const auto& language : languages()) {
    std::string id(language.id);
    auto query = unit_query(id);
    // The message names the file, line, column, byte offset and error type.
    REQUIRE_MESSAGE(query.ok(), (query.ok() ? std::string() : query.error()));
    CHECK((*query)->pattern_count() > 0);
    // Compiled once per process.
    CHECK(unit_query(id)->get() == query->get());
  }
}

TEST_CASE("syntax languages: every language parses its sample into units without errors") {
  for (const auto& language : languages()) {
    std::string id(language.id);
    CAPTURE(id);
    const std::string& source = samples().at(id);
    SyntaxTree tree = parse_tree(language, source);
    REQUIRE(tree.ok());
    CHECK_FALSE(ts_node_has_error(tree.root()));

    auto parsed = parse_units(id, source);
    CHECK(parsed.language == id);
    CHECK_FALSE(parsed.has_errors);
    std::set<UnitKind> kinds;
    for (const auto& unit : parsed.units) {
      kinds.insert(unit.kind);
      CHECK(unit.start_line >= 1);
      CHECK(unit.end_line >= unit.start_line);
      CHECK(unit.end_byte > unit.start_byte);
      CHECK(unit.end_byte <= source.size());
      CHECK_FALSE(unit.tokens.empty());
    }
    CHECK(kinds.count(UnitKind::import) == 1);
    CHECK(kinds.count(UnitKind::type) == 1);
    // C has no methods: its sample's function is a free function.
    CHECK(kinds.count(id == "c" ? UnitKind::function : UnitKind::method) == 1);
  }
}

TEST_CASE("syntax languages: an invalid query reports where and why it fails") {
  const TSLanguage* python = find_language("python")->grammar();
  auto bad_node = Query::compile(python, "(function_definition)\n  (no_such_node) @x\n", "t.scm");
  REQUIRE_FALSE(bad_node.ok());
  CHECK(bad_node.error().find("t.scm:2:4") != std::string::npos);
  CHECK(bad_node.error().find("unknown node type") != std::string::npos);
  CHECK(bad_node.error().find("byte 25") != std::string::npos);

  auto bad_field = Query::compile(python, "(function_definition nope: (identifier))", "t.scm");
  REQUIRE_FALSE(bad_field.ok());
  CHECK(bad_field.error().find("unknown field") != std::string::npos);

  auto syntax = Query::compile(python, "(function_definition", "t.scm");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().find("syntax error") != std::string::npos);

  auto unknown_predicate =
      Query::compile(python, "((identifier) @x (#frobnicate? @x \"y\"))", "t.scm");
  REQUIRE_FALSE(unknown_predicate.ok());
  CHECK(unknown_predicate.error().find("#frobnicate?") != std::string::npos);

  auto bad_regex = Query::compile(python, "((identifier) @x (#match? @x \"(\"))", "t.scm");
  REQUIRE_FALSE(bad_regex.ok());
  CHECK(bad_regex.error().find("regular expression") != std::string::npos);

  auto bad_arity = Query::compile(python, "((identifier) @x (#eq? @x))", "t.scm");
  REQUIRE_FALSE(bad_arity.ok());
}

namespace {

// The texts of capture @x over `source` for query `pattern` (Python).
std::multiset<std::string> captured(const std::string& pattern, const std::string& source) {
  const Language* python = find_language("python");
  auto query = Query::compile(python->grammar(), pattern, "test");
  REQUIRE_MESSAGE(query.ok(), (query.ok() ? std::string() : query.error()));
  SyntaxTree tree = parse_tree(*python, source);
  std::multiset<std::string> out;
  for (const auto& match : (*query)->matches(tree.root(), tree.text)) {
    for (const auto& capture : match.captures) {
      if (capture.name == "x") {
        out.insert(std::string(node_text(capture.node, tree.text)));
      }
    }
  }
  return out;
}

} // namespace

TEST_CASE("syntax languages: query predicates are evaluated") {
  const std::string source = "def test_a(): pass\ndef test_b(): pass\ndef helper(): pass\n"
                             "def Test_c(): pass\n";
  using Set = std::multiset<std::string>;
  const std::string fn = "(function_definition name: (identifier) @x";
  CHECK(captured(fn + ")", source) == Set{"test_a", "test_b", "helper", "Test_c"});
  CHECK(captured("(" + fn + ") (#eq? @x \"helper\"))", source) == Set{"helper"});
  CHECK(captured("(" + fn + ") (#not-eq? @x \"helper\"))", source) ==
        Set{"test_a", "test_b", "Test_c"});
  CHECK(captured("(" + fn + ") (#match? @x \"^test_\"))", source) == Set{"test_a", "test_b"});
  CHECK(captured("(" + fn + ") (#match? @x \"(?i)^test_\"))", source) ==
        Set{"test_a", "test_b", "Test_c"});
  CHECK(captured("(" + fn + ") (#not-match? @x \"^test_\"))", source) == Set{"helper", "Test_c"});
  CHECK(captured("(" + fn + ") (#any-of? @x \"test_b\" \"helper\"))", source) ==
        Set{"test_b", "helper"});
  CHECK(captured("(" + fn + ") (#not-any-of? @x \"test_b\" \"helper\"))", source) ==
        Set{"test_a", "Test_c"});
  // #eq? between two captures: a function returning a call to itself.
  CHECK(captured("((function_definition name: (identifier) @x body: (block (return_statement "
                 "(call function: (identifier) @y)))) (#eq? @x @y))",
                 "def f(): return f()\ndef g(): return f()\n") == Set{"f"});
  // Quantified captures: #match? needs every node, #any-match? one of them.
  const std::string decorated = "@a1\n@a2\ndef f(): pass\n@a1\n@b2\ndef g(): pass\n";
  CHECK(captured("((decorated_definition (decorator)+ @x) (#match? @x \"^@a\"))", decorated) ==
        Set{"@a1", "@a2"});
  CHECK(captured("((decorated_definition (decorator)+ @x) (#any-match? @x \"^@b\"))", decorated) ==
        Set{"@a1", "@b2"});
  CHECK(captured("((decorated_definition (decorator)+ @x) (#any-not-eq? @x \"@a1\"))", decorated) ==
        Set{"@a1", "@a2", "@a1", "@b2"});
  CHECK(captured("((decorated_definition (decorator)+ @x) (#not-eq? @x \"@a1\"))", decorated)
            .empty());
  // A predicate on a capture the match does not hold (other branch) does not reject it.
  CHECK(captured("((call function: [(identifier) @x (attribute) @_attr]) (#match? @_attr \"^os\"))",
                 "run()\nos.run()\nsys.run()\n") == Set{"run"});
  // Directives are accepted and do not filter.
  CHECK(captured("((identifier) @x (#set! kind \"name\") (#eq? @x \"a\"))", "a + b\n") == Set{"a"});
}

TEST_CASE("syntax languages: tsx inherits the typescript query") {
  auto typescript = unit_query("typescript");
  auto tsx = unit_query("tsx");
  REQUIRE(typescript.ok());
  REQUIRE(tsx.ok());
  CHECK((*tsx)->pattern_count() == (*typescript)->pattern_count());
  auto parsed = parse_units("tsx", "interface Props { a: string }\n"
                                   "describe('x', () => { it('y', () => {}); });\n");
  REQUIRE(parsed.units.size() == 3);
  CHECK(parsed.units[0].kind == UnitKind::type);
  CHECK(parsed.units[2].qualified_name == "x.y");
}

TEST_CASE("syntax languages: unknown languages and rules are reported, not crashed on") {
  auto unknown = embedded_query("cobol", "languages/cobol.scm");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().find("cobol") != std::string::npos);
  auto missing = embedded_query("python", "languages/no-such-file.scm");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("rules/languages/no-such-file.scm") != std::string::npos);
}

TEST_CASE("syntax languages: queries compile once when threads ask at the same time") {
  std::vector<std::thread> threads;
  std::vector<const Query*> seen(6, nullptr);
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&seen, t] {
      auto query = embedded_query(t % 2 == 0 ? "go" : "java",
                                  t % 2 == 0 ? "languages/go.scm" : "languages/java.scm");
      seen[t] = query.ok() ? query->get() : nullptr;
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (std::size_t t = 0; t < seen.size(); ++t) {
    REQUIRE(seen[t] != nullptr);
    CHECK(seen[t] == seen[t % 2]);
  }
  CHECK(seen[0] != seen[1]);
}
