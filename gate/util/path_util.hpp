// Repository paths ('/'-separated, relative): split into their segments, empty ones dropped.
// Shared by the policy's globs and the size analyzer's directory counting.
#pragma once

#include <string_view>
#include <vector>

namespace agate::gate {

inline std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    if (slash > start) {
      segments.push_back(path.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return segments;
}

} // namespace agate::gate
