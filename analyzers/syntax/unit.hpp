// Units: the pieces of a file that analyzers reason about, extracted from a syntax tree by the
// language's query (rules/languages/<id>.scm).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agate::syntax {

enum class UnitKind {
  function, // a free function
  method,   // a function inside a class/impl/struct
  type,     // class, struct, interface, enum, trait, impl block
  test,     // a test case or test suite (test_*, Test*, #[test], @Test, it(, describe(, TEST(...)
  import,   // import / include / use / require
  guard,    // error check, raise/throw, assertion, input validation
};
std::string_view to_string(UnitKind kind);

struct Unit {
  UnitKind kind = UnitKind::function;
  std::string name;           // "validate_token"; for an import: the module; for a guard: ""
  std::string qualified_name; // enclosing scopes joined with ".": "AuthService.validate_token"
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;               // exclusive
  int start_line = 0;                  // 1-based
  int end_line = 0;                    // 1-based, inclusive
  std::vector<std::string> defines;    // identifiers the unit defines (its name, parameters...)
  std::vector<std::string> references; // identifiers it uses (calls, types, names), deduplicated
  std::vector<uint32_t> tokens; // normalized token stream: identifiers and literals abstracted
  uint64_t fingerprint = 0;     // hash of `tokens`: equal for renamed copies
};

struct ParsedFile {
  std::string language;    // language id
  bool has_errors = false; // the tree holds ERROR or MISSING nodes
  bool timed_out = false;  // stopped at the time budget: no units (parser.hpp)
  std::vector<Unit> units; // in source order (by start_byte, outer before inner)
  int line_count = 0;
};

} // namespace agate::syntax
