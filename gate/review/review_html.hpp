// The review page of `agate review RANGE --html FILE`: one self-contained HTML file, the
// template rules/review/review.html (embedded at build time) with the page model (review_model)
// set into it as JSON.
//
// The data goes into a <script type="application/json"> element, where the browser does not
// decode entities, so it is escaped for that place: `<`, `>` and `&` as \u003c, \u003e, \u0026
// (no `</script>` or `<!--` can appear), and U+2028/U+2029 as \u2028/\u2029. The page's script
// reads it with JSON.parse and sets every piece of repository text with textContent.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace agate::gate {

// `data` as JSON that is safe inside a <script> element (see above); invalid UTF-8 replaced.
std::string script_safe_json(const nlohmann::json& data);

// The page for `page` (page_json in review_model.hpp).
std::string review_html(const nlohmann::json& page);

} // namespace agate::gate
