// The prompt-log review: `agate log` (one line per commit: AI-assisted or not, tool and model,
// record status, signature status, the prompt's first line; with --findings the finding counts
// too), `agate show` (the
// prompt and transcript excerpt beside the commit's diff and findings) and the Agent Trace export
// (`agate export --agent-trace`: one Agent Trace record per recorded commit, JSON Lines).
//
// `agate log` reads each commit's object, trailers and records only (gate/review's commit entry),
// which keeps it close to `git log`'s speed. Where findings are asked for (`log --findings`,
// `show`, the export, `agate review`), each commit is reviewed as `agate check --commit` would
// review it (gate/pipeline's review_selection), with the policy of its parent, so the views agree
// with the gate.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/revision_range.hpp"
#include "gate/review/review_model.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

class Repository;

// The revision argument of `agate log`, `export`, `review` and `stats` (none: HEAD's history).
RevisionRange log_revisions(const CliOptions& options);

// The commits a log or export covers, newest first, following every parent as `git log` does:
// BASE..HEAD gives the commits reachable from HEAD and not from BASE; a single revision (HEAD
// when `spec` is empty) gives its whole history. At most `max_count` (0: no limit).
std::vector<std::string> commits_for_log(Repository& repo, const RevisionRange& spec,
                                         std::size_t max_count);

struct EntryOptions {
  bool analyze = false;     // review each commit: findings, diff, verified signature
  bool count_lines = false; // added and deleted lines
};

// The entries of `commits` (gate/review/review_model.hpp), in the same order. The agent
// identities of the policy at the newest commit count as AI-assisted markers.
std::vector<CommitEntry> commit_entries(Repository& repo, const std::vector<std::string>& commits,
                                        const EntryOptions& options);

// One line per entry; finding counts for analyzed entries.
std::string render_log(const std::vector<CommitEntry>& entries, bool color);
std::string render_show(Repository& repo, std::string_view rev, bool color);
// `agate log --repair`: for each commit whose records were found by their diff rather than by
// an `Agate-Prompt:` trailer (a squash merge, a rebase or cherry-pick that rewrote the message),
// the trailers that would restore the links (gate/provenance/record_links.hpp), oldest first.
std::string render_repair(Repository& repo, const std::vector<std::string>& commits);
// JSON Lines, one Agent Trace record per commit that carries a prompt record (oldest first).
std::string export_agent_trace(Repository& repo, const std::vector<std::string>& commits);

} // namespace agate::gate
