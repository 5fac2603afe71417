// The blob cache of parsed files (see syntax_cache.hpp). Parsing happens outside the lock, so
// threads parse different blobs at the same time; when two threads parse the same blob at once,
// the first result stored wins and both get it.
#include "analyzers/syntax/syntax_cache.hpp"

namespace agate::syntax {

std::shared_ptr<const ParsedFile>
SyntaxCache::parse(std::string_view oid, std::string_view language_id, std::string_view content) {
  if (oid.empty()) {
    // No blob id (e.g. a work-tree file): nothing identifies the content, so do not cache it.
    return std::make_shared<const ParsedFile>(parse_units(language_id, content));
  }
  auto key = std::make_pair(std::string(oid), std::string(language_id));
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
      return it->second;
    }
  }
  auto parsed = std::make_shared<const ParsedFile>(parse_units(language_id, content));
  std::lock_guard lock(m_mutex);
  auto [it, inserted] = m_cache.emplace(std::move(key), std::move(parsed));
  return it->second;
}

std::size_t SyntaxCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_cache.size();
}

} // namespace agate::syntax
