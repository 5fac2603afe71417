// The files under rules/ (queries, default policy, library rules), compiled into the binary by
// cmake/embed_files.cmake so that agate needs no data directory at run time.
#pragma once

#include <string_view>
#include <vector>

namespace agate::embedded {

struct File {
  std::string_view path; // relative to rules/, e.g. "languages/python.scm"
  std::string_view content;
};

const std::vector<File>& files();

// The content of rules/<path>, or nullptr-equivalent empty optional when absent.
inline const File* find(std::string_view path) {
  for (const auto& f : files()) {
    if (f.path == path) {
      return &f;
    }
  }
  return nullptr;
}

} // namespace agate::embedded
