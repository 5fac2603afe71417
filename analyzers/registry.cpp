// The analyzers agate runs; see registry.hpp.
#include "analyzers/registry.hpp"

#include "analyzers/clone_analyzer.hpp"
#include "analyzers/deletion_analyzer.hpp"
#include "analyzers/library_logic_analyzer.hpp"
#include "analyzers/provenance_analyzer.hpp"
#include "analyzers/signature_analyzer.hpp"
#include "analyzers/size_analyzer.hpp"
#include "analyzers/syntax/query.hpp"

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
}

} // namespace agate::analyzers
