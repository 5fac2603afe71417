// Text that a repository controls (commit messages, author and committer names and emails, file
// paths, code lines, a prompt record's tool, model and prompt) made safe to show on a terminal
// or in a document. One sanitizer for every command, so that no output path forgets a case.
//
// What is escaped, and how:
//   - C0 controls and DEL (ESC, BEL, CR...) as \xNN, so that a commit cannot drive the terminal
//     (OSC 52 clipboard writes, cursor moves, colors) or forge lines of output;
//   - C1 controls (U+0080-U+009F, CSI among them) and invisible or reordering format
//     characters (bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069,
//     zero-width characters U+200B-U+200F, U+2028/U+2029, U+FEFF, tag characters...) as \uXXXX
//     or \UXXXXXXXX, so that what is read is what is there ("Trojan Source");
//   - bytes that are not part of valid UTF-8 (overlong forms and surrogates included) as \xNN,
//     so that two different byte strings never print the same character (U+FFFD would).
// Printable UTF-8 and tabs stay as they are; newlines stay only when asked.
//
// `sanitize` is for prose and code, where a backslash is common and stays as it is. A name that
// identifies something (a path, a person, an email) goes through `quote_name`, which is
// injective: a name that needs no escape is shown unchanged, any other in double quotes with the
// backslash and the quote escaped too, as git's core.quotePath does for paths.
#pragma once

#include <string>
#include <string_view>

namespace agate::gate {

// `text` with the characters above escaped. Tabs are kept; LF and CR LF are kept when
// `keep_newlines`, escaped otherwise (a CR alone is always escaped: it would let a line overwrite
// itself on a terminal).
std::string sanitize(std::string_view text, bool keep_newlines = false);

// `name` unchanged when it is printable UTF-8 with no backslash, no leading double quote and no
// leading or trailing space; otherwise "..." with every escape of `sanitize` (tabs and newlines
// included) and \\ and \" for the backslash and the quote. Two different names never give the
// same text.
std::string quote_name(std::string_view name);

// True when `text` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with each byte that is not part of valid UTF-8 written as the four characters \xNN and
// everything else unchanged: for JSON, which must be UTF-8, without losing which bytes they were.
std::string escape_invalid_utf8(std::string_view text);

} // namespace agate::gate
