// Small file helpers with the guarantees the gate promises: reads that report the path on
// failure, and writes that are atomic (a temporary file in the same directory, fsync, rename),
// so an interrupted agate never leaves a half-written report, config or hook behind.
#pragma once

#include "gate/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace agate::gate {

Result<std::string> read_file(const std::filesystem::path& path);
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write |
                                                       std::filesystem::perms::group_read |
                                                       std::filesystem::perms::others_read);
// Appends to a file (for $GITHUB_STEP_SUMMARY, which GitHub expects to be appended to).
Status append_file(const std::filesystem::path& path, std::string_view content);

} // namespace agate::gate
