// End-to-end tests of what every command does alike: revision arguments read by one set of rules
// (`check --range`, `verify`, `log`, `export`), unknown revisions reported in one line (exit 2),
// `--color`, and `-o FILE` relative to `-C DIR`.
#include "tests/e2e/e2e_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::RunOptions;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::check_one_line_error;

// The command line of each command that takes a revision argument, with `revision` in it.
std::vector<std::vector<std::string>> with_revision(const std::string& revision) {
  return {{"check", "--range", revision},
          {"verify", revision},
          {"log", revision},
          {"export", "--agent-trace", revision}};
}

} // namespace

TEST_CASE("front end: every command rejects a malformed range the same way") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.txt", "a\n");
  repo.commit_all("first");
  repo.write("a.txt", "b\n");
  repo.commit_all("second");
  for (const char* range : {"..HEAD", "HEAD..", "..", "HEAD~1...HEAD", "HEAD~1..HEAD..HEAD"}) {
    for (const auto& args : with_revision(range)) {
      CAPTURE(args.front());
      CAPTURE(range);
      auto result = agate_in(repo, args);
      check_one_line_error(result);
      CHECK(result.err.find("expects BASE..HEAD") != std::string::npos);
    }
  }
  for (const auto& args : with_revision("HEAD~1..HEAD")) {
    CAPTURE(args.front());
    CHECK(agate_in(repo, args).exit_code == 0);
  }
}

TEST_CASE("front end: an unknown revision is one line and exit 2 in every command") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.txt", "a\n");
  repo.commit_all("first");
  for (const char* revision : {"nosuch..HEAD", "HEAD..nosuch"}) {
    for (const auto& args : with_revision(revision)) {
      CAPTURE(args.front());
      CAPTURE(revision);
      check_one_line_error(agate_in(repo, args));
    }
  }
  for (const std::vector<std::string>& args : {std::vector<std::string>{"verify", "nosuch"},
                                               {"log", "nosuch"},
                                               {"show", "nosuch"},
                                               {"check", "--commit", "nosuch"}}) {
    CAPTURE(args.front());
    check_one_line_error(agate_in(repo, args));
  }
}

TEST_CASE("front end: --color and NO_COLOR mean the same to check and log") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.txt", "a\n");
  repo.commit_all("first");
  RunOptions no_color;
  no_color.env["NO_COLOR"] = "1";
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"check", "--commit", "HEAD"}, {"log"}}) {
    CAPTURE(command.front());
    auto with = [&](const std::string& when, RunOptions options = {}) {
      auto args = command;
      args.insert(args.end(), {"--color", when});
      return agate_in(repo, args, options);
    };
    CHECK(with("always").out.find("\x1b[") != std::string::npos);
    CHECK(with("always", no_color).out.find("\x1b[") != std::string::npos);
    CHECK(with("never").out.find("\x1b[") == std::string::npos);
    CHECK(with("auto").out.find("\x1b[") == std::string::npos); // not a terminal
    check_one_line_error(with("purple"));
  }
}

TEST_CASE("front end: -o FILE is relative to -C DIR for check and export") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("a.txt", "a\n");
  repo.commit_all("first");
  RunOptions elsewhere;
  elsewhere.env = repo.env();
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"check", "--commit", "HEAD", "--format", "json"},
        {"export", "--agent-trace"}}) {
    CAPTURE(command.front());
    auto to_stdout = agate_in(repo, command);
    auto args = std::vector<std::string>{"-C", "repo"};
    args.insert(args.end(), command.begin(), command.end());
    args.insert(args.end(), {"-o", "report.txt"});
    auto result = agate::test::agate(tmp.path(), args, elsewhere);
    INFO(result.err);
    CHECK(result.exit_code == to_stdout.exit_code);
    CHECK(result.out.empty());
    REQUIRE(std::filesystem::exists(repo.dir() / "report.txt"));
    CHECK(agate::test::read_file(repo.dir() / "report.txt") == to_stdout.out);
    std::filesystem::remove(repo.dir() / "report.txt");
  }
}
