// The list of analyzers the pipeline runs, in order. Adding an analyzer is one line in
// registry.cpp.
#pragma once

#include "gate/analyzer.hpp"

#include <memory>
#include <vector>

namespace agate::analyzers {

std::vector<std::unique_ptr<gate::Analyzer>> make_analyzers();

} // namespace agate::analyzers
