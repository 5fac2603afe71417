// A finding: what an analyzer reports. Plain data; reporters turn a list of findings into text.
//
// `rule` is a stable id such as `size/oversized-change` (docs/rules.md lists them). Lines
// are 1-based and refer to the new version of the file, or to the old version when `side` is
// `old` (a deleted file or deleted lines). A finding about a whole change has an empty `file`.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

enum class Severity { note = 0, warning = 1, error = 2 };
enum class Side { new_side, old_side };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);
std::string_view to_string(Side side); // "new" / "old"

struct Finding {
  std::string rule; // e.g. "size/oversized-change"
  Severity severity = Severity::warning;
  std::string file; // repository-relative, '/'-separated; empty: the whole change
  int line = 0;     // 1-based; 0 when the finding has no line
  int end_line = 0; // inclusive; >= line
  Side side = Side::new_side;
  std::string message;                                // one or two sentences: what, where, why
  nlohmann::json evidence = nlohmann::json::object(); // machine-readable facts behind the message
  std::string hint;                                   // what to do about it
  std::string change; // label of the change it belongs to: a commit id, "staged", a range
};

} // namespace agate::gate
