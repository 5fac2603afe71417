// End-to-end tests of `agate check --publish`: the real binary, on real repositories, in the
// environment GitHub Actions gives a step (event payloads of the shapes GitHub sends for
// pull_request, pull_request_target and merge_group), talking to a loopback stand-in for GitHub's
// REST API (tests/tools/github-api-server.mjs) that checks every request against GitHub's REST
// description (@octokit/openapi) and answers as GitHub does, 403, 422, 5xx and rate limits
// included. Nothing leaves the machine.
#include "tests/e2e/e2e_support.hpp"

#include <algorithm>
#include <csignal>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_token = "ghs_loopbackTokenThatMustNeverBePrinted42";

bool server_available() {
  return fs::exists(fs::path(AGATE_NODE_MODULES) /
                    "@octokit/openapi/generated/api.github.com.json") &&
         run({"node", "--version"}).exit_code == 0;
}

// The loopback API server, started for one test and stopped (by its process id) at the end.
class ApiServer {
public:
  ApiServer(const TempDir& tmp, const std::string& scenario, const json& diff)
      : m_port_file(tmp / ("port-" + scenario)), m_state(tmp / ("state-" + scenario + ".json")) {
    fs::path diff_file = tmp / ("diff-" + scenario + ".json");
    write_file(diff_file, diff.dump());
    std::vector<std::string> args = {
        "node",           std::string(AGATE_SOURCE_DIR) + "/tests/tools/github-api-server.mjs",
        "--port-file",    m_port_file.string(),
        "--state",        m_state.string(),
        "--token",        k_token,
        "--scenario",     scenario,
        "--diff",         diff_file.string(),
        "--node-modules", AGATE_NODE_MODULES};
    m_pid = fork();
    if (m_pid == 0) {
      std::vector<char*> argv;
      for (auto& arg : args) {
        argv.push_back(arg.data());
      }
      argv.push_back(nullptr);
      execvp("node", argv.data());
      _exit(127);
    }
    for (int i = 0; i < 600 && !fs::exists(m_port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(fs::exists(m_port_file), "the loopback API server did not start");
    m_url = "http://127.0.0.1:" + trimmed(read_file(m_port_file));
  }
  ~ApiServer() {
    if (m_pid > 0) {
      kill(m_pid, SIGTERM);
      waitpid(m_pid, nullptr, 0);
    }
  }
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  const std::string& url() const { return m_url; }
  json state() const { return json::parse(read_file(m_state)); }

private:
  fs::path m_port_file;
  fs::path m_state;
  pid_t m_pid = -1;
  std::string m_url;
};

// A service whose pull request adds a renamed copy of a function (a new-side finding:
// duplication/clone) and deletes an unrelated function (an old-side finding on deleted lines).
const char* const k_auth = R"py("""API tokens."""

from service import utils


class AuthError(Exception):
    pass


def issue_token(secret, user, ttl=3600):
    expiry = utils.now() + ttl
    payload = f"{user}:{expiry}"
    return f"{payload}:{utils.sign(secret, payload)}"


def validate_token(secret, token):
    parts = token.split(":")
    if len(parts) != 3:
        raise AuthError("malformed token")
    user, expiry, signature = parts
    expected = utils.sign(secret, f"{user}:{expiry}")
    if not utils.constant_time_equal(signature, expected):
        raise AuthError("bad signature")
    if int(expiry) < utils.now():
        raise AuthError("token expired")
    return user
)py";

const char* const k_billing = R"py("""Invoices."""

from service import utils


class Invoice:
    def __init__(self, customer):
        self.customer = customer
        self.lines = []
)py";

const char* const k_billing_feature = R"py(

def invoice_total(invoice, discount=0.0):
    """Subtotal less a discount, in whole cents."""
    total = 0.0
    for sku, quantity, unit_price in invoice.lines:
        total += quantity * unit_price * (1.0 - discount)
    return utils.round_cents(total)
)py";

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

struct PullRequest {
  std::string base;
  std::string head;
};

PullRequest make_pull_request(GitRepo& repo) {
  repo.write("service/__init__.py", "");
  repo.write("service/auth.py", k_auth);
  repo.write("service/billing.py", k_billing);
  repo.write("service/config.py", k_config);
  PullRequest pr;
  pr.base = repo.commit_all("Service with tokens and invoices");
  repo.write("service/billing.py", std::string(k_billing) + k_billing_feature);
  repo.write("service/settings.py", k_copy);
  std::string auth = k_auth;
  repo.write("service/auth.py", auth.substr(0, auth.find("\n\ndef validate_token")) + "\n");
  pr.head = repo.commit_all("Add invoice totals with a discount");
  return pr;
}

// The lines `git diff base head` shows, by side and path: where GitHub accepts a review comment.
// RIGHT: the new side's added and context lines; LEFT: the old side's deleted lines.
json diff_lines(GitRepo& repo, const PullRequest& pr) {
  json lines = {{"RIGHT", json::object()}, {"LEFT", json::object()}};
  std::string old_path;
  std::string path;
  int old_line = 0;
  int new_line = 0;
  std::istringstream in(repo.git({"diff", "-U3", pr.base, pr.head}));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("--- ", 0) == 0) {
      old_path = line.rfind("--- a/", 0) == 0 ? line.substr(6) : "";
    } else if (line.rfind("+++ ", 0) == 0) {
      path = line.rfind("+++ b/", 0) == 0 ? line.substr(6) : old_path;
      lines["RIGHT"][path] = json::array();
      lines["LEFT"][path] = json::array();
    } else if (line.rfind("@@", 0) == 0) {
      old_line = std::stoi(line.substr(line.find('-') + 1));
      new_line = std::stoi(line.substr(line.find('+') + 1));
    } else if (!path.empty() && !line.empty() && line[0] == '-') {
      lines["LEFT"][path].push_back(old_line++);
    } else if (!path.empty() && !line.empty() && line[0] == '+') {
      lines["RIGHT"][path].push_back(new_line++);
    } else if (!path.empty() && !line.empty() && line[0] == ' ') {
      lines["RIGHT"][path].push_back(new_line++);
      ++old_line;
    }
  }
  return lines;
}

json repository_json() {
  return {{"full_name", "octo-org/service"}, {"name", "service"}, {"default_branch", "main"}};
}

// pull_request and pull_request_target payloads as GitHub sends them (the fields agate reads and
// their neighbours).
json pull_request_event(const PullRequest& pr, const std::string& head_repo = "octo-org/service") {
  return {{"action", "synchronize"},
          {"number", 42},
          {"pull_request",
           {{"number", 42},
            {"state", "open"},
            {"commits", 1},
            {"head", {{"ref", "feature"}, {"sha", pr.head}, {"repo", {{"full_name", head_repo}}}}},
            {"base",
             {{"ref", "main"}, {"sha", pr.base}, {"repo", {{"full_name", "octo-org/service"}}}}}}},
          {"repository", repository_json()}};
}

json merge_group_event(const PullRequest& pr) {
  return {{"action", "checks_requested"},
          {"merge_group",
           {{"head_sha", pr.head},
            {"head_ref", "refs/heads/gh-readonly-queue/main/pr-42-" + pr.base},
            {"base_sha", pr.base},
            {"base_ref", "refs/heads/main"}}},
          {"repository", repository_json()}};
}

RunOptions actions_env(const TempDir& tmp, const std::string& event_name, const json& event,
                       const std::string& api_url) {
  write_file(tmp / "event.json", event.dump(2));
  RunOptions options;
  options.env = {{"GITHUB_ACTIONS", "true"},
                 {"CI", "true"},
                 {"GITHUB_EVENT_NAME", event_name},
                 {"GITHUB_EVENT_PATH", (tmp / "event.json").string()},
                 {"GITHUB_STEP_SUMMARY", (tmp / "summary.md").string()},
                 {"GITHUB_REPOSITORY", "octo-org/service"},
                 {"GITHUB_SERVER_URL", "https://github.example"},
                 {"GITHUB_API_URL", api_url},
                 {"GITHUB_TOKEN", k_token}};
  return options;
}

void check_no_token(const RunResult& result, const TempDir& tmp) {
  CHECK(result.out.find(k_token) == std::string::npos);
  CHECK(result.err.find(k_token) == std::string::npos);
  if (fs::exists(tmp / "summary.md")) {
    CHECK(read_file(tmp / "summary.md").find(k_token) == std::string::npos);
  }
}

} // namespace

TEST_CASE("publish e2e: a pull request gets one review on the right lines, one check run with "
          "every annotation and one summary comment, updated in place on a re-run") {
  if (!server_available()) {
    MESSAGE("node or @octokit/openapi missing: publishing not tested");
    return;
  }
  for (const std::string event_name : {"pull_request", "pull_request_target"}) {
    CAPTURE(event_name);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    PullRequest pr = make_pull_request(repo);
    json diff = diff_lines(repo, pr);
    ApiServer server(tmp, "ok", diff);
    // GitHub Enterprise Server's API lives under /api/v3: GITHUB_API_URL is honoured.
    auto env = actions_env(tmp, event_name, pull_request_event(pr), server.url() + "/api/v3");

    auto json_run = agate_in(repo, {"check", "--format", "json"}, env);
    auto report = parse_report(json_run);
    auto deleted = findings_of(report, "deletion/unrelated");
    auto clones = findings_of(report, "duplication/clone");
    REQUIRE(deleted.size() == 1);
    REQUIRE(clones.size() == 1);
    REQUIRE(report["findings"].size() == 2);
    CHECK(deleted[0]["side"] == "old");

    auto first = agate_in(repo, {"check", "--publish"}, env);
    INFO("stdout: " << first.out);
    INFO("stderr: " << first.err);
    CHECK(first.exit_code == json_run.exit_code); // the gate's exit code
    check_no_token(first, tmp);
    json state = server.state();
    CHECK(state["violations"] == json::array());

    // One review, event COMMENT, with its comments on lines the diff shows.
    REQUIRE(state["reviews"].size() == 1);
    CHECK(state["reviews"][0]["event"] == "COMMENT");
    CHECK(state["reviews"][0]["commit_id"] == pr.head);
    const json& comments = state["review_comments"];
    REQUIRE(comments.size() == 2);
    bool quoted = false;
    for (const auto& comment : comments) {
      CAPTURE(comment.dump());
      const std::string side = comment["side"];
      const json& shown = diff[side][comment["path"].get<std::string>()];
      CHECK(std::find(shown.begin(), shown.end(), comment["line"]) != shown.end());
      std::string body = comment["body"];
      CHECK(body.find("<!-- agate:finding ") != std::string::npos);
      if (body.find("deletion/unrelated") != std::string::npos) {
        // On the deleted lines themselves, the left side of the diff, the deleted code quoted.
        CHECK(side == "LEFT");
        CHECK(comment["path"] == "service/auth.py");
        CHECK(comment["start_line"] == deleted[0]["line"]);
        CHECK(comment["line"] == deleted[0]["end_line"]);
        CHECK(comment["start_side"] == "LEFT");
        CHECK(body.find("def validate_token(secret, token):") != std::string::npos);
        quoted = true;
      } else {
        CHECK(side == "RIGHT");
        CHECK(comment["path"] == "service/settings.py");
        CHECK(comment["line"] == clones[0]["line"]);
      }
    }
    CHECK(quoted);

    // One check run with every annotation.
    REQUIRE(state["check_runs"].size() == 1);
    const json& check_run = state["check_runs"][0];
    CHECK(check_run["name"] == "agate");
    CHECK(check_run["head_sha"] == pr.head);
    CHECK(check_run["conclusion"] == (json_run.exit_code == 1 ? "failure" : "neutral"));
    CHECK(check_run["annotations"].size() == report["findings"].size());

    // One summary comment with the marker, the verdict, links at the head commit and the command.
    REQUIRE(state["issue_comments"].size() == 1);
    std::string summary = state["issue_comments"][0]["body"];
    CHECK(summary.rfind("<!-- agate:summary -->", 0) == 0);
    CHECK(summary.find("https://github.example/octo-org/service/blob/" + pr.head +
                       "/service/auth.py#L14") != std::string::npos);
    CHECK(summary.find("agate check --range " + pr.base + ".." + pr.head) != std::string::npos);

    // A re-run: nothing posted twice, the summary edited in place.
    auto second = agate_in(repo, {"check", "--publish"}, env);
    CHECK(second.exit_code == json_run.exit_code);
    check_no_token(second, tmp);
    state = server.state();
    CHECK(state["violations"] == json::array());
    CHECK(state["reviews"].size() == 1);
    CHECK(state["review_comments"].size() == 2);
    REQUIRE(state["issue_comments"].size() == 1);
    CHECK(state["issue_comments"][0]["edits"] == 1);
    CHECK(state["check_runs"].size() == 2);
    CHECK(second.err.find("summary comment updated") != std::string::npos);
  }
}

TEST_CASE("publish e2e: a merge group gets a check run only") {
  if (!server_available()) {
    MESSAGE("node or @octokit/openapi missing: publishing not tested");
    return;
  }
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  PullRequest pr = make_pull_request(repo);
  ApiServer server(tmp, "ok", diff_lines(repo, pr));
  auto env = actions_env(tmp, "merge_group", merge_group_event(pr), server.url());
  auto result = agate_in(repo, {"check", "--publish"}, env);
  INFO(result.out << result.err);
  check_no_token(result, tmp);
  json state = server.state();
  CHECK(state["violations"] == json::array());
  REQUIRE(state["check_runs"].size() == 1);
  CHECK(state["check_runs"][0]["head_sha"] == pr.head);
  CHECK(state["check_runs"][0]["annotations"].size() == 2);
  CHECK(state["reviews"].empty());
  CHECK(state["issue_comments"].empty());
}

TEST_CASE("publish e2e: a fork's read-only token degrades to annotations with one notice and "
          "the gate's exit code") {
  if (!server_available()) {
    MESSAGE("node or @octokit/openapi missing: publishing not tested");
    return;
  }
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  PullRequest pr = make_pull_request(repo);
  ApiServer server(tmp, "forbidden", diff_lines(repo, pr));
  auto env =
      actions_env(tmp, "pull_request", pull_request_event(pr, "someone/service"), server.url());
  // A token that fails the gate on warnings, so the exit code is 1 whatever happens to posting.
  auto result = agate_in(repo, {"check", "--publish", "--fail-on", "warning"}, env);
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  check_no_token(result, tmp);
  // The annotations on stdout, and one notice that says why.
  CHECK(result.out.find("::warning file=service/auth.py") != std::string::npos);
  std::size_t notices = 0;
  for (std::size_t at = result.out.find("::notice"); at != std::string::npos;
       at = result.out.find("::notice", at + 1)) {
    ++notices;
  }
  CHECK(notices == 1);
  CHECK(result.out.find("HTTP 403") != std::string::npos);
  CHECK(read_file(tmp / "summary.md").find("deletion/unrelated") != std::string::npos);
  json state = server.state();
  CHECK(state["violations"] == json::array());
  CHECK(state["reviews"].empty());
}

TEST_CASE("publish e2e: 5xx answers and secondary rate limits are tried again") {
  if (!server_available()) {
    MESSAGE("node or @octokit/openapi missing: publishing not tested");
    return;
  }
  for (const std::string scenario : {"flaky", "rate-limit"}) {
    CAPTURE(scenario);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    PullRequest pr = make_pull_request(repo);
    ApiServer server(tmp, scenario, diff_lines(repo, pr));
    auto env = actions_env(tmp, "pull_request", pull_request_event(pr), server.url());
    auto result = agate_in(repo, {"check", "--publish"}, env);
    INFO(result.out << result.err);
    check_no_token(result, tmp);
    json state = server.state();
    CHECK(state["violations"] == json::array());
    // The first call was answered with an error, then made again: everything got posted.
    CHECK(state["requests"][0]["path"] == state["requests"][1]["path"]);
    CHECK(state["reviews"].size() == 1);
    CHECK(state["issue_comments"].size() == 1);
    CHECK(result.out.find("::notice") == std::string::npos);
  }
}

TEST_CASE("publish e2e: a review refused with 422 moves its comments to the summary") {
  if (!server_available()) {
    MESSAGE("node or @octokit/openapi missing: publishing not tested");
    return;
  }
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  PullRequest pr = make_pull_request(repo);
  // A server whose pull request shows no line of the diff: every inline comment is refused.
  ApiServer server(tmp, "ok", json::object());
  auto env = actions_env(tmp, "pull_request", pull_request_event(pr), server.url());
  auto result = agate_in(repo, {"check", "--publish"}, env);
  INFO(result.out << result.err);
  check_no_token(result, tmp);
  json state = server.state();
  CHECK(state["violations"] == json::array());
  CHECK(state["reviews"].empty());
  REQUIRE(state["issue_comments"].size() == 1);
  std::string summary = state["issue_comments"][0]["body"];
  CHECK(summary.find("Not commented on the diff (2)") != std::string::npos);
  CHECK(result.out.find("HTTP 422") != std::string::npos);
}

TEST_CASE("publish e2e: outside a pull request run --publish says so and changes nothing") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_pull_request(repo);
  auto plain = agate_in(repo, {"check", "--commit", "HEAD"});
  auto result = agate_in(repo, {"check", "--commit", "HEAD", "--publish"});
  CHECK(result.exit_code == plain.exit_code);
  CHECK(result.out == plain.out);
  CHECK(result.err.find("agate: notice: --publish: not a pull_request") != std::string::npos);
}

TEST_CASE("publish e2e: SARIF and Code Quality place every finding at a line of the head commit") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  PullRequest pr = make_pull_request(repo);
  // A whole-change finding too: the size gate at a few lines.
  repo.git({"checkout", "-q", "-b", "with-policy", pr.base});
  repo.write(".agate/config.json", R"({"size": {"warn_lines": 5, "error_lines": 1000}})");
  std::string base = repo.commit_all("A policy that flags changes of more than 5 lines");
  repo.git({"checkout", "-q", "-b", "feature", pr.head});
  repo.git({"rebase", "-q", base});
  std::string head = repo.head();
  std::string range = base + ".." + head;

  auto sarif_path = tmp / "agate.sarif";
  auto sarif_run =
      agate_in(repo, {"check", "--range", range, "--format", "sarif", "-o", sarif_path.string()});
  INFO(sarif_run.err);
  CHECK(sarif_run.exit_code != 2);
  auto quality = agate_in(repo, {"check", "--range", range, "--format", "codeclimate"});
  CHECK(quality.exit_code == sarif_run.exit_code);

  // A place exists at the head commit: the file is in its tree and has that line.
  auto exists_at_head = [&](const std::string& path, int line) {
    auto shown = run({"git", "-C", repo.dir().string(), "show", head + ":" + path});
    if (shown.exit_code != 0) {
      return false;
    }
    return line <= std::count(shown.out.begin(), shown.out.end(), '\n');
  };
  json sarif = json::parse(read_file(sarif_path));
  const json& results = sarif["runs"][0]["results"];
  std::set<std::string> rules;
  for (const auto& result : results) {
    CAPTURE(result.dump());
    rules.insert(result["ruleId"].get<std::string>());
    const json& physical = result["locations"][0]["physicalLocation"];
    REQUIRE(physical.contains("region"));
    CHECK(exists_at_head(physical["artifactLocation"]["uri"].get<std::string>(),
                         physical["region"]["startLine"].get<int>()));
    CHECK(result["partialFingerprints"]["agateFindingHash/v1"].is_string());
    if (result["ruleId"] == "deletion/unrelated") {
      CHECK(result["properties"]["oldRegion"]["startLine"] == 16);
      CHECK(result["message"]["text"].get<std::string>().find(
                "    def validate_token(secret, token):") != std::string::npos);
    }
  }
  CHECK(rules.count("deletion/unrelated") == 1);
  CHECK(rules.count("duplication/clone") == 1);
  CHECK(rules.count("size/oversized-change") == 1);
  json issues = json::parse(quality.out);
  REQUIRE(issues.size() == results.size());
  for (std::size_t i = 0; i < issues.size(); ++i) {
    CAPTURE(issues[i].dump());
    CHECK(exists_at_head(issues[i]["location"]["path"].get<std::string>(),
                         issues[i]["location"]["lines"]["begin"].get<int>()));
    // One fingerprint for both formats.
    CHECK(issues[i]["fingerprint"] == results[i]["partialFingerprints"]["agateFindingHash/v1"]);
  }
  if (server_available()) {
    auto verdict = run({"node", std::string(AGATE_SOURCE_DIR) + "/tests/tools/validate-sarif.mjs",
                        "--github", sarif_path.string(), "--node-modules", AGATE_NODE_MODULES});
    CHECK_MESSAGE(verdict.exit_code == 0, verdict.out << verdict.err);
  }
}

TEST_CASE("publish e2e: a change that only deletes files places its whole-change findings at a "
          "file of the head commit") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("README.md", "# Service\n");
  std::string rows;
  for (int i = 0; i < 40; ++i) {
    rows += "ROW_" + std::to_string(i) + " = " + std::to_string(i * 7) + "\n";
  }
  repo.write("service/rows.py", rows);
  std::string base = repo.commit_all("Rows");
  repo.git({"rm", "-q", "service/rows.py"});
  // An agent's commit without a prompt record: a finding about the whole change.
  repo.commit("Drop the rows table\n\nCo-authored-by: Claude <noreply@anthropic.com>");
  std::string head = repo.head();

  auto sarif_path = tmp / "agate.sarif";
  auto run_sarif = agate_in(repo, {"check", "--range", base + ".." + head, "--format", "sarif",
                                   "-o", sarif_path.string()});
  INFO(run_sarif.err);
  REQUIRE(run_sarif.exit_code != 2);
  json sarif = json::parse(read_file(sarif_path));
  bool whole_change = false;
  for (const auto& result : sarif["runs"][0]["results"]) {
    CAPTURE(result.dump());
    const auto uri =
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>();
    if (result["locations"][0].contains("logicalLocations")) {
      whole_change = true;
      // No policy file in this repository: the first file of the head tree.
      CHECK(uri == "README.md");
    }
    CHECK(run({"git", "-C", repo.dir().string(), "cat-file", "-e", head + ":" + uri}).exit_code ==
          0);
  }
  CHECK(whole_change);
}
