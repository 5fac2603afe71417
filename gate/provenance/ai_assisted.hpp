// Whether a commit was made with an AI agent, and the evidence for it. The signature policy
// (`signatures.require: "ai-assisted"`) and the provenance rules both ask this question, so it
// is answered once, here, from what a commit carries:
//   - an `Agate-Prompt:` trailer (agate's own prompt record);
//   - a trailer naming an agent: `Co-authored-by:` with a known agent identity (Claude, Copilot,
//     Codex, Cursor, Aider, Devin, Jules, Gemini, Amazon Q, OpenHands...), or any
//     `Assisted-by:` / `Generated-by:` / `AI-assisted: yes` trailer;
//   - a message starting with "aider: " (older Aider versions);
//   - an author or committer that is a known agent identity (a bot account, or Aider's
//     "Name (aider)").
// The list is data below; docs/provenance.md lists it for users.
#pragma once

#include "gate/core/change.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agate::gate {

// The first piece of evidence that `commit` was made with an AI agent, as a short phrase such
// as "trailer `Co-authored-by: Claude <noreply@anthropic.com>`"; nullopt when there is none.
// `extra_identities` are the policy's `provenance.agent_identities`: more agents' names or
// emails (see is_agent_identity).
std::optional<std::string>
ai_assisted_evidence(const CommitInfo& commit,
                     const std::vector<std::string>& extra_identities = {});

inline bool is_ai_assisted(const CommitInfo& commit,
                           const std::vector<std::string>& extra_identities = {}) {
  return ai_assisted_evidence(commit, extra_identities).has_value();
}

// Whether a name-and-email identity ("Claude <noreply@anthropic.com>") is a known agent's, or
// one of `extra` (each matched without case as a part of the email or as the whole name).
bool is_agent_identity(std::string_view name, std::string_view email,
                       const std::vector<std::string>& extra = {});

} // namespace agate::gate
