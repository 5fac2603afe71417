// Fingerprints and winnowing: a copy of a unit with renamed identifiers and changed literals has
// the same fingerprint, a different unit does not, and winnowed k-gram hashes find a block that
// was pasted into another function.
#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/syntax_cache.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace agate::syntax;

namespace {

const Unit& only_unit(const ParsedFile& parsed, UnitKind kind = UnitKind::function) {
  auto it = std::find_if(parsed.units.begin(), parsed.units.end(),
                         [kind](const Unit& u) { return u.kind == kind; });
  REQUIRE(it != parsed.units.end());
  return *it;
}

uint64_t fingerprint_of(const std::string& language, const std::string& source) {
  return only_unit(parse_units(language, source)).fingerprint;
}

} // namespace

TEST_CASE("fingerprint: a renamed copy has the same fingerprint, a different function does not") {
  const std::string original = "def apply_discount(order, rate):\n"
                               "    # the rate is a fraction\n"
                               "    if rate > 0.5:\n"
                               "        raise ValueError(\"rate too high\")\n"
                               "    return order.total * (1 - rate)\n";
  const std::string renamed = "def reduce_price(basket, fraction):\n"
                              "    if fraction > 0.9:\n"
                              "        raise ValueError('fraction is too high')  # renamed\n"
                              "    return basket.total * (2 - fraction)\n";
  const std::string different = "def apply_discount(order, rate):\n"
                                "    if rate > 0.5:\n"
                                "        return None\n"
                                "    return order.total * (1 - rate)\n";
  uint64_t a = fingerprint_of("python", original);
  CHECK(a != 0);
  CHECK(fingerprint_of("python", renamed) == a);
  CHECK(fingerprint_of("python", different) != a);
  // Same names, other structure: an extra statement changes it.
  CHECK(fingerprint_of("python", original + "    print(order)\n") != a);
}

TEST_CASE("fingerprint: renamed copies match in every language") {
  struct Case {
    std::string language;
    std::string original;
    std::string renamed;
    std::string different;
  };
  const std::vector<Case> cases = {
      {"javascript", "function sum(xs) { let t = 0; for (const x of xs) t += x; return t; }",
       "function total(values) { let acc = 10; for (const v of values) acc += v; return acc; }",
       "function sum(xs) { let t = 0; for (const x of xs) t -= x; return t; }"},
      {"typescript", "function f(a: number): string { return `${a}px`; }",
       "function g(b: number): string { return 'x'; }",
       "function f(a: number): number { return a; }"},
      {"go",
       "package p\nfunc Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n",
       "package p\nfunc Larger(x, y int) int {\n\tif x > y {\n\t\treturn x\n\t}\n\treturn y\n}\n",
       "package p\nfunc Max(a, b int) int {\n\tif a < b {\n\t\treturn a\n\t}\n\treturn b\n}\n"},
      {"rust", "fn area(w: u32, h: u32) -> u32 { w * h + 1 }",
       "fn size(x: u32, y: u32) -> u32 { x * y + 7 }",
       "fn area(w: u32, h: u32) -> u32 { w + h + 1 }"},
      {"java", "class A { int f(int x) { return x * 2; } }",
       "class B { int g(int y) { return y * 3; } }", "class A { int f(int x) { return x / 2; } }"},
      {"c", "int clamp(int v) { return v < 0 ? 0 : v; }",
       "int positive(int n) { return n < 1 ? 1 : n; }",
       "int clamp(int v) { return v > 0 ? 0 : v; }"},
      {"cpp", "int twice(int v) { return v * 2; }", "int doubled(int n) { return n * 5; }",
       "int twice(int v) { return v << 2; }"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.language);
    auto kind = c.language == "java" ? UnitKind::method : UnitKind::function;
    uint64_t original = only_unit(parse_units(c.language, c.original), kind).fingerprint;
    CHECK(only_unit(parse_units(c.language, c.renamed), kind).fingerprint == original);
    CHECK(only_unit(parse_units(c.language, c.different), kind).fingerprint != original);
  }
}

TEST_CASE("fingerprint: tokens abstract identifiers and literals and skip comments") {
  auto parsed = parse_units("python", "def f(a):\n    # note\n    return a + 'x' + 1\n");
  const Unit& unit = only_unit(parsed);
  // def IDENT ( IDENT ) : return IDENT + STRING + NUMBER
  REQUIRE(unit.tokens.size() == 12);
  CHECK(unit.tokens[0] == text_token("def"));
  CHECK(unit.tokens[1] == token_identifier);
  CHECK(unit.tokens[2] == text_token("("));
  CHECK(unit.tokens[3] == token_identifier);
  CHECK(unit.tokens[6] == text_token("return"));
  CHECK(unit.tokens[7] == token_identifier);
  CHECK(unit.tokens[9] == token_string);
  CHECK(unit.tokens[11] == token_number);
  for (uint32_t token : unit.tokens) {
    CHECK((token == token_identifier || token == token_string || token == token_number ||
           token >= first_text_token));
  }
  CHECK(fingerprint(unit.tokens) == unit.fingerprint);
  CHECK(fingerprint(std::vector<uint32_t>{}) == 0);
}

TEST_CASE("fingerprint: k-gram hashes cover every run of k tokens") {
  std::vector<uint32_t> tokens = {5, 6, 7, 5, 6, 7, 8};
  auto hashes = kgram_hashes(tokens, 3);
  REQUIRE(hashes.size() == 5);
  CHECK(hashes[0] == hashes[3]); // 5 6 7 twice
  CHECK(hashes[0] != hashes[1]);
  CHECK(hashes[1] != hashes[2]);
  CHECK(kgram_hashes(tokens, 8).empty());
  CHECK(kgram_hashes(tokens, 0).empty());
  CHECK(kgram_hashes(tokens, 7).size() == 1);
}

TEST_CASE("fingerprint: winnowing selects one hash per window and finds pasted code") {
  // A block of 40 tokens pasted into two otherwise different streams.
  std::vector<uint32_t> block;
  for (uint32_t i = 0; i < 40; ++i) {
    block.push_back(100 + (i * 7919) % 97);
  }
  std::vector<uint32_t> a = {1001, 1002, 1003, 1004, 1005};
  a.insert(a.end(), block.begin(), block.end());
  std::vector<uint32_t> b = {2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009};
  b.insert(b.end(), block.begin(), block.end());
  b.push_back(3000);

  const std::size_t k = 5;
  const std::size_t window = 4;
  auto wa = winnow(a, k, window);
  auto wb = winnow(b, k, window);
  REQUIRE_FALSE(wa.empty());

  // Every window of `window` consecutive k-grams has a selected position in it.
  auto hashes = kgram_hashes(a, k);
  for (std::size_t start = 0; start + window <= hashes.size(); ++start) {
    bool covered = std::any_of(wa.begin(), wa.end(), [&](const KgramHash& h) {
      return h.position >= start && h.position < start + window;
    });
    CHECK_MESSAGE(covered, "window at " << start);
  }
  // Selected positions are increasing and report their k-gram's hash.
  for (std::size_t i = 0; i < wa.size(); ++i) {
    CHECK(wa[i].hash == hashes[wa[i].position]);
    if (i > 0) {
      CHECK(wa[i].position > wa[i - 1].position);
    }
  }
  // The shared block (longer than window + k - 1 tokens) shares selected hashes.
  std::set<uint64_t> selected_a;
  for (const auto& h : wa) {
    selected_a.insert(h.hash);
  }
  std::size_t shared = std::count_if(
      wb.begin(), wb.end(), [&](const KgramHash& h) { return selected_a.count(h.hash) != 0; });
  CHECK(shared >= 3);
  // Unrelated streams share none.
  std::vector<uint32_t> c;
  for (uint32_t i = 0; i < 60; ++i) {
    c.push_back(5000 + i);
  }
  auto wc = winnow(c, k, window);
  CHECK(std::none_of(wc.begin(), wc.end(),
                     [&](const KgramHash& h) { return selected_a.count(h.hash) != 0; }));
  // Deterministic.
  CHECK(winnow(a, k, window) == wa);
}

TEST_CASE("fingerprint: winnowing short streams") {
  std::vector<uint32_t> three = {1, 2, 3};
  CHECK(winnow(three, 5, 4).empty());
  auto one = winnow(three, 3, 4);
  REQUIRE(one.size() == 1);
  CHECK(one[0].position == 0);
  auto two = winnow(std::vector<uint32_t>{1, 2, 3, 4}, 3, 10);
  CHECK(two.size() == 1); // fewer k-grams than the window: the minimum of those there are
  CHECK(winnow(three, 1, 0).size() >= 1);
}
