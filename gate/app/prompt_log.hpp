// The prompt-log review: `agate log` (one line per commit: AI-assisted or not, tool and model,
// record status, signature status, finding counts, the prompt's first line), `agate show` (the
// prompt and transcript excerpt beside the commit's diff and findings) and the Agent Trace export
// (`agate export --agent-trace`: one Agent Trace record per recorded commit, JSON Lines).
//
// Each commit is reviewed as `agate check --commit` would review it (gate/pipeline's
// review_selection), with the policy of its parent, so the three views agree with the gate.
#pragma once

#include "gate/app/revision_range.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

class Repository;

// The commits a log or export covers, newest first: BASE..HEAD gives the range; a single
// revision (HEAD when `spec` is empty) gives its first-parent history. At most `max_count`
// (0: no limit).
std::vector<std::string> commits_for_log(Repository& repo, const RevisionRange& spec,
                                         std::size_t max_count);

std::string render_log(Repository& repo, const std::vector<std::string>& commits, bool color);
std::string render_show(Repository& repo, std::string_view rev, bool color);
// `agate log --repair`: for each commit whose records were found by their diff rather than by
// an `Agate-Prompt:` trailer (a squash merge, a rebase or cherry-pick that rewrote the message),
// the trailers that would restore the links (gate/provenance/record_links.hpp), oldest first.
std::string render_repair(Repository& repo, const std::vector<std::string>& commits);
// JSON Lines, one Agent Trace record per commit that carries a prompt record (oldest first).
std::string export_agent_trace(Repository& repo, const std::vector<std::string>& commits);

} // namespace agate::gate
