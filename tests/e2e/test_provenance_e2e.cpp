// End-to-end tests of prompt provenance with the real binary, real repositories and the real
// hooks: `agate record` then `git commit` (the commit-msg hook adds the trailer), a commit made
// with hooks skipped caught by `agate check`, an amend after recording (stale), a squash of two
// recorded commits, a rebase (still bound), hand-written bad records, secrets, a 10 MB prompt,
// atomicity when staging fails, the review commands log/show/export, and `agate record --from`
// on each agent's own files (Claude Code hook payload and transcript, Codex rollout, Aider
// history, a text file), and the recorded prompt read as intent by the deletion rules.
#include "tests/e2e/e2e_support.hpp"

#include <fstream>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;

struct Project {
  TempDir tmp;
  GitRepo git{tmp.path()};
  Project() {
    git.write("app/report.py", python_code(60, "report_"));
    git.write("app/billing.py", python_code(60, "billing_"));
    git.commit_all("Initial import");
    auto installed = agate_in(git, {"install"});
    REQUIRE(installed.exit_code == 0);
  }
};

std::string record_id_from(const RunResult& result) {
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  auto at = result.out.find("recorded prompt ");
  REQUIRE(at != std::string::npos);
  auto start = at + 16;
  return result.out.substr(start, result.out.find(' ', start) - start);
}

nlohmann::json check_commit(GitRepo& git, const std::string& rev) {
  auto result = agate_in(git, {"check", "--commit", rev, "--format", "json", "--fail-on", "never"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return parse_report(result);
}

std::string message_of(GitRepo& git, const std::string& rev = "HEAD") {
  return git.git({"log", "-1", "--format=%B", rev});
}

} // namespace

TEST_CASE("provenance e2e: record, then commit; the hook adds the trailer and CI finds it bound") {
  Project p;
  p.git.write(
      "app/report.py",
      python_code(60, "report_") +
          "\ndef export_csv(rows):\n    return \"\\n\".join(\",\".join(r) for r in rows)\n");
  p.git.git({"add", "app/report.py"});
  auto recorded = agate_in(p.git, {"record", "--prompt", "Add a CSV export to the report module.",
                                   "--tool", "claude-code", "--model", "claude-sonnet-4-5"});
  auto id = record_id_from(recorded);
  auto path = ".agate/prompts/" + id + ".json";
  // The record is written and staged.
  CHECK(fs::exists(p.git / path));
  CHECK(p.git.git({"diff", "--cached", "--name-only"}).find(path) != std::string::npos);
  auto record = nlohmann::json::parse(read_file(p.git / path));
  CHECK(record["version"] == 1);
  CHECK(record["tool"]["name"] == "claude-code");
  CHECK(record["model"] == "claude-sonnet-4-5");
  CHECK(record["files"] == nlohmann::json::array({"app/report.py"}));
  CHECK(record["diff_sha256"].get<std::string>().size() == 64);

  auto committed = git_with_hooks(p.git, {"commit", "-q", "-m", "Add CSV export"});
  INFO(committed.err);
  REQUIRE(committed.exit_code == 0);
  auto message = message_of(p.git);
  CHECK(message == "Add CSV export\n\nAgate-Prompt: " + id + "\n\n");
  auto report = check_commit(p.git, "HEAD");
  for (const char* rule : {"provenance/missing-record", "provenance/stale-record",
                           "provenance/orphan-record", "provenance/invalid-record"}) {
    CAPTURE(rule);
    CHECK(findings_of(report, rule).empty());
  }
}

TEST_CASE("provenance e2e: a merge that brings in a branch's record gets no trailer; the "
          "branch's commit keeps its own") {
  Project p;
  p.git.git({"checkout", "-q", "-b", "feature"});
  p.git.write("app/report.py", python_code(60, "report_") + "\nPAGE_SIZE = 50\n");
  p.git.git({"add", "app/report.py"});
  auto id = record_id_from(agate_in(p.git, {"record", "--prompt", "Set a page size.", "--tool",
                                            "claude-code", "--model", "claude-sonnet-4-5"}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Page size"}).exit_code == 0);
  CHECK(message_of(p.git).find("Agate-Prompt: " + id) != std::string::npos);

  p.git.git({"checkout", "-q", "main"});
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nCURRENCY = \"EUR\"\n");
  p.git.commit_all("Currency");
  auto merged = git_with_hooks(p.git, {"merge", "-q", "--no-ff", "-m", "Merge feature", "feature"});
  INFO(merged.out << merged.err);
  REQUIRE(merged.exit_code == 0);
  CHECK(p.git.git({"rev-list", "--parents", "-n", "1", "HEAD"}).size() > 82); // a merge
  CHECK(message_of(p.git).find("Agate-Prompt") == std::string::npos);
}

TEST_CASE("provenance e2e: hooks skipped; the record without its trailer is an orphan in CI") {
  Project p;
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nTAX_RATE = 0.2\n");
  p.git.git({"add", "-A"});
  record_id_from(agate_in(p.git, {"record", "--prompt", "Add a tax rate constant."}));
  auto committed = git_with_hooks(p.git, {"commit", "-q", "--no-verify", "-m", "Tax rate"});
  REQUIRE(committed.exit_code == 0);
  CHECK(message_of(p.git).find("Agate-Prompt") == std::string::npos);
  auto report = check_commit(p.git, "HEAD");
  auto orphans = findings_of(report, "provenance/orphan-record");
  REQUIRE(orphans.size() == 1);
  CHECK(orphans[0]["severity"] == "warning");
  CHECK(orphans[0]["message"].get<std::string>().find("without an `Agate-Prompt:") !=
        std::string::npos);

  // A trailer that names no record is an orphan too.
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nTAX_RATE = 0.25\n");
  p.git.git({"commit", "-q", "-a", "-m", "Raise tax\n\nAgate-Prompt: 20260101T000000Z-deadbeef"});
  auto second = check_commit(p.git, "HEAD");
  auto dangling = findings_of(second, "provenance/orphan-record");
  REQUIRE(dangling.size() == 1);
  CHECK(dangling[0]["message"].get<std::string>().find("is not in its tree") != std::string::npos);
}

TEST_CASE("provenance e2e: an AI-assisted commit without a record is reported") {
  Project p;
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nCURRENCY = 'EUR'\n");
  p.git.git({"commit", "-q", "-a", "-m",
             "Add currency\n\nCo-Authored-By: Claude <noreply@anthropic.com>"});
  auto report = check_commit(p.git, "HEAD");
  auto missing = findings_of(report, "provenance/missing-record");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0]["severity"] == "warning");
  CHECK(missing[0]["message"].get<std::string>().find("Co-Authored-By: Claude") !=
        std::string::npos);
  // A human commit is not asked for a record.
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nCURRENCY = 'USD'\n");
  p.git.git({"commit", "-q", "-a", "-m", "Switch currency"});
  CHECK(findings_of(check_commit(p.git, "HEAD"), "provenance/missing-record").empty());
}

TEST_CASE("provenance e2e: amending after recording makes the record stale, naming the file") {
  Project p;
  p.git.write("app/report.py", python_code(60, "report_") + "\nLIMIT = 10\n");
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nLIMIT = 20\n");
  p.git.git({"add", "-A"});
  record_id_from(agate_in(p.git, {"record", "--prompt", "Add limits."}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Limits"}).exit_code == 0);
  p.git.write("app/report.py", python_code(60, "report_") + "\nLIMIT = 11\n");
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-a", "--amend", "--no-edit"}).exit_code == 0);
  auto report = check_commit(p.git, "HEAD");
  auto stale = findings_of(report, "provenance/stale-record");
  REQUIRE(stale.size() == 1);
  CHECK(stale[0]["severity"] == "note"); // one of the agent's two files touched up
  CHECK(stale[0]["evidence"]["edited"] == nlohmann::json::array({"app/report.py"}));
  CHECK(stale[0]["message"].get<std::string>().find("1 file of the agent's 2 edited since") !=
        std::string::npos);
}

TEST_CASE("provenance e2e: a squash keeps both records and both trailers; a rebase stays bound") {
  Project p;
  p.git.git({"checkout", "-q", "-b", "feature"});
  p.git.write("app/report.py", python_code(60, "report_") + "\nPAGE = 50\n");
  p.git.git({"add", "-A"});
  auto first = record_id_from(agate_in(p.git, {"record", "--prompt", "Paginate reports."}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Paginate"}).exit_code == 0);
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nROUNDING = 2\n");
  p.git.git({"add", "-A"});
  auto second = record_id_from(agate_in(p.git, {"record", "--prompt", "Round to cents."}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Round"}).exit_code == 0);

  // Rebase onto a main that moved: the records still match.
  p.git.git({"checkout", "-q", "main"});
  p.git.write("README.md", "# Reports\n");
  p.git.commit_all("Readme");
  p.git.git({"checkout", "-q", "feature"});
  p.git.git({"rebase", "-q", "main"});
  for (const char* rev : {"HEAD~1", "HEAD"}) {
    auto report = check_commit(p.git, rev);
    CHECK(findings_of(report, "provenance/stale-record").empty());
    CHECK(findings_of(report, "provenance/orphan-record").empty());
  }

  // Squash the two: the commit-msg hook names both staged records.
  p.git.git({"reset", "-q", "--soft", "HEAD~2"});
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Paginate and round"}).exit_code == 0);
  auto message = message_of(p.git);
  CHECK(message.find("Agate-Prompt: " + first) != std::string::npos);
  CHECK(message.find("Agate-Prompt: " + second) != std::string::npos);
  auto report = check_commit(p.git, "HEAD");
  CHECK(findings_of(report, "provenance/stale-record").empty());
  CHECK(findings_of(report, "provenance/orphan-record").empty());
}

TEST_CASE("provenance e2e: invalid records are reported with the field, never a crash") {
  Project p;
  auto write_record = [&](const std::string& name, const std::string& text) {
    p.git.write(".agate/prompts/" + name, text);
  };
  std::string valid_hash(64, 'a');
  write_record(
      "traversal.json",
      R"({"version":1,"id":"../../x","created_at":"2026-11-25T05:42:00Z","tool":{"name":"t"},"model":"","prompt":"p","files":[],"diff_sha256":")" +
          valid_hash + "\"}");
  write_record("broken.json", "{\"version\": 1, \"id\": ");
  write_record("future.json", R"({"version":7,"id":"future"})");
  write_record("binary.json", std::string("\x00\xff\xfe{\x01", 5));
  p.git.commit_all("Records from elsewhere");
  auto report = check_commit(p.git, "HEAD");
  auto invalid = findings_of(report, "provenance/invalid-record");
  REQUIRE(invalid.size() == 4);
  std::map<std::string, std::string> by_file;
  for (const auto& f : invalid) {
    by_file[f["file"]] = f["message"];
    CHECK(f["severity"] == "error");
  }
  CHECK(by_file[".agate/prompts/traversal.json"].find(
            "field `id`: '../../x' is not a safe record id") != std::string::npos);
  CHECK(by_file[".agate/prompts/broken.json"].find("not valid JSON") != std::string::npos);
  CHECK(by_file[".agate/prompts/future.json"].find("unsupported version 7") != std::string::npos);
  CHECK(by_file[".agate/prompts/binary.json"].find("not valid JSON") != std::string::npos);
  // Nothing was written outside the repository by reading them.
  CHECK_FALSE(fs::exists(p.tmp.path().parent_path() / "x"));
}

TEST_CASE("provenance e2e: secrets are redacted when recording; a record holding one is an error") {
  Project p;
  p.git.write("app/billing.py",
              python_code(60, "billing_") + "\nAPI = 'https://api.example.com'\n");
  p.git.git({"add", "-A"});
  const std::string token = "ghp_" + std::string("A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
  auto recorded =
      agate_in(p.git, {"record", "--prompt", "Use my token " + token + " to call the API."});
  auto id = record_id_from(recorded);
  CHECK(recorded.out.find("1 secret redacted") != std::string::npos);
  auto text = read_file(p.git / (".agate/prompts/" + id + ".json"));
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("[REDACTED:") != std::string::npos);
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Call the API"}).exit_code == 0);
  CHECK(findings_of(check_commit(p.git, "HEAD"), "provenance/secret-in-prompt").empty());

  // A record written by hand with the token in clear.
  auto record = nlohmann::json::parse(text);
  record["prompt"] = "Use my token " + token;
  p.git.write(".agate/prompts/" + id + ".json", record.dump(2) + "\n");
  p.git.commit_all("Oops\n\nAgate-Prompt: " + id);
  auto secrets = findings_of(check_commit(p.git, "HEAD"), "provenance/secret-in-prompt");
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0]["severity"] == "error");
  CHECK(secrets[0]["line"].get<int>() > 1); // the line of the prompt field
  CHECK(secrets[0]["message"].get<std::string>().find(token) == std::string::npos);
}

TEST_CASE(
    "provenance e2e: a 10 MB prompt is cut, binary bytes survive, nothing staged is an error") {
  Project p;
  // Nothing staged: exit 2, no file written, index untouched.
  auto nothing = agate_in(p.git, {"record", "--prompt", "Do something."});
  check_one_line_error(nothing);
  CHECK(nothing.err.find("nothing is staged") != std::string::npos);
  CHECK_FALSE(fs::exists(p.git / ".agate/prompts"));

  p.git.write("app/report.py", python_code(60, "report_") + "\nBIG = True\n");
  p.git.git({"add", "-A"});
  std::string huge;
  huge.reserve(10 << 20);
  while (huge.size() < (10u << 20)) {
    huge += "Please refactor the report module, keeping the CSV format. \xff\xfe\n";
  }
  write_file(p.tmp / "prompt.txt", huge);
  auto recorded = agate_in(p.git, {"record", "--prompt-file", (p.tmp / "prompt.txt").string()});
  auto id = record_id_from(recorded);
  CHECK(recorded.out.find("prompt cut to") != std::string::npos);
  auto file = p.git / (".agate/prompts/" + id + ".json");
  CHECK(fs::file_size(file) < (2u << 20));
  auto record = nlohmann::json::parse(read_file(file));
  CHECK(record["prompt_truncated"] == true);
  CHECK(record["prompt_bytes"].get<std::size_t>() == huge.size());

  // From standard input.
  RunOptions options;
  options.input = "Prompt from stdin\n";
  auto from_stdin = agate_in(p.git, {"record", "--prompt-file", "-", "--tool", "aider"}, options);
  auto stdin_id = record_id_from(from_stdin);
  auto stdin_record =
      nlohmann::json::parse(read_file(p.git / (".agate/prompts/" + stdin_id + ".json")));
  CHECK(stdin_record["prompt"] == "Prompt from stdin\n");
}

TEST_CASE(
    "provenance e2e: when staging fails the record is not left behind and the index is kept") {
  Project p;
  p.git.write("app/report.py", python_code(60, "report_") + "\nX = 1\n");
  p.git.git({"add", "-A"});
  auto index_before = read_file(p.git / ".git/index");
  // Another git process holds the index: libgit2 cannot write it.
  write_file(p.git / ".git/index.lock", "");
  auto failed = agate_in(p.git, {"record", "--prompt", "Set X."});
  check_one_line_error(failed);
  CHECK(failed.err.find("the record was not kept") != std::string::npos);
  fs::remove(p.git / ".git/index.lock");
  CHECK(read_file(p.git / ".git/index") == index_before);
  bool left = false;
  if (fs::exists(p.git / ".agate/prompts")) {
    for (const auto& entry : fs::directory_iterator(p.git / ".agate/prompts")) {
      (void)entry;
      left = true;
    }
  }
  CHECK_FALSE(left);
}

TEST_CASE("provenance e2e: log, show and the Agent Trace export") {
  Project p;
  p.git.write("app/report.py",
              python_code(60, "report_") + "\ndef totals(rows):\n    return sum(rows)\n");
  p.git.git({"add", "-A"});
  auto id =
      record_id_from(agate_in(p.git, {"record", "--prompt", "Add a totals helper.\nKeep it small.",
                                      "--tool", "claude-code", "--model", "claude-sonnet-4-5"}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Totals"}).exit_code == 0);
  p.git.write("README.md", "# Reports\n");
  p.git.commit_all("Readme");

  auto log = agate_in(p.git, {"log", "--color", "never"});
  INFO(log.err);
  REQUIRE(log.exit_code == 0);
  auto lines = log.out;
  auto first_nl = lines.find('\n');
  std::string newest = lines.substr(0, first_nl);
  std::string recorded = lines.substr(first_nl + 1, lines.find('\n', first_nl + 1) - first_nl - 1);
  CHECK(newest.find("--  -  record:none  sig:unsigned") != std::string::npos);
  CHECK(newest.find("Readme") != std::string::npos);
  CHECK(recorded.find("AI  claude-code/claude-sonnet-4-5  record:ok  sig:unsigned") !=
        std::string::npos);
  CHECK(recorded.find("\"Add a totals helper.\"") != std::string::npos);
  CHECK(count_lines(log.out) == 3); // the initial import too

  auto show = agate_in(p.git, {"show", "HEAD~1", "--no-pager", "--color", "never"});
  INFO(show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("Prompt " + id + " (claude-code, model claude-sonnet-4-5") !=
        std::string::npos);
  CHECK(show.out.find("  > Add a totals helper.\n  > Keep it small.\n") != std::string::npos);
  CHECK(show.out.find("+def totals(rows):") != std::string::npos);
  CHECK(show.out.find("diff --git a/app/report.py b/app/report.py") != std::string::npos);

  auto out = p.tmp / "trace.jsonl";
  auto exported = agate_in(p.git, {"export", "--agent-trace", "HEAD~2..HEAD", "-o", out.string()});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  auto text = read_file(out);
  REQUIRE(count_lines(text) == 1); // only the recorded commit
  auto trace = nlohmann::json::parse(text.substr(0, text.find('\n')));
  CHECK(trace["vcs"]["revision"] == trimmed(p.git.git({"rev-parse", "HEAD~1"})));
  CHECK(trace["files"][0]["path"] == "app/report.py");
  CHECK(trace["files"][0]["conversations"][0]["contributor"]["model_id"] ==
        "anthropic/claude-sonnet-4-5");
  auto validated =
      run({"node", std::string(AGATE_SOURCE_DIR) + "/tests/tools/validate-agent-trace.mjs",
           out.string()});
  INFO(validated.out << validated.err);
  CHECK(validated.exit_code == 0);
}

TEST_CASE("provenance e2e: agate record --from each agent's own files, then commit") {
  const fs::path fixtures = fs::path(AGATE_SOURCE_DIR) / "tests/fixtures/agents";
  struct AgentCase {
    std::string from;
    std::vector<std::string> extra;
    std::optional<std::string> input;
    std::string tool;
    std::string model;
    std::string prompt_start;
  };
  const std::string transcript = (fixtures / "claude-code/session.jsonl").string();
  std::string stop = read_file(fixtures / "claude-code/hook-stop.json");
  stop.replace(stop.find("@TRANSCRIPT@"), 12, transcript);
  const std::vector<AgentCase> cases = {
      {"claude-code",
       {},
       stop,
       "claude-code",
       "claude-opus-4-1-20250805",
       "Now make the dry run print a summary"},
      {"codex",
       {"--source",
        (fixtures / "codex/rollout-2025-10-29T10-02-11-019a2f3c-8d41-7e20-b5a9-3c6d2e1f0a98.jsonl")
            .string()},
       std::nullopt,
       "codex",
       "gpt-5.1-codex",
       "Now add a regression test for carts over $1000."},
      {"aider",
       {"--source", (fixtures / "aider/.aider.chat.history.md").string()},
       std::nullopt,
       "aider",
       "anthropic/claude-sonnet-4-20250514",
       "Add a regression test for carts over $1000."},
      {"text",
       {"--source", (fixtures / "text/prompt.txt").string(), "--tool", "cursor", "--model",
        "gpt-5"},
       std::nullopt,
       "cursor",
       "gpt-5",
       "Refactor the payment retry loop so that it backs off"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.from);
    Project p;
    p.git.write("app/report.py", python_code(60, "report_") + "\nSUMMARY = True\n");
    p.git.git({"add", "-A"});
    std::vector<std::string> args{"record", "--from", c.from};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    RunOptions options;
    options.input = c.input;
    auto recorded = agate_in(p.git, args, options);
    auto id = record_id_from(recorded);
    auto record = nlohmann::json::parse(read_file(p.git / (".agate/prompts/" + id + ".json")));
    CHECK(record["tool"]["name"] == c.tool);
    CHECK(record["model"] == c.model);
    const std::string prompt = record["prompt"];
    CHECK(!prompt.empty());
    CHECK(prompt.starts_with(c.prompt_start));
    CHECK(record["files"] == nlohmann::json::array({"app/report.py"}));

    auto committed = git_with_hooks(p.git, {"commit", "-q", "-m", "Summary flag"});
    REQUIRE(committed.exit_code == 0);
    CHECK(message_of(p.git).find("Agate-Prompt: " + id) != std::string::npos);
    auto report = check_commit(p.git, "HEAD");
    for (const char* rule : {"provenance/missing-record", "provenance/stale-record",
                             "provenance/orphan-record", "provenance/invalid-record"}) {
      CAPTURE(rule);
      CHECK(findings_of(report, rule).empty());
    }
  }
}

TEST_CASE("provenance e2e: the recorded prompt is part of the intent the deletion rules read") {
  for (const bool recorded : {true, false}) {
    CAPTURE(recorded);
    Project p;
    // Delete the first function of the module, in a commit whose message does not say so.
    std::string code = python_code(60, "report_");
    const auto start = code.find("\ndef report_load_invoice_0(");
    REQUIRE(start != std::string::npos);
    const auto end =
        code.find("\ndef ", start + 1) != std::string::npos
            ? std::min(code.find("\ndef ", start + 1), code.find("\nclass ", start + 1))
            : code.size();
    code.erase(start, end - start);
    p.git.write("app/report.py", code);
    p.git.write("app/billing.py", python_code(60, "billing_") + "\nTAX_RATE = 0.2\n");
    p.git.git({"add", "-A"});
    if (recorded) {
      record_id_from(
          agate_in(p.git, {"record", "--prompt",
                           "Add a tax rate constant to billing, and remove "
                           "report_load_invoice_0 from the report module: it is dead."}));
    }
    REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Tax rate"}).exit_code == 0);
    auto report = check_commit(p.git, "HEAD");
    bool reported = false;
    for (const auto& f : findings_of(report, "deletion/unrelated")) {
      reported = reported || f.at("evidence").at("unit") == "report_load_invoice_0";
    }
    CHECK(reported == !recorded);
  }
}

namespace {

// A commit made with the git CLI as `author` (and committer) "Name <email>", with hooks off.
std::string commit_as(GitRepo& git, const std::string& message, const std::string& author,
                      const std::vector<std::string>& extra = {}) {
  auto lt = author.find(" <");
  auto env = git.env();
  env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = author.substr(0, lt);
  env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] =
      author.substr(lt + 2, author.size() - lt - 3);
  std::vector<std::string> argv{"git", "commit", "-q", "--no-verify", "-m", message};
  argv.insert(argv.end(), extra.begin(), extra.end());
  RunOptions options;
  options.cwd = git.dir();
  options.env = env;
  auto result = run(argv, options);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  return git.head();
}

const std::string k_ada = "Ada Tester <ada@example.com>";

} // namespace

TEST_CASE("provenance e2e: sign-off rules on real-shaped agent commits, quiet on human ones") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("app/report.py", python_code(30, "report_"));
  git.write(".agate/config.json", R"({"provenance": {"require_human_signoff": true}})");
  git.commit_all("Initial import");
  int n = 0;
  auto change = [&] {
    git.write("app/report.py",
              python_code(30, "report_") + "\nSTEP = " + std::to_string(++n) + "\n");
    git.add_all();
  };
  auto rules_of = [&](const std::string& rev) {
    auto report = check_commit(git, rev);
    return std::make_pair(findings_of(report, "provenance/missing-signoff").size(),
                          findings_of(report, "provenance/agent-signoff").size());
  };

  // Claude Code's commit without a sign-off: missing.
  change();
  auto claude = commit_as(
      git,
      "Add paging\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
      "Co-Authored-By: Claude <noreply@anthropic.com>",
      k_ada);
  CHECK(rules_of(claude) == std::make_pair(std::size_t{1}, std::size_t{0}));
  // The kernel's shape: Assisted-by for the agent, a person's Signed-off-by (git commit -s).
  change();
  auto kernel =
      commit_as(git, "report: fix paging\n\nAssisted-by: Claude:claude-sonnet-4-5", k_ada, {"-s"});
  CHECK(rules_of(kernel) == std::make_pair(std::size_t{0}, std::size_t{0}));
  // Aider signing off in its own name: both rules (an agent's sign-off vouches for nothing).
  change();
  auto aider = commit_as(git,
                         "feat: Add CSV export\n\n"
                         "Co-authored-by: aider (openai/gpt-4o) <aider@aider.chat>\n"
                         "Signed-off-by: aider (openai/gpt-4o) <aider@aider.chat>",
                         k_ada);
  CHECK(rules_of(aider) == std::make_pair(std::size_t{1}, std::size_t{1}));
  auto aider_report = check_commit(git, aider);
  auto agent = findings_of(aider_report, "provenance/agent-signoff");
  REQUIRE(agent.size() == 1);
  CHECK(agent[0]["message"].get<std::string>().find("aider") != std::string::npos);
  // The Copilot coding agent signing off its own commit.
  change();
  auto copilot = commit_as(git,
                           "Add input validation\n\nCo-authored-by: Ada Tester <ada@example.com>\n"
                           "Signed-off-by: copilot-swe-agent[bot] "
                           "<198982749+Copilot@users.noreply.github.com>",
                           "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>");
  CHECK(rules_of(copilot) == std::make_pair(std::size_t{1}, std::size_t{1}));
  // Human commits: nothing, signed off or not, dependabot's included.
  change();
  auto human = commit_as(git, "Tidy report", k_ada);
  CHECK(rules_of(human) == std::make_pair(std::size_t{0}, std::size_t{0}));
  change();
  auto bump = commit_as(git,
                        "Bump requests from 2.31.0 to 2.32.0\n\n"
                        "Signed-off-by: dependabot[bot] <support@github.com>",
                        "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>");
  CHECK(rules_of(bump) == std::make_pair(std::size_t{0}, std::size_t{0}));
  change();
  auto pair = commit_as(git, "Pair on report\n\nCo-authored-by: Grace Hopper <grace@example.org>",
                        k_ada, {"-s"});
  CHECK(rules_of(pair) == std::make_pair(std::size_t{0}, std::size_t{0}));

  // The default policy does not require a sign-off, but an agent's is still reported.
  git.write(".agate/config.json", "{}");
  git.add_all();
  git.commit("Default policy");
  change();
  auto unsigned_agent =
      commit_as(git, "Add paging\n\nCo-Authored-By: Claude <noreply@anthropic.com>", k_ada);
  CHECK(rules_of(unsigned_agent) == std::make_pair(std::size_t{0}, std::size_t{0}));
  change();
  auto agent_signed =
      commit_as(git, "Add paging\n\nSigned-off-by: Claude <noreply@anthropic.com>", k_ada);
  CHECK(rules_of(agent_signed) == std::make_pair(std::size_t{0}, std::size_t{1}));
}

TEST_CASE("provenance e2e: records found again by diff after a squash merge and a rebase") {
  Project p;
  p.git.git({"checkout", "-q", "-b", "feature"});
  p.git.write("app/report.py", python_code(60, "report_") + "\nPAGE = 50\n");
  p.git.git({"add", "-A"});
  auto first = record_id_from(agate_in(p.git, {"record", "--prompt", "Paginate reports."}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Paginate"}).exit_code == 0);
  p.git.write("app/billing.py", python_code(60, "billing_") + "\nROUNDING = 2\n");
  p.git.git({"add", "-A"});
  auto second = record_id_from(agate_in(p.git, {"record", "--prompt", "Round to cents."}));
  REQUIRE(git_with_hooks(p.git, {"commit", "-q", "-m", "Round"}).exit_code == 0);
  p.git.git({"checkout", "-q", "main"});
  p.git.write("README.md", "# Reports\n");
  p.git.commit_all("Readme");

  // A rebase that rewrites the messages (as a forge's "rebase and merge" with edited messages,
  // or a reword) loses the trailers; each record still matches its commit's whole diff.
  p.git.git({"checkout", "-q", "-b", "rebased", "feature"});
  p.git.git({"rebase", "-q", "main", "--exec",
             "git commit -q --amend --no-verify -m \"$(git log -1 --format=%s) (rebased)\""});
  CHECK(message_of(p.git).find("Agate-Prompt") == std::string::npos);
  for (const auto& [rev, id] : {std::pair{"HEAD~1", first}, std::pair{"HEAD", second}}) {
    auto report = check_commit(p.git, rev);
    CHECK(findings_of(report, "provenance/missing-record").empty());
    CHECK(findings_of(report, "provenance/stale-record").empty());
    auto orphans = findings_of(report, "provenance/orphan-record");
    REQUIRE(orphans.size() == 1);
    CHECK(orphans[0]["evidence"]["matched_by"] == "diff");
    CHECK(orphans[0]["message"].get<std::string>().find("record " + id + " matched by diff") !=
          std::string::npos);
  }
  auto rebased_repair = agate_in(p.git, {"log", "--repair", "main..rebased"});
  INFO(rebased_repair.out << rebased_repair.err);
  REQUIRE(rebased_repair.exit_code == 0);
  CHECK(rebased_repair.out.find("Agate-Prompt: " + first) != std::string::npos);
  CHECK(rebased_repair.out.find("Agate-Prompt: " + second) != std::string::npos);
  CHECK(rebased_repair.out.find("the whole diff") != std::string::npos);

  // A squash merge without the commit-msg hook (as a forge makes it): one commit, both records,
  // no trailer. Each record matches the files its own commit changed.
  p.git.git({"checkout", "-q", "main"});
  p.git.git({"merge", "-q", "--squash", "feature"});
  p.git.git({"commit", "-q", "--no-verify", "-m", "Paginate and round (#12)"});
  CHECK(message_of(p.git).find("Agate-Prompt") == std::string::npos);
  auto squashed = check_commit(p.git, "HEAD");
  CHECK(findings_of(squashed, "provenance/stale-record").empty());
  auto orphans = findings_of(squashed, "provenance/orphan-record");
  REQUIRE(orphans.size() == 2);
  for (const auto& orphan : orphans) {
    CHECK(orphan["evidence"]["matched_by"] == "diff");
    CHECK(orphan["message"].get<std::string>().find("matched by diff (1 of 1 files)") !=
          std::string::npos);
  }
  auto log = agate_in(p.git, {"log", "--findings", "HEAD~1..HEAD"});
  CHECK(log.out.find("record:matched") != std::string::npos);
  // The fast log (no analysis) says so too.
  auto fast_log = agate_in(p.git, {"log", "HEAD~1..HEAD"});
  INFO(fast_log.out << fast_log.err);
  CHECK(fast_log.out.find("record:matched") != std::string::npos);
  auto show = agate_in(p.git, {"show", "HEAD", "--no-pager"});
  CHECK(show.out.find("matched by diff") != std::string::npos);
  auto repair = agate_in(p.git, {"log", "--repair", "HEAD~1..HEAD"});
  INFO(repair.out << repair.err);
  REQUIRE(repair.exit_code == 0);
  CHECK(repair.out.find("Agate-Prompt: " + first) != std::string::npos);
  CHECK(repair.out.find("Agate-Prompt: " + second) != std::string::npos);
  CHECK(repair.out.find("1 commit lost") != std::string::npos);

  // The repaired message links them by trailer again.
  p.git.git({"commit", "-q", "--amend", "--no-edit", "--no-verify", "--trailer",
             "Agate-Prompt: " + first, "--trailer", "Agate-Prompt: " + second});
  CHECK(findings_of(check_commit(p.git, "HEAD"), "provenance/orphan-record").empty());
  CHECK(agate_in(p.git, {"log", "--repair", "HEAD~1..HEAD"}).out.find("Agate-Prompt:") ==
        std::string::npos);

  // Unrelated commits match no record, an agent's included: it still has none.
  p.git.write("README.md", "# Reports\n\nHow to run them.\n");
  p.git.commit_all("Document running");
  p.git.write("app/report.py", python_code(60, "report_") + "\nPAGE = 100\n");
  p.git.git({"add", "-A"});
  p.git.git({"commit", "-q", "--no-verify", "-m",
             "Larger pages\n\nCo-Authored-By: Claude <noreply@anthropic.com>"});
  for (const char* rev : {"HEAD~1", "HEAD"}) {
    auto report = check_commit(p.git, rev);
    CHECK(findings_of(report, "provenance/orphan-record").empty());
  }
  CHECK(findings_of(check_commit(p.git, "HEAD"), "provenance/missing-record").size() == 1);
  auto none = agate_in(p.git, {"log", "--repair", "HEAD~2..HEAD"});
  CHECK(none.out.find("Agate-Prompt:") == std::string::npos);
}

TEST_CASE("provenance e2e: a record committed apart from its code is found from the tree") {
  Project p;
  p.git.write("app/report.py", python_code(60, "report_") + "\nPAGE = 50\n");
  p.git.git({"add", "-A"});
  auto id = record_id_from(agate_in(p.git, {"record", "--prompt", "Paginate reports."}));
  p.git.git({"commit", "-q", "--no-verify", "-m", "Prompt record", "--", ".agate/prompts"});
  p.git.git({"commit", "-q", "--no-verify", "-a", "-m",
             "Paginate\n\nCo-Authored-By: Claude <noreply@anthropic.com>"});
  auto report = check_commit(p.git, "HEAD");
  CHECK(findings_of(report, "provenance/missing-record").empty());
  auto notes = findings_of(report, "provenance/orphan-record");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["severity"] == "note");
  CHECK(notes[0]["message"].get<std::string>().find("record " + id + " matched by diff") !=
        std::string::npos);
  auto repair = agate_in(p.git, {"log", "--repair", "HEAD~2..HEAD"});
  CHECK(repair.out.find("Agate-Prompt: " + id) != std::string::npos);
}

TEST_CASE("provenance e2e: what a record may hold, its size cap, and the public-remote warning") {
  Project p;
  write_file(p.tmp / "session.txt", "user: paginate the reports\nassistant: done, PAGE = 50\n");
  const std::string transcript = (p.tmp / "session.txt").string();
  auto stage_change = [&](int n) {
    p.git.write("app/report.py",
                python_code(60, "report_") + "\nPAGE = " + std::to_string(n) + "\n");
    p.git.git({"add", "-A"});
  };

  // No remote: a transcript is kept without a warning.
  stage_change(1);
  auto kept = agate_in(p.git, {"record", "--prompt", "Paginate.", "--transcript", transcript});
  auto kept_id = record_id_from(kept);
  CHECK(kept.err.empty());
  auto kept_record =
      nlohmann::json::parse(read_file(p.git / (".agate/prompts/" + kept_id + ".json")));
  CHECK(kept_record["transcript"]["excerpt"].get<std::string>().find("PAGE = 50") !=
        std::string::npos);
  p.git.git({"commit", "-q", "--no-verify", "-m", "Paginate"});

  // A remote on a public forge: the transcript is kept, with a warning naming the guess.
  p.git.git({"remote", "add", "origin", "git@github.com:example/reports.git"});
  stage_change(2);
  auto warned =
      agate_in(p.git, {"record", "--prompt", "Paginate more.", "--transcript", transcript});
  record_id_from(warned);
  CHECK(warned.err.find("agate: warning:") == 0);
  CHECK(warned.err.find("github.com") != std::string::npos);
  CHECK(warned.err.find("a guess") != std::string::npos);
  // The prompt alone is no transcript: no warning.
  auto prompt_only = agate_in(p.git, {"record", "--prompt", "Paginate more."});
  record_id_from(prompt_only);
  CHECK(prompt_only.err.empty());
  p.git.git({"commit", "-q", "--no-verify", "-m", "More"});
  // A remote elsewhere: no warning.
  p.git.git({"remote", "set-url", "origin", "https://git.example.com/team/reports.git"});
  stage_change(3);
  auto private_remote =
      agate_in(p.git, {"record", "--prompt", "Paginate again.", "--transcript", transcript});
  record_id_from(private_remote);
  CHECK(private_remote.err.empty());
  p.git.git({"commit", "-q", "--no-verify", "-m", "Again"});

  // The policy keeps prompts only: the transcript is left out, and said so.
  p.git.write(".agate/config.json",
              R"({"provenance": {"record_content": "prompt", "max_record_bytes": 4000}})");
  p.git.commit_all("Prompts only, at most 4000 bytes");
  p.git.git({"remote", "set-url", "origin", "https://github.com/example/reports.git"});
  stage_change(4);
  auto left_out = agate_in(p.git, {"record", "--prompt", "Paginate.", "--transcript", transcript});
  auto left_id = record_id_from(left_out);
  CHECK(left_out.out.find("transcript left out (provenance.record_content: prompt)") !=
        std::string::npos);
  CHECK(left_out.err.empty()); // nothing public to warn about: no transcript
  auto left_record =
      nlohmann::json::parse(read_file(p.git / (".agate/prompts/" + left_id + ".json")));
  CHECK(left_record.dump().find("PAGE = 50") == std::string::npos);
  p.git.git({"commit", "-q", "--no-verify", "-m", "Four"});

  // Over the cap: exit 2 naming the cap and the size, nothing written, the index as it was.
  stage_change(5);
  auto index_before = p.git.git({"diff", "--cached", "--name-only"});
  auto over = agate_in(p.git, {"record", "--prompt", std::string(6000, 'x')});
  check_one_line_error(over);
  CHECK(over.err.find("over the cap of 4000 bytes (provenance.max_record_bytes)") !=
        std::string::npos);
  CHECK(over.err.find("would be 6") != std::string::npos);
  CHECK(p.git.git({"diff", "--cached", "--name-only"}) == index_before);
  CHECK(p.git.git({"status", "--porcelain", "--", ".agate/prompts"}).empty());
}
