#include <cstring>
#include <cxxopts.hpp>

int main(int argc, char** argv) {
  cxxopts::Options options("app");
  options.add_options()("v,verbose", "Verbose");
  auto result = options.parse(argc, argv);
  return std::strcmp(argv[0], "app") == 0 ? result.count("verbose") : 0;
}
