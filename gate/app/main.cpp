// Entry point. Everything that fails in a way the user must fix throws agate::Error, caught here
// once: `agate: error: <one line>` on stderr and exit code 2. Findings are exit 1 (pipeline).
#include "gate/app/app.hpp"
#include "gate/util/error.hpp"

#include <malloc.h>

#include <exception>
#include <iostream>
#include <new>

int main(int argc, char** argv) {
  // agate is a short-lived process that allocates a few megabytes in bursts (the clone index):
  // freed memory stays in malloc's arenas rather than being unmapped and faulted in again, which
  // on a virtual machine costs many microseconds a page (see populate_arena in clone_index.cpp).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
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
  return rc;
}
