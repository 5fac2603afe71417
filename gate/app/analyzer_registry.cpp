// The analyzers agate runs; see analyzer_registry.hpp.
#include "gate/app/analyzer_registry.hpp"

#include "analyzers/deletion/deletion_analyzer.hpp"
#include "analyzers/duplication/clone_analyzer.hpp"
#include "analyzers/duplication/library_logic_analyzer.hpp"
#include "analyzers/duplication/library_rules.hpp"
#include "analyzers/provenance_analyzer.hpp"
#include "analyzers/signature_analyzer.hpp"
#include "analyzers/size_analyzer.hpp"
#include "analyzers/syntax/query.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace agate::gate {

std::vector<std::unique_ptr<analyzers::Analyzer>> make_analyzers() {
  std::vector<std::unique_ptr<analyzers::Analyzer>> all;
  all.push_back(std::make_unique<analyzers::SizeAnalyzer>());
  all.push_back(std::make_unique<analyzers::DeletionAnalyzer>());
  all.push_back(std::make_unique<analyzers::SignatureAnalyzer>());
  all.push_back(std::make_unique<analyzers::ProvenanceAnalyzer>());
  // Last: it waits for the index of the base that its work ahead loads on the second thread
  // while the others run.
  all.push_back(std::make_unique<analyzers::LibraryLogicAnalyzer>());
  all.push_back(std::make_unique<analyzers::CloneAnalyzer>());
  return all;
}

void compile_queries_ahead(const analyzers::AnalysisContext& context) {
  std::set<std::string> languages;
  std::vector<const FileChange*> added;
  for (const auto& change : context.change_set.changes) {
    for (const auto& file : change.files) {
      if (file.parseable()) {
        languages.insert(file.language);
        if (!file.new_oid.empty() && file.added_lines > 0) {
          added.push_back(&file);
        }
      }
    }
  }
  for (const auto& language : languages) {
    (void)syntax::unit_query(language);
  }
  // Then the library-logic rules the analyzer will run whatever the manifests say: those the
  // standard library makes relevant, on files holding the words their queries compare with.
  auto rules = analyzers::builtin_library_rules();
  if (!rules) {
    return;
  }
  std::set<std::pair<const analyzers::LibraryRule*, std::string>> done;
  for (const auto* file : added) {
    auto content = context.contents.blob(file->new_oid);
    if (!content) {
      continue;
    }
    for (const auto& rule : **rules) {
      if (!rule.applies_to(file->language) || done.count({&rule, file->language}) > 0) {
        continue;
      }
      const bool stdlib =
          std::any_of(rule.requirements.begin(), rule.requirements.end(),
                      [&](const analyzers::RuleRequirement& r) {
                        return !r.ecosystem && (r.languages.empty() ||
                                                std::find(r.languages.begin(), r.languages.end(),
                                                          file->language) != r.languages.end());
                      });
      if (stdlib && rule.may_match(*content)) {
        done.insert({&rule, file->language});
        (void)analyzers::compile_rule_queries(rule, file->language);
      }
    }
  }
}

} // namespace agate::gate
