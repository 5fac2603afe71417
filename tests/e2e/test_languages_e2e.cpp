// End-to-end tests of the analyzers in every supported language, with the real binary
// on real repositories made with the git CLI:
// - duplication/clone: a function of the base tree copied into a new file with its identifiers
//   renamed is reported at the copy, naming the original, in Python, JavaScript, TypeScript, Go,
//   Rust, Java, C and C++;
// - duplication/library-logic: every rule of the catalog (rules/library/) on its own examples:
//   the manifests committed first, then the examples staged; each positive example is reported
//   at the lines its `ruleid:` comments mark, and no negative example is reported;
// - duplication/bypassed-wrapper: a Redis client used directly beside the repository's wrapper
//   in JavaScript, TypeScript, Go, Rust, Java and C names the wrapper (Python:
//   test_duplication_e2e);
// - deletion/unrelated: the same functions deleted by a commit about something else are reported
//   in every language, and not when the commit message asks for the removal.
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

namespace {

struct WrapperCase {
  std::string language;
  std::string wrapper_path;
  std::string wrapper;
  std::string new_path;
  std::string new_code;
  std::string wrapper_function; // the wrapper's function that the new code's calls match
};

std::vector<WrapperCase> wrapper_cases() {
  return {
      {"javascript", "web/cache.js", R"(import Redis from "ioredis";

const client = new Redis(process.env.REDIS_URL);

export async function cacheGet(name) {
  const raw = await client.get(name);
  return raw ? JSON.parse(raw) : null;
}

export async function cacheSet(name, payload, ttl = 300) {
  await client.setex(name, ttl, JSON.stringify(payload));
}
)",
       "web/visits.js", R"(import Redis from "ioredis";

export async function rememberVisit(userId) {
  const conn = new Redis(process.env.REDIS_URL);
  await conn.setex(`visit:${userId}`, 60, "1");
}
)",
       "cacheSet"},
      {"typescript", "src/cache.ts", R"(import Redis from "ioredis";

const client = new Redis(process.env.REDIS_URL ?? "");

export async function cacheGet(name: string): Promise<unknown> {
  const raw = await client.get(name);
  return raw ? JSON.parse(raw) : null;
}

export async function cacheSet(name: string, payload: unknown, ttl = 300): Promise<void> {
  await client.setex(name, ttl, JSON.stringify(payload));
}
)",
       "src/visits.ts", R"(import Redis from "ioredis";

export async function rememberVisit(userId: string): Promise<void> {
  const conn = new Redis(process.env.REDIS_URL ?? "");
  await conn.setex(`visit:${userId}`, 60, "1");
}
)",
       "cacheSet"},
      {"go", "cache/cache.go", R"(package cache

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

var client = redis.NewClient(&redis.Options{Addr: "localhost:6379"})

func CacheGet(ctx context.Context, name string) (string, error) {
	return client.Get(ctx, name).Result()
}

func CacheSet(ctx context.Context, name string, payload string, ttl time.Duration) error {
	return client.Set(ctx, name, payload, ttl).Err()
}
)",
       "visits/visits.go", R"(package visits

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

func RememberVisit(ctx context.Context, userID string) error {
	conn := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	return conn.Set(ctx, "visit:"+userID, "1", time.Minute).Err()
}
)",
       "CacheSet"},
      {"rust", "src/cache.rs", R"(use redis::Commands;

pub fn cache_get(client: &redis::Client, name: &str) -> redis::RedisResult<Option<String>> {
    let mut conn = client.get_connection()?;
    conn.get(name)
}

pub fn cache_set(client: &redis::Client, name: &str, payload: &str, ttl: u64) -> redis::RedisResult<()> {
    let mut conn = client.get_connection()?;
    conn.set_ex(name, payload, ttl)
}
)",
       "src/visits.rs", R"(use redis::Commands;

pub fn remember_visit(user_id: &str) -> redis::RedisResult<()> {
    let client = redis::Client::open("redis://127.0.0.1/")?;
    let mut conn = client.get_connection()?;
    conn.set_ex(format!("visit:{}", user_id), "1", 60)
}
)",
       "cache_set"},
      {"java", "src/main/java/acme/Cache.java", R"(package acme;

import redis.clients.jedis.JedisPooled;

public final class Cache {
  private final JedisPooled client = new JedisPooled("localhost", 6379);

  public String cacheGet(String name) {
    return client.get(name);
  }

  public void cacheSet(String name, String payload, long ttl) {
    client.setex(name, ttl, payload);
  }
}
)",
       "src/main/java/acme/Visits.java", R"(package acme;

import redis.clients.jedis.JedisPooled;

public final class Visits {
  public void rememberVisit(String userId) {
    JedisPooled conn = new JedisPooled("localhost", 6379);
    conn.setex("visit:" + userId, 60, "1");
  }
}
)",
       "Cache.cacheSet"},
      {"c", "src/cache.c", R"(#include <hiredis/hiredis.h>

static redisContext *client;

char *cache_get(const char *name) {
    redisReply *reply = redisCommand(client, "GET %s", name);
    return reply ? reply->str : NULL;
}

int cache_set(const char *name, const char *payload, int ttl) {
    redisReply *reply = redisCommand(client, "SETEX %s %d %s", name, ttl, payload);
    return reply != NULL;
}
)",
       "src/visits.c", R"(#include <hiredis/hiredis.h>

int remember_visit(const char *user_id) {
    redisContext *conn = redisConnect("127.0.0.1", 6379);
    redisReply *reply = redisCommand(conn, "SETEX visit:%s 60 1", user_id);
    return reply != NULL;
}
)",
       "cache_set"},
  };
}

} // namespace

TEST_CASE("duplication e2e: a client used beside the repository's wrapper names the wrapper, "
          "in every language with client libraries") {
  for (const auto& c : wrapper_cases()) {
    CAPTURE(c.language);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    repo.write(c.wrapper_path, c.wrapper);
    repo.commit_all("base");
    repo.write(c.new_path, c.new_code);
    repo.add_all();
    auto result = agate_in(repo, {"check", "--format", "json", "--fail-on", "never"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    auto found = findings_of(parse_report(result), "duplication/bypassed-wrapper");
    REQUIRE(found.size() == 1);
    CHECK(found[0].at("file") == c.new_path);
    CHECK(found[0].at("evidence").at("service") == "redis");
    CHECK(found[0].at("evidence").at("wrapper").at("file") == c.wrapper_path);
    // The wrapper's function that does what the new code does is named; in C the calls are
    // the same (redisCommand) and only the command strings differ, so it may not rank first.
    std::vector<std::string> named;
    for (const auto& function : found[0].at("evidence").at("wrapper").at("functions")) {
      named.push_back(function.at("name"));
    }
    CHECK(std::find(named.begin(), named.end(), c.wrapper_function) != named.end());
    if (c.language != "c") {
      CHECK(named.front() == c.wrapper_function);
    }
  }
}

TEST_CASE("deletion e2e: an unrelated deleted function is reported in every supported language") {
  for (const auto& c : clone_cases()) {
    CAPTURE(c.language);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    repo.write(c.original_path, c.original);
    repo.write("README.md", "# stats\n");
    repo.commit_all("base");
    repo.remove(c.original_path);
    repo.write("README.md", "# stats\n\nHow to build the report.\n");
    repo.commit_all("Document the report");
    auto result = agate_in(repo, {"check", "--commit", "HEAD", "--format", "json"});
    INFO(result.out << result.err);
    auto unrelated = findings_of(parse_report(result), "deletion/unrelated");
    bool found = false;
    for (const auto& f : unrelated) {
      // The function, or the type holding it when the whole type went (Java's class Stats).
      const std::string unit = f.at("evidence").at("unit");
      if (f.at("file") == c.original_path && f.at("side") == "old" &&
          (unit == c.original_unit || c.original_unit.starts_with(unit + "."))) {
        found = true;
        CHECK(f.at("evidence").at("mentioned_by_intent") == false);
      }
    }
    CHECK(found);

    // The same deletion, asked for by the commit message, is not reported.
    TempDir tmp2;
    GitRepo asked(tmp2 / "repo");
    asked.write(c.original_path, c.original);
    asked.write("README.md", "# stats\n");
    asked.commit_all("base");
    asked.remove(c.original_path);
    const std::string name = c.original_unit.substr(c.original_unit.rfind('.') + 1);
    asked.commit_all("Remove " + name + ", which nothing uses any more");
    auto quiet = agate_in(asked, {"check", "--commit", "HEAD", "--format", "json"});
    INFO(quiet.out << quiet.err);
    CHECK(findings_of(parse_report(quiet), "deletion/unrelated").empty());
  }
}
