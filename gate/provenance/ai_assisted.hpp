// Whether a commit was made with an AI agent, and the evidence for it. The signature policy
// (`signatures.require: "ai-assisted"`), the provenance rules and the prompt-log review all ask
// this question, so it is answered once, here, from what a commit carries:
//   - an `Agate-Prompt:` trailer (agate's own prompt record);
//   - a marker trailer in any letter case: `Assisted-by:` / `Generated-by:` with any value,
//     `AI-assisted: yes`, or `Co-authored-by:` naming a known agent identity;
//   - a message line an agent writes ("aider: " at the start, Claude Code's "Generated with
//     [Claude Code]");
//   - an author or committer that is an agent identity (a known agent bot account, Aider's
//     "Name (aider)").
// The markers and identities are data, rules/agents/identities.json (embedded at build time),
// and the policy's `provenance.agent_identities` adds more; docs/provenance.md lists them.
#pragma once

#include "gate/core/change.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// A known agent, as an identity or a marker names it.
struct AgentIdentity {
  std::string tool;  // "claude-code", "aider"...; for a policy identity, the identity itself
  std::string model; // when the marker names it ("aider (openai/gpt-4o)"), else empty
};

// Why a commit counts as AI-assisted.
struct AiEvidence {
  std::string said; // "trailer `Co-authored-by: Claude <noreply@anthropic.com>`"
  std::string tool; // empty when the marker does not say which agent
  std::string model;
};

// The first marker that `commit` was made with an AI agent; nullopt when there is none.
// `extra_identities` are the policy's `provenance.agent_identities`: more agents' names or
// emails (see agent_identity).
std::optional<AiEvidence> ai_assisted_marker(const CommitInfo& commit,
                                             const std::vector<std::string>& extra_identities = {});

// The marker as a short phrase (AiEvidence::said).
std::optional<std::string>
ai_assisted_evidence(const CommitInfo& commit,
                     const std::vector<std::string>& extra_identities = {});

inline bool is_ai_assisted(const CommitInfo& commit,
                           const std::vector<std::string>& extra_identities = {}) {
  return ai_assisted_marker(commit, extra_identities).has_value();
}

// The agent a name-and-email identity belongs to ("Claude <noreply@anthropic.com>"), or one of
// `extra` (each matched without case as a part of the email or as the whole name); nullopt for
// a person or a generic bot.
std::optional<AgentIdentity> agent_identity(std::string_view name, std::string_view email,
                                            const std::vector<std::string>& extra = {});

inline bool is_agent_identity(std::string_view name, std::string_view email,
                              const std::vector<std::string>& extra = {}) {
  return agent_identity(name, email, extra).has_value();
}

// "Name <email>" split into its name and email (no email: the whole text is the name).
std::pair<std::string, std::string> split_identity(std::string_view value);

} // namespace agate::gate
