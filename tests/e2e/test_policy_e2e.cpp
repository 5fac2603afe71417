// End-to-end tests of the policy (.agate/config.json) and of suppressions, with the real binary
// on real repositories: `agate init`; thresholds, `fail_on`, `rules` and `ignore` changing what
// `agate check` reports; the policy of a commit or a range read from its BASE revision, so a
// change cannot weaken its own gate; invalid policies failing with one line that names the
// key; and `agate: ignore[...]` in a commit message, with and without a reason.
#include "tests/e2e/e2e_support.hpp"

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  repo.commit_all("initial");
}

void write_policy(GitRepo& repo, const std::string& text) {
  repo.write(".agate/config.json", text);
}

// About 1200 changed lines in two languages: an error under the default policy.
void write_oversized_change(GitRepo& repo, const std::string& prefix = "") {
  repo.write("service/" + prefix + "records.py", python_code(600, prefix));
  repo.write("service/billing/" + prefix + "billing.go", go_code(600));
}

std::string rev_parse(GitRepo& repo, const std::string& rev) {
  auto out = repo.git({"rev-parse", rev});
  return out.substr(0, out.find('\n'));
}

json check_json(GitRepo& repo, std::vector<std::string> args, int expected_exit) {
  args.insert(args.begin(), "check");
  args.insert(args.end(), {"--format", "json"});
  auto result = agate_in(repo, args);
  INFO("stderr: " << result.err);
  CHECK(result.exit_code == expected_exit);
  return parse_report(result);
}

} // namespace

TEST_CASE("policy e2e: `agate init` writes the default policy and refuses to overwrite it") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto config = repo.dir() / ".agate/config.json";

  // From a subdirectory, it still writes at the top of the work tree.
  auto init = agate_in(repo, {"-C", "app", "init"});
  CHECK(init.exit_code == 0);
  CHECK(init.err.empty());
  REQUIRE(fs::exists(config));
  CHECK_FALSE(fs::exists(repo.dir() / "app/.agate"));
  auto written = read_file(config);
  CHECK(written.find("//") != std::string::npos); // commented
  CHECK(written.find("\"warn_lines\": 400") != std::string::npos);
  CHECK(written.find("\"error_lines\": 1000") != std::string::npos);

  // agate reads what it wrote: the defaults, comments and all.
  repo.write("service/records.py", python_code(450));
  repo.add_all();
  auto report = check_json(repo, {}, 0);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "warning");

  // A second init keeps the user's policy.
  write_policy(repo, "{\"size\": {\"warn_lines\": 10}}\n");
  auto again = agate_in(repo, {"init"});
  check_one_line_error(again);
  CHECK(again.err.find("--force") != std::string::npos);
  CHECK(read_file(config) == "{\"size\": {\"warn_lines\": 10}}\n");

  auto forced = agate_in(repo, {"init", "--force"});
  CHECK(forced.exit_code == 0);
  CHECK(read_file(config) == written);
}

TEST_CASE("policy e2e: size.warn_lines 50 makes a 60-line change warn") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_policy(repo, R"({
  // a small team that reviews small changes
  "size": {"warn_lines": 50, "error_lines": 500}
})");
  repo.write("service/records.py", python_code(60));
  repo.git({"add", "service/records.py"});

  auto report = check_json(repo, {}, 0);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "warning");
  CHECK(oversized[0]["evidence"]["limits"]["warn_lines"] == 50);
  CHECK(agate_in(repo, {"check", "--fail-on", "warning"}).exit_code == 1);

  // fail_on in the policy does what --fail-on does, and the command line still wins.
  write_policy(repo, R"({"fail_on": "warning", "size": {"warn_lines": 50}})");
  CHECK(agate_in(repo, {"check"}).exit_code == 1);
  CHECK(agate_in(repo, {"check", "--fail-on", "error"}).exit_code == 0);
  write_policy(repo, R"({"fail_on": "never", "size": {"warn_lines": 50, "error_lines": 55}})");
  CHECK(agate_in(repo, {"check"}).exit_code == 0);
  CHECK(agate_in(repo, {"check", "--fail-on", "error"}).exit_code == 1);

  // Under the default size limits the same change is fine.
  write_size_policy(repo);
  CHECK(check_json(repo, {}, 0)["findings"].empty());
}

TEST_CASE("policy e2e: a commit or range is judged by the policy of its base, not its own") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();

  // The change raises the limit it is judged by: it does not count.
  write_policy(repo, R"({"size": {"error_lines": 100000}})");
  write_oversized_change(repo);
  auto raising = repo.commit_all("raise the limit and add everything");

  auto commit = check_json(repo, {"--commit", raising}, 1);
  CHECK(commit["source"]["policy_revision"] == base);
  auto oversized = findings_of(commit, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "error");
  CHECK(oversized[0]["evidence"]["limits"]["error_lines"] == 1000);

  auto range = check_json(repo, {"--range", base + "..HEAD"}, 1);
  CHECK(range["source"]["policy_revision"] == base);
  CHECK(findings_of(range, "size/oversized-change").size() == 1);

  // Once the raised limit is in the base, the next change is judged by it.
  write_oversized_change(repo, "more_");
  auto next = repo.commit_all("more of everything");
  auto later = check_json(repo, {"--commit", next}, 0);
  CHECK(later["source"]["policy_revision"] == raising);
  auto later_findings = findings_of(later, "size/oversized-change");
  REQUIRE(later_findings.size() == 1);
  CHECK(later_findings[0]["severity"] == "warning");
  CHECK(check_json(repo, {"--range", raising + ".." + next}, 0)["source"]["policy_revision"] ==
        raising);

  // A change that breaks the policy file is still judged by its base's valid policy.
  write_policy(repo, "{\"size\": {\"warn_lines\": \"ten\"}}\n");
  repo.write("app/main.py", "def main():\n    return 1\n");
  auto breaking = repo.commit_all("break the policy");
  CHECK(check_json(repo, {"--commit", breaking}, 0)["findings"].empty());
  // ...and the commit after it, whose base holds the broken policy, is a configuration error.
  repo.write("app/main.py", "def main():\n    return 2\n");
  repo.commit_all("after the break");
  auto broken = agate_in(repo, {"check", "--commit", "HEAD"});
  check_one_line_error(broken);
  CHECK(broken.err.find("size.warn_lines") != std::string::npos);
  CHECK(broken.err.find(breaking.substr(0, 12)) != std::string::npos);

  // The staged change is checked against the work tree's policy: the user's own.
  write_policy(repo, R"({"size": {"error_lines": 100000}})");
  write_oversized_change(repo, "staged_");
  repo.add_all();
  CHECK(agate_in(repo, {"check"}).exit_code == 0);
}

TEST_CASE("policy e2e: the policy of a range comes from its base, the target's tip, however HEAD "
          "is named") {
  // main moves on after the branch left it; the branch is judged by the policy main holds now
  // (not the merge base's, which the author chooses by forking), whether its head is given as a
  // commit id or as a branch name.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_policy(repo, R"({"size": {"warn_lines": 50}})");
  auto fork_point = repo.commit_all("strict policy");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("service/records.py", python_code(60));
  auto feature = repo.commit_all("records");
  repo.git({"checkout", "-q", "main"});
  write_policy(repo, R"({"size": {"warn_lines": 400}})");
  auto main_tip = repo.commit_all("relaxed policy");

  for (const auto& head : {feature, std::string("feature")}) {
    CAPTURE(head);
    auto report = check_json(repo, {"--range", main_tip + ".." + head}, 0);
    CHECK(report["source"]["policy_revision"] == main_tip);
    CHECK(findings_of(report, "size/oversized-change").empty());
    // Named from the fork point, the range gets the fork point's stricter policy.
    auto from_fork = check_json(repo, {"--range", fork_point + ".." + head}, 0);
    CHECK(findings_of(from_fork, "size/oversized-change").size() == 1);
  }
  CHECK(rev_parse(repo, "main") == main_tip);
}

TEST_CASE("policy e2e: an invalid policy fails with one line naming the key") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.add_all();
  struct Case {
    std::string text;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {R"({"size": {"warn_lines": "50"}})", "size.warn_lines"},
      {R"({"size": {"warn_lines": -5}})", "size.warn_lines"},
      {R"({"size": {"warn_lines": 500, "error_lines": 100}})", "size.error_lines"},
      {R"({"fail_on": "sometimes"})", "fail_on"},
      {R"({"ignore": "vendor/"})", "ignore"},
      {R"({"ignore": ["vendor/", 3]})", "ignore"},
      {R"({"rules": {"size/oversized-change": {"enabled": "no"}}})",
       "rules.size/oversized-change.enabled"},
      {R"({"rules": {"size/oversized-change": {"severity": "fatal"}}})", "severity"},
      {R"({"rules": {"size/huge-change": {"enabled": false}}})", "size/huge-change"},
      {R"({"sise": {"warn_lines": 50}})", "sise"},
      {R"({"size": {"warn_line": 50}})", "size.warn_line"},
      {R"({"limits": {"max_file_bytes": 10, "max_files": 3}})", "limits.max_files"},
      {R"({"size": {"warn_lines": 50,}})", "line 1"},
      {"{\"size\": {\n  \"warn_lines\": 50\n", "invalid JSON"},
      {R"(["size"])", "object"},
      {"", "config.json"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    write_policy(repo, c.text);
    auto result = agate_in(repo, {"check"});
    check_one_line_error(result);
    CHECK(result.err.find(".agate/config.json") != std::string::npos);
    CHECK(result.err.find(c.mentions) != std::string::npos);
  }
}

TEST_CASE("policy e2e: comments are allowed in the policy") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_policy(repo, R"(// our policy
{
  /* reviews here are small */
  "size": {
    "warn_lines": 50, // lines
    "error_lines": 500 /* and an error past this */
  },
  "url": "https://example.org/not/a//comment"
})");
  repo.write("service/records.py", python_code(60));
  repo.add_all();
  // "url" is not a key of the policy: the comment-looking text inside the string was kept.
  auto unknown = agate_in(repo, {"check"});
  check_one_line_error(unknown);
  CHECK(unknown.err.find("\"url\"") != std::string::npos);

  write_policy(repo, R"(// our policy
{
  /* reviews here are small */
  "size": {
    "warn_lines": 50, // lines
    "error_lines": 500 /* and an error past this */
  },
  "ignore": ["docs//*.md"] // a string with two slashes
})");
  auto report = check_json(repo, {}, 0);
  CHECK(findings_of(report, "size/oversized-change").size() == 1);
}

TEST_CASE("policy e2e: rules override a rule's severity or turn it off") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_size_policy(repo);
  write_oversized_change(repo);
  repo.add_all();
  REQUIRE(findings_of(check_json(repo, {}, 1), "size/oversized-change").size() == 1);

  write_size_policy(repo, R"({"rules": {"size/oversized-change": {"severity": "warning"}}})");
  auto warning = check_json(repo, {}, 0);
  auto found = findings_of(warning, "size/oversized-change");
  REQUIRE(found.size() == 1);
  CHECK(found[0]["severity"] == "warning");
  CHECK(agate_in(repo, {"check", "--fail-on", "warning"}).exit_code == 1);

  write_size_policy(repo, R"({"rules": {"size/oversized-change": {"severity": "note"}}})");
  auto note = check_json(repo, {"--fail-on", "warning"}, 0);
  REQUIRE(findings_of(note, "size/oversized-change").size() == 1);
  CHECK(findings_of(note, "size/oversized-change")[0]["severity"] == "note");
  CHECK(note["summary"]["note"] == 1);

  write_size_policy(repo, R"({"rules": {"size/oversized-change": {"enabled": false}}})");
  auto off = check_json(repo, {"--fail-on", "warning"}, 0);
  CHECK(findings_of(off, "size/oversized-change").empty());

  // Turning another rule off changes nothing here.
  write_size_policy(repo, R"({"rules": {"size/scattered-change": {"enabled": false}}})");
  CHECK(findings_of(check_json(repo, {}, 1), "size/oversized-change").size() == 1);
}

TEST_CASE("policy e2e: ignore globs take files out of the size count") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("tools/fixtures/records.py", python_code(700, "fixture_"));
  repo.write("web/dist/app.min.js", javascript_code(700));
  repo.write("web/src/records.js", javascript_code(30));
  write_size_policy(repo);
  repo.add_all();
  CHECK(findings_of(check_json(repo, {}, 1), "size/oversized-change").size() == 1);

  write_size_policy(repo, R"({"ignore": ["tools/fixtures/", "*.min.js"]})");
  auto ignored = check_json(repo, {}, 0);
  CHECK(ignored["findings"].empty());
  CHECK(ignored["notes"].dump().find("ignored by the policy") != std::string::npos);

  // A later `!pattern` takes a file back.
  write_size_policy(repo, R"({"ignore": ["tools/fixtures/", "*.min.js", "!web/dist/app.min.js"]})");
  auto back = check_json(repo, {}, 0);
  auto found = findings_of(back, "size/oversized-change");
  REQUIRE(found.size() == 1);
  CHECK(found[0]["severity"] == "warning");

  // Anchored patterns match from the root only.
  write_size_policy(repo, R"({"ignore": ["/fixtures/", "*.min.js"]})");
  CHECK(findings_of(check_json(repo, {}, 0), "size/oversized-change").size() == 1);
}

TEST_CASE("policy e2e: a commit message with a reason suppresses a whole-change finding") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_oversized_change(repo);
  auto suppressed = repo.commit_all("Add the records service\n\n"
                                    "agate: ignore[size/oversized-change] generated from the "
                                    "schema in one step, reviewed as a whole in #12\n");

  auto report = check_json(repo, {"--commit", suppressed}, 0);
  CHECK(findings_of(report, "size/oversized-change").empty());
  CHECK(report["summary"]["suppressed"] == 1);
  auto text = agate_in(repo, {"check", "--commit", suppressed});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("1 suppressed") != std::string::npos);

  // A comment in the code does not suppress a finding about the whole change.
  repo.write("service/more.py", "# agate: ignore[size/oversized-change] generated from the "
                                "schema\n" +
                                    python_code(1100, "more_"));
  auto in_code = repo.commit_all("More records");
  CHECK(findings_of(check_json(repo, {"--commit", in_code}, 1), "size/oversized-change").size() ==
        1);

  // A staged change has no message yet: nothing suppresses its whole-change finding.
  write_oversized_change(repo, "staged_");
  repo.add_all();
  CHECK(check_json(repo, {}, 1)["summary"]["suppressed"] == 0);
}

TEST_CASE("policy e2e: a suppression without a reason is reported and does not suppress") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_oversized_change(repo);
  auto commit =
      repo.commit_all("Add the records service\n\nagate: ignore[size/oversized-change]\n");

  auto report = check_json(repo, {"--commit", commit}, 1);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "error");
  auto missing = findings_of(report, "suppression/missing-reason");
  REQUIRE(missing.size() == 1);
  CHECK(missing[0]["severity"] == "warning");
  CHECK(missing[0]["message"].get<std::string>().find("size/oversized-change") !=
        std::string::npos);
  CHECK(report["summary"]["suppressed"] == 0);

  // The policy governs it like any rule.
  write_policy(repo, R"({"rules": {"suppression/missing-reason": {"severity": "error"}}})");
  repo.commit_all("policy: a suppression needs a reason");
  repo.write("service/extra.py", python_code(1100, "extra_"));
  auto next = repo.commit_all("Extra records\n\nagate: ignore[size/oversized-change] ok\n");
  auto strict = check_json(repo, {"--commit", next}, 1);
  auto strict_missing = findings_of(strict, "suppression/missing-reason");
  REQUIRE(strict_missing.size() == 1);
  CHECK(strict_missing[0]["severity"] == "error");
}

TEST_CASE("policy e2e: a commit message suppresses only its own commit's findings in a range") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();
  write_oversized_change(repo);
  auto big = repo.commit_all("Add the records service");
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.commit_all("Return 1\n\n"
                  "agate: ignore[size/oversized-change] the records service was reviewed apart\n");

  // The big commit's own finding stands; only the range as a whole, which holds the message,
  // is suppressed.
  auto report = check_json(repo, {"--range", base + "..HEAD"}, 1);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["change"] == big.substr(0, 7));
  CHECK(report["summary"]["suppressed"] == 1);
}
