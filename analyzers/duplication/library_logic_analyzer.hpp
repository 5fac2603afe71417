// The library-logic analyzer: `duplication/library-logic`, hand-written code for something a
// declared dependency or the standard library already provides (a retry loop when tenacity is
// a dependency, Redis commands spelled in RESP when a Redis client is one, base64 by hand...).
//
// What it matches is data: the rules of rules/library/*.json
// (analyzers/duplication/library_rules.hpp, docs/rules-library.md). For each file a change adds
// lines to, in a language some rule covers, it parses the new version once, runs the rules whose
// requirement holds (a dependency declared in a manifest of the new tree, or the standard library)
// and keeps only matches that start on an added line and consist mostly of added lines: code that
// was already there is never reported, so a finding cannot follow a project around after it is
// merged. Matches of a rule that overlap or sit on adjacent lines are reported as one (a chain of
// replace() calls is one escape); at most `max_findings_per_file` findings per rule and file are
// listed, the last counting the rest.
//
// Manifests are read from the new tree (RepositoryView::files_after), skipping vendored paths;
// without a repository view (unit tests) only the manifests the change itself holds count.
//
// Policy: `duplication.library_logic.disabled_rules`, the library rule ids (`library/...`) not
// to run.
#pragma once

#include "analyzers/analyzer.hpp"
#include "analyzers/duplication/library_rules.hpp"
#include "analyzers/duplication/manifests.hpp"

#include <memory>
#include <vector>

namespace agate::analyzers {

inline constexpr int max_findings_per_file = 5;

// The dependencies the manifests of the change's new tree declare (the changed files' only,
// without a repository); vendored manifests do not count.
DeclaredDependencies read_dependencies(const AnalysisContext& context, const gate::Change& change);

class LibraryLogicAnalyzer : public Analyzer {
public:
  // With the built-in rules (a broken built-in rule set throws agate::Error on analyze()).
  LibraryLogicAnalyzer() = default;
  // With the given rules instead (tests run one rule at a time).
  explicit LibraryLogicAnalyzer(std::vector<LibraryRule> rules);

  std::string_view name() const override { return "library-logic"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;

private:
  std::shared_ptr<const std::vector<LibraryRule>> m_rules; // null: the built-in rules
};

} // namespace agate::analyzers
