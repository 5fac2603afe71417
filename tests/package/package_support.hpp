// Support for the tests of the release artifacts in dist/ (scripts/package.sh): finding the
// tarball and the .deb, unpacking the tarball, and the line that marks a test as skipped when
// there is no release to test.
//
// The artifacts take a Release build of several minutes, so these tests never build them: with
// no tarball in dist/ a test calls skip(), which prints a line starting with
// "agate-package-skip:" that ctest reports as skipped (label `package`,
// cmake/doctest_labels.cmake); .ci/run runs scripts/package.sh first.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace agate::test {

// The release files scripts/package.sh writes, next to the sources.
std::filesystem::path dist_dir();

// The release tarball for this machine (agate-<version>-linux-<arch>.tar.gz), if there is one.
std::optional<std::filesystem::path> release_tarball();
// The Debian package (agate_<version>_<arch>.deb), if there is one.
std::optional<std::filesystem::path> release_deb();

// The release tarball; when there is none, nullopt after skip(k_no_release).
std::optional<std::filesystem::path> release_tarball_or_skip();

// Marks the running test as skipped (ctest's SKIP_REGULAR_EXPRESSION), saying why in one line.
void skip(const std::string& why);
inline constexpr const char* k_no_release = "no release in dist/: run scripts/package.sh first";

// `tarball` unpacked into `into`; returns its tree (bin/agate, lib/, share/).
std::filesystem::path unpack(const std::filesystem::path& tarball,
                             const std::filesystem::path& into);

} // namespace agate::test
