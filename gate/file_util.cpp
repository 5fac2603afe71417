// See file_util.hpp. POSIX calls are used for the atomic write because std::ofstream cannot fsync.
#include "gate/file_util.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace agate::gate {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
  // POSIX reads, because std::ifstream "opens" a directory and then reads nothing, which would
  // turn `.agate/config.json/` into an empty policy instead of an error.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::string content;
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      close(fd);
      return fail("cannot read " + path.string() + ": " + std::strerror(saved));
    }
    if (n == 0) {
      break;
    }
    content.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return content;
}

Status write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".agate-tmp-XXXXXX")).string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) {
    return fail("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  auto cleanup_fail = [&](const std::string& what) -> Status {
    int saved = errno;
    close(fd);
    unlink(tmpl.c_str());
    return fail("cannot write " + path.string() + ": " + what +
                (saved ? std::string(": ") + std::strerror(saved) : ""));
  };
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return cleanup_fail("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (fchmod(fd, static_cast<mode_t>(mode)) != 0) {
    return cleanup_fail("chmod failed");
  }
  if (fsync(fd) != 0) {
    return cleanup_fail("fsync failed");
  }
  if (close(fd) != 0) {
    unlink(tmpl.c_str());
    return fail("cannot write " + path.string() + ": close failed");
  }
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    int saved = errno;
    unlink(tmpl.c_str());
    return fail("cannot write " + path.string() + ": " + std::strerror(saved));
  }
  return success();
}

Status append_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out) {
    return fail("cannot append to " + path.string() + ": " + std::strerror(errno));
  }
  out << content;
  out.flush();
  if (!out) {
    return fail("cannot append to " + path.string());
  }
  return success();
}

} // namespace agate::gate
