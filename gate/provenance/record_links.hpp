// Which prompt records belong to a commit. A record is linked to its commit by the commit's
// `Agate-Prompt: <id>` trailer; a squash merge, a rebase that rewrites messages or a cherry-pick
// with a new message loses the trailer while the record file travels with the code. Such a
// record is reconnected through what it says the agent changed:
//   - its `diff_sha256` equals the commit's normalized diff hash (gate/provenance/diff_hash.hpp,
//     patch-id-like: no line numbers, no context), or
//   - some of its per-file hashes equal the commit's for those files (a squash of several
//     recorded commits: each file one commit changed keeps its hash), or
//   - the commit adds the record and changes every file the record names (a squash where two
//     recorded commits changed the same file, whose composed diff matches neither).
// `agate log`, `agate show` and the provenance rules all ask this one function, and each says
// when a record was matched by diff rather than by its trailer.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "gate/provenance/prompt_record.hpp"

#include <string>
#include <vector>

namespace agate::gate {

// A valid record that may belong to a commit.
struct RecordCandidate {
  std::string path; // .agate/prompts/<id>.json
  PromptRecord record;
  bool in_change = false; // the commit adds or changes the record file
};

enum class LinkKind {
  trailer, // named by an `Agate-Prompt:` trailer
  diff,    // the whole diff hash, or some files' hashes, match
  files,   // added by the commit, which changes every file the record names
};

struct RecordLink {
  std::string path;
  PromptRecord record;
  LinkKind how = LinkKind::trailer;
  std::vector<std::string> matched_files; // diff: files whose hash matched; files: its files
  bool whole_diff = false;                // diff: the whole diff hash matched

  // "record 20261125T110154Z-7e1bdf42 matched by diff (2 of 2 files)"; empty for a trailer link.
  std::string describe() const;
};

// The `Agate-Prompt:` ids of a commit, in order.
std::vector<std::string> prompt_trailer_ids(const CommitInfo& commit);

// The valid records the change adds or changes (in_change), and when `view` is given, the other
// records in the tree after the change (parsed once per blob per process).
std::vector<RecordCandidate> record_candidates(const Change& change, const ContentSource& contents,
                                               const RepositoryView* view);

// The candidates linked to a commit with the `trailer_ids` and the normalized diff `diff`:
// trailer links first, then diff and file links, each record once.
std::vector<RecordLink> link_records(const std::vector<std::string>& trailer_ids,
                                     const std::vector<RecordCandidate>& candidates,
                                     const DiffHash& diff);

// The trailers that would restore the links matched by diff ("Agate-Prompt: <id>"), in order.
std::vector<std::string> repair_trailers(const std::vector<RecordLink>& links);

} // namespace agate::gate
