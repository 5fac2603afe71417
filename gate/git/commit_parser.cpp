// Raw commit objects, trailers and summaries, ported from git's commit.c, trailer.c and pretty.c
// (git 2.39) so that agate reads messages exactly as git does; see commit_parser.hpp.
#include "gate/git/commit_parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

namespace agate::gate {

namespace {

// git's own ctype (sane_ctype): ASCII only, and \v \f are not spaces.
bool git_isspace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool git_isalnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Offset of the line after the one starting at `pos` (or the end).
std::size_t next_line(std::string_view s, std::size_t pos) {
  auto nl = s.find('\n', pos);
  return nl == std::string_view::npos ? s.size() : nl + 1;
}

// trailer.c is_blank_line: only whitespace up to the end of the line.
bool is_blank_line(std::string_view s, std::size_t pos) {
  while (pos < s.size() && s[pos] != '\n' && git_isspace(s[pos])) {
    ++pos;
  }
  return pos >= s.size() || s[pos] == '\n';
}

// trailer.c last_line: start of the last line of buf[0..len), -1 when len is 0.
std::ptrdiff_t last_line(std::string_view buf, std::size_t len) {
  if (len == 0) {
    return -1;
  }
  if (len == 1) {
    return 0;
  }
  for (auto i = static_cast<std::ptrdiff_t>(len) - 2; i >= 0; --i) {
    if (buf[static_cast<std::size_t>(i)] == '\n') {
      return i + 1;
    }
  }
  return 0;
}

bool starts_with_at(std::string_view s, std::size_t pos, std::string_view prefix) {
  return pos <= s.size() && s.substr(pos).starts_with(prefix);
}

// trailer.c find_separator: the separator's offset in the line, or -1 for a line that is not
// "token<space?>separator...". The token is alphanumerics and '-', optionally followed by
// whitespace.
std::ptrdiff_t find_separator(std::string_view line, std::string_view separators) {
  bool whitespace_found = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\0') {
      break;
    }
    if (separators.find(c) != std::string_view::npos) {
      return static_cast<std::ptrdiff_t>(i);
    }
    if (!whitespace_found && (git_isalnum(c) || c == '-')) {
      continue;
    }
    if (i != 0 && (c == ' ' || c == '\t')) {
      whitespace_found = true;
      continue;
    }
    break;
  }
  return -1;
}

// trailer.c find_patch_start: the first line starting with "---" and a whitespace.
std::size_t find_patch_start(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size(); pos = next_line(s, pos)) {
    if (starts_with_at(s, pos, "---") && pos + 3 < s.size() && git_isspace(s[pos + 3])) {
      return pos;
    }
  }
  return s.size();
}

// wt-status.c wt_status_locate_end: where a "# ---- >8 ----" scissors line cuts the message.
std::size_t locate_end(std::string_view s, std::size_t len, char comment_char) {
  std::string pattern = "\n";
  pattern += comment_char;
  pattern += " ------------------------ >8 ------------------------\n";
  if (s.starts_with(std::string_view(pattern).substr(1))) {
    return 0;
  }
  auto p = s.find(pattern);
  if (p != std::string_view::npos) {
    return std::min(len, p + 1);
  }
  return len;
}

// commit.c ignore_non_trailer: bytes at the end of buf[0..len) that are trailing comments,
// blank lines or an old "Conflicts:" block.
std::size_t ignore_non_trailer(std::string_view buf, std::size_t len, char comment_char) {
  std::size_t boc = 0;
  std::size_t bol = 0;
  bool in_old_conflicts_block = false;
  std::size_t cutoff = locate_end(buf, len, comment_char);
  while (bol < cutoff) {
    auto nl = buf.substr(0, len).find('\n', bol);
    std::size_t next = nl == std::string_view::npos ? len : nl + 1;
    if (buf[bol] == comment_char || buf[bol] == '\n') {
      if (boc == 0) {
        boc = bol;
      }
    } else if (starts_with_at(buf, bol, "Conflicts:\n")) {
      in_old_conflicts_block = true;
      if (boc == 0) {
        boc = bol;
      }
    } else if (in_old_conflicts_block && buf[bol] == '\t') {
      // a path in the conflicts block
    } else if (boc != 0) {
      boc = 0;
      in_old_conflicts_block = false;
    }
    bol = next;
  }
  return boc != 0 ? len - boc : len - cutoff;
}

// trailer.c find_trailer_start: where the trailer block of buf[0..len) begins, len when none.
std::size_t find_trailer_start(std::string_view buf, std::size_t len,
                               const TrailerOptions& options) {
  static constexpr std::array<std::string_view, 2> generated_prefixes = {
      "Signed-off-by: ", "(cherry picked from commit "};
  std::string_view text = buf.substr(0, len);

  // The first paragraph is the title and cannot be trailers.
  std::size_t s = 0;
  for (; s < len; s = next_line(text, s)) {
    if (text[s] == options.comment_char) {
      continue;
    }
    if (is_blank_line(text, s)) {
      break;
    }
  }
  auto end_of_title = static_cast<std::ptrdiff_t>(s);

  bool only_spaces = true;
  bool recognized_prefix = false;
  int trailer_lines = 0;
  int non_trailer_lines = 0;
  int possible_continuation_lines = 0;
  for (std::ptrdiff_t l = last_line(text, len); l >= end_of_title;
       l = last_line(text, static_cast<std::size_t>(l))) {
    auto bol = static_cast<std::size_t>(l);
    if (text[bol] == options.comment_char) {
      non_trailer_lines += possible_continuation_lines;
      possible_continuation_lines = 0;
      continue;
    }
    if (is_blank_line(text, bol)) {
      if (only_spaces) {
        continue;
      }
      non_trailer_lines += possible_continuation_lines;
      if (recognized_prefix && trailer_lines * 3 >= non_trailer_lines) {
        return next_line(text, bol);
      }
      if (trailer_lines != 0 && non_trailer_lines == 0) {
        return next_line(text, bol);
      }
      return len;
    }
    only_spaces = false;

    bool generated = false;
    for (auto prefix : generated_prefixes) {
      // git compares against the rest of the whole buffer here, not just this line.
      if (starts_with_at(buf, bol, prefix)) {
        generated = true;
        break;
      }
    }
    if (generated) {
      ++trailer_lines;
      possible_continuation_lines = 0;
      recognized_prefix = true;
      continue;
    }

    auto separator_pos = find_separator(text.substr(bol), options.separators);
    if (separator_pos >= 1 && !git_isspace(text[bol])) {
      ++trailer_lines;
      possible_continuation_lines = 0;
      // No trailer.<token>.key configuration: no other prefix is recognized.
    } else if (git_isspace(text[bol])) {
      ++possible_continuation_lines;
    } else {
      ++non_trailer_lines;
      non_trailer_lines += possible_continuation_lines;
      possible_continuation_lines = 0;
    }
  }
  return len;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && git_isspace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && git_isspace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// trailer.c unfold_value: each newline and the whitespace after it become one space.
std::string unfold_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  std::size_t i = 0;
  while (i < value.size()) {
    char c = value[i++];
    if (c == '\n') {
      while (i < value.size() && git_isspace(value[i])) {
        ++i;
      }
      out += ' ';
    } else {
      out += c;
    }
  }
  return std::string(trim(out));
}

} // namespace

ParsedCommit parse_commit_object(std::string_view raw) {
  ParsedCommit commit;
  std::size_t pos = 0;
  bool in_signature = false;    // continuation lines of the chosen signature header
  bool other_signature = false; // continuation lines of another gpgsig* header
  bool saw_gpgsig = false;
  while (pos < raw.size()) {
    std::size_t next = next_line(raw, pos);
    std::string_view line = raw.substr(pos, next - pos);
    if (line.front() == '\n') {
      // The blank line: the rest is the message and belongs to the payload as is.
      commit.message = std::string(raw.substr(next));
      commit.signed_payload.append(raw.substr(pos));
      return commit;
    }
    commit.header.append(line);
    std::string_view content = line.ends_with('\n') ? line.substr(0, line.size() - 1) : line;

    if (content.front() == ' ') {
      // A continuation line of the previous field.
      if (!commit.fields.empty()) {
        commit.fields.back().value += '\n';
        commit.fields.back().value.append(content.substr(1));
      }
      if (in_signature) {
        commit.signature.append(line.substr(1));
      } else if (!other_signature) {
        commit.signed_payload.append(line);
      }
      pos = next;
      continue;
    }

    auto space = content.find(' ');
    std::string_view key = space == std::string_view::npos ? content : content.substr(0, space);
    std::string_view value =
        space == std::string_view::npos ? std::string_view() : content.substr(space + 1);
    commit.fields.push_back({std::string(key), std::string(value)});

    in_signature = false;
    other_signature = false;
    if (key.starts_with("gpgsig")) {
      // Every gpgsig* header is excluded from the payload (git drops the other hash's
      // signature too). The SHA-1 `gpgsig` is the signature agate verifies; `gpgsig-sha256`
      // is reported only when there is no `gpgsig`.
      bool take = false;
      if (key == "gpgsig" && space != std::string_view::npos) {
        if (!saw_gpgsig) {
          commit.signature.clear();
        }
        saw_gpgsig = true;
        take = true;
        commit.signature_field = "gpgsig";
      } else if (key == "gpgsig-sha256" && space != std::string_view::npos && !saw_gpgsig &&
                 (commit.signature_field.empty() || commit.signature_field == "gpgsig-sha256")) {
        take = true;
        commit.signature_field = "gpgsig-sha256";
      }
      if (take) {
        in_signature = true;
        commit.signature.append(line.substr(space + 1));
      } else {
        other_signature = true;
      }
    } else {
      commit.signed_payload.append(line);
      if (key == "tree") {
        commit.tree = std::string(value);
      } else if (key == "parent") {
        commit.parents.emplace_back(value);
      } else if (key == "author") {
        commit.author = std::string(value);
      } else if (key == "committer") {
        commit.committer = std::string(value);
      } else if (key == "encoding") {
        commit.encoding = std::string(value);
      }
    }
    pos = next;
  }
  return commit; // no blank line: all header, empty message
}

std::vector<Trailer> parse_trailers(std::string_view message, const TrailerOptions& options) {
  std::size_t patch_start = find_patch_start(message);
  std::size_t trailer_end =
      patch_start - ignore_non_trailer(message, patch_start, options.comment_char);
  std::size_t trailer_start = find_trailer_start(message, trailer_end, options);

  // Split the block into lines, folding continuation lines into the trailer before them.
  std::vector<std::string> entries;
  bool last_is_trailer = false;
  std::string_view block = message.substr(trailer_start, trailer_end - trailer_start);
  for (std::size_t pos = 0; pos < block.size();) {
    std::size_t next = next_line(block, pos);
    std::string_view line = block.substr(pos, next - pos);
    if (last_is_trailer && git_isspace(line.front())) {
      entries.back().append(line);
    } else {
      entries.emplace_back(line);
      last_is_trailer = find_separator(line, options.separators) >= 1;
    }
    pos = next;
  }

  std::vector<Trailer> trailers;
  for (const auto& entry : entries) {
    if (entry.front() == options.comment_char) {
      continue;
    }
    auto separator_pos = find_separator(entry, options.separators);
    if (separator_pos < 1) {
      continue; // a non-trailer line inside a block that qualified by the 25% rule
    }
    auto sep = static_cast<std::size_t>(separator_pos);
    Trailer trailer;
    trailer.key = std::string(trim(std::string_view(entry).substr(0, sep)));
    trailer.value = unfold_value(trim(std::string_view(entry).substr(sep + 1)));
    trailers.push_back(std::move(trailer));
  }
  return trailers;
}

std::string message_summary(std::string_view message) {
  // pretty.c: skip leading blank lines, then join the lines of the first paragraph with a
  // space, each without its trailing whitespace.
  std::size_t pos = 0;
  while (pos < message.size() && is_blank_line(message, pos)) {
    pos = next_line(message, pos);
  }
  std::string summary;
  bool first = true;
  while (pos < message.size()) {
    std::size_t next = next_line(message, pos);
    std::string_view line = message.substr(pos, next - pos);
    while (!line.empty() && git_isspace(line.back())) {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      break;
    }
    if (!first) {
      summary += ' ';
    }
    summary.append(line);
    first = false;
    pos = next;
  }
  return summary;
}

bool parse_person(std::string_view raw, Person& out) {
  auto lt = raw.find('<');
  auto gt = raw.find('>', lt == std::string_view::npos ? 0 : lt);
  if (lt == std::string_view::npos || gt == std::string_view::npos) {
    return false;
  }
  out.name = std::string(trim(raw.substr(0, lt)));
  out.email = std::string(raw.substr(lt + 1, gt - lt - 1));
  std::string_view rest = trim(raw.substr(gt + 1));
  auto space = rest.find(' ');
  std::string_view time = rest.substr(0, space);
  int64_t seconds = 0;
  if (time.empty() ||
      std::from_chars(time.data(), time.data() + time.size(), seconds).ec != std::errc()) {
    return false;
  }
  out.time = seconds;
  out.offset_minutes = 0;
  if (space != std::string_view::npos) {
    std::string_view tz = trim(rest.substr(space + 1));
    if (tz.size() == 5 && (tz[0] == '+' || tz[0] == '-')) {
      int hhmm = 0;
      if (std::from_chars(tz.data() + 1, tz.data() + 5, hhmm).ec == std::errc()) {
        int minutes = (hhmm / 100) * 60 + hhmm % 100;
        out.offset_minutes = tz[0] == '-' ? -minutes : minutes;
      }
    }
  }
  return true;
}

CommitInfo commit_info(std::string id, std::string_view raw) {
  ParsedCommit parsed = parse_commit_object(raw);
  CommitInfo info;
  info.id = std::move(id);
  info.parents = std::move(parsed.parents);
  parse_person(parsed.author, info.author);
  parse_person(parsed.committer, info.committer);
  info.summary = message_summary(parsed.message);
  info.trailers = parse_trailers(parsed.message);
  info.message = std::move(parsed.message);
  info.raw_header = std::move(parsed.header);
  info.signature_field = std::move(parsed.signature_field);
  info.signature = std::move(parsed.signature);
  info.signed_payload = std::move(parsed.signed_payload);
  return info;
}

} // namespace agate::gate
