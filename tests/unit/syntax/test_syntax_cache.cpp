// Tests of the syntax cache (analyzers/syntax/syntax_cache.hpp): a blob is parsed once per
// language, and the trees of the latest blobs are kept, within a bound, so that an analyzer that
// runs its own queries (library-logic) does not parse the same bytes again.
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/syntax_cache.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace agate;

namespace {

std::string python_module(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "def f" + std::to_string(i) + "(x):\n    return x + " + std::to_string(i) + "\n\n";
  }
  return text;
}

} // namespace

TEST_CASE("syntax cache: a blob is parsed once, and its tree is kept for other queries") {
  syntax::SyntaxCache cache;
  const std::string text = "\xEF\xBB\xBF" + python_module(3);
  auto first = cache.parse("oid1", "python", text);
  auto again = cache.parse("oid1", "python", "ignored: the blob id says it is parsed");
  CHECK(first == again);
  CHECK(cache.size() == 1);
  CHECK(first->units.size() == 3);

  auto tree = cache.tree("oid1", "python");
  REQUIRE(tree != nullptr);
  auto adopted = syntax::adopt_tree(std::move(tree), text);
  CHECK(adopted.byte_offset == 3); // the byte-order mark, as parse_tree reports it
  auto parsed = syntax::parse_tree(*syntax::find_language("python"), text);
  CHECK(adopted.text == parsed.text);
  CHECK(std::string(ts_node_type(adopted.root())) == "module");
  CHECK(ts_node_child_count(adopted.root()) == ts_node_child_count(parsed.root()));
  CHECK(ts_node_end_byte(adopted.root()) == ts_node_end_byte(parsed.root()));

  CHECK(cache.tree("oid1", "javascript") == nullptr); // another language
  CHECK(cache.tree("other", "python") == nullptr);    // never parsed
  cache.parse("", "python", text);                    // no blob id: not cached, no tree
  CHECK(cache.tree("", "python") == nullptr);
}

TEST_CASE("syntax cache: only the trees of the latest blobs are kept, within the bound") {
  syntax::SyntaxCache cache;
  const std::string text = python_module(2000); // about 60 KB
  const std::size_t fit = syntax::SyntaxCache::kept_tree_bytes / text.size();
  for (std::size_t i = 0; i < fit + 5; ++i) {
    cache.parse("oid" + std::to_string(i), "python", text);
  }
  CHECK(cache.size() == fit + 5); // the parsed units stay
  CHECK(cache.tree("oid0", "python") == nullptr);
  CHECK(cache.tree("oid4", "python") == nullptr);
  CHECK(cache.tree("oid" + std::to_string(fit + 4), "python") != nullptr);
  CHECK(cache.tree("oid6", "python") != nullptr);
}
