// The provenance rules; see provenance_analyzer.hpp. The analyzer reads the records a change
// adds (or modifies) under .agate/prompts/, the commit's `Agate-Prompt:` and `Signed-off-by:`
// trailers and its AI-assisted markers, and recomputes the normalized diff hash of the change
// itself.
#include "analyzers/provenance_analyzer.hpp"

#include "gate/core/rule_catalog.hpp"
#include "gate/provenance/ai_assisted.hpp"
#include "gate/provenance/record_links.hpp"
#include "gate/provenance/secret_scanner.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace agate::analyzers {

namespace {

using gate::Finding;
using gate::PromptRecord;
using gate::Severity;

struct LoadedRecord {
  std::string path;
  std::string text;
  PromptRecord record;
};

std::string join(const std::vector<std::string>& items, std::size_t max_items = 5) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i) {
    out += (i ? ", " : "") + items[i];
  }
  if (items.size() > max_items) {
    out += " and " + std::to_string(items.size() - max_items) + " more";
  }
  return out;
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int line_of_offset(std::string_view text, std::size_t offset) {
  return 1 + static_cast<int>(std::count(
                 text.begin(),
                 text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

// The line of the record file where `needle` (a secret's first bytes) appears; 1 if not found.
int line_of(std::string_view text, std::string_view needle) {
  auto at = text.find(needle.substr(0, std::min<std::size_t>(needle.size(), 24)));
  return at == std::string_view::npos ? 1 : line_of_offset(text, at);
}

class Run {
public:
  Run(const AnalysisContext& context, const gate::Change& change)
      : m_context(context), m_change(change) {}

  std::vector<Finding> findings() {
    load_records();
    check_secrets();
    if (m_change.kind == gate::ChangeKind::commit && m_change.commit) {
      check_trailers();
      check_missing();
      check_signoff();
    }
    check_stale();
    return std::move(m_findings);
  }

private:
  Finding& add(std::string_view rule, Severity severity, std::string file, int line,
               std::string message, std::string hint) {
    Finding f;
    f.rule = rule;
    f.severity = severity;
    f.file = std::move(file);
    f.line = line;
    f.end_line = line;
    f.message = std::move(message);
    f.hint = std::move(hint);
    m_findings.push_back(std::move(f));
    return m_findings.back();
  }

  void load_records() {
    for (const auto& file : m_change.files) {
      if (!file.prompt_record || file.new_oid.empty() || file.new_path.empty()) {
        continue;
      }
      if (auto why = gate::not_a_record_path(file.new_path)) {
        auto& f = add(gate::rule::provenance_invalid_record, Severity::error, file.new_path, 1,
                      *why, "Keep only records made by `agate record` under .agate/prompts/.");
        f.evidence["record"] = file.new_path;
        continue;
      }
      auto text = m_context.contents.blob(file.new_oid);
      if (!text) {
        continue;
      }
      auto record = gate::parse_prompt_record(*text, file.new_path);
      if (!record) {
        auto& f = add(gate::rule::provenance_invalid_record, Severity::error, file.new_path, 1,
                      record.error(),
                      "Re-create the record with `agate record`, or fix the field named; "
                      "docs/prompt-records.md has the schema.");
        f.evidence["record"] = file.new_path;
        continue;
      }
      m_records.push_back({file.new_path, std::move(*text), std::move(*record)});
    }
  }

  void check_secrets() {
    for (const auto& loaded : m_records) {
      std::map<std::string, int> kinds;
      std::string first_match;
      for (const auto* field : {&loaded.record.prompt, &loaded.record.transcript_excerpt}) {
        for (const auto& match : gate::find_secrets(*field)) {
          ++kinds[match.kind];
          if (first_match.empty()) {
            first_match = field->substr(match.offset, match.length);
          }
        }
      }
      if (kinds.empty()) {
        continue;
      }
      std::vector<std::string> names;
      int total = 0;
      for (const auto& [kind, count] : kinds) {
        names.push_back(kind);
        total += count;
      }
      auto& f = add(gate::rule::provenance_secret_in_prompt, Severity::error, loaded.path,
                    line_of(loaded.text, first_match),
                    "prompt record `" + loaded.record.id + "` holds " +
                        plural(static_cast<std::size_t>(total), "secret", "secrets") +
                        " in clear (" + join(names) + "): it was written without redaction",
                    "Rotate the secret, then re-create the record with `agate record`, which "
                    "redacts secrets as [REDACTED:<kind>]; the secret stays in git history "
                    "until it is rewritten.");
      f.evidence["kinds"] = names;
      f.evidence["count"] = total;
    }
  }

  bool record_in_tree(const std::string& id) {
    const auto path = gate::record_path(id);
    for (const auto& file : m_change.files) {
      if (file.new_path == path) {
        return true;
      }
    }
    if (m_context.repository == nullptr) {
      return false;
    }
    auto files = m_context.repository->files_after(m_change);
    if (!files) {
      return false;
    }
    return std::any_of(files->begin(), files->end(),
                       [&](const gate::TreeFile& f) { return f.path == path; });
  }

  void check_trailers() {
    const auto& commit = *m_change.commit;
    m_trailer_ids = gate::prompt_trailer_ids(commit);
    std::set<std::string> named(m_trailer_ids.begin(), m_trailer_ids.end());
    for (const auto& id : m_trailer_ids) {
      if (!gate::is_safe_record_id(id)) {
        auto& f = add(gate::rule::provenance_orphan_record, Severity::warning, "", 0,
                      "commit " + m_change.label + " has the trailer `Agate-Prompt: " +
                          gate::cut_utf8(id, 80) + "`, which is not a valid record id",
                      "Trailers name records by the id `agate record` printed.");
        f.evidence["trailer"] = id;
        continue;
      }
      bool here = std::any_of(m_records.begin(), m_records.end(),
                              [&](const LoadedRecord& r) { return r.record.id == id; });
      if (here || record_in_tree(id)) {
        m_has_record = true;
        continue;
      }
      auto& f = add(gate::rule::provenance_orphan_record, Severity::warning, "", 0,
                    "commit " + m_change.label + " says `Agate-Prompt: " + id + "` but " +
                        gate::record_path(id) + " is not in its tree",
                    "Commit the record with the change (`agate record` stages it), or remove "
                    "the trailer.");
      f.evidence["trailer"] = id;
    }
    for (const auto& loaded : m_records) {
      if (named.count(loaded.record.id) > 0) {
        continue;
      }
      m_has_record = true; // a record is there, only its trailer is missing
      auto link = diff_link(loaded);
      auto& f = add(gate::rule::provenance_orphan_record, Severity::warning, loaded.path, 1,
                    "prompt record `" + loaded.record.id + "` is committed in " + m_change.label +
                        " without an `Agate-Prompt: " + loaded.record.id + "` trailer" +
                        (link ? " (" + link->describe() +
                                    ": a squash merge or a rewritten "
                                    "message drops the trailer)"
                              : std::string()),
                    "Install agate's commit-msg hook (`agate install`), which adds the trailer, "
                    "or add it to the message (`agate log --repair` prints it).");
      f.evidence["record"] = loaded.record.id;
      if (link) {
        f.evidence["matched_by"] = link->how == gate::LinkKind::diff ? "diff" : "files";
        f.evidence["matched_files"] = link->matched_files;
      }
    }
    if (!m_records.empty()) {
      m_has_record = true;
    }
  }

  // How a record the change adds is tied to it without a trailer, if it is.
  std::optional<gate::RecordLink> diff_link(const LoadedRecord& loaded) {
    std::vector<gate::RecordCandidate> one{{loaded.path, loaded.record, true}};
    auto links = gate::link_records({}, one, change_hash());
    return links.empty() ? std::nullopt : std::optional(std::move(links.front()));
  }

  const gate::DiffHash& change_hash() {
    if (!m_hash) {
      m_hash = gate::diff_hash(m_change.files);
    }
    return *m_hash;
  }

  // A record already in the tree (committed apart from the code, or before the trailer was
  // lost) whose diff matches this commit: the commit has its record, only the link is missing.
  bool linked_from_tree() {
    auto candidates = gate::record_candidates(m_change, m_context.contents, m_context.repository);
    auto links = gate::link_records({}, candidates, change_hash());
    if (links.empty()) {
      return false;
    }
    for (const auto& link : links) {
      auto& f = add(gate::rule::provenance_orphan_record, Severity::note, "", 0,
                    "commit " + m_change.label + " names no prompt record, but " + link.describe() +
                        " already in the tree",
                    "Add the trailer to restore the link (`agate log --repair` prints it).");
      f.evidence["record"] = link.record.id;
      f.evidence["matched_by"] = link.how == gate::LinkKind::diff ? "diff" : "files";
      f.evidence["matched_files"] = link.matched_files;
    }
    return true;
  }

  void check_missing() {
    if (m_has_record) {
      return;
    }
    auto requirement = record_requirement(m_context.policy);
    auto evidence =
        gate::ai_assisted_evidence(*m_change.commit, m_context.policy.provenance.agent_identities);
    if (!evidence && requirement != RecordRequirement::all) {
      return;
    }
    if (linked_from_tree()) {
      m_has_record = true;
      return;
    }
    const bool required = requirement == RecordRequirement::all ||
                          (requirement == RecordRequirement::ai_assisted && evidence);
    std::string why = evidence ? "is AI-assisted (" + *evidence + ")"
                               : "has no prompt record, and the policy requires one for every "
                                 "commit";
    auto& f = add(gate::rule::provenance_missing_record,
                  required ? Severity::error : Severity::warning, "", 0,
                  "commit " + m_change.label + " " + why +
                      (evidence ? " but carries no prompt record" : ""),
                  "Record the prompt with `agate record` before committing (docs/agents.md shows "
                  "the one-line set-up for each agent).");
    if (evidence) {
      f.evidence["ai_assisted"] = *evidence;
    }
    f.evidence["required"] = required;
  }

  // Only a person can certify the Developer Certificate of Origin: an agent in `Signed-off-by:`
  // is always reported, and where the policy asks for it an AI-assisted commit needs a person's
  // sign-off (the agent goes in `Assisted-by:` or `Co-authored-by:`).
  void check_signoff() {
    const auto& commit = *m_change.commit;
    const auto& extra = m_context.policy.provenance.agent_identities;
    bool person_signed = false;
    for (const auto& trailer : commit.trailers) {
      if (gate::lower(trailer.key) != "signed-off-by") {
        continue;
      }
      auto [name, email] = gate::split_identity(trailer.value);
      auto agent = gate::agent_identity(name, email, extra);
      if (!agent) {
        person_signed = person_signed || !name.empty() || !email.empty();
        continue;
      }
      auto& f = add(gate::rule::provenance_agent_signoff, Severity::warning, "", 0,
                    "commit " + m_change.label + " is signed off by an agent (`" + trailer.key +
                        ": " + trailer.value + "`, " + agent->tool +
                        "): only a person can certify the Developer Certificate of Origin",
                    "Name the agent in `Assisted-by:` or `Co-authored-by:`, and have the person "
                    "who reviewed the change sign off (git commit --amend -s).");
      f.evidence["signoff"] = trailer.value;
      f.evidence["agent"] = agent->tool;
    }
    if (!m_context.policy.provenance.require_human_signoff || person_signed) {
      return;
    }
    auto marker = gate::ai_assisted_marker(commit, extra);
    if (!marker && !m_has_record) {
      return;
    }
    std::string why = marker ? marker->said : "it carries a prompt record";
    auto& f = add(gate::rule::provenance_missing_signoff, Severity::error, "", 0,
                  "commit " + m_change.label + " is AI-assisted (" + why +
                      ") but no person signed it off (`Signed-off-by:`), and the policy "
                      "requires one",
                  "The person who reviewed the agent's change signs off: git commit --amend -s "
                  "(provenance.require_human_signoff).");
    f.evidence["ai_assisted"] = why;
  }

  void check_stale() {
    if (m_records.empty() || m_change.kind == gate::ChangeKind::range) {
      return;
    }
    std::vector<PromptRecord> records;
    for (const auto& loaded : m_records) {
      records.push_back(loaded.record);
    }
    const auto& current = change_hash();
    auto report = compare_with_records(records, current);
    if (!report.stale) {
      return;
    }
    const bool minor = report.extra.empty() && report.dropped.empty() &&
                       report.edited.size() * 2 <= static_cast<std::size_t>(report.agent_files);
    std::string what;
    if (!report.edited.empty()) {
      what += plural(report.edited.size(), "file", "files") + " of the agent's " +
              std::to_string(report.agent_files) + " edited since (" + join(report.edited) + ")";
    }
    if (!report.extra.empty()) {
      what += std::string(what.empty() ? "" : "; ") + plural(report.extra.size(), "file", "files") +
              " changed that no record mentions (" + join(report.extra) + ")";
    }
    if (!report.dropped.empty()) {
      what += std::string(what.empty() ? "" : "; ") +
              plural(report.dropped.size(), "file", "files") + " the agent changed no longer " +
              "changed (" + join(report.dropped) + ")";
    }
    if (what.empty()) {
      what = "the diff differs from the recorded one";
    }
    const auto& first = m_records.front();
    std::string ids;
    for (const auto& loaded : m_records) {
      ids += (ids.empty() ? "`" : ", `") + loaded.record.id + "`";
    }
    auto& f = add(gate::rule::provenance_stale_record, minor ? Severity::note : Severity::warning,
                  first.path, 1,
                  "the change no longer matches what prompt record " + ids +
                      " says the agent produced: " + what,
                  "Human edits after the agent are normal: review them as such. Re-run "
                  "`agate record` if the record should describe the final change.");
    f.evidence["edited"] = report.edited;
    f.evidence["extra"] = report.extra;
    f.evidence["dropped"] = report.dropped;
    f.evidence["unverifiable"] = report.unverifiable;
    f.evidence["diff_sha256"] = current.sha256;
    f.evidence["recorded_diff_sha256"] = first.record.diff_sha256;
  }

  const AnalysisContext& m_context;
  const gate::Change& m_change;
  std::vector<LoadedRecord> m_records;
  std::vector<std::string> m_trailer_ids;
  bool m_has_record = false;
  std::optional<gate::DiffHash> m_hash;
  std::vector<Finding> m_findings;
};

} // namespace

RecordRequirement record_requirement(const gate::Policy& policy) {
  const auto& text = policy.provenance.require_records;
  if (text == "all") {
    return RecordRequirement::all;
  }
  if (text == "ai-assisted") {
    return RecordRequirement::ai_assisted;
  }
  return RecordRequirement::none;
}

StaleReport compare_with_records(const std::vector<PromptRecord>& records,
                                 const gate::DiffHash& current) {
  StaleReport report;
  if (records.size() == 1 && records.front().diff_sha256 == current.sha256) {
    return report;
  }
  // The agent's files: path -> hash, from every record; a path two records both changed cannot
  // be checked file by file (its final diff composes both).
  std::map<std::string, std::string> agent;
  std::set<std::string> shared;
  bool per_file = true;
  for (const auto& record : records) {
    if (record.file_sha256.empty() && !record.files.empty()) {
      per_file = false;
    }
    for (const auto& [path, hash] : record.file_sha256) {
      if (auto [it, inserted] = agent.emplace(path, hash); !inserted) {
        shared.insert(path);
      }
    }
  }
  if (!per_file) {
    // A record without per-file hashes: only the whole diff can be compared.
    report.stale = records.size() == 1;
    report.agent_files = static_cast<int>(records.front().files.size());
    return report;
  }
  report.agent_files = static_cast<int>(agent.size());
  for (const auto& [path, hash] : agent) {
    if (shared.count(path) > 0) {
      report.unverifiable.push_back(path);
      continue;
    }
    auto now = current.files.find(path);
    if (now == current.files.end()) {
      report.dropped.push_back(path);
    } else if (now->second != hash) {
      report.edited.push_back(path);
    }
  }
  for (const auto& [path, hash] : current.files) {
    if (agent.count(path) == 0) {
      report.extra.push_back(path);
    }
  }
  report.stale = !report.edited.empty() || !report.dropped.empty() || !report.extra.empty();
  return report;
}

std::vector<Finding> ProvenanceAnalyzer::analyze(const AnalysisContext& context,
                                                 const gate::Change& change) {
  if (change.kind == gate::ChangeKind::range) {
    return {};
  }
  return Run(context, change).findings();
}

} // namespace agate::analyzers
