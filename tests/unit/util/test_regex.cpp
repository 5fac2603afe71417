// Tests of the linear-time regular expressions (gate/util/regex.hpp): matches and groups as the
// callers use them, compile errors as one line, and patterns that make a backtracking engine run
// for minutes (or overflow its stack) finishing at once on hostile text.
#include "gate/util/regex.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using agate::gate::Regex;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_CASE("regex: search gives the match, its offset and its groups") {
  auto re = Regex::compile(R"(<groupId>\s*([^<\s]+)\s*</groupId>)");
  REQUIRE(re);
  auto m = re->search("x <groupId> org.example </groupId> y");
  REQUIRE(m);
  CHECK(m->offset == 2);
  CHECK(m->groups.size() == 2);
  CHECK(m->groups[1] == "org.example");
  CHECK_FALSE(re->search("<groupId></groupId>"));
  CHECK(re->contains("<groupId>a</groupId>"));
}

TEST_CASE("regex: search_all finds every match left to right, and empty matches move on") {
  auto re = Regex::compile(R"((\d+))");
  REQUIRE(re);
  auto all = re->search_all("a1 b22 c333");
  REQUIRE(all.size() == 3);
  CHECK(all[0].groups[1] == "1");
  CHECK(all[2].groups[1] == "333");
  CHECK(all[2].offset == 8);
  auto empty = Regex::compile("x*");
  REQUIRE(empty);
  CHECK(empty->search_all("ab").size() == 3); // before a, before b, at the end
}

TEST_CASE("regex: (?i) and the ignore_case flag fold case; a bad pattern is a one-line error") {
  auto inline_flag = Regex::compile("(?i)^test");
  REQUIRE(inline_flag);
  CHECK(inline_flag->contains("TestLogin"));
  auto flag = Regex::compile("find_package", true);
  REQUIRE(flag);
  CHECK(flag->contains("FIND_PACKAGE(x)"));
  auto bad = Regex::compile("(unclosed");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().find('\n') == std::string::npos);
  CHECK_FALSE(bad.error().empty());
}

TEST_CASE("regex: patterns that backtrack exponentially elsewhere run in linear time") {
  // (a+)+$ on "aaaa...ab" takes 2^n steps in a backtracking engine.
  auto nested = Regex::compile("(a+)+$");
  REQUIRE(nested);
  const std::string hostile = std::string(100000, 'a') + "b";
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(nested->contains(hostile));
  // A lazy body over a large text with no closing tag: libstdc++ recursed per character.
  auto lazy = Regex::compile(R"(<dependency>((?s:.*?))</dependency>)");
  REQUIRE(lazy);
  CHECK(lazy->search_all("<dependency>" + std::string(2000000, 'x')).empty());
  // Generous: linear work on ~2 MB is milliseconds; the backtracking engine took minutes.
  CHECK(seconds_since(start) < 5.0);
}
