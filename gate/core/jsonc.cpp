// See jsonc.hpp. Positions are counted from the byte offset nlohmann reports; a trailing comma is
// recognised by looking back from the closing bracket past blanks and comments.
#include "gate/core/jsonc.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace agate::gate {

namespace {

using nlohmann::json;

struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

// The offset of the last character before `offset` that is neither blank, nor in a comment.
std::optional<std::size_t> last_significant_before(std::string_view text, std::size_t offset) {
  std::optional<std::size_t> last;
  std::size_t i = 0;
  while (i < offset && i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        i += text[i] == '\\' ? 2 : 1;
      }
      last = std::min(i, text.size() - 1);
      ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') {
        ++i;
      }
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        last = i;
      }
      ++i;
    }
  }
  return last;
}

// Where the token ending at `offset` starts: the parser reports the last character it read,
// which for a string is its closing quote; users look for the opening one.
std::size_t token_start(std::string_view text, std::size_t offset) {
  std::size_t i = 0;
  while (i < offset && i < text.size()) {
    if (text[i] == '"') {
      const std::size_t start = i;
      ++i;
      while (i < text.size() && text[i] != '"') {
        i += text[i] == '\\' ? 2 : 1;
      }
      if (i >= offset) {
        return start;
      }
      ++i;
    } else if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') {
        ++i;
      }
    } else if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      auto end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      ++i;
    }
  }
  return offset;
}

std::string describe_parse_error(std::string_view text, std::string_view origin,
                                 const json::parse_error& e) {
  // `byte` is the 1-based offset of the character where the parser stopped.
  std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
  offset = std::min(offset, text.size());
  if (offset < text.size() && (text[offset] == '}' || text[offset] == ']')) {
    auto before = last_significant_before(text, offset);
    if (before && text[*before] == ',') {
      auto at = position_of(text, *before);
      return std::string(origin) + ": invalid JSON at line " + std::to_string(at.line) +
             ", column " + std::to_string(at.column) + ": trailing comma before '" + text[offset] +
             "' (JSON allows no comma after the last item: remove it)";
    }
  }
  std::string what = e.what();
  if (auto dash = what.find(" - "); dash != std::string::npos) {
    what = what.substr(dash + 3);
  } else if (auto colon = what.find(": "); colon != std::string::npos) {
    what = what.substr(colon + 2);
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    what = "the text is empty (write {} for the default policy)";
  }
  auto at = position_of(text, token_start(text, offset));
  return std::string(origin) + ": invalid JSON at line " + std::to_string(at.line) + ", column " +
         std::to_string(at.column) + ": " + what;
}

// nlohmann keeps the last of duplicate keys silently; a policy with two "size" sections is
// almost certainly a mistake, so it is reported. Tracks the keys of each open object.
struct DuplicateKeyTracker {
  struct Frame {
    bool is_object = false;
    std::set<std::string> keys;
    std::string name; // the key it is the value of; empty for array items and the top level
  };
  std::vector<Frame> frames;
  std::string pending_key;
  std::optional<std::string> duplicate;

  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
    case json::parse_event_t::object_start:
    case json::parse_event_t::array_start: {
      std::string name;
      if (!frames.empty() && frames.back().is_object) {
        name = pending_key;
      }
      frames.push_back({event == json::parse_event_t::object_start, {}, std::move(name)});
      break;
    }
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      if (!frames.empty()) {
        frames.pop_back();
      }
      break;
    case json::parse_event_t::key:
      pending_key = parsed.get<std::string>();
      if (!frames.empty() && !frames.back().keys.insert(pending_key).second && !duplicate) {
        // The path is built only here: building it for every object would be quadratic in
        // the nesting depth of a hostile document.
        std::string path;
        for (const auto& frame : frames) {
          if (!frame.name.empty()) {
            path += frame.name + ".";
          }
        }
        duplicate = path + pending_key;
      }
      break;
    case json::parse_event_t::value:
      break;
    }
    return true;
  }
};

} // namespace

Result<json> parse_jsonc(std::string_view text, std::string_view origin) {
  DuplicateKeyTracker tracker;
  json document;
  try {
    document = json::parse(
        text,
        [&tracker](int depth, json::parse_event_t event, json& parsed) {
          return tracker(depth, event, parsed);
        },
        /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    return fail(describe_parse_error(text, origin, e));
  } catch (const json::out_of_range&) {
    // The only other error parsing raises: a number too large for a double (1e999).
    return fail(std::string(origin) + ": a number is out of range (too large to represent)");
  }
  if (tracker.duplicate) {
    return fail(std::string(origin) + ": duplicate key \"" + *tracker.duplicate +
                "\" (JSON keeps only the last one: merge them)");
  }
  return document;
}

} // namespace agate::gate
