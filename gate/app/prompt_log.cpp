// `agate log`, `agate show` and the Agent Trace export; see prompt_log.hpp.
#include "gate/app/prompt_log.hpp"

#include "gate/app/pipeline.hpp"
#include "gate/core/rule_catalog.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/commit_parser.hpp"
#include "gate/git/commit_walk.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/commit_summary.hpp"
#include "gate/provenance/record_links.hpp"
#include "gate/report/report.hpp"
#include "gate/util/sha256.hpp"
#include "gate/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

namespace agate::gate {

namespace {

Review review_commit(Repository& repo, const std::string& id) {
  Selection selection;
  selection.mode = SelectionMode::commit;
  selection.rev = id;
  return review_selection(repo, selection);
}

std::string first_line(std::string_view text, std::size_t max_chars = 72) {
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) {
    return "";
  }
  text = text.substr(start);
  auto line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  std::string out = sanitize(line);
  if (out.size() > max_chars) {
    out = cut_utf8(out, max_chars - 3) + "...";
  }
  return out;
}

std::string counts(const CommitEntry& s) {
  if (s.errors + s.warnings + s.notes == 0) {
    return "no findings";
  }
  std::string out;
  auto add = [&](int n, const char* one, const char* many) {
    if (n > 0) {
      out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
    }
  };
  add(s.errors, "error", "errors");
  add(s.warnings, "warning", "warnings");
  add(s.notes, "note", "notes");
  return out;
}

std::string utc_time(int64_t seconds) {
  return format_time(seconds, TimeStyle::rfc3339);
}

std::string indent(std::string_view text, const std::string& prefix) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    out += prefix + sanitize(line) + "\n";
    if (nl == std::string_view::npos) {
      break;
    }
    pos = nl + 1;
  }
  return out;
}

std::string tool_label(const PromptRecord& record) {
  std::string out = record.tool;
  if (!record.tool_version.empty()) {
    out += " " + record.tool_version;
  }
  if (!record.model.empty()) {
    out += ", model " + record.model;
  }
  return out;
}

std::string render_diff(const Change& change, bool color) {
  std::string out;
  for (const auto& file : change.files) {
    if (file.prompt_record) {
      continue; // shown as the prompt above
    }
    std::string a = file.old_path.empty() ? file.new_path : file.old_path;
    std::string b = file.new_path.empty() ? file.old_path : file.new_path;
    out +=
        paint(color, "1", "diff --git " + quote_name("a/" + a) + " " + quote_name("b/" + b)) + "\n";
    if (file.binary || file.too_large || file.submodule) {
      out +=
          std::string(file.binary ? "Binary files differ" : "(not shown: not a text diff)") + "\n";
      continue;
    }
    out +=
        paint(color, "1", "--- " + (file.old_path.empty() ? "/dev/null" : quote_name("a/" + a))) +
        "\n";
    out +=
        paint(color, "1", "+++ " + (file.new_path.empty() ? "/dev/null" : quote_name("b/" + b))) +
        "\n";
    for (const auto& hunk : file.hunks) {
      out += paint(color, "36", sanitize(hunk.header)) + "\n";
      for (const auto& line : hunk.lines) {
        std::string text = std::string(1, line.origin) + sanitize(line.text);
        out += (line.origin == '+'   ? paint(color, "32", text)
                : line.origin == '-' ? paint(color, "31", text)
                                     : text) +
               "\n";
      }
    }
  }
  return out;
}

// models.dev style ids, as the Agent Trace reference implementation writes them.
std::string model_id(const std::string& model) {
  if (model.empty() || model.find('/') != std::string::npos) {
    return model;
  }
  if (model.starts_with("claude-")) {
    return "anthropic/" + model;
  }
  if (model.starts_with("gpt-") || model.starts_with("o1") || model.starts_with("o3") ||
      model.starts_with("o4") || model.starts_with("codex")) {
    return "openai/" + model;
  }
  if (model.starts_with("gemini-")) {
    return "google/" + model;
  }
  return model;
}

// A UUID (version 8, RFC 9562's custom layout) derived from `seed`, so an export is repeatable.
std::string uuid_from(std::string_view seed) {
  std::string h = sha256_hex(seed);
  static const char* const variant = "89ab";
  std::string out = h.substr(0, 8) + "-" + h.substr(8, 4) + "-8" + h.substr(13, 3) + "-";
  out += variant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  out += h.substr(17, 3) + "-" + h.substr(20, 12);
  return out;
}

} // namespace

RevisionRange log_revisions(const CliOptions& options) {
  if (options.args.empty()) {
    return RevisionRange{};
  }
  return parse_revision_range(options.args[0], "agate " + options.command,
                              RevisionForm::range_or_revision);
}

std::vector<std::string> commits_for_log(Repository& repo, const RevisionRange& spec,
                                         std::size_t max_count) {
  std::vector<std::string> commits;
  if (spec.is_range()) {
    commits = repo.commits_in_range(spec.base, spec.head).value_or_throw();
    std::reverse(commits.begin(), commits.end()); // newest first, as git log
  } else {
    if (repo.head_unborn() && spec.head.empty()) {
      throw Error("no commits yet: HEAD is unborn");
    }
    std::string id = repo.resolve(spec.head.empty() ? "HEAD" : spec.head).value_or_throw();
    commits = history_of(repo, id, max_count).value_or_throw();
  }
  if (max_count != 0 && commits.size() > max_count) {
    commits.resize(max_count);
  }
  return commits;
}

std::vector<CommitEntry> commit_entries(Repository& repo, const std::vector<std::string>& commits,
                                        const EntryOptions& options) {
  std::vector<CommitEntry> entries;
  if (commits.empty()) {
    return entries;
  }
  Policy policy = load_policy(repo, commits.front());
  entries.reserve(commits.size());
  for (const auto& id : commits) {
    CommitEntry entry = read_commit_entry(repo, id, policy.provenance.agent_identities);
    if (options.count_lines) {
      count_lines(repo, entry);
    }
    if (options.analyze) {
      Review review = review_commit(repo, id);
      if (review.change_set.changes.empty()) {
        entry.analyzed = true; // a merge with no change of its own: nothing to find
      } else {
        add_review(entry, review.change_set.changes.front(), review.findings, repo.content());
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string render_log(const std::vector<CommitEntry>& entries, bool color) {
  std::ostringstream out;
  for (const auto& s : entries) {
    std::string tool = "-";
    std::string words = first_line(s.subject);
    if (!s.records.empty()) {
      const auto& record = s.records.front();
      tool = quote_name(record.tool + (record.model.empty() ? "" : "/" + record.model));
      words = "\"" + first_line(record.prompt) + "\"";
    } else if (s.ai_assisted() && !s.tool.empty()) {
      tool = quote_name(s.tool + (s.model.empty() ? "" : "/" + s.model));
    }
    std::string ai = s.ai_assisted() ? paint(color, "35", "AI") : "--";
    std::string record = "record:" + s.record_status;
    if (s.record_status == "invalid" || s.record_status == "missing") {
      record = paint(color, "31", record);
    } else if (s.record_status == "stale" || s.record_status == "orphan") {
      record = paint(color, "33", record);
    }
    std::string sig = "sig:" + s.signature_status;
    if (s.signature_status != "signed" && s.signature_status != "unsigned") {
      sig = paint(color, "31", sig);
    }
    out << paint(color, "33", Repository::short_id(s.id)) << "  " << ai << "  " << tool << "  "
        << record << "  " << sig << "  " << (s.analyzed ? counts(s) + "  " : "") << words << "\n";
  }
  return out.str();
}

std::string render_show(Repository& repo, std::string_view rev, bool color) {
  std::string id = repo.resolve(rev).value_or_throw();
  Review review = review_commit(repo, id);
  if (review.change_set.changes.empty() || !review.change_set.changes.front().commit) {
    throw Error("'" + std::string(rev) + "' is not a commit");
  }
  const Change& change = review.change_set.changes.front();
  const CommitInfo& commit = *change.commit;
  auto s = summarize_commit(change, review.findings, repo.content());
  std::ostringstream out;
  out << paint(color, "33", "commit " + commit.id) << "\n";
  out << "Author:      " << quote_name(commit.author.name) << " <"
      << quote_name(commit.author.email) << ">\n";
  out << "Date:        " << utc_time(commit.author.time) << "\n";
  out << "AI-assisted: "
      << (s.ai_evidence ? "yes, " + sanitize(*s.ai_evidence)
                        : (s.records.empty() ? "no marker" : "yes, it carries a prompt record"))
      << "\n";
  out << "Signature:   " << s.signature_status << "\n";
  out << "Record:      " << s.record_status << "\n\n";
  out << indent(commit.message, "    ") << "\n";
  for (const auto& record : s.records) {
    out << paint(color, "35", "Prompt " + quote_name(record.id)) << " ("
        << sanitize(tool_label(record)) << ", recorded " << sanitize(record.created_at) << ")\n";
    out << indent(record.prompt, "  > ");
    if (record.prompt_truncated) {
      out << "  (cut: the prompt had " << record.prompt_bytes << " bytes)\n";
    }
    if (!record.redactions.empty()) {
      int total = 0;
      for (const auto& red : record.redactions) {
        total += red.count;
      }
      out << "  (" << total << (total == 1 ? " secret" : " secrets")
          << " redacted before recording)\n";
    }
    if (!record.transcript_excerpt.empty()) {
      out << "\n  Transcript excerpt"
          << (record.transcript_ref.empty() ? ""
                                            : " (from " + sanitize(record.transcript_ref) + ")")
          << ":\n";
      out << indent(record.transcript_excerpt, "  | ");
    }
    out << "\n";
  }
  if (s.records.empty()) {
    out << (s.ai_assisted()
                ? "No prompt record: the prompt that produced this commit is unknown.\n\n"
                : "No prompt record.\n\n");
  }
  std::string diff = render_diff(change, color); // before the review moves into the report
  // Findings, as `agate check --commit` prints them.
  Selection selection;
  selection.mode = SelectionMode::commit;
  selection.rev = id;
  RenderOptions render_options;
  render_options.color = color;
  Report report = make_report(std::move(review), repo.content(), selection, std::nullopt);
  out << render_text(report, render_options) << "\n" << diff;
  return out.str();
}

std::string render_repair(Repository& repo, const std::vector<std::string>& commits) {
  GitRepositoryView view(repo);
  std::ostringstream out;
  int broken = 0;
  for (auto it = commits.rbegin(); it != commits.rend(); ++it) {
    Selection selection;
    selection.mode = SelectionMode::commit;
    selection.rev = *it;
    auto changes = load_changes(repo, selection, {}).value_or_throw();
    if (changes.changes.empty() || !changes.changes.front().commit) {
      continue;
    }
    const Change& change = changes.changes.front();
    auto links =
        link_records(prompt_trailer_ids(*change.commit),
                     record_candidates(change, repo.content(), &view), diff_hash(change.files));
    auto trailers = repair_trailers(links);
    if (trailers.empty()) {
      continue;
    }
    ++broken;
    out << Repository::short_id(*it) << "  " << first_line(change.commit->summary) << "\n";
    for (const auto& link : links) {
      if (link.how != LinkKind::trailer) {
        out << "  Agate-Prompt: " << sanitize(link.record.id) << "    # "
            << sanitize(link.describe()) << "\n";
      }
    }
  }
  if (broken == 0) {
    out << "Every prompt record in these commits is linked by its trailer, or matches none.\n";
  } else {
    out << "\n"
        << broken << (broken == 1 ? " commit" : " commits")
        << " lost the trailers of records matched by diff. Add them to the message (git rebase "
           "-i with reword, or git commit --amend --trailer 'Agate-Prompt: <id>' for the last "
           "commit).\n";
  }
  return out.str();
}

std::string export_agent_trace(Repository& repo, const std::vector<std::string>& commits) {
  std::string out;
  for (auto it = commits.rbegin(); it != commits.rend(); ++it) {
    Review review = review_commit(repo, *it);
    if (review.change_set.changes.empty()) {
      continue;
    }
    const Change& change = review.change_set.changes.front();
    auto s = summarize_commit(change, review.findings, repo.content());
    if (s.records.empty() || !change.commit) {
      continue;
    }
    const PromptRecord& first = s.records.front();
    std::map<std::string, const PromptRecord*> record_of_file;
    for (const auto& record : s.records) {
      for (const auto& file : record.files) {
        record_of_file.emplace(file, &record);
      }
    }
    // Files edited after the agent (a stale record) are "mixed".
    std::set<std::string> edited;
    for (const auto* finding : s.findings) {
      if (finding->rule == rule::provenance_stale_record && finding->evidence.contains("edited")) {
        for (const auto& path : finding->evidence["edited"]) {
          edited.insert(path.get<std::string>());
        }
      }
    }
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : change.files) {
      if (file.prompt_record || file.new_path.empty()) {
        continue;
      }
      auto owner = record_of_file.find(file.new_path);
      nlohmann::json ranges = nlohmann::json::array();
      for (const auto& hunk : file.hunks) {
        int start = 0;
        int end = 0;
        for (const auto& line : hunk.lines) {
          if (line.origin == '+') {
            if (start != 0 && line.new_line == end + 1) {
              end = line.new_line;
              continue;
            }
            if (start != 0) {
              ranges.push_back({{"start_line", start}, {"end_line", end}});
            }
            start = end = line.new_line;
          }
        }
        if (start != 0) {
          ranges.push_back({{"start_line", start}, {"end_line", end}});
        }
      }
      if (ranges.empty()) {
        continue;
      }
      const PromptRecord& record = owner == record_of_file.end() ? first : *owner->second;
      nlohmann::json contributor = {{"type", owner == record_of_file.end() ? "human"
                                             : edited.count(file.new_path) ? "mixed"
                                                                           : "ai"}};
      if (owner != record_of_file.end() && !record.model.empty()) {
        contributor["model_id"] = cut_utf8(model_id(record.model), 250);
      }
      nlohmann::json conversation = {{"contributor", contributor}, {"ranges", ranges}};
      if (record.transcript_ref.starts_with("https://") ||
          record.transcript_ref.starts_with("http://")) {
        conversation["url"] = record.transcript_ref;
      }
      files.push_back({{"path", file.new_path}, {"conversations", {conversation}}});
    }
    nlohmann::json ids = nlohmann::json::array();
    std::string seed = change.commit->id;
    for (const auto& record : s.records) {
      ids.push_back(record.id);
      seed += ":" + record.id;
    }
    nlohmann::json trace = {
        {"version", "1.0"},
        {"id", uuid_from(seed)},
        {"timestamp", utc_time(change.commit->committer.time)},
        {"vcs", {{"type", "git"}, {"revision", change.commit->id}}},
        {"tool",
         {{"name", first.tool},
          {"version", first.tool_version.empty() ? "unknown" : first.tool_version}}},
        {"files", files},
        {"metadata",
         {{"agate",
           {{"record_ids", ids},
            {"record_status", s.record_status},
            {"diff_sha256", first.diff_sha256},
            {"recorded_at", first.created_at},
            {"prompt_first_line", first_line(first.prompt, 200)}}}}}};
    out += utf8_json(trace).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

} // namespace agate::gate
