// Running a helper program (ssh-keygen, gpgconf) and capturing what it prints, and a private
// temporary directory to hand it files in.
//
// agate links GPGME for OpenPGP, but SSH signatures are verified by `ssh-keygen -Y verify` as
// git does, and a GnuPG home is cleaned up with `gpgconf --kill`. Both need a small, safe
// runner: argv only (no shell), standard input fed from a string, both output streams captured,
// a timeout, and a clear failure when the program is not installed.
#pragma once

#include "gate/util/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct ProcessResult {
  int exit_code = -1; // -1: killed by a signal or the timeout
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::string input;        // written to the program's standard input
  int timeout_seconds = 60; // the program is killed after this long
};

// Runs argv[0] (searched in PATH) with the other arguments. Fails only when the program cannot
// be started ("ssh-keygen: not found (install openssh-client)"-style messages are the caller's);
// a non-zero exit is a result, not a failure.
Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const ProcessOptions& options = {});

// A fresh directory only the user can enter (mode 0700) under $TMPDIR (or /tmp), removed with
// everything in it when the owner goes away.
class PrivateTempDir {
public:
  // `prefix` names the directory ("agate-gnupg-" gives /tmp/agate-gnupg-XXXXXX).
  static Result<PrivateTempDir> create(std::string_view prefix);
  PrivateTempDir(PrivateTempDir&& other) noexcept;
  PrivateTempDir& operator=(PrivateTempDir&& other) noexcept;
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  ~PrivateTempDir();

  const std::filesystem::path& path() const { return m_path; }
  // Writes `content` to the file `name` in the directory (mode 0600).
  Result<std::filesystem::path> write(std::string_view name, std::string_view content) const;

private:
  explicit PrivateTempDir(std::filesystem::path path) : m_path(std::move(path)) {}
  std::filesystem::path m_path;
};

} // namespace agate::gate
