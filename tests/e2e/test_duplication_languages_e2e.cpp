// End-to-end tests of the duplication rules in every supported language, with the real binary
// on real repositories made with the git CLI:
// - duplication/clone: a function of the base tree copied into a new file with its identifiers
//   renamed is reported at the copy, naming the original, in Python, JavaScript, TypeScript, Go,
//   Rust, Java, C and C++;
// - duplication/library-logic: every rule of the catalog (rules/library/) on its own examples:
//   the manifests committed first, then the examples staged; each positive example is reported
//   at the lines its `ruleid:` comments mark, and no negative example is reported.
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/file_change_builder.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;

struct CloneCase {
  std::string language;
  std::string original_path;
  std::string original;
  std::string copy_path;
  std::vector<std::pair<std::string, std::string>> renames; // identifier -> new name
  std::string original_unit;
};

std::string renamed(std::string text, const std::vector<std::pair<std::string, std::string>>& map) {
  for (const auto& [from, to] : map) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  }
  return text;
}

std::vector<CloneCase> clone_cases() {
  return {
      {"python",
       "app/stats.py",
       R"(def moving_average(values, window):
    if window <= 0:
        raise ValueError("window must be positive")
    averages = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= window:
            total -= values[index - window]
        if index + 1 >= window:
            averages.append(total / window)
    return averages
)",
       "app/report.py",
       {{"moving_average", "rolling_mean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "moving_average"},
      {"javascript",
       "web/stats.js",
       R"(export function movingAverage(values, window) {
  if (window <= 0) {
    throw new RangeError("window must be positive");
  }
  const averages = [];
  let total = 0;
  for (let index = 0; index < values.length; index++) {
    total += values[index];
    if (index >= window) {
      total -= values[index - window];
    }
    if (index + 1 >= window) {
      averages.push(total / window);
    }
  }
  return averages;
}
)",
       "web/report.js",
       {{"movingAverage", "rollingMean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "movingAverage"},
      {"typescript",
       "src/stats.ts",
       R"(export function movingAverage(values: number[], window: number): number[] {
  if (window <= 0) {
    throw new RangeError("window must be positive");
  }
  const averages: number[] = [];
  let total = 0;
  for (let index = 0; index < values.length; index++) {
    total += values[index];
    if (index >= window) {
      total -= values[index - window];
    }
    if (index + 1 >= window) {
      averages.push(total / window);
    }
  }
  return averages;
}
)",
       "src/report.ts",
       {{"movingAverage", "rollingMean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "movingAverage"},
      {"go",
       "stats/stats.go",
       R"(package stats

import "errors"

func MovingAverage(values []float64, window int) ([]float64, error) {
	if window <= 0 {
		return nil, errors.New("window must be positive")
	}
	averages := []float64{}
	total := 0.0
	for index, value := range values {
		total += value
		if index >= window {
			total -= values[index-window]
		}
		if index+1 >= window {
			averages = append(averages, total/float64(window))
		}
	}
	return averages, nil
}
)",
       "report/report.go",
       {{"package stats", "package report"},
        {"MovingAverage", "RollingMean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "MovingAverage"},
      {"rust",
       "src/stats.rs",
       R"(pub fn moving_average(values: &[f64], window: usize) -> Vec<f64> {
    assert!(window > 0, "window must be positive");
    let mut averages = Vec::new();
    let mut total = 0.0;
    for (index, value) in values.iter().enumerate() {
        total += value;
        if index >= window {
            total -= values[index - window];
        }
        if index + 1 >= window {
            averages.push(total / window as f64);
        }
    }
    averages
}
)",
       "src/report.rs",
       {{"moving_average", "rolling_mean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "moving_average"},
      {"java",
       "src/main/java/acme/Stats.java",
       R"(package acme;

import java.util.ArrayList;
import java.util.List;

public final class Stats {
  public static List<Double> movingAverage(double[] values, int window) {
    if (window <= 0) {
      throw new IllegalArgumentException("window must be positive");
    }
    List<Double> averages = new ArrayList<>();
    double total = 0;
    for (int index = 0; index < values.length; index++) {
      total += values[index];
      if (index >= window) {
        total -= values[index - window];
      }
      if (index + 1 >= window) {
        averages.add(total / window);
      }
    }
    return averages;
  }
}
)",
       "src/main/java/acme/Report.java",
       {{"class Stats", "class Report"},
        {"movingAverage", "rollingMean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "Stats.movingAverage"},
      {"c",
       "src/stats.c",
       R"(#include <stddef.h>

size_t moving_average(const double *values, size_t count, size_t window, double *averages) {
    size_t produced = 0;
    double total = 0.0;
    if (window == 0) {
        return 0;
    }
    for (size_t index = 0; index < count; index++) {
        total += values[index];
        if (index >= window) {
            total -= values[index - window];
        }
        if (index + 1 >= window) {
            averages[produced++] = total / (double)window;
        }
    }
    return produced;
}
)",
       "src/report.c",
       {{"moving_average", "rolling_mean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"},
        {"produced", "written"}},
       "moving_average"},
      {"cpp",
       "src/stats.cpp",
       R"(#include <stdexcept>
#include <vector>

std::vector<double> moving_average(const std::vector<double>& values, std::size_t window) {
    if (window == 0) {
        throw std::invalid_argument("window must be positive");
    }
    std::vector<double> averages;
    double total = 0.0;
    for (std::size_t index = 0; index < values.size(); ++index) {
        total += values[index];
        if (index >= window) {
            total -= values[index - window];
        }
        if (index + 1 >= window) {
            averages.push_back(total / static_cast<double>(window));
        }
    }
    return averages;
}
)",
       "src/report.cpp",
       {{"moving_average", "rolling_mean"},
        {"values", "series"},
        {"window", "span"},
        {"averages", "means"},
        {"total", "acc"}},
       "moving_average"},
  };
}

int line_of(const std::string& text, const std::string& needle) {
  auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

} // namespace

TEST_CASE("duplication e2e: a renamed copy is found in every supported language") {
  for (const auto& c : clone_cases()) {
    CAPTURE(c.language);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    repo.write(c.original_path, c.original);
    repo.commit_all("base");
    const std::string copy = renamed(c.original, c.renames);
    REQUIRE(copy != c.original);
    repo.write(c.copy_path, copy);
    repo.add_all();
    auto result = agate_in(repo, {"check", "--format", "json", "--fail-on", "never"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    auto clones = findings_of(parse_report(result), "duplication/clone");
    REQUIRE(clones.size() == 1);
    const auto& f = clones.front();
    CHECK(f.at("file") == c.copy_path);
    const std::string first_renamed =
        c.renames[c.language == "go" || c.language == "java" ? 1 : 0].second;
    CHECK(f.at("line") == line_of(copy, first_renamed));
    CHECK(f.at("evidence").at("existing").at("file") == c.original_path);
    CHECK(f.at("evidence").at("existing").at("unit") == c.original_unit);
    CHECK(f.at("evidence").at("kind") == "renamed");
  }
}

TEST_CASE("library-logic e2e: every catalog rule on its examples, with the real binary") {
  const fs::path examples = fs::path(AGATE_SOURCE_DIR) / "rules/library/examples";
  REQUIRE(fs::is_directory(examples));
  int rules = 0;
  std::set<std::string> languages_seen;
  for (const auto& dir : fs::directory_iterator(examples)) {
    if (!dir.is_directory()) {
      continue;
    }
    const std::string rule = "library/" + dir.path().filename().string();
    CAPTURE(rule);
    ++rules;
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    std::map<std::string, std::string> sources; // examples, staged under src/
    bool has_manifest = false;
    for (const auto& file : fs::directory_iterator(dir.path())) {
      const std::string name = file.path().filename().string();
      const std::string text = read_file(file.path());
      if (name.starts_with("positive.") || name.starts_with("negative.")) {
        sources["src/" + name] = text;
      } else {
        repo.write(name, text); // a manifest: part of the base, as a project has it
        has_manifest = true;
      }
    }
    repo.write("README.md", "examples of " + rule + "\n");
    repo.commit_all(has_manifest ? "manifests" : "base");
    for (const auto& [path, text] : sources) {
      repo.write(path, text);
    }
    repo.add_all();
    auto result = agate_in(repo, {"check", "--format", "json", "--fail-on", "never"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::map<std::string, std::set<int>> found;
    for (const auto& f : findings_of(parse_report(result), "duplication/library-logic")) {
      if (f.at("evidence").at("rule_id") == rule) {
        found[f.at("file").get<std::string>()].insert(f.at("line").get<int>());
      }
    }
    for (const auto& [path, text] : sources) {
      CAPTURE(path);
      languages_seen.insert(fs::path(path).extension().string());
      std::set<int> expected;
      int number = 0;
      for (const auto& line : lines_of(text)) {
        ++number;
        auto at = line.find("ruleid: ");
        if (at != std::string::npos && line.substr(at + 8) == rule) {
          expected.insert(number + 1);
        }
      }
      if (path.starts_with("src/negative.")) {
        CHECK(found[path].empty());
      } else {
        CHECK(!expected.empty());
        for (int line : expected) {
          CAPTURE(line);
          CHECK(found[path].count(line) == 1);
        }
      }
    }
  }
  CHECK(rules >= 25);
  for (const char* extension : {".py", ".js", ".ts", ".go", ".rs", ".java", ".c", ".cpp"}) {
    CAPTURE(extension);
    CHECK(languages_seen.count(extension) == 1);
  }
}
