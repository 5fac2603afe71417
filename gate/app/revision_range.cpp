// Parsing of BASE..HEAD and single revisions; see revision_range.hpp.
#include "gate/app/revision_range.hpp"

#include "gate/util/error.hpp"

namespace agate::gate {

const std::string_view k_revision_range_help =
    "BASE..HEAD: the commits reachable from HEAD and not from BASE, both sides given (A...B, "
    "..HEAD and BASE.. are not accepted).";

RevisionRange parse_revision_range(std::string_view text, std::string_view what,
                                   RevisionForm form) {
  const std::string expected =
      form == RevisionForm::range_only ? "BASE..HEAD" : "BASE..HEAD or a revision";
  auto reject = [&](std::string_view why) -> Error {
    return Error(std::string(what) + " expects " + expected + ", got '" + std::string(text) +
                 "' (" + std::string(why) + ")");
  };
  if (text.empty()) {
    throw reject("an empty argument");
  }
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    if (form == RevisionForm::range_only) {
      throw reject("a single revision");
    }
    return RevisionRange{"", std::string(text)};
  }
  if (text.find("...") != std::string_view::npos) {
    throw reject("the symmetric difference A...B is not supported");
  }
  if (text.find("..", dots + 2) != std::string_view::npos) {
    throw reject("more than one '..'");
  }
  if (dots == 0 || dots + 2 == text.size()) {
    throw reject("both sides of '..' must be given");
  }
  return RevisionRange{std::string(text.substr(0, dots)), std::string(text.substr(dots + 2))};
}

Selection selection_of(const RevisionRange& range) {
  Selection selection;
  if (range.is_range()) {
    selection.mode = SelectionMode::range;
    selection.base = range.base;
    selection.head = range.head;
  } else {
    selection.mode = SelectionMode::commit;
    selection.rev = range.head;
  }
  return selection;
}

} // namespace agate::gate
