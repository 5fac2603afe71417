// End-to-end tests of the prompt-log review with the real binary on real repositories made with
// the git CLI: a person's commits, an agent's commits recorded with `agate record` (the hook adds
// the trailer), an agent's commit with a marker and no record, an SSH-signed agent commit, a
// hostile commit message, and a branch merged with a merge commit.
//   - `agate log` is fast by default (no analysis: no finding counts), follows every parent, and
//     `--findings` adds the analysis;
//   - `agate stats --json` says what `agate log` says for the same range;
//   - `agate review --html` writes one self-contained page, which a headless Chromium loads from
//     file:// and is driven through (tests/tools/review-page-check.mjs): click, j/k, n/p,
//     filters, the hostile message shown as text, screenshots at two widths. The browser part
//     is skipped, saying so, when Chromium is not installed.
#include "tests/e2e/e2e_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;

const char* const k_hostile = "</script><img src=x onerror=window.__agate_pwned=1>";

struct ReviewProject {
  TempDir tmp;
  GitRepo git{tmp / "repo"};

  ReviewProject() {
    git.write("app/report.py", python_code(60, "report_"));
    git.commit_all("Initial import");
    // The commit-msg hook adds the trailers; no pre-commit gate (a commit here is oversized).
    REQUIRE(agate_in(git, {"install", "--hook", "commit-msg"}).exit_code == 0);
    // An agent's change, recorded, with a transcript, far over the size limit (a finding).
    git.write("app/big.py", oversized_python());
    git.write("app/report.py", python_code(60, "report_") + "\n\ndef totals(rows):\n"
                                                            "    return sum(rows)\n");
    git.write("app/totals_test.py", "from app.report import totals\n\n\ndef test_totals():\n"
                                    "    assert totals([1, 2]) == 3\n");
    git.git({"add", "-A"});
    write_file(tmp / "transcript.txt", "user: add a totals helper\nassistant: done\n");
    record({"--prompt", "Add a totals helper with a test.", "--tool", "claude-code", "--model",
            "claude-sonnet-4-5", "--transcript", (tmp / "transcript.txt").string()});
    commit_with_hooks("Totals helper");
    // A person's commit with a hostile message.
    git.write("README.md", "# Reports\n");
    git.commit_all(std::string("Readme ") + k_hostile);
    // An agent's commit with a marker and no record.
    git.write("app/extra.py", "LIMIT = 10\n");
    git.commit_all("Limit constant\n\nCo-authored-by: Claude <noreply@anthropic.com>\n");
    // A branch with a recorded agent commit, SSH-signed, merged with a merge commit.
    git.git({"checkout", "-q", "-b", "topic"});
    git.write("app/topic.py", "def topic():\n    return 'topic'\n");
    git.git({"add", "-A"});
    record({"--prompt", "Add the topic function.", "--tool", "codex", "--model", "gpt-5"});
    auto keygen = run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dev@example.com", "-f",
                       (tmp / "key").string()});
    signed_commit = keygen.exit_code == 0;
    if (signed_commit) {
      auto made = git_with_hooks(git, {"-c", "gpg.format=ssh", "-c",
                                       "user.signingkey=" + (tmp / "key").string(), "commit", "-q",
                                       "-S", "-m", "Topic function"});
      INFO(made.out << made.err);
      REQUIRE(made.exit_code == 0);
    } else {
      commit_with_hooks("Topic function");
    }
    git.git({"checkout", "-q", "main"});
    // Without the commit-msg hook: the merge is a person's and brings the record of its branch.
    git.git({"merge", "-q", "--no-ff", "--no-verify", "-m", "Merge topic", "topic"});
  }

  void record(std::vector<std::string> args) {
    args.insert(args.begin(), "record");
    auto recorded = agate_in(git, args);
    INFO(recorded.out << recorded.err);
    REQUIRE(recorded.exit_code == 0);
  }

  void commit_with_hooks(const std::string& message) {
    auto made = git_with_hooks(git, {"commit", "-q", "-m", message});
    INFO(made.out << made.err);
    REQUIRE(made.exit_code == 0);
  }

  bool signed_commit = false;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Drives the page in a headless Chromium (tests/tools/review-page-check.mjs), clicking the commit
// whose subject holds `click`; screenshots go to DIR/shots. What the driver saw, as JSON.
nlohmann::json drive_review_page(const std::filesystem::path& page,
                                 const std::filesystem::path& dir, const std::string& click,
                                 const char* chromium) {
  auto shots = dir / "shots";
  std::filesystem::create_directories(shots);
  RunOptions options;
  options.timeout_seconds = 240;
  auto driven = run({"node", std::string(AGATE_SOURCE_DIR) + "/tests/tools/review-page-check.mjs",
                     page.string(), shots.string(), click, chromium},
                    options);
  INFO(driven.out << driven.err);
  REQUIRE(driven.exit_code == 0);
  return nlohmann::json::parse(driven.out);
}

} // namespace

TEST_CASE("review e2e: agate log is fast by default, follows every parent; --findings analyzes") {
  ReviewProject p;
  auto log = agate_in(p.git, {"log", "--color", "never", "-n", "0"});
  INFO(log.out << log.err);
  REQUIRE(log.exit_code == 0);
  auto lines = lines_of(log.out);
  REQUIRE(lines.size() == 6); // the merge, its branch's commit, and the four on main
  CHECK(has(log.out, "AI  codex/gpt-5  record:ok  sig:" +
                         std::string(p.signed_commit ? "signed" : "unsigned") +
                         "  \"Add the topic function.\""));
  CHECK(has(log.out, "AI  claude-code/claude-sonnet-4-5  record:ok  sig:unsigned  \"Add a "
                     "totals helper with a test.\""));
  CHECK(has(log.out, "AI  Claude  record:missing  sig:unsigned  Limit constant"));
  CHECK_FALSE(has(log.out, "no findings")); // no analysis
  CHECK(has(log.out, "Readme </script>"));

  auto analyzed = agate_in(p.git, {"log", "--color", "never", "-n", "0", "--findings"});
  INFO(analyzed.out << analyzed.err);
  REQUIRE(analyzed.exit_code == 0);
  CHECK(lines_of(analyzed.out).size() == 6);
  CHECK(has(analyzed.out, "record:ok  sig:unsigned  1 error")); // the oversized change

  auto help = agate_in(p.git, {"help", "log"});
  CHECK(has(help.out, "every parent"));
  CHECK(has(help.out, "--findings"));
}

TEST_CASE("review e2e: agate stats --json says what agate log says for the same range") {
  ReviewProject p;
  for (const std::string range : {"", "HEAD~3..HEAD"}) {
    CAPTURE(range);
    std::vector<std::string> log_args{"log", "--color", "never", "-n", "0"};
    std::vector<std::string> stats_args{"stats", "--json"};
    if (!range.empty()) {
      log_args.push_back(range);
      stats_args.push_back(range);
    }
    auto log = agate_in(p.git, log_args);
    auto stats = agate_in(p.git, stats_args);
    INFO(log.out << log.err << stats.out << stats.err);
    REQUIRE(log.exit_code == 0);
    REQUIRE(stats.exit_code == 0);
    auto json = nlohmann::json::parse(stats.out);
    int commits = 0;
    int ai = 0;
    int recorded = 0;
    int signed_ai = 0;
    for (const auto& line : lines_of(log.out)) {
      ++commits;
      if (!has(line, "  AI  ")) {
        continue;
      }
      ++ai;
      recorded += has(line, "record:ok") ? 1 : 0;
      signed_ai += has(line, "sig:signed") ? 1 : 0;
    }
    CHECK(json["commits"] == commits);
    CHECK(json["ai_assisted"]["commits"] == ai);
    CHECK(json["ai_assisted"]["with_record"] == recorded);
    CHECK(json["ai_assisted"]["with_signature"] == signed_ai);
    CHECK(json["by_kind"]["ai-recorded"]["commits"] == recorded);
    CHECK(json["by_kind"]["ai-unrecorded"]["commits"] == ai - recorded);
    CHECK(json["by_kind"]["human"]["commits"] == commits - ai);
  }
  auto all = nlohmann::json::parse(agate_in(p.git, {"stats", "--json"}).out);
  CHECK(all["commits"] == 6);
  CHECK(all["by_kind"]["ai-recorded"]["commits"] == 2);
  // Lines as git counts them, prompt records left out.
  int recorded_lines = 0;
  for (const auto& line :
       lines_of(p.git.git({"log", "--numstat", "--format=", "--grep", "Agate-Prompt"}))) {
    if (!line.empty() && !has(line, ".agate/prompts/")) {
      recorded_lines += std::stoi(line);
    }
  }
  CHECK(recorded_lines > 1000);
  CHECK(all["by_kind"]["ai-recorded"]["added_lines"] == recorded_lines);
  CHECK(all["ai_assisted"]["with_signature"] == (p.signed_commit ? 1 : 0));
  bool codex = false;
  for (const auto& row : all["by_tool"]) {
    if (row["tool"] == "codex") {
      codex = true;
      CHECK(row["model"] == "gpt-5");
      CHECK(row["commits"] == 1);
      CHECK(row["added_lines"] == 2);
    }
  }
  CHECK(codex);
  auto text = agate_in(p.git, {"stats"});
  CHECK(text.exit_code == 0);
  CHECK(has(text.out, "AI-assisted:    3 of 6 (50.0%)"));
}

TEST_CASE("review e2e: agate review --html writes one page, driven in a headless Chromium") {
  ReviewProject p;
  auto page = p.tmp / "review.html";
  auto made = agate_in(p.git, {"review", "--html", page.string()});
  INFO(made.out << made.err);
  REQUIRE(made.exit_code == 0);
  auto html = read_file(page);
  CHECK_FALSE(has(html, k_hostile)); // escaped in the data
  CHECK(has(html, "Add a totals helper with a test."));
  auto no_html = agate_in(p.git, {"review"});
  check_one_line_error(no_html);

  const char* chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    MESSAGE("skipped the browser part: " << chromium
                                         << " is not installed (scripts/setup.sh installs it)");
    return;
  }
  auto shots = p.tmp / "shots";
  auto seen = drive_review_page(page, p.tmp.path(), "Totals helper", chromium);
  CHECK(seen["requests"].empty()); // nothing fetched
  CHECK(seen["errors"].empty());
  CHECK(seen["initial"]["commits"].size() == 6);
  CHECK(seen["initial"]["selected"] == "Merge topic");
  // The clicked commit: its prompt, its transcript collapsed, its findings.
  CHECK(seen["clicked"]["selected"] == "Totals helper");
  REQUIRE(seen["clicked"]["prompt"].size() == 1);
  CHECK(seen["clicked"]["prompt"][0] == "Add a totals helper with a test.");
  CHECK(seen["clicked"]["transcripts"] == nlohmann::json::array({false}));
  CHECK(has(seen["clicked"]["findings"].dump(), "size/oversized-change"));
  // j moves down the list, k back; n and p step through the findings shown.
  CHECK(seen["j"]["selected"] != "Totals helper");
  CHECK(seen["k"]["selected"] == "Totals helper");
  auto findings = seen["k"]["findings"];
  REQUIRE_FALSE(findings.empty());
  CHECK(seen["n1"]["current_finding"] == findings[0]);
  CHECK(seen["p"]["current_finding"] == findings[0]);
  CHECK(seen["n2"]["current_finding"] == findings[findings.size() > 1 ? 1 : 0]);
  // Filters.
  CHECK(seen["ai_only"].size() == 3);
  CHECK_FALSE(seen["tool_filter"]["tool"].get<std::string>().empty());
  CHECK(seen["tool_filter"]["shown"].size() < 6);
  // The hostile message is text: no image, no extra script, nothing ran.
  CHECK(seen["injected"]["images"] == 0);
  CHECK(seen["injected"]["scripts"] == 2);
  CHECK(seen["injected"]["pwned"] == false);
  REQUIRE(seen["injected"]["hostile_text"].size() == 1);
  CHECK(seen["injected"]["hostile_text"][0] == std::string("Readme ") + k_hostile);
  CHECK(seen["narrow_overflow"] == false);
  CHECK(std::filesystem::file_size(shots / "wide.png") > 1000);
  CHECK(std::filesystem::file_size(shots / "narrow.png") > 1000);
}

// A real agent-made history: twenty commits of colinhacks/zod, five of them co-authored by an
// agent (Claude), from the copy the history evaluation uses (bench/eval_history.py:
// $AGATE_HISTORY_MIRRORS, else .mirror beside the source tree). Skipped, saying so, without it.
TEST_CASE("review e2e: a real agent-made history renders a review page driven in Chromium") {
  const char* chromium = "/usr/bin/chromium";
  const char* mirrors_env = std::getenv("AGATE_HISTORY_MIRRORS");
  const std::filesystem::path mirrors =
      mirrors_env != nullptr && *mirrors_env != '\0'
          ? std::filesystem::path(mirrors_env)
          : std::filesystem::path(AGATE_SOURCE_DIR).parent_path() / ".mirror";
  std::filesystem::path copy = mirrors / "colinhacks+zod" / "repo";
  if (!std::filesystem::exists(copy)) {
    copy = mirrors / "colinhacks+zod";
  }
  const std::string head = "d6ca12ae3e28b40392ec49323edc31a56a05ff3b";
  if (!std::filesystem::exists(copy) ||
      run({"git", "-C", copy.string(), "cat-file", "-e", head + "^{commit}"}).exit_code != 0 ||
      !std::filesystem::exists(chromium)) {
    MESSAGE("skipped: no copy of colinhacks/zod holding " << head << " under " << mirrors.string()
                                                          << " (or no " << chromium << ")");
    return;
  }
  TempDir tmp;
  const std::string range = head + "~20.." + head;
  auto page = tmp / "zod-review.html";
  auto made = run({agate_binary(), "review", range, "--html", page.string(), "-C", copy.string()});
  INFO(made.out << made.err);
  REQUIRE(made.exit_code == 0);

  // What git says: the commits of the range, and those an agent co-authored.
  const auto subjects = run({"git", "-C", copy.string(), "log", "--format=%s", range}).out;
  const auto ai = run({"git", "-C", copy.string(), "log", "-i", "--format=%h",
                       "--grep=co-authored-by: claude", range})
                      .out;
  const auto count = [](const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  REQUIRE(count(subjects) == 20);
  REQUIRE(count(ai) == 5);

  auto shots = tmp / "shots";
  auto seen = drive_review_page(page, tmp.path(), "infer recursive getter options", chromium);
  CHECK(seen["requests"].empty());
  CHECK(seen["errors"].empty());
  CHECK(seen["initial"]["commits"].size() == 20);
  CHECK(has(seen["clicked"]["selected"].get<std::string>(), "infer recursive getter options"));
  // Every commit an agent co-authored is marked AI-assisted; the human ones are not.
  CHECK(seen["ai_only"].size() == count(ai));
  CHECK(seen["narrow_overflow"] == false);
  CHECK(std::filesystem::file_size(shots / "wide.png") > 1000);
  CHECK(std::filesystem::file_size(shots / "narrow.png") > 1000);
}
