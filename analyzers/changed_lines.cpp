// The lines a file change really adds and deletes; see changed_lines.hpp.
#include "analyzers/changed_lines.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace agate::analyzers {

std::string without_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) == 0) {
      out += c;
    }
  }
  return out;
}

ChangedLines changed_lines(const gate::FileChange& file) {
  ChangedLines out;
  // Deleted lines by their text without whitespace, in file order.
  std::map<std::string, std::vector<int>> deleted_by_text;
  for (const auto& hunk : file.hunks) {
    for (const auto& line : hunk.lines) {
      if (line.origin == '-' && line.old_line > 0) {
        out.deleted.insert(line.old_line);
        auto text = without_whitespace(line.text);
        if (!text.empty()) {
          deleted_by_text[std::move(text)].push_back(line.old_line);
        }
      }
    }
  }
  std::map<std::string, std::size_t> taken; // how many deleted lines of a text are paired
  for (const auto& hunk : file.hunks) {
    for (const auto& line : hunk.lines) {
      if (line.origin != '+' || line.new_line <= 0) {
        continue;
      }
      auto text = without_whitespace(line.text);
      auto it = deleted_by_text.find(text);
      if (it != deleted_by_text.end() && taken[text] < it->second.size()) {
        out.deleted.erase(it->second[taken[text]++]);
        continue;
      }
      out.added.insert(line.new_line);
    }
  }
  return out;
}

} // namespace agate::analyzers
