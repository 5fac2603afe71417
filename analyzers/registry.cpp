// The analyzers agate runs; see registry.hpp.
#include "analyzers/registry.hpp"

#include "analyzers/deletion_analyzer.hpp"
#include "analyzers/size_analyzer.hpp"

namespace agate::analyzers {

std::vector<std::unique_ptr<gate::Analyzer>> make_analyzers()
{
  std::vector<std::unique_ptr<gate::Analyzer>> all;
  all.push_back(std::make_unique<SizeAnalyzer>());
  all.push_back(std::make_unique<DeletionAnalyzer>());
  return all;
}

} // namespace agate::analyzers
