// The hash that binds a prompt record to the change an agent produced (`diff_sha256`).
//
// It is computed over a normalized patch so that it survives what git does to a commit without
// changing its content: a rebase onto another base (line numbers and context move), a squash
// of unrelated commits, amending the message. For each changed file except prompt records
// (.agate/prompts/), in path order:
//
//   "file <old path or /dev/null> <new path or /dev/null>\n"
//   "mode <old> <new>\n"                      only when the mode changed
//   "blob <old oid> <new oid>\n"              binary or too large to diff: the blob ids
//   "+<added line>\n" / "-<deleted line>\n"   otherwise: the changed lines in order, no context,
//                                             no line numbers
//
// The per-file hash is SHA-256 of the file's block; the change's hash is SHA-256 of all blocks in
// order. Per-file hashes let CI say which files were edited after the agent produced them.
#pragma once

#include "gate/core/change.hpp"

#include <map>
#include <string>

namespace agate::gate {

struct DiffHash {
  std::string sha256;                       // the whole change
  std::map<std::string, std::string> files; // path -> SHA-256 of that file's block
  int added_lines = 0;
  int deleted_lines = 0;
};

// The normalized text of one file's change (see above).
std::string normalized_file_patch(const FileChange& file);
DiffHash diff_hash(const std::vector<FileChange>& files);

} // namespace agate::gate
