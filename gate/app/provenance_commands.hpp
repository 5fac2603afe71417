// The commands of prompt provenance: record, trailer (the commit-msg hook), log, show and export.
// Each opens the repository as the hooks need (GIT_DIR, GIT_INDEX_FILE honoured), calls the
// concept that does the work (prompt_recorder, message_trailers, prompt_log) and prints.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/front_end.hpp"

namespace agate::gate {

int run_record(const CliOptions& options, const GetEnv& getenv);
int run_trailer(const CliOptions& options, const GetEnv& getenv);
int run_log(const CliOptions& options, const GetEnv& getenv);
int run_show(const CliOptions& options, const GetEnv& getenv);
int run_export(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
