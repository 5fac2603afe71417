// The review page as a file: the data escaped for a <script> element (no repository text can
// close it or open a comment, U+2028/U+2029 included), the template embedded, and nothing in
// the page that reaches the network.
#include "gate/review/review_html.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace {

using namespace agate::gate;

} // namespace

TEST_CASE("review page: data in the script element cannot close it") {
  nlohmann::json data = {{"subject", "</script><img src=x onerror=alert(1)> & <!-- \u2028\u2029"}};
  auto safe = script_safe_json(data);
  CHECK(safe.find('<') == std::string::npos);
  CHECK(safe.find('>') == std::string::npos);
  CHECK(safe.find('&') == std::string::npos);
  CHECK(safe.find("\xe2\x80\xa8") == std::string::npos);
  CHECK(safe.find("\xe2\x80\xa9") == std::string::npos);
  CHECK(safe.find("\\u003c/script\\u003e") != std::string::npos);
  CHECK(safe.find("\\u2028\\u2029") != std::string::npos);
  // Still the same JSON.
  CHECK(nlohmann::json::parse(safe) == data);
}

TEST_CASE("review page: the template with the data, self-contained") {
  nlohmann::json page = {{"range", "main..topic"},
                         {"commits", nlohmann::json::array({{{"subject", "</script>x"}}})}};
  auto html = review_html(page);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("{{AGATE_REVIEW_DATA}}") == std::string::npos);
  CHECK(html.find("main..topic") != std::string::npos);
  // One closing tag per script element: the data added none.
  std::size_t closings = 0;
  for (auto at = html.find("</script>"); at != std::string::npos;
       at = html.find("</script>", at + 1)) {
    ++closings;
  }
  CHECK(closings == 2);
  // No URL and nothing that loads: no http(s) or protocol-relative reference, no src or href,
  // no fetch, XMLHttpRequest, import or innerHTML.
  CHECK_FALSE(
      std::regex_search(html, std::regex("https?:|//[a-z0-9.-]+\\.[a-z]{2,}/", std::regex::icase)));
  for (const char* word :
       {"src=", "href=", "fetch(", "XMLHttpRequest", "import(", "innerHTML", "@import", "url("}) {
    INFO(word);
    CHECK(html.find(word) == std::string::npos);
  }
}
