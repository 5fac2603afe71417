// The one reading of BASE..HEAD and single revisions that `agate check --range`, `agate verify`,
// `agate log` and `agate export` share: every edge case, and the help that states the rules.
#include "gate/app/revision_range.hpp"

#include "gate/app/cli.hpp"
#include "gate/util/error.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace agate::gate;

// The message of the error parsing `text` throws; empty when it parses.
std::string error_of(const std::string& text, RevisionForm form) {
  try {
    parse_revision_range(text, "--range", form);
  } catch (const agate::Error& error) {
    return error.what();
  }
  return "";
}

} // namespace

TEST_CASE("revision range: BASE..HEAD gives both sides, for every form") {
  for (auto form : {RevisionForm::range_only, RevisionForm::range_or_revision}) {
    auto range = parse_revision_range("main~2..feature", "--range", form);
    CHECK(range.is_range());
    CHECK(range.base == "main~2");
    CHECK(range.head == "feature");
    CHECK(range.text() == "main~2..feature");
    auto selection = selection_of(range);
    CHECK(selection.mode == SelectionMode::range);
    CHECK(selection.base == "main~2");
    CHECK(selection.head == "feature");
  }
}

TEST_CASE("revision range: a single revision only where the command accepts one") {
  auto single = parse_revision_range("HEAD~1", "agate verify", RevisionForm::range_or_revision);
  CHECK_FALSE(single.is_range());
  CHECK(single.head == "HEAD~1");
  CHECK(single.text() == "HEAD~1");
  auto selection = selection_of(single);
  CHECK(selection.mode == SelectionMode::commit);
  CHECK(selection.rev == "HEAD~1");

  auto error = error_of("HEAD~1", RevisionForm::range_only);
  CHECK(error == "--range expects BASE..HEAD, got 'HEAD~1' (a single revision)");
}

TEST_CASE("revision range: malformed arguments fail with one line naming the argument") {
  for (auto form : {RevisionForm::range_only, RevisionForm::range_or_revision}) {
    for (const char* text : {"", "..", "..HEAD", "HEAD..", "A...B", "...", "A..B..C", "A....B"}) {
      CAPTURE(text);
      auto error = error_of(text, form);
      CHECK(error.rfind("--range expects BASE..HEAD", 0) == 0);
      CHECK(error.find('\n') == std::string::npos);
      CHECK(error.find(std::string("'") + text + "'") != std::string::npos);
    }
  }
  CHECK(error_of("A...B", RevisionForm::range_or_revision).find("symmetric difference") !=
        std::string::npos);
  CHECK(error_of("..HEAD", RevisionForm::range_only).find("both sides") != std::string::npos);
  CHECK(error_of("HEAD..", RevisionForm::range_only).find("both sides") != std::string::npos);
  CHECK(error_of("A..B..C", RevisionForm::range_only).find("more than one") != std::string::npos);
  CHECK(error_of("", RevisionForm::range_or_revision).find("empty") != std::string::npos);
}

TEST_CASE("revision range: the help of every command that takes revisions states the rules") {
  for (const char* command : {"check", "verify", "log", "export"}) {
    CAPTURE(command);
    CHECK(help_text(command).find(std::string(k_revision_range_help)) != std::string::npos);
  }
  CHECK(help_text("show").find(std::string(k_revision_range_help)) == std::string::npos);
}
