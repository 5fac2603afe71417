// The lines a file change really adds and deletes (analyzers/changed_lines.hpp): a CRLF to LF
// rewrite, a re-indented block and a block moved down the file change nothing; a real edit among
// them is still seen, line by line.
#include "analyzers/changed_lines.hpp"
#include "tests/support/file_change_builder.hpp"

#include <doctest/doctest.h>

using namespace agate;

namespace {

gate::FileChange change_of(const std::string& old_text, const std::string& new_text) {
  gate::MapContentSource contents;
  int next = 0;
  return test::file_change_from_texts("src/app.py", old_text, new_text, "python", contents, next);
}

} // namespace

TEST_CASE("changed lines: line endings and indentation alone change nothing") {
  const std::string lf = "def check(x):\n    if x is None:\n        raise ValueError(x)\n"
                         "    return x\n";
  std::string crlf;
  for (char c : lf) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  auto eol = analyzers::changed_lines(change_of(crlf, lf));
  CHECK(eol.added.empty());
  CHECK(eol.deleted.empty());

  // The check now inside an inner function: re-indented, not removed.
  const std::string nested = "def check(x):\n    def run():\n            if x is None:\n"
                             "                raise ValueError(x)\n    run()\n    return x\n";
  auto indented = analyzers::changed_lines(change_of(lf, nested));
  CHECK(indented.deleted.empty());
  CHECK(indented.added == std::set<int>{2, 5});
}

TEST_CASE("changed lines: a real edit among re-spaced lines is still added and deleted") {
  const std::string old_text = "a = 1\r\nb = 2\r\nc = 3\r\n";
  const std::string new_text = "a = 1\nb  =  20\nc = 3\n";
  auto lines = analyzers::changed_lines(change_of(old_text, new_text));
  CHECK(lines.deleted == std::set<int>{2});
  CHECK(lines.added == std::set<int>{2});
  CHECK(analyzers::without_whitespace(" b \t= 2\r") == "b=2");
}
