// The prompt-log review's page model; see review_model.hpp.
#include "gate/review/review_model.hpp"

#include "gate/git/change_loader.hpp"
#include "gate/git/commit_parser.hpp"
#include "gate/git/commit_walk.hpp"
#include "gate/provenance/ai_assisted.hpp"
#include "gate/provenance/commit_summary.hpp"
#include "gate/util/sanitize.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <set>

namespace agate::gate {

namespace {

// The order in which record outcomes override each other, most serious last (as in
// gate/provenance/commit_summary.cpp, which decides it for an analyzed commit).
int record_rank(std::string_view status) {
  static constexpr std::string_view order[] = {"none",   "ok",      "matched", "stale",
                                               "orphan", "missing", "invalid"};
  for (int i = 0; i < static_cast<int>(std::size(order)); ++i) {
    if (order[i] == status) {
      return i;
    }
  }
  return 0;
}

void raise(std::string& status, std::string_view to) {
  if (record_rank(to) > record_rank(status)) {
    status = std::string(to);
  }
}

// "Name <email>" split in two.
std::pair<std::string, std::string> split_identity(std::string_view value) {
  auto open = value.find('<');
  if (open == std::string_view::npos) {
    return {std::string(trim(value)), ""};
  }
  auto close = value.find('>', open);
  return {
      std::string(trim(value.substr(0, open))),
      std::string(value.substr(open + 1, close == std::string_view::npos ? std::string_view::npos
                                                                         : close - open - 1))};
}

// The agent a marker names, as tool and model: Aider's "aider (gpt-4o)" gives aider and gpt-4o,
// its author "Name (aider)" gives aider, any other identity its name.
std::pair<std::string, std::string> agent_of(const CommitInfo& commit,
                                             const std::vector<std::string>& identities) {
  auto named = [](const std::string& name) -> std::pair<std::string, std::string> {
    std::string folded = lower(name);
    if (folded.starts_with("aider (") && folded.ends_with(")")) {
      return {"aider", name.substr(7, name.size() - 8)};
    }
    if (folded.ends_with(" (aider)")) {
      return {"aider", ""};
    }
    return {name, ""};
  };
  for (const auto& trailer : commit.trailers) {
    std::string key = lower(trailer.key);
    if (key != "co-authored-by" && key != "assisted-by" && key != "generated-by") {
      continue;
    }
    auto [name, email] = split_identity(trailer.value);
    if (key != "co-authored-by" || is_agent_identity(name, email, identities)) {
      return named(name.empty() ? email : name);
    }
  }
  for (const Person* person : {&commit.author, &commit.committer}) {
    if (is_agent_identity(person->name, person->email, identities)) {
      return named(person->name);
    }
  }
  if (commit.message.starts_with("aider: ")) {
    return {"aider", ""};
  }
  return {"", ""};
}

std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

} // namespace

std::string_view to_string(AuthorKind kind) {
  switch (kind) {
  case AuthorKind::human:
    return "human";
  case AuthorKind::ai_with_record:
    return "ai-recorded";
  case AuthorKind::ai_without_record:
    return "ai-unrecorded";
  }
  return "human";
}

AuthorKind CommitEntry::kind() const {
  if (!ai_assisted()) {
    return AuthorKind::human;
  }
  return records.empty() ? AuthorKind::ai_without_record : AuthorKind::ai_with_record;
}

CommitEntry read_commit_entry(Repository& repo, const std::string& id,
                              const std::vector<std::string>& agent_identities) {
  auto raw = repo.read_raw_object(id).value_or_throw();
  CommitInfo info = commit_info(id, raw);
  CommitEntry entry;
  entry.id = info.id;
  entry.parents = info.parents;
  entry.author = info.author;
  entry.message = info.message;
  entry.subject = first_line(info.summary);
  entry.ai_evidence = ai_assisted_evidence(info, agent_identities);
  entry.signature_status = info.signature.empty() ? "unsigned" : "signed";

  std::vector<std::string> trailer_ids;
  for (const auto& trailer : info.trailers) {
    if (lower(trailer.key) == "agate-prompt") {
      trailer_ids.push_back(trailer.value);
    }
  }
  auto changed = files_changed_under(repo, id, k_prompts_dir).value_or_throw();
  for (const auto& file : changed) {
    if (file.oid.empty()) {
      continue;
    }
    if (not_a_record_path(file.path) || !record_id_of_path(file.path)) {
      raise(entry.record_status, "invalid");
      continue;
    }
    auto text = repo.content().blob(file.oid);
    auto record = text ? parse_prompt_record(*text, file.path) : Result<PromptRecord>(fail(""));
    if (!record) {
      raise(entry.record_status, "invalid");
      continue;
    }
    entry.records.push_back(std::move(*record));
  }
  bool has_record = !entry.records.empty();
  std::set<std::string> named(trailer_ids.begin(), trailer_ids.end());
  for (const auto& trailer_id : trailer_ids) {
    bool here = std::any_of(entry.records.begin(), entry.records.end(),
                            [&](const PromptRecord& r) { return r.id == trailer_id; });
    if (here) {
      continue;
    }
    if (is_safe_record_id(trailer_id)) {
      auto in_tree = repo.read_file_at(id, record_path(trailer_id));
      if (in_tree && in_tree->has_value()) {
        has_record = true;
        continue;
      }
    }
    raise(entry.record_status, "orphan");
  }
  // A record the commit holds but does not name (a squash merge or a rebase lost its trailer) is
  // matched when its diff or files tie it to the commit, an orphan otherwise. Only then is the
  // commit's diff read.
  std::vector<const PromptRecord*> unnamed;
  for (const auto& record : entry.records) {
    if (named.count(record.id) == 0) {
      unnamed.push_back(&record);
    }
  }
  if (!unnamed.empty()) {
    std::set<std::string> linked;
    Selection selection;
    selection.mode = SelectionMode::commit;
    selection.rev = id;
    auto loaded = load_changes(repo, selection, LoadOptions{});
    if (loaded && !loaded->changes.empty()) {
      const Change& change = loaded->changes.front();
      for (const auto& link :
           link_records(trailer_ids, record_candidates(change, repo.content(), nullptr),
                        diff_hash(change.files))) {
        if (link.how != LinkKind::trailer) {
          linked.insert(link.record.id);
        }
      }
    }
    for (const auto* record : unnamed) {
      raise(entry.record_status, linked.contains(record->id) ? "matched" : "orphan");
    }
  }
  if (!entry.records.empty()) {
    raise(entry.record_status, "ok");
  }
  if (!has_record && entry.ai_evidence) {
    raise(entry.record_status, "missing");
  }
  if (!entry.records.empty()) {
    entry.tool = entry.records.front().tool;
    entry.model = entry.records.front().model;
  } else if (entry.ai_evidence) {
    std::tie(entry.tool, entry.model) = agent_of(info, agent_identities);
  }
  return entry;
}

void count_lines(Repository& repo, CommitEntry& entry) {
  auto counts = commit_line_counts(repo, entry.id, k_prompts_dir).value_or_throw();
  entry.added_lines = counts.added;
  entry.deleted_lines = counts.deleted;
  entry.lines_counted = true;
}

void add_review(CommitEntry& entry, const Change& change, const std::vector<Finding>& findings,
                const ContentSource& contents) {
  auto summary = summarize_commit(change, findings, contents);
  entry.analyzed = true;
  entry.record_status = summary.record_status;
  entry.signature_status = summary.signature_status;
  entry.errors = summary.errors;
  entry.warnings = summary.warnings;
  entry.notes = summary.notes;
  entry.findings.clear();
  for (const Finding* finding : summary.findings) {
    entry.findings.push_back(*finding);
  }
  entry.diff.clear();
  for (const auto& file : change.files) {
    if (file.prompt_record) {
      continue; // shown as the prompt
    }
    DiffFile out;
    out.path = file.new_path.empty() ? file.old_path : file.new_path;
    if (!file.old_path.empty() && !file.new_path.empty() && file.old_path != file.new_path) {
      out.old_path = file.old_path;
    }
    out.status = std::string(to_string(file.status));
    out.shown = !(file.binary || file.too_large || file.submodule);
    out.hunks = file.hunks;
    entry.diff.push_back(std::move(out));
  }
}

nlohmann::json page_json(const std::string& range, const std::vector<CommitEntry>& commits) {
  auto text = [](std::string_view s) { return sanitize(s, true); };
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : commits) {
    nlohmann::json records = nlohmann::json::array();
    for (const auto& r : c.records) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& f : r.files) {
        files.push_back(text(f));
      }
      records.push_back({{"id", text(r.id)},
                         {"tool", text(r.tool)},
                         {"tool_version", text(r.tool_version)},
                         {"model", text(r.model)},
                         {"created_at", text(r.created_at)},
                         {"prompt", text(r.prompt)},
                         {"prompt_truncated", r.prompt_truncated},
                         {"transcript_excerpt", text(r.transcript_excerpt)},
                         {"transcript_ref", text(r.transcript_ref)},
                         {"files", files}});
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : c.findings) {
      findings.push_back({{"rule", f.rule},
                          {"severity", std::string(to_string(f.severity))},
                          {"file", text(f.file)},
                          {"line", f.line},
                          {"end_line", f.end_line},
                          {"side", std::string(to_string(f.side))},
                          {"message", text(f.message)},
                          {"hint", text(f.hint)}});
    }
    nlohmann::json diff = nlohmann::json::array();
    for (const auto& file : c.diff) {
      nlohmann::json hunks = nlohmann::json::array();
      for (const auto& hunk : file.hunks) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& line : hunk.lines) {
          lines.push_back(
              {std::string(1, line.origin), line.old_line, line.new_line, sanitize(line.text)});
        }
        hunks.push_back({{"header", sanitize(hunk.header)}, {"lines", lines}});
      }
      diff.push_back({{"path", text(file.path)},
                      {"old_path", text(file.old_path)},
                      {"status", file.status},
                      {"shown", file.shown},
                      {"hunks", hunks}});
    }
    list.push_back({{"id", c.id},
                    {"parents", c.parents},
                    {"author", text(c.author.name)},
                    {"email", text(c.author.email)},
                    {"time", format_time(c.author.time, TimeStyle::rfc3339)},
                    {"subject", text(c.subject)},
                    {"message", text(c.message)},
                    {"ai_assisted", c.ai_assisted()},
                    {"evidence", c.ai_evidence ? text(*c.ai_evidence) : ""},
                    {"kind", std::string(to_string(c.kind()))},
                    {"tool", text(c.tool)},
                    {"model", text(c.model)},
                    {"record_status", c.record_status},
                    {"signature_status", c.signature_status},
                    {"added_lines", c.added_lines},
                    {"deleted_lines", c.deleted_lines},
                    {"analyzed", c.analyzed},
                    {"errors", c.errors},
                    {"warnings", c.warnings},
                    {"notes", c.notes},
                    {"records", records},
                    {"findings", findings},
                    {"diff", diff}});
  }
  return {{"range", text(range)}, {"commits", list}};
}

} // namespace agate::gate
