// The GitHub REST calls agate makes to publish its findings on a pull request, over an
// HttpClient. Each call returns the answer's status and parsed body; the caller decides what a
// 403, 404 or 422 means. Lists follow pagination (per_page=100, up to 10 pages).
//
//   reviews          GET  /repos/{repo}/pulls/{n}/reviews, POST the same path (event COMMENT)
//   review comments  GET  /repos/{repo}/pulls/{n}/comments
//   check runs       POST /repos/{repo}/check-runs, PATCH /repos/{repo}/check-runs/{id}
//   issue comments   GET/POST /repos/{repo}/issues/{n}/comments,
//                    PATCH /repos/{repo}/issues/comments/{id}
//
// The base URL is GITHUB_API_URL (https://api.github.com, or a GitHub Enterprise Server's
// /api/v3). The token is sent only in the Authorization header and is never part of an error.
#pragma once

#include "gate/publish/http_client.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace agate::gate {

struct ApiAnswer {
  long status = 0;     // 0: no answer at all (see error)
  nlohmann::json body; // parsed JSON (null when the body is empty or not JSON)
  std::string error;   // why the call failed ("" on 2xx): no header, no token

  bool ok() const { return status >= 200 && status <= 299; }
};

class GithubApi {
public:
  GithubApi(HttpClient& http, std::string api_url, std::string repository, std::string token);

  ApiAnswer list_reviews(long pull);
  ApiAnswer create_review(long pull, const nlohmann::json& review);
  ApiAnswer list_review_comments(long pull);
  ApiAnswer create_check_run(const nlohmann::json& check_run);
  ApiAnswer update_check_run(long long id, const nlohmann::json& check_run);
  ApiAnswer list_issue_comments(long pull);
  ApiAnswer create_issue_comment(long pull, const std::string& body);
  ApiAnswer update_issue_comment(long long id, const std::string& body);

private:
  ApiAnswer call(const std::string& method, const std::string& path,
                 const nlohmann::json* body = nullptr);
  ApiAnswer list(const std::string& path);

  HttpClient& m_http;
  std::string m_api_url;
  std::string m_repository;
  std::string m_token;
};

} // namespace agate::gate
