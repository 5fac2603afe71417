// The GitHub REST calls of the publisher; see github_api.hpp.
#include "gate/publish/github_api.hpp"

#include "gate/util/sanitize.hpp"

namespace agate::gate {

GithubApi::GithubApi(HttpClient& http, std::string api_url, std::string repository,
                     std::string token)
    : m_http(http), m_api_url(std::move(api_url)), m_repository(std::move(repository)),
      m_token(std::move(token)) {
  while (!m_api_url.empty() && m_api_url.back() == '/') {
    m_api_url.pop_back();
  }
}

ApiAnswer GithubApi::call(const std::string& method, const std::string& path,
                          const nlohmann::json* body) {
  HttpRequest request;
  request.method = method;
  request.url = m_api_url + path;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"User-Agent", "agate"},
                     {"Authorization", "Bearer " + m_token},
                     {"Expect", ""}};
  if (body != nullptr) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  ApiAnswer answer;
  auto response = m_http.send(request);
  if (!response) {
    answer.error = response.error();
    return answer;
  }
  answer.status = response->status;
  answer.body = nlohmann::json::parse(response->body, nullptr, false);
  if (answer.body.is_discarded()) {
    answer.body = nullptr;
  }
  if (!answer.ok()) {
    std::string reason;
    if (answer.body.is_object() && answer.body.contains("message") &&
        answer.body["message"].is_string()) {
      reason = ": " + sanitize(answer.body["message"].get<std::string>());
    }
    answer.error = method + " " + path + ": HTTP " + std::to_string(answer.status) + reason;
  }
  return answer;
}

ApiAnswer GithubApi::list(const std::string& path) {
  nlohmann::json all = nlohmann::json::array();
  ApiAnswer answer;
  for (int page = 1; page <= 10; ++page) {
    answer = call("GET", path + "?per_page=100&page=" + std::to_string(page));
    if (!answer.ok() || !answer.body.is_array()) {
      return answer;
    }
    std::size_t got = answer.body.size();
    for (auto& item : answer.body) {
      all.push_back(std::move(item));
    }
    if (got < 100) {
      break;
    }
  }
  answer.body = std::move(all);
  return answer;
}

ApiAnswer GithubApi::list_reviews(long pull) {
  return list("/repos/" + m_repository + "/pulls/" + std::to_string(pull) + "/reviews");
}

ApiAnswer GithubApi::create_review(long pull, const nlohmann::json& review) {
  return call("POST", "/repos/" + m_repository + "/pulls/" + std::to_string(pull) + "/reviews",
              &review);
}

ApiAnswer GithubApi::list_review_comments(long pull) {
  return list("/repos/" + m_repository + "/pulls/" + std::to_string(pull) + "/comments");
}

ApiAnswer GithubApi::create_check_run(const nlohmann::json& check_run) {
  return call("POST", "/repos/" + m_repository + "/check-runs", &check_run);
}

ApiAnswer GithubApi::update_check_run(long long id, const nlohmann::json& check_run) {
  return call("PATCH", "/repos/" + m_repository + "/check-runs/" + std::to_string(id), &check_run);
}

ApiAnswer GithubApi::list_issue_comments(long pull) {
  return list("/repos/" + m_repository + "/issues/" + std::to_string(pull) + "/comments");
}

ApiAnswer GithubApi::create_issue_comment(long pull, const std::string& body) {
  nlohmann::json payload = {{"body", body}};
  return call("POST", "/repos/" + m_repository + "/issues/" + std::to_string(pull) + "/comments",
              &payload);
}

ApiAnswer GithubApi::update_issue_comment(long long id, const std::string& body) {
  nlohmann::json payload = {{"body", body}};
  return call("PATCH", "/repos/" + m_repository + "/issues/comments/" + std::to_string(id),
              &payload);
}

} // namespace agate::gate
