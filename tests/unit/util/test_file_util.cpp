// Tests of gate/util/file_util.hpp: read_file returns a file's bytes exactly, whatever its size (it
// is sized from fstat, and must still read a file that is not regular, or one larger than it
// said), and names the path when it cannot read; write_file_atomic replaces a file whole.
#include "gate/util/file_util.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <thread>

using namespace agate;

TEST_CASE("read_file: the exact bytes of empty, small, large and binary files") {
  test::TempDir tmp;
  std::string large;
  for (int i = 0; large.size() < 3 * 1024 * 1024 + 17; ++i) {
    large += "line " + std::to_string(i) + '\n';
  }
  std::string binary("a\0b\xff\n\0", 6);
  for (const std::string& content : {std::string(), std::string("x"), large, binary}) {
    auto path = tmp.path() / "file.bin";
    test::write_file(path, content);
    auto read = gate::read_file(path);
    REQUIRE(read);
    CHECK(read->size() == content.size());
    CHECK(*read == content);
  }
}

TEST_CASE("read_file: a FIFO is read to its end, not to the size it reports") {
  test::TempDir tmp;
  auto fifo = tmp.path() / "pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::string content(200000, 'p'); // more than one pipe buffer and the first read chunk
  std::thread writer([&] { test::write_file(fifo, content); });
  auto read = gate::read_file(fifo);
  writer.join();
  REQUIRE(read);
  CHECK(*read == content);
}

TEST_CASE("read_file: a missing file or a directory is an error naming the path") {
  test::TempDir tmp;
  auto missing = gate::read_file(tmp.path() / "nope.json");
  REQUIRE(!missing);
  CHECK(missing.error().find("nope.json") != std::string::npos);
  CHECK(missing.error().find("No such file") != std::string::npos);
  std::filesystem::create_directories(tmp.path() / "config.json");
  auto dir = gate::read_file(tmp.path() / "config.json");
  REQUIRE(!dir);
  CHECK(dir.error().find("config.json") != std::string::npos);
  CHECK(dir.error().find("Is a directory") != std::string::npos);
}

TEST_CASE("write_file_atomic: the file is replaced whole and read back") {
  test::TempDir tmp;
  auto path = tmp.path() / "out.txt";
  REQUIRE(gate::write_file_atomic(path, "first version, longer than the second\n"));
  REQUIRE(gate::write_file_atomic(path, "second\n"));
  auto read = gate::read_file(path);
  REQUIRE(read);
  CHECK(*read == "second\n");
}

TEST_CASE("FileBytes: a range of a file, read whole into populated memory") {
  test::TempDir tmp;
  auto path = tmp.path() / "cache.bin";
  std::string content;
  for (int i = 0; content.size() < 100000; ++i) {
    content += std::to_string(i) + ',';
  }
  test::write_file(path, content);
  gate::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  REQUIRE(fd.valid());
  auto all = gate::FileBytes::read(fd.get(), 0, content.size());
  REQUIRE(all);
  CHECK(all->view() == content);
  CHECK(reinterpret_cast<std::uintptr_t>(all->view().data()) % 8 == 0);
  auto part = gate::FileBytes::read(fd.get(), 1000, 5000);
  REQUIRE(part);
  CHECK(part->view() == std::string_view(content).substr(1000, 5000));
  auto none = gate::FileBytes::read(fd.get(), 0, 0);
  REQUIRE(none);
  CHECK(none->view().empty());
  auto past_end = gate::FileBytes::read(fd.get(), content.size() - 10, 20);
  REQUIRE(!past_end);
  CHECK(past_end.error().find("shorter") != std::string::npos);
}
