// JSON with comments, as people write configuration files: parsed with nlohmann::json (comments
// allowed), with errors a person can act on. A syntax error names the line and column, a trailing
// comma gets its own message (not JSON, but the most common slip in hand-edited files), and a
// duplicate key is an error (JSON keeps only the last one, silently).
#pragma once

#include "gate/util/error.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace agate::gate {

// The document in `text`; failures start with `origin` (a file name) and a position.
Result<nlohmann::json> parse_jsonc(std::string_view text, std::string_view origin);

} // namespace agate::gate
