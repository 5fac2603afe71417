// Parsing a file with tree-sitter: one parser per thread and language, reused across files.
//
// A TSParser is not thread-safe but is cheap to reuse, so each thread keeps one per grammar
// (thread_local) and agate never pays for creating parsers per file. A UTF-8 byte-order mark is
// skipped before parsing (tree-sitter would see it as an error) and reported as `byte_offset`,
// so callers can map node bytes back to the blob's bytes. Content of 4 GiB or more, which
// tree-sitter cannot address, gives no tree.
//
// Time budget: parsing and extracting the units of one file stop when they take longer than
// file_time_budget() (2 s unless set): a file crafted to make the parser slow costs at most that,
// gives no units, and is named in a note; the rest of the change is judged.
#pragma once

#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/ts_handles.hpp"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace agate::syntax {

struct SyntaxTree {
  TreePtr tree;             // null when the content could not be parsed at all
  std::string_view text;    // the parsed bytes: the content without its BOM
  uint32_t byte_offset = 0; // 3 when a UTF-8 BOM was skipped, else 0
  bool timed_out = false;   // parsing stopped at the time budget (no tree)

  bool ok() const { return tree != nullptr; }
  TSNode root() const { return ts_tree_root_node(tree.get()); }
};

// The time one file may take to parse and yield its units; process-wide, thread-safe.
std::chrono::milliseconds file_time_budget();
void set_file_time_budget(std::chrono::milliseconds budget);

// Parse `content` (not copied: it must outlive the tree's use) with the language's grammar,
// stopping at `deadline` (no tree, timed_out set).
SyntaxTree parse_tree(
    const Language& language, std::string_view content,
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max());

// `tree`, parsed earlier from the same bytes as `content` (SyntaxCache::tree), as parse_tree
// would have returned it.
SyntaxTree adopt_tree(TreePtr tree, std::string_view content);

} // namespace agate::syntax
