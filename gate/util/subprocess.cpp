// The helper-program runner and the private temporary directory; see subprocess.hpp.
#include "gate/util/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>

extern char** environ;

namespace agate::gate {

namespace {

// A pipe's two ends, closed when the owner goes away.
struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() = default;
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  bool open() { return pipe2(fds, O_CLOEXEC) == 0; }
  void close_end(int end) {
    if (fds[end] >= 0) {
      ::close(fds[end]);
      fds[end] = -1;
    }
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

} // namespace

Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const ProcessOptions& options) {
  if (argv.empty()) {
    return fail("run_process: no program given");
  }
  Pipe in;
  Pipe out;
  Pipe err;
  if (!in.open() || !out.open() || !err.open()) {
    return fail("cannot run " + argv[0] + ": " + std::strerror(errno));
  }
  SpawnActions spawn;
  posix_spawn_file_actions_adddup2(&spawn.actions, in.fds[0], 0);
  posix_spawn_file_actions_adddup2(&spawn.actions, out.fds[1], 1);
  posix_spawn_file_actions_adddup2(&spawn.actions, err.fds[1], 2);

  std::vector<std::string> args = argv;
  std::vector<char*> cargv;
  for (auto& arg : args) {
    cargv.push_back(arg.data());
  }
  cargv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, cargv[0], &spawn.actions, nullptr, cargv.data(), environ);
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  if (rc != 0) {
    return fail(argv[0] + ": " +
                (rc == ENOENT ? std::string("not found in PATH") : std::strerror(rc)));
  }

  // A program that exits without reading its input must not kill agate with SIGPIPE.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);

  ProcessResult result;
  std::size_t written = 0;
  if (options.input.empty()) {
    in.close_end(1);
  } else {
    fcntl(in.fds[1], F_SETFL, O_NONBLOCK);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool timed_out = false;
  char buffer[65536];
  while (out.fds[0] >= 0 || err.fds[0] >= 0) {
    std::vector<pollfd> fds;
    if (out.fds[0] >= 0) {
      fds.push_back({out.fds[0], POLLIN, 0});
    }
    if (err.fds[0] >= 0) {
      fds.push_back({err.fds[0], POLLIN, 0});
    }
    if (in.fds[1] >= 0) {
      fds.push_back({in.fds[1], POLLOUT, 0});
    }
    const int ready = poll(fds.data(), fds.size(), 200);
    if (std::chrono::steady_clock::now() > deadline) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (ready <= 0) {
      continue;
    }
    for (const auto& p : fds) {
      if (p.revents == 0) {
        continue;
      }
      if (p.fd == in.fds[1]) {
        const ssize_t w =
            ::write(p.fd, options.input.data() + written, options.input.size() - written);
        if (w > 0) {
          written += static_cast<std::size_t>(w);
        }
        if (w < 0 || written >= options.input.size()) {
          in.close_end(1);
        }
        continue;
      }
      const ssize_t r = ::read(p.fd, buffer, sizeof buffer);
      const bool is_out = p.fd == out.fds[0];
      if (r <= 0) {
        (is_out ? out : err).close_end(0);
        continue;
      }
      (is_out ? result.out : result.err).append(buffer, static_cast<std::size_t>(r));
    }
  }
  in.close_end(1);
  int status = 0;
  waitpid(pid, &status, 0);
  sigaction(SIGPIPE, &previous, nullptr);
  if (timed_out) {
    return fail(argv[0] + ": did not finish within " + std::to_string(options.timeout_seconds) +
                " seconds");
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Result<PrivateTempDir> PrivateTempDir::create(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::filesystem::path root = base != nullptr && *base != '\0' ? base : "/tmp";
  std::string pattern = (root / (std::string(prefix) + "XXXXXX")).string();
  // mkdtemp creates the directory with mode 0700.
  if (mkdtemp(pattern.data()) == nullptr) {
    return fail("cannot create a temporary directory in " + root.string() + ": " +
                std::strerror(errno));
  }
  return PrivateTempDir(std::filesystem::path(pattern));
}

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept : m_path(std::move(other.m_path)) {
  other.m_path.clear();
}

PrivateTempDir& PrivateTempDir::operator=(PrivateTempDir&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!m_path.empty()) {
      std::filesystem::remove_all(m_path, ec);
    }
    m_path = std::move(other.m_path);
    other.m_path.clear();
  }
  return *this;
}

PrivateTempDir::~PrivateTempDir() {
  if (!m_path.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
}

Result<std::filesystem::path> PrivateTempDir::write(std::string_view name,
                                                    std::string_view content) const {
  auto file = m_path / std::string(name);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail("cannot write " + file.string() + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t w = ::write(fd, content.data() + done, content.size() - done);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      const std::string why = std::strerror(errno);
      ::close(fd);
      return fail("cannot write " + file.string() + ": " + why);
    }
    done += static_cast<std::size_t>(w);
  }
  if (::close(fd) != 0) {
    return fail("cannot write " + file.string() + ": " + std::strerror(errno));
  }
  return file;
}

} // namespace agate::gate
