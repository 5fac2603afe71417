// What the fast prompt-log views (`agate log`, `agate stats`, `agate review`) read from history
// without loading a change: the commits reachable from a revision through every parent (as
// `git log` lists them), the files a commit changes under one directory (its prompt records),
// and a commit's added and deleted line counts.
//
// These are the cheap questions: each reads commit and tree objects, and a diff only where the
// answer needs one, so a log of a thousand commits stays close to `git log`'s time.
#pragma once

#include "gate/git/repository.hpp"
#include "gate/util/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// The commits reachable from `head` (a full id) through all parents, newest committer time
// first (git log's default order), stopping at shallow boundaries; at most `max_count` (0: no
// limit).
Result<std::vector<std::string>> history_of(const Repository& repo, std::string_view head,
                                            std::size_t max_count);

struct ChangedFile {
  std::string path; // in the commit's tree
  std::string oid;  // the blob in the commit; empty when the commit deletes it
};

// The files under the tree path `dir` that `commit` (a full id) changes: against its parent for
// an ordinary commit, against every parent for a merge (a file counts only when it differs from
// each, so a merge does not claim what its branches brought), against nothing for a root.
Result<std::vector<ChangedFile>> files_changed_under(const Repository& repo,
                                                     std::string_view commit, std::string_view dir);

struct LineCounts {
  int added = 0;
  int deleted = 0;
  int files = 0;
};

// Lines `commit` adds and deletes against its first parent, files under `skip_dir` left out
// (prompt records are not code). A merge counts 0: its lines belong to the commits it merges,
// which the same range lists.
Result<LineCounts> commit_line_counts(const Repository& repo, std::string_view commit,
                                      std::string_view skip_dir);

} // namespace agate::gate
