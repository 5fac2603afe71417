// Runs a fuzz target over files, as the test suite does with each target's seed corpus: every
// file named on the command line, or every file of every directory named, in name order. Exit
// 0 when all ran (a property failure or a sanitizer report aborts the process before that), 2
// when a path cannot be read or no input was found, so a missing corpus is never a pass.
#include "tests/fuzz/fuzz_support.hpp"

#include <algorithm>
#include <iostream>

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path path(argv[i]);
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) {
          inputs.push_back(entry.path());
        }
      }
    } else if (std::filesystem::is_regular_file(path, error)) {
      inputs.push_back(path);
    } else {
      std::cerr << "fuzz replay: cannot read " << path.string() << "\n";
      return 2;
    }
  }
  if (inputs.empty()) {
    std::cerr << "fuzz replay: no input files\n";
    return 2;
  }
  std::sort(inputs.begin(), inputs.end());
  for (const auto& path : inputs) {
    std::string bytes;
    if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
      char buffer[65536];
      for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
        bytes.append(buffer, n);
      }
      std::fclose(file);
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::cout << "fuzz replay: " << inputs.size() << " inputs ran clean\n";
  return 0;
}
