// End-to-end tests of `agate check` as a GitHub Actions step: with GITHUB_ACTIONS=true, the event
// payload named by GITHUB_EVENT_PATH chooses what is checked (a pull request's base..head, a
// push's before..after, a new branch from the default branch), annotations go to stdout, and a
// markdown summary is appended to GITHUB_STEP_SUMMARY. A shallow clone that lacks the base is
// an error that says how to fetch more history. Real repositories and clones, the real binary.
#include "tests/e2e/e2e_support.hpp"

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_zero_id(40, '0');

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  write_size_policy(repo);
  repo.commit_all("initial");
}

// The environment GitHub gives a step, with the event written to a file.
struct Actions {
  fs::path event_path;
  fs::path summary_path;

  Actions(const TempDir& tmp, const std::string& event_name, const json& event)
      : event_path(tmp / "event.json"), summary_path(tmp / "step-summary.md") {
    write_file(event_path, event.dump(2));
    write_file(summary_path, "## an earlier step\n\n");
    m_name = event_name;
  }

  RunOptions options() const {
    RunOptions options;
    options.env = {{"GITHUB_ACTIONS", "true"},
                   {"CI", "true"},
                   {"GITHUB_EVENT_NAME", m_name},
                   {"GITHUB_EVENT_PATH", event_path.string()},
                   {"GITHUB_STEP_SUMMARY", summary_path.string()}};
    return options;
  }

private:
  std::string m_name;
};

json pull_request_event(const std::string& base, const std::string& head, int commits) {
  return {{"action", "synchronize"},
          {"number", 7},
          {"pull_request",
           {{"number", 7},
            {"commits", commits},
            {"base", {{"ref", "main"}, {"sha", base}}},
            {"head", {{"ref", "feature"}, {"sha", head}}}}}};
}

std::vector<std::string> commit_ids(const json& report) {
  std::vector<std::string> ids;
  for (const auto& commit : report.at("source").at("commits")) {
    ids.push_back(commit.at("id").get<std::string>());
  }
  return ids;
}

std::vector<std::string> lines_starting_with(const std::string& text, const std::string& prefix) {
  std::vector<std::string> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) {
      found.push_back(line);
    }
  }
  return found;
}

} // namespace

TEST_CASE("github actions: a pull_request event checks base..head, annotates and summarizes") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("service/records.py", python_code(450));
  auto first = repo.commit_all("records");
  repo.write("web/src/records.js", javascript_code(30));
  auto head = repo.commit_all("records view");
  // The checkout is elsewhere (GitHub checks out a merge commit): the event decides.
  repo.git({"checkout", "-q", "main"});

  Actions actions(tmp, "pull_request", pull_request_event(base, head, 2));
  auto result = agate_in(repo, {"check"}, actions.options());
  CHECK(result.exit_code == 0); // warnings only
  INFO("stdout: " << result.out);
  INFO("stderr: " << result.err);
  auto warnings = lines_starting_with(result.out, "::warning");
  CHECK(warnings.size() == 2); // the first commit, and the pull request as a whole
  CHECK(lines_starting_with(result.out, "::error").empty());
  for (const auto& line : warnings) {
    CHECK(line.find("size/oversized-change") != std::string::npos);
  }
  // No raw newline inside an annotation: every line is a command or agate's own summary line.
  for (const auto& line : lines_starting_with(result.out, "")) {
    CHECK((line.rfind("::", 0) == 0 || line.rfind("agate:", 0) == 0));
  }

  auto summary = read_file(actions.summary_path);
  CHECK(summary.rfind("## an earlier step\n\n", 0) == 0); // appended, not replaced
  CHECK(summary.find("agate") != std::string::npos);
  CHECK(summary.find("size/oversized-change") != std::string::npos);
  CHECK(summary.find("pull request") != std::string::npos);

  // The same selection, as JSON.
  auto json_run = agate_in(repo, {"check", "--format", "json"}, actions.options());
  CHECK(json_run.exit_code == 0);
  auto report = parse_report(json_run);
  CHECK(report["source"]["kind"] == "range");
  CHECK(commit_ids(report) == std::vector<std::string>{first, head});
  CHECK(report["source"]["description"].get<std::string>().find("#7") != std::string::npos);

  // An explicit selection wins over the event.
  auto staged = agate_in(repo, {"check", "--staged", "--format", "json"}, actions.options());
  CHECK(staged.exit_code == 0);
  CHECK(parse_report(staged)["source"]["kind"] == "staged");
}

TEST_CASE("github actions: an oversized pull request fails the step with an error annotation") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();
  repo.write("service/records.py", python_code(600));
  repo.write("service/billing/billing.go", go_code(600));
  auto head = repo.commit_all("the records service");

  Actions actions(tmp, "pull_request", pull_request_event(base, head, 1));
  auto result = agate_in(repo, {"check"}, actions.options());
  CHECK(result.exit_code == 1);
  auto errors = lines_starting_with(result.out, "::error");
  REQUIRE(errors.size() == 1); // a range of one commit is that commit, reported once
  CHECK(errors[0].find("title=size/oversized-change") != std::string::npos);
  CHECK(read_file(actions.summary_path).find("FAILED") != std::string::npos);

  // -o writes the annotations to the file; the summary is still appended.
  auto out = tmp / "annotations.txt";
  auto to_file = agate_in(repo, {"check", "-o", out.string()}, actions.options());
  CHECK(to_file.exit_code == 1);
  CHECK(to_file.out.empty());
  CHECK(lines_starting_with(read_file(out), "::error").size() == 1);
}

TEST_CASE("github actions: a push event checks before..after") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto before = repo.head();
  repo.write("service/records.py", python_code(550));
  auto first = repo.commit_all("records");
  repo.write("service/more.py", python_code(550, "more_"));
  auto after = repo.commit_all("more records");

  json event = {{"ref", "refs/heads/main"},
                {"before", before},
                {"after", after},
                {"forced", false},
                {"commits", json::array({{{"id", first}}, {{"id", after}}})},
                {"repository", {{"default_branch", "main"}}}};
  Actions actions(tmp, "push", event);
  auto result = agate_in(repo, {"check", "--format", "json"}, actions.options());
  CHECK(result.exit_code == 1); // each commit is a warning, the push as a whole an error
  auto report = parse_report(result);
  CHECK(report["source"]["kind"] == "range");
  CHECK(commit_ids(report) == std::vector<std::string>{first, after});
  CHECK(report["source"]["policy_revision"] == before);
  CHECK(findings_of(report, "size/oversized-change").size() == 3);

  // A push that deleted the branch has nothing to check.
  Actions deleted(tmp, "push",
                  {{"ref", "refs/heads/old"}, {"before", after}, {"after", k_zero_id}});
  auto nothing = agate_in(repo, {"check", "--format", "json"}, deleted.options());
  CHECK(nothing.exit_code == 0);
  auto nothing_report = parse_report(nothing);
  CHECK(nothing_report["findings"].empty());
  CHECK(nothing_report["source"]["kind"] == "none");
}

TEST_CASE("github actions: a push that creates a branch checks it from the default branch") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  make_initial_commit(origin);
  origin.write("app/util.py", "def util():\n    return 1\n");
  origin.commit_all("util");
  origin.git({"clone", "-q", origin.dir().string(), (tmp / "clone").string()});
  GitRepo clone(tmp / "clone", /*init=*/false);
  clone.git({"checkout", "-q", "-b", "feature"});
  clone.write("service/records.py", python_code(450));
  auto first = clone.commit_all("records");
  clone.write("service/more.py", python_code(30, "more_"));
  auto after = clone.commit_all("more records");

  SUBCASE("from origin/<default_branch>") {
    Actions actions(tmp, "push",
                    {{"ref", "refs/heads/feature"},
                     {"before", k_zero_id},
                     {"after", after},
                     {"created", true},
                     {"commits", json::array({{{"id", first}}, {{"id", after}}})},
                     {"repository", {{"default_branch", "main"}}}});
    auto result = agate_in(clone, {"check", "--format", "json"}, actions.options());
    CHECK(result.exit_code == 0);
    auto report = parse_report(result);
    CHECK(commit_ids(report) == std::vector<std::string>{first, after});
    CHECK(report["findings"].size() == 2); // the first commit, and the branch as a whole
  }
  SUBCASE("from the parent of the first pushed commit, without a default branch") {
    Actions actions(tmp, "push",
                    {{"ref", "refs/heads/feature"},
                     {"before", k_zero_id},
                     {"after", after},
                     {"commits", json::array({{{"id", after}}})}});
    auto result = agate_in(clone, {"check", "--format", "json"}, actions.options());
    CHECK(result.exit_code == 0);
    auto report = parse_report(result);
    CHECK(commit_ids(report) == std::vector<std::string>{after});
    CHECK(report["findings"].empty());
  }
  SUBCASE("the pushed commit alone, when nothing else is known") {
    Actions actions(tmp, "push",
                    {{"ref", "refs/heads/feature"}, {"before", k_zero_id}, {"after", first}});
    auto result = agate_in(clone, {"check", "--format", "json"}, actions.options());
    CHECK(result.exit_code == 0);
    auto report = parse_report(result);
    CHECK(report["source"]["kind"] == "commit");
    CHECK(commit_ids(report) == std::vector<std::string>{first});
    CHECK(findings_of(report, "size/oversized-change").size() == 1);
  }
}

TEST_CASE("github actions: a shallow clone that lacks the base says to fetch more history") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  make_initial_commit(origin);
  auto base = origin.head();
  origin.write("service/records.py", python_code(40));
  origin.commit_all("records");
  origin.write("service/more.py", python_code(40, "more_"));
  auto head = origin.commit_all("more records");
  origin.git({"clone", "-q", "--depth", "1", "file://" + origin.dir().string(),
              (tmp / "shallow").string()});
  GitRepo shallow(tmp / "shallow", /*init=*/false);
  REQUIRE(fs::exists(shallow.dir() / ".git/shallow"));

  Actions actions(tmp, "pull_request", pull_request_event(base, head, 2));
  auto result = agate_in(shallow, {"check"}, actions.options());
  check_one_line_error(result);
  CHECK(result.err.find("fetch-depth") != std::string::npos);
  CHECK(result.err.find("--deepen=3") != std::string::npos); // the pull request's 2 commits + 1

  // The same for an explicit range, and for a commit whose parent is missing.
  for (auto args : {std::vector<std::string>{"check", "--range", base + ".." + head},
                    std::vector<std::string>{"check", "--range", "HEAD~2..HEAD"},
                    std::vector<std::string>{"check", "--commit", "HEAD"}}) {
    CAPTURE(args.back());
    auto explicit_run = agate_in(shallow, args);
    check_one_line_error(explicit_run);
    CHECK(explicit_run.err.find("fetch-depth") != std::string::npos);
  }

  // Deepened enough, the same event is checked.
  shallow.git({"fetch", "-q", "--deepen=3"});
  auto deepened = agate_in(shallow, {"check"}, actions.options());
  CHECK_MESSAGE(deepened.exit_code == 0, deepened.err);
}

TEST_CASE("github actions: other events check the HEAD commit, bad event files are errors") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("service/records.py", python_code(450));
  auto head = repo.commit_all("records");

  Actions dispatch(tmp, "workflow_dispatch", {{"inputs", json::object()}});
  auto result = agate_in(repo, {"check", "--format", "json"}, dispatch.options());
  CHECK(result.exit_code == 0);
  auto report = parse_report(result);
  CHECK(report["source"]["kind"] == "commit");
  CHECK(commit_ids(report) == std::vector<std::string>{head});

  Actions missing(tmp, "pull_request", json::object());
  fs::remove(missing.event_path);
  auto no_file = agate_in(repo, {"check"}, missing.options());
  check_one_line_error(no_file);
  CHECK(no_file.err.find("event.json") != std::string::npos);

  write_file(missing.event_path, "{not json");
  auto not_json = agate_in(repo, {"check"}, missing.options());
  check_one_line_error(not_json);
  CHECK(not_json.err.find("event.json") != std::string::npos);

  write_file(missing.event_path, "{\"pull_request\": {\"base\": {}}}");
  auto incomplete = agate_in(repo, {"check"}, missing.options());
  check_one_line_error(incomplete);
  CHECK(incomplete.err.find("pull_request.base.sha") != std::string::npos);
}

TEST_CASE("github actions: annotations stay within GitHub's limits, the most severe first") {
  // GitHub shows at most 10 annotations of each level per step and drops the rest silently.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_size_policy(repo, R"({"size": {"warn_lines": 5, "error_lines": 50}})");
  auto base = repo.commit_all("a strict policy");
  for (int i = 0; i < 12; ++i) {
    repo.write("service/part_" + std::to_string(i) + ".py",
               python_code(8, "part" + std::to_string(i) + "_"));
    repo.commit_all("part " + std::to_string(i));
  }
  Actions actions(tmp, "pull_request", pull_request_event(base, repo.head(), 12));
  auto result = agate_in(repo, {"check"}, actions.options());
  CHECK(result.exit_code == 1);
  auto lines = lines_starting_with(result.out, "::");
  REQUIRE(lines.size() == 12); // 1 error, 10 warnings, 1 notice about the 2 left out
  CHECK(lines[0].rfind("::error ", 0) == 0);
  CHECK(lines_starting_with(result.out, "::warning ").size() == 10);
  CHECK(lines.back().rfind("::notice ", 0) == 0);
  CHECK(lines.back().find("2 of 13") != std::string::npos);
  // The summary holds them all.
  auto summary = read_file(actions.summary_path);
  CHECK(summary.find("12 warnings") != std::string::npos);
}
