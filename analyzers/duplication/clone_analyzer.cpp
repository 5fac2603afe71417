// The clone analyzer; see clone_analyzer.hpp.
#include "analyzers/duplication/clone_analyzer.hpp"

#include "analyzers/duplication/clone_index.hpp"
#include "analyzers/duplication/wrapper_analyzer.hpp"
#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/rule_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <optional>
#include <span>
#include <sstream>
#include <unordered_map>

namespace agate::analyzers {

namespace {

constexpr std::size_t similarity_kgram = 5;
constexpr std::size_t candidates_per_unit = 4;

bool clone_kind(syntax::UnitKind kind) {
  return kind == syntax::UnitKind::function || kind == syntax::UnitKind::method;
}

int line_count(int start, int end) {
  return end - start + 1;
}

// Shared elements of two sorted hash lists (a multiset intersection).
template <typename Hash>
std::size_t shared_count(std::span<const Hash> a, std::span<const Hash> b) {
  std::size_t shared = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++shared;
      ++i;
      ++j;
    }
  }
  return shared;
}

std::string_view unit_text(std::string_view content, const syntax::Unit& unit) {
  if (unit.end_byte > content.size() || unit.start_byte > unit.end_byte) {
    return {};
  }
  return content.substr(unit.start_byte, unit.end_byte - unit.start_byte);
}

// Existing code a new unit may copy: a unit of the base index (a file the change does not touch)
// or a unit of the new side of a changed file.
struct Reference {
  const std::string* path = nullptr;
  const std::string* oid = nullptr;
  const std::string* language = nullptr;
  const IndexedUnit* indexed = nullptr; // base index unit
  const syntax::Unit* unit = nullptr;   // new-side unit (tokens at hand)
  const ChangedSource* source = nullptr;
  std::vector<uint32_t> own_hashes; // for new-side units
  bool added = false;               // a unit the change adds (candidate itself)
  std::size_t order = 0;            // position among the change's added units

  std::span<const uint32_t> hashes() const {
    return indexed != nullptr ? indexed->hash_view() : std::span<const uint32_t>(own_hashes);
  }
  std::size_t token_count() const {
    return indexed != nullptr ? indexed->token_count : unit->tokens.size();
  }
  int start_line() const { return indexed != nullptr ? indexed->start_line : unit->start_line; }
  int end_line() const { return indexed != nullptr ? indexed->end_line : unit->end_line; }
  uint64_t fingerprint() const {
    return indexed != nullptr ? indexed->fingerprint : unit->fingerprint;
  }
};

// What a candidate is judged on: the existing unit's place, shape and token stream. For a base
// unit it comes from the clone index (no parse); the candidate's file is parsed only when the
// index does not hold the stream.
struct Existing {
  std::string qualified_name;
  int start_line = 0;
  int end_line = 0;
  uint64_t fingerprint = 0;
  uint64_t text_hash = 0;
  std::vector<uint32_t> tokens;
};

struct AddedUnit {
  const ChangedSource* source = nullptr;
  const syntax::Unit* unit = nullptr;
  std::vector<uint32_t> hashes;
  const syntax::Unit* old_version = nullptr; // same qualified name on the old side
  std::size_t order = 0;
};

CloneIndexOptions index_options(const AnalysisContext& context) {
  CloneIndexOptions options;
  options.max_file_bytes = context.policy.limits.max_file_bytes;
  const auto& policy = context.policy;
  options.ignored = [&policy](std::string_view path) { return policy.is_ignored(path); };
  return options;
}

} // namespace

struct CloneAnalyzer::Ahead {
  std::string base_rev;
  std::future<std::optional<CloneIndex>> index;
  bool taken = false; // by the CloneSearch of the change
};

namespace {

class CloneSearch {
public:
  // `ahead`: the index of the base built ahead (CloneAnalyzer::work_ahead), or null.
  CloneSearch(const AnalysisContext& context, const gate::Change& change,
              const CloneOptions& options, CloneAnalyzer::Ahead* ahead)
      : m_context(context), m_change(change), m_options(options), m_ahead(ahead) {}

  std::vector<gate::Finding> run();

private:
  void read_changed_files();
  void collect_added_units();
  void build_references();
  std::optional<gate::Finding> judge(const AddedUnit& added);
  // What a candidate is judged on, or nullopt when its unit cannot be found.
  std::optional<Existing> resolve(const Reference& ref);
  std::size_t shape_count(uint64_t fingerprint);

  const AnalysisContext& m_context;
  const gate::Change& m_change;
  CloneOptions m_options;
  CloneAnalyzer::Ahead* m_ahead;

  std::vector<ChangedSource> m_sources;
  std::map<const ChangedSource*, std::string> m_new_content;
  std::vector<AddedUnit> m_added;
  std::optional<CloneIndex> m_index;
  std::vector<Reference> m_refs;
  std::map<std::string, std::string> m_base_content; // by oid
  std::optional<std::unordered_map<uint64_t, std::size_t>> m_shapes;
};

void CloneSearch::read_changed_files() {
  m_sources.reserve(m_change.files.size()); // pointers to sources stay valid
  for (const auto& file : m_change.files) {
    if (!file.parseable()) {
      continue;
    }
    ChangedSource source;
    source.file = &file;
    if (!file.new_oid.empty()) {
      auto content = m_context.contents.blob(file.new_oid);
      if (!content) {
        continue;
      }
      source.new_parsed = m_context.syntax.parse(file.new_oid, file.language, *content);
      for (const auto& hunk : file.hunks) {
        for (const auto& line : hunk.lines) {
          if (line.origin == '+') {
            source.added_lines.insert(line.new_line);
          }
        }
      }
      m_sources.push_back(std::move(source));
      m_new_content[&m_sources.back()] = std::move(*content);
    } else {
      m_sources.push_back(std::move(source));
    }
    if (!file.old_oid.empty()) {
      if (auto old = m_context.contents.blob(file.old_oid)) {
        m_sources.back().old_parsed = m_context.syntax.parse(file.old_oid, file.language, *old);
      }
    }
  }
}

void CloneSearch::collect_added_units() {
  std::size_t order = 0;
  for (const auto& source : m_sources) {
    if (!source.new_parsed || source.added_lines.empty()) {
      continue;
    }
    int reported_end = 0; // units nested in an added unit are judged with it
    for (const auto& unit : source.new_parsed->units) {
      if (!clone_kind(unit.kind) || unit.start_line <= reported_end) {
        continue;
      }
      int lines = line_count(unit.start_line, unit.end_line);
      if (unit.tokens.size() < m_options.min_tokens || lines < m_options.min_lines) {
        continue;
      }
      auto first = source.added_lines.lower_bound(unit.start_line);
      auto last = source.added_lines.upper_bound(unit.end_line);
      auto added_lines = std::distance(first, last);
      if (added_lines * 2 < lines) {
        continue;
      }
      AddedUnit added;
      added.source = &source;
      added.unit = &unit;
      added.hashes = clone_hashes(unit.tokens);
      added.order = order++;
      if (source.old_parsed) {
        for (const auto& old : source.old_parsed->units) {
          if (clone_kind(old.kind) && old.qualified_name == unit.qualified_name) {
            added.old_version = &old;
            break;
          }
        }
      }
      m_added.push_back(std::move(added));
      reported_end = unit.end_line;
    }
  }
}

void CloneSearch::build_references() {
  // Units of the new side of changed files, the change's own added units included.
  for (const auto& source : m_sources) {
    if (!source.new_parsed) {
      continue;
    }
    for (const auto& unit : source.new_parsed->units) {
      if (!clone_kind(unit.kind) || unit.tokens.size() < clone_index_min_tokens) {
        continue;
      }
      Reference ref;
      ref.path = &source.file->new_path;
      ref.oid = &source.file->new_oid;
      ref.language = &source.file->language;
      ref.unit = &unit;
      ref.source = &source;
      ref.own_hashes = clone_hashes(unit.tokens);
      for (const auto& added : m_added) {
        if (added.unit == &unit) {
          ref.added = true;
          ref.order = added.order;
        }
      }
      m_refs.push_back(std::move(ref));
    }
  }
  // Units of the base tree in files the change does not touch.
  if (m_context.repository == nullptr) {
    return;
  }
  if (m_ahead != nullptr && !m_ahead->taken && m_ahead->base_rev == m_change.base_rev) {
    m_ahead->taken = true;
    m_index = m_ahead->index.get(); // waits for the task; nullopt when there was no base
  } else {
    auto files = m_context.repository->files_at(m_change.base_rev);
    if (files) {
      m_index = CloneIndex::build(*files, m_context.contents, m_context.repository->cache_dir(),
                                  index_options(m_context));
    }
  }
  if (!m_index) {
    return; // no base to compare with: judge the change alone
  }
  std::set<std::string, std::less<>> touched;
  for (const auto& file : m_change.files) {
    touched.insert(file.old_path);
    touched.insert(file.new_path);
  }
  m_refs.reserve(m_refs.size() + m_index->stats().units);
  for (const auto& file : m_index->files()) {
    if (touched.contains(file.path)) {
      continue;
    }
    for (const auto& unit : file.blob->units) {
      Reference ref;
      ref.path = &file.path;
      ref.oid = &file.oid;
      ref.language = &file.language;
      ref.indexed = &unit;
      m_refs.push_back(std::move(ref));
    }
  }
}

std::optional<Existing> CloneSearch::resolve(const Reference& ref) {
  auto from_unit = [](const syntax::Unit& unit, std::string_view content) {
    return Existing{unit.qualified_name,
                    unit.start_line,
                    unit.end_line,
                    unit.fingerprint,
                    unit_text_hash(unit_text(content, unit)),
                    unit.tokens};
  };
  if (ref.unit != nullptr) {
    return from_unit(*ref.unit, m_new_content[ref.source]);
  }
  const IndexedUnit& indexed = *ref.indexed;
  auto tokens = m_index->tokens_of(indexed);
  if (!tokens.empty() && syntax::fingerprint(tokens) == indexed.fingerprint) {
    return Existing{std::string(indexed.qualified_name()),
                    indexed.start_line,
                    indexed.end_line,
                    indexed.fingerprint,
                    indexed.text_hash,
                    std::move(tokens)};
  }
  // Not in the index (or not as indexed): parse the candidate's file.
  auto it = m_base_content.find(*ref.oid);
  if (it == m_base_content.end()) {
    auto blob = m_context.contents.blob(*ref.oid);
    if (!blob) {
      return std::nullopt;
    }
    it = m_base_content.emplace(*ref.oid, std::move(*blob)).first;
  }
  auto parsed = m_context.syntax.parse(*ref.oid, *ref.language, it->second);
  for (const auto& unit : parsed->units) {
    if (unit.start_line == indexed.start_line && unit.qualified_name == indexed.qualified_name() &&
        clone_kind(unit.kind)) {
      return from_unit(unit, it->second);
    }
  }
  return std::nullopt;
}

std::size_t CloneSearch::shape_count(uint64_t fingerprint) {
  if (!m_shapes) {
    m_shapes.emplace();
    for (const auto& ref : m_refs) {
      ++(*m_shapes)[ref.fingerprint()];
    }
  }
  auto it = m_shapes->find(fingerprint);
  return it == m_shapes->end() ? 0 : it->second;
}

std::optional<gate::Finding> CloneSearch::judge(const AddedUnit& added) {
  const auto& unit = *added.unit;
  const std::string& path = added.source->file->new_path;
  std::size_t tokens = unit.tokens.size();

  // Candidates: references sharing enough selected hashes, best first.
  struct Candidate {
    const Reference* ref;
    double score;
  };
  std::vector<Candidate> candidates;
  for (const auto& ref : m_refs) {
    if (ref.unit == &unit) {
      continue;
    }
    if (ref.added && ref.order > added.order) {
      continue; // the pair is reported once, on the later unit
    }
    if (ref.source == added.source && ref.start_line() <= unit.end_line &&
        unit.start_line <= ref.end_line()) {
      continue; // nested in, or enclosing, the unit itself
    }
    std::size_t other = ref.token_count();
    if (other * 5 < tokens * 3 || tokens * 5 < other * 3) {
      continue; // sizes too far apart for the similarity threshold
    }
    std::size_t smaller = std::min(added.hashes.size(), ref.hashes().size());
    if (smaller == 0) {
      continue;
    }
    std::size_t shared = shared_count(std::span<const uint32_t>(added.hashes), ref.hashes());
    double score = static_cast<double>(shared) / static_cast<double>(smaller);
    if (shared >= 2 && score >= 0.5) {
      candidates.push_back({&ref, score});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.score != b.score ? a.score > b.score : a.ref->token_count() > b.ref->token_count();
  });
  if (candidates.size() > candidates_per_unit) {
    candidates.resize(candidates_per_unit);
  }

  const Reference* best = nullptr;
  std::optional<Existing> best_unit;
  double best_similarity = 0;
  std::size_t matches = 0;
  for (const auto& candidate : candidates) {
    auto existing = resolve(*candidate.ref);
    if (!existing) {
      continue;
    }
    double similarity = token_similarity(unit.tokens, existing->tokens);
    if (similarity < m_options.min_similarity) {
      continue;
    }
    // The pair existed before the change: the unit's old version was already this copy.
    if (added.old_version != nullptr &&
        token_similarity(added.old_version->tokens, existing->tokens) >= m_options.min_similarity) {
      return std::nullopt;
    }
    ++matches;
    if (similarity > best_similarity) {
      best = candidate.ref;
      best_unit = std::move(existing);
      best_similarity = similarity;
    }
  }
  if (best == nullptr) {
    return std::nullopt;
  }
  if (!best->added && shape_count(best->fingerprint()) >= m_options.boilerplate_shape_count) {
    return std::nullopt; // a shape many units share: boilerplate, not a copy worth a finding
  }

  bool identical = unit.fingerprint == best_unit->fingerprint;
  std::string_view own_text = unit_text(m_new_content[added.source], unit);
  bool exact = identical && !own_text.empty() && unit_text_hash(own_text) == best_unit->text_hash;
  std::string copy_kind = exact ? "exact" : identical ? "renamed" : "near-miss";
  int lines = line_count(unit.start_line, unit.end_line);
  int percent = static_cast<int>(std::floor(best_similarity * 100.0));

  gate::Finding finding;
  finding.rule = std::string(gate::rule::duplication_clone);
  finding.severity =
      identical && lines >= m_options.error_lines ? gate::Severity::error : gate::Severity::warning;
  finding.file = path;
  finding.line = unit.start_line;
  finding.end_line = unit.end_line;
  finding.change = m_change.label;
  std::ostringstream message;
  message << "`" << unit.qualified_name << "` (" << lines << " lines) is "
          << (exact       ? "an exact"
              : identical ? "a renamed"
                          : "a near-miss")
          << " copy of `" << best_unit->qualified_name << "` in " << *best->path << ":"
          << best_unit->start_line << "-" << best_unit->end_line << " (" << percent << "% similar"
          << (best->added ? ", also added by this change" : "") << ").";
  finding.message = message.str();
  finding.hint = "Call or reuse `" + best_unit->qualified_name + "` from " + *best->path +
                 " instead of keeping a second copy; if the two must differ, extract the shared "
                 "part into one function both use.";
  finding.evidence = {
      {"unit", unit.qualified_name},
      {"kind", copy_kind},
      {"similarity", std::round(best_similarity * 1000.0) / 1000.0},
      {"tokens", tokens},
      {"lines", lines},
      {"existing",
       {{"file", *best->path},
        {"unit", best_unit->qualified_name},
        {"start_line", best_unit->start_line},
        {"end_line", best_unit->end_line},
        {"added_by_change", best->added}}},
      {"other_matches", matches - 1},
  };
  return finding;
}

std::vector<gate::Finding> CloneSearch::run() {
  bool clones_on = m_context.policy.enabled(gate::rule::duplication_clone);
  bool wrapper_on = m_context.policy.enabled(gate::rule::duplication_bypassed_wrapper);
  read_changed_files();
  if (clones_on) {
    collect_added_units();
  }
  // Is there anything to judge before reading the base tree?
  bool new_imports = false;
  if (wrapper_on) {
    for (const auto& source : m_sources) {
      if (source.new_parsed && !source.added_lines.empty()) {
        for (const auto& unit : source.new_parsed->units) {
          new_imports = new_imports || (unit.kind == syntax::UnitKind::import &&
                                        source.added_lines.contains(unit.start_line));
        }
      }
    }
  }
  if (m_added.empty() && !new_imports) {
    return {};
  }
  build_references();

  std::vector<gate::Finding> findings;
  std::size_t left_out = 0;
  // Identical copies (exact or renamed) of one shape in one file are one finding: a family of
  // functions that differ only in names and constants (a tax rule per country, a handler per
  // event) is one thing to fix, a table or a parameter, not twenty.
  std::map<std::pair<std::string, uint64_t>, std::size_t> family_of;
  std::map<std::size_t, std::vector<std::string>> family_members;
  for (const auto& added : m_added) {
    auto finding = judge(added);
    if (!finding) {
      continue;
    }
    const std::string kind = finding->evidence.value("kind", "");
    if (kind == "exact" || kind == "renamed") {
      auto key = std::make_pair(finding->file, added.unit->fingerprint);
      if (auto it = family_of.find(key); it != family_of.end()) {
        family_members[it->second].push_back(added.unit->qualified_name);
        continue;
      }
      if (findings.size() < m_options.max_findings) {
        family_of.emplace(key, findings.size());
      }
    }
    if (findings.size() < m_options.max_findings) {
      findings.push_back(std::move(*finding));
    } else {
      ++left_out;
    }
  }
  for (const auto& [index, members] : family_members) {
    auto& f = findings[index];
    std::ostringstream names;
    for (std::size_t i = 0; i < members.size() && i < 5; ++i) {
      names << (i > 0 ? ", " : "") << "`" << members[i] << "`";
    }
    if (members.size() > 5) {
      names << " and " << members.size() - 5 << " more";
    }
    f.message += " " + std::to_string(members.size()) + " more unit" +
                 (members.size() == 1 ? "" : "s") + " in this file " +
                 (members.size() == 1 ? "is a copy" : "are copies") +
                 " of the same code: " + names.str() + ".";
    f.hint = "Keep one function and pass what differs as parameters (or look it up in a table) "
             "instead of " +
             std::to_string(members.size() + 2) + " copies.";
    f.evidence["same_shape_in_file"] = members;
  }
  if (left_out > 0) {
    gate::Finding note;
    note.rule = std::string(gate::rule::duplication_clone);
    note.severity = gate::Severity::note;
    note.change = m_change.label;
    note.message = std::to_string(left_out) + " more cloned unit" + (left_out == 1 ? "" : "s") +
                   " not listed (at most " + std::to_string(m_options.max_findings) +
                   " clone findings per change).";
    note.evidence = {{"not_listed", left_out}};
    findings.push_back(std::move(note));
  }
  if (wrapper_on && new_imports) {
    auto wrappers =
        bypassed_wrapper_findings(m_context, m_change, m_index ? &*m_index : nullptr, m_sources);
    findings.insert(findings.end(), wrappers.begin(), wrappers.end());
  }
  return findings;
}

} // namespace

CloneOptions clone_options(const gate::Policy& policy) {
  CloneOptions options;
  static_cast<gate::ClonePolicy&>(options) = policy.duplication.clone;
  options.min_similarity = std::clamp(options.min_similarity, 0.5, 1.0);
  return options;
}

double token_similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) {
    return 0;
  }
  if (a == b) {
    return 1;
  }
  auto grams_a = syntax::kgram_hashes(a, similarity_kgram);
  auto grams_b = syntax::kgram_hashes(b, similarity_kgram);
  if (grams_a.empty() || grams_b.empty()) {
    return 0;
  }
  std::sort(grams_a.begin(), grams_a.end());
  std::sort(grams_b.begin(), grams_b.end());
  std::size_t shared =
      shared_count(std::span<const uint64_t>(grams_a), std::span<const uint64_t>(grams_b));
  return 2.0 * static_cast<double>(shared) / static_cast<double>(grams_a.size() + grams_b.size());
}

std::vector<gate::Finding> CloneAnalyzer::analyze(const AnalysisContext& context,
                                                  const gate::Change& change) {
  // A range is judged as a whole: its commits are not judged one by one.
  if (change.kind == gate::ChangeKind::commit) {
    for (const auto& other : context.change_set.changes) {
      if (other.kind == gate::ChangeKind::range) {
        return {};
      }
    }
  }
  CloneSearch search(context, change, clone_options(context.policy), m_ahead.get());
  return search.run();
}

std::function<void()> CloneAnalyzer::work_ahead(const AnalysisContext& context) {
  m_ahead.reset();
  if (context.repository == nullptr ||
      (!context.policy.enabled(gate::rule::duplication_clone) &&
       !context.policy.enabled(gate::rule::duplication_bypassed_wrapper))) {
    return {};
  }
  // The change that will be judged against its base: the range when there is one (its commits
  // are not judged one by one), else the first change. Worth it only when it adds code.
  const gate::Change* judged = nullptr;
  for (const auto& change : context.change_set.changes) {
    if (judged == nullptr ||
        (change.kind == gate::ChangeKind::range && judged->kind != gate::ChangeKind::range)) {
      judged = &change;
    }
  }
  if (judged == nullptr || judged->base_rev.empty() ||
      std::none_of(judged->files.begin(), judged->files.end(), [](const gate::FileChange& file) {
        return file.parseable() && !file.new_oid.empty() && file.added_lines > 0;
      })) {
    return {};
  }
  auto promise = std::make_shared<std::promise<std::optional<CloneIndex>>>();
  m_ahead = std::make_shared<Ahead>();
  m_ahead->base_rev = judged->base_rev;
  m_ahead->index = promise->get_future();
  // The task lists the base tree too (the view is thread-safe) and reads blobs, which the
  // content source allows from any thread.
  return [promise, repository = context.repository, base_rev = judged->base_rev,
          contents = &context.contents, cache_dir = context.repository->cache_dir(),
          options = index_options(context)] {
    try {
      auto files = repository->files_at(base_rev);
      if (!files) {
        promise->set_value(std::nullopt);
        return;
      }
      promise->set_value(CloneIndex::build(*files, *contents, cache_dir, options));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  };
}

} // namespace agate::analyzers
