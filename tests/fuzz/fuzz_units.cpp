// Fuzz target: unit extraction (tree-sitter parse and the rules/languages queries) on arbitrary
// bytes, as the analyzers run it on every changed file. The first byte picks the language from
// the language table. Properties: every unit lies inside the input, lines and bytes in order.
#include "tests/fuzz/fuzz_support.hpp"

#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::syntax;
  if (size == 0) {
    return 0;
  }
  const auto& table = languages();
  const Language& language = table[data[0] % table.size()];
  auto content = agate::fuzz::as_text(data + 1, size - 1);
  ParsedFile parsed = parse_units(language.id, content);
  for (const Unit& unit : parsed.units) {
    FUZZ_CHECK(unit.start_byte <= unit.end_byte);
    FUZZ_CHECK(unit.end_byte <= content.size());
    FUZZ_CHECK(unit.start_line >= 1 && unit.start_line <= unit.end_line);
    FUZZ_CHECK(unit.end_line <= parsed.line_count + 1);
  }
  return 0;
}
