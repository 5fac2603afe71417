// `agate review RANGE --html FILE` (the review page) and `agate stats RANGE [--json]` (the
// range's figures). Both take the commits as `agate log` does (prompt_log's commits_for_log, every
// parent followed) and read their entries once (gate/review); the page and the figures are
// gate/review's.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/front_end.hpp"

namespace agate::gate {

int run_review(const CliOptions& options, const GetEnv& getenv);
int run_stats(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
