// See file_util.hpp. POSIX calls are used for the atomic write because std::ofstream cannot fsync.
// The atomic write replaces the path (a symbolic link there is replaced, not followed), except
// when the path leads to a device or FIFO such as /dev/stdout: that is written in place, since
// replacing it would break it.
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

namespace {

// Writes all of `content` to `fd`; false (errno set) on failure.
bool write_all(int fd, std::string_view content) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A device, FIFO or socket (`-o /dev/stdout`, `-o >(gzip > x)`) cannot be replaced by a renamed
// file without breaking it (as root, /dev/stdout itself would become a regular file): it is
// written in place.
Status write_in_place(const fs::path& path, std::string_view content) {
  int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) {
    return fail("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  if (!write_all(fd, content)) {
    int saved = errno;
    close(fd);
    return fail("cannot write " + path.string() + ": " + std::strerror(saved));
  }
  if (close(fd) != 0) {
    return fail("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return success();
}

} // namespace

Status write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
  std::error_code ec;
  const auto status = fs::status(path, ec); // follows symbolic links
  if (!ec && fs::is_directory(status)) {
    return fail("cannot write " + path.string() + ": " + std::strerror(EISDIR));
  }
  if (!ec && fs::exists(status) && !fs::is_regular_file(status)) {
    return write_in_place(path, content);
  }
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
  if (!write_all(fd, content)) {
    return cleanup_fail("write failed");
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
