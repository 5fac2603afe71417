// The one sanitizer for text a repository controls; see sanitize.hpp.
#include "gate/util/sanitize.hpp"

#include <cstdint>

namespace agate::gate {

namespace {

// One step of strict UTF-8 decoding at `i`: the code point and its length in bytes, or length 0
// when the byte at `i` does not start a valid sequence (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
struct Decoded {
  std::uint32_t code_point = 0;
  std::size_t length = 0;
};

Decoded decode(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t length = 0;
  std::uint32_t code_point = 0;
  std::uint32_t minimum = 0;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
    code_point = lead & 0x1fu;
    minimum = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    code_point = lead & 0x0fu;
    minimum = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    code_point = lead & 0x07u;
    minimum = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) {
    return {};
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      return {};
    }
    code_point = (code_point << 6) | (byte(i + k) & 0x3fu);
  }
  if (code_point < minimum || code_point > 0x10ffff ||
      (code_point >= 0xd800 && code_point <= 0xdfff)) {
    return {};
  }
  return {code_point, length};
}

// Code points that are invisible, reorder the text around them, or control the terminal.
bool is_hidden(std::uint32_t c) {
  return (c >= 0x80 && c <= 0x9f) ||                  // C1 controls
         c == 0xad || c == 0x34f || c == 0x61c ||     // soft hyphen, CGJ, Arabic letter mark
         c == 0x115f || c == 0x1160 ||                // Hangul fillers
         c == 0x17b4 || c == 0x17b5 ||                // Khmer inherent vowels
         (c >= 0x180b && c <= 0x180f) ||              // Mongolian selectors and vowel separator
         (c >= 0x200b && c <= 0x200f) ||              // zero width, LRM, RLM
         (c >= 0x2028 && c <= 0x202e) ||              // line/paragraph separators, bidi
         (c >= 0x2060 && c <= 0x206f) ||              // word joiner, invisible operators, isolates
         c == 0x3164 || c == 0xfeff || c == 0xffa0 || // Hangul filler, BOM, half-width filler
         (c >= 0xfff0 && c <= 0xfffb) ||              // interlinear annotation
         c == 0xfffe || c == 0xffff ||                // noncharacters
         (c >= 0x1d173 && c <= 0x1d17a) ||            // musical format characters
         (c >= 0xe0000 && c <= 0xe0fff);              // tags, variation selectors supplement
}

constexpr char k_hex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out += k_hex[(value >> shift) & 0x0fu];
  }
}

void append_byte_escape(std::string& out, unsigned char byte) {
  out += "\\x";
  append_hex(out, byte, 2);
}

void append_code_point_escape(std::string& out, std::uint32_t code_point) {
  if (code_point <= 0xffff) {
    out += "\\u";
    append_hex(out, code_point, 4);
  } else {
    out += "\\U";
    append_hex(out, code_point, 8);
  }
}

enum class Mode { text, text_keep_newlines, name };

// Appends `text` to `out` escaped for `mode`; returns whether anything was escaped.
bool escape_into(std::string& out, std::string_view text, Mode mode) {
  bool escaped = false;
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode(text, i);
    if (d.length == 0) {
      append_byte_escape(out, static_cast<unsigned char>(text[i]));
      escaped = true;
      ++i;
      continue;
    }
    const std::uint32_t c = d.code_point;
    // A carriage return is a line break only before a line feed: alone it moves the cursor back
    // to the line's start, and what follows would overwrite what the reader sees.
    const bool newline = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if (c == '\t' && mode != Mode::name) {
      out += '\t';
    } else if (newline && mode == Mode::text_keep_newlines) {
      out += static_cast<char>(c);
    } else if (mode == Mode::name && c == '\t') {
      out += "\\t";
      escaped = true;
    } else if (mode == Mode::name && c == '\n') {
      out += "\\n";
      escaped = true;
    } else if (c < 0x20 || c == 0x7f) {
      append_byte_escape(out, static_cast<unsigned char>(c));
      escaped = true;
    } else if (is_hidden(c)) {
      append_code_point_escape(out, c);
      escaped = true;
    } else if (mode == Mode::name && (c == '\\' || c == '"')) {
      out += '\\';
      out += static_cast<char>(c);
      escaped = c == '\\' || escaped;
    } else {
      out.append(text.substr(i, d.length));
    }
    i += d.length;
  }
  return escaped;
}

} // namespace

std::string sanitize(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  escape_into(out, text, keep_newlines ? Mode::text_keep_newlines : Mode::text);
  return out;
}

std::string quote_name(std::string_view name) {
  std::string quoted = "\"";
  quoted.reserve(name.size() + 2);
  const bool escaped = escape_into(quoted, name, Mode::name);
  const bool edge_space =
      !name.empty() && (name.front() == ' ' || name.back() == ' ' || name.front() == '"');
  if (!escaped && !edge_space) {
    return std::string(name);
  }
  quoted += '"';
  return quoted;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode(text, i);
    if (d.length == 0) {
      return false;
    }
    i += d.length;
  }
  return true;
}

std::string escape_invalid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded d = decode(text, i);
    if (d.length == 0) {
      append_byte_escape(out, static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      out.append(text.substr(i, d.length));
      i += d.length;
    }
  }
  return out;
}

} // namespace agate::gate
