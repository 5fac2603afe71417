// Tests of the one sanitizer (gate/util/sanitize.hpp): terminal controls, bidi and invisible
// format characters and invalid UTF-8 are escaped visibly; printable text stays as it is; names
// are quoted only when needed and two different names never print the same.
#include "gate/util/sanitize.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using agate::gate::escape_invalid_utf8;
using agate::gate::is_valid_utf8;
using agate::gate::quote_name;
using agate::gate::sanitize;

TEST_CASE("sanitize: printable text, UTF-8 and tabs pass unchanged") {
  CHECK(sanitize("def f(x):\treturn x \\ 2") == "def f(x):\treturn x \\ 2");
  CHECK(sanitize("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80") ==
        "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
  CHECK(sanitize("") == "");
}

TEST_CASE("sanitize: C0 and C1 controls, DEL and terminal escapes become visible") {
  // OSC 52: write to the clipboard; CSI 2J: clear the screen; 0x9b: the one-byte CSI.
  CHECK(sanitize("a\x1b]52;c;ZXZpbA==\x07z") == "a\\x1b]52;c;ZXZpbA==\\x07z");
  CHECK(sanitize("x\x1b[2Jy\x7f") == "x\\x1b[2Jy\\x7f");
  CHECK(sanitize("\xc2\x9b"
                 "31m") == "\\u009b31m");
  CHECK(sanitize("a\r\nb") == "a\\x0d\\x0ab");
  CHECK(sanitize("a\r\nb", true) == "a\r\nb");
  // A carriage return alone would let a line overwrite itself on a terminal.
  CHECK(sanitize("rm -rf /\rok      ", true) == "rm -rf /\\x0dok      ");
  CHECK(sanitize("a\r", true) == "a\\x0d");
  CHECK(sanitize(std::string("nul\0byte", 8)) == "nul\\x00byte");
}

TEST_CASE("sanitize: bidi controls and invisible format characters are escaped") {
  // Trojan Source: RLO, LRI/RLI/FSI/PDI, zero-width characters, line separators, BOM, tags.
  CHECK(sanitize("access\xe2\x80\xae"
                 "nimda") == "access\\u202enimda");
  CHECK(sanitize("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
  CHECK(sanitize("a\xe2\x80\x8b"
                 "b\xe2\x80\x8f") == "a\\u200bb\\u200f");
  CHECK(sanitize("a\xe2\x80\xa8"
                 "b\xe2\x80\xa9") == "a\\u2028b\\u2029");
  CHECK(sanitize("\xef\xbb\xbfstart") == "\\ufeffstart");
  CHECK(sanitize("tag\xf3\xa0\x80\x81") == "tag\\U000e0001");
  CHECK(sanitize("soft\xc2\xad"
                 "hyphen") == "soft\\u00adhyphen");
}

TEST_CASE("sanitize: bytes that are not valid UTF-8 become \\xNN, one escape per byte") {
  CHECK(sanitize("caf\xe9") == "caf\\xe9");
  CHECK(sanitize("\xff\xfe") == "\\xff\\xfe");
  CHECK(sanitize("\xc0\xaf") == "\\xc0\\xaf");                   // overlong '/'
  CHECK(sanitize("\xed\xa0\x80") == "\\xed\\xa0\\x80");          // a UTF-16 surrogate
  CHECK(sanitize("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80"); // past U+10FFFF
  CHECK(sanitize("cut \xe2\x82") == "cut \\xe2\\x82");           // a truncated sequence
  CHECK(sanitize("\xe9t\xc3\xa9") == "\\xe9t\xc3\xa9");          // the valid part after it stays
}

TEST_CASE("quote_name: plain names unchanged, any other quoted; never two alike") {
  CHECK(quote_name("src/app.py") == "src/app.py");
  CHECK(quote_name("docs/r\xc3\xa9sum\xc3\xa9.md") == "docs/r\xc3\xa9sum\xc3\xa9.md");
  CHECK(quote_name("Ada \"the\" Tester") == "Ada \"the\" Tester");
  CHECK(quote_name("a\\b.py") == "\"a\\\\b.py\"");
  CHECK(quote_name("\"quoted\".py") == "\"\\\"quoted\\\".py\"");
  CHECK(quote_name("trailing.py ") == "\"trailing.py \"");
  CHECK(quote_name("tab\there") == "\"tab\\there\"");
  CHECK(quote_name("new\nline") == "\"new\\nline\"");
  CHECK(quote_name("caf\xe9.py") == "\"caf\\xe9.py\"");
  CHECK(quote_name("evil\xe2\x80\xae"
                   "yp.exe") == "\"evil\\u202eyp.exe\"");

  // The names a hostile change would use to make one path look like another.
  const std::vector<std::string> names = {
      "caf\xe9.py",
      "caf\\xe9.py",
      "\"caf\\xe9.py\"",
      "caf\xc3\xa9.py",
      "caf\xef\xbf\xbd.py",
      "a\x1b.py",
      "a\\x1b.py",
      "a^[.py",
      "ab.py",
      "a\xe2\x80\x8b"
      "b.py",
      "a b.py",
      "a b.py ",
      "\"a b.py\"",
      "x\\u202e",
      "x\xe2\x80\xae",
      "x\\",
      "x\\\\",
      "x\"",
      "\"x",
      "x\t",
      "x\\t",
      "x\n",
      "x\\n",
      "",
  };
  std::set<std::string> shown;
  for (const auto& name : names) {
    shown.insert(quote_name(name));
  }
  CHECK(shown.size() == names.size());
}

TEST_CASE("escape_invalid_utf8: valid text unchanged, each bad byte as \\xNN") {
  CHECK(is_valid_utf8("caf\xc3\xa9 \xe2\x80\xae"));
  CHECK_FALSE(is_valid_utf8("caf\xe9"));
  CHECK_FALSE(is_valid_utf8("\xc0\x80"));
  CHECK(escape_invalid_utf8("caf\xc3\xa9\x1b") == "caf\xc3\xa9\x1b");
  CHECK(escape_invalid_utf8("caf\xe9") == "caf\\xe9");
  CHECK(escape_invalid_utf8("\xe9") != escape_invalid_utf8("\xe8"));
  CHECK(is_valid_utf8(escape_invalid_utf8("\xff\xfe\xed\xa0\x80 ok")));
}
