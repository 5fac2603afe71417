// The application: dispatches a parsed command line to its command. Throws agate::Error for
// anything that should end with exit code 2; main() catches it once.
#pragma once

#include <string>
#include <vector>

namespace agate::gate {

int run_app(const std::vector<std::string>& args);

} // namespace agate::gate
