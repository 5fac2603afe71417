// `bench_eval_deletion [--verbose] [--lang <id>]... [corpus-dir]`: the evaluation of the deletion
// analyzer on real code (tests/eval/deletion_eval.hpp): recall on injected unrelated deletions and
// the false-alarm rate on honest changes, per language and in total. The repositories it makes go
// to a temporary directory, removed at the end unless --keep is given.
#include "tests/eval/deletion_eval.hpp"

#include <cstdio>
#include <iostream>
#include <unistd.h>

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  fs::path corpus = fs::path(__FILE__).parent_path().parent_path() / "tests" / "eval" / "corpus";
  bool verbose = false;
  bool keep = false;
  std::set<std::string> languages;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose" || arg == "-v") {
      verbose = true;
    } else if (arg == "--keep") {
      keep = true;
    } else if (arg == "--lang" && i + 1 < argc) {
      languages.insert(argv[++i]);
    } else if (arg == "--help" || arg == "-h") {
      std::cout
          << "usage: bench_eval_deletion [--verbose] [--keep] [--lang <id>]... [corpus-dir]\n";
      return 0;
    } else {
      corpus = arg;
    }
  }
  if (!fs::is_directory(corpus)) {
    std::cerr << "bench_eval_deletion: no corpus directory " << corpus << "\n";
    return 2;
  }
  const auto work = fs::temp_directory_path() / ("agate-eval-deletion-" + std::to_string(getpid()));
  try {
    auto report = agate::eval::run_deletion_eval(
        corpus, work, languages, [verbose](const agate::eval::CaseResult& result) {
          const bool bad = result.injected.empty() ? result.false_alarm : !result.found;
          if (!verbose && !bad) {
            return;
          }
          std::cout << (bad ? "MISS " : "ok   ") << result.language << " "
                    << result.commit.substr(0, 10) << " " << result.id;
          if (!result.target.empty()) {
            std::cout << " -> " << result.target;
          }
          std::cout << "\n" << result.findings;
        });
    std::cout << agate::eval::format_report(report);
    std::printf("\n%zu cases in %.1f s (corpus %s)\n", report.cases.size(), report.seconds,
                corpus.c_str());
  } catch (const std::exception& e) {
    std::cerr << "bench_eval_deletion: " << e.what() << "\n";
    if (!keep) {
      fs::remove_all(work);
    }
    return 2;
  }
  if (keep) {
    std::cout << "repositories kept in " << work << "\n";
  } else {
    fs::remove_all(work);
  }
  return 0;
}
