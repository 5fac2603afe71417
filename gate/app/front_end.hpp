// What every command does the same way before and after its own work: open the repository
// (`-C DIR`, and GIT_DIR / GIT_WORK_TREE / GIT_INDEX_FILE as git honours them, since hooks run
// with them set), decide whether to colour text (`--color`, NO_COLOR, a terminal), and write the
// output (`-o/--output FILE`, relative to `-C DIR` as if agate was started there, like `git -C`).
#pragma once

#include "gate/app/cli.hpp"
#include "gate/git/repository.hpp"

#include <functional>
#include <optional>
#include <string>

namespace agate::gate {

using GetEnv = std::function<std::optional<std::string>(const char* name)>;

// The repository that holds `-C DIR`. Throws agate::Error.
Repository open_repository(const CliOptions& options, const GetEnv& getenv);

// `--color`: always, never, or auto (standard output is a terminal and NO_COLOR is unset or
// empty). Throws agate::Error for another value.
bool use_color(const CliOptions& options, const GetEnv& getenv);

// Where `-o FILE` writes: FILE, relative to `-C DIR`; empty without `-o`.
std::filesystem::path output_path(const CliOptions& options);

// Writes `text` to `-o FILE` (atomically) or, without `-o`, to standard output. Throws
// agate::Error.
void write_output(const CliOptions& options, const std::string& text);

} // namespace agate::gate
