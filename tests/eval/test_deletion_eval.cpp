// The deletion analyzer's evaluation on real code (tests/eval/deletion_eval.hpp) as a regression
// test: recall on injected unrelated deletions and the false-alarm rate on honest changes must
// stay at the levels reached when the evaluation was built, in every language. The figures
// themselves are printed by `build/bench_eval_deletion`.
#include "tests/eval/deletion_eval.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

namespace {

// The levels reached (see docs/rules-deletion.md, "How good it is"); a regression below them
// fails the test. Targets: recall >= 95%, false alarms <= 3%, in each language.
constexpr double k_min_recall = 0.95;
constexpr double k_max_false_alarms = 0.03;
// Enough cases per language for the figures to mean something.
constexpr int k_min_cases = 12;

} // namespace

TEST_CASE("deletion eval: injected unrelated deletions are found and honest changes pass, in "
          "every language") {
  agate::test::TempDir dir;
  const auto corpus = std::filesystem::path(AGATE_SOURCE_DIR) / "tests" / "eval" / "corpus";
  std::string misses;
  auto report = agate::eval::run_deletion_eval(
      corpus, dir.path(), {}, [&misses](const agate::eval::CaseResult& result) {
        const bool bad = result.injected.empty() ? result.false_alarm : !result.found;
        if (bad) {
          misses +=
              result.language + " " + result.id + " " + result.target + "\n" + result.findings;
        }
      });
  INFO(agate::eval::format_report(report));
  INFO(misses);
  for (const std::string language :
       {"python", "javascript", "typescript", "go", "rust", "java", "c", "cpp"}) {
    CAPTURE(language);
    REQUIRE(report.by_language.contains(language));
    const auto& score = report.by_language.at(language);
    CHECK(score.injected >= k_min_cases);
    CHECK(score.honest >= k_min_cases);
    CHECK(score.recall() >= k_min_recall);
    CHECK(score.false_alarm_rate() <= k_max_false_alarms);
  }
  // Every kind of injected deletion is exercised.
  for (const std::string kind : {"function", "method", "test", "guard"}) {
    CAPTURE(kind);
    CHECK(report.by_kind["injected " + kind].injected >= 5);
  }
}
