// See file_util.hpp. POSIX calls are used for the atomic write because std::ofstream cannot fsync.
// The atomic write replaces the path (a symbolic link there is replaced, not followed), except
// when the path leads to a device or FIFO such as /dev/stdout: that is written in place, since
// replacing it would break it.
#include "gate/util/file_util.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace agate::gate {

namespace fs = std::filesystem;

Result<std::string> read_file(const fs::path& path) {
  // POSIX reads, because std::ifstream "opens" a directory and then reads nothing, which would
  // turn `.agate/config.json/` into an empty policy instead of an error. A regular file is read
  // straight into a string of its size (the cache files are megabytes: growing a string by
  // appending copies them over and over); a pipe or a file that grows is read to its end.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  auto failed = [&path, fd]() -> Result<std::string> {
    int saved = errno;
    close(fd);
    return fail("cannot read " + path.string() + ": " + std::strerror(saved));
  };
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    return failed();
  }
  if (S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return failed();
  }
  std::string content;
  std::size_t size = 0;
  content.resize(S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) + 1
                                                       : 65536);
  for (;;) {
    if (size == content.size()) {
      content.resize(content.size() * 2);
    }
    ssize_t n = read(fd, content.data() + size, content.size() - size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return failed();
    }
    if (n == 0) {
      break;
    }
    size += static_cast<std::size_t>(n);
  }
  close(fd);
  content.resize(size);
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
  auto file = AtomicFile::create(path);
  TRY(file);
  if (auto written = file->write(content); !written) {
    return written;
  }
  return file->commit(true, mode);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      close(m_fd);
    }
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (m_fd >= 0) {
    close(m_fd);
  }
}

bool read_at(int fd, uint64_t offset, void* out, std::size_t size) {
  auto* at = static_cast<char*>(out);
  while (size > 0) {
    ssize_t n = pread(fd, at, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    at += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

Result<FileBytes> FileBytes::read(int fd, uint64_t offset, std::size_t size) {
  FileBytes bytes;
  if (size == 0) {
    return bytes;
  }
  void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (data == MAP_FAILED) {
    return fail(std::string("cannot allocate memory: ") + std::strerror(errno));
  }
  bytes.m_data = data;
  bytes.m_size = size;
  errno = 0;
  if (!read_at(fd, offset, data, size)) {
    return fail(errno != 0 ? std::string("cannot read: ") + std::strerror(errno)
                           : std::string("the file is shorter than it says"));
  }
  return bytes;
}

FileBytes::~FileBytes() {
  if (m_data != nullptr) {
    munmap(m_data, m_size);
  }
}

Result<AtomicFile> AtomicFile::create(const fs::path& path) {
  AtomicFile file;
  file.m_path = path;
  fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  file.m_temp = (dir / ("." + path.filename().string() + ".agate-tmp-XXXXXX")).string();
  int fd = mkstemp(file.m_temp.data());
  if (fd < 0) {
    return fail("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  file.m_fd = UniqueFd(fd);
  return file;
}

AtomicFile::~AtomicFile() {
  if (m_fd.valid()) {
    m_fd = UniqueFd();
    unlink(m_temp.c_str());
  }
}

Status AtomicFile::failed(const std::string& what) {
  int saved = errno;
  m_fd = UniqueFd();
  unlink(m_temp.c_str());
  return fail("cannot write " + m_path.string() + ": " + what +
              (saved ? std::string(": ") + std::strerror(saved) : ""));
}

Status AtomicFile::write(std::string_view bytes) {
  if (!m_fd.valid()) {
    return fail("cannot write " + m_path.string() + ": already given up");
  }
  return write_all(m_fd.get(), bytes) ? success() : failed("write failed");
}

Status AtomicFile::copy_from(int from, uint64_t offset, uint64_t size) {
  if (!m_fd.valid()) {
    return fail("cannot write " + m_path.string() + ": already given up");
  }
  auto in = static_cast<off_t>(offset);
  while (size > 0) {
    ssize_t n = copy_file_range(from, &in, m_fd.get(), nullptr, size, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break; // not supported here (or a short source): copy through a buffer
    }
    size -= static_cast<uint64_t>(n);
  }
  std::string buffer;
  while (size > 0) {
    buffer.resize(static_cast<std::size_t>(std::min<uint64_t>(size, 1 << 20)));
    if (!read_at(from, static_cast<uint64_t>(in), buffer.data(), buffer.size())) {
      return failed("cannot read the data to copy");
    }
    if (!write_all(m_fd.get(), buffer)) {
      return failed("write failed");
    }
    in += static_cast<off_t>(buffer.size());
    size -= buffer.size();
  }
  return success();
}

Status AtomicFile::commit(bool sync, fs::perms mode) {
  if (!m_fd.valid()) {
    return fail("cannot write " + m_path.string() + ": already given up");
  }
  if (fchmod(m_fd.get(), static_cast<mode_t>(mode)) != 0) {
    return failed("chmod failed");
  }
  if (sync && fsync(m_fd.get()) != 0) {
    return failed("fsync failed");
  }
  if (close(m_fd.release()) != 0) {
    unlink(m_temp.c_str());
    return fail("cannot write " + m_path.string() + ": close failed");
  }
  if (rename(m_temp.c_str(), m_path.c_str()) != 0) {
    int saved = errno;
    unlink(m_temp.c_str());
    return fail("cannot write " + m_path.string() + ": " + std::strerror(saved));
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
