// Builds a FileChange from two texts, as the change loader would from two blobs: the contents go
// into a MapContentSource under made-up blob ids, and the diff is one hunk replacing the lines
// between the common prefix and the common suffix. Used by analyzer unit tests.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace agate::test {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// `old_text` empty: an added file; `new_text` empty: a deleted one. `next_id` numbers blob ids.
inline gate::FileChange file_change_from_texts(const std::string& path, const std::string& old_text,
                                               const std::string& new_text,
                                               const std::string& language,
                                               gate::MapContentSource& contents, int& next_id) {
  gate::FileChange f;
  f.old_path = old_text.empty() ? "" : path;
  f.new_path = new_text.empty() ? "" : path;
  f.status = old_text.empty()   ? gate::FileStatus::added
             : new_text.empty() ? gate::FileStatus::deleted
                                : gate::FileStatus::modified;
  f.language = language;
  if (!old_text.empty()) {
    f.old_oid = "old-" + std::to_string(next_id++);
    contents.add(f.old_oid, old_text);
  }
  if (!new_text.empty()) {
    f.new_oid = "new-" + std::to_string(next_id++);
    contents.add(f.new_oid, new_text);
  }
  auto old_lines = lines_of(old_text);
  auto new_lines = lines_of(new_text);
  std::size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() &&
         old_lines[prefix] == new_lines[prefix]) {
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < old_lines.size() - prefix && suffix < new_lines.size() - prefix &&
         old_lines[old_lines.size() - 1 - suffix] == new_lines[new_lines.size() - 1 - suffix]) {
    ++suffix;
  }
  gate::Hunk hunk;
  hunk.old_start = static_cast<int>(prefix) + 1;
  hunk.new_start = static_cast<int>(prefix) + 1;
  for (std::size_t i = prefix; i < old_lines.size() - suffix; ++i) {
    hunk.lines.push_back({'-', static_cast<int>(i) + 1, 0, old_lines[i]});
    ++f.deleted_lines;
  }
  for (std::size_t i = prefix; i < new_lines.size() - suffix; ++i) {
    hunk.lines.push_back({'+', 0, static_cast<int>(i) + 1, new_lines[i]});
    ++f.added_lines;
  }
  hunk.old_lines = f.deleted_lines;
  hunk.new_lines = f.added_lines;
  f.hunks.push_back(std::move(hunk));
  return f;
}

} // namespace agate::test
