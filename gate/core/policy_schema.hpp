// The policy's schema: one table of every key `.agate/config.json` accepts, with its type, its
// allowed values and the function that stores it in the Policy struct, and the validator that
// walks a document against it. Adding a section for a later analyzer is a struct in policy.hpp,
// one row for the section and one per key. Unknown keys and wrong types are errors naming the key
// path, with a "did you mean" when a known key is close.
#pragma once

#include "gate/core/policy.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace agate::gate {

// Validates `document` and stores every key in `policy`; then checks the keys against one another
// (e.g. size.error_lines >= size.warn_lines). Returns the first problem, prefixed by `origin`.
std::optional<std::string> validate_policy(const nlohmann::json& document, std::string_view origin,
                                           Policy& policy);

} // namespace agate::gate
