// Markdown for text a repository controls (paths, messages, code, prompts), for the job summary
// and for what agate posts on a pull request. One set of functions, so that no output forgets a
// case: control and invisible characters go through gate/util/sanitize.hpp first, HTML and
// Markdown syntax characters are escaped so the text cannot open a link, an image or a tag, nor
// close the table cell, <details> block or code block it sits in, and code fences and spans are
// longer than any run of backticks inside them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// Text for a Markdown paragraph or table cell: HTML and Markdown syntax characters escaped,
// newlines as <br> (a table row is one line).
std::string escape_plain(std::string_view text);
// An inline code span that holds `raw` literally; '|' escaped when `in_table`.
std::string code_span(std::string_view raw, bool in_table);
// A message or hint: `code` written by an analyzer stays a code span, everything else is escaped.
std::string escape_text(std::string_view text, bool in_table = false);
// The fence language of a file name (".py": "python"), empty when unknown.
std::string_view fence_language(std::string_view file);
// A fenced code block holding `lines`, whose fence is longer than any run of backticks in them.
std::string code_block(const std::vector<std::string>& lines, std::string_view language);

} // namespace agate::gate
