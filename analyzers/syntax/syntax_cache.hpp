// Parses blobs with tree-sitter and extracts their units, once per blob id.
//
// The cache is keyed by (blob id, language) so a blob seen on both sides of several commits of
// a range is parsed once. Parsing never fails: a file with syntax errors yields the units that
// parsed, and `has_errors` is set.
#pragma once

#include "analyzers/syntax/unit.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace agate::syntax {

// Parse `content` as `language_id` and extract units. Unknown languages give an empty result.
ParsedFile parse_units(std::string_view language_id, std::string_view content);

class SyntaxCache {
public:
  // The parsed form of the blob `oid` (content must be that blob's bytes). Thread-safe. An empty
  // `oid` (content that is no blob, such as a work-tree file) is parsed and not cached.
  std::shared_ptr<const ParsedFile> parse(std::string_view oid, std::string_view language_id,
                                          std::string_view content);
  std::size_t size() const;

private:
  mutable std::mutex m_mutex;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const ParsedFile>> m_cache;
};

} // namespace agate::syntax
