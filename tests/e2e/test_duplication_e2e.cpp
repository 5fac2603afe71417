// End-to-end tests of the duplication analyzer (duplication/clone,
// duplication/bypassed-wrapper) with the real binary on real repositories made
// with the git CLI: a staged renamed copy of an existing function is reported
// with the original's place, in Python, JavaScript and Go; the warm cache in
// .git/agate/cache is reused, and a corrupt one is rebuilt; a copy already on
// main does not fail a later change; a range reports a copy once; direct use of
// a wrapped Redis client names the wrapper.
#include "tests/e2e/e2e_support.hpp"

#include <cstring>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;

const char* const k_config = R"py(import os


def parse_config(path, defaults=None):
    settings = dict(defaults or {})
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if "=" not in line:
                raise ValueError("line %d: expected key=value" % number)
            key, value = line.split("=", 1)
            settings[key.strip().lower()] = value.strip()
    return settings
)py";

const char* const k_copy = R"py(import sys


def load_settings(filename, base=None):
    result = dict(base or {})
    with open(filename, encoding="latin-1") as stream:
        for index, entry in enumerate(stream, 0):
            entry = entry.strip()
            if not entry or entry.startswith(";"):
                continue
            if ":" not in entry:
                raise ValueError("entry %d: bad line" % index)
            name, content = entry.split(":", 1)
            result[name.strip().lower()] = content.strip()
    return result
)py";

const char* const k_js_base = R"js(export function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (!groups.has(key)) {
      groups.set(key, []);
    }
    groups.get(key).push(item);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}
)js";

const char* const k_js_copy = R"js(export function bucketize(rows, pick) {
  const buckets = new Map();
  for (const row of rows) {
    const label = pick(row);
    if (!buckets.has(label)) {
      buckets.set(label, []);
    }
    buckets.get(label).push(row);
  }
  return [...buckets.entries()].sort((x, y) => y[1].length - x[1].length);
}
)js";

const char* const k_go_base = R"go(package store

import "strings"

func CountWords(lines []string, minLength int) map[string]int {
	counts := make(map[string]int)
	for _, line := range lines {
		for _, word := range strings.Fields(line) {
			if len(word) < minLength {
				continue
			}
			counts[strings.ToLower(word)]++
		}
	}
	return counts
}
)go";

const char* const k_go_copy = R"go(package report

import "strings"

func TallyTokens(rows []string, shortest int) map[string]int {
	tally := make(map[string]int)
	for _, row := range rows {
		for _, token := range strings.Fields(row) {
			if len(token) < shortest {
				continue
			}
			tally[strings.ToUpper(token)]++
		}
	}
	return tally
}
)go";

GitRepo base_repo(TempDir& tmp) {
  GitRepo repo(tmp.path());
  repo.write("app/config.py", k_config);
  repo.write("web/group.js", k_js_base);
  repo.write("store/words.go", k_go_base);
  repo.write("README.md", "demo\n");
  repo.commit_all("base");
  return repo;
}

// The base repository with a renamed copy of each of its three functions staged.
GitRepo repo_with_staged_copies(TempDir& tmp) {
  auto repo = base_repo(tmp);
  repo.write("app/settings.py", k_copy);
  repo.write("web/buckets.js", k_js_copy);
  repo.write("report/tally.go", k_go_copy);
  repo.add_all();
  return repo;
}

} // namespace

TEST_CASE("duplication e2e: staged renamed copies are reported with the "
          "original, in three languages") {
  TempDir tmp;
  auto repo = repo_with_staged_copies(tmp);
  auto result = agate_in(repo, {"check", "--staged", "--format", "json"});
  auto report = parse_report(result);
  auto clones = findings_of(report, "duplication/clone");
  REQUIRE(clones.size() == 3);
  std::map<std::string, std::string> original;
  for (const auto& f : clones) {
    original[f.at("file")] = f.at("evidence").at("existing").at("file");
  }
  CHECK(original["app/settings.py"] == "app/config.py");
  CHECK(original["web/buckets.js"] == "web/group.js");
  CHECK(original["report/tally.go"] == "store/words.go");
  // The index cache was written, and a corrupt one is rebuilt with the same
  // findings.
  auto cache = repo / ".git/agate/cache/clone-index.bin";
  REQUIRE(std::filesystem::exists(cache));
  write_file(cache, "garbage");
  auto again = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  CHECK(findings_of(again, "duplication/clone").size() == 3);
  CHECK(read_file(cache).starts_with("AGATECLX"));
  // The token streams are read on demand, outside the checksum: damaged ones fail the units'
  // fingerprints and the files are parsed instead, with the same findings and similarities.
  std::string bytes = read_file(cache);
  uint64_t main_size = 0;
  std::memcpy(&main_size, bytes.data() + 12, sizeof main_size);
  for (std::size_t at = 20 + main_size + 8; at < bytes.size(); ++at) {
    bytes[at] = static_cast<char>(bytes[at] ^ 0x21);
  }
  write_file(cache, bytes);
  auto damaged = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  auto damaged_clones = findings_of(damaged, "duplication/clone");
  REQUIRE(damaged_clones.size() == 3);
  for (std::size_t i = 0; i < clones.size(); ++i) {
    CHECK(damaged_clones[i].at("message") == clones[i].at("message"));
  }
}

TEST_CASE("duplication e2e: compiled queries are cached in .git/agate/cache and "
          "a damaged cache is rebuilt") {
  TempDir tmp;
  auto repo = repo_with_staged_copies(tmp);
  RunOptions timed;
  timed.env["AGATE_TIMINGS"] = "1";
  auto queries_line = [](const RunResult& result) {
    auto at = result.err.find("agate: timing: queries: ");
    REQUIRE(at != std::string::npos);
    return result.err.substr(at, result.err.find('\n', at) - at);
  };
  // First run: the queries of three languages are compiled and saved.
  auto first = agate_in(repo, {"check", "--staged", "--format", "json"}, timed);
  CHECK(queries_line(first).find(" 0 compiled") == std::string::npos);
  auto cache = repo / ".git/agate/cache/queries.bin";
  REQUIRE(std::filesystem::exists(cache));
  const std::string saved = read_file(cache);
  // Second run: every query comes from the file, nothing is compiled or rewritten, and the
  // report is the same.
  auto second = agate_in(repo, {"check", "--staged", "--format", "json"}, timed);
  CHECK(queries_line(second).find(" 0 compiled") != std::string::npos);
  CHECK(queries_line(second).find(" 0 from the cache") == std::string::npos);
  CHECK(parse_report(second)["findings"] == parse_report(first)["findings"]);
  CHECK(findings_of(parse_report(second), "duplication/clone").size() == 3);
  CHECK(read_file(cache) == saved);
  // A damaged file is ignored (never trusted), the queries compiled again, and the file
  // rewritten whole.
  std::string damaged = saved;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x40);
  write_file(cache, damaged);
  auto third = agate_in(repo, {"check", "--staged", "--format", "json"}, timed);
  CHECK(queries_line(third).find("query cache ignored (checksum mismatch)") != std::string::npos);
  CHECK(queries_line(third).find(" 0 compiled") == std::string::npos);
  CHECK(parse_report(third)["findings"] == parse_report(first)["findings"]);
  CHECK(read_file(cache) == saved);
}

TEST_CASE("duplication e2e: honest code passes and a copy on main does not "
          "fail later changes") {
  TempDir tmp;
  auto repo = base_repo(tmp);
  repo.write("app/report.py", R"(import datetime


def week_of(day):
    start = day - datetime.timedelta(days=day.weekday())
    return start, start + datetime.timedelta(days=6)


def summarize(orders, currency="EUR"):
    by_customer = {}
    for order in orders:
        if order.currency != currency:
            raise ValueError(f"order {order.id} is in {order.currency}")
        by_customer.setdefault(order.customer, []).append(order.total)
    return {name: (len(totals), sum(totals)) for name, totals in by_customer.items()}


class Report:
    def __init__(self, title, rows):
        self.title = title
        self.rows = sorted(rows, key=lambda row: row[1], reverse=True)

    def render(self, width=40):
        lines = [self.title.center(width, "=")]
        for name, amount in self.rows:
            lines.append(f"{name:<{width - 12}}{amount:>12.2f}")
        return "\n".join(lines)
)");
  repo.add_all();
  auto honest = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  CHECK(findings_of(honest, "duplication/clone").empty());
  repo.commit("report");

  repo.write("app/settings.py", k_copy);
  auto copy = repo.commit_all("copy");
  auto judged = parse_report(agate_in(repo, {"check", "--commit", copy, "--format", "json"}));
  CHECK(findings_of(judged, "duplication/clone").size() == 1);

  // A later change touching a line of the copy: the clone is not the change's.
  std::string text = k_copy;
  text.replace(text.find("latin-1"), 7, "utf-16");
  repo.write("app/settings.py", text);
  repo.add_all();
  auto later = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  CHECK(findings_of(later, "duplication/clone").empty());
}

TEST_CASE("duplication e2e: a range reports a copy once") {
  TempDir tmp;
  auto repo = base_repo(tmp);
  auto base = repo.head();
  repo.write("app/settings.py", k_copy);
  repo.commit_all("copy");
  repo.write("app/other.py", python_code(30, "other_"));
  auto head = repo.commit_all("other");
  auto report =
      parse_report(agate_in(repo, {"check", "--range", base + ".." + head, "--format", "json"}));
  CHECK(findings_of(report, "duplication/clone").size() == 1);
}

TEST_CASE("duplication e2e: direct use of a wrapped Redis client names the wrapper") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("app/cache.py", R"py(import json

import redis

_client = redis.Redis.from_url("redis://localhost:6379/0")


def cache_get(name):
    raw = _client.get(name)
    return json.loads(raw) if raw else None


def cache_set(name, payload, ttl=300):
    _client.setex(name, ttl, json.dumps(payload))
)py");
  repo.commit_all("base");
  repo.write("app/visits.py", R"py(import redis


def remember_visit(user_id):
    conn = redis.Redis.from_url("redis://localhost:6379/0")
    conn.setex("visit:%s" % user_id, 60, "1")
)py");
  repo.add_all();
  auto report = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  auto found = findings_of(report, "duplication/bypassed-wrapper");
  REQUIRE(found.size() == 1);
  CHECK(found[0].at("file") == "app/visits.py");
  CHECK(found[0].at("evidence").at("wrapper").at("file") == "app/cache.py");
  CHECK(found[0].at("message").get<std::string>().find("cache_set") != std::string::npos);
}

TEST_CASE("duplication e2e: a family of identical copies in one file is one finding") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("app/__init__.py", "");
  repo.commit_all("base");
  std::string rules;
  for (const char* country : {"at", "be", "bg", "cy", "cz"}) {
    rules += std::string("\n\ndef tax_") + country + R"((amount, reduced=False):
    if amount < 0:
        raise ValueError("negative amount")
    rate = 0.2
    if reduced:
        rate = 0.1
    total = amount * (1 + rate)
    cents = round(total * 100)
    if cents % 5:
        cents += 5 - cents % 5
    return cents / 100
)";
  }
  repo.write("app/taxes.py", rules);
  repo.add_all();
  auto report = parse_report(agate_in(repo, {"check", "--format", "json", "--fail-on", "never"}));
  auto clones = findings_of(report, "duplication/clone");
  REQUIRE(clones.size() == 1);
  CHECK(clones[0].at("evidence").at("unit") == "tax_be");
  CHECK(clones[0].at("evidence").at("same_shape_in_file") ==
        nlohmann::json::array({"tax_bg", "tax_cy", "tax_cz"}));
  CHECK(clones[0].at("message").get<std::string>().find(
            "3 more units in this file are copies of the same code") != std::string::npos);
  CHECK(clones[0].at("hint").get<std::string>().find("instead of 5 copies") != std::string::npos);
}
