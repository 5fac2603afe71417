// `agate check` as a straight sequence of passes:
//   open the repository -> choose what to review -> load the policy from the base revision ->
//   read the change with libgit2 -> run the analyzers -> apply suppressions and the policy ->
//   build the report -> render and write it -> exit code.
#pragma once

#include "gate/cli.hpp"

#include <functional>
#include <optional>
#include <string>

namespace agate::gate {

using GetEnv = std::function<std::optional<std::string>(const char* name)>;

// Runs `agate check`; returns the exit code (0 pass, 1 fail). Throws agate::Error (exit 2).
int run_check(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
