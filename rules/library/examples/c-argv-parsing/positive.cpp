#include <cstring>

int main(int argc, char** argv) {
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    // ruleid: library/c-argv-parsing
    if (std::strcmp(argv[i], "--verbose") == 0) {
      verbose = true;
    }
  }
  return verbose ? 0 : 1;
}
