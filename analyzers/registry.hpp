// The list of analyzers the pipeline runs, in order. Adding an analyzer is one line in
// registry.cpp.
#pragma once

#include "gate/analyzer.hpp"

#include <memory>
#include <vector>

namespace agate::analyzers {

std::vector<std::unique_ptr<gate::Analyzer>> make_analyzers();

// Compiles, ahead of the analyzers, the unit queries of the languages of `change_set`'s
// parseable files, which every analyzer that reads syntax needs. Compiling is much of the CPU a
// hook spends and compiled queries are cached per process (thread-safe), so the pipeline runs
// this on a second core while the analyzers start. Errors are left for the analyzers to report.
void compile_queries_ahead(const gate::ChangeSet& change_set);

} // namespace agate::analyzers
