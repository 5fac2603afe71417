// Entry point. Everything that fails in a way the user must fix throws agate::Error, caught here
// once: `agate: error: <one line>` on stderr and exit code 2. Findings are exit 1 (pipeline).
#include "gate/app.hpp"
#include "gate/error.hpp"

#include <git2.h>

#include <exception>
#include <iostream>
#include <new>

int main(int argc, char** argv)
{
  git_libgit2_init();
  int rc = 2;
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    rc = agate::gate::run_app(args);
  } catch (const agate::Error& e) {
    std::cerr << "agate: error: " << e.what() << "\n";
    rc = 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "agate: error: out of memory\n";
    rc = 2;
  } catch (const std::exception& e) {
    std::cerr << "agate: error: internal error: " << e.what() << "\n";
    rc = 2;
  }
  std::cout.flush();
  git_libgit2_shutdown();
  return rc;
}
