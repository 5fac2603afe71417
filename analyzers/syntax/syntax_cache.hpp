// Parses blobs with tree-sitter and extracts their units, once per blob id.
//
// The cache is keyed by (blob id, language) so a blob seen on both sides of several commits of
// a range is parsed once. Parsing never fails: a file with syntax errors yields the units that
// parsed, and `has_errors` is set.
#pragma once

#include "analyzers/syntax/ts_handles.hpp"
#include "analyzers/syntax/unit.hpp"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agate::syntax {

// Parse `content` as `language_id` and extract units. Unknown languages give an empty result.
// `tree_out`, when given, receives the syntax tree (null when there is none).
ParsedFile parse_units(std::string_view language_id, std::string_view content,
                       TreePtr* tree_out = nullptr);

class SyntaxCache {
public:
  // The parsed form of the blob `oid` (content must be that blob's bytes). Thread-safe. An empty
  // `oid` (content that is no blob, such as a work-tree file) is parsed and not cached.
  std::shared_ptr<const ParsedFile> parse(std::string_view oid, std::string_view language_id,
                                          std::string_view content);
  std::size_t size() const;

  // The blob ids whose parsing stopped at the time budget (parser.hpp), in the order met.
  std::vector<std::string> timed_out() const;

  // A copy of the syntax tree of a blob parse() parsed recently, for an analyzer that runs its
  // own queries on it (with the same content: syntax::adopt_tree), or null. The trees of the
  // latest blobs are kept, up to `kept_tree_bytes` of their source: a hook's change fits, a
  // long range keeps only its last files.
  TreePtr tree(std::string_view oid, std::string_view language_id) const;
  static constexpr std::size_t kept_tree_bytes = 1 << 20;

private:
  using Key = std::pair<std::string, std::string>; // blob id, language
  struct KeptTree {
    Key key;
    TreePtr tree;
    std::size_t bytes = 0;
  };

  mutable std::mutex m_mutex;
  std::map<Key, std::shared_ptr<const ParsedFile>> m_cache;
  std::deque<KeptTree> m_trees; // oldest first
  std::size_t m_tree_bytes = 0;
  std::vector<std::string> m_timed_out;
};

} // namespace agate::syntax
