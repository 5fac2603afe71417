// The change loader on real repositories made with the git CLI: every mode (staged, worktree,
// commit, range), every kind of file change (renames, copies, binaries, submodules, symlinks,
// mode changes, CRLF, non-UTF-8 bytes, odd file names), languages and flags from .gitattributes
// of the reviewed commit, and each repository error the user must be told about.
#include "gate/git/change_loader.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

namespace {

using namespace agate::gate;
using agate::test::GitRepo;
using agate::test::TempDir;
namespace fs = std::filesystem;

using agate::test::trimmed;

Repository open_ok(const fs::path& path) {
  auto repo = Repository::open(path);
  REQUIRE_MESSAGE(repo.ok(), (repo.ok() ? "" : repo.error()));
  return std::move(repo).value();
}

ChangeSet load_ok(Repository& repo, const Selection& selection, const LoadOptions& options = {}) {
  auto set = load_changes(repo, selection, options);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error()));
  return std::move(set).value();
}

std::string load_error(Repository& repo, const Selection& selection) {
  auto set = load_changes(repo, selection, LoadOptions{});
  REQUIRE_FALSE(set.ok());
  return set.error();
}

Selection staged() {
  return Selection{SelectionMode::staged, {}, {}, {}, {}, {}, {}};
}
Selection worktree() {
  return Selection{SelectionMode::worktree, {}, {}, {}, {}, {}, {}};
}
Selection commit(std::string rev) {
  return Selection{SelectionMode::commit, std::move(rev), {}, {}, {}, {}, {}};
}
Selection range(std::string base, std::string head) {
  return Selection{SelectionMode::range, {}, std::move(base), std::move(head), {}, {}, {}};
}

const FileChange& file(const Change& change, const std::string& path) {
  for (const auto& f : change.files) {
    if (f.path() == path) {
      return f;
    }
  }
  std::string paths;
  for (const auto& f : change.files) {
    paths += " " + f.path();
  }
  FAIL("no file " << path << " in the change; it has:" << paths);
  throw std::logic_error("unreachable");
}

std::vector<std::string> texts(const Hunk& hunk, char origin) {
  std::vector<std::string> out;
  for (const auto& line : hunk.lines) {
    if (line.origin == origin) {
      out.push_back(line.text);
    }
  }
  return out;
}

} // namespace

TEST_CASE("change loader: staged changes against HEAD, with hunks, line numbers and blob ids") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("keep.txt", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
  git.write("gone.txt", "bye\n");
  std::string head = git.commit_all("base");
  git.write("keep.txt", "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n");
  git.write("new.py", "print('hi')\n");
  git.remove("gone.txt");
  git.add_all();
  git.write("keep.txt", "unstaged content is not part of --staged\n");

  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, staged());
  CHECK(set.description == "staged changes");
  CHECK(set.policy_rev.empty());
  REQUIRE(set.changes.size() == 1);
  const Change& change = set.changes[0];
  CHECK(change.kind == ChangeKind::staged);
  CHECK(change.label == "staged");
  CHECK(change.base_rev == head);
  CHECK(change.files.size() == 3);

  const auto& keep = file(change, "keep.txt");
  CHECK(keep.status == FileStatus::modified);
  CHECK(keep.old_oid == trimmed(git.git({"rev-parse", "HEAD:keep.txt"})));
  CHECK(keep.new_oid == trimmed(git.git({"rev-parse", ":keep.txt"})));
  CHECK(keep.added_lines == 2);
  CHECK(keep.deleted_lines == 1);
  REQUIRE(keep.hunks.size() == 1);
  const Hunk& hunk = keep.hunks[0];
  CHECK(hunk.old_start == 1);
  CHECK(hunk.new_start == 1);
  CHECK(hunk.header.rfind("@@ -1,10 +1,11 @@", 0) == 0);
  CHECK(texts(hunk, '-') == std::vector<std::string>{"4"});
  CHECK(texts(hunk, '+') == std::vector<std::string>{"four", "11"});
  for (const auto& line : hunk.lines) {
    if (line.text == "four") {
      CHECK(line.old_line == 0);
      CHECK(line.new_line == 4);
    }
    if (line.origin == '-') {
      CHECK(line.old_line == 4);
      CHECK(line.new_line == 0);
    }
    if (line.text == "5") {
      CHECK(line.old_line == 5);
      CHECK(line.new_line == 5);
    }
  }

  const auto& added = file(change, "new.py");
  CHECK(added.status == FileStatus::added);
  CHECK(added.old_path.empty());
  CHECK(added.old_oid.empty());
  CHECK(added.language == "python");
  CHECK(added.new_mode == 0100644);
  CHECK(added.added_lines == 1);
  CHECK(added.parseable());
  CHECK(repo.content().blob(added.new_oid) == std::optional<std::string>("print('hi')\n"));

  const auto& gone = file(change, "gone.txt");
  CHECK(gone.status == FileStatus::deleted);
  CHECK(gone.new_path.empty());
  CHECK(gone.new_oid.empty());
  CHECK(gone.deleted_lines == 1);
}

TEST_CASE(
    "change loader: the worktree mode sees staged and unstaged changes, hashed but not written") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("a.py", "a = 1\n");
  git.write("b.py", "b = 1\n");
  git.commit_all("base");
  git.write("a.py", "a = 2\n");
  git.add_all();
  git.write("b.py", "b = 2\n");
  git.write("untracked.py", "u = 1\n");

  auto repo = open_ok(tmp.path());
  auto staged_set = load_ok(repo, staged());
  REQUIRE(staged_set.changes[0].files.size() == 1);
  CHECK(staged_set.changes[0].files[0].path() == "a.py");

  std::string objects_before = git.git({"count-objects", "-v"});
  auto set = load_ok(repo, worktree());
  CHECK(set.description == "worktree changes");
  const Change& change = set.changes[0];
  CHECK(change.kind == ChangeKind::worktree);
  REQUIRE(change.files.size() == 2); // untracked files are not included
  const auto& b = file(change, "b.py");
  CHECK(b.new_oid == trimmed(git.git({"hash-object", "b.py"})));
  CHECK(repo.content().blob(b.new_oid) == std::optional<std::string>("b = 2\n"));
  CHECK(texts(b.hunks.at(0), '+') == std::vector<std::string>{"b = 2"});
  const auto& a = file(change, "a.py");
  CHECK(repo.content().blob(a.new_oid) == std::optional<std::string>("a = 2\n"));
  // Nothing was written into the repository.
  CHECK(git.git({"count-objects", "-v"}) == objects_before);
  CHECK(git.git_result({"cat-file", "-e", b.new_oid}).exit_code != 0);

  // A worktree file over the size limit is flagged, hashed, and not kept in memory.
  git.write("b.py", std::string(3000, '#') + "\n");
  LoadOptions small;
  small.max_file_bytes = 1000;
  auto large_set = load_ok(repo, worktree(), small);
  const auto& large = file(large_set.changes.at(0), "b.py");
  CHECK(large.too_large);
  CHECK(large.hunks.empty());
  CHECK(large.new_oid == trimmed(git.git({"hash-object", "b.py"})));
  CHECK_FALSE(repo.content().blob(large.new_oid).has_value());
}

TEST_CASE("change loader: renames keep their similarity, copies come from modified files") {
  TempDir tmp;
  GitRepo git(tmp.path());
  std::string body;
  for (int i = 0; i < 40; ++i) {
    body += "line number " + std::to_string(i) + " of a reasonably long file\n";
  }
  git.write("old_name.py", body);
  git.write("exact.txt", body + "exact\n");
  git.write("source.c", body + "source\n");
  git.commit_all("base");
  git.git({"mv", "old_name.py", "new_name.py"});
  git.write("new_name.py", body + "one more line\n");
  fs::create_directories(tmp / "moved");
  git.git({"mv", "exact.txt", "moved/exact.txt"});
  git.write("copy.c", body + "source\n");
  git.write("source.c", body + "source changed\n");
  std::string id = git.commit_all("rename and copy");

  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, commit(id));
  const Change& change = set.changes[0];
  const auto& renamed = file(change, "new_name.py");
  CHECK(renamed.status == FileStatus::renamed);
  CHECK(renamed.old_path == "old_name.py");
  CHECK(renamed.similarity >= 50);
  CHECK(renamed.similarity < 100);
  CHECK(renamed.added_lines == 1);
  CHECK(renamed.deleted_lines == 0);

  const auto& exact = file(change, "moved/exact.txt");
  CHECK(exact.status == FileStatus::renamed);
  CHECK(exact.similarity == 100);
  CHECK(exact.hunks.empty());
  CHECK(exact.old_oid == exact.new_oid);

  const auto& copied = file(change, "copy.c");
  CHECK(copied.status == FileStatus::copied);
  CHECK(copied.old_path == "source.c");
  CHECK(copied.similarity == 100);
  CHECK(file(change, "source.c").status == FileStatus::modified);
}

TEST_CASE("change loader: binary files, symlinks, submodules and mode-only changes are flagged") {
  TempDir tmp;
  GitRepo sub(tmp / "sub");
  sub.write("lib.txt", "library\n");
  sub.commit_all("sub init");

  GitRepo git(tmp / "main");
  git.write("script.sh", "#!/bin/sh\necho hi\n");
  git.write("target.txt", "target\n");
  git.commit_all("base");
  git.write("image.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(64, '\0'));
  fs::create_symlink("target.txt", tmp / "main" / "link");
  fs::permissions(tmp / "main" / "script.sh", fs::perms::owner_exec, fs::perm_options::add);
  git.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", (tmp / "sub").string(),
           "vendor-sub"});
  git.add_all();
  {
    auto staged_repo = open_ok(tmp / "main");
    for (const auto& selection : {staged(), worktree()}) {
      const Change before = load_ok(staged_repo, selection).changes.at(0);
      CHECK(file(before, "vendor-sub").submodule);
      CHECK(file(before, "vendor-sub").status == FileStatus::added);
      CHECK(file(before, "link").symlink);
      CHECK(file(before, "script.sh").mode_only);
    }
  }
  std::string id = git.commit_all("binary, link, submodule, chmod");

  auto repo = open_ok(tmp / "main");
  const Change change = load_ok(repo, commit(id)).changes.at(0);

  const auto& binary = file(change, "image.bin");
  CHECK(binary.binary);
  CHECK(binary.hunks.empty());
  CHECK_FALSE(binary.parseable());

  const auto& link = file(change, "link");
  CHECK(link.symlink);
  CHECK(link.new_mode == 0120000);
  CHECK_FALSE(link.parseable());

  const auto& submodule = file(change, "vendor-sub");
  CHECK(submodule.submodule);
  CHECK(submodule.new_mode == 0160000);
  CHECK(submodule.new_oid == trimmed(sub.git({"rev-parse", "HEAD"})));
  CHECK(submodule.hunks.empty());

  const auto& script = file(change, "script.sh");
  CHECK(script.mode_only);
  CHECK(script.old_mode == 0100644);
  CHECK(script.new_mode == 0100755);
  CHECK(script.hunks.empty());
  CHECK(script.added_lines == 0);
}

TEST_CASE("change loader: a merge commit keeps only what it adds beyond its parents, and root "
          "and empty commits") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("base.txt", "base\n");
  git.write("shared.py", "def greet():\n    return 'hello'\n");
  git.write("gone.txt", "old\n");
  std::string root = git.commit_all("root");
  git.git({"checkout", "-q", "-b", "feature"});
  git.write("feature.txt", "feature\n");
  git.write("shared.py", "def greet():\n    return 'hello, world'\n");
  git.remove("gone.txt");
  git.commit_all("feature work");
  git.git({"checkout", "-q", "main"});
  git.write("main.txt", "main\n");
  git.write("shared.py", "def greet():\n    return 'hi'\n");
  git.commit_all("main work");
  // shared.py conflicts: the merge resolves it with a text of its own.
  git.git_result({"merge", "-q", "--no-ff", "-m", "Merge feature", "feature"});
  git.write("shared.py", "def greet():\n    return 'hi, world'\n");
  git.git({"add", "-A"});
  git.git({"commit", "-q", "--no-edit"});
  std::string merge = git.head();
  std::string empty = git.commit("nothing changed");

  auto repo = open_ok(tmp.path());
  auto merge_set = load_ok(repo, commit(merge));
  const Change& m = merge_set.changes.at(0);
  CHECK(m.kind == ChangeKind::commit);
  // feature.txt and the deletion of gone.txt come unchanged from the branch; only the
  // resolution of shared.py is the merge's own.
  REQUIRE(m.files.size() == 1);
  CHECK(m.files[0].path() == "shared.py");
  REQUIRE(m.commit.has_value());
  CHECK(m.commit->parents.size() == 2);
  CHECK(m.base_rev == m.commit->parents[0]);
  CHECK(merge_set.policy_rev == m.commit->parents[0]);

  auto root_set = load_ok(repo, commit(root));
  CHECK(root_set.policy_rev.empty());
  CHECK(root_set.changes[0].base_rev.empty());
  REQUIRE(root_set.changes[0].files.size() == 3);
  for (const auto& f : root_set.changes[0].files) {
    CHECK(f.status == FileStatus::added);
  }
  CHECK(root_set.description == "commit " + root.substr(0, 7));
  CHECK(root_set.changes[0].label == root.substr(0, 7));

  auto empty_set = load_ok(repo, commit("HEAD"));
  CHECK(empty_set.changes[0].head_rev == empty);
  CHECK(empty_set.changes[0].files.empty());
  CHECK(empty_set.changes[0].commit->summary == "nothing changed");
}

TEST_CASE("change loader: commit info carries author, message, trailers and signature fields") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("a.txt", "a\n");
  std::string id = git.commit_all("Add a\n\nWhy it matters.\n\nAgate-Prompt: 2024-01-01-abc\n"
                                  "Signed-off-by: Ada Tester <ada@example.com>");
  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, commit(id));
  const CommitInfo& info = set.changes.at(0).commit.value();
  CHECK(info.id == id);
  CHECK(info.parents.empty());
  CHECK(info.author.name == "Ada Tester");
  CHECK(info.author.email == "ada@example.com");
  CHECK(info.author.time == 1700000060);
  CHECK(info.committer.email == "ada@example.com");
  CHECK(info.summary == "Add a");
  REQUIRE(info.trailers.size() == 2);
  CHECK(info.trailers[0].key == "Agate-Prompt");
  CHECK(info.trailers[0].value == "2024-01-01-abc");
  CHECK(info.signature_field.empty());
  CHECK(info.signed_payload == git.git({"cat-file", "commit", id}));
  CHECK(info.raw_header + "\n" + info.message == info.signed_payload);
}

TEST_CASE("change loader: CRLF lines, non-UTF-8 bytes and odd file names are read as raw bytes") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("crlf.txt", "one\r\ntwo\r\nthree\r\n");
  git.write("latin1.txt", "caf\xe9\n");
  git.commit_all("base");
  git.write("crlf.txt", "one\r\nTWO\r\nthree\r\nfour\r\n");
  git.write("latin1.txt", "caf\xe9 cr\xe8me\n");
  git.write("dir with space/\xc3\xa9t\xc3\xa9.py", "x = 1\n");
  git.add_all();
  agate::test::write_file(tmp / "msg", "Caf\xe9 message\n\nbody \xff\n");
  git.git({"-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", "msg"});
  git.git({"config", "core.quotePath", "true"});

  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, commit("HEAD"));
  const Change& change = set.changes.at(0);
  const auto& crlf = file(change, "crlf.txt");
  CHECK(crlf.added_lines == 2);
  CHECK(crlf.deleted_lines == 1);
  CHECK(texts(crlf.hunks.at(0), '+') == std::vector<std::string>{"TWO\r", "four\r"});

  const auto& latin1 = file(change, "latin1.txt");
  CHECK(texts(latin1.hunks.at(0), '+') == std::vector<std::string>{"caf\xe9 cr\xe8me"});

  const auto& odd = file(change, "dir with space/\xc3\xa9t\xc3\xa9.py");
  CHECK(odd.language == "python");

  const CommitInfo& info = change.commit.value();
  CHECK(info.summary == "Caf\xe9 message");
  CHECK(info.message == "Caf\xe9 message\n\nbody \xff\n");
}

TEST_CASE("change loader: an unborn HEAD with staged files compares against the empty tree") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write("first.go", "package main\n");
  git.add_all();
  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, staged());
  const Change& change = set.changes.at(0);
  CHECK(change.base_rev.empty());
  REQUIRE(change.files.size() == 1);
  CHECK(change.files[0].status == FileStatus::added);
  CHECK(change.files[0].language == "go");

  auto wt = load_ok(repo, worktree());
  CHECK(wt.changes.at(0).files.size() == 1);

  auto error = load_error(repo, commit("HEAD"));
  CHECK(error.find("HEAD has no commits yet") == 0);
}

TEST_CASE(
    "change loader: languages and flags from the reviewed commit's .gitattributes and the path") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write(".gitattributes", "*.tpl linguist-language=Python\n"
                              "gen/** linguist-generated\n"
                              "lib/** linguist-vendored\n"
                              "vendor/keep/** -linguist-vendored\n");
  git.write("README.md", "readme\n");
  git.commit_all("attributes");
  git.write("page.tpl", "x = 1\n");
  git.write("gen/out.py", "x = 2\n");
  git.write("lib/dep.js", "var a;\n");
  git.write("vendor/keep/own.go", "package own\n");
  git.write("vendor/other/dep.go", "package dep\n");
  git.write("tool", "#!/usr/bin/env python3\nprint(1)\n");
  git.write("marked.go", "// Code generated by stringer. DO NOT EDIT.\npackage x\n");
  git.write("package-lock.json", "{}\n");
  git.write(".agate/prompts/2024-01-01-abc.json", "{}\n");
  git.write("docs/skip.py", "y = 1\n");
  git.write("big.py", std::string(2000, '#') + "\n");
  std::string id = git.commit_all("files");
  // The work tree's .gitattributes says otherwise; the reviewed commit's must win.
  git.write(".gitattributes", "*.tpl linguist-language=Go\ngen/** -linguist-generated\n");

  auto repo = open_ok(tmp.path());
  LoadOptions options;
  options.max_file_bytes = 1000;
  options.is_ignored = [](std::string_view path) { return path.starts_with("docs/"); };
  const Change change = load_ok(repo, commit(id), options).changes.at(0);

  CHECK(file(change, "page.tpl").language == "python");
  CHECK(file(change, "gen/out.py").generated);
  CHECK(file(change, "gen/out.py").language == "python");
  CHECK(file(change, "lib/dep.js").vendored);
  CHECK_FALSE(file(change, "vendor/keep/own.go").vendored); // -linguist-vendored wins over the path
  CHECK(file(change, "vendor/other/dep.go").vendored);
  CHECK(file(change, "tool").language == "python");
  CHECK(file(change, "marked.go").generated);
  CHECK(file(change, "package-lock.json").lockfile);
  CHECK(file(change, ".agate/prompts/2024-01-01-abc.json").prompt_record);
  CHECK(file(change, "docs/skip.py").ignored);
  CHECK_FALSE(file(change, "page.tpl").ignored);
  const auto& big = file(change, "big.py");
  CHECK(big.too_large);
  CHECK(big.hunks.empty());
  CHECK(big.added_lines == 1); // still counted toward the size of the change
  CHECK_FALSE(big.parseable());

  // The staged view: a file that existed at the base (HEAD) keeps the base's attributes, so the
  // change cannot re-label its own code; a file the change adds takes the index's.
  git.add_all();
  git.write("page.tpl", "x = 3\n");
  git.write("fresh.tpl", "y = 4\n");
  git.write("gen/new.py", "z = 5\n");
  git.add_all();
  auto staged_set = load_ok(repo, staged(), options);
  CHECK(file(staged_set.changes.at(0), "page.tpl").language == "python");
  CHECK(file(staged_set.changes.at(0), "fresh.tpl").language == "go");
  CHECK_FALSE(file(staged_set.changes.at(0), "gen/new.py").generated);
}

TEST_CASE("change loader: a range of N commits gives N commit changes and one range change") {
  TempDir tmp;
  GitRepo git(tmp.path());
  git.write(".gitattributes", "*.x linguist-language=Python\n");
  git.write("a.py", "a = 0\n");
  std::string base = git.commit_all("base");
  git.git({"checkout", "-q", "-b", "feature"});
  std::vector<std::string> commits;
  for (int i = 1; i <= 3; ++i) {
    git.write("a.py", "a = " + std::to_string(i) + "\n");
    git.write("f" + std::to_string(i) + ".x", "v = 1\n");
    if (i == 3) {
      git.write(".gitattributes", "*.x linguist-language=Go\n");
    }
    commits.push_back(git.commit_all("feature " + std::to_string(i)));
  }
  git.git({"checkout", "-q", "main"});
  git.write("main_only.py", "m = 1\n");
  std::string main_tip = git.commit_all("main moves on");

  auto repo = open_ok(tmp.path());
  auto set = load_ok(repo, range("main", "feature"));
  REQUIRE(set.changes.size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(set.changes[i].kind == ChangeKind::commit);
    CHECK(set.changes[i].head_rev == commits[i]);
  }
  CHECK(set.changes[0].base_rev == base);
  CHECK(file(set.changes[0], "f1.x").language == "python");
  CHECK(file(set.changes[2], "f3.x").language == "go");

  const Change& whole = set.changes[3];
  CHECK(whole.kind == ChangeKind::range);
  CHECK(whole.label == main_tip.substr(0, 7) + ".." + commits[2].substr(0, 7));
  CHECK(whole.base_rev == base); // the merge base, not main's tip
  CHECK(whole.head_rev == commits[2]);
  CHECK(whole.commits == commits);
  CHECK(whole.files.size() == 5); // a.py, f1..f3.x, .gitattributes; not main_only.py
  CHECK(file(whole, "a.py").hunks.size() == 1);
  CHECK(file(whole, "f1.x").language == "go"); // the head's attributes
  CHECK(set.policy_rev == main_tip); // BASE as given, the target's tip: not the merge base
  CHECK(selection_policy_rev(repo, range("main", "feature")).value() == main_tip);
  CHECK(selection_policy_rev(repo, commit("feature")).value() == commits[1]);
  CHECK(selection_policy_rev(repo, commit(base)).value().empty()); // a root commit
  CHECK(selection_policy_rev(repo, staged()).value().empty());
  CHECK(repo.merge_base("main", "feature").value() == std::optional<std::string>(base));
  CHECK(set.description ==
        "range " + main_tip.substr(0, 7) + ".." + commits[2].substr(0, 7) + " (3 commits)");

  Selection hinted = range(main_tip, commits[2]);
  hinted.description_hint = "pull request #7";
  CHECK(load_ok(repo, hinted).description.rfind("pull request #7 (range ", 0) == 0);

  Selection none;
  none.mode = SelectionMode::none;
  none.description_hint = "push to gone: the branch was deleted, nothing to check";
  auto nothing = load_ok(repo, none);
  CHECK(nothing.changes.empty());
  CHECK(nothing.description == none.description_hint);
}

TEST_CASE("change loader: a shallow clone without the base asks for more history") {
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    origin.write("a.txt", std::to_string(i) + "\n");
    ids.push_back(origin.commit_all("commit " + std::to_string(i)));
  }
  agate::test::run({"git", "clone", "-q", "--depth", "1", "file://" + (tmp / "origin").string(),
                    (tmp / "shallow").string()});
  auto repo = open_ok(tmp / "shallow");

  auto error = load_error(repo, range(ids[1], ids[4]));
  CHECK(error == "the base commit " + ids[1] +
                     " is not in this shallow clone: fetch more history (actions/checkout with "
                     "fetch-depth: 0, or `git fetch --unshallow`)");
  Selection hinted = range(ids[1], ids[4]);
  hinted.expected_commits = 3;
  CHECK(load_error(repo, hinted).find("`git fetch --deepen=4`") != std::string::npos);

  auto policy = selection_policy_rev(repo, hinted);
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error() == load_error(repo, hinted));

  auto single = load_error(repo, commit("HEAD"));
  CHECK(selection_policy_rev(repo, commit("HEAD")).error() == single);
  CHECK(single.find("is not in this shallow clone") != std::string::npos);
  CHECK(single.find("--deepen=1") != std::string::npos);

  // Deeper clone: the range is inside the available history and loads.
  agate::test::run({"git", "clone", "-q", "--depth", "3", "file://" + (tmp / "origin").string(),
                    (tmp / "deeper").string()});
  auto deeper = open_ok(tmp / "deeper");
  auto set = load_ok(deeper, range(ids[2], ids[4]));
  CHECK(set.changes.size() == 3);
}

TEST_CASE("change loader: repository errors are one clear line") {
  TempDir tmp;
  GitRepo git(tmp / "work");
  git.write("a.txt", "a\n");
  git.commit_all("init");
  git.write("a.txt", "b\n");
  std::string second = git.commit_all("second");

  auto repo = open_ok(tmp / "work");
  CHECK(load_error(repo, commit("no-such-rev")) == "unknown revision 'no-such-rev'");
  CHECK(load_error(repo, range("main", "nope")) == "unknown revision 'nope'");

  agate::test::run(
      {"git", "clone", "-q", "--bare", (tmp / "work").string(), (tmp / "bare.git").string()});
  auto bare = open_ok(tmp / "bare.git");
  CHECK(load_error(bare, staged()).find("agate check needs a work tree: ") == 0);
  CHECK(load_error(bare, worktree()).find("agate check needs a work tree: ") == 0);
  CHECK(load_ok(bare, commit("HEAD")).changes.at(0).files.size() == 1);

  // A broken index stops the staged check but not the review of commits.
  {
    agate::test::write_file(tmp / "work" / ".git" / "index", "not an index\n");
    auto broken = open_ok(tmp / "work");
    CHECK(load_ok(broken, commit("HEAD")).changes.at(0).files.size() == 1);
    CHECK(load_ok(broken, range("HEAD~1", "HEAD")).changes.size() == 2);
    CHECK(load_error(broken, staged()).find("cannot read the index") == 0);
    git.git({"read-tree", "HEAD"});
  }

  // A corrupt blob in the reviewed commit is named by id.
  std::string blob = trimmed(git.git({"rev-parse", "HEAD:a.txt"}));
  auto path = tmp / "work" / ".git" / "objects" / blob.substr(0, 2) / blob.substr(2);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  agate::test::write_file(path, "garbage, not zlib");
  auto corrupt = open_ok(tmp / "work");
  auto error = load_error(corrupt, commit(second));
  CHECK(error.find(blob) != std::string::npos);
  CHECK(error.find("corrupt") != std::string::npos);
}

TEST_CASE("change loader: a staged change of 10 files loads in a few milliseconds") {
  TempDir tmp;
  GitRepo git(tmp.path());
  for (int i = 0; i < 10; ++i) {
    std::string body;
    for (int l = 0; l < 200; ++l) {
      body += "def f" + std::to_string(l) + "():\n    return " + std::to_string(l) + "\n";
    }
    git.write("m" + std::to_string(i) + ".py", body);
  }
  git.commit_all("base");
  for (int i = 0; i < 10; ++i) {
    git.write("m" + std::to_string(i) + ".py", "def changed():\n    return 1\n");
  }
  git.add_all();
  auto repo = open_ok(tmp.path());
  load_ok(repo, staged()); // warm the file system cache
  auto start = std::chrono::steady_clock::now();
  auto set = load_ok(repo, staged());
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
  MESSAGE("staged change of 10 files loaded in " << elapsed << " us");
  CHECK(set.changes.at(0).files.size() == 10);
  CHECK(elapsed < 100000); // generous for slow CI machines; typically a few ms
}
