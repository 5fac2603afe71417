// The gitignore-style matcher: a pattern is split into '/'-separated segments and matched
// against the path's segments, `**` spanning any number of them, `*`, `?` and classes within one.
#include "gate/core/glob.hpp"

#include "gate/util/path_util.hpp"

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace agate::gate {

namespace {

// `[...]` at pattern[p] (p at '['): whether c matches; `next` receives the offset after `]`.
// Returns nullopt for an unterminated class, which then matches a literal '['.
std::optional<bool> match_class(std::string_view pattern, std::size_t p, char c,
                                std::size_t& next) {
  std::size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (pattern[i] != ']' || first)) {
    first = false;
    char low = pattern[i];
    if (low == '\\' && i + 1 < pattern.size()) {
      low = pattern[++i];
    }
    char high = low;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      high = pattern[i + 2];
      i += 2;
    }
    if (c >= low && c <= high) {
      matched = true;
    }
    ++i;
  }
  if (i >= pattern.size()) {
    return std::nullopt;
  }
  next = i + 1;
  return matched != negate;
}

// One path segment against one pattern segment: `*`, `?`, `[...]`, `\x`.
bool match_segment(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::optional<std::size_t> star_p;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        std::size_t next = 0;
        auto in_class = match_class(pattern, p, text[t], next);
        if (in_class.has_value()) {
          if (*in_class) {
            p = next;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {
          ++p;
          ++t;
          continue;
        }
      } else {
        char literal = pc;
        std::size_t width = 1;
        if (pc == '\\' && p + 1 < pattern.size()) {
          literal = pattern[p + 1];
          width = 2;
        }
        if (literal == text[t]) {
          p += width;
          ++t;
          continue;
        }
      }
    }
    if (!star_p) {
      return false;
    }
    p = *star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

// Pattern segments against path segments [0, send) (a `**` segment matches zero or more
// segments). Dynamic programming over (pattern index, path index): patterns like
// `**/a/**/a/**/b` would make plain backtracking exponential.
bool match_segments(const std::vector<std::string_view>& pattern,
                    const std::vector<std::string_view>& path, std::size_t send) {
  // matches[pi * (send + 1) + si]: pattern[pi..] matches path[si..send)
  const std::size_t width = send + 1;
  std::vector<char> matches((pattern.size() + 1) * width, 0);
  matches[pattern.size() * width + send] = 1;
  for (std::size_t pi = pattern.size(); pi-- > 0;) {
    for (std::size_t si = send + 1; si-- > 0;) {
      bool ok = false;
      if (pattern[pi] == "**") {
        // zero segments, or one more segment and stay on `**`
        ok =
            matches[(pi + 1) * width + si] != 0 || (si < send && matches[pi * width + si + 1] != 0);
      } else if (si < send) {
        ok = matches[(pi + 1) * width + si + 1] != 0 && match_segment(pattern[pi], path[si]);
      }
      matches[pi * width + si] = ok ? 1 : 0;
    }
  }
  return matches[0] != 0;
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) {
    return false;
  }
  bool directory_only = false;
  if (pattern.ends_with('/')) {
    directory_only = true;
    pattern.remove_suffix(1);
  }
  const bool anchored = pattern.find('/') != std::string_view::npos;
  if (pattern.starts_with('/')) {
    pattern.remove_prefix(1);
  }
  const auto written = split_path(pattern);
  if (written.empty()) {
    return false;
  }
  // An unanchored pattern may start at any depth: as if written `**/pattern`.
  std::vector<std::string_view> pattern_segments;
  pattern_segments.reserve(written.size() + 1);
  if (!anchored) {
    pattern_segments.emplace_back("**");
  }
  pattern_segments.insert(pattern_segments.end(), written.begin(), written.end());
  const auto path_segments = split_path(path);
  // The pattern may match the whole path or any of its parent directories.
  for (std::size_t end = 1; end <= path_segments.size(); ++end) {
    const bool is_directory = end < path_segments.size();
    if (directory_only && !is_directory) {
      continue;
    }
    if (match_segments(pattern_segments, path_segments, end)) {
      return true;
    }
  }
  return false;
}

} // namespace agate::gate
