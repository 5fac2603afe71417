// Tests of the helper-program runner and the private temporary directory
// (gate/util/subprocess.hpp).
#include "gate/util/subprocess.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using agate::gate::PrivateTempDir;
using agate::gate::ProcessOptions;
using agate::gate::run_process;

TEST_CASE("subprocess: output, exit code and standard input") {
  ProcessOptions options;
  options.input = std::string(200000, 'x'); // more than a pipe holds
  auto cat = run_process({"sh", "-c", "wc -c; echo oops >&2; exit 3"}, options);
  REQUIRE(cat.ok());
  CHECK(cat->exit_code == 3);
  CHECK(cat->out.find("200000") != std::string::npos);
  CHECK(cat->err == "oops\n");
  // A program that does not read its input does not kill the caller (SIGPIPE).
  auto ignores = run_process({"true"}, options);
  REQUIRE(ignores.ok());
  CHECK(ignores->exit_code == 0);
}

TEST_CASE("subprocess: a missing program is a failure naming it") {
  auto missing = run_process({"agate-no-such-program"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().find("agate-no-such-program") != std::string::npos);
  CHECK(missing.error().find("not found") != std::string::npos);
}

TEST_CASE("subprocess: a private temporary directory is 0700 and removed with its files") {
  std::filesystem::path path;
  {
    auto dir = PrivateTempDir::create("agate-unit-");
    REQUIRE(dir.ok());
    path = dir->path();
    struct stat info {};
    REQUIRE(stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    auto file = dir->write("a.txt", "hello");
    REQUIRE(file.ok());
    REQUIRE(stat(file->c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    PrivateTempDir moved = std::move(dir).value_or_throw();
    CHECK(std::filesystem::exists(path / "a.txt"));
  }
  CHECK_FALSE(std::filesystem::exists(path));
}
