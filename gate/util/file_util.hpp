// Small file helpers with the guarantees the gate promises: reads that report the path on
// failure, and writes that are atomic (a temporary file in the same directory, fsync, rename),
// so an interrupted agate never leaves a half-written report, config or hook behind.
#pragma once

#include "gate/util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace agate::gate {

Result<std::string> read_file(const std::filesystem::path& path);
Status write_file_atomic(const std::filesystem::path& path, std::string_view content,
                         std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write |
                                                       std::filesystem::perms::group_read |
                                                       std::filesystem::perms::others_read);
// Appends to a file (for $GITHUB_STEP_SUMMARY, which GitHub expects to be appended to).
Status append_file(const std::filesystem::path& path, std::string_view content);

// An open file descriptor, closed when the owner goes.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : m_fd(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }
  int release() { return std::exchange(m_fd, -1); }

private:
  int m_fd = -1;
};

// Reads exactly `size` bytes at `offset` of `fd` into `out`; false on an error or a short file.
bool read_at(int fd, uint64_t offset, void* out, std::size_t size);

// Bytes of a file read into memory that is mapped and populated in one call rather than page by
// page (on a virtual machine every page fault can cost many microseconds): for the cache files
// that are read whole on every run. 8-byte aligned (page-aligned, in fact).
class FileBytes {
public:
  static Result<FileBytes> read(int fd, uint64_t offset, std::size_t size);
  FileBytes(FileBytes&& other) noexcept
      : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}
  FileBytes& operator=(FileBytes&&) = delete;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();
  std::string_view view() const { return {static_cast<const char*>(m_data), m_size}; }

private:
  FileBytes() = default;
  void* m_data = nullptr;
  std::size_t m_size = 0;
};

// A file written in pieces and put in place at once: the pieces go to a temporary file in the
// same directory, which commit() renames over the path. Until then the path keeps its old
// content, and a writer dropped without commit() removes its temporary file. For files larger
// than is worth holding in memory (the clone index cache): ranges of another open file are
// copied in the kernel.
class AtomicFile {
public:
  static Result<AtomicFile> create(const std::filesystem::path& path);
  AtomicFile(AtomicFile&&) noexcept = default;
  AtomicFile& operator=(AtomicFile&&) noexcept = default;
  ~AtomicFile();

  Status write(std::string_view bytes);
  // Appends `size` bytes of `from` at `offset`.
  Status copy_from(int from, uint64_t offset, uint64_t size);
  // `sync`: fsync before the rename (a cache, checked on load, need not pay for it).
  Status commit(bool sync, std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                                         std::filesystem::perms::owner_write |
                                                         std::filesystem::perms::group_read |
                                                         std::filesystem::perms::others_read);

private:
  AtomicFile() = default;
  Status failed(const std::string& what);

  std::filesystem::path m_path;
  std::string m_temp;
  UniqueFd m_fd;
};

} // namespace agate::gate
