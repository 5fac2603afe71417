// The duplication evaluation as a regression test (harness.hpp): injected clones of real code
// must be found at the right place, and honest changes of real code must not get error-level
// findings. The floors are the levels reached when the analyzer was written (docs/rules-
// duplication.md); lower figures fail the test.
//
// With AGATE_EVAL_OUT=<dir> (bench/eval_duplication.sh), the repository is made in <dir> and
// kept, the cases and agate's outcome per case are written to <dir>/cases.tsv, and the figures
// are printed.
#include "analyzers/duplication/clone_index.hpp"
#include "tests/eval/duplication/harness.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>
#include <optional>

using namespace agate;

TEST_CASE("duplication eval: recall of injected clones and false alarms on honest changes") {
  const char* out_dir = std::getenv("AGATE_EVAL_OUT");
  std::optional<test::TempDir> tmp;
  eval::fs::path dir;
  if (out_dir != nullptr && *out_dir != '\0') {
    dir = out_dir;
    eval::fs::remove_all(dir);
    eval::fs::create_directories(dir / "repo");
    dir /= "repo";
  } else {
    tmp.emplace();
    dir = tmp->path();
  }
  eval::Evaluation evaluation(dir);
  evaluation.build(20, 20);
  std::map<std::string, eval::EvalOutcome> outcomes;
  auto summary = evaluation.run(&outcomes);

  std::vector<double> times = summary.case_seconds;
  std::sort(times.begin(), times.end());
  double median_ms = times.empty() ? 0 : 1000.0 * times[times.size() / 2];
  std::ostringstream report;
  report << "agate: recall " << summary.found << "/" << summary.clones << " (" << summary.recall()
         << "%), false alarms (error) " << summary.honest_error << "/" << summary.honest << " ("
         << summary.false_alarm_rate() << "%), honest flagged (any) " << summary.honest_any << "/"
         << summary.honest << " (" << summary.flagged_rate() << "%), analyzer time total "
         << summary.total_seconds << " s, median per case " << median_ms << " ms\n";
  for (const auto& m : summary.missed) {
    report << "  missed: " << m << "\n";
  }
  for (const auto& f : summary.false_alarms) {
    report << "  flagged: " << f << "\n";
  }
  MESSAGE(report.str());
  if (out_dir != nullptr && *out_dir != '\0') {
    std::ofstream tsv(dir.parent_path() / "cases.tsv");
    tsv << "id\tkind\tclone\tfile\tstart\tend\tcommit\tagate_found\tagate_error\tagate_any\tagate_"
           "ms\n";
    for (const auto& c : evaluation.cases()) {
      const auto& o = outcomes[c.id];
      tsv << c.id << "\t" << c.kind << "\t" << c.clone << "\t" << c.file << "\t" << c.start_line
          << "\t" << c.end_line << "\t" << c.commit << "\t" << o.found << "\t" << o.error << "\t"
          << o.any << "\t" << o.seconds * 1000.0 << "\n";
    }
    std::cout << report.str();
  }
  CHECK(summary.clones == 60);
  CHECK(summary.honest >= 55);
  CHECK(summary.recall() >= 95.0);
  CHECK(summary.false_alarm_rate() <= 3.0);
}

// The index benchmark (bench/eval_duplication.sh runs it with --no-skip): the clone index of the
// repository at $AGATE_INDEX_BENCH_REPO built from scratch, loaded from its warm cache, and the
// analyzer on the repository's staged change with the warm cache. Prints the figures.
TEST_CASE("duplication bench: index build and warm-cache analysis" * doctest::skip()) {
  const char* repo_dir = std::getenv("AGATE_INDEX_BENCH_REPO");
  REQUIRE(repo_dir != nullptr);
  auto repo = gate::Repository::open(repo_dir);
  REQUIRE(repo);
  gate::GitRepositoryView view(*repo);
  auto head = repo->resolve("HEAD");
  REQUIRE(head);
  auto files = view.files_at(*head);
  REQUIRE(files);
  auto seconds_since = [](std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  std::vector<double> cold, warm, analysis;
  analyzers::CloneIndexStats stats;
  for (int run = 0; run < 5; ++run) {
    eval::fs::remove(analyzers::CloneIndex::cache_file(view.cache_dir()));
    auto start = std::chrono::steady_clock::now();
    auto index = analyzers::CloneIndex::build(*files, repo->content(), view.cache_dir(), {});
    cold.push_back(seconds_since(start));
    stats = index.stats();
    start = std::chrono::steady_clock::now();
    auto again = analyzers::CloneIndex::build(*files, repo->content(), view.cache_dir(), {});
    warm.push_back(seconds_since(start));
    CHECK(again.stats().parsed == 0);
  }
  gate::Selection selection; // the staged change
  auto policy = gate::default_policy();
  std::size_t findings = 0;
  for (int run = 0; run < 7; ++run) {
    auto start = std::chrono::steady_clock::now();
    auto loaded = gate::load_changes(*repo, selection, {});
    REQUIRE(loaded);
    double load = seconds_since(start);
    syntax::SyntaxCache cache;
    analyzers::AnalysisContext context{*loaded, repo->content(), cache, policy, &view};
    analyzers::CloneAnalyzer analyzer;
    start = std::chrono::steady_clock::now();
    findings = 0;
    for (const auto& change : loaded->changes) {
      findings += analyzer.analyze(context, change).size();
    }
    analysis.push_back(seconds_since(start));
    (void)load;
  }
  std::cout << "index: " << files->size() << " files in the tree, " << stats.files
            << " of known languages, " << stats.units << " units indexed, " << stats.skipped
            << " skipped\n"
            << "index build from scratch: median " << median(cold) << " s (5 runs)\n"
            << "index load from warm cache: median " << 1000 * median(warm) << " ms\n"
            << "clone analyzer on the staged change, warm cache: median " << 1000 * median(analysis)
            << " ms (7 runs, " << findings << " findings)\n"
            << "cache file: "
            << eval::fs::file_size(analyzers::CloneIndex::cache_file(view.cache_dir())) / 1024
            << " KiB\n";
}
