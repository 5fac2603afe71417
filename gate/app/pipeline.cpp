// The passes of `agate check`; see pipeline.hpp. Each pass is a function below, called in order
// from run_check, so the main path reads top to bottom.
#include "gate/app/pipeline.hpp"

#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/query_store.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/app/analyzer_registry.hpp"
#include "gate/app/publish_step.hpp"
#include "gate/app/revision_range.hpp"
#include "gate/core/policy.hpp"
#include "gate/core/rule_catalog.hpp"
#include "gate/core/suppression.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/commit_parser.hpp"
#include "gate/git/github_event.hpp"
#include "gate/git/repository.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/report/report.hpp"
#include "gate/util/file_util.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <thread>
#include <tuple>

namespace agate::gate {

namespace {

const char* const k_policy_path = ".agate/config.json";

bool in_github_actions(const GetEnv& getenv) {
  auto v = getenv("GITHUB_ACTIONS");
  return v && *v == "true";
}

// Pass 2: what to review. Explicit flags win; inside GitHub Actions the event decides;
// otherwise the staged change, as a pre-commit hook sees it.
Selection choose_change(const CliOptions& options, const GetEnv& getenv, Repository& repo) {
  Resolvable resolvable = [&repo](const std::string& rev) { return repo.resolve(rev).ok(); };
  Selection selection;
  if (options.staged) {
    selection.mode = SelectionMode::staged;
  } else if (options.worktree) {
    selection.mode = SelectionMode::worktree;
  } else if (!options.commit.empty()) {
    selection.mode = SelectionMode::commit;
    selection.rev = options.commit;
  } else if (!options.range.empty()) {
    selection =
        selection_of(parse_revision_range(options.range, "--range", RevisionForm::range_only));
  } else if (in_github_actions(getenv)) {
    auto from_event = selection_from_github(getenv, resolvable);
    if (!from_event) {
      throw Error(from_event.error());
    }
    if (*from_event) {
      return **from_event;
    }
    selection.mode = SelectionMode::commit;
    selection.rev = "HEAD";
  } else {
    selection.mode = SelectionMode::staged;
  }
  return selection;
}

// The change to review (choose_change), judged by the policy of --policy-from when it is given.
Selection choose_selection(const CliOptions& options, const GetEnv& getenv, Repository& repo) {
  Selection selection = choose_change(options, getenv, repo);
  selection.policy_from = options.policy_from;
  return selection;
}

struct FileSides {
  std::string old_oid;
  std::string new_oid;
};

// Where each finding's file content lives: (change label, path) -> blob ids.
using ContentIndex = std::map<std::pair<std::string, std::string>, FileSides>;

ContentIndex index_contents(const ChangeSet& change_set) {
  ContentIndex index;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      if (file.binary || file.submodule || file.symlink) {
        continue;
      }
      FileSides sides{file.old_oid, file.new_oid};
      if (!file.new_path.empty()) {
        index[{change.label, file.new_path}] = sides;
      }
      if (!file.old_path.empty() && file.old_path != file.new_path) {
        index.try_emplace({change.label, file.old_path}, sides);
      }
    }
  }
  return index;
}

std::optional<std::string> content_for(const ContentIndex& index, const ContentSource& contents,
                                       const Finding& finding) {
  if (finding.file.empty()) {
    return std::nullopt;
  }
  auto it = index.find({finding.change, finding.file});
  if (it == index.end()) {
    return std::nullopt;
  }
  const auto& oid = finding.side == Side::old_side ? it->second.old_oid : it->second.new_oid;
  if (oid.empty()) {
    return std::nullopt;
  }
  return contents.blob(oid);
}

// Pass 5: every analyzer on every change. For a range the per-commit changes come first, then
// the range as a whole.
// With AGATE_TIMINGS=1 in the environment, each analyzer's time is printed to stderr.
std::vector<Finding> run_analyzers(const analyzers::AnalysisContext& context) {
  auto analyzers = make_analyzers();
  // Compiled queries come from .git/agate/cache/queries.bin when it holds them
  // (analyzers/syntax/query_store.hpp); the others compile on a second core while the analyzers
  // start (analyzer_registry.hpp).
  if (context.repository != nullptr && !context.repository->cache_dir().empty()) {
    syntax::use_query_cache(context.repository->cache_dir() / "queries.bin");
  }
  // Then the analyzers' own work ahead (analyzers/analyzer.hpp: the clone index of the base), on
  // the same second thread while the first analyzers run; on a single core, before them.
  std::vector<std::function<void()>> tasks;
  for (const auto& analyzer : analyzers) {
    if (auto task = analyzer->work_ahead(context)) {
      tasks.push_back(std::move(task));
    }
  }
  const char* timings_env = std::getenv("AGATE_TIMINGS");
  const bool timings = timings_env != nullptr && std::string_view(timings_env) == "1";
  double ahead_ms = 0;
  double queries_ms = 0;
  auto work_ahead = [&context, &tasks, &ahead_ms, &queries_ms](bool queries) {
    const auto start = std::chrono::steady_clock::now();
    if (queries) {
      compile_queries_ahead(context);
    }
    queries_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    for (auto& task : tasks) {
      task();
    }
    ahead_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  };
  std::jthread ahead;
  if (std::thread::hardware_concurrency() > 1) {
    ahead = std::jthread(work_ahead, true);
  } else {
    work_ahead(false);
  }
  std::vector<double> spent(analyzers.size(), 0.0);
  std::vector<Finding> findings;
  for (const auto& change : context.change_set.changes) {
    for (std::size_t a = 0; a < analyzers.size(); ++a) {
      auto& analyzer = analyzers[a];
      const auto start = std::chrono::steady_clock::now();
      auto found = analyzer->analyze(context, change);
      spent[a] +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      for (auto& finding : found) {
        if (finding.change.empty()) {
          finding.change = change.label;
        }
        findings.push_back(std::move(finding));
      }
    }
  }
  if (ahead.joinable()) {
    ahead.join();
  }
  syntax::save_query_cache();
  if (timings) {
    for (std::size_t a = 0; a < analyzers.size(); ++a) {
      std::fprintf(stderr, "agate: timing: analyzer %s: %.1f ms\n",
                   std::string(analyzers[a]->name()).c_str(), spent[a]);
    }
    std::fprintf(stderr,
                 "agate: timing: work ahead (second thread): %.1f ms, of which queries %.1f ms\n",
                 ahead_ms, queries_ms);
    auto queries = syntax::query_cache_stats();
    std::fprintf(stderr, "agate: timing: queries: %zu from the cache, %zu compiled%s%s\n",
                 queries.loaded, queries.compiled, queries.problem.empty() ? "" : "; ",
                 queries.problem.c_str());
  }
  return findings;
}

// For the findings of a commit that is part of a range: the suppressions a reviewer of the range
// sees in the finding's file, those of its base and head versions (VisibleSuppressions); no
// function for other changes, whose own content is what the reviewer reads.
VisibleSuppressions visible_in_range(const ChangeSet& change_set, const std::string& label,
                                     const ContentForFinding& content) {
  for (const auto& change : change_set.changes) {
    if (change.kind != ChangeKind::commit || change.label != label) {
      continue;
    }
    for (const auto& range : change_set.changes) {
      if (range.kind != ChangeKind::range || std::find(range.commits.begin(), range.commits.end(),
                                                       change.head_rev) == range.commits.end()) {
        continue;
      }
      return [&range, &content](const Finding& finding) -> std::optional<std::vector<Suppression>> {
        Finding at_range = finding;
        at_range.change = range.label;
        std::optional<std::vector<Suppression>> seen;
        for (Side side : {Side::old_side, Side::new_side}) {
          at_range.side = side;
          if (auto text = content(at_range)) {
            auto found = find_suppressions(*text);
            if (!seen) {
              seen.emplace();
            }
            seen->insert(seen->end(), found.begin(), found.end());
          }
        }
        return seen;
      };
    }
  }
  return {};
}

// Pass 6, first half: in-code and commit-message suppressions, change by change, so that a commit
// message silences the whole-change findings of its own commit (and of a range that holds it),
// never those of another commit of the range.
SuppressionResult suppress(std::vector<Finding> findings, const ChangeSet& change_set,
                           const ContentForFinding& content) {
  std::vector<std::string> labels; // in the order of the changes
  std::map<std::string, std::string> messages;
  std::string all_messages;
  for (const auto& change : change_set.changes) {
    labels.push_back(change.label);
    if (change.commit) {
      messages[change.label] = change.commit->message;
      all_messages += change.commit->message + "\n";
    }
  }
  for (const auto& change : change_set.changes) {
    if (change.kind == ChangeKind::range) {
      messages[change.label] = all_messages;
    }
  }
  std::map<std::string, std::vector<Finding>> by_change;
  for (auto& finding : findings) {
    if (std::find(labels.begin(), labels.end(), finding.change) == labels.end()) {
      labels.push_back(finding.change);
    }
    by_change[finding.change].push_back(std::move(finding));
  }
  SuppressionResult total;
  for (const auto& label : labels) {
    auto group = by_change.find(label);
    if (group == by_change.end()) {
      continue;
    }
    auto message = messages.find(label);
    auto result = apply_suppressions(std::move(group->second), content,
                                     message == messages.end() ? "" : message->second,
                                     visible_in_range(change_set, label, content));
    by_change.erase(group);
    std::move(result.kept.begin(), result.kept.end(), std::back_inserter(total.kept));
    std::move(result.added.begin(), result.added.end(), std::back_inserter(total.added));
    std::move(result.suppressed_findings.begin(), result.suppressed_findings.end(),
              std::back_inserter(total.suppressed_findings));
  }
  total.suppressed = static_cast<int>(total.suppressed_findings.size());
  return total;
}

// Why a file is not analyzed as code, as a (singular, plural) noun; the first reason that applies.
std::pair<std::string, std::string> exclusion_reason(const FileChange& file) {
  if (file.prompt_record) {
    return {"prompt record", "prompt records"};
  }
  if (file.lockfile) {
    return {"lock file", "lock files"};
  }
  if (file.generated) {
    return {"generated file", "generated files"};
  }
  if (file.vendored) {
    return {"vendored file", "vendored files"};
  }
  return {"file ignored by the policy", "files ignored by the policy"};
}

// The files whose parsing stopped at the time budget (syntax::file_time_budget), named once.
std::vector<Note> time_budget_notes(const ChangeSet& change_set,
                                    const std::vector<std::string>& timed_out) {
  std::vector<Note> notes;
  std::set<std::string> seen;
  const std::set<std::string> blobs(timed_out.begin(), timed_out.end());
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      if ((blobs.contains(file.old_oid) || blobs.contains(file.new_oid)) &&
          seen.insert(file.path()).second) {
        notes.push_back({file.path(), "not analyzed: parsing took longer than the time budget (" +
                                          std::to_string(syntax::file_time_budget().count()) +
                                          " ms per file)"});
      }
    }
  }
  return notes;
}

std::vector<Note> collect_notes(const ChangeSet& change_set, const Policy& policy) {
  std::vector<Note> notes;
  std::set<std::string> seen;
  std::map<std::pair<std::string, std::string>, int> excluded;
  std::set<std::string> excluded_seen;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      const auto& path = file.path();
      if (file.too_large && seen.insert(path).second) {
        notes.push_back({path, "not parsed: larger than limits.max_file_bytes (" +
                                   std::to_string(policy.limits.max_file_bytes) + " bytes)"});
      }
      if (file.excluded() && excluded_seen.insert(path).second) {
        ++excluded[exclusion_reason(file)];
      }
    }
  }
  if (!excluded.empty()) {
    std::string message = "not analyzed as code:";
    bool first = true;
    for (const auto& [why, count] : excluded) {
      message += (first ? " " : ", ") + std::to_string(count) + " " +
                 (count == 1 ? why.first : why.second);
      first = false;
    }
    notes.push_back({"", message});
  }
  return notes;
}

Snippet snippet_for(const Finding& finding, const std::optional<std::string>& content) {
  Snippet snippet;
  if (!content || finding.line <= 0) {
    return snippet;
  }
  const int max_lines = 6;
  int last = std::max(finding.line, finding.end_line);
  last = std::min(last, finding.line + max_lines - 1);
  int line_no = 1;
  std::size_t pos = 0;
  snippet.first_line = finding.line;
  while (pos <= content->size() && line_no <= last) {
    auto nl = content->find('\n', pos);
    auto end = nl == std::string::npos ? content->size() : nl;
    if (line_no >= finding.line) {
      std::string line = content->substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      snippet.lines.push_back(std::move(line));
    }
    if (nl == std::string::npos) {
      break;
    }
    pos = nl + 1;
    ++line_no;
  }
  return snippet;
}

// The changed lines among a snippet's: '+' for a line the change adds (new side), '-' for one it
// deletes (old side), ' ' for the others.
std::vector<char> snippet_marks(const Finding& finding, const Snippet& snippet,
                                const ChangeSet& change_set) {
  std::set<int> changed;
  const bool old_side = finding.side == Side::old_side;
  for (const auto& change : change_set.changes) {
    if (change.label != finding.change) {
      continue;
    }
    for (const auto& file : change.files) {
      if ((old_side ? file.old_path : file.new_path) != finding.file) {
        continue;
      }
      for (const auto& hunk : file.hunks) {
        for (const auto& line : hunk.lines) {
          if (line.origin == (old_side ? '-' : '+')) {
            changed.insert(old_side ? line.old_line : line.new_line);
          }
        }
      }
    }
  }
  std::vector<char> marks;
  for (std::size_t i = 0; i < snippet.lines.size(); ++i) {
    const bool is_changed = changed.count(snippet.first_line + static_cast<int>(i)) > 0;
    marks.push_back(!is_changed ? ' ' : old_side ? '-' : '+');
  }
  return marks;
}

// Where the policy came from, for the text report: the file at a revision or in the work tree,
// or the defaults when there is none.
std::string policy_origin(const Policy& policy, const std::string& policy_rev) {
  const std::string where =
      policy_rev.empty() ? std::string("in the work tree") : "at " + policy_rev.substr(0, 12);
  if (policy.origin == "defaults") {
    return "defaults (no " + std::string(k_policy_path) + " " + where + ")";
  }
  return std::string(k_policy_path) + " " + where;
}

// Sorts the findings by place and says each once. A finding about a file is the same finding
// whichever change reported it (a commit, then the range that holds it). A finding about a whole
// change belongs to its change: two commits of a range may well have the same size and each
// deserves its own finding; only the range as a whole repeating a commit's finding (the commit
// is all the range holds) is said once. Relies on the commits' findings coming before the
// range's, as run_analyzers produces them; the sort is stable.
void sort_findings(std::vector<Finding>& findings, const ChangeSet& change_set) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.rule) < std::tie(b.file, b.line, b.rule);
  });
  std::set<std::string> ranges;
  for (const auto& change : change_set.changes) {
    if (change.kind == ChangeKind::range) {
      ranges.insert(change.label);
    }
  }
  using Key = std::tuple<std::string, std::string, int, int, int, std::string, std::string>;
  std::set<Key> seen;
  std::set<Key> whole_change_of_commits; // without the change, to match the range's
  std::vector<Finding> unique;
  for (auto& f : findings) {
    const bool whole_change = f.file.empty();
    const bool of_range = ranges.count(f.change) > 0;
    Key general{f.rule, f.file, f.line, f.end_line, static_cast<int>(f.side), f.message, ""};
    bool repeated = false;
    if (!whole_change) {
      repeated = !seen.insert(general).second;
    } else if (of_range) {
      repeated = whole_change_of_commits.count(general) > 0 || !seen.insert(general).second;
    } else {
      Key own = general;
      std::get<6>(own) = f.change;
      repeated = !seen.insert(own).second;
      whole_change_of_commits.insert(general);
    }
    if (!repeated) {
      unique.push_back(std::move(f));
    }
  }
  findings = std::move(unique);
}

nlohmann::json source_json(const ChangeSet& change_set, const Selection& selection) {
  nlohmann::json source = nlohmann::json::object();
  switch (selection.mode) {
  case SelectionMode::staged:
    source["kind"] = "staged";
    break;
  case SelectionMode::worktree:
    source["kind"] = "worktree";
    break;
  case SelectionMode::commit:
    source["kind"] = "commit";
    break;
  case SelectionMode::range:
    source["kind"] = "range";
    break;
  case SelectionMode::none:
    source["kind"] = "none";
    break;
  }
  source["description"] = change_set.description;
  source["policy_revision"] = change_set.policy_rev;
  nlohmann::json commits = nlohmann::json::array();
  for (const auto& change : change_set.changes) {
    if (change.commit && change.kind == ChangeKind::commit) {
      commits.push_back({{"id", change.commit->id}, {"summary", change.commit->summary}});
    }
    if (change.kind == ChangeKind::range || change.kind == ChangeKind::commit) {
      source["base"] = change.base_rev;
      source["head"] = change.head_rev;
    }
  }
  source["commits"] = commits;
  return source;
}

Format choose_format(const CliOptions& options, const GetEnv& getenv) {
  if (options.format.empty()) {
    return in_github_actions(getenv) ? Format::github : Format::text;
  }
  auto format = parse_format(options.format);
  if (!format) {
    throw Error("unknown format '" + options.format +
                "' (text, json, sarif, github, markdown, codeclimate)");
  }
  return *format;
}

std::optional<Severity> choose_fail_on(const CliOptions& options, const Policy& policy) {
  if (options.fail_on.empty()) {
    return policy.fail_on;
  }
  if (options.fail_on == "never") {
    return std::nullopt;
  }
  auto severity = parse_severity(options.fail_on);
  if (!severity || *severity == Severity::note) {
    throw Error("--fail-on expects error, warning or never, got '" + options.fail_on + "'");
  }
  return severity;
}

} // namespace

// Pass 3: the policy (pipeline.hpp). For a commit or a range it comes from the base revision, never
// from the change under review, so a change cannot weaken its own gate. Staged and worktree changes
// are checked against the policy in the work tree, which is the user's own.
Policy load_policy(Repository& repo, const std::string& policy_rev) {
  std::optional<std::string> text;
  std::string origin;
  if (policy_rev.empty()) {
    auto path = repo.workdir() / k_policy_path;
    std::error_code ec;
    auto status = std::filesystem::symlink_status(path, ec);
    if (std::filesystem::is_symlink(status)) {
      // Never followed: the link could name any file, whose content a parse error would show.
      throw Error(std::string(k_policy_path) +
                  " is a symbolic link: the policy is read only from a regular file");
    }
    if (std::filesystem::exists(status)) {
      text = read_file(path).value_or_throw();
      origin = k_policy_path;
    }
  } else {
    auto at_rev = repo.read_file_at(policy_rev, k_policy_path);
    if (!at_rev) {
      throw Error(at_rev.error());
    }
    text = *at_rev;
    origin = std::string(k_policy_path) + " (at " + policy_rev.substr(0, 12) + ")";
  }
  if (!text) {
    return default_policy();
  }
  auto policy = parse_policy(*text, origin);
  if (!policy) {
    throw Error(policy.error());
  }
  return std::move(policy).value_or_throw();
}

namespace {

// The files of a change whose blobs a partial clone lacks (Repository::MissingBlob), once each.
struct MissingFile {
  std::string path;
  std::string oid;
  const Repository::MissingBlob* why;
};
std::vector<MissingFile> missing_files(const Repository& repo, const ChangeSet& change_set) {
  std::vector<MissingFile> out;
  std::set<std::string> seen;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      for (const auto* oid : {&file.old_oid, &file.new_oid}) {
        const auto* why = oid->empty() ? nullptr : repo.missing_blob(*oid);
        if (why != nullptr && seen.insert(file.path()).second) {
          out.push_back({file.path(), *oid, why});
        }
      }
    }
  }
  return out;
}

// In a partial clone whose promisor remote could not give the blobs of the change, a change of
// which no file could be read cannot be judged at all: that is an error (exit 2), not a pass.
// When only some files are missing they are named (notes, and warnings from `agate check`) and
// the rest is judged. Binary files that were not fetched count as neither.
void fail_when_nothing_readable(const Repository& repo, const ChangeSet& change_set) {
  std::set<std::string> unreadable;
  std::set<std::string> skipped;
  std::string first;
  for (const auto& missing : missing_files(repo, change_set)) {
    (missing.why->needed ? unreadable : skipped).insert(missing.path);
    if (missing.why->needed && first.empty()) {
      first = "blob " + missing.oid + " of " + missing.path;
    }
  }
  std::set<std::string> files;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      files.insert(file.path());
    }
  }
  if (unreadable.empty() || unreadable.size() + skipped.size() < files.size()) {
    return;
  }
  const std::string why = repo.fetch_error().empty() ? first : repo.fetch_error();
  throw Error("nothing could be checked: the blobs of the change are missing from this partial "
              "clone and its promisor remote '" +
              repo.promisor_remote().value_or("") + "' could not give them (" + why +
              "); fetch them with `git fetch`, or check out with the blobs");
}

} // namespace

bool reads_message(std::string_view rule) {
  return rule == rule::deletion_unrelated || rule == rule::deletion_removed_test ||
         rule == rule::deletion_removed_guard;
}

namespace {

// The message as git records it from the file the commit-msg hook gets: without comment lines
// and without everything from the scissors line of `git commit --verbose` on.
std::string recorded_message(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto end = nl == std::string_view::npos ? text.size() : nl + 1;
    auto line = text.substr(pos, end - pos);
    pos = end;
    if (line.starts_with("#")) {
      if (line.find(">8") != std::string_view::npos &&
          line.find("------------------------") != std::string_view::npos) {
        break;
      }
      continue;
    }
    out += line;
  }
  auto kept = trim(out);
  return kept.empty() ? std::string() : std::string(kept) + "\n";
}

CommitInfo message_commit(const std::string& text) {
  CommitInfo commit;
  commit.message = recorded_message(text);
  commit.summary = message_summary(commit.message);
  commit.trailers = parse_trailers(commit.message);
  return commit;
}

} // namespace

Review review_selection(Repository& repo, const Selection& selection,
                        const MessageOptions& message) {
  // Pass 3: the policy. The policy revision is decided before the change is read: the policy
  // says which files to skip while reading it. A shallow clone lacking it gets the
  // fetch-more-history message.
  auto policy_rev_result = selection_policy_rev(repo, selection);
  if (!policy_rev_result) {
    throw Error(policy_rev_result.error());
  }
  std::string policy_rev = *policy_rev_result;
  Review review{ChangeSet{}, load_policy(repo, policy_rev), {}, 0, {}};
  if (message.rules == MessageRules::only) {
    for (const auto& info : rule_catalog()) {
      if (!reads_message(info.id)) {
        review.policy.rules[std::string(info.id)].enabled = false;
      }
    }
  }
  const Policy& policy = review.policy;

  // Pass 4: the change.
  LoadOptions load_options;
  load_options.max_file_bytes = policy.limits.max_file_bytes;
  load_options.is_ignored = [&policy](std::string_view path) { return policy.is_ignored(path); };
  auto loaded = load_changes(repo, selection, load_options);
  if (!loaded) {
    throw Error(loaded.error());
  }
  review.change_set = std::move(loaded).value_or_throw();
  ChangeSet& change_set = review.change_set;
  change_set.policy_rev = policy_rev;
  fail_when_nothing_readable(repo, change_set);
  if (message.message) {
    for (auto& change : change_set.changes) {
      if (change.kind == ChangeKind::staged || change.kind == ChangeKind::worktree) {
        change.commit = message_commit(*message.message);
      }
    }
  }

  // Pass 5: the analyzers.
  syntax::SyntaxCache syntax;
  const ContentSource& contents = repo.content();
  GitRepositoryView repository_view(repo);
  analyzers::AnalysisContext context{change_set, contents, syntax, policy, &repository_view};
  std::vector<Finding> findings = run_analyzers(context);
  review.notes = time_budget_notes(change_set, syntax.timed_out());

  // Pass 6: suppressions in the code, then the policy's severities, switches and ignores.
  ContentIndex content_index = index_contents(change_set);
  auto suppressed = suppress(std::move(findings), change_set, [&](const Finding& f) {
    return content_for(content_index, contents, f);
  });
  findings = std::move(suppressed.kept);
  for (auto& f : suppressed.added) {
    findings.push_back(std::move(f));
  }
  findings = apply_policy(std::move(findings), policy);
  sort_findings(findings, change_set);
  review.findings = std::move(findings);
  review.suppressed = suppressed.suppressed;
  return review;
}

Report make_report(Review review, const ContentSource& contents, const Selection& selection,
                   std::optional<Severity> fail_on) {
  const ChangeSet& change_set = review.change_set;
  Report report;
  report.tool_version = AGATE_VERSION;
  report.source = change_set.description;
  report.source_json = source_json(change_set, selection);
  report.fail_on = fail_on;
  report.suppressed = review.suppressed;
  report.notes = collect_notes(change_set, review.policy);
  report.notes.insert(report.notes.end(), review.notes.begin(), review.notes.end());
  std::set<std::string> files;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      files.insert(file.path());
    }
  }
  report.files_checked = static_cast<int>(files.size());
  report.changes_checked = static_cast<int>(change_set.changes.size());
  ContentIndex content_index = index_contents(change_set);
  for (const auto& f : review.findings) {
    Snippet snippet = snippet_for(f, content_for(content_index, contents, f));
    snippet.marks = snippet_marks(f, snippet, change_set);
    report.snippets.push_back(std::move(snippet));
    report.anchors.push_back(anchor_finding(f, change_set, report.snippets.back().lines));
  }
  report.policy_origin = policy_origin(review.policy, change_set.policy_rev);
  report.findings = std::move(review.findings);
  return report;
}

namespace {

// --message-rules and --message-file. Throws agate::Error.
MessageRules choose_message_rules(const CliOptions& options) {
  if (options.message_rules.empty() || options.message_rules == "all") {
    return MessageRules::all;
  }
  if (options.message_rules == "defer") {
    return MessageRules::defer;
  }
  if (options.message_rules == "only") {
    return MessageRules::only;
  }
  throw Error("--message-rules expects all, defer or only, got '" + options.message_rules + "'");
}

MessageOptions read_message(const CliOptions& options, const Selection& selection,
                            MessageRules rules) {
  MessageOptions message;
  message.rules = rules;
  if (options.message_file.empty()) {
    return message;
  }
  if (selection.mode != SelectionMode::staged && selection.mode != SelectionMode::worktree) {
    throw Error("--message-file applies to the staged change or the work tree: a commit "
                "already has its message");
  }
  std::filesystem::path file = options.message_file;
  if (file.is_relative()) {
    file = options.dir / file;
  }
  auto text = read_file(file);
  if (!text) {
    throw Error(text.error());
  }
  message.message = std::move(text).value_or_throw();
  return message;
}

// Takes out the findings of the rules that read the commit message and says in one line that
// the commit-msg hook judges them once the message exists.
void defer_message_findings(std::vector<Finding>& findings) {
  std::set<std::string> rules;
  std::size_t deferred = 0;
  std::erase_if(findings, [&](const Finding& finding) {
    if (!reads_message(finding.rule)) {
      return false;
    }
    rules.insert(finding.rule);
    ++deferred;
    return true;
  });
  if (deferred == 0) {
    return;
  }
  std::string names;
  for (const auto& rule : rules) {
    names += (names.empty() ? "" : ", ") + rule;
  }
  std::cerr << "agate: " << deferred << (deferred == 1 ? " finding" : " findings") << " (" << names
            << ") " << (deferred == 1 ? "depends" : "depend")
            << " on the commit message, which the commit-msg hook reads once it is written\n";
}

// Where SARIF places a whole-change finding when no file of the change survives (a change that
// only deletes files): a file the head tree holds, the policy file when there is one, else the
// first in path order, so that the result names a file of the analysed revision.
std::string sarif_change_anchor(Repository& repo, const ChangeSet& change_set) {
  const Change* shown = nullptr;
  for (const auto& change : change_set.changes) {
    if (shown == nullptr || change.kind == ChangeKind::range) {
      shown = &change;
    }
  }
  if (shown == nullptr) {
    return std::string(k_policy_path);
  }
  const bool survives = std::any_of(shown->files.begin(), shown->files.end(), [](const auto& f) {
    return !f.new_path.empty() && f.status != FileStatus::deleted;
  });
  if (survives) {
    return std::string(k_policy_path);
  }
  GitRepositoryView view(repo);
  auto files = view.files_after(*shown);
  if (!files || files->empty()) {
    return std::string(k_policy_path);
  }
  std::string first;
  for (const auto& file : *files) {
    if (file.path == k_policy_path) {
      return file.path;
    }
    if ((file.mode & 0170000) == 0100000 && (first.empty() || file.path < first)) {
      first = file.path;
    }
  }
  return first.empty() ? std::string(k_policy_path) : first;
}

} // namespace

int run_check(const CliOptions& options, const GetEnv& getenv) {
  // Validate what costs nothing before touching the repository.
  Format format = choose_format(options, getenv);
  RenderOptions render_options;
  // Colour only for text on standard output; a bad --color fails whatever the format.
  render_options.color =
      use_color(options, getenv) && format == Format::text && options.output.empty();
  render_options.verbose = options.verbose;
  choose_fail_on(options, default_policy()); // a bad --fail-on fails before any work
  MessageRules message_rules = choose_message_rules(options);

  // Pass 1: the repository.
  Repository repo = open_repository(options, getenv);

  // Pass 2: what to review.
  Selection selection = choose_selection(options, getenv, repo);
  // Passes 3-6: the policy, the change, the analyzers, suppressions and the policy's rules.
  Review review =
      review_selection(repo, selection, read_message(options, selection, message_rules));
  if (message_rules == MessageRules::defer) {
    defer_message_findings(review.findings);
  }
  std::vector<Note> missing_notes;
  for (const auto& missing : missing_files(repo, review.change_set)) {
    missing_notes.push_back({missing.path, missing.why->reason});
    if (missing.why->needed) {
      std::cerr << "agate: warning: " << quote_name(missing.path) << ": "
                << sanitize(missing.why->reason) << "\n";
    }
  }
  auto fail_on = choose_fail_on(options, review.policy);
  const int max_inline = review.policy.publish.max_inline;
  std::vector<CommitProvenance> commits;
  if (options.publish) {
    commits = commit_provenance(review.change_set, review.findings, repo.content());
  }

  if (format == Format::sarif) {
    render_options.sarif_change_anchor = sarif_change_anchor(repo, review.change_set);
  }
  // Pass 7: the report.
  Report report = make_report(std::move(review), repo.content(), selection, fail_on);
  report.notes.insert(report.notes.begin(), missing_notes.begin(), missing_notes.end());

  // Pass 8: render and write.
  std::string text = render(format, report, render_options);
  // The commit-msg hook's check says nothing when the message leaves nothing to say: the
  // pre-commit hook has already reported the change.
  const bool quiet = message_rules == MessageRules::only && report.findings.empty() &&
                     format == Format::text && options.output.empty();
  if (!quiet) {
    write_output(options, text);
  }
  if (in_github_actions(getenv)) {
    if (auto summary = getenv("GITHUB_STEP_SUMMARY"); summary && !summary->empty()) {
      auto appended = append_file(*summary, render(Format::markdown, report, render_options));
      if (!appended) {
        std::cerr << "agate: warning: " << sanitize(appended.error()) << "\n";
      }
    }
  }
  // Pass 9: post on the pull request; never changes the exit code.
  if (options.publish) {
    const bool annotations_shown = format == Format::github && options.output.empty();
    publish_report(options, getenv, report, std::move(commits), max_inline,
                   annotations_shown || !options.output.empty(), annotations_shown);
  }
  return report.failed() ? 1 : 0;
}

} // namespace agate::gate
