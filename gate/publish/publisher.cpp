// Planning and posting the findings on a pull request; see publisher.hpp.
#include "gate/publish/publisher.hpp"

#include "gate/report/markdown_text.hpp"
#include "gate/util/sanitize.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace agate::gate {

namespace {

constexpr std::size_t k_annotations_per_request = 50;
constexpr std::size_t k_max_listed = 50;
constexpr std::size_t k_max_prompt_bytes = 1500;
constexpr std::size_t k_max_top = 10;

// "0123456789abcdef:1": a fingerprint with its occurrence.
bool is_fingerprint(std::string_view text) {
  auto colon = text.find(':');
  if (colon != 16 || colon + 1 >= text.size() || text.size() > 24) {
    return false;
  }
  return text.substr(0, 16).find_first_not_of("0123456789abcdef") == std::string_view::npos &&
         text.substr(17).find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_rule_id(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789/-") == std::string_view::npos;
}

constexpr std::string_view k_finding_marker = "<!-- agate:finding ";

std::string marker(const std::string& fingerprint, const std::string& rule) {
  return std::string(k_finding_marker) + fingerprint + " " + (is_rule_id(rule) ? rule : "rule") +
         " -->";
}

// Each finding's fingerprint with its occurrence ("…:1", "…:2" for identical findings).
std::vector<std::string> occurrence_fingerprints(const Report& report) {
  std::vector<std::string> out;
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    std::string print = anchor_of(report, i).fingerprint;
    out.push_back(print + ":" + std::to_string(++seen[print]));
  }
  return out;
}

std::string_view level_word(Severity severity) {
  return to_string(severity);
}

std::string_view annotation_level(Severity severity) {
  switch (severity) {
  case Severity::error:
    return "failure";
  case Severity::warning:
    return "warning";
  case Severity::note:
    return "notice";
  }
  return "warning";
}

std::string place(const Finding& finding) {
  if (finding.file.empty()) {
    return "the whole change " + finding.change;
  }
  std::string text = finding.file;
  if (finding.line > 0) {
    text += ":" + std::to_string(finding.line);
    if (finding.end_line > finding.line) {
      text += "-" + std::to_string(finding.end_line);
    }
  }
  if (finding.side == Side::old_side) {
    text += " (old)";
  }
  return text;
}

std::string comment_body(const Finding& finding, const Anchor& anchor,
                         const std::string& fingerprint) {
  std::string body = "**agate** " + std::string(level_word(finding.severity)) + " " +
                     code_span(finding.rule, false) + "\n\n";
  body += escape_text(finding.message.empty() ? finding.rule : finding.message) + "\n";
  if (finding.side == Side::old_side && !anchor.deleted_code.empty()) {
    body += "\nDeleted from " + code_span(place(finding), false) + ":\n\n" +
            code_block(anchor.deleted_code, fence_language(finding.file));
  }
  if (!finding.hint.empty()) {
    body += "\n**Hint:** " + escape_text(finding.hint) + "\n";
  }
  body += "\n" + marker(fingerprint, finding.rule) + "\n";
  return body;
}

std::string blob_link(const PublishTarget& target, const std::string& path, int line) {
  std::string url = target.server_url + "/" + target.repository + "/blob/" + target.head_sha + "/" +
                    uri_reference(path);
  if (line > 0) {
    url += "#L" + std::to_string(line);
  }
  return url;
}

// A finding as one list item: severity, rule, a link to its anchor at the head commit, message.
std::string item(const Report& report, std::size_t index, const PublishTarget& target) {
  const Finding& finding = report.findings[index];
  const Anchor anchor = anchor_of(report, index);
  std::string text = "- **" + std::string(level_word(finding.severity)) + "** " +
                     code_span(finding.rule, false) + " ";
  std::string label = escape_plain(place(finding));
  if (!anchor.path.empty() && !target.repository.empty() && !target.head_sha.empty()) {
    text += "[" + label + "](" + blob_link(target, anchor.path, anchor.line) + ")";
  } else {
    text += label;
  }
  return text + ": " + escape_text(finding.message) + "\n";
}

std::string cut_utf8(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  text.resize(end);
  return text + "\n\xe2\x80\xa6 (cut)";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

} // namespace

std::string hidden_fingerprint(const std::string& body) {
  auto at = body.find(k_finding_marker);
  if (at == std::string::npos) {
    return {};
  }
  auto start = at + k_finding_marker.size();
  auto end = body.find(' ', start);
  if (end == std::string::npos) {
    return {};
  }
  std::string print = body.substr(start, end - start);
  return is_fingerprint(print) ? print : std::string();
}

namespace {

// The rule an earlier comment's marker names, checked to be a rule id ("" otherwise).
std::string hidden_rule(const std::string& body) {
  auto at = body.find(k_finding_marker);
  auto start = body.find(' ', at + k_finding_marker.size());
  auto end = start == std::string::npos ? start : body.find(" -->", start + 1);
  if (at == std::string::npos || end == std::string::npos) {
    return {};
  }
  std::string rule = body.substr(start + 1, end - start - 1);
  return is_rule_id(rule) ? rule : std::string();
}

} // namespace

PublishPlan plan_publication(const Report& report, const PublishTarget& target,
                             const Posted& posted) {
  PublishPlan plan;
  plan.conclusion = report.failed() ? "failure" : report.findings.empty() ? "success" : "neutral";
  const auto prints = occurrence_fingerprints(report);
  std::set<std::string> current(prints.begin(), prints.end());
  for (std::size_t index : by_severity(report)) {
    const Finding& finding = report.findings[index];
    const Anchor anchor = anchor_of(report, index);
    if (!anchor.path.empty()) {
      nlohmann::json annotation = {
          {"path", anchor.path},
          {"start_line", std::max(anchor.line, 1)},
          {"end_line", std::max({anchor.end_line, anchor.line, 1})},
          {"annotation_level", annotation_level(finding.severity)},
          {"title", finding.rule},
          {"message", escape_invalid_utf8(place(finding) + ": " + finding.message +
                                          (finding.hint.empty() ? "" : "\n" + finding.hint))},
      };
      plan.annotations.push_back(std::move(annotation));
    }
    if (posted.comments.count(prints[index]) > 0) {
      plan.already.push_back(index);
      continue;
    }
    // Deleted lines the pull request's diff shows deleted: on the left side, at those lines.
    // Otherwise the right side, at the anchor (for deleted code, the nearest surviving line).
    const bool left = target.pull_number > 0 && finding.side == Side::old_side &&
                      !anchor.old_path.empty() && anchor.old_line > 0;
    bool commentable = left || (target.pull_number > 0 && anchor.in_diff && !anchor.path.empty() &&
                                anchor.line > 0 && !finding.file.empty());
    if (commentable && plan.comments.size() < static_cast<std::size_t>(target.max_inline)) {
      InlineComment comment{index, anchor.path, anchor.line,
                            comment_body(finding, anchor, prints[index])};
      if (left) {
        comment.path = anchor.old_path;
        comment.side = "LEFT";
        comment.line = anchor.old_end_line;
        comment.start_line = anchor.old_line < anchor.old_end_line ? anchor.old_line : 0;
      }
      plan.comments.push_back(std::move(comment));
    } else {
      plan.not_inline.push_back(index);
    }
  }
  for (const auto& [print, title] : posted.comments) {
    if (current.count(print) == 0) {
      plan.resolved.push_back(title);
    }
  }
  return plan;
}

nlohmann::json check_run_output(const Report& report, const PublishPlan& plan, std::size_t first,
                                std::size_t count) {
  nlohmann::json output = {
      {"title", escape_invalid_utf8(summary_line(report))},
      {"summary",
       escape_invalid_utf8("agate checked " + report.source + ": " + summary_line(report) + ".")},
  };
  nlohmann::json annotations = nlohmann::json::array();
  for (std::size_t i = first; i < plan.annotations.size() && i < first + count; ++i) {
    annotations.push_back(plan.annotations[i]);
  }
  if (!annotations.empty()) {
    output["annotations"] = std::move(annotations);
  }
  return output;
}

std::string summary_comment(const Report& report, const PublishTarget& target,
                            const PublishPlan& plan) {
  std::string out = std::string(k_summary_marker) + "\n";
  out += report.failed() ? "## agate: the gate fails\n\n" : "## agate: the gate passes\n\n";
  out += "Checked " + escape_text(report.source.empty() ? "the change" : report.source) + ": " +
         escape_text(summary_line(report)) + ".\n\n";

  std::map<std::string, std::array<int, 3>> per_rule;
  for (const Finding& finding : report.findings) {
    ++per_rule[finding.rule][static_cast<std::size_t>(finding.severity)];
  }
  if (!per_rule.empty()) {
    out += "| rule | errors | warnings | notes |\n| --- | ---: | ---: | ---: |\n";
    for (const auto& [rule, counts] : per_rule) {
      out += "| " + code_span(rule, true) + " | " + std::to_string(counts[2]) + " | " +
             std::to_string(counts[1]) + " | " + std::to_string(counts[0]) + " |\n";
    }
    out += "\n### Top findings\n\n";
    auto order = by_severity(report);
    for (std::size_t i = 0; i < order.size() && i < k_max_top; ++i) {
      out += item(report, order[i], target);
    }
    out += "\n";
  }
  if (!plan.not_inline.empty()) {
    out += "### Not commented on the diff (" + std::to_string(plan.not_inline.size()) + ")\n\n";
    for (std::size_t i = 0; i < plan.not_inline.size() && i < k_max_listed; ++i) {
      out += item(report, plan.not_inline[i], target);
    }
    if (plan.not_inline.size() > k_max_listed) {
      out += "- \xe2\x80\xa6 and " + std::to_string(plan.not_inline.size() - k_max_listed) +
             " more in the check run\n";
    }
    out += "\n";
  }
  if (!plan.already.empty()) {
    out += std::to_string(plan.already.size()) +
           " finding(s) already have a comment from an earlier run.\n\n";
  }
  if (!plan.resolved.empty()) {
    out += "### Resolved since an earlier run (" + std::to_string(plan.resolved.size()) + ")\n\n";
    for (std::size_t i = 0; i < plan.resolved.size() && i < k_max_listed; ++i) {
      out += "- " + plan.resolved[i] + "\n";
    }
    out += "\n";
  }
  if (!target.commits.empty()) {
    out += "### Commits\n\n| commit | AI-assisted | prompt record | signature | subject |\n"
           "| --- | --- | --- | --- | --- |\n";
    for (const auto& commit : target.commits) {
      out += "| " + code_span(commit.id.substr(0, 12), true) + " | " +
             (commit.ai_assisted ? "yes" : "no") + " | " + escape_text(commit.record_status, true) +
             " | " + escape_text(commit.signature_status, true) + " | " +
             escape_text(commit.subject, true) + " |\n";
    }
    out += "\n";
    for (const auto& commit : target.commits) {
      for (const auto& prompt : commit.prompts) {
        out += "<details><summary>Prompt of " + escape_plain(commit.id.substr(0, 12)) +
               "</summary>\n\n" +
               code_block(lines_of(cut_utf8(prompt, k_max_prompt_bytes)), "text") +
               "\n</details>\n\n";
      }
    }
  }
  out += "### Run the same check locally\n\n```sh\nagate check";
  if (!target.base_sha.empty() && !target.head_sha.empty()) {
    out += " --range " + target.base_sha + ".." + target.head_sha;
  }
  out += "\n```\n";
  if (out.size() > k_max_comment_bytes) {
    out = cut_utf8(std::move(out), k_max_comment_bytes);
  }
  return out;
}

namespace {

bool forbidden(const ApiAnswer& answer) {
  return answer.status == 403 || answer.status == 404;
}

std::string degraded_notice(const ApiAnswer& answer) {
  return "cannot publish on the pull request (" + answer.error +
         "; a pull request from a fork gets a read-only token): the findings are in the "
         "annotations and the step summary";
}

} // namespace

PublishOutcome publish(GithubApi& api, const Report& report, const PublishTarget& target) {
  PublishOutcome outcome;
  auto stop = [&](const ApiAnswer& answer) {
    outcome.degraded = true;
    outcome.notices.push_back(degraded_notice(answer));
    return outcome;
  };

  // What earlier runs commented, by fingerprint.
  Posted posted;
  if (target.pull_number > 0) {
    ApiAnswer comments = api.list_review_comments(target.pull_number);
    if (forbidden(comments)) {
      return stop(comments);
    }
    if (comments.ok() && comments.body.is_array()) {
      for (const auto& comment : comments.body) {
        if (!comment.is_object() || !comment.contains("body") || !comment["body"].is_string()) {
          continue;
        }
        const std::string& body = comment["body"].get_ref<const std::string&>();
        std::string print = hidden_fingerprint(body);
        if (!print.empty()) {
          std::string rule = hidden_rule(body);
          posted.comments[print] =
              code_span(rule.empty() ? "finding" : rule, false) + " (" + print.substr(0, 8) + ")";
        }
      }
    } else if (!comments.ok()) {
      outcome.notices.push_back("cannot read the review comments of earlier runs (" +
                                comments.error + ")");
    }
  }
  PublishPlan plan = plan_publication(report, target, posted);

  // The check run, with every annotation, 50 per request.
  nlohmann::json run = {
      {"name", "agate"},
      {"head_sha", target.head_sha},
      {"status", "completed"},
      {"conclusion", plan.conclusion},
      {"output", check_run_output(report, plan, 0, k_annotations_per_request)},
  };
  ApiAnswer created = api.create_check_run(run);
  if (forbidden(created)) {
    return stop(created);
  }
  if (!created.ok()) {
    outcome.notices.push_back("cannot create the check run (" + created.error + ")");
  } else {
    outcome.annotations =
        static_cast<int>(std::min(plan.annotations.size(), k_annotations_per_request));
    long long id = created.body.is_object() && created.body.contains("id") &&
                           created.body["id"].is_number_integer()
                       ? created.body["id"].get<long long>()
                       : 0;
    for (std::size_t first = k_annotations_per_request; first < plan.annotations.size() && id > 0;
         first += k_annotations_per_request) {
      ApiAnswer updated = api.update_check_run(
          id, {{"output", check_run_output(report, plan, first, k_annotations_per_request)}});
      if (!updated.ok()) {
        outcome.notices.push_back("cannot add annotations to the check run (" + updated.error +
                                  ")");
        break;
      }
      outcome.annotations +=
          static_cast<int>(std::min(plan.annotations.size() - first, k_annotations_per_request));
    }
  }
  if (target.pull_number <= 0) {
    return outcome; // a merge group has no pull request to comment on
  }

  // One review with the inline comments.
  if (!plan.comments.empty()) {
    nlohmann::json comments = nlohmann::json::array();
    for (const auto& comment : plan.comments) {
      nlohmann::json posted_comment = {{"path", comment.path},
                                       {"line", comment.line},
                                       {"side", comment.side},
                                       {"body", comment.body}};
      if (comment.start_line > 0) {
        posted_comment["start_line"] = comment.start_line;
        posted_comment["start_side"] = comment.side;
      }
      comments.push_back(std::move(posted_comment));
    }
    nlohmann::json review = {
        {"commit_id", target.head_sha},
        {"event", "COMMENT"},
        {"body", "agate: " + std::to_string(plan.comments.size()) +
                     " finding(s) on the changed lines; the summary comment lists them all."},
        {"comments", std::move(comments)},
    };
    ApiAnswer reviewed = api.create_review(target.pull_number, review);
    if (forbidden(reviewed)) {
      return stop(reviewed);
    }
    if (reviewed.ok()) {
      outcome.inline_comments = static_cast<int>(plan.comments.size());
    } else {
      outcome.notices.push_back("the review with inline comments was refused (" + reviewed.error +
                                "): its findings are listed in the summary comment");
      for (const auto& comment : plan.comments) {
        plan.not_inline.push_back(comment.finding);
      }
      plan.comments.clear();
    }
  }

  // The sticky summary comment: edited in place when an earlier run left one.
  std::string body = summary_comment(report, target, plan);
  ApiAnswer listed = api.list_issue_comments(target.pull_number);
  if (forbidden(listed)) {
    return stop(listed);
  }
  long long existing = 0;
  if (listed.ok() && listed.body.is_array()) {
    for (const auto& comment : listed.body) {
      if (comment.is_object() && comment.contains("body") && comment["body"].is_string() &&
          comment["body"].get_ref<const std::string&>().starts_with(k_summary_marker) &&
          comment.contains("id") && comment["id"].is_number_integer()) {
        existing = comment["id"].get<long long>();
      }
    }
  }
  ApiAnswer written = existing > 0 ? api.update_issue_comment(existing, body)
                                   : api.create_issue_comment(target.pull_number, body);
  if (forbidden(written)) {
    return stop(written);
  }
  if (!written.ok()) {
    outcome.notices.push_back("cannot write the summary comment (" + written.error + ")");
  } else {
    outcome.summary_updated = existing > 0;
  }
  return outcome;
}

} // namespace agate::gate
