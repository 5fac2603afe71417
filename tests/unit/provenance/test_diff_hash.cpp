// The diff hash that binds a prompt record to its change: equal for the same patch wherever it
// lands (a rebase moves its lines, a squash adds other files' blocks), different as soon as one
// changed line differs, and blind to prompt records themselves.
#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "gate/util/sha256.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

using namespace agate;
using namespace agate::test;

namespace {

gate::DiffHash hash_of_commit(const fs::path& dir, const std::string& rev) {
  auto repo = gate::Repository::open(dir);
  REQUIRE(repo);
  gate::Selection selection;
  selection.mode = gate::SelectionMode::commit;
  selection.rev = rev;
  auto loaded = gate::load_changes(*repo, selection, {});
  REQUIRE(loaded);
  return gate::diff_hash(loaded->changes.front().files);
}

std::string numbered(int from, int to, const std::string& extra_at_50 = "") {
  std::string out;
  for (int i = from; i <= to; ++i) {
    out += "line " + std::to_string(i) + "\n";
    if (i == 50 && !extra_at_50.empty()) {
      out += extra_at_50;
    }
  }
  return out;
}

} // namespace

TEST_CASE("sha256 matches the standard test vectors") {
  CHECK(gate::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(gate::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("diff hash: the same patch rebased onto another base hashes the same") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("a.txt", numbered(1, 100));
  git.write("b.txt", "b\n");
  git.commit_all("base");
  git.git({"checkout", "-q", "-b", "feature"});
  git.write("a.txt", numbered(1, 100, "agent line\n"));
  auto feature = git.commit_all("agent change");
  auto before = hash_of_commit(tmp.path(), feature);

  // main moves on: lines added at the top of a.txt shift the agent's hunk.
  git.git({"checkout", "-q", "main"});
  git.write("a.txt", "new first line\n" + numbered(1, 100));
  git.commit_all("upstream change");
  git.git({"checkout", "-q", "feature"});
  git.git({"rebase", "-q", "main"});
  auto rebased = git.head();
  REQUIRE(rebased != feature);
  auto after = hash_of_commit(tmp.path(), rebased);
  CHECK(after.sha256 == before.sha256);
  CHECK(after.files == before.files);
  CHECK(after.added_lines == 1);

  // One more changed line and the hash differs, for the whole and for that file.
  git.write("a.txt", "new first line\n" + numbered(1, 100, "agent line, edited\n"));
  auto edited = git.commit_all("human touch-up");
  git.git({"reset", "-q", "--soft", "HEAD~2"});
  auto squashed = git.commit("agent change, touched up");
  (void)edited;
  auto touched = hash_of_commit(tmp.path(), squashed);
  CHECK(touched.sha256 != before.sha256);
  CHECK(touched.files.at("a.txt") != before.files.at("a.txt"));
}

TEST_CASE("diff hash: prompt records are left out, renames and binary files are covered") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("old_name.py", "def f():\n    return 1\n");
  git.write("image.bin", std::string("\x00\x01\x02binary", 9));
  git.commit_all("base");
  git.git({"mv", "old_name.py", "new_name.py"});
  git.write("image.bin", std::string("\x00\x01\x03binary", 9));
  auto without_record = git.commit_all("rename and binary");
  auto first = hash_of_commit(tmp.path(), without_record);
  CHECK(first.files.count("new_name.py") == 1);
  CHECK(first.files.count("image.bin") == 1);

  git.git({"reset", "-q", "--soft", "HEAD~1"});
  git.write(".agate/prompts/20261125T000000Z-abcdef01.json", "{}\n");
  auto with_record = git.commit_all("rename and binary, with its record");
  auto second = hash_of_commit(tmp.path(), with_record);
  CHECK(second.sha256 == first.sha256);
  CHECK(second.files.count(".agate/prompts/20261125T000000Z-abcdef01.json") == 0);
}

TEST_CASE("diff hash: the normalized patch names both paths and only changed lines") {
  gate::FileChange file;
  file.old_path = "a.py";
  file.new_path = "b.py";
  file.old_mode = 0100644;
  file.new_mode = 0100755;
  gate::Hunk hunk;
  hunk.lines = {{' ', 1, 1, "context"}, {'-', 2, 0, "old"}, {'+', 0, 2, "new"}};
  file.hunks.push_back(hunk);
  file.added_lines = 1;
  file.deleted_lines = 1;
  CHECK(gate::normalized_file_patch(file) == "file a.py b.py\nmode 100644 100755\n-old\n+new\n");
}
