// HTTP for the publisher: an interface (so the GitHub calls can be planned and tested apart from
// the network) and its libcurl implementation.
//
// The libcurl client:
//   - times out: 10 s to connect, 30 s for a whole request;
//   - tries a request at most `max_tries` times (3): again after a 5xx answer or a transport
//     failure, and after a rate limit (429, or 403 with Retry-After or with
//     X-RateLimit-Remaining: 0), waiting what Retry-After or X-RateLimit-Reset asks (at most
//     `max_wait`; a longer wait is not waited, the answer is returned);
//   - never puts a header value in a message: the token travels in the Authorization header and
//     appears in no error, log or output. Errors name the method, the URL (which holds no
//     secret) and libcurl's reason.
// The CURL* and curl_slist* handles live in RAII owners.
#pragma once

#include "gate/util/error.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agate::gate {

struct HttpRequest {
  std::string method; // GET, POST, PATCH
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body; // sent when not empty
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers; // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const;
};

class HttpClient {
public:
  virtual ~HttpClient() = default;
  // The answer, whatever its status; a failure only when no answer came.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// How long to wait before trying `response` again, or nullopt when it is not worth another try:
// 5xx (1 s, then 2 s), 429 or a 403 that says it is a rate limit (Retry-After seconds, else
// X-RateLimit-Reset minus `now_unix`). `attempt` counts from 1.
std::optional<std::chrono::seconds> retry_delay(const HttpResponse& response, int attempt,
                                                long now_unix);

struct CurlOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{30};
  int max_tries = 3;
  std::chrono::seconds max_wait{60};
  // Waits between tries; std::this_thread::sleep_for when empty.
  std::function<void(std::chrono::seconds)> sleep;
};

class CurlHttpClient final : public HttpClient {
public:
  explicit CurlHttpClient(CurlOptions options = {});
  Result<HttpResponse> send(const HttpRequest& request) override;

private:
  Result<HttpResponse> send_once(const HttpRequest& request);
  CurlOptions m_options;
};

} // namespace agate::gate
