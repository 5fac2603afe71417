// The review page; see review_html.hpp.
#include "gate/review/review_html.hpp"

#include "gate/util/embedded.hpp"
#include "gate/util/error.hpp"

namespace agate::gate {

namespace {

constexpr std::string_view k_template = "review/review.html";
constexpr std::string_view k_placeholder = "{{AGATE_REVIEW_DATA}}";

} // namespace

std::string script_safe_json(const nlohmann::json& data) {
  std::string json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xe2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
      out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string review_html(const nlohmann::json& page) {
  const auto* file = embedded::find(k_template);
  if (file == nullptr) {
    throw Error("the review page template rules/" + std::string(k_template) +
                " is not built into this agate");
  }
  std::string html(file->content);
  auto at = html.find(k_placeholder);
  if (at == std::string::npos) {
    throw Error("the review page template has no data placeholder");
  }
  html.replace(at, k_placeholder.size(), script_safe_json(page));
  return html;
}

} // namespace agate::gate
