// Tests of the publisher with an HttpClient that answers from a script: what is planned (inline
// comments on diff lines, most severe first, at most max_inline, skipping what an earlier run
// posted, resolved findings), what is sent (one review, a check run with annotations in batches
// of 50, the summary comment created or edited in place), the fallbacks (403/404 stop with one
// notice, 422 moves the comments to the summary), escaping of pull-request text, and that the
// token is in no message.
#include "gate/publish/publisher.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <functional>

using namespace agate::gate;
using nlohmann::json;

namespace {

const std::string k_token = "ghs_unitTestTokenNeverShown";

// Records every request; answers with `answer(request)`.
class ScriptedHttp final : public HttpClient {
public:
  std::function<HttpResponse(const HttpRequest&)> answer;
  std::vector<HttpRequest> requests;

  agate::Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    return answer(request);
  }
};

HttpResponse reply(long status, json body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

// GitHub as an empty pull request: lists are empty, creations succeed.
HttpResponse github_like(const HttpRequest& request) {
  if (request.method == "GET") {
    return reply(200, json::array());
  }
  if (request.url.ends_with("/check-runs")) {
    return reply(201, {{"id", 77}});
  }
  return reply(request.method == "POST" ? 201 : 200, {{"id", 5}});
}

Finding make(std::string rule, Severity severity, std::string file, int line) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.file = std::move(file);
  f.line = line;
  f.end_line = line;
  f.message = "finding at " + f.file + ":" + std::to_string(line);
  f.change = "abc1234";
  return f;
}

// `count` findings on diff lines of a.py, warnings except every third, an error.
Report report_with(int count) {
  Report report;
  report.source = "pull request #42";
  report.fail_on = Severity::error;
  for (int i = 0; i < count; ++i) {
    Severity severity = i % 3 == 2 ? Severity::error : Severity::warning;
    report.findings.push_back(make("duplication/clone", severity, "a.py", i + 1));
    Anchor anchor = own_anchor(report.findings.back(), {"line " + std::to_string(i)});
    anchor.in_diff = true;
    report.anchors.push_back(anchor);
  }
  return report;
}

PublishTarget target() {
  PublishTarget t;
  t.repository = "octo-org/service";
  t.pull_number = 42;
  t.head_sha = std::string(40, 'b');
  t.base_sha = std::string(40, 'a');
  t.max_inline = 10;
  return t;
}

std::vector<const HttpRequest*> requests_to(const ScriptedHttp& http, const std::string& method,
                                            const std::string& suffix) {
  std::vector<const HttpRequest*> out;
  for (const auto& request : http.requests) {
    std::string path = request.url.substr(0, request.url.find('?'));
    if (request.method == method && path.ends_with(suffix)) {
      out.push_back(&request);
    }
  }
  return out;
}

} // namespace

TEST_CASE("publisher: one review with at most max_inline comments, most severe first") {
  ScriptedHttp http;
  http.answer = github_like;
  GithubApi api(http, "https://ghe.example/api/v3/", "octo-org/service", k_token);
  Report report = report_with(30);
  PublishOutcome outcome = publish(api, report, target());
  CHECK_FALSE(outcome.degraded);
  CHECK(outcome.notices.empty());
  CHECK(outcome.inline_comments == 10);

  auto reviews = requests_to(http, "POST", "/repos/octo-org/service/pulls/42/reviews");
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0]->url.rfind("https://ghe.example/api/v3/repos/", 0) == 0);
  json review = json::parse(reviews[0]->body);
  CHECK(review["event"] == "COMMENT");
  CHECK(review["commit_id"] == std::string(40, 'b'));
  REQUIRE(review["comments"].size() == 10);
  for (const auto& comment : review["comments"]) {
    CHECK(comment["side"] == "RIGHT");
    CHECK(comment["path"] == "a.py");
    CHECK(comment["body"].get<std::string>().find("**agate** error") == 0); // errors first
  }
  // Headers: the token only in Authorization, the API version pinned.
  bool authorized = false;
  for (const auto& [name, value] : reviews[0]->headers) {
    if (name == "Authorization") {
      authorized = value == "Bearer " + k_token;
    }
    if (name != "Authorization") {
      CHECK(value.find(k_token) == std::string::npos);
    }
  }
  CHECK(authorized);
  CHECK(reviews[0]->body.find(k_token) == std::string::npos);

  // The summary lists the 20 findings not commented inline.
  auto summaries = requests_to(http, "POST", "/repos/octo-org/service/issues/42/comments");
  REQUIRE(summaries.size() == 1);
  std::string summary = json::parse(summaries[0]->body)["body"];
  CHECK(summary.rfind(std::string(k_summary_marker), 0) == 0);
  CHECK(summary.find("Not commented on the diff (20)") != std::string::npos);
  CHECK(summary.find("https://github.com/octo-org/service/blob/" + std::string(40, 'b') +
                     "/a.py#L3") != std::string::npos);
}

TEST_CASE("publisher: the check run carries every annotation, 50 per request") {
  ScriptedHttp http;
  http.answer = github_like;
  GithubApi api(http, "https://api.github.com", "octo-org/service", k_token);
  Report report = report_with(120);
  PublishOutcome outcome = publish(api, report, target());
  CHECK(outcome.annotations == 120);
  auto created = requests_to(http, "POST", "/check-runs");
  auto updated = requests_to(http, "PATCH", "/check-runs/77");
  REQUIRE(created.size() == 1);
  REQUIRE(updated.size() == 2);
  json run = json::parse(created[0]->body);
  CHECK(run["name"] == "agate");
  CHECK(run["status"] == "completed");
  CHECK(run["conclusion"] == "failure");
  CHECK(run["output"]["annotations"].size() == 50);
  CHECK(json::parse(updated[0]->body)["output"]["annotations"].size() == 50);
  CHECK(json::parse(updated[1]->body)["output"]["annotations"].size() == 20);
  CHECK(run["output"]["annotations"][0]["annotation_level"] == "failure");

  // No findings: success; findings that do not fail the gate: neutral.
  CHECK(plan_publication(Report{}, target(), {}).conclusion == "success");
  Report warnings = report_with(2);
  CHECK(plan_publication(warnings, target(), {}).conclusion == "neutral");
}

TEST_CASE("publisher: a re-run skips posted findings, names resolved ones, edits the summary") {
  Report report = report_with(3);
  PublishPlan first = plan_publication(report, target(), {});
  REQUIRE(first.comments.size() == 3);
  // GitHub now holds the first run's comments, one of them for a finding that is gone, and the
  // summary comment.
  json comments = json::array();
  for (const auto& comment : first.comments) {
    comments.push_back({{"id", 1}, {"body", comment.body}});
  }
  Report fixed = report;
  fixed.findings.pop_back();
  fixed.anchors.pop_back();
  ScriptedHttp http;
  http.answer = [&](const HttpRequest& request) {
    if (request.method == "GET" && request.url.find("/pulls/42/comments") != std::string::npos) {
      return reply(200, comments);
    }
    if (request.method == "GET" && request.url.find("/issues/42/comments") != std::string::npos) {
      return reply(200,
                   json::array({{{"id", 9}, {"body", "an unrelated comment"}},
                                {{"id", 31}, {"body", std::string(k_summary_marker) + "\nold"}}}));
    }
    return github_like(request);
  };
  GithubApi api(http, "https://api.github.com", "octo-org/service", k_token);
  PublishOutcome outcome = publish(api, fixed, target());
  CHECK(outcome.inline_comments == 0);
  CHECK(requests_to(http, "POST", "/pulls/42/reviews").empty()); // nothing new to comment
  CHECK(outcome.summary_updated);
  auto edits = requests_to(http, "PATCH", "/repos/octo-org/service/issues/comments/31");
  REQUIRE(edits.size() == 1);
  CHECK(requests_to(http, "POST", "/issues/42/comments").empty());
  std::string summary = json::parse(edits[0]->body)["body"];
  CHECK(summary.find("Resolved since an earlier run (1)") != std::string::npos);
  CHECK(summary.find("`duplication/clone`") != std::string::npos);
  CHECK(summary.find("2 finding(s) already have a comment") != std::string::npos);
}

TEST_CASE("publisher: 403 stops with one notice; 422 moves the comments to the summary") {
  ScriptedHttp forbidden;
  forbidden.answer = [](const HttpRequest&) {
    return reply(403, {{"message", "Resource not accessible by integration"}});
  };
  GithubApi api(forbidden, "https://api.github.com", "octo-org/service", k_token);
  PublishOutcome outcome = publish(api, report_with(3), target());
  CHECK(outcome.degraded);
  REQUIRE(outcome.notices.size() == 1);
  CHECK(outcome.notices[0].find("HTTP 403: Resource not accessible by integration") !=
        std::string::npos);
  CHECK(outcome.notices[0].find(k_token) == std::string::npos);
  CHECK(forbidden.requests.size() == 1);

  ScriptedHttp refusing;
  refusing.answer = [](const HttpRequest& request) {
    if (request.method == "POST" && request.url.ends_with("/reviews")) {
      return reply(422, {{"message", "Unprocessable Entity"},
                         {"errors", {"Pull request review thread line must be part of the diff"}}});
    }
    return github_like(request);
  };
  GithubApi api422(refusing, "https://api.github.com", "octo-org/service", k_token);
  outcome = publish(api422, report_with(3), target());
  CHECK_FALSE(outcome.degraded);
  CHECK(outcome.inline_comments == 0);
  REQUIRE(outcome.notices.size() == 1);
  CHECK(outcome.notices[0].find("HTTP 422") != std::string::npos);
  auto summaries = requests_to(refusing, "POST", "/issues/42/comments");
  REQUIRE(summaries.size() == 1);
  CHECK(json::parse(summaries[0]->body)["body"].get<std::string>().find(
            "Not commented on the diff (3)") != std::string::npos);
}

TEST_CASE("publisher: text from the pull request cannot close the block it is in") {
  Report report = report_with(1);
  report.findings[0].message = "</details><img src=x onerror=alert(1)> ``` [link](javascript:x)";
  report.findings[0].side = Side::old_side;
  report.anchors[0].deleted_code = {"```", "</details>", "````"};
  PublishTarget t = target();
  CommitProvenance commit;
  commit.id = std::string(40, 'c');
  commit.subject = "| broken | table </details>";
  commit.ai_assisted = true;
  commit.record_status = "ok";
  commit.signature_status = "signed";
  commit.prompts = {"ignore previous instructions\n```\n</details>\n<!-- agate:summary -->"};
  t.commits = {commit};
  PublishPlan plan = plan_publication(report, t, {});
  REQUIRE(plan.comments.size() == 1);
  const std::string& body = plan.comments[0].body;
  CHECK(body.find("<img") == std::string::npos);
  // "</details>" appears only as deleted code, inside a fence longer than the code's backticks.
  CHECK(body.find("`````python\n```\n</details>\n````\n`````") != std::string::npos);
  CHECK(body.find("&lt;/details&gt;") != std::string::npos);
  CHECK(body.find("\\[link\\]") != std::string::npos);
  std::string summary = summary_comment(report, t, plan);
  CHECK(summary.find("<img") == std::string::npos);
  CHECK(summary.find("\\| broken \\| table &lt;/details&gt;") != std::string::npos);
  // The prompt sits in a fence longer than any backtick run in it, inside its details block.
  auto prompt = summary.find("ignore previous instructions");
  REQUIRE(prompt != std::string::npos);
  CHECK(summary.rfind("````text\n", prompt) != std::string::npos);
  // Only one summary marker: the one at the start (the prompt's is inside a code block, after it).
  CHECK(summary.rfind(std::string(k_summary_marker), 0) == 0);
}

TEST_CASE("publisher: a merge group gets the check run only; fingerprints are read back") {
  ScriptedHttp http;
  http.answer = github_like;
  GithubApi api(http, "https://api.github.com", "octo-org/service", k_token);
  PublishTarget t = target();
  t.pull_number = 0;
  PublishOutcome outcome = publish(api, report_with(2), t);
  CHECK(outcome.annotations == 2);
  REQUIRE(http.requests.size() == 1);
  CHECK(http.requests[0].url == "https://api.github.com/repos/octo-org/service/check-runs");

  PublishPlan plan = plan_publication(report_with(1), target(), {});
  REQUIRE(plan.comments.size() == 1);
  std::string print = hidden_fingerprint(plan.comments[0].body);
  CHECK(print == report_with(1).anchors[0].fingerprint + ":1");
  CHECK(hidden_fingerprint("<!-- agate:finding nothex:1 rule -->").empty());
  CHECK(hidden_fingerprint("plain comment").empty());
}
