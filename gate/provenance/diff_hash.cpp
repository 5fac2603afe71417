// The normalized patch and its SHA-256; see diff_hash.hpp for the format.
#include "gate/provenance/diff_hash.hpp"

#include "gate/util/sha256.hpp"

#include <algorithm>

namespace agate::gate {

namespace {

std::string octal(uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%06o", mode);
  return buffer;
}

} // namespace

std::string normalized_file_patch(const FileChange& file) {
  std::string out = "file " + (file.old_path.empty() ? "/dev/null" : file.old_path) + " " +
                    (file.new_path.empty() ? "/dev/null" : file.new_path) + "\n";
  if (file.old_mode != 0 && file.new_mode != 0 && file.old_mode != file.new_mode) {
    out += "mode " + octal(file.old_mode) + " " + octal(file.new_mode) + "\n";
  }
  const bool textual = !file.binary && !file.too_large && !file.submodule && !file.symlink;
  if (!textual || (file.hunks.empty() && file.old_oid != file.new_oid &&
                   (file.added_lines > 0 || file.deleted_lines > 0))) {
    out += "blob " + file.old_oid + " " + file.new_oid + "\n";
    return out;
  }
  for (const auto& hunk : file.hunks) {
    for (const auto& line : hunk.lines) {
      if (line.origin == '+' || line.origin == '-') {
        out += line.origin;
        out += line.text;
        out += '\n';
      }
    }
  }
  return out;
}

DiffHash diff_hash(const std::vector<FileChange>& files) {
  std::vector<const FileChange*> ordered;
  for (const auto& file : files) {
    if (!file.prompt_record) {
      ordered.push_back(&file);
    }
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const FileChange* a, const FileChange* b) { return a->path() < b->path(); });
  DiffHash result;
  Sha256 whole;
  for (const auto* file : ordered) {
    auto block = normalized_file_patch(*file);
    whole.update(block);
    result.files[file->path()] = sha256_hex(block);
    result.added_lines += file->added_lines;
    result.deleted_lines += file->deleted_lines;
  }
  result.sha256 = whole.hex_digest();
  return result;
}

} // namespace agate::gate
