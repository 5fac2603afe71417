// Tests of the HTTP client's retry decision (5xx, 429, secondary rate limits with Retry-After or
// X-RateLimit-Reset; a plain 403 is final) and of the libcurl client against a port nobody
// listens on: a failure that names the method and URL and never a header value; no protocol but
// HTTP(S).
#include "gate/publish/http_client.hpp"

#include <doctest/doctest.h>

using namespace agate::gate;
using std::chrono::seconds;

namespace {

HttpResponse response(long status, std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  return r;
}

} // namespace

TEST_CASE("http client: which answers are tried again, and after how long") {
  CHECK(retry_delay(response(200), 1, 0) == std::nullopt);
  CHECK(retry_delay(response(404), 1, 0) == std::nullopt);
  CHECK(retry_delay(response(422), 1, 0) == std::nullopt);
  CHECK(retry_delay(response(502), 1, 0) == seconds(1));
  CHECK(retry_delay(response(503), 2, 0) == seconds(2));
  CHECK(retry_delay(response(503, {{"retry-after", "7"}}), 1, 0) == seconds(7));
  // A plain 403 is a missing permission: final.
  CHECK(retry_delay(response(403), 1, 0) == std::nullopt);
  // Secondary rate limits: Retry-After, else X-RateLimit-Reset when nothing remains.
  CHECK(retry_delay(response(403, {{"retry-after", "3"}}), 1, 0) == seconds(3));
  CHECK(retry_delay(response(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1010"}}),
                    1, 1000) == seconds(11));
  CHECK(retry_delay(response(429), 1, 0) == seconds(60));
  CHECK(retry_delay(response(429, {{"retry-after", "not a number"}}), 1, 0) == seconds(60));
}

TEST_CASE("http client: a refused connection fails without naming any header") {
  CurlOptions options;
  options.max_tries = 2;
  int slept = 0;
  options.sleep = [&](seconds) { ++slept; };
  CurlHttpClient client(options);
  HttpRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:1/repos/o/r/check-runs";
  request.headers = {{"Authorization", "Bearer ghs_secretValue"}};
  request.body = "{}";
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().find("POST http://127.0.0.1:1/repos/o/r/check-runs") == 0);
  CHECK(result.error().find("ghs_secretValue") == std::string::npos);
  CHECK(slept == 1); // tried twice
}

TEST_CASE("http client: a URL of another protocol is refused, nothing is read") {
  // An API URL such as file:///etc/passwd must not make agate read a local file as the answer.
  CurlOptions options;
  options.max_tries = 1;
  CurlHttpClient client(options);
  HttpRequest request;
  request.method = "GET";
  request.url = "file:///etc/hostname";
  auto result = client.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().find("GET file:///etc/hostname") == 0);
}
