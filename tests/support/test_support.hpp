// Test support: temporary directories kept when a test fails, a process runner that captures
// output and exit code, and a small helper for making real git repositories with the git CLI.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace agate::test {

namespace fs = std::filesystem;

// A fresh directory under $TMPDIR. Removed at the end of a passing test case; kept (and its path
// printed) when the test case fails, so the repository it holds can be inspected.
class TempDir {
public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }
  fs::path operator/(const std::string& rel) const { return m_path / rel; }

private:
  fs::path m_path;
};

struct RunResult {
  int exit_code = -1; // -1: did not exit normally (signal)
  std::string out;
  std::string err;
};

struct RunOptions {
  fs::path cwd;                           // empty: current directory
  std::map<std::string, std::string> env; // set in addition to the inherited env
  std::vector<std::string> unset_env;     // removed from the inherited env
  std::optional<std::string> input;       // standard input
  int timeout_seconds = 120;
};

// Run argv[0] (searched in PATH) with the arguments; never throws on a non-zero exit.
RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Path of the agate binary under test.
std::string agate_binary();
// Run the agate binary in `cwd` with GitHub Actions variables removed from the environment.
RunResult agate(const fs::path& cwd, const std::vector<std::string>& args, RunOptions options = {});

void write_file(const fs::path& path, const std::string& content); // creates parent dirs
// `text` without its trailing newlines (command output).
std::string trimmed(std::string text);
std::string read_file(const fs::path& path);
// A new Python file of about 1,200 lines, far over the size rule's limit: a change that gets
// size/oversized-change.
std::string oversized_python();

// A real git repository in a temporary directory, driven by the git CLI with a fixed identity
// and dates, no user or system config, and no hooks unless a test installs them.
class GitRepo {
public:
  explicit GitRepo(const fs::path& dir, bool init = true);
  const fs::path& dir() const { return m_dir; }
  fs::path operator/(const std::string& rel) const { return m_dir / rel; }

  // Run `git <args>` in the repository; throws std::runtime_error when git fails.
  std::string git(const std::vector<std::string>& args,
                  const std::optional<std::string>& input = {});
  RunResult git_result(const std::vector<std::string>& args);
  void write(const std::string& rel, const std::string& content);
  void remove(const std::string& rel);
  void add_all();
  std::string commit(const std::string& message);     // commits what is staged; returns the full id
  std::string commit_all(const std::string& message); // add -A then commit
  std::string head();
  std::map<std::string, std::string> env() const; // the environment used for git commands

private:
  fs::path m_dir;
  int m_tick = 0;
};

} // namespace agate::test
