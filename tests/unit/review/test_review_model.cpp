// The review model and its figures on a real repository made with the git CLI: a person's
// commits, an agent's commit with its prompt record and trailer, an agent's commit without a
// record, a record without its trailer, a broken record, a branch merged with a merge commit.
// Each commit's entry (kind, tool and model, record and signature status, lines), the history
// through every parent, and `agate stats`' figures counted from the same entries.
#include "gate/git/commit_walk.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/prompt_record.hpp"
#include "gate/review/review_model.hpp"
#include "gate/review/review_stats.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>

namespace {

using namespace agate::gate;
using agate::test::GitRepo;
using agate::test::TempDir;
using agate::test::trimmed;

std::string record_json(const std::string& id, const std::string& tool, const std::string& model,
                        const std::string& prompt, const std::vector<std::string>& files) {
  PromptRecord record;
  record.id = id;
  record.created_at = "2026-11-25T05:42:00Z";
  record.tool = tool;
  record.model = model;
  record.prompt = prompt;
  record.prompt_bytes = prompt.size();
  record.files = files;
  record.diff_sha256 = std::string(64, 'a');
  return serialize(record);
}

struct History {
  TempDir tmp;
  GitRepo git{tmp.path()};
  std::map<std::string, std::string> ids;

  History() {
    git.write("app/main.py", "def main():\n    return 1\n");
    ids["human"] = git.commit_all("Initial import");
    // An agent's commit, recorded: the record file and the trailer.
    git.write("app/totals.py", "def totals(rows):\n    return sum(rows)\n\n\ndef zero():\n    "
                               "return 0\n");
    git.write(".agate/prompts/20261125T054200Z-aaaa1111.json",
              record_json("20261125T054200Z-aaaa1111", "claude-code", "claude-sonnet-4-5",
                          "Add a totals helper.", {"app/totals.py"}));
    ids["recorded"] = git.commit_all("Totals helper\n\nAgate-Prompt: 20261125T054200Z-aaaa1111\n");
    // An agent's commit with a marker and no record.
    git.write("app/main.py", "def main():\n    return 2\n");
    ids["unrecorded"] =
        git.commit_all("Return two\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
    // A record committed without its trailer.
    git.write("app/extra.py", "X = 1\n");
    git.write(
        ".agate/prompts/20261125T054300Z-bbbb2222.json",
        record_json("20261125T054300Z-bbbb2222", "codex", "gpt-5", "Add X.", {"app/extra.py"}));
    ids["orphan"] = git.commit_all("Extra constant");
    // A broken record.
    git.write(".agate/prompts/20261125T054400Z-cccc3333.json", "{\"version\": 1}\n");
    ids["invalid"] = git.commit_all("Broken record\n\nAgate-Prompt: 20261125T054400Z-cccc3333\n");
    // A branch merged with a merge commit: its commit is in the history through the second
    // parent.
    git.git({"checkout", "-q", "-b", "topic"});
    git.write("app/topic.py", "T = 1\nU = 2\n");
    ids["topic"] = git.commit_all("Topic work");
    git.git({"checkout", "-q", "main"});
    git.write("app/other.py", "O = 1\n");
    ids["other"] = git.commit_all("Other work");
    git.git({"merge", "-q", "--no-ff", "-m", "Merge topic", "topic"});
    ids["merge"] = git.head();
  }

  std::string head_id() { return ids["merge"]; }

  Repository open() {
    auto repo = Repository::open(tmp.path());
    REQUIRE_MESSAGE(repo.ok(), (repo.ok() ? "" : repo.error()));
    return std::move(repo).value();
  }
};

} // namespace

TEST_CASE("review model: each commit's provenance from its object, trailers and records") {
  History h;
  auto repo = h.open();
  auto entry = [&](const std::string& name) {
    auto e = read_commit_entry(repo, h.ids[name], {});
    count_lines(repo, e);
    return e;
  };

  auto human = entry("human");
  CHECK(human.kind() == AuthorKind::human);
  CHECK(human.record_status == "none");
  CHECK(human.signature_status == "unsigned");
  CHECK(human.subject == "Initial import");
  CHECK(human.added_lines == 2);
  CHECK_FALSE(human.analyzed);

  auto recorded = entry("recorded");
  CHECK(recorded.kind() == AuthorKind::ai_with_record);
  CHECK(recorded.record_status == "ok");
  CHECK(recorded.tool == "claude-code");
  CHECK(recorded.model == "claude-sonnet-4-5");
  REQUIRE(recorded.records.size() == 1);
  CHECK(recorded.records[0].prompt == "Add a totals helper.");
  CHECK(recorded.added_lines == 6); // the record file is not code
  CHECK(recorded.deleted_lines == 0);

  auto unrecorded = entry("unrecorded");
  CHECK(unrecorded.kind() == AuthorKind::ai_without_record);
  CHECK(unrecorded.record_status == "missing");
  CHECK(unrecorded.tool == "Claude");
  CHECK(unrecorded.model.empty());
  CHECK(unrecorded.added_lines == 1);
  CHECK(unrecorded.deleted_lines == 1);

  // No trailer, but the commit adds the record and changes every file it names: matched (by
  // its files), as the provenance rules would say, without running them.
  auto orphan = entry("orphan");
  CHECK(orphan.kind() == AuthorKind::ai_with_record);
  CHECK(orphan.record_status == "matched");
  CHECK(orphan.tool == "codex");

  auto invalid = entry("invalid");
  CHECK(invalid.record_status == "invalid");
  CHECK(invalid.records.empty());

  auto merge = entry("merge");
  CHECK(merge.parents.size() == 2);
  CHECK(merge.added_lines == 0); // its lines are the merged commits'
  CHECK(merge.records.empty());
}

TEST_CASE("review model: a record without its trailer is an orphan unless its files or diff tie "
          "it to the commit") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("app/main.py", "def main():\n    return 1\n");
  git.commit_all("Initial import");
  // The record names a file the commit does not change: nothing ties it to this commit.
  git.write("app/extra.py", "X = 1\n");
  git.write(".agate/prompts/20261125T054300Z-cccc3333.json",
            record_json("20261125T054300Z-cccc3333", "codex", "gpt-5", "Add Y.", {"app/other.py"}));
  const std::string orphan = git.commit_all("Extra constant");

  // The same record named by a trailer is linked, whatever its files.
  git.write("app/extra.py", "X = 2\n");
  git.write(".agate/prompts/20261125T054400Z-dddd4444.json",
            record_json("20261125T054400Z-dddd4444", "codex", "gpt-5", "Two.", {"app/other.py"}));
  const std::string named = git.commit_all("Two\n\nAgate-Prompt: 20261125T054400Z-dddd4444\n");
  auto repo = Repository::open(tmp.path()).value_or_throw();
  CHECK(read_commit_entry(repo, orphan, {}).record_status == "orphan");
  CHECK(read_commit_entry(repo, named, {}).record_status == "ok");
}

TEST_CASE("review model: the history follows every parent, newest first, as git log lists it") {
  History h;
  auto repo = h.open();
  auto ours = history_of(repo, h.ids["merge"], 0);
  REQUIRE(ours.ok());
  auto theirs = h.git.git({"log", "--format=%H", h.ids["merge"]});
  std::string joined;
  for (const auto& id : *ours) {
    joined += id + "\n";
  }
  CHECK(joined == theirs);
  CHECK(std::find(ours->begin(), ours->end(), h.ids["topic"]) != ours->end());
  auto limited = history_of(repo, h.ids["merge"], 3);
  REQUIRE(limited.ok());
  CHECK(limited->size() == 3);
}

TEST_CASE("review stats: commits and lines by author kind and tool, shares of records") {
  History h;
  auto repo = h.open();
  auto ids = history_of(repo, h.head_id(), 0);
  REQUIRE(ids.ok());
  std::vector<CommitEntry> entries;
  for (const auto& id : *ids) {
    entries.push_back(read_commit_entry(repo, id, {}));
    count_lines(repo, entries.back());
  }
  auto stats = compute_stats("HEAD", entries);
  CHECK(stats.total.commits == 8);
  CHECK(stats.ai_with_record.commits == 2);    // recorded, orphan
  CHECK(stats.ai_without_record.commits == 2); // unrecorded, invalid (its trailer)
  CHECK(stats.human.commits == 4);
  CHECK(stats.ai_with_record.added_lines == 7);
  CHECK(stats.ai_assisted == 4);
  CHECK(stats.ai_with_signature == 0);
  auto json = stats_json(stats);
  CHECK(json["commits"] == 8);
  CHECK(json["by_kind"]["ai-recorded"]["commits"] == 2);
  CHECK(json["by_kind"]["human"]["added_lines"] == stats.human.added_lines);
  CHECK(json["ai_assisted"]["share"] == 0.5);
  CHECK(json["ai_assisted"]["record_share"] == 0.5);
  CHECK(json["ai_assisted"]["signature_share"] == 0.0);
  bool claude = false;
  for (const auto& row : json["by_tool"]) {
    if (row["tool"] == "Claude") {
      claude = true;
      CHECK(row["model"] == "");
      CHECK(row["commits"] == 1);
    }
  }
  CHECK(claude);
  auto text = render_stats(stats);
  CHECK(text.find("AI-assisted:    4 of 8 (50.0%)") != std::string::npos);
}
