// Tests of the clone analyzer (analyzers/duplication/clone_analyzer.hpp) and of the
// bypassed-wrapper rule (analyzers/duplication/wrapper_analyzer.hpp) on hand-built changes over a
// fake base tree, parsed by the real syntax layer: renamed and near-miss copies of base code or of
// code the same change adds are found and name the original; honest code, moves, pre-existing
// clones, small units and vendored originals are not reported.
#include "analyzers/duplication/clone_analyzer.hpp"
#include "analyzers/duplication/clone_index.hpp"
#include "analyzers/duplication/wrapper_analyzer.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "tests/support/file_change_builder.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace {

using namespace agate;
using gate::Finding;
using gate::Severity;

// A base tree held in memory; files_at() lists it for any revision.
class FakeView : public gate::RepositoryView {
public:
  std::vector<gate::TreeFile> files;
  std::filesystem::path cache;
  Result<std::vector<gate::TreeFile>> files_after(const gate::Change&) const override {
    return files;
  }
  Result<std::vector<gate::TreeFile>> files_at(std::string_view) const override { return files; }
  std::filesystem::path cache_dir() const override { return cache; }
  Result<std::vector<gate::PolicyFile>> policy_files(std::string_view,
                                                     std::string_view) const override {
    return std::vector<gate::PolicyFile>{};
  }
};

class Scenario {
public:
  Scenario() {
    m_change.kind = gate::ChangeKind::staged;
    m_change.label = "staged";
    m_change.base_rev = "base";
  }

  // A file of the base tree that the change does not touch.
  void base(const std::string& path, const std::string& text) {
    std::string oid = "base-" + std::to_string(m_next++);
    m_contents.add(oid, text);
    m_view.files.push_back({path, oid, 0100644});
  }
  // A file the change touches; it is in the base tree too when `old_text` is not empty.
  gate::FileChange& change(const std::string& path, const std::string& old_text,
                           const std::string& new_text, const std::string& language = "python") {
    auto f = test::file_change_from_texts(path, old_text, new_text, language, m_contents, m_next);
    if (!old_text.empty()) {
      m_view.files.push_back({path, f.old_oid, 0100644});
    }
    m_change.files.push_back(std::move(f));
    return m_change.files.back();
  }
  void cache_in(const std::filesystem::path& dir) { m_view.cache = dir; }

  // `ahead`: run the analyzer's work_ahead task on another thread first, as the pipeline does
  // on a machine with two cores; `had_task` tells whether there was one.
  std::vector<Finding> analyze(nlohmann::json duplication = nullptr, bool ahead = false,
                               bool* had_task = nullptr) {
    std::sort(m_view.files.begin(), m_view.files.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    syntax::SyntaxCache cache;
    gate::ChangeSet set;
    set.changes.push_back(m_change);
    auto policy = gate::default_policy();
    if (!duplication.is_null()) {
      policy =
          gate::parse_policy(nlohmann::json{{"duplication", duplication}}.dump(), "test").value();
    }
    analyzers::AnalysisContext context{set, m_contents, cache, policy, &m_view};
    analyzers::CloneAnalyzer analyzer;
    if (ahead) {
      auto task = analyzer.work_ahead(context);
      if (had_task != nullptr) {
        *had_task = static_cast<bool>(task);
      }
      std::jthread worker;
      if (task) {
        worker = std::jthread(task);
      }
      return analyzer.analyze(context, set.changes.front());
    }
    return analyzer.analyze(context, set.changes.front());
  }

  std::vector<Finding> of_rule(const std::string& rule) {
    std::vector<Finding> out;
    for (auto& f : analyze()) {
      if (f.rule == rule) {
        out.push_back(std::move(f));
      }
    }
    return out;
  }

private:
  gate::Change m_change;
  gate::MapContentSource m_contents;
  FakeView m_view;
  int m_next = 1;
};

const std::string k_parse_config = R"(import os


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


def config_dir():
    return os.environ.get("APP_CONFIG", "/etc/app")
)";

// parse_config with every identifier and literal renamed.
const std::string k_renamed_copy = R"(

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
)";

// The copy with a statement added and one removed.
const std::string k_near_miss = R"(

def read_settings(filename, base=None):
    result = dict(base or {})
    seen = set()
    with open(filename, encoding="latin-1") as stream:
        for index, entry in enumerate(stream, 0):
            entry = entry.strip()
            if not entry or entry.startswith(";"):
                continue
            if ":" not in entry:
                raise ValueError("entry %d: bad line" % index)
            name, content = entry.split(":", 1)
            seen.add(name)
            result[name.strip().lower()] = content.strip()
    return result
)";

const std::string k_honest = R"(

def summarize_orders(orders, currency="EUR"):
    totals = {}
    for order in orders:
        if order.currency != currency:
            continue
        bucket = totals.setdefault(order.customer_id, {"count": 0, "amount": 0})
        bucket["count"] += 1
        bucket["amount"] += order.amount
    ranked = sorted(totals.items(), key=lambda item: item[1]["amount"], reverse=True)
    return [(customer, data["count"], data["amount"]) for customer, data in ranked[:10]]
)";

} // namespace

TEST_CASE("clone: a renamed copy of a base function is an error naming the original") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/settings.py", "", "import sys\n" + k_renamed_copy);
  auto findings = s.of_rule("duplication/clone");
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.file == "app/settings.py");
  CHECK(f.line == 4);
  CHECK(f.end_line == 15);
  CHECK(f.evidence["kind"] == "renamed");
  CHECK(f.evidence["similarity"] == 1.0);
  CHECK(f.evidence["existing"]["file"] == "app/config.py");
  CHECK(f.evidence["existing"]["unit"] == "parse_config");
  CHECK(f.evidence["existing"]["start_line"] == 4);
  CHECK(f.message.find("app/config.py:4-15") != std::string::npos);
  CHECK(f.hint.find("parse_config") != std::string::npos);
  // 12 lines: below the default error size, a warning; with error_lines 10, an error.
  CHECK(f.severity == Severity::warning);
  auto strict = s.analyze({{"clone", {{"error_lines", 10}}}});
  REQUIRE(strict.size() == 1);
  CHECK(strict[0].severity == Severity::error);
}

TEST_CASE("clone: the base index built ahead on another thread gives the same findings") {
  test::TempDir tmp;
  Scenario s;
  s.cache_in(tmp.path() / "cache");
  s.base("app/config.py", k_parse_config);
  s.base("app/other.py", k_honest);
  s.change("app/settings.py", "", "import sys\n" + k_renamed_copy);
  s.change("app/util.py", "import json\n", "import json\n" + k_near_miss);
  auto alone = s.analyze();
  for (int cache_state = 0; cache_state < 2; ++cache_state) { // warm cache, then none
    if (cache_state == 1) {
      std::filesystem::remove_all(tmp.path() / "cache");
    }
    bool had_task = false;
    auto ahead = s.analyze(nullptr, true, &had_task);
    CHECK(had_task);
    REQUIRE(ahead.size() == alone.size());
    REQUIRE(ahead.size() == 2);
    for (std::size_t i = 0; i < ahead.size(); ++i) {
      CHECK(ahead[i].message == alone[i].message);
      CHECK(ahead[i].evidence == alone[i].evidence);
    }
  }
  // No task when the change adds no code.
  bool had_task = true;
  Scenario quiet;
  quiet.base("app/config.py", k_parse_config);
  quiet.change("app/config.py", k_parse_config, "");
  CHECK(quiet.analyze(nullptr, true, &had_task).empty());
  CHECK(!had_task);
}

TEST_CASE("clone: a near-miss copy in an existing file is a warning with its similarity") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/util.py", "import json\n", "import json\n" + k_near_miss);
  auto findings = s.of_rule("duplication/clone");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Severity::warning);
  CHECK(findings[0].evidence["kind"] == "near-miss");
  CHECK(findings[0].evidence["similarity"].get<double>() < 1.0);
  CHECK(findings[0].evidence["similarity"].get<double>() >= 0.8);
  CHECK(findings[0].line == 4);
}

TEST_CASE("clone: honest new code, small units and a raised threshold are not reported") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/report.py", "", "import collections\n" + k_honest);
  CHECK(s.of_rule("duplication/clone").empty());

  Scenario small;
  small.base("app/config.py", k_parse_config);
  small.change("app/env.py", "",
               "import os\n\n\ndef where():\n    return os.environ.get(\"X\", \"/y\")\n");
  CHECK(small.of_rule("duplication/clone").empty());

  Scenario near;
  near.base("app/config.py", k_parse_config);
  near.change("app/util.py", "", k_near_miss);
  CHECK(near.analyze({{"clone", {{"min_similarity", 0.99}}}}).empty());
}

TEST_CASE("clone: a function moved to another file is not a clone") {
  Scenario s;
  std::string rest = "import os\n\n\ndef config_dir():\n    return os.environ.get(\"A\", \"/b\")\n";
  s.change("app/config.py", k_parse_config, rest);
  s.change("app/parsing.py", "", k_parse_config.substr(k_parse_config.find("\n\ndef parse")));
  CHECK(s.of_rule("duplication/clone").empty());
}

TEST_CASE("clone: editing a function that was already a copy reports nothing") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  std::string old_text = "import sys\n" + k_renamed_copy;
  std::string new_text = old_text;
  // Rewrite most lines of the copy (a reformat keeps it the same copy).
  for (std::string from : {"result", "entry", "stream"}) {
    for (auto pos = new_text.find(from); pos != std::string::npos;
         pos = new_text.find(from, pos + from.size() + 4)) {
      new_text.replace(pos, from.size(), from + "_v2");
    }
  }
  s.change("app/settings.py", old_text, new_text);
  CHECK(s.of_rule("duplication/clone").empty());
}

TEST_CASE("clone: two copies added by one change are reported once, on the later one") {
  Scenario s;
  s.change("app/a.py", "", "import os\n" + k_near_miss);
  s.change("app/b.py", "", "import os\n" + k_renamed_copy);
  auto findings = s.of_rule("duplication/clone");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].file == "app/b.py");
  CHECK(findings[0].evidence["existing"]["file"] == "app/a.py");
  CHECK(findings[0].evidence["existing"]["added_by_change"] == true);
}

TEST_CASE("clone: vendored and generated originals, tests and excluded files are left out") {
  Scenario s;
  s.base("vendor/lib/config.py", k_parse_config);
  s.base("app/gen.py", "# @generated by protoc\n" + k_parse_config);
  s.change("app/settings.py", "", k_renamed_copy);
  CHECK(s.of_rule("duplication/clone").empty());

  Scenario excluded;
  excluded.base("app/config.py", k_parse_config);
  excluded.change("app/settings.py", "", k_renamed_copy).generated = true;
  CHECK(excluded.of_rule("duplication/clone").empty());
}

TEST_CASE("clone: copies in other languages are found too") {
  const std::string go_base = R"(package store

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
)";
  const std::string go_copy = R"(package report

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
)";
  Scenario s;
  s.base("store/words.go", go_base);
  s.change("report/tally.go", "", go_copy, "go");
  auto findings = s.of_rule("duplication/clone");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence["existing"]["unit"] == "CountWords");
}

TEST_CASE("clone: a commit of a range is judged with the range, not alone") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/settings.py", "", k_renamed_copy);
  CHECK(s.of_rule("duplication/clone").size() == 1);
  // The same change as a commit in a change set that also holds a range: not judged alone.
  syntax::SyntaxCache cache;
  gate::MapContentSource contents;
  gate::ChangeSet set;
  gate::Change commit;
  commit.kind = gate::ChangeKind::commit;
  gate::Change range;
  range.kind = gate::ChangeKind::range;
  set.changes = {commit, range};
  auto policy = gate::default_policy();
  analyzers::AnalysisContext context{set, contents, cache, policy};
  analyzers::CloneAnalyzer analyzer;
  CHECK(analyzer.analyze(context, set.changes[0]).empty());
}

TEST_CASE("clone: findings past the maximum are summarized in one note") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/one.py", "", k_renamed_copy);
  s.change("app/two.py", "", k_near_miss);
  auto findings = s.analyze({{"clone", {{"max_findings", 1}}}});
  REQUIRE(findings.size() == 2);
  CHECK(findings[1].severity == Severity::note);
  CHECK(findings[1].evidence["not_listed"] == 1);
}

TEST_CASE("clone: token similarity is symmetric and 1 only for equal streams") {
  std::vector<uint32_t> a = {20, 21, 22, 23, 24, 25, 26, 27};
  std::vector<uint32_t> b = {20, 21, 22, 23, 24, 25, 26, 99};
  CHECK(analyzers::token_similarity(a, a) == 1.0);
  CHECK(analyzers::token_similarity(a, b) == analyzers::token_similarity(b, a));
  CHECK(analyzers::token_similarity(a, b) < 1.0);
  CHECK(analyzers::token_similarity(a, {}) == 0.0);
}

namespace {

const std::string k_redis_wrapper = R"(import json

import redis

_client = redis.Redis.from_url("redis://localhost:6379/0")


def cache_get(name):
    raw = _client.get(name)
    return json.loads(raw) if raw else None


def cache_set(name, payload, ttl=300):
    _client.setex(name, ttl, json.dumps(payload))


def cache_delete(name):
    _client.delete(name)
)";

const std::string k_direct_redis = R"(import redis


def remember_visit(user_id):
    conn = redis.Redis.from_url("redis://localhost:6379/0")
    conn.setex("visit:%s" % user_id, 60, "1")
    return conn.get("visit:%s" % user_id)
)";

} // namespace

TEST_CASE("bypassed wrapper: direct use of a wrapped client names the wrapper and its functions") {
  Scenario s;
  s.base("app/cache.py", k_redis_wrapper);
  s.base("app/views.py", "from app.cache import cache_get\n");
  s.change("app/visits.py", "", k_direct_redis);
  auto findings = s.of_rule("duplication/bypassed-wrapper");
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.file == "app/visits.py");
  CHECK(f.line == 1);
  CHECK(f.severity == Severity::warning);
  CHECK(f.evidence["service"] == "redis");
  CHECK(f.evidence["wrapper"]["file"] == "app/cache.py");
  CHECK(f.evidence["matched"] == true);
  // setex and get are what the new code calls: cache_set and cache_get come first.
  auto functions = f.evidence["wrapper"]["functions"];
  REQUIRE(functions.size() >= 2);
  CHECK(f.message.find("app/cache.py") != std::string::npos);
  CHECK(f.message.find("cache_set") != std::string::npos);
  CHECK(f.message.find("cache_get") != std::string::npos);
  CHECK(f.message.find("cache_delete") == std::string::npos);
}

TEST_CASE("bypassed wrapper: no wrapper, a widely used client, tests and old imports are quiet") {
  SUBCASE("the library is used in many files: there is no one wrapper") {
    Scenario s;
    s.base("app/cache.py", k_redis_wrapper);
    s.base("app/queue.py", k_direct_redis);
    s.base("app/locks.py", k_direct_redis);
    s.change("app/visits.py", "", k_direct_redis);
    CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
  }
  SUBCASE("the only importer exposes one function: not a wrapper") {
    Scenario s;
    s.base("app/other.py", k_direct_redis);
    s.change("app/visits.py", "", k_direct_redis);
    CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
  }
  SUBCASE("a test file may talk to the client directly") {
    Scenario s;
    s.base("app/cache.py", k_redis_wrapper);
    s.change("tests/test_visits.py", "", k_direct_redis);
    CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
  }
  SUBCASE("the file imported it before the change") {
    Scenario s;
    s.base("app/cache.py", k_redis_wrapper);
    s.change("app/visits.py", "import redis\n", k_direct_redis);
    CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
  }
  SUBCASE("a library that is no client") {
    Scenario s;
    s.base("app/cache.py", "import json\n\n\ndef a(x):\n    return json.dumps(x)\n\n\ndef b(x):\n"
                           "    return json.loads(x)\n");
    s.change("app/visits.py", "", "import json\n\n\ndef c(x):\n    return json.dumps(x)\n");
    CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
  }
}

namespace {

const std::string k_settings_module = R"(import os

import yaml


def load_settings(path=None):
    with open(path or os.environ.get("APP_SETTINGS", "settings.yml")) as stream:
        return yaml.safe_load(stream) or {}


def setting(name, default=None):
    return load_settings().get(name, default)
)";

const std::string k_direct_yaml = R"(import yaml


def export_report(rows, path):
    with open(path, "w") as stream:
        yaml.dump({"rows": rows}, stream)


def read_limits(path):
    with open(path) as stream:
        return yaml.safe_load(stream)["limits"]
)";

const std::string k_time_helper = R"(import dayjs from "dayjs";

export function formatDay(date) {
  return dayjs(date).format("YYYY-MM-DD");
}

export function daysBetween(a, b) {
  return dayjs(b).diff(dayjs(a), "day");
}
)";

const std::string k_direct_dayjs = R"(import dayjs from "dayjs";

export function invoiceDue(invoice) {
  return dayjs(invoice.issued).add(30, "day").format("YYYY-MM-DD");
}
)";

} // namespace

TEST_CASE("bypassed wrapper: any declared dependency that one module wraps for the others") {
  SUBCASE("a YAML library behind a settings module (Python, PyPI name differs from the import)") {
    Scenario s;
    s.base("requirements.txt", "PyYAML>=6\nrequests\n");
    s.base("app/settings.py", k_settings_module);
    s.base("app/server.py", "from app.settings import setting\n\nPORT = setting('port')\n");
    s.change("app/reports.py", "", k_direct_yaml);
    auto findings = s.of_rule("duplication/bypassed-wrapper");
    REQUIRE(findings.size() == 1);
    const auto& f = findings[0];
    CHECK(f.file == "app/reports.py");
    CHECK(f.line == 1);
    CHECK(f.severity == Severity::warning);
    CHECK(f.evidence["package"] == "pyyaml");
    CHECK(f.evidence["known_client"] == false);
    CHECK(f.evidence["wrapper"]["file"] == "app/settings.py");
    CHECK(f.evidence["wrapper_importers"] == 1);
    CHECK(f.message.find("the dependency `pyyaml`") != std::string::npos);
    CHECK(f.message.find("load_settings") != std::string::npos);
  }
  SUBCASE("a date library behind a time helper (JavaScript)") {
    Scenario s;
    s.base("package.json", R"({"name": "shop", "dependencies": {"dayjs": "^1.11.0"}})");
    s.base("src/time.js", k_time_helper);
    s.base("src/orders.js", "import { formatDay } from \"./time.js\";\n");
    s.change("src/invoices.js", "", k_direct_dayjs, "javascript");
    auto findings = s.of_rule("duplication/bypassed-wrapper");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["package"] == "dayjs");
    CHECK(findings[0].evidence["wrapper"]["file"] == "src/time.js");
    CHECK(findings[0].message.find("formatDay") != std::string::npos);
  }
  SUBCASE("quiet: not declared, used by two modules, a wrapper nobody imports, relative imports") {
    {
      Scenario s; // not a declared dependency (nothing says it is third-party)
      s.base("app/settings.py", k_settings_module);
      s.base("app/server.py", "from app.settings import setting\n");
      s.change("app/reports.py", "", k_direct_yaml);
      CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
    }
    {
      Scenario s; // two modules already use it directly: no single way in
      s.base("requirements.txt", "pyyaml\n");
      s.base("app/settings.py", k_settings_module);
      s.base("app/fixtures.py", k_direct_yaml);
      s.base("app/server.py", "from app.settings import setting\n");
      s.change("app/reports.py", "", k_direct_yaml);
      CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
    }
    {
      Scenario s; // its only user is not imported by any other module: not how code reaches it
      s.base("requirements.txt", "pyyaml\n");
      s.base("app/settings.py", k_settings_module);
      s.change("app/reports.py", "", k_direct_yaml);
      CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
    }
    {
      Scenario s; // the change imports the repository's own module
      s.base("package.json", R"({"dependencies": {"dayjs": "^1.11.0"}})");
      s.base("src/time.js", k_time_helper);
      s.base("src/orders.js", "import { formatDay } from \"./time.js\";\n");
      s.change("src/invoices.js", "",
               "import { formatDay } from \"./time.js\";\n\nexport const due = (d) => "
               "formatDay(d);\n",
               "javascript");
      CHECK(s.of_rule("duplication/bypassed-wrapper").empty());
    }
  }
}

TEST_CASE("clone: a copy of a function of a C++ project's .h header is found") {
  // The header reads as C by its extension; its content (a namespace, templates) says C++, and
  // it is indexed as C++ like the changed files, so the copy in a .cc file matches it.
  const std::string header = R"(#pragma once
#include <cstddef>

namespace fmt {
namespace detail {

template <typename Char>
constexpr std::size_t count_code_points(const Char* begin, const Char* end) {
  std::size_t count = 0;
  for (const Char* p = begin; p != end; ++p) {
    if ((*p & 0xc0) != 0x80) {
      ++count;
    } else if (p + 1 != end && (p[1] & 0xc0) == 0x80) {
      count += 0;
    }
  }
  return count;
}

}  // namespace detail
}  // namespace fmt
)";
  const std::string copy = R"(#include "fmt/base.h"

namespace fmt {

static std::size_t utf8_length(const char* first, const char* last) {
  std::size_t n = 0;
  for (const char* q = first; q != last; ++q) {
    if ((*q & 0xc0) != 0x80) {
      ++n;
    } else if (q + 1 != last && (q[1] & 0xc0) == 0x80) {
      n += 0;
    }
  }
  return n;
}

}  // namespace fmt
)";
  Scenario s;
  s.base("include/fmt/base.h", header);
  s.change("src/os.cc", "", copy, "cpp");
  auto findings = s.of_rule("duplication/clone");
  INFO(findings.size());
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].file == "src/os.cc");
  CHECK(findings[0].message.find("count_code_points") != std::string::npos);
  CHECK(findings[0].message.find("include/fmt/base.h") != std::string::npos);
}

TEST_CASE("bypassed wrapper: client libraries across languages") {
  using analyzers::client_library;
  CHECK(client_library("redis") == "redis");
  CHECK(client_library("redis.asyncio") == "redis");
  CHECK(client_library("ioredis") == "redis");
  CHECK(client_library("github.com/redis/go-redis/v9") == "redis");
  CHECK(client_library("@aws-sdk/client-s3") == "aws");
  CHECK(client_library("boto3") == "aws");
  CHECK(client_library("requests") == "http");
  CHECK(client_library("mysql2") == "mysql");
  CHECK(client_library("redistools").empty());
  CHECK(client_library("json").empty());
  CHECK(client_library("pg-format").empty());
  CHECK(syntax::is_test_path("tests/test_a.py"));
  CHECK(syntax::is_test_path("pkg/a_test.go"));
  CHECK(syntax::is_test_path("src/a.spec.ts"));
  CHECK(!syntax::is_test_path("src/contest.py"));
}

// The shapes of parallel APIs seen in real projects: a sync/async pair of one parser, one
// exception class per kind whose constructors differ in their message only, a copy whose bulk
// is its docstring, and test helpers of one shape.
const std::string k_parse_sync = R"(

def parse_payload(schema, payload, context=None):
    issues = []
    result = schema.run(payload, context or {})
    for issue in result.issues:
        if issue.fatal:
            raise ParseError(issue.message, issue.path)
        issues.append(issue)
    if issues:
        return Result(value=None, issues=issues)
    return Result(value=result.value, issues=[])
)";

const std::string k_parse_async = R"(

async def parse_payload_async(schema, payload, context=None):
    issues = []
    result = await schema.run_async(payload, context or {})
    for issue in result.issues:
        if issue.fatal:
            raise ParseError(issue.message, issue.path)
        issues.append(issue)
    if issues:
        return Result(value=None, issues=issues)
    return Result(value=result.value, issues=[])
)";

TEST_CASE("clone: a dual API (X and X_async) is not a copy worth a finding") {
  Scenario s;
  s.base("app/parse.py", "import schema\n" + k_parse_sync);
  s.change("app/parse_async.py", "", "import schema\n" + k_parse_async);
  CHECK(s.of_rule("duplication/clone").empty());
}

TEST_CASE("clone: one class per kind (sibling names) is a warning, never an error") {
  const std::string option = R"(

class NoSuchOption(UsageError):
    def __init__(self, option_name, message=None, possibilities=None, ctx=None):
        if message is None:
            message = "No such option: {name}".format(name=option_name)
        super().__init__(message, ctx)
        self.option_name = option_name
        self.possibilities = possibilities
        if possibilities:
            self.possibilities = sorted(set(possibilities))
        self.hint_shown = False
        self.suggestions = []
        for possibility in self.possibilities or []:
            if possibility.startswith(option_name[:2]):
                self.suggestions.append(possibility)
        self.count = len(self.suggestions)
)";
  std::string command = option;
  for (auto [from, to] : {std::pair<std::string, std::string>{"NoSuchOption", "NoSuchCommand"},
                          {"option_name", "command_name"},
                          {"No such option", "No such command"}}) {
    for (auto at = command.find(from); at != std::string::npos; at = command.find(from, at)) {
      command.replace(at, from.size(), to);
      at += to.size();
    }
  }
  Scenario s;
  s.change("src/exceptions.py", "import click\n" + option, "import click\n" + option + command);
  auto findings = s.of_rule("duplication/clone");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].evidence["names"] == "siblings");
  CHECK(findings[0].severity == Severity::warning);
  auto strict = s.analyze({{"clone", {{"error_lines", 10}}}});
  REQUIRE(strict.size() == 1);
  CHECK(strict[0].severity == Severity::warning);
}

TEST_CASE("clone: a sibling variant adapted to its kind (not identical) is not reported") {
  // is_hidden_entry beside is_hidden_path: one check for two kinds of input, 89% alike.
  const std::string entry = R"py(

def is_hidden_entry(entry):
    name = entry.file_name()
    if name is None:
        return False
    if name.startswith(".") and len(name) > 1:
        return True
    if entry.metadata().attributes & HIDDEN:
        return True
    return entry.depth() > 0 and is_hidden_name(entry.parent_name())
)py";
  const std::string path = R"py(

def is_hidden_path(path):
    name = path.file_name()
    if name is None:
        return False
    if name.startswith(".") and len(name) > 1:
        return True
    if os.stat(path).st_file_attributes & HIDDEN:
        return True
    return len(path.parts) > 1 and is_hidden_name(path.parts[-2])
)py";
  Scenario s;
  s.change("src/pathutil.py", "import os\n" + entry, "import os\n" + entry + path);
  CHECK(s.of_rule("duplication/clone").empty());
}

TEST_CASE("clone: size is counted in code lines, not docstring and comment lines") {
  // A renamed copy of 12 code lines with a docstring and a comment of 8 lines: 20 lines in all.
  std::string documented = k_renamed_copy;
  documented.insert(documented.find("    result ="), R"(    """Load the settings of a file.

    Each line is key=value; blank lines and comments are skipped.
    Keys are lower-cased. Values are stripped of spaces.
    The defaults are copied first and overridden by the file.
    Raises ValueError on a line without "=".
    """
    # Start from the defaults.
)");
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("app/settings.py", "", "import sys\n" + documented);
  auto strict = s.analyze({{"clone", {{"error_lines", 15}}}});
  REQUIRE(strict.size() == 1);
  CHECK(strict[0].evidence["lines"] == 20);
  CHECK(strict[0].evidence["code_lines"] == 12);
  CHECK(strict[0].severity == Severity::warning);
}

TEST_CASE("clone: helpers and cases a test file adds are not reported") {
  Scenario s;
  s.base("app/config.py", k_parse_config);
  s.change("tests/test_settings.py", "", "import sys\n" + k_renamed_copy);
  CHECK(s.of_rule("duplication/clone").empty());
}
