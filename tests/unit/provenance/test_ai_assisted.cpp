// Which commits count as AI-assisted: the signature policy's "ai-assisted" and the provenance
// rules depend on it, so a human commit must never be taken for an agent's and the common agent
// markers must all be seen.
#include "gate/provenance/ai_assisted.hpp"

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
