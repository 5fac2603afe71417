// Trailer insertion for the commit-msg hook; see message_trailers.hpp.
#include "gate/provenance/message_trailers.hpp"

#include "gate/git/commit_parser.hpp"

#include <algorithm>

namespace agate::gate {

namespace {

struct Line {
  std::size_t begin = 0; // offset of the first byte
  std::size_t end = 0;   // offset after the '\n' (or the end of the text)
  std::string_view text; // without the '\n'
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::size_t stop = nl == std::string_view::npos ? text.size() : nl;
    std::size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back({pos, next, text.substr(pos, stop - pos)});
    pos = next;
  }
  return lines;
}

bool blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

} // namespace

std::string add_trailers(std::string_view message, const std::vector<Trailer>& trailers,
                         char comment_char) {
  auto existing = parse_trailers(message, TrailerOptions{":", comment_char});
  std::vector<const Trailer*> wanted;
  for (const auto& trailer : trailers) {
    bool present = std::any_of(existing.begin(), existing.end(), [&](const Trailer& t) {
      return t.key == trailer.key && t.value == trailer.value;
    });
    bool duplicate = std::any_of(wanted.begin(), wanted.end(), [&](const Trailer* t) {
      return t->key == trailer.key && t->value == trailer.value;
    });
    if (!present && !duplicate) {
      wanted.push_back(&trailer);
    }
  }
  if (wanted.empty()) {
    return std::string(message);
  }
  auto lines = split_lines(message);
  // Everything from the scissors line on is not part of the message.
  std::size_t count = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto t = lines[i].text;
    if (!t.empty() && t[0] == comment_char && t.find(">8") != std::string_view::npos &&
        t.find("------------------------") != std::string_view::npos) {
      count = i;
      break;
    }
  }
  // The last line of content: skip trailing comment and blank lines.
  std::size_t last = count;
  while (last > 0) {
    auto t = lines[last - 1].text;
    if (blank(t) || (!t.empty() && t[0] == comment_char)) {
      --last;
      continue;
    }
    break;
  }
  if (last == 0) {
    return std::string(message); // an empty message: git aborts the commit, let it
  }
  std::string block;
  for (const auto* trailer : wanted) {
    block += trailer->key + ": " + trailer->value + "\n";
  }
  const Line& end_line = lines[last - 1];
  std::string out(message.substr(0, end_line.end));
  if (out.back() != '\n') {
    out += '\n';
  }
  if (existing.empty()) {
    out += '\n'; // a new paragraph for the trailer block
  }
  out += block;
  out += message.substr(end_line.end);
  return out;
}

} // namespace agate::gate
