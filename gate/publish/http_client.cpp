// The libcurl HTTP client; see http_client.hpp.
#include "gate/publish/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>

namespace agate::gate {

namespace {

struct CurlFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlFree>;
using CurlList = std::unique_ptr<curl_slist, SlistFree>;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * count;
}

std::optional<long> number(const std::string& text) {
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stol(text);
}

} // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::chrono::seconds> retry_delay(const HttpResponse& response, int attempt,
                                                long now_unix) {
  if (response.status >= 500 && response.status <= 599) {
    if (auto after = number(response.header("retry-after"))) {
      return std::chrono::seconds(*after);
    }
    return std::chrono::seconds(attempt);
  }
  if (response.status != 429 && response.status != 403) {
    return std::nullopt;
  }
  if (auto after = number(response.header("retry-after"))) {
    return std::chrono::seconds(*after);
  }
  if (response.header("x-ratelimit-remaining") == "0") {
    if (auto reset = number(response.header("x-ratelimit-reset"))) {
      return std::chrono::seconds(std::max(0L, *reset - now_unix) + 1);
    }
  }
  if (response.status == 429) {
    return std::chrono::seconds(60);
  }
  return std::nullopt; // a plain 403: no permission, trying again does not help
}

CurlHttpClient::CurlHttpClient(CurlOptions options) : m_options(std::move(options)) {
  global_init();
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  for (int attempt = 1;; ++attempt) {
    auto response = send_once(request);
    if (attempt >= m_options.max_tries) {
      return response;
    }
    std::chrono::seconds wait{attempt};
    if (response) {
      auto delay = retry_delay(*response, attempt, static_cast<long>(std::time(nullptr)));
      if (!delay || *delay > m_options.max_wait) {
        return response;
      }
      wait = *delay;
    }
    if (m_options.sleep) {
      m_options.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
}

Result<HttpResponse> CurlHttpClient::send_once(const HttpRequest& request) {
  CurlHandle curl(curl_easy_init());
  if (!curl) {
    return fail("cannot start libcurl");
  }
  CURL* handle = curl.get();
  CurlList headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) {
      return fail("out of memory building the request headers");
    }
    (void)headers.release();
    headers.reset(grown);
  }
  HttpResponse response;
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(m_options.connect_timeout.count() * 1000));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(m_options.total_timeout.count() * 1000));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  // Never a redirect (the token would follow it to another host), never a protocol but HTTP(S).
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &response.headers);
  CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    return fail(request.method + " " + request.url + ": " + curl_easy_strerror(code));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

} // namespace agate::gate
