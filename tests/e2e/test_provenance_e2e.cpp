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
