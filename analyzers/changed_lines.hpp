// The lines a file change really adds and deletes, with whitespace and line endings ignored.
//
// A commit that converts CRLF to LF, re-indents a block or reflows a function marks every one of
// those lines as deleted and added again, although nothing was written. Read raw, that makes
// deleted names look "used by added code", turns re-indented guards into removed ones and
// makes every unit of the file look newly written. Here a deleted line and an added line whose
// texts are equal once whitespace is dropped cancel out, as `git diff -w` would show them: they
// are moved or re-indented lines, not changed ones. Pairing is by text within the file (a
// multiset), so a block that moved down the file cancels out too.
#pragma once

#include "gate/core/change.hpp"

#include <set>
#include <string>
#include <string_view>

namespace agate::analyzers {

struct ChangedLines {
  std::set<int> deleted; // old line numbers of lines deleted, not just re-spaced or moved
  std::set<int> added;   // new line numbers of lines added, not just re-spaced or moved
};

ChangedLines changed_lines(const gate::FileChange& file);

// The text with every whitespace character (spaces, tabs, '\r') removed.
std::string without_whitespace(std::string_view text);

} // namespace agate::analyzers
