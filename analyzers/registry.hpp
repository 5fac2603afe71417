// The list of analyzers the pipeline runs, in order. Adding an analyzer is one line in
// registry.cpp.
#pragma once

#include "gate/analyzer.hpp"

#include <memory>
#include <vector>

namespace agate::analyzers {

std::vector<std::unique_ptr<gate::Analyzer>> make_analyzers();

// Compiles, ahead of the analyzers, the tree-sitter queries they will need for the languages of
// `change_set`'s parseable files: the unit queries first (every analyzer that reads syntax needs
// them), then the queries of the library-logic rules that the standard library makes relevant
// there. Compiling is most of the CPU a hook spends, and every compiled query is cached per process
// (thread-safe), so the pipeline runs this on a second core while the analyzers start on the first.
// Errors are left for the analyzers to report.
void compile_queries_ahead(const gate::ChangeSet& change_set);

} // namespace agate::analyzers
