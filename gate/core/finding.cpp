// String forms of severities and sides, shared by the policy parser and every reporter.
#include "gate/core/finding.hpp"

namespace agate::gate {

std::string_view to_string(Severity severity) {
  switch (severity) {
  case Severity::note:
    return "note";
  case Severity::warning:
    return "warning";
  case Severity::error:
    return "error";
  }
  return "note";
}

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "note") {
    return Severity::note;
  }
  if (text == "warning") {
    return Severity::warning;
  }
  if (text == "error") {
    return Severity::error;
  }
  return std::nullopt;
}

std::string_view to_string(Side side) {
  return side == Side::old_side ? "old" : "new";
}

} // namespace agate::gate
