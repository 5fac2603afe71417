// Implementation of the test support helpers; see test_support.hpp.
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace agate::test {

namespace {

std::mutex g_dirs_mutex;
std::vector<fs::path> g_dirs; // temp dirs of the running test case

} // namespace

// Called by the listener in tests/main.cpp at the end of each test case.
void finish_temp_dirs(bool test_failed) {
  std::lock_guard lock(g_dirs_mutex);
  for (const auto& dir : g_dirs) {
    if (test_failed || std::getenv("AGATE_KEEP_TEMP")) {
      std::cerr << "kept temporary directory: " << dir.string() << "\n";
    } else {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  g_dirs.clear();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  const char* base = std::getenv("TMPDIR");
  fs::path root = base && *base ? base : "/tmp";
  for (int attempt = 0;; ++attempt) {
    auto name = "agate-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    m_path = root / name;
    std::error_code ec;
    if (fs::create_directory(m_path, ec)) {
      break;
    }
    if (attempt > 1000) {
      throw std::runtime_error("cannot create a temporary directory under " + root.string());
    }
  }
  m_path = fs::canonical(m_path);
  std::lock_guard lock(g_dirs_mutex);
  g_dirs.push_back(m_path);
}

RunResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  int out_pipe[2];
  int err_pipe[2];
  int in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
      pipe2(in_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  }

  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) {
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto& name : options.unset_env) {
    env.erase(name);
  }
  for (const auto& [k, v] : options.env) {
    env[k] = v;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& a : args) {
    cargv.push_back(a.data());
  }
  cargv.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(in_pipe[1]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }

  RunResult result;
  std::string input = options.input.value_or("");
  std::size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  signal(SIGPIPE, SIG_IGN);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool out_open = true;
  bool err_open = true;
  char buffer[65536];
  bool timed_out = false;
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) {
      fds.push_back({out_pipe[0], POLLIN, 0});
    }
    if (err_open) {
      fds.push_back({err_pipe[0], POLLIN, 0});
    }
    if (in_fd >= 0) {
      fds.push_back({in_fd, POLLOUT, 0});
    }
    int n = poll(fds.data(), fds.size(), 200);
    if (std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (n <= 0) {
      continue;
    }
    for (auto& p : fds) {
      if (p.revents == 0) {
        continue;
      }
      if (p.fd == in_fd) {
        ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) {
          written += static_cast<std::size_t>(w);
        }
        if (w < 0 || written >= input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t r = read(p.fd, buffer, sizeof buffer);
      if (r <= 0) {
        if (p.fd == out_pipe[0]) {
          out_open = false;
        } else {
          err_open = false;
        }
        continue;
      }
      (p.fd == out_pipe[0] ? result.out : result.err).append(buffer, static_cast<std::size_t>(r));
    }
  }
  if (in_fd >= 0) {
    close(in_fd);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (timed_out) {
    result.exit_code = -1;
    result.err += "\n[test: killed after timeout]";
  } else if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

std::string agate_binary() {
  return AGATE_BINARY;
}

RunResult agate(const fs::path& cwd, const std::vector<std::string>& args, RunOptions options) {
  std::vector<std::string> argv{agate_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  options.cwd = cwd;
  for (const char* name :
       {"GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY",
        "GITHUB_WORKSPACE", "CI", "NO_COLOR", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"}) {
    if (!options.env.count(name)) {
      options.unset_env.push_back(name);
    }
  }
  return run(argv, options);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

void write_file(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

GitRepo::GitRepo(const fs::path& dir, bool init) : m_dir(dir) {
  if (init) {
    fs::create_directories(dir);
    git({"init", "-q", "-b", "main", "."});
  }
}

std::map<std::string, std::string> GitRepo::env() const {
  // A fixed identity and clock, and no user/system configuration, so tests are reproducible.
  auto date = std::to_string(1700000000 + m_tick * 60) + " +0000";
  return {{"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_CONFIG_GLOBAL", "/dev/null"},
          {"HOME", m_dir.string()},
          {"GIT_AUTHOR_NAME", "Ada Tester"},
          {"GIT_AUTHOR_EMAIL", "ada@example.com"},
          {"GIT_COMMITTER_NAME", "Ada Tester"},
          {"GIT_COMMITTER_EMAIL", "ada@example.com"},
          {"GIT_AUTHOR_DATE", date},
          {"GIT_COMMITTER_DATE", date}};
}

RunResult GitRepo::git_result(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = m_dir;
  options.env = env();
  options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"};
  return run(argv, options);
}

std::string GitRepo::git(const std::vector<std::string>& args,
                         const std::optional<std::string>& input) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.cwd = m_dir;
  options.env = env();
  options.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"};
  options.input = input;
  auto r = run(argv, options);
  if (r.exit_code != 0) {
    std::string cmd = "git";
    for (const auto& a : args) {
      cmd += " " + a;
    }
    throw std::runtime_error(cmd + " failed (" + std::to_string(r.exit_code) + "): " + r.err);
  }
  return r.out;
}

void GitRepo::write(const std::string& rel, const std::string& content) {
  write_file(m_dir / rel, content);
}

void GitRepo::remove(const std::string& rel) {
  fs::remove_all(m_dir / rel);
}

void GitRepo::add_all() {
  git({"add", "-A"});
}

std::string GitRepo::commit(const std::string& message) {
  ++m_tick;
  git({"commit", "-q", "--allow-empty", "--no-verify", "-m", message});
  return head();
}

std::string GitRepo::commit_all(const std::string& message) {
  add_all();
  return commit(message);
}

std::string GitRepo::head() {
  return trimmed(git({"rev-parse", "HEAD"}));
}

std::string oversized_python() {
  std::ostringstream out;
  out << "\"\"\"Report builders.\"\"\"\n\n";
  for (int i = 0; i < 200; ++i) {
    out << "def build_row_" << i << "(record):\n"
        << "    amount = record.get(\"amount_" << i << "\")\n"
        << "    if amount is None:\n"
        << "        return []\n"
        << "    return [" << i << ", amount, amount * " << (i % 9 + 1) << "]\n\n";
  }
  return out.str();
}

} // namespace agate::test
