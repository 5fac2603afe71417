// Helpers shared by the end-to-end tests of `agate check`: realistic source code of a chosen
// size (the size gate counts lines, and a test of it should look like what an agent writes,
// not one line repeated), running the real binary in a GitRepo, and reading its JSON report.
#pragma once

#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <sstream>
#include <string>
#include <vector>

namespace agate::test::e2e {

inline constexpr std::array<const char*, 12> k_verbs = {
    "load",  "parse",   "validate",  "render", "merge",   "fetch",
    "store", "compute", "normalize", "filter", "resolve", "encode"};
inline constexpr std::array<const char*, 12> k_nouns = {
    "invoice", "customer", "order",   "session",  "token",  "report",
    "profile", "payment",  "address", "shipment", "ledger", "catalog"};

inline std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') {
    word[0] = static_cast<char>(word[0] - 'a' + 'A');
  }
  return word;
}

inline int count_lines(const std::string& text) {
  int lines = 0;
  for (char c : text) {
    lines += c == '\n' ? 1 : 0;
  }
  return lines;
}

// A Python module of at least `lines` lines (at most 10 more): functions and small classes in
// a few shapes, with distinct names and constants. `prefix` keeps names of two modules apart.
inline std::string python_code(int lines, const std::string& prefix = "") {
  std::ostringstream out;
  out << "\"\"\"" << capitalized(prefix + "records") << ": loading and checking.\"\"\"\n\n"
      << "import logging\n\nlog = logging.getLogger(__name__)\n\n";
  for (int i = 0; count_lines(out.str()) < lines; ++i) {
    std::string verb = k_verbs[static_cast<std::size_t>(i) % k_verbs.size()];
    std::string noun = k_nouns[static_cast<std::size_t>(i / 3) % k_nouns.size()];
    std::string name = prefix + verb + "_" + noun + "_" + std::to_string(i);
    switch (i % 3) {
    case 0:
      out << "\ndef " << name << "(items, limit=" << 10 + i << "):\n"
          << "    \"\"\"" << capitalized(verb) << " the " << noun
          << " records, at most limit.\"\"\"\n"
          << "    result = []\n"
          << "    for item in items:\n"
          << "        if item.get(\"" << noun << "_id\") is None:\n"
          << "            log.debug(\"skipping %r\", item)\n"
          << "            continue\n"
          << "        result.append(item[\"" << noun << "_id\"] * " << i % 7 + 2 << ")\n"
          << "    return result[:limit]\n";
      break;
    case 1:
      out << "\ndef " << name << "(record):\n"
          << "    total = 0\n"
          << "    for key, value in sorted(record.items()):\n"
          << "        if isinstance(value, (int, float)):\n"
          << "            total += value * " << i % 5 + 1 << "\n"
          << "        elif isinstance(value, str) and value.isdigit():\n"
          << "            total += int(value)\n"
          << "    return total\n";
      break;
    default:
      out << "\nclass " << capitalized(noun) << capitalized(verb) << "er" << i << ":\n"
          << "    def __init__(self, store):\n"
          << "        self.store = store\n"
          << "        self.cache = {}\n\n"
          << "    def get(self, key):\n"
          << "        if key not in self.cache:\n"
          << "            self.cache[key] = self.store.load(\"" << noun << "\", key)\n"
          << "        return self.cache[key]\n";
      break;
    }
  }
  return out.str();
}

// A Go file of at least `lines` lines (at most 14 more).
inline std::string go_code(int lines, const std::string& package = "billing") {
  std::ostringstream out;
  out << "// Package " << package << " keeps the records of the service.\n"
      << "package " << package << "\n\nimport (\n\t\"errors\"\n\t\"strings\"\n)\n\n"
      << "var errEmpty = errors.New(\"empty record\")\n";
  for (int i = 0; count_lines(out.str()) < lines; ++i) {
    std::string verb = capitalized(k_verbs[static_cast<std::size_t>(i) % k_verbs.size()]);
    std::string noun = capitalized(k_nouns[static_cast<std::size_t>(i / 2) % k_nouns.size()]);
    std::string name = verb + noun + std::to_string(i);
    if (i % 2 == 0) {
      out << "\n// " << name << " keeps the first limit non-empty ids.\n"
          << "func " << name << "(ids []string, limit int) []string {\n"
          << "\tout := make([]string, 0, len(ids))\n"
          << "\tfor _, id := range ids {\n"
          << "\t\tif strings.TrimSpace(id) == \"\" {\n"
          << "\t\t\tcontinue\n"
          << "\t\t}\n"
          << "\t\tout = append(out, strings.ToLower(id))\n"
          << "\t}\n"
          << "\tif len(out) > limit {\n"
          << "\t\treturn out[:limit]\n"
          << "\t}\n"
          << "\treturn out\n"
          << "}\n";
    } else {
      out << "\nfunc " << name << "(fields map[string]int) (int, error) {\n"
          << "\tif len(fields) == 0 {\n"
          << "\t\treturn 0, errEmpty\n"
          << "\t}\n"
          << "\ttotal := " << i << "\n"
          << "\tfor key, value := range fields {\n"
          << "\t\tif strings.HasPrefix(key, \"" << k_nouns[static_cast<std::size_t>(i) % 12]
          << "\") {\n"
          << "\t\t\ttotal += value * " << i % 9 + 1 << "\n"
          << "\t\t}\n"
          << "\t}\n"
          << "\treturn total, nil\n"
          << "}\n";
    }
  }
  return out.str();
}

// A JavaScript module of at least `lines` lines (at most 12 more).
inline std::string javascript_code(int lines) {
  std::ostringstream out;
  out << "// Client-side helpers for the records view.\n"
      << "import { formatDate } from './dates.js';\n";
  for (int i = 0; count_lines(out.str()) < lines; ++i) {
    std::string verb = k_verbs[static_cast<std::size_t>(i) % k_verbs.size()];
    std::string noun = k_nouns[static_cast<std::size_t>(i / 2) % k_nouns.size()];
    std::string name = verb + capitalized(noun) + std::to_string(i);
    if (i % 2 == 0) {
      out << "\nexport function " << name << "(records, options = {}) {\n"
          << "  const limit = options.limit ?? " << 20 + i << ";\n"
          << "  const seen = new Set();\n"
          << "  const out = [];\n"
          << "  for (const record of records) {\n"
          << "    if (seen.has(record." << noun << "Id)) continue;\n"
          << "    seen.add(record." << noun << "Id);\n"
          << "    out.push({ ...record, score: record.score * " << i % 4 + 1 << " });\n"
          << "  }\n"
          << "  return out.slice(0, limit);\n"
          << "}\n";
    } else {
      out << "\nexport const " << name << " = (item) => ({\n"
          << "  id: item." << noun << "Id,\n"
          << "  label: `${item.name} (" << noun << ")`,\n"
          << "  updated: formatDate(item.updatedAt),\n"
          << "});\n";
    }
  }
  return out.str();
}

// Writes `.agate/config.json` from `policy` (a JSON object) with the duplication rules turned
// off. The code above is made from a few templates, so its functions are renamed copies of
// each other by construction: tests of the size gate and of the reporters use this so that
// the clone analyzer, which is right to flag such code, does not add findings they do not test.
inline void write_size_policy(GitRepo& repo, const std::string& policy = "{}") {
  auto document = nlohmann::json::parse(policy);
  for (const char* rule : {"duplication/clone", "duplication/bypassed-wrapper"}) {
    document["rules"][rule]["enabled"] = false;
  }
  repo.write(".agate/config.json", document.dump(2) + "\n");
}

// Runs the real agate in the repository with the repository's git environment (fixed
// identity, no user configuration) and without GitHub Actions variables.
inline RunResult agate_in(GitRepo& repo, const std::vector<std::string>& args,
                          RunOptions options = {}) {
  for (const auto& [key, value] : repo.env()) {
    options.env.try_emplace(key, value);
  }
  return agate::test::agate(repo.dir(), args, options);
}

// Runs git in the repository the way a user would: hooks enabled, agate found where `agate
// install` recorded it (not forced by $AGATE), with the repository's identity and clock.
inline RunResult git_with_hooks(GitRepo& repo, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = repo.dir();
  options.env = repo.env();
  options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "AGATE", "AGATE_SKIP"};
  return agate::test::run(argv, options);
}

// The JSON report on stdout; fails the test (showing both streams) when it is not JSON.
inline nlohmann::json parse_report(const RunResult& result) {
  INFO("stdout: " << result.out);
  INFO("stderr: " << result.err);
  auto report = nlohmann::json::parse(result.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  REQUIRE(report.is_object());
  return report;
}

// The findings of `rule` in a JSON report.
inline std::vector<nlohmann::json> findings_of(const nlohmann::json& report,
                                               const std::string& rule) {
  std::vector<nlohmann::json> found;
  for (const auto& finding : report.at("findings")) {
    if (finding.at("rule") == rule) {
      found.push_back(finding);
    }
  }
  return found;
}

// Whether a usage/repository error was reported the way agate promises: exit 2 and exactly
// one line on stderr, `agate: error: ...`, with no crash, internal error or sanitizer report.
inline void check_one_line_error(const RunResult& result) {
  INFO("stdout: " << result.out);
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == 2);
  CHECK(result.err.rfind("agate: error: ", 0) == 0);
  CHECK(count_lines(result.err) == 1);
  CHECK((!result.err.empty() && result.err.back() == '\n'));
  CHECK(result.err.find("internal error") == std::string::npos);
  CHECK(result.err.find("Sanitizer") == std::string::npos);
  CHECK(result.err.find("runtime error") == std::string::npos);
}

} // namespace agate::test::e2e
