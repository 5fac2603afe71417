// Which commits count as AI-assisted: the signature policy's "ai-assisted" and the provenance
// rules depend on it, so a human commit must never be taken for an agent's and the common agent
// markers must all be seen.
#include "gate/git/commit_parser.hpp"
#include "gate/provenance/ai_assisted.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

using namespace agate::gate;

namespace {

CommitInfo commit_with(std::vector<Trailer> trailers, Person author = {"Ada", "ada@example.org"}) {
  CommitInfo commit;
  commit.author = author;
  commit.committer = author;
  commit.trailers = std::move(trailers);
  return commit;
}

} // namespace

TEST_CASE("ai-assisted: agent trailers and identities are recognised") {
  CHECK(is_ai_assisted(commit_with({{"Agate-Prompt", "20261125-0542-fix-login"}})));
  CHECK(is_ai_assisted(commit_with({{"Co-Authored-By", "Claude <noreply@anthropic.com>"}})));
  CHECK(is_ai_assisted(
      commit_with({{"Co-authored-by", "Copilot <198982749+Copilot@users.noreply.github.com>"}})));
  CHECK(is_ai_assisted(commit_with({{"Co-authored-by", "Cursor Agent <cursoragent@cursor.com>"}})));
  CHECK(is_ai_assisted(commit_with({{"Assisted-by", "an LLM"}})));
  CHECK(is_ai_assisted(commit_with({{"AI-assisted", "yes"}})));
  CHECK(is_ai_assisted(commit_with({}, {"Ada Lovelace (aider)", "ada@example.org"})));
  CHECK(is_ai_assisted(
      commit_with({}, {"devin-ai-integration[bot]",
                       "158243242+devin-ai-integration[bot]@users.noreply.github.com"})));
  auto prefixed = commit_with({});
  prefixed.message = "aider: Fixed the off-by-one in pagination\n";
  CHECK(ai_assisted_evidence(prefixed) == "message prefix `aider:`");
  // The policy's own agents.
  auto own = commit_with({}, {"Build Bot", "agent@ci.example.com"});
  CHECK_FALSE(is_ai_assisted(own));
  CHECK(is_ai_assisted(own, {"agent@ci.example.com"}));
  CHECK(is_ai_assisted(own, {"build bot"}));
  auto evidence =
      ai_assisted_evidence(commit_with({{"Co-Authored-By", "Claude <noreply@anthropic.com>"}}));
  REQUIRE(evidence);
  CHECK(*evidence == "trailer `Co-Authored-By: Claude <noreply@anthropic.com>`");
}

TEST_CASE("ai-assisted: human commits are not taken for an agent's") {
  CHECK_FALSE(is_ai_assisted(commit_with({})));
  CHECK_FALSE(
      is_ai_assisted(commit_with({{"Co-authored-by", "Grace Hopper <grace@example.org>"}})));
  CHECK_FALSE(is_ai_assisted(commit_with({{"Signed-off-by", "Ada <ada@example.org>"}})));
  CHECK_FALSE(is_ai_assisted(commit_with({{"AI-assisted", "no"}})));
  CHECK_FALSE(is_ai_assisted(
      commit_with({}, {"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"})));
  // An agent's name as part of a longer human name is not an agent.
  CHECK_FALSE(is_ai_assisted(
      commit_with({{"Co-authored-by", "Claude Shannon <claude@bell-labs.example>"}})));
}

// Real commits, made with the git CLI in the shapes each agent writes them, read back through
// the commit parser: the detection must see what the agents actually put in a commit.
namespace {

using agate::test::GitRepo;
using agate::test::TempDir;

struct Made {
  Made(std::string author_ = "Ada Tester <ada@example.com>", std::string committer_ = "")
      : author(std::move(author_)), committer(std::move(committer_)) {}
  std::string author;
  std::string committer; // empty: the author's
};

CommitInfo real_commit(GitRepo& repo, const std::string& message, const Made& made = {}) {
  static int counter = 0;
  ++counter;
  repo.write("file" + std::to_string(counter) + ".txt", "change " + std::to_string(counter));
  repo.add_all();
  auto env = repo.env();
  auto committer = made.committer.empty() ? made.author : made.committer;
  auto [author_name, author_email] = split_identity(made.author);
  auto [committer_name, committer_email] = split_identity(committer);
  env["GIT_AUTHOR_NAME"] = author_name;
  env["GIT_AUTHOR_EMAIL"] = author_email;
  env["GIT_COMMITTER_NAME"] = committer_name;
  env["GIT_COMMITTER_EMAIL"] = committer_email;
  agate::test::RunOptions options;
  options.cwd = repo.dir();
  options.env = env;
  auto result = agate::test::run({"git", "commit", "-q", "--no-verify", "-m", message}, options);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
  auto id = repo.head();
  return commit_info(id, repo.git({"cat-file", "commit", id}));
}

} // namespace

TEST_CASE("ai-assisted: each agent's marker, from a real commit") {
  TempDir dir;
  GitRepo repo(dir.path());
  struct Case {
    std::string agent;
    std::string message;
    Made made;
    std::string tool;
    std::string model;
  };
  const std::vector<Case> cases = {
      {"Claude Code (trailer and footer)",
       "Add ping endpoint\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\n"
       "Co-Authored-By: Claude <noreply@anthropic.com>\n",
       {},
       "claude-code",
       ""},
      {"Claude Code naming the model",
       "Fix retry\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n",
       {},
       "claude-code",
       "Opus 4.6"},
      {"Claude Code footer alone",
       "Fix retry\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n",
       {},
       "claude-code",
       ""},
      {"Aider co-author trailer (aider.chat)",
       "feat: Add pagination to list view\n\n"
       "Co-authored-by: aider (openai/gpt-4o) <aider@aider.chat>\n",
       {},
       "aider",
       "openai/gpt-4o"},
      {"Aider co-author trailer (noreply@aider.dev)",
       "fix: Handle empty page\n\nCo-authored-by: aider (anthropic/claude-sonnet-4-5) "
       "<noreply@aider.dev>\n",
       {},
       "aider",
       "anthropic/claude-sonnet-4-5"},
      {"Aider author suffix",
       "fix: Off-by-one in pagination\n",
       {"Ada Tester (aider) <ada@example.com>", "Ada Tester (aider) <ada@example.com>"},
       "aider",
       ""},
      {"Aider message prefix (before 0.50)",
       "aider: Fixed the off-by-one in pagination\n",
       {},
       "aider",
       ""},
      {"Codex",
       "Use the shared client\n\nCo-authored-by: Codex <noreply@openai.com>\n",
       {},
       "codex",
       ""},
      {"Codex naming the model",
       "Use the shared client\n\nCo-authored-by: Codex o4-mini <noreply@openai.com>\n",
       {},
       "codex",
       "o4-mini"},
      {"Codex cloud bot",
       "Add health check\n",
       {"chatgpt-codex-connector[bot] "
        "<199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>"},
       "codex",
       ""},
      {"Copilot coding agent",
       "Add input validation\n\nCo-authored-by: ada <1234+ada@users.noreply.github.com>\n",
       {"copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        "GitHub <noreply@github.com>"},
       "copilot",
       ""},
      {"Copilot co-author (editor)",
       "Refactor parser\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n",
       {},
       "copilot",
       ""},
      {"Cursor agent",
       "Add cache\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
       {},
       "cursor",
       ""},
      {"Cursor background agent",
       "Add cache\n",
       {"Cursor Agent <cursoragent@cursor.com>"},
       "cursor",
       ""},
      {"Devin",
       "Add retry to uploader\n\nCo-Authored-By: ada@example.com <ada@example.com>\n",
       {"devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>"},
       "devin",
       ""},
      {"Jules",
       "Fix flaky test\n",
       {"google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>"},
       "jules",
       ""},
      {"Gemini CLI", "Add docs\n\nCo-authored-by: Gemini <gemini@google.com>\n", {}, "gemini", ""},
      {"Gemini Code Assist bot",
       "Apply suggestion\n",
       {"gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>"},
       "gemini",
       ""},
      {"OpenHands",
       "Fix the login redirect\n\nCo-authored-by: openhands <openhands@all-hands.dev>\n",
       {},
       "openhands",
       ""},
      {"Assisted-by, kernel form",
       "mm: fix leak\n\nAssisted-by: Claude:claude-3-opus coccinelle\n"
       "Signed-off-by: Ada Tester <ada@example.com>\n",
       {},
       "claude",
       "claude-3-opus"},
      {"assisted-by in lower case",
       "Fix\n\nassisted-by: Cursor Agent <cursoragent@cursor.com>\n",
       {},
       "cursor",
       ""},
      {"GENERATED-BY in upper case", "Fix\n\nGENERATED-BY: chatgpt\n", {}, "chatgpt", ""},
      {"co-authored-by in lower case",
       "Fix\n\nco-authored-by: claude <noreply@anthropic.com>\n",
       {},
       "claude-code",
       ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.agent);
    auto commit = real_commit(repo, c.message, c.made);
    auto marker = ai_assisted_marker(commit);
    REQUIRE(marker);
    CHECK(marker->tool == c.tool);
    CHECK(marker->model == c.model);
  }
}

TEST_CASE("ai-assisted: human and automation commits are not AI-assisted, from real commits") {
  TempDir dir;
  GitRepo repo(dir.path());
  const std::vector<std::pair<std::string, Made>> cases = {
      {"Plain commit\n", {}},
      {"Pair work\n\nCo-authored-by: Grace Hopper <grace@example.org>\n", {}},
      {"Pair work\n\nco-authored-by: Claude Shannon <claude@bell-labs.example>\n", {}},
      {"Pair work\n\nCo-authored-by: Jules Verne <jules@example.org>\n", {}},
      {"Pair work\n\nCo-authored-by: Devin Booker <devin@example.org>\n", {}},
      {"Fix\n\nSigned-off-by: Ada Tester <ada@example.com>\nAI-assisted: no\n", {}},
      {"Bump requests from 2.31.0 to 2.32.0\n\nSigned-off-by: dependabot[bot] "
       "<support@github.com>\n",
       {"dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        "GitHub <noreply@github.com>"}},
      {"chore(deps): update dependency pytest to v8\n",
       {"renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>"}},
      {"Merge pull request #12 from ada/fix\n",
       {"Ada Tester <ada@example.com>", "GitHub <noreply@github.com>"}},
  };
  for (const auto& [message, made] : cases) {
    CAPTURE(message);
    auto commit = real_commit(repo, message, made);
    CHECK_FALSE(is_ai_assisted(commit));
  }
}

TEST_CASE("ai-assisted: the policy's identities add agents") {
  TempDir dir;
  GitRepo repo(dir.path());
  auto commit =
      real_commit(repo, "Nightly refactor\n\nCo-authored-by: Build Agent <agent@ci.example.com>\n");
  CHECK_FALSE(is_ai_assisted(commit));
  auto marker = ai_assisted_marker(commit, {"agent@ci.example.com"});
  REQUIRE(marker);
  CHECK(marker->tool == "agent@ci.example.com");
}
