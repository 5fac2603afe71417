// End-to-end tests of `agate check`'s source selection and size gate, with the real binary on
// real repositories made with the git CLI: --staged (the default), --worktree, --commit (a root
// commit, a merge commit by what it adds beyond its parents, an empty commit) and --range (each
// commit and the range as a whole); exit codes under --fail-on; files that never count toward the
// size (lock files, generated, vendored, prompt records); unusual files (names with spaces and
// Unicode, CRLF, non-UTF-8 bytes, binary, symlink, submodule); the index left untouched; the
// GIT_INDEX_FILE a hook sees; and `agate help check` / `agate --version`.
#include "gate/app/cli.hpp"
#include "tests/e2e/e2e_support.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <map>

namespace {

using namespace agate::test;
using namespace agate::test::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

void make_initial_commit(GitRepo& repo) {
  repo.write("app/__init__.py", "");
  repo.write("app/main.py", "def main():\n    return 0\n");
  repo.commit_all("initial");
}

// About 1200 changed lines in three languages: an error under the default policy.
void write_oversized_change(GitRepo& repo) {
  repo.write("service/records.py", python_code(400));
  repo.write("service/billing/billing.go", go_code(400));
  repo.write("web/src/records.js", javascript_code(400));
}

std::vector<std::string> commit_ids(const json& report) {
  std::vector<std::string> ids;
  for (const auto& commit : report.at("source").at("commits")) {
    ids.push_back(commit.at("id").get<std::string>());
  }
  return ids;
}

std::string rev_parse(GitRepo& repo, const std::string& rev) {
  auto out = repo.git({"rev-parse", rev});
  return out.substr(0, out.find('\n'));
}

struct FileStamp {
  std::string bytes;
  struct timespec mtime {};
};

FileStamp stamp(const fs::path& path) {
  FileStamp result;
  result.bytes = read_file(path);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  result.mtime = st.st_mtim;
  return result;
}

} // namespace

TEST_CASE("check e2e: --staged is the default and reviews only what is staged") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_oversized_change(repo);
  repo.git({"add", "service", "web"});
  repo.write("app/main.py", "def main():\n    return 1\n"); // unstaged: not reviewed

  for (auto args : {std::vector<std::string>{"check", "--format", "json"},
                    std::vector<std::string>{"check", "--staged", "--format", "json"}}) {
    auto result = agate_in(repo, args);
    CHECK(result.exit_code == 1);
    auto report = parse_report(result);
    CHECK(report["source"]["kind"] == "staged");
    CHECK(report["summary"]["files_checked"] == 3);
    auto oversized = findings_of(report, "size/oversized-change");
    REQUIRE(oversized.size() == 1);
    CHECK(oversized[0]["severity"] == "error");
    CHECK(oversized[0]["file"] == "");
    CHECK(oversized[0]["change"] == "staged");
    CHECK(oversized[0]["evidence"]["changed_lines"].get<int>() >= 1200);
    CHECK(report["summary"]["failed"] == true);
  }

  // From a subdirectory, the same repository and the same change.
  auto from_subdir = agate_in(repo, {"-C", "service", "check", "--format", "json"});
  CHECK(from_subdir.exit_code == 1);
  CHECK(parse_report(from_subdir)["summary"]["files_checked"] == 3);

  // --fail-on never reports the same finding and passes.
  auto never = agate_in(repo, {"check", "--format", "json", "--fail-on", "never"});
  CHECK(never.exit_code == 0);
  auto report = parse_report(never);
  CHECK(findings_of(report, "size/oversized-change").size() == 1);
  CHECK(report["summary"]["failed"] == false);
  CHECK(report["summary"]["fail_on"] == "never");

  // The text report names the rule and says the gate failed.
  auto text = agate_in(repo, {"check"});
  CHECK(text.exit_code == 1);
  CHECK(text.out.find("size/oversized-change") != std::string::npos);
  CHECK(text.out.find("FAILED") != std::string::npos);
}

TEST_CASE("check e2e: --worktree reviews staged and unstaged changes of tracked files") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("service/records.py", python_code(20));
  repo.commit_all("initial");
  repo.write("service/records.py", python_code(20) + python_code(440, "more_"));
  repo.write("service/untracked.py", python_code(1200, "draft_")); // untracked: never reviewed

  auto staged = agate_in(repo, {"check", "--staged", "--format", "json"});
  CHECK(staged.exit_code == 0);
  auto staged_report = parse_report(staged);
  CHECK(staged_report["findings"].empty());
  CHECK(staged_report["summary"]["files_checked"] == 0);

  auto worktree = agate_in(repo, {"check", "--worktree", "--format", "json"});
  CHECK(worktree.exit_code == 0); // a warning does not fail the default gate
  auto report = parse_report(worktree);
  CHECK(report["source"]["kind"] == "worktree");
  CHECK(report["summary"]["files_checked"] == 1);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "warning");
  CHECK(oversized[0]["change"] == "worktree");

  CHECK(agate_in(repo, {"check", "--worktree", "--fail-on", "warning"}).exit_code == 1);
  // Nothing was staged or written by checking.
  CHECK(repo.git({"diff", "--cached", "--name-only"}).empty());
}

TEST_CASE("check e2e: a 450-line change warns and fails only with --fail-on warning") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  write_size_policy(repo);
  repo.write("service/billing/billing.go", go_code(250));
  repo.write("web/src/records.js", javascript_code(200));
  repo.add_all();

  auto result = agate_in(repo, {"check", "--format", "json"});
  CHECK(result.exit_code == 0);
  auto report = parse_report(result);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "warning");
  int changed = oversized[0]["evidence"]["changed_lines"].get<int>();
  CHECK(changed > 400);
  CHECK(changed <= 1000);
  CHECK(report["summary"]["warning"] == 1);
  CHECK(report["summary"]["error"] == 0);

  CHECK(agate_in(repo, {"check", "--fail-on", "warning"}).exit_code == 1);
  CHECK(agate_in(repo, {"check", "--fail-on", "error"}).exit_code == 0);
  CHECK(agate_in(repo, {"check", "--fail-on", "never"}).exit_code == 0);
  CHECK(agate_in(repo, {"check", "--fail-on=warning"}).exit_code == 1);
}

TEST_CASE("check e2e: --commit of a root commit compares it with the empty tree") {
  TempDir tmp;
  GitRepo big(tmp / "big");
  write_oversized_change(big);
  auto root = big.commit_all("the whole service at once");

  auto result = agate_in(big, {"check", "--commit", root, "--format", "json"});
  CHECK(result.exit_code == 1);
  auto report = parse_report(result);
  CHECK(report["source"]["kind"] == "commit");
  CHECK(report["source"]["policy_revision"] == ""); // no parent: the built-in policy
  CHECK(commit_ids(report) == std::vector<std::string>{root});
  CHECK(report["source"]["commits"][0]["summary"] == "the whole service at once");
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "error");
  CHECK(oversized[0]["change"] == root.substr(0, 7));

  GitRepo small(tmp / "small");
  make_initial_commit(small);
  auto small_result = agate_in(small, {"check", "--commit", "HEAD", "--format", "json"});
  CHECK(small_result.exit_code == 0);
  auto small_report = parse_report(small_result);
  CHECK(small_report["findings"].empty());
  CHECK(small_report["summary"]["files_checked"] == 2);
}

TEST_CASE("check e2e: --commit of a merge commit judges what it adds beyond its parents") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("app/feature.py", python_code(30, "feature_"));
  repo.commit_all("small feature");
  repo.git({"checkout", "-q", "main"});
  write_oversized_change(repo);
  auto big = repo.commit_all("big change on main");
  repo.git({"merge", "-q", "--no-ff", "--no-edit", "-m", "merge feature", "feature"});
  auto merge = repo.head();
  REQUIRE(rev_parse(repo, "HEAD^1") == big);

  // Against its first parent the merge brings only the feature's small file, unchanged from the
  // branch where it was reviewed: nothing of its own to check.
  auto result = agate_in(repo, {"check", "--commit", merge, "--format", "json"});
  CHECK(result.exit_code == 0);
  auto report = parse_report(result);
  CHECK(report["findings"].empty());
  CHECK(report["summary"]["files_checked"] == 0);
  CHECK(report["source"]["base"] == big);
  CHECK(report["source"]["head"] == merge);
  CHECK(report["source"]["policy_revision"] == big);

  // The big commit itself is caught.
  CHECK(agate_in(repo, {"check", "--commit", big}).exit_code == 1);
  CHECK(agate_in(repo, {"check", "--commit", "HEAD^1"}).exit_code == 1);
}

TEST_CASE("check e2e: --commit of an empty commit has nothing to report") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto empty = repo.commit("an empty commit");
  auto result = agate_in(repo, {"check", "--commit", empty, "--format", "json"});
  CHECK(result.exit_code == 0);
  auto report = parse_report(result);
  CHECK(report["findings"].empty());
  CHECK(report["summary"]["files_checked"] == 0);
  CHECK(report["summary"]["changes_checked"] == 1);
  CHECK(commit_ids(report) == std::vector<std::string>{empty});
}

TEST_CASE("check e2e: --range judges each commit and the range as a whole") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();
  repo.write("service/records.py", python_code(450));
  auto first = repo.commit_all("records");
  repo.write("service/billing/billing.go", go_code(450));
  auto second = repo.commit_all("billing");
  repo.write("web/src/records.js", javascript_code(150));
  auto third = repo.commit_all("records view");

  auto result = agate_in(repo, {"check", "--range", base + ".." + third, "--format", "json"});
  CHECK(result.exit_code == 1);
  auto report = parse_report(result);
  CHECK(report["source"]["kind"] == "range");
  CHECK(commit_ids(report) == std::vector<std::string>{first, second, third});
  CHECK(report["source"]["policy_revision"] == base);
  CHECK(report["summary"]["changes_checked"] == 4);

  // The two large commits warn on their own; the range as a whole is an error.
  std::map<std::string, std::string> by_change;
  for (const auto& finding : findings_of(report, "size/oversized-change")) {
    by_change[finding["change"].get<std::string>()] = finding["severity"].get<std::string>();
  }
  std::string range_label = base.substr(0, 7) + ".." + third.substr(0, 7);
  CHECK(by_change == std::map<std::string, std::string>{{first.substr(0, 7), "warning"},
                                                        {second.substr(0, 7), "warning"},
                                                        {range_label, "error"}});

  // Symbolic revisions work the same way.
  auto symbolic = agate_in(repo, {"check", "--range", "HEAD~3..HEAD", "--format", "json"});
  CHECK(symbolic.exit_code == 1);
  CHECK(commit_ids(parse_report(symbolic)) == std::vector<std::string>{first, second, third});

  // An empty range has nothing to report.
  auto empty = agate_in(repo, {"check", "--range", "HEAD..HEAD", "--format", "json"});
  CHECK(empty.exit_code == 0);
  auto empty_report = parse_report(empty);
  CHECK(empty_report["findings"].empty());
  CHECK(empty_report["source"]["commits"].empty());
}

TEST_CASE("check e2e: a finding the range repeats from one of its commits is reported once") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  auto base = repo.head();
  write_oversized_change(repo);
  repo.commit_all("everything at once");
  repo.commit("an empty follow-up");

  // The range holds exactly the oversized commit's lines: one finding, not two.
  auto result = agate_in(repo, {"check", "--range", base + "..HEAD", "--format", "json"});
  CHECK(result.exit_code == 1);
  auto report = parse_report(result);
  CHECK(report["source"]["commits"].size() == 2);
  CHECK(findings_of(report, "size/oversized-change").size() == 1);
  CHECK(report["summary"]["error"] == 1);

  // A range of one commit is that commit, judged once.
  auto one = agate_in(repo, {"check", "--range", base + "..HEAD~1", "--format", "json"});
  CHECK(one.exit_code == 1);
  CHECK(findings_of(parse_report(one), "size/oversized-change").size() == 1);
}

TEST_CASE(
    "check e2e: lock, generated, vendored files and prompt records do not count toward size") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);

  SUBCASE("a 2000-line lock file alone passes, with a note") {
    std::string lock = "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n";
    for (int i = 0; count_lines(lock) < 2000; ++i) {
      lock += "    \"node_modules/pkg-" + std::to_string(i) + "\": {\n      \"version\": \"1." +
              std::to_string(i % 17) + ".0\",\n      \"integrity\": \"sha512-" +
              std::to_string(i * 7919) + "\"\n    },\n";
    }
    lock += "    \"\": {}\n  }\n}\n";
    repo.write("web/package-lock.json", lock);
    repo.add_all();
    auto result = agate_in(repo, {"check", "--format", "json"});
    CHECK(result.exit_code == 0);
    auto report = parse_report(result);
    CHECK(report["findings"].empty());
    REQUIRE(report["notes"].size() == 1);
    CHECK(report["notes"][0]["message"] == "not analyzed as code: 1 lock file");
  }

  SUBCASE("generated, vendored and prompt-record files are skipped and noted") {
    repo.write(".gitattributes", "api/generated/** linguist-generated\n");
    repo.write("api/generated/client.py", python_code(1500, "gen_"));
    repo.write("vendor/github.com/acme/lib/lib.go", go_code(1500, "lib"));
    repo.write("app/main.py", "def main():\n    return 1\n");
    repo.add_all();
    // A real record of a 1500-line prompt, made and staged by `agate record`.
    std::string prompt;
    for (int i = 0; i < 1500; ++i) {
      prompt += "line " + std::to_string(i) + " of the prompt\n";
    }
    write_file(tmp.path() / "prompt.txt", prompt);
    auto recorded = agate_in(repo, {"record", "--prompt-file", (tmp.path() / "prompt.txt").string(),
                                    "--tool", "claude-code"});
    REQUIRE(recorded.exit_code == 0);

    auto staged = agate_in(repo, {"check", "--format", "json"});
    CHECK(staged.exit_code == 0);
    auto report = parse_report(staged);
    CHECK(findings_of(report, "size/oversized-change").empty());
    std::string notes = report["notes"].dump();
    CHECK(notes.find("generated") != std::string::npos);
    CHECK(notes.find("vendored") != std::string::npos);
    CHECK(notes.find("prompt record") != std::string::npos);

    // The same holds for the commit, whose attributes come from the commit itself.
    repo.commit("generated client, vendored library, prompt record");
    auto commit = agate_in(repo, {"check", "--commit", "HEAD", "--format", "json"});
    CHECK(commit.exit_code == 0);
    CHECK(findings_of(parse_report(commit), "size/oversized-change").empty());

    // The text report says what was skipped.
    auto text = agate_in(repo, {"check", "--commit", "HEAD"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("not analyzed as code") != std::string::npos);
  }
}

TEST_CASE("check e2e: a file too large to parse still counts toward the size of the change") {
  // Not parsing a file (limits.max_file_bytes) must not take its lines out of the size gate:
  // otherwise one big enough file passes with only a note.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write(".agate/config.json", "{\"limits\": {\"max_file_bytes\": 20000}}\n");
  repo.commit_all("policy");
  auto code = python_code(1200);
  REQUIRE(code.size() > 20000);
  repo.write("service/records.py", code);
  repo.add_all();

  auto result = agate_in(repo, {"check", "--format", "json"});
  auto report = parse_report(result);
  CHECK(report["notes"].dump().find("service/records.py") != std::string::npos);
  CHECK(result.exit_code == 1);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "error");
}

TEST_CASE("check e2e: unusual files are reviewed without a crash in every format") {
  TempDir tmp;
  GitRepo sub(tmp / "sub");
  sub.write("README.md", "a library\n");
  sub.commit_all("library");
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);

  // Spaces, Unicode and '#' in the name, CRLF line ends: 150 functions of 4 lines.
  std::string crlf;
  for (int i = 0; i < 150; ++i) {
    crlf += "def scale_" + std::to_string(i) + "(a):\r\n    b = a * " + std::to_string(i) +
            "\r\n    return b + 1\r\n\r\n";
  }
  const std::string spaced = "src/dir \xc3\xbc/my file #1.py";
  repo.write(spaced, crlf);
  repo.write("latin1.py", "caf\xe9 = 1\nna\xefve = 2\n"); // not UTF-8 content
  repo.write("bad\xffname.py", "x = 1\n");                // not UTF-8 name
  std::string binary(3000, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) {
    binary[i] = static_cast<char>((i * 131) % 256);
  }
  repo.write("assets/logo.bin", binary);
  fs::create_symlink("app/main.py", repo.dir() / "link.py");
  repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", (tmp / "sub").string(),
            "third/sub"});
  repo.add_all();

  auto json_run = agate_in(repo, {"check", "--format", "json"});
  CHECK(json_run.exit_code == 0);
  CHECK(json_run.err.empty());
  auto report = parse_report(json_run);
  // The spaced file, latin1.py, the badly named file, the binary, the symlink, the submodule and
  // .gitmodules.
  CHECK(report["summary"]["files_checked"] == 7);
  auto oversized = findings_of(report, "size/oversized-change");
  REQUIRE(oversized.size() == 1);
  CHECK(oversized[0]["severity"] == "warning");
  // CRLF lines count once each: 600 lines in the spaced file, 2 + 1 in the others, 1 in
  // .gitmodules at least (its exact length is git's).
  CHECK(oversized[0]["evidence"]["added_lines"].get<int>() >= 604);
  CHECK(oversized[0]["evidence"]["added_lines"].get<int>() <= 610);
  CHECK(oversized[0]["evidence"].dump().find("my file #1.py") != std::string::npos);

  for (const char* format : {"text", "sarif", "github", "markdown"}) {
    CAPTURE(format);
    auto result = agate_in(repo, {"check", "--format", format});
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK(!result.out.empty());
  }
  auto sarif = agate_in(repo, {"check", "--format", "sarif"});
  auto sarif_json = json::parse(sarif.out, nullptr, false);
  REQUIRE_FALSE(sarif_json.is_discarded());
  CHECK(sarif_json["runs"][0]["results"].size() == 1);

  // The same files as a commit and in the work tree.
  repo.commit("unusual files");
  CHECK(agate_in(repo, {"check", "--commit", "HEAD", "--format", "json"}).exit_code == 0);
  repo.write(spaced, crlf + "def extra(a):\r\n    return a\r\n");
  fs::remove(repo.dir() / "link.py");
  fs::create_symlink("latin1.py", repo.dir() / "link.py");
  auto worktree = agate_in(repo, {"check", "--worktree", "--format", "json"});
  CHECK(worktree.exit_code == 0);
  CHECK(parse_report(worktree)["summary"]["files_checked"] == 2);
}

TEST_CASE("check e2e: a linked worktree is checked like the main one") {
  // Agents often work in a `git worktree add` checkout, where .git is a file.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write(".agate/config.json", "{\"size\": {\"warn_lines\": 50}}\n");
  repo.commit_all("policy");
  repo.git({"worktree", "add", "-q", "-b", "agent", (tmp / "agent").string()});
  GitRepo linked(tmp / "agent", /*init=*/false);
  REQUIRE(fs::is_regular_file(linked.dir() / ".git"));
  linked.write("service/records.py", python_code(60));
  linked.git({"add", "service/records.py"});

  auto staged = agate_in(linked, {"check", "--format", "json", "--fail-on", "warning"});
  CHECK(staged.exit_code == 1);
  auto report = parse_report(staged);
  CHECK(findings_of(report, "size/oversized-change").size() == 1);
  CHECK(report["summary"]["files_checked"] == 1);
  // The main work tree's index is its own.
  CHECK(parse_report(agate_in(repo, {"check", "--format", "json"}))["findings"].empty());

  auto commit = linked.commit("records");
  auto committed = agate_in(linked, {"check", "--commit", commit, "--format", "json"});
  CHECK(committed.exit_code == 0);
  CHECK(findings_of(parse_report(committed), "size/oversized-change").size() == 1);
  CHECK(agate_in(repo, {"check", "--range", "main..agent"}).exit_code == 0);
}

TEST_CASE("check e2e: checking never changes the index") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  repo.write("service/records.py", python_code(120));
  repo.git({"add", "service/records.py"});
  repo.write("app/main.py", "def main():\n    return 1\n"); // unstaged
  auto index = repo.dir() / ".git/index";
  auto before = stamp(index);

  for (auto args :
       {std::vector<std::string>{"check"}, std::vector<std::string>{"check", "--worktree"},
        std::vector<std::string>{"check", "--commit", "HEAD"},
        std::vector<std::string>{"check", "--range", "HEAD..HEAD"}}) {
    CAPTURE(args.back());
    CHECK(agate_in(repo, args).exit_code == 0);
    auto after = stamp(index);
    CHECK(after.bytes == before.bytes);
    CHECK(after.mtime.tv_sec == before.mtime.tv_sec);
    CHECK(after.mtime.tv_nsec == before.mtime.tv_nsec);
  }
  CHECK_FALSE(fs::exists(repo.dir() / ".git/index.lock"));
}

TEST_CASE("check e2e: GIT_INDEX_FILE selects the index the hook sees") {
  // `git commit -a` runs pre-commit with GIT_INDEX_FILE pointing at a temporary index, relative
  // to the top of the work tree (e.g. .git/next-index-123.lock): agate must review that one.
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  make_initial_commit(repo);
  fs::copy_file(repo.dir() / ".git/index", repo.dir() / ".git/next-index-42.lock");
  repo.write("service/records.py", python_code(1200));
  RunOptions add_options;
  add_options.cwd = repo.dir();
  add_options.env = repo.env();
  add_options.env["GIT_INDEX_FILE"] = ".git/next-index-42.lock";
  auto added = run({"git", "add", "service/records.py"}, add_options);
  REQUIRE_MESSAGE(added.exit_code == 0, added.err);

  // The real index has nothing staged.
  auto plain = agate_in(repo, {"check", "--format", "json"});
  CHECK(plain.exit_code == 0);
  CHECK(parse_report(plain)["findings"].empty());

  for (std::string index_file : {std::string(".git/next-index-42.lock"),
                                 (repo.dir() / ".git/next-index-42.lock").string()}) {
    CAPTURE(index_file);
    RunOptions options;
    options.env["GIT_INDEX_FILE"] = index_file;
    auto hooked = agate_in(repo, {"check", "--format", "json"}, options);
    CHECK(hooked.exit_code == 1);
    auto report = parse_report(hooked);
    CHECK(report["summary"]["files_checked"] == 1);
    CHECK(findings_of(report, "size/oversized-change").size() == 1);
  }
}

TEST_CASE("check e2e: `agate help check` lists every flag of the check command") {
  TempDir tmp;
  auto help = agate::test::agate(tmp.path(), {"help", "check"});
  CHECK(help.exit_code == 0);
  CHECK(help.err.empty());
  int flags = 0;
  for (const auto& flag : agate::gate::flag_definitions()) {
    bool for_check =
        std::find(flag.commands.begin(), flag.commands.end(), "check") != flag.commands.end();
    CAPTURE(flag.name);
    if (for_check) {
      ++flags;
      CHECK(help.out.find(std::string(flag.name)) != std::string::npos);
      if (!flag.short_name.empty()) {
        CHECK(help.out.find(std::string(flag.short_name) + ", ") != std::string::npos);
      }
      if (!flag.value_name.empty()) {
        CHECK(help.out.find(std::string(flag.name) + " " + std::string(flag.value_name)) !=
              std::string::npos);
      }
    } else {
      CHECK(help.out.find(std::string(flag.name)) == std::string::npos);
    }
  }
  CHECK(flags >= 10);
  // `check --help` is the same text.
  CHECK(agate::test::agate(tmp.path(), {"check", "--help"}).out == help.out);
}

TEST_CASE("check e2e: `agate --version` and `agate version` print the version") {
  TempDir tmp;
  for (const char* arg : {"--version", "version", "-V"}) {
    CAPTURE(arg);
    auto result = agate::test::agate(tmp.path(), {arg});
    CHECK(result.exit_code == 0);
    // One line: the version, then the commit and the build date.
    CHECK(result.out.starts_with(std::string("agate ") + AGATE_VERSION + " (commit "));
    CHECK(result.out.find(", built 20") != std::string::npos);
    CHECK(result.out.ends_with(")\n"));
    CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 1);
    CHECK(result.err.empty());
  }
}
