// The list of analyzers the pipeline runs, in order. Adding an analyzer is one line in
// analyzer_registry.cpp.
#pragma once

#include "analyzers/analyzer.hpp"

#include <memory>
#include <vector>

namespace agate::gate {

std::vector<std::unique_ptr<analyzers::Analyzer>> make_analyzers();

// Compiles, ahead of the analyzers, the queries they will need for `context`'s change: the unit
// queries of its languages (every analyzer that reads syntax needs them), then the queries of
// the library-logic rules that the standard library makes relevant, for the files that hold
// their words. Compiling is much of the CPU a hook spends and compiled queries are cached per
// process (thread-safe), so the pipeline runs this on a second core while the analyzers start.
// Errors are left for the analyzers to report.
void compile_queries_ahead(const analyzers::AnalysisContext& context);

} // namespace agate::gate
