// The --publish step of `agate check`; see publish_step.hpp.
#include "gate/app/publish_step.hpp"

#include "gate/git/github_event.hpp"
#include "gate/provenance/commit_summary.hpp"
#include "gate/util/sanitize.hpp"

#include <iostream>

namespace agate::gate {

namespace {

std::string env_or(const GetEnv& getenv, const char* name, std::string fallback) {
  auto value = getenv(name);
  return value && !value->empty() ? *value : fallback;
}

// `text` with every occurrence of `secret` replaced: a last guard, since no message is built
// from the token in the first place.
std::string redacted(std::string text, const std::string& secret) {
  if (secret.size() < 4) {
    return text;
  }
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

class Notices {
public:
  Notices(bool workflow_command, std::string secret)
      : m_workflow_command(workflow_command), m_secret(std::move(secret)) {}
  void say(const std::string& message) const {
    std::string text = sanitize(redacted(message, m_secret));
    if (m_workflow_command) {
      // Workflow command data: '%', CR and LF are escaped as the runner expects.
      std::string data;
      for (char c : text) {
        data += c == '%' ? std::string("%25") : std::string(1, c);
      }
      std::cout << "::notice title=agate::" << data << "\n" << std::flush;
    } else {
      std::cerr << "agate: notice: " << text << "\n";
    }
  }

private:
  bool m_workflow_command;
  std::string m_secret;
};

} // namespace

std::vector<CommitProvenance> commit_provenance(const ChangeSet& change_set,
                                                const std::vector<Finding>& findings,
                                                const ContentSource& contents) {
  std::vector<CommitProvenance> out;
  for (const auto& change : change_set.changes) {
    if (change.kind != ChangeKind::commit || !change.commit) {
      continue;
    }
    CommitSummary summary = summarize_commit(change, findings, contents);
    CommitProvenance row;
    row.id = change.commit->id;
    row.subject = change.commit->summary;
    row.ai_assisted = summary.ai_assisted();
    row.ai_evidence = summary.ai_evidence.value_or("");
    row.record_status = summary.record_status;
    row.signature_status = summary.signature_status;
    for (const auto& record : summary.records) {
      row.prompts.push_back(record.prompt);
    }
    out.push_back(std::move(row));
  }
  return out;
}

void publish_report(const CliOptions& options, const GetEnv& getenv, const Report& report,
                    std::vector<CommitProvenance> commits, int max_inline, bool commands_on_stdout,
                    bool annotations_shown) {
  const std::string token_env =
      options.github_token_env.empty() ? "GITHUB_TOKEN" : options.github_token_env;
  const std::string token = env_or(getenv, token_env.c_str(), "");
  const Notices notices(commands_on_stdout, token);

  auto event = publishable_event(getenv);
  if (!event) {
    notices.say("--publish: " + event.error() + "; nothing published");
    return;
  }
  if (!*event) {
    notices.say("--publish: not a pull_request, pull_request_target or merge_group run of "
                "GitHub Actions; nothing published");
    return;
  }
  const std::string repository = env_or(getenv, "GITHUB_REPOSITORY", "");
  if (token.empty() || repository.empty()) {
    notices.say(
        "--publish: " +
        (token.empty() ? "no token in " + token_env : std::string("GITHUB_REPOSITORY unset")) +
        "; the findings are in the annotations and the step summary");
    return;
  }
  const GithubEvent& pull = **event;
  PublishTarget target;
  target.server_url = env_or(getenv, "GITHUB_SERVER_URL", "https://github.com");
  target.repository = repository;
  target.pull_number = pull.pull_number;
  target.head_sha = pull.head_sha;
  target.base_sha = pull.base_sha;
  target.max_inline = max_inline;
  target.commits = std::move(commits);

  CurlHttpClient http;
  GithubApi api(http, env_or(getenv, "GITHUB_API_URL", "https://api.github.com"), repository,
                token);
  PublishOutcome outcome = publish(api, report, target);
  for (const auto& notice : outcome.notices) {
    notices.say(notice);
  }
  if (outcome.degraded && !annotations_shown && commands_on_stdout) {
    RenderOptions render_options;
    std::cout << render(Format::github, report, render_options) << std::flush;
  }
  if (!outcome.degraded) {
    std::cerr << "agate: published: " << outcome.annotations << " annotation(s) in the check run"
              << (pull.pull_number > 0 ? ", " + std::to_string(outcome.inline_comments) +
                                             " inline comment(s), the summary comment " +
                                             (outcome.summary_updated ? "updated" : "created")
                                       : std::string())
              << "\n";
  }
}

} // namespace agate::gate
