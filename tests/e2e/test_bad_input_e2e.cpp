// End-to-end tests of how `agate check` fails on bad input: each usage, configuration or
// repository problem ends with exit code 2 and exactly one line on stderr,
// `agate: error: <what is wrong>`, never a crash, an internal error or a half-written report.
// The inputs are real: directories that are not repositories, bare and unborn repositories,
// revisions that do not exist, corrupt objects, unreadable and invalid policies, and command
// lines that do not parse.
#include "tests/e2e/e2e_support.hpp"

#include <unistd.h>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  repo.commit_all("initial");
}

std::string rev_parse(GitRepo& repo, const std::string& rev) {
  auto out = repo.git({"rev-parse", rev});
  return out.substr(0, out.find('\n'));
}

// Replaces a loose object with bytes that are not a zlib stream.
void corrupt_object(GitRepo& repo, const std::string& id) {
  auto path = repo.dir() / ".git/objects" / id.substr(0, 2) / id.substr(2);
  REQUIRE(fs::exists(path));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  write_file(path, "this is not a git object\n");
}

// One line, and it says what the test expects it to say.
void check_error_mentions(const RunResult& result, const std::string& text) {
  check_one_line_error(result);
  INFO("stderr: " << result.err);
  CHECK(result.err.find(text) != std::string::npos);
}

} // namespace

TEST_CASE("bad input: a directory that is not a repository") {
  TempDir tmp;
  fs::create_directories(tmp / "plain/dir");
  RunOptions options;
  options.env["GIT_CEILING_DIRECTORIES"] = tmp.path().string();
  auto result = agate::test::agate(tmp / "plain/dir", {"check"}, options);
  check_error_mentions(result, "not a git repository");

  auto missing =
      agate::test::agate(tmp.path(), {"-C", (tmp / "does-not-exist").string(), "check"}, options);
  check_error_mentions(missing, "does-not-exist");
}

TEST_CASE("bad input: a bare repository has no staged or worktree changes, but has commits") {
  TempDir tmp;
  GitRepo source(tmp / "source");
  make_initial_commit(source);
  source.git({"clone", "-q", "--bare", ".", (tmp / "bare.git").string()});
  GitRepo bare(tmp / "bare.git", /*init=*/false);

  check_error_mentions(agate_in(bare, {"check", "--staged"}), "bare");
  check_error_mentions(agate_in(bare, {"check", "--worktree"}), "bare");
  check_error_mentions(agate_in(bare, {"check"}), "bare");

  auto commit = agate_in(bare, {"check", "--commit", "HEAD", "--format", "json"});
  CHECK(commit.exit_code == 0);
  CHECK(parse_report(commit)["summary"]["files_checked"] == 2);

  // `agate init` has no work tree to write to, and writes nowhere else.
  fs::create_directories(tmp / "elsewhere");
  RunOptions options;
  options.env = bare.env();
  auto init =
      agate::test::agate(tmp / "elsewhere", {"-C", (tmp / "bare.git").string(), "init"}, options);
  check_error_mentions(init, "bare");
  CHECK_FALSE(fs::exists(tmp / "elsewhere/.agate"));
  CHECK_FALSE(fs::exists(tmp / "bare.git/.agate"));
}

TEST_CASE("bad input: unknown revisions for --commit and --range") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  check_error_mentions(agate_in(repo, {"check", "--commit", "no-such-branch"}), "no-such-branch");
  check_error_mentions(agate_in(repo, {"check", "--commit", "0123456789abcdef0123"}),
                       "0123456789abcdef0123");
  check_error_mentions(agate_in(repo, {"check", "--range", "no-such-base..HEAD"}), "no-such-base");
  check_error_mentions(agate_in(repo, {"check", "--range", "HEAD..no-such-head"}), "no-such-head");
  check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD~5"}), "HEAD~5");
  // A revision that names a tree or a blob is not a commit.
  check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD^{tree}"}), "commit");
  check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD:app/main.py"}), "commit");
}

TEST_CASE("bad input: a malformed --range") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.commit_all("second");
  for (const char* range :
       {"HEAD", "..HEAD", "HEAD..", "HEAD~1...HEAD", "HEAD~1..HEAD..HEAD", ".."}) {
    CAPTURE(range);
    check_error_mentions(agate_in(repo, {"check", "--range", range}), "--range");
  }
  CHECK(agate_in(repo, {"check", "--range", "HEAD~1..HEAD"}).exit_code == 0);
}

TEST_CASE("bad input: an unborn HEAD has no commit to check, but its staged files can be") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD"}), "HEAD");
  check_error_mentions(agate_in(repo, {"check", "--range", "HEAD~1..HEAD"}), "HEAD");

  repo.write("service/records.py", python_code(1200));
  repo.write("README.md", "records\n");
  repo.add_all();
  auto staged = agate_in(repo, {"check", "--format", "json"});
  CHECK(staged.exit_code == 1);
  auto report = parse_report(staged);
  CHECK(report["summary"]["files_checked"] == 2);
  CHECK(findings_of(report, "size/oversized-change").size() == 1);
  auto worktree = agate_in(repo, {"check", "--worktree", "--format", "json"});
  CHECK(worktree.exit_code == 1);
  CHECK(parse_report(worktree)["summary"]["files_checked"] == 2);
}

TEST_CASE("bad input: corrupt objects are named, not crashed on") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);

  SUBCASE("a file's blob in the commit under review") {
    repo.write("app/records.py", python_code(40));
    repo.commit_all("records");
    auto blob = rev_parse(repo, "HEAD:app/records.py");
    corrupt_object(repo, blob);
    check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD"}), blob);
    check_error_mentions(agate_in(repo, {"check", "--range", "HEAD~1..HEAD"}), blob);
  }
  SUBCASE("a staged blob") {
    repo.write("app/records.py", python_code(40));
    repo.git({"add", "app/records.py"});
    auto blob = rev_parse(repo, ":app/records.py");
    corrupt_object(repo, blob);
    check_error_mentions(agate_in(repo, {"check", "--staged"}), blob);
  }
  SUBCASE("the tree of the commit under review") {
    repo.write("app/records.py", python_code(40));
    repo.commit_all("records");
    auto tree = rev_parse(repo, "HEAD^{tree}");
    corrupt_object(repo, tree);
    check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD"}), tree);
  }
  SUBCASE("the commit object itself") {
    auto commit = repo.head();
    corrupt_object(repo, commit);
    check_error_mentions(agate_in(repo, {"check", "--commit", "HEAD"}), commit);
    check_error_mentions(agate_in(repo, {"check"}), commit);
  }
}

TEST_CASE("bad input: --commit and --range do not need a readable index") {
  // Reviewing commits reads only objects: a broken index (an interrupted git, a CI cache)
  // must not stop it, as it does not stop `git show` or `git diff A B`.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("app/records.py", python_code(40));
  repo.commit_all("records");
  write_file(repo.dir() / ".git/index", "this is not an index\n");
  auto show = repo.git_result({"show", "--stat", "HEAD"});
  REQUIRE(show.exit_code == 0);

  auto commit = agate_in(repo, {"check", "--commit", "HEAD"});
  CHECK_MESSAGE(commit.exit_code == 0, commit.err);
  auto range = agate_in(repo, {"check", "--range", "HEAD~1..HEAD"});
  CHECK_MESSAGE(range.exit_code == 0, range.err);
  // The staged change does need it: one clear line.
  check_error_mentions(agate_in(repo, {"check", "--staged"}), "index");
}

TEST_CASE("bad input: an unreadable or invalid policy") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.add_all();
  auto config = repo.dir() / ".agate/config.json";

  SUBCASE("a directory where the file should be") {
    fs::create_directories(config);
    auto result = agate_in(repo, {"check"});
    check_error_mentions(result, ".agate/config.json");
    CHECK(result.err.find("directory") != std::string::npos);
  }
  SUBCASE("a file without read permission") {
    if (::geteuid() == 0) {
      MESSAGE("running as root: permissions do not prevent reading, skipped");
      return;
    }
    write_file(config, "{}\n");
    fs::permissions(config, fs::perms::none);
    check_error_mentions(agate_in(repo, {"check"}), ".agate/config.json");
    fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  }
  SUBCASE("a value of the wrong type") {
    write_file(config, "{\"size\": {\"warn_lines\": \"50\"}}\n");
    check_error_mentions(agate_in(repo, {"check"}), "size.warn_lines");
  }
  SUBCASE("not JSON") {
    write_file(config, "size:\n  warn_lines: 50\n");
    check_error_mentions(agate_in(repo, {"check"}), "invalid JSON");
  }
}

TEST_CASE("bad input: command lines that do not parse") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{"frobnicate"}, "frobnicate"},
      {{"check", "--frobnicate"}, "--frobnicate"},
      {{"--frobnicate"}, "--frobnicate"},
      {{"check", "--force"}, "--force"},
      {{"init", "--commit", "HEAD"}, "--commit"},
      {{"install", "--format", "json"}, "--format"},
      {{"check", "--format", "bogus"}, "bogus"},
      {{"check", "--format=bogus"}, "bogus"},
      {{"check", "--fail-on", "note"}, "--fail-on"},
      {{"check", "--fail-on", "sometimes"}, "sometimes"},
      {{"check", "--color", "purple"}, "purple"},
      {{"check", "--format", "json", "--color", "purple"}, "purple"},
      {{"check", "--commit"}, "--commit"},
      {{"check", "--commit", ""}, "--commit"},
      {{"check", "--range", ""}, "--range"},
      {{"check", "--format", ""}, "--format"},
      {{"check", "-o", ""}, "--output"},
      {{"check", "--staged", "--commit", "HEAD"}, "--staged"},
      {{"check", "--staged=yes"}, "--staged"},
      {{"check", "HEAD"}, "HEAD"},
      {{"help", "frobnicate"}, "frobnicate"},
      {{"-C"}, "-C"},
  };
  for (const auto& c : cases) {
    std::string joined;
    for (const auto& arg : c.args) {
      joined += "[" + arg + "] ";
    }
    CAPTURE(joined);
    check_error_mentions(agate_in(repo, c.args), c.mentions);
  }
}

TEST_CASE("bad input: a report that cannot be written leaves nothing behind") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto missing_dir = tmp / "no/such/dir/report.json";
  auto result = agate_in(repo, {"check", "--format", "json", "-o", missing_dir.string()});
  check_error_mentions(result, "report.json");
  CHECK(result.out.empty());
  CHECK_FALSE(fs::exists(tmp / "no"));

  // A directory in the way: no temporary file is left beside it.
  fs::create_directories(tmp / "out/report.json");
  auto blocked =
      agate_in(repo, {"check", "--format", "json", "-o", (tmp / "out/report.json").string()});
  check_error_mentions(blocked, "report.json");
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(tmp / "out")) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == 1);

  // A configuration error after -o was given does not create the file either.
  write_file(repo.dir() / ".agate/config.json", "{\"fail_on\": 3}\n");
  auto out = tmp / "report.json";
  check_error_mentions(agate_in(repo, {"check", "--format", "json", "-o", out.string()}),
                       "fail_on");
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("bad input: a repository owned by another user is trusted as git trusts it") {
  // CI containers often run as root on a checkout owned by someone else. Like git, agate refuses
  // such a repository unless git's safe.directory (global config) names it, or is `*`.
  if (::geteuid() != 0) {
    MESSAGE("not root: cannot give the repository to another user, skipped");
    return;
  }
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("app/main.py", "def main():\n    return 1\n");
  repo.add_all();
  auto chown = run({"chown", "-R", "65534:65534", repo.dir().string()});
  REQUIRE_MESSAGE(chown.exit_code == 0, chown.err);

  auto home = tmp / "home";
  auto with_global_config = [&](const std::string& config) {
    write_file(home / ".gitconfig", config);
    RunOptions options;
    options.env["HOME"] = home.string();
    options.env["GIT_CONFIG_GLOBAL"] = (home / ".gitconfig").string();
    return agate_in(repo, {"check"}, options);
  };
  auto refused = with_global_config("");
  check_error_mentions(refused, "safe.directory");
  CHECK(refused.err.find(repo.dir().string()) != std::string::npos);

  auto named = with_global_config("[safe]\n\tdirectory = " + repo.dir().string() + "\n");
  CHECK_MESSAGE(named.exit_code == 0, named.err);

  // git 2.36+ accepts `*` (what CI images commonly set); libgit2 1.5 alone does not.
  auto everything = with_global_config("[safe]\n\tdirectory = *\n");
  CHECK_MESSAGE(everything.exit_code == 0, everything.err);
}
