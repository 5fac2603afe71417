// The library-logic analyzer (see library_logic_analyzer.hpp): runs the library rules over the
// added code of a change and names the dependency or standard-library module to use instead.
#include "analyzers/duplication/library_logic_analyzer.hpp"

#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/rule_catalog.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace agate::analyzers {

namespace {

constexpr std::size_t max_manifests = 500;
constexpr std::size_t max_manifest_bytes = 2 * 1024 * 1024;
constexpr std::size_t max_pattern_line = 4096; // longer lines (minified code) are not searched

// Why a rule is relevant to a file: the alternative of `requires` that holds.
struct Reason {
  const RuleRequirement* requirement = nullptr;
  const Dependency* dependency = nullptr; // null for the standard library
  std::string package;                    // the package as the rule names it
};

std::optional<Reason> relevance(const LibraryRule& rule, std::string_view language,
                                const DeclaredDependencies& dependencies) {
  auto ecosystem = ecosystem_for_language(language);
  for (const auto& requirement : rule.requirements) {
    if (!requirement.ecosystem) {
      if (requirement.languages.empty() ||
          std::find(requirement.languages.begin(), requirement.languages.end(), language) !=
              requirement.languages.end()) {
        return Reason{&requirement, nullptr, requirement.stdlib};
      }
      continue;
    }
    if (requirement.ecosystem != ecosystem) {
      continue;
    }
    for (const auto& package : requirement.packages) {
      if (const auto* dependency = dependencies.find(*requirement.ecosystem, package)) {
        return Reason{&requirement, dependency, package};
      }
    }
  }
  return std::nullopt;
}

// A commit of a range is judged as part of the range (the code the range adds in the end).
bool judged_by_range(const AnalysisContext& context, const gate::Change& change) {
  if (change.kind != gate::ChangeKind::commit) {
    return false;
  }
  return std::any_of(context.change_set.changes.begin(), context.change_set.changes.end(),
                     [&](const gate::Change& other) {
                       return other.kind == gate::ChangeKind::range &&
                              std::find(other.commits.begin(), other.commits.end(),
                                        change.head_rev) != other.commits.end();
                     });
}

struct Hit {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  int start_line = 0; // 1-based
  int end_line = 0;
};

Hit hit_of(TSNode node) {
  Hit hit{ts_node_start_byte(node), ts_node_end_byte(node),
          static_cast<int>(ts_node_start_point(node).row) + 1,
          static_cast<int>(ts_node_end_point(node).row) + 1};
  if (ts_node_end_point(node).column == 0 && hit.end_line > hit.start_line) {
    --hit.end_line; // a node that ends with its newline
  }
  return hit;
}

bool in_comment(TSNode root, uint32_t byte) {
  TSNode node = ts_node_descendant_for_byte_range(root, byte, byte + 1);
  for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
    std::string_view type = ts_node_type(node);
    if (type.find("comment") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// One file of the change: its new text, parsed, and which of its lines the change adds.
class FileScan {
public:
  // `tree`: the tree the syntax cache kept of these bytes, or null to parse them here.
  FileScan(const gate::FileChange& file, std::string content, const syntax::Language& language,
           syntax::TreePtr tree)
      : m_content(std::move(content)),
        m_tree(tree != nullptr ? syntax::adopt_tree(std::move(tree), m_content)
                               : syntax::parse_tree(language, m_content)) {
    for (const auto& hunk : file.hunks) {
      for (const auto& line : hunk.lines) {
        if (line.origin == '+' && line.new_line > 0) {
          m_added.insert(line.new_line);
        }
      }
    }
    std::string_view text = m_tree.text;
    m_line_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') {
        m_line_starts.push_back(static_cast<uint32_t>(i + 1));
      }
    }
  }

  bool ok() const { return m_tree.ok(); }
  const std::string& content() const { return m_content; }

  // Matches of `rule` in the added code, in source order; a match that starts inside the one
  // before or on the line after it is merged into it.
  std::vector<Hit> run(const LibraryRule& rule, const RuleQueries& queries) const {
    std::vector<Hit> hits;
    if (queries.main) {
      query_hits(queries, hits);
    }
    if (rule.pattern_regex) {
      pattern_hits(*rule.pattern_regex, hits);
    }
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
      return a.start_byte != b.start_byte ? a.start_byte < b.start_byte : a.end_byte > b.end_byte;
    });
    std::vector<Hit> kept;
    for (const auto& hit : hits) {
      if (!kept.empty() && hit.start_line <= kept.back().end_line + 1) {
        // Contained, on the same line or on the next: one finding for the place (a chain of
        // replace() calls over five lines is one hand-written escape, not five).
        auto& last = kept.back();
        last.end_byte = std::max(last.end_byte, hit.end_byte);
        last.end_line = std::max(last.end_line, hit.end_line);
        continue;
      }
      kept.push_back(hit);
    }
    return kept;
  }

private:
  // Starts on an added line, and at least half of its lines are added.
  bool added(const Hit& hit) const {
    if (m_added.count(hit.start_line) == 0) {
      return false;
    }
    int count = 0;
    for (int line = hit.start_line; line <= hit.end_line; ++line) {
      count += static_cast<int>(m_added.count(line));
    }
    return 2 * count >= hit.end_line - hit.start_line + 1;
  }

  void query_hits(const RuleQueries& queries, std::vector<Hit>& hits) const {
    std::string_view text = m_tree.text;
    queries.main->for_each_match(m_tree.root(), text, [&](const syntax::QueryMatch& match) {
      for (const auto& capture : match.captures) {
        if (capture.index != queries.match_capture) {
          continue;
        }
        Hit hit = hit_of(capture.node);
        if (!added(hit)) {
          continue;
        }
        bool holds = std::all_of(queries.inside.begin(), queries.inside.end(), [&](const auto& q) {
          return !q->matches(capture.node, text).empty();
        });
        holds = holds && std::none_of(queries.not_inside.begin(), queries.not_inside.end(),
                                      [&](const auto& q) {
                                        return !q->matches(capture.node, text).empty();
                                      });
        if (holds) {
          hits.push_back(hit);
        }
      }
    });
  }

  void pattern_hits(const gate::Regex& pattern, std::vector<Hit>& hits) const {
    std::string_view text = m_tree.text;
    for (int line : m_added) {
      if (line < 1 || static_cast<std::size_t>(line) > m_line_starts.size()) {
        continue;
      }
      uint32_t begin = m_line_starts[static_cast<std::size_t>(line) - 1];
      uint32_t end = static_cast<std::size_t>(line) < m_line_starts.size()
                         ? m_line_starts[static_cast<std::size_t>(line)]
                         : static_cast<uint32_t>(text.size());
      if (end - begin > max_pattern_line) {
        continue;
      }
      std::string_view subject = text.substr(begin, end - begin);
      auto m = pattern.search(subject);
      if (!m) {
        continue;
      }
      auto at = begin + static_cast<uint32_t>(m->offset);
      if (in_comment(m_tree.root(), at)) {
        continue;
      }
      hits.push_back(Hit{at, at + static_cast<uint32_t>(m->groups[0].size()), line, line});
    }
  }

  std::string m_content;
  syntax::SyntaxTree m_tree;
  std::set<int> m_added;
  std::vector<uint32_t> m_line_starts;
};

// The innermost function, method or test holding `line`, else the innermost type, else "".
std::string enclosing_unit(const syntax::ParsedFile& parsed, int line) {
  std::string function;
  std::string type;
  for (const auto& unit : parsed.units) {
    if (unit.start_line > line || unit.end_line < line) {
      continue;
    }
    const auto& name = unit.qualified_name.empty() ? unit.name : unit.qualified_name;
    if (unit.kind == syntax::UnitKind::function || unit.kind == syntax::UnitKind::method ||
        unit.kind == syntax::UnitKind::test) {
      function = name;
    } else if (unit.kind == syntax::UnitKind::type) {
      type = name;
    }
  }
  return function.empty() ? type : function;
}

gate::Finding make_finding(const LibraryRule& rule, const Reason& reason,
                           const gate::FileChange& file, const Hit& hit, const std::string& unit,
                           const gate::Change& change) {
  gate::Finding f;
  f.rule = std::string(gate::rule::duplication_library_logic);
  f.severity = rule.severity;
  f.file = file.new_path;
  f.line = hit.start_line;
  f.end_line = hit.end_line;
  f.change = change.label;
  std::string where = file.new_path + ":" + std::to_string(hit.start_line);
  if (hit.end_line > hit.start_line) {
    where += "-" + std::to_string(hit.end_line);
  }
  std::string place = unit.empty() ? "top-level code" : unit;
  f.message = rule.title + " in " + place + " (" + where + "): ";
  if (reason.dependency != nullptr) {
    f.message += "`" + reason.package + "` is a dependency (" + reason.dependency->manifest +
                 ") and does this: " + reason.requirement->use;
  } else {
    f.message += "the standard library (" + reason.requirement->stdlib +
                 ") does this: " + reason.requirement->use;
  }
  f.hint = "Use " + reason.requirement->use +
           " instead of keeping a hand-written copy to maintain and review; if the copy is "
           "deliberate, suppress this finding with the reason.";
  f.evidence = {
      {"rule_id", rule.id},
      {"language", file.language},
      {"unit", unit},
      {"use", reason.requirement->use},
  };
  if (reason.dependency != nullptr) {
    f.evidence["dependency"] = reason.package;
    f.evidence["ecosystem"] = std::string(to_string(reason.dependency->ecosystem));
    f.evidence["manifest"] = reason.dependency->manifest;
  } else {
    f.evidence["dependency"] = nullptr;
    f.evidence["stdlib"] = reason.requirement->stdlib;
  }
  return f;
}

} // namespace

DeclaredDependencies read_dependencies(const AnalysisContext& context, const gate::Change& change) {
  std::vector<std::pair<std::string, std::string>> manifests; // path, blob id
  if (context.repository != nullptr) {
    auto files = context.repository->files_after(change);
    if (files) {
      for (const auto& f : *files) {
        if (is_manifest_path(f.path) && !syntax::is_vendored_path(f.path)) {
          manifests.emplace_back(f.path, f.oid);
        }
      }
    }
  } else {
    for (const auto& f : change.files) {
      if (!f.new_oid.empty() && is_manifest_path(f.new_path) && !f.vendored) {
        manifests.emplace_back(f.new_path, f.new_oid);
      }
    }
  }
  // Shallow paths first: the root manifest names the project's dependencies.
  std::stable_sort(manifests.begin(), manifests.end(), [](const auto& a, const auto& b) {
    return std::count(a.first.begin(), a.first.end(), '/') <
           std::count(b.first.begin(), b.first.end(), '/');
  });
  DeclaredDependencies dependencies;
  for (std::size_t i = 0; i < manifests.size() && i < max_manifests; ++i) {
    auto content = context.contents.blob(manifests[i].second);
    if (content && content->size() <= max_manifest_bytes) {
      dependencies.add(read_manifest(manifests[i].first, *content));
    }
  }
  return dependencies;
}

LibraryLogicAnalyzer::LibraryLogicAnalyzer(std::vector<LibraryRule> rules)
    : m_rules(std::make_shared<const std::vector<LibraryRule>>(std::move(rules))) {}

std::vector<gate::Finding> LibraryLogicAnalyzer::analyze(const AnalysisContext& context,
                                                         const gate::Change& change) {
  if (!context.policy.enabled(gate::rule::duplication_library_logic) ||
      judged_by_range(context, change)) {
    return {};
  }
  auto rules = m_rules;
  if (!rules) {
    rules = std::move(builtin_library_rules()).value_or_throw();
  }
  const auto& disabled = context.policy.duplication.library_logic.disabled_rules;
  std::vector<const gate::FileChange*> candidates;
  for (const auto& file : change.files) {
    if (!file.parseable() || file.new_oid.empty() || file.added_lines == 0) {
      continue;
    }
    bool covered = std::any_of(rules->begin(), rules->end(), [&](const LibraryRule& rule) {
      return rule.applies_to(file.language) && disabled.count(rule.id) == 0;
    });
    if (covered) {
      candidates.push_back(&file);
    }
  }
  if (candidates.empty()) {
    return {};
  }
  auto dependencies = read_dependencies(context, change);
  std::vector<gate::Finding> findings;
  for (const auto* file : candidates) {
    const auto* language = syntax::find_language(file->language);
    auto content = context.contents.blob(file->new_oid);
    if (language == nullptr || !content) {
      continue;
    }
    // The file is parsed (or its tree taken from the syntax cache) only for a rule that may match.
    std::optional<FileScan> scan;
    std::shared_ptr<const syntax::ParsedFile> parsed;
    for (const auto& rule : *rules) {
      if (!rule.applies_to(file->language) || disabled.count(rule.id) > 0) {
        continue;
      }
      auto reason = relevance(rule, file->language, dependencies);
      if (!reason || !rule.may_match(scan ? scan->content() : *content)) {
        continue; // not relevant here, or the file lacks the words its queries compare with
      }
      if (!scan) {
        scan.emplace(*file, std::move(*content), *language,
                     context.syntax.tree(file->new_oid, file->language));
      }
      if (!scan->ok()) {
        break;
      }
      auto queries = std::move(compile_rule_queries(rule, file->language)).value_or_throw();
      auto hits = scan->run(rule, *queries);
      if (hits.empty()) {
        continue;
      }
      if (!parsed) {
        parsed = context.syntax.parse(file->new_oid, file->language, scan->content());
      }
      std::size_t shown = std::min(hits.size(), static_cast<std::size_t>(max_findings_per_file));
      for (std::size_t i = 0; i < shown; ++i) {
        findings.push_back(make_finding(rule, *reason, *file, hits[i],
                                        enclosing_unit(*parsed, hits[i].start_line), change));
      }
      if (hits.size() > shown) {
        auto more = hits.size() - shown;
        auto& last = findings.back();
        last.message += " (and " + std::to_string(more) + " more in this file)";
        last.evidence["more_in_file"] = more;
      }
    }
  }
  return findings;
}

} // namespace agate::analyzers
