// What the fuzz targets share: the libFuzzer entry point's declaration, splitting one input into
// several fields, and writing an input to a private file for the importers that read files.
//
// Each target in this folder defines LLVMFuzzerTestOneInput and is built twice: with clang's
// -fsanitize=fuzzer for a campaign (bench/fuzz.sh), and with replay_main.cpp as a plain program
// that runs every file of the target's seed corpus (tests/fuzz/corpus/<target>/) in the test
// suite, under ASan and UBSan in the sanitizer build. A target aborts (FUZZ_CHECK) when a
// property the code promises does not hold, so a property failure is a crash the fuzzer keeps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace agate::fuzz {

#define FUZZ_CHECK(condition)                                                                      \
  do {                                                                                             \
    if (!(condition)) {                                                                            \
      std::fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__);  \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits the input at the separator line "\n--8<--\n" into at most `parts` fields (the last
// takes the rest); missing fields are empty. Seeds keep their structure under mutation.
inline std::vector<std::string_view> split_fields(std::string_view input, std::size_t parts) {
  static constexpr std::string_view separator = "\n--8<--\n";
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < parts) {
    auto at = input.find(separator);
    if (at == std::string_view::npos) {
      break;
    }
    fields.push_back(input.substr(0, at));
    input.remove_prefix(at + separator.size());
  }
  fields.push_back(input);
  fields.resize(parts);
  return fields;
}

// A file holding `bytes` in a private directory, removed when the object goes away.
class ScratchFile {
public:
  explicit ScratchFile(std::string_view bytes) {
    static const std::filesystem::path dir = [] {
      auto d = std::filesystem::temp_directory_path() /
               ("agate-fuzz-" + std::to_string(static_cast<long>(::getpid())));
      std::filesystem::create_directories(d);
      return d;
    }();
    m_path = dir / "input";
    std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

} // namespace agate::fuzz
