// Tests of a finding's anchor (a file and line that exist at the analysed revision) and its
// fingerprint (rule, path, unit, normalized code), on change sets built as the change loader
// builds them: hunks with context, added and deleted lines.
#include "gate/report/anchor.hpp"

#include <doctest/doctest.h>

using namespace agate::gate;

namespace {

// service/auth.py: old lines 10-13 kept (new 10-13), old 14-20 deleted, then old 21-22 kept as new
// 14-15; a second file adds lines 3-4 after two kept lines; a third file is deleted.
ChangeSet change_set() {
  FileChange auth;
  auth.old_path = auth.new_path = "service/auth.py";
  Hunk hunk;
  for (int line = 10; line <= 13; ++line) {
    hunk.lines.push_back({' ', line, line, "kept " + std::to_string(line)});
  }
  for (int line = 14; line <= 20; ++line) {
    hunk.lines.push_back({'-', line, 0, "    deleted  " + std::to_string(line)});
  }
  hunk.lines.push_back({' ', 21, 14, "kept 21"});
  hunk.lines.push_back({' ', 22, 15, "kept 22"});
  auth.hunks.push_back(hunk);

  FileChange gone;
  gone.old_path = "old/gone.py";
  gone.status = FileStatus::deleted;
  Hunk all;
  all.lines.push_back({'-', 1, 0, "def gone():"});
  all.lines.push_back({'-', 2, 0, "    return 1"});
  gone.hunks.push_back(all);

  FileChange billing;
  billing.old_path = billing.new_path = "service/billing.py";
  Hunk added;
  added.lines.push_back({' ', 1, 1, "import utils"});
  added.lines.push_back({' ', 2, 2, ""});
  added.lines.push_back({'+', 0, 3, "def total():"});
  added.lines.push_back({'+', 0, 4, "    return 0"});
  billing.hunks.push_back(added);

  Change change;
  change.kind = ChangeKind::commit;
  change.label = "abc1234";
  change.files = {gone, auth, billing};
  ChangeSet set;
  set.changes.push_back(change);
  return set;
}

Finding finding(std::string file, int line, int end_line, Side side) {
  Finding f;
  f.rule = "deletion/unrelated";
  f.file = std::move(file);
  f.line = line;
  f.end_line = end_line;
  f.side = side;
  f.message = "validate_token() was deleted, 7 lines.";
  f.change = "abc1234";
  return f;
}

} // namespace

TEST_CASE("anchor: a finding on added lines keeps its place, in the diff") {
  Anchor anchor = anchor_finding(finding("service/billing.py", 3, 4, Side::new_side), change_set(),
                                 {"def total():", "    return 0"});
  CHECK(anchor.path == "service/billing.py");
  CHECK(anchor.line == 3);
  CHECK(anchor.end_line == 4);
  CHECK(anchor.in_diff);
  CHECK_FALSE(anchor.moved);
  CHECK(anchor.deleted_code.empty());
  // A line the diff does not show: still anchored there, but not in the diff.
  CHECK_FALSE(
      anchor_finding(finding("service/billing.py", 40, 40, Side::new_side), change_set(), {})
          .in_diff);
}

TEST_CASE("anchor: deleted lines sit on the nearest surviving line of the hunk, code kept") {
  Anchor anchor =
      anchor_finding(finding("service/auth.py", 15, 18, Side::old_side), change_set(), {});
  CHECK(anchor.path == "service/auth.py");
  // The nearest line that survives: old 13, two lines up, rather than old 21 (new 14), three down.
  CHECK(anchor.line == 13);
  CHECK(anchor.end_line == 13);
  CHECK(anchor.in_diff);
  CHECK(anchor.moved);
  CHECK(anchor.deleted_code == std::vector<std::string>{"    deleted  15", "    deleted  16",
                                                        "    deleted  17", "    deleted  18"});
}

TEST_CASE("anchor: a deleted file and a whole change sit on the first surviving file's first "
          "added line") {
  Anchor gone = anchor_finding(finding("old/gone.py", 1, 2, Side::old_side), change_set(), {});
  CHECK(gone.path == "service/auth.py");
  CHECK(gone.line == 10); // auth.py adds nothing: its first line the diff shows
  CHECK(gone.in_diff);
  CHECK(gone.deleted_code == std::vector<std::string>{"def gone():", "    return 1"});

  Finding whole = finding("", 0, 0, Side::new_side);
  whole.rule = "size/oversized-change";
  Anchor change = anchor_finding(whole, change_set(), {});
  CHECK(change.path == "service/auth.py");
  CHECK(change.moved);

  // A change that only deletes has nowhere to point.
  ChangeSet only_deletes = change_set();
  only_deletes.changes[0].files.resize(1);
  CHECK(anchor_finding(whole, only_deletes, {}).path.empty());
}

TEST_CASE("anchor: a report built without a change set keeps each finding's own place") {
  Anchor own = own_anchor(finding("service/billing.py", 3, 4, Side::new_side), {});
  CHECK(own.path == "service/billing.py");
  CHECK(own.line == 3);
  Anchor old = own_anchor(finding("service/auth.py", 15, 18, Side::old_side), {});
  CHECK(old.path.empty());
  CHECK(old.moved);
}

TEST_CASE("anchor: fingerprints follow rule, path, unit and code, not lines or whitespace") {
  Finding a = finding("service/auth.py", 15, 18, Side::old_side);
  std::string print = finding_fingerprint(a, {"def f():", "    return 1"});
  CHECK(print.size() == 16);
  CHECK(print.find_first_not_of("0123456789abcdef") == std::string::npos);
  Finding moved = a;
  moved.line += 30;
  moved.end_line += 30;
  CHECK(finding_fingerprint(moved, {"def f():", "    return 1"}) == print);
  CHECK(finding_fingerprint(a, {"def  f():", "\treturn 1   "}) == print); // re-indented
  CHECK(finding_fingerprint(a, {"def f():", "    return 2"}) != print);
  Finding other_rule = a;
  other_rule.rule = "deletion/removed-test";
  CHECK(finding_fingerprint(other_rule, {"def f():", "    return 1"}) != print);
  Finding other_file = a;
  other_file.file = "service/other.py";
  CHECK(finding_fingerprint(other_file, {"def f():", "    return 1"}) != print);
  Finding with_unit = a;
  with_unit.evidence = {{"unit", "validate_token"}};
  CHECK(finding_fingerprint(with_unit, {"def f():", "    return 1"}) != print);
  // Without code, the message stands in, its numbers left out.
  Finding counted = a;
  counted.message = "validate_token() was deleted, 9 lines.";
  CHECK(finding_fingerprint(counted, {}) == finding_fingerprint(a, {}));
  // The deleted code is part of an old-side anchor's fingerprint.
  Anchor anchored = anchor_finding(a, change_set(), {});
  CHECK(anchored.fingerprint == finding_fingerprint(a, {"    deleted  15", "    deleted  16",
                                                        "    deleted  17", "    deleted  18"}));
}
