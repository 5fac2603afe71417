// End-to-end tests of what `agate check` writes, with the real binary on real repositories: the
// stable JSON shape of docs/output-formats.md, SARIF 2.1.0 that the schema validator accepts (with
// file URIs percent-encoded), GitHub workflow commands, markdown, text with and without color, and
// `-o FILE`, which writes the whole report to the file and nothing to stdout.
#include "tests/e2e/e2e_support.hpp"

#include <map>
#include <set>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  write_size_policy(repo);
  repo.commit_all("initial");
}

// A commit with two findings: an oversized change (error) whose suppression in the message has
// no reason (warning: suppression/missing-reason).
std::string make_failing_commit(GitRepo& repo) {
  repo.write("service/records.py", python_code(600));
  repo.write("service/billing/billing.go", go_code(600));
  return repo.commit_all("Add the records service\n\nagate: ignore[size/oversized-change]\n");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool sarif_validator_available() {
  return fs::exists(fs::path(AGATE_SOURCE_DIR) / "tests/tools/validate-sarif.mjs") &&
         run({"node", "--version"}).exit_code == 0;
}

// The schema validator's verdict on one file ("--github" adds code scanning's upload rules).
RunResult validate_sarif(const fs::path& file) {
  return run({"node", std::string(AGATE_SOURCE_DIR) + "/tests/tools/validate-sarif.mjs", "--github",
              file.string(), "--node-modules", AGATE_NODE_MODULES});
}

} // namespace

TEST_CASE("reporting: --format json has the stable shape") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);

  auto result = agate_in(repo, {"check", "--commit", commit, "--format", "json"});
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
  auto report = parse_report(result);
  CHECK(report["version"] == 1);

  const auto& source = report["source"];
  REQUIRE(source.is_object());
  CHECK(source["kind"] == "commit");
  CHECK(source["description"].is_string());
  CHECK(source["head"] == commit);
  REQUIRE(source["commits"].is_array());
  REQUIRE(source["commits"].size() == 1);
  CHECK(source["commits"][0]["id"] == commit);
  CHECK(source["commits"][0]["summary"] == "Add the records service");

  REQUIRE(report["findings"].is_array());
  REQUIRE(report["findings"].size() == 2);
  std::set<std::string> rules;
  for (const auto& finding : report["findings"]) {
    CAPTURE(finding.dump());
    for (const char* key : {"rule", "severity", "file", "side", "message"}) {
      CHECK(finding[key].is_string());
    }
    CHECK(finding["line"].is_number_integer());
    CHECK(finding["end_line"].is_number_integer());
    CHECK(finding["evidence"].is_object());
    CHECK(std::set<std::string>{"error", "warning", "note"}.count(finding["severity"]) == 1);
    CHECK(std::set<std::string>{"new", "old"}.count(finding["side"]) == 1);
    CHECK(finding["end_line"].get<int>() >= finding["line"].get<int>());
    CHECK(!finding["message"].get<std::string>().empty());
    rules.insert(finding["rule"].get<std::string>());
  }
  CHECK(rules == std::set<std::string>{"size/oversized-change", "suppression/missing-reason"});

  const auto& summary = report["summary"];
  CHECK(summary["error"] == 1);
  CHECK(summary["warning"] == 1);
  CHECK(summary["note"] == 0);
  CHECK(summary["total"] == 2);
  CHECK(summary["failed"] == true);
  CHECK(summary["fail_on"] == "error");
  CHECK(summary["suppressed"] == 0);
  CHECK(summary["files_checked"] == 2);
  CHECK(summary["changes_checked"] == 1);

  // Nothing to report is still the full shape.
  auto clean = agate_in(repo, {"check", "--format", "json"});
  CHECK(clean.exit_code == 0);
  auto empty = parse_report(clean);
  CHECK(empty["version"] == 1);
  CHECK(empty["findings"] == json::array());
  CHECK(empty["summary"]["total"] == 0);
  CHECK(empty["summary"]["failed"] == false);
}

TEST_CASE("reporting: --format sarif is valid SARIF 2.1.0 with encoded file URIs") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);

  auto path = tmp / "agate.sarif";
  auto result =
      agate_in(repo, {"check", "--commit", commit, "--format", "sarif", "-o", path.string()});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  auto sarif = json::parse(read_file(path), nullptr, false);
  REQUIRE_FALSE(sarif.is_discarded());
  CHECK(sarif["version"] == "2.1.0");
  REQUIRE(sarif["runs"].size() == 1);
  const auto& run0 = sarif["runs"][0];
  CHECK(run0["tool"]["driver"]["name"] == "agate");
  REQUIRE(run0["results"].size() == 2);
  std::map<std::string, std::string> levels;
  for (const auto& item : run0["results"]) {
    CAPTURE(item.dump());
    CHECK(item["message"]["text"].is_string());
    CHECK(!item["message"]["text"].get<std::string>().empty());
    levels[item["ruleId"].get<std::string>()] = item["level"].get<std::string>();
    // Code scanning rejects an upload with a result that has no physical location.
    REQUIRE(item["locations"].is_array());
    CHECK(item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
  }
  CHECK(levels == std::map<std::string, std::string>{{"size/oversized-change", "error"},
                                                     {"suppression/missing-reason", "warning"}});

  // Files too large to parse are named in notifications: their URIs are percent-encoded.
  const std::string spaced = "src/dir \xc3\xbc/my file #1.py";
  write_size_policy(repo, R"({"limits": {"max_file_bytes": 200}})");
  repo.write(spaced, python_code(40));
  repo.write("bad\xffname.py", python_code(40, "bad_"));
  repo.add_all();
  auto notes_path = tmp / "notes.sarif";
  auto notes = agate_in(repo, {"check", "--format", "sarif", "-o", notes_path.string()});
  CHECK(notes.exit_code == 0);
  auto notes_sarif = json::parse(read_file(notes_path), nullptr, false);
  REQUIRE_FALSE(notes_sarif.is_discarded());
  std::set<std::string> uris;
  for (const auto& invocation : notes_sarif["runs"][0]["invocations"]) {
    for (const auto& notification : invocation.value("toolExecutionNotifications", json::array())) {
      for (const auto& location : notification.value("locations", json::array())) {
        uris.insert(location["physicalLocation"]["artifactLocation"]["uri"].get<std::string>());
      }
    }
  }
  CHECK(uris.count("src/dir%20%C3%BC/my%20file%20%231.py") == 1);
  CHECK(uris.count("bad%FFname.py") == 1);

  if (!sarif_validator_available()) {
    MESSAGE("node or tests/tools/validate-sarif.mjs missing: schema validation skipped");
    return;
  }
  for (const auto& file : {path, notes_path}) {
    auto verdict = validate_sarif(file);
    CHECK_MESSAGE(verdict.exit_code == 0, verdict.out << verdict.err);
  }
}

TEST_CASE("reporting: --format github emits one workflow command per finding") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);

  auto result = agate_in(repo, {"check", "--commit", commit, "--format", "github"});
  CHECK(result.exit_code == 1);
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  for (const auto& line : lines_of(result.out)) {
    if (line.rfind("::error ", 0) == 0) {
      errors.push_back(line);
    } else if (line.rfind("::warning ", 0) == 0) {
      warnings.push_back(line);
    }
  }
  REQUIRE(errors.size() == 1);
  REQUIRE(warnings.size() == 1);
  CHECK(errors[0].find("title=size/oversized-change::") != std::string::npos);
  CHECK(warnings[0].find("title=suppression/missing-reason::") != std::string::npos);
  // The error comes first: GitHub drops annotations past its limits.
  CHECK(result.out.find("::error ") < result.out.find("::warning "));
}

TEST_CASE("reporting: --format markdown and text describe the same findings") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);

  auto markdown = agate_in(repo, {"check", "--commit", commit, "--format", "markdown"});
  CHECK(markdown.exit_code == 1);
  CHECK(markdown.out.rfind("#", 0) == 0); // a heading first
  CHECK(markdown.out.find("size/oversized-change") != std::string::npos);
  CHECK(markdown.out.find("suppression/missing-reason") != std::string::npos);

  auto text = agate_in(repo, {"check", "--commit", commit});
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("size/oversized-change") != std::string::npos);
  CHECK(text.out.find("suppression/missing-reason") != std::string::npos);
  CHECK(text.out.find("1 error, 1 warning") != std::string::npos);
  CHECK(text.out.find("FAILED") != std::string::npos);
}

TEST_CASE("reporting: text is colored only when asked") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);
  const std::string escape = "\x1b[";

  // stdout is a pipe here: auto means no color.
  auto plain = agate_in(repo, {"check", "--commit", commit});
  CHECK(plain.out.find(escape) == std::string::npos);
  auto always = agate_in(repo, {"check", "--commit", commit, "--color", "always"});
  CHECK(always.exit_code == 1);
  CHECK(always.out.find(escape) != std::string::npos);
  auto never = agate_in(repo, {"check", "--commit", commit, "--color=never"});
  CHECK(never.out == plain.out);
  // A file or another format never gets escape codes.
  auto out = tmp / "report.txt";
  CHECK(agate_in(repo, {"check", "--commit", commit, "--color", "always", "-o", out.string()})
            .exit_code == 1);
  CHECK(read_file(out).find(escape) == std::string::npos);
  auto json_run =
      agate_in(repo, {"check", "--commit", commit, "--color", "always", "--format", "json"});
  CHECK(json_run.out.find(escape) == std::string::npos);
}

TEST_CASE("reporting: -o FILE writes the whole report there and nothing to stdout") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);
  auto out = tmp / "reports/agate.json";
  fs::create_directories(out.parent_path());
  write_file(out, std::string(100000, 'x')); // an older, longer report is replaced whole

  auto to_stdout = agate_in(repo, {"check", "--commit", commit, "--format", "json"});
  auto result =
      agate_in(repo, {"check", "--commit", commit, "--format", "json", "--output", out.string()});
  CHECK(result.exit_code == 1); // the exit code does not depend on where the report goes
  CHECK(result.out.empty());
  CHECK(result.err.empty());
  CHECK(read_file(out) == to_stdout.out);
  // A relative FILE is relative to -C DIR, as if agate was started there (like `git -C`).
  fs::remove(out);
  RunOptions elsewhere;
  elsewhere.env = repo.env();
  auto relative = agate::test::agate(tmp.path(),
                                     {"-C", "repo", "check", "--commit", commit, "--format", "json",
                                      "-o", "../reports/agate.json"},
                                     elsewhere);
  CHECK(relative.exit_code == 1);
  REQUIRE(fs::exists(out));
  CHECK(read_file(out) == to_stdout.out);
  // Only the report is left in the directory: no temporary file.
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(out.parent_path())) {
    CAPTURE(entry.path().string());
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("reporting: -o to a device such as /dev/stdout writes through it") {
  // `-o /dev/stdout` is common in CI scripts. Replacing the path by a renamed file, as the atomic
  // write does for regular files, would send nothing to stdout and, as root, replace /dev/stdout
  // itself. A link of our own to the same device stands in for it, so a regression cannot harm
  // the machine's /dev.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto commit = make_failing_commit(repo);
  auto link = tmp / "stdout";
  fs::create_symlink("/proc/self/fd/1", link);

  auto expected = agate_in(repo, {"check", "--commit", commit, "--format", "json"});
  auto result =
      agate_in(repo, {"check", "--commit", commit, "--format", "json", "-o", link.string()});
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
  CHECK(result.out == expected.out);
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == "/proc/self/fd/1");

  // A FIFO (what `-o >(gzip > report.gz)` hands over) is read by its reader, not replaced.
  auto fifo = tmp / "fifo";
  REQUIRE(run({"mkfifo", fifo.string()}).exit_code == 0);
  auto copy = tmp / "copy.json";
  std::string script = "cat '" + fifo.string() + "' > '" + copy.string() + "' & '" +
                       agate_binary() + "' check --commit " + commit + " --format json -o '" +
                       fifo.string() + "'; status=$?; wait; exit $status";
  RunOptions options;
  options.cwd = repo.dir();
  options.env = repo.env();
  options.timeout_seconds = 20;
  auto piped = run({"sh", "-c", script}, options);
  CHECK_MESSAGE(piped.exit_code == 1, piped.err);
  CHECK(read_file(copy) == expected.out);
  CHECK(fs::is_fifo(fifo));
}
