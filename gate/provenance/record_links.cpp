// Linking prompt records to commits by trailer, diff hash or files; see record_links.hpp.
#include "gate/provenance/record_links.hpp"

#include "gate/util/text.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace agate::gate {

namespace {

// Records parsed from blobs, by blob id: a range reads the same records at every commit.
std::optional<PromptRecord> parsed_record(const std::string& oid, const std::string& path,
                                          const ContentSource& contents) {
  static std::mutex mutex;
  static std::map<std::string, std::optional<PromptRecord>> cache;
  const std::string key = oid + " " + path;
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) {
      return it->second;
    }
  }
  std::optional<PromptRecord> record;
  if (auto text = contents.blob(oid)) {
    if (auto parsed = parse_prompt_record(*text, path)) {
      record = std::move(*parsed);
    }
  }
  std::lock_guard lock(mutex);
  cache.emplace(key, record);
  return record;
}

std::optional<RecordLink> link_by_diff(const RecordCandidate& candidate, const DiffHash& diff) {
  RecordLink link{candidate.path, candidate.record, LinkKind::diff, {}, false};
  const auto& record = candidate.record;
  if (!record.diff_sha256.empty() && record.diff_sha256 == diff.sha256 && !diff.files.empty()) {
    link.whole_diff = true;
    link.matched_files = record.files;
    return link;
  }
  for (const auto& [path, hash] : record.file_sha256) {
    auto now = diff.files.find(path);
    if (now != diff.files.end() && now->second == hash) {
      link.matched_files.push_back(path);
    }
  }
  if (!link.matched_files.empty()) {
    return link;
  }
  const bool all_changed = !record.files.empty() &&
                           std::all_of(record.files.begin(), record.files.end(),
                                       [&](const std::string& f) { return diff.files.count(f); });
  if (candidate.in_change && all_changed) {
    link.how = LinkKind::files;
    link.matched_files = record.files;
    return link;
  }
  return std::nullopt;
}

} // namespace

std::string RecordLink::describe() const {
  switch (how) {
  case LinkKind::trailer:
    return "";
  case LinkKind::diff:
    return "record " + record.id + " matched by diff (" +
           (whole_diff
                ? std::string("the whole diff")
                : std::to_string(matched_files.size()) + " of " +
                      std::to_string(std::max(record.file_sha256.size(), record.files.size())) +
                      " files") +
           ")";
  case LinkKind::files:
    return "record " + record.id + " matched by its files (" +
           std::to_string(matched_files.size()) + ", all changed by this commit)";
  }
  return "";
}

std::vector<std::string> prompt_trailer_ids(const CommitInfo& commit) {
  std::vector<std::string> ids;
  for (const auto& trailer : commit.trailers) {
    if (lower(trailer.key) == "agate-prompt") {
      ids.push_back(trailer.value);
    }
  }
  return ids;
}

std::vector<RecordCandidate> record_candidates(const Change& change, const ContentSource& contents,
                                               const RepositoryView* view) {
  std::vector<RecordCandidate> out;
  std::set<std::string> seen;
  for (const auto& file : change.files) {
    if (!file.prompt_record || file.new_oid.empty() || !record_id_of_path(file.new_path)) {
      continue;
    }
    if (auto record = parsed_record(file.new_oid, file.new_path, contents)) {
      seen.insert(file.new_path);
      out.push_back({file.new_path, std::move(*record), true});
    }
  }
  if (view == nullptr) {
    return out;
  }
  auto tree = view->files_after(change);
  if (!tree) {
    return out;
  }
  for (const auto& file : *tree) {
    if (seen.count(file.path) > 0 || !record_id_of_path(file.path)) {
      continue;
    }
    if (auto record = parsed_record(file.oid, file.path, contents)) {
      out.push_back({file.path, std::move(*record), false});
    }
  }
  return out;
}

std::vector<RecordLink> link_records(const std::vector<std::string>& trailer_ids,
                                     const std::vector<RecordCandidate>& candidates,
                                     const DiffHash& diff) {
  std::vector<RecordLink> links;
  std::set<std::string> linked;
  for (const auto& id : trailer_ids) {
    for (const auto& candidate : candidates) {
      if (candidate.record.id == id && linked.insert(id).second) {
        links.push_back({candidate.path, candidate.record, LinkKind::trailer, {}, false});
      }
    }
  }
  for (const auto& candidate : candidates) {
    if (linked.count(candidate.record.id) > 0) {
      continue;
    }
    if (auto link = link_by_diff(candidate, diff)) {
      linked.insert(candidate.record.id);
      links.push_back(std::move(*link));
    }
  }
  return links;
}

std::vector<std::string> repair_trailers(const std::vector<RecordLink>& links) {
  std::vector<std::string> out;
  for (const auto& link : links) {
    if (link.how != LinkKind::trailer) {
      out.push_back("Agate-Prompt: " + link.record.id);
    }
  }
  return out;
}

} // namespace agate::gate
