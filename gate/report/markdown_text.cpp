// Markdown for text a repository controls; see markdown_text.hpp.
#include "gate/report/markdown_text.hpp"

#include "gate/util/sanitize.hpp"

#include <algorithm>

namespace agate::gate {

// Text for a Markdown paragraph or table cell: HTML and Markdown syntax characters escaped,
// newlines as <br> (a table row is one line).
std::string escape_plain(std::string_view text) {
  std::string out;
  for (char c : sanitize(text, true)) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '\n':
      out += "<br>";
      break;
    case '\r':
      break;
    case '|':
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '#':
    case '~':
      out += '\\';
      out += c;
      break;
    default:
      out += c;
    }
  }
  return out;
}

// An inline code span that holds `text` literally: delimited by more backticks than any run
// inside it; '|' escaped for tables (GitHub removes the backslash inside a table cell).
std::string code_span(std::string_view raw, bool in_table) {
  std::string text = sanitize(raw);
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string body;
  for (char c : text) {
    if (in_table && c == '|') {
      body += "\\|";
    } else {
      body += c;
    }
  }
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// A message or hint: `code` written by an analyzer stays a code span (matched as CommonMark
// does: a run of N backticks up to the next run of exactly N), everything else is escaped.
std::string escape_text(std::string_view text, bool in_table) {
  std::string out;
  std::size_t plain_from = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    std::size_t open_end = text.find_first_not_of('`', i);
    std::size_t run = (open_end == std::string_view::npos ? text.size() : open_end) - i;
    std::size_t close = std::string_view::npos;
    for (std::size_t j = i + run; j < text.size();) {
      if (text[j] != '`') {
        ++j;
        continue;
      }
      std::size_t end = text.find_first_not_of('`', j);
      end = end == std::string_view::npos ? text.size() : end;
      if (end - j == run) {
        close = j;
        break;
      }
      j = end;
    }
    if (close == std::string_view::npos) {
      i += run; // unmatched: the backticks are escaped as plain text
      continue;
    }
    out += escape_plain(text.substr(plain_from, i - plain_from));
    out += code_span(text.substr(i + run, close - i - run), in_table);
    i = close + run;
    plain_from = i;
  }
  out += escape_plain(text.substr(plain_from));
  return out;
}

std::string_view fence_language(std::string_view file) {
  static constexpr std::pair<std::string_view, std::string_view> languages[] = {
      {".py", "python"},      {".js", "javascript"}, {".mjs", "javascript"},
      {".cjs", "javascript"}, {".jsx", "jsx"},       {".ts", "typescript"},
      {".tsx", "tsx"},        {".go", "go"},         {".rs", "rust"},
      {".java", "java"},      {".c", "c"},           {".h", "c"},
      {".cc", "cpp"},         {".cpp", "cpp"},       {".cxx", "cpp"},
      {".hpp", "cpp"},        {".hh", "cpp"},        {".json", "json"},
  };
  for (const auto& [ext, language] : languages) {
    if (file.size() > ext.size() && file.substr(file.size() - ext.size()) == ext) {
      return language;
    }
  }
  return {};
}

// A fenced code block whose fence is longer than any run of backticks in the code.
std::string code_block(const std::vector<std::string>& lines, std::string_view language) {
  std::size_t longest = 0;
  std::string body;
  for (const std::string& raw : lines) {
    std::string line = sanitize(raw);
    std::size_t run = 0;
    for (char c : line) {
      run = c == '`' ? run + 1 : 0;
      longest = std::max(longest, run);
    }
    body += line + "\n";
  }
  std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + std::string(language) + "\n" + body + fence + "\n";
}

} // namespace agate::gate
