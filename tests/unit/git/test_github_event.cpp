// GitHub Actions event payloads (written to a TempDir as GitHub writes GITHUB_EVENT_PATH) turned
// into the Selection agate checks: pull requests, pushes (normal, new branch, deleted branch,
// forced), merge groups, other events, and broken event files.
#include "gate/git/github_event.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <map>

namespace {

using namespace agate::gate;
using agate::test::TempDir;

const std::string k_zero = "0000000000000000000000000000000000000000";
const std::string k_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const std::string k_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const std::string k_c = "cccccccccccccccccccccccccccccccccccccccc";

struct Env {
  std::map<std::string, std::string> values;
  GetEnv getenv() const {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = values.find(name);
      if (it == values.end()) {
        return std::nullopt;
      }
      return it->second;
    };
  }
};

Env actions_env(const TempDir& tmp, const std::string& event_name, const std::string& json) {
  agate::test::write_file(tmp / "event.json", json);
  return Env{{{"GITHUB_ACTIONS", "true"},
              {"GITHUB_EVENT_NAME", event_name},
              {"GITHUB_EVENT_PATH", (tmp / "event.json").string()}}};
}

Selection selection_ok(const Env& env, const Resolvable& resolvable = nullptr) {
  auto result = selection_from_github(env.getenv(), resolvable);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  REQUIRE(result->has_value());
  return **result;
}

} // namespace

TEST_CASE("github event: a pull request checks base.sha..head.sha, not the merge commit") {
  TempDir tmp;
  for (const std::string name : {"pull_request", "pull_request_target"}) {
    auto env = actions_env(tmp, name,
                           R"({"number": 12, "pull_request": {"number": 12, "commits": 3,
                               "base": {"sha": ")" +
                               k_a + R"(", "ref": "main"},
                               "head": {"sha": ")" +
                               k_b + R"(", "ref": "feature"}},
                               "after": ")" +
                               k_c + R"("})");
    Selection selection = selection_ok(env);
    CHECK(selection.mode == SelectionMode::range);
    CHECK(selection.base == k_a);
    CHECK(selection.head == k_b);
    CHECK(selection.description_hint == "pull request #12");
    CHECK(selection.expected_commits == std::optional<std::size_t>(3));
  }
}

TEST_CASE("github event: a push checks before..after - a deleted branch has nothing to check") {
  TempDir tmp;
  auto env = actions_env(tmp, "push",
                         R"({"ref": "refs/heads/main", "before": ")" + k_a + R"(", "after": ")" +
                             k_b + R"(", "commits": [{"id": ")" + k_b + R"("}],
                             "repository": {"default_branch": "main"}})");
  Selection selection = selection_ok(env);
  CHECK(selection.mode == SelectionMode::range);
  CHECK(selection.base == k_a);
  CHECK(selection.head == k_b);
  CHECK(selection.description_hint == "push to main");
  CHECK(selection.expected_commits == std::optional<std::size_t>(1));

  auto deleted = actions_env(tmp, "push",
                             R"({"ref": "refs/heads/old", "before": ")" + k_a + R"(", "after": ")" +
                                 k_zero + R"(", "commits": []})");
  Selection none = selection_ok(deleted);
  CHECK(none.mode == SelectionMode::none);
  CHECK(none.description_hint.find("deleted") != std::string::npos);
}

TEST_CASE(
    "github event: a new branch is checked from the default branch, the pushed commits, or after") {
  TempDir tmp;
  auto env = actions_env(tmp, "push",
                         R"({"ref": "refs/heads/topic", "before": ")" + k_zero +
                             R"(", "after": ")" + k_c + R"(",
                             "commits": [{"id": ")" +
                             k_b + R"("}, {"id": ")" + k_c + R"("}],
                             "repository": {"default_branch": "trunk"}})");
  // The default branch resolves: range from it.
  Selection from_default = selection_ok(env, [](const std::string&) { return true; });
  CHECK(from_default.mode == SelectionMode::range);
  CHECK(from_default.base == "origin/trunk");
  CHECK(from_default.head == k_c);

  // It does not: from the parent of the first pushed commit.
  Selection from_commits =
      selection_ok(env, [](const std::string& rev) { return rev != "origin/trunk"; });
  CHECK(from_commits.mode == SelectionMode::range);
  CHECK(from_commits.base == k_b + "^");
  CHECK(from_commits.expected_commits == std::optional<std::size_t>(2));

  // Neither: the single commit `after`.
  Selection single = selection_ok(env, [](const std::string&) { return false; });
  CHECK(single.mode == SelectionMode::commit);
  CHECK(single.rev == k_c);

  // A forced push whose old tip is gone is checked like a new branch.
  auto forced = actions_env(tmp, "push",
                            R"({"ref": "refs/heads/topic", "forced": true, "before": ")" + k_a +
                                R"(", "after": ")" + k_c + R"(", "commits": [],
                                "repository": {"default_branch": "main"}})");
  Selection after_force = selection_ok(forced, [&](const std::string& rev) { return rev != k_a; });
  CHECK(after_force.base == "origin/main");
}

TEST_CASE("github event: other events and runs outside GitHub Actions select nothing") {
  TempDir tmp;
  auto other = actions_env(tmp, "workflow_dispatch", "{}");
  auto result = selection_from_github(other.getenv());
  REQUIRE(result.ok());
  CHECK_FALSE(result->has_value());

  Env local{{{"GITHUB_EVENT_NAME", "push"}}};
  auto outside = selection_from_github(local.getenv());
  REQUIRE(outside.ok());
  CHECK_FALSE(outside->has_value());

  auto group = actions_env(tmp, "merge_group",
                           R"({"merge_group": {"base_sha": ")" + k_a + R"(", "head_sha": ")" + k_b +
                               R"("}})");
  Selection merge_group = selection_ok(group);
  CHECK(merge_group.base == k_a);
  CHECK(merge_group.head == k_b);
}

TEST_CASE("github event: an unreadable or invalid event file fails naming the file") {
  TempDir tmp;
  auto broken = actions_env(tmp, "pull_request", "{ not json");
  auto result = selection_from_github(broken.getenv());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().find((tmp / "event.json").string()) != std::string::npos);
  CHECK(result.error().find("not valid JSON") != std::string::npos);

  auto missing_fields = actions_env(tmp, "pull_request", R"({"pull_request": {"base": {}}})");
  auto incomplete = selection_from_github(missing_fields.getenv());
  REQUIRE_FALSE(incomplete.ok());
  CHECK(incomplete.error().find("pull_request.base.sha") != std::string::npos);

  Env missing{{{"GITHUB_ACTIONS", "true"},
               {"GITHUB_EVENT_NAME", "push"},
               {"GITHUB_EVENT_PATH", (tmp / "absent.json").string()}}};
  auto unreadable = selection_from_github(missing.getenv());
  REQUIRE_FALSE(unreadable.ok());
  CHECK(unreadable.error().find((tmp / "absent.json").string()) != std::string::npos);

  auto wrong_type = actions_env(tmp, "push", R"({"before": 1, "after": 2})");
  auto typed = selection_from_github(wrong_type.getenv());
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.error().find((tmp / "event.json").string()) != std::string::npos);
}

TEST_CASE("github event: a new branch pushed from a clone loads only the branch's own commits") {
  TempDir tmp;
  agate::test::GitRepo origin(tmp / "origin");
  origin.write("a.py", "a = 1\n");
  origin.commit_all("base");
  agate::test::run({"git", "clone", "-q", (tmp / "origin").string(), (tmp / "clone").string()});
  agate::test::GitRepo clone(tmp / "clone", false);
  clone.git({"checkout", "-q", "-b", "topic"});
  clone.write("b.py", "b = 1\n");
  std::string first = clone.commit_all("topic 1");
  clone.write("b.py", "b = 2\n");
  std::string second = clone.commit_all("topic 2");

  auto env = actions_env(
      tmp, "push",
      R"({"ref": "refs/heads/topic", "before": ")" + k_zero + R"(", "after": ")" + second + R"(",
                             "commits": [{"id": ")" +
          first + R"("}, {"id": ")" + second + R"("}], "repository": {"default_branch": "main"}})");
  auto repo = Repository::open(tmp / "clone");
  REQUIRE(repo.ok());
  Selection selection =
      selection_ok(env, [&](const std::string& rev) { return repo->resolve(rev).ok(); });
  CHECK(selection.base == "origin/main");
  auto set = load_changes(*repo, selection, LoadOptions{});
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error()));
  REQUIRE(set->changes.size() == 3);
  CHECK(set->changes[0].head_rev == first);
  CHECK(set->changes[1].head_rev == second);
  CHECK(set->changes[2].files.size() == 1);
  CHECK(set->description.rfind("push to topic (range ", 0) == 0);
}

TEST_CASE("github event: what --publish posts on: the pull request, a fork, a merge group") {
  TempDir tmp;
  for (const std::string name : {"pull_request", "pull_request_target"}) {
    auto env = actions_env(tmp, name,
                           R"({"number": 12, "pull_request": {"number": 12,
                               "base": {"sha": ")" +
                               k_a + R"(", "repo": {"full_name": "octo/app"}},
                               "head": {"sha": ")" +
                               k_b + R"(", "repo": {"full_name": "someone/app"}}}})");
    auto event = publishable_event(env.getenv());
    REQUIRE_MESSAGE(event.ok(), (event.ok() ? "" : event.error()));
    REQUIRE(event->has_value());
    CHECK((*event)->name == name);
    CHECK((*event)->pull_number == 12);
    CHECK((*event)->head_sha == k_b);
    CHECK((*event)->base_sha == k_a);
    CHECK((*event)->from_fork);
  }
  auto group = actions_env(tmp, "merge_group",
                           R"({"merge_group": {"head_sha": ")" + k_c + R"(", "base_sha": ")" + k_a +
                               R"(", "head_ref": "refs/heads/gh-readonly-queue/main/pr-1"}})");
  auto event = publishable_event(group.getenv());
  REQUIRE(event.ok());
  REQUIRE(event->has_value());
  CHECK((*event)->pull_number == 0);
  CHECK((*event)->head_sha == k_c);
  CHECK_FALSE((*event)->from_fork);

  // A push has nothing to publish on; outside Actions neither; a pull request without a number
  // is a broken event file.
  auto push =
      actions_env(tmp, "push", R"({"before": ")" + k_a + R"(", "after": ")" + k_b + R"("})");
  REQUIRE(publishable_event(push.getenv()).ok());
  CHECK_FALSE(publishable_event(push.getenv())->has_value());
  CHECK_FALSE(publishable_event(Env{}.getenv())->has_value());
  auto numberless =
      actions_env(tmp, "pull_request", R"({"pull_request": {"head": {"sha": ")" + k_b + R"("}}})");
  auto broken = publishable_event(numberless.getenv());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().find("has no pull_request.number") != std::string::npos);
}
