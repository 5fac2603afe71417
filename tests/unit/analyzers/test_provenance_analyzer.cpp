// The provenance analyzer's judgement of a record against the change: one record matching, a
// file touched up (edited), a file the agent changed that the commit no longer changes
// (dropped), files no record mentions (extra), a squash of records compared file by file, and a
// file two records both changed (unverifiable, not reported as stale).
#include "analyzers/provenance_analyzer.hpp"

#include <doctest/doctest.h>

using namespace agate;

namespace {

gate::PromptRecord record_of(std::map<std::string, std::string> files, std::string whole = "w") {
  gate::PromptRecord r;
  r.id = "r";
  r.diff_sha256 = std::move(whole);
  for (const auto& [path, hash] : files) {
    r.files.push_back(path);
  }
  r.file_sha256 = std::move(files);
  return r;
}

gate::DiffHash hash_of(std::map<std::string, std::string> files, std::string whole = "w") {
  gate::DiffHash h;
  h.sha256 = std::move(whole);
  h.files = std::move(files);
  return h;
}

} // namespace

TEST_CASE("provenance: a change equal to its record is not stale") {
  auto report = analyzers::compare_with_records({record_of({{"a", "1"}, {"b", "2"}})},
                                                hash_of({{"a", "1"}, {"b", "2"}}));
  CHECK_FALSE(report.stale);
}

TEST_CASE("provenance: edited, dropped and extra files are named") {
  auto report =
      analyzers::compare_with_records({record_of({{"a", "1"}, {"b", "2"}, {"c", "3"}})},
                                      hash_of({{"a", "1"}, {"b", "X"}, {"d", "4"}}, "other"));
  CHECK(report.stale);
  CHECK(report.edited == std::vector<std::string>{"b"});
  CHECK(report.dropped == std::vector<std::string>{"c"});
  CHECK(report.extra == std::vector<std::string>{"d"});
  CHECK(report.agent_files == 3);
}

TEST_CASE("provenance: a squash is compared file by file; a file of two records is not judged") {
  auto first = record_of({{"a", "1"}, {"shared", "s1"}}, "w1");
  auto second = record_of({{"b", "2"}, {"shared", "s2"}}, "w2");
  auto report = analyzers::compare_with_records(
      {first, second}, hash_of({{"a", "1"}, {"b", "2"}, {"shared", "s12"}}, "w12"));
  CHECK_FALSE(report.stale);
  CHECK(report.unverifiable == std::vector<std::string>{"shared"});
}

TEST_CASE("provenance: a record without per-file hashes is judged on the whole diff") {
  auto r = record_of({}, "w1");
  r.files = {"a"};
  CHECK(analyzers::compare_with_records({r}, hash_of({{"a", "1"}}, "w2")).stale);
  CHECK_FALSE(analyzers::compare_with_records({r}, hash_of({{"a", "1"}}, "w1")).stale);
}

TEST_CASE("provenance: the policy's requirement and agent identities") {
  gate::Policy policy;
  CHECK(analyzers::record_requirement(policy) == analyzers::RecordRequirement::none);
  CHECK(policy.provenance.agent_identities.empty());
  policy =
      gate::parse_policy(
          R"({"provenance": {"require_records": "ai-assisted", "agent_identities": ["bot@x"]}})",
          "test")
          .value();
  CHECK(analyzers::record_requirement(policy) == analyzers::RecordRequirement::ai_assisted);
  CHECK(policy.provenance.agent_identities == std::vector<std::string>{"bot@x"});
  policy.provenance.require_records = "all";
  CHECK(analyzers::record_requirement(policy) == analyzers::RecordRequirement::all);
}
