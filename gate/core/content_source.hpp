// Where analyzers read file contents from: blobs by id. The git implementation reads the object
// database, with an overlay for worktree files that are not objects yet; tests use a map.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace agate::gate {

class ContentSource {
public:
  virtual ~ContentSource() = default;
  // The bytes of the blob with this hex id, or nullopt when it cannot be read.
  virtual std::optional<std::string> blob(std::string_view oid) const = 0;
};

// In-memory content, for tests and for worktree files hashed but not written to the odb.
class MapContentSource : public ContentSource {
public:
  void add(std::string oid, std::string content) { m_blobs[std::move(oid)] = std::move(content); }
  std::optional<std::string> blob(std::string_view oid) const override {
    auto it = m_blobs.find(std::string(oid));
    if (it == m_blobs.end()) {
      return std::nullopt;
    }
    return it->second;
  }

private:
  std::map<std::string, std::string> m_blobs;
};

} // namespace agate::gate
