// The blob cache of parsed files (see syntax_cache.hpp). Parsing happens outside the lock, so
// threads parse different blobs at the same time; when two threads parse the same blob at once,
// the first result stored wins and both get it. The trees of the latest blobs are kept too (a
// bounded amount), for the library-logic analyzer's own queries on the new side.
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
  TreePtr tree;
  auto parsed = std::make_shared<const ParsedFile>(parse_units(language_id, content, &tree));
  std::lock_guard lock(m_mutex);
  if (parsed->timed_out) {
    m_timed_out.push_back(key.first);
  }
  auto [it, inserted] = m_cache.emplace(key, std::move(parsed));
  if (inserted && tree != nullptr && content.size() <= kept_tree_bytes) {
    m_trees.push_back({std::move(key), std::move(tree), content.size()});
    m_tree_bytes += content.size();
    while (m_tree_bytes > kept_tree_bytes) {
      m_tree_bytes -= m_trees.front().bytes;
      m_trees.pop_front();
    }
  }
  return it->second;
}

TreePtr SyntaxCache::tree(std::string_view oid, std::string_view language_id) const {
  std::lock_guard lock(m_mutex);
  for (const auto& kept : m_trees) {
    if (kept.key.first == oid && kept.key.second == language_id) {
      // A tree is not thread-safe; a copy is cheap (it shares the nodes) and is.
      return TreePtr(ts_tree_copy(kept.tree.get()));
    }
  }
  return nullptr;
}

std::vector<std::string> SyntaxCache::timed_out() const {
  std::lock_guard lock(m_mutex);
  return m_timed_out;
}

std::size_t SyntaxCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_cache.size();
}

} // namespace agate::syntax
