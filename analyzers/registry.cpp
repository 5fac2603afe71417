// The analyzers agate runs; see registry.hpp.
#include "analyzers/registry.hpp"

#include "analyzers/clone_analyzer.hpp"
#include "analyzers/deletion_analyzer.hpp"
#include "analyzers/library_logic_analyzer.hpp"
#include "analyzers/library_rules.hpp"
#include "analyzers/provenance_analyzer.hpp"
#include "analyzers/signature_analyzer.hpp"
#include "analyzers/size_analyzer.hpp"
#include "analyzers/syntax/query.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace agate::analyzers {

std::vector<std::unique_ptr<gate::Analyzer>> make_analyzers() {
  std::vector<std::unique_ptr<gate::Analyzer>> all;
  all.push_back(std::make_unique<SizeAnalyzer>());
  all.push_back(std::make_unique<DeletionAnalyzer>());
  all.push_back(std::make_unique<SignatureAnalyzer>());
  all.push_back(std::make_unique<ProvenanceAnalyzer>());
  all.push_back(std::make_unique<CloneAnalyzer>());
  all.push_back(std::make_unique<LibraryLogicAnalyzer>());
  return all;
}

void compile_queries_ahead(const gate::ChangeSet& change_set) {
  std::set<std::string> languages;
  for (const auto& change : change_set.changes) {
    for (const auto& file : change.files) {
      if (file.parseable()) {
        languages.insert(file.language);
      }
    }
  }
  for (const auto& language : languages) {
    (void)syntax::unit_query(language);
  }
  auto rules = builtin_library_rules();
  if (!rules) {
    return;
  }
  for (const auto& language : languages) {
    for (const auto& rule : **rules) {
      // Only rules the standard library makes relevant everywhere: the others need a declared
      // dependency, which the analyzer finds out from the manifests, and are compiled then.
      const bool stdlib = std::any_of(
          rule.requirements.begin(), rule.requirements.end(), [&](const RuleRequirement& r) {
            return !r.ecosystem &&
                   (r.languages.empty() || std::find(r.languages.begin(), r.languages.end(),
                                                     language) != r.languages.end());
          });
      if (stdlib && rule.applies_to(language)) {
        (void)compile_rule_queries(rule, language);
      }
    }
  }
}

} // namespace agate::analyzers
