// The commit-msg hook's trailer insertion: the `Agate-Prompt:` trailer joins the message's
// trailer block or starts one, sits before the comments git strips, and nothing else changes.
#include "gate/git/commit_parser.hpp"
#include "gate/provenance/message_trailers.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

using agate::gate::add_trailers;
using agate::gate::Trailer;

namespace {
const std::vector<Trailer> k_prompt = {{"Agate-Prompt", "20261125T054200Z-3f2a1b9c"}};
}

TEST_CASE("trailers: a message without trailers gets a new paragraph") {
  CHECK(add_trailers("Fix the login form\n", k_prompt) ==
        "Fix the login form\n\nAgate-Prompt: 20261125T054200Z-3f2a1b9c\n");
  CHECK(add_trailers("Title only, no newline", k_prompt) ==
        "Title only, no newline\n\nAgate-Prompt: 20261125T054200Z-3f2a1b9c\n");
}

TEST_CASE("trailers: an existing trailer block is joined, comments stay after it") {
  std::string message = "Fix the login form\n\nBody text.\n\nSigned-off-by: Ada <ada@example.org>\n"
                        "\n# Please enter the commit message for your changes.\n#\n";
  std::string expected =
      "Fix the login form\n\nBody text.\n\nSigned-off-by: Ada <ada@example.org>\n"
      "Agate-Prompt: 20261125T054200Z-3f2a1b9c\n"
      "\n# Please enter the commit message for your changes.\n#\n";
  auto result = add_trailers(message, k_prompt);
  CHECK(result == expected);
  // git itself reads the trailer where we put it.
  auto trailers = agate::gate::parse_trailers(result);
  REQUIRE(trailers.size() == 2);
  CHECK(trailers[1].key == "Agate-Prompt");
}

TEST_CASE("trailers: the scissors line and what follows it are kept as they are") {
  std::string message = "Title\n\nBody\n# ------------------------ >8 ------------------------\n"
                        "# Do not modify or remove the line above.\ndiff --git a/x b/x\n";
  CHECK(add_trailers(message, k_prompt) ==
        "Title\n\nBody\n\nAgate-Prompt: 20261125T054200Z-3f2a1b9c\n"
        "# ------------------------ >8 ------------------------\n"
        "# Do not modify or remove the line above.\ndiff --git a/x b/x\n");
}

TEST_CASE("trailers: an empty message is left empty so git still aborts the commit") {
  std::string empty = "\n# Please enter the commit message for your changes.\n";
  CHECK(add_trailers(empty, k_prompt) == empty);
  CHECK(add_trailers("", k_prompt).empty());
}

TEST_CASE("trailers: a trailer already there is not added twice") {
  std::string message = "Title\n\nAgate-Prompt: 20261125T054200Z-3f2a1b9c\n";
  CHECK(add_trailers(message, k_prompt) == message);
  std::vector<Trailer> two = {k_prompt[0], {"Agate-Prompt", "20261125T060000Z-aaaaaaaa"}};
  CHECK(add_trailers(message, two) == message + "Agate-Prompt: 20261125T060000Z-aaaaaaaa\n");
}

TEST_CASE("trailers: agrees with git interpret-trailers on a plain message") {
  agate::test::TempDir tmp;
  auto file = tmp / "msg";
  std::string message = "Add the export button\n\nIt writes CSV.\n";
  agate::test::write_file(file, message);
  auto git = agate::test::run({"git", "interpret-trailers", "--trailer",
                               "Agate-Prompt: 20261125T054200Z-3f2a1b9c", file.string()});
  REQUIRE(git.exit_code == 0);
  CHECK(add_trailers(message, k_prompt) == git.out);
}
