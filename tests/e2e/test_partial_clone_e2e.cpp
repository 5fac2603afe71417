// End-to-end tests of `agate check` in a blobless partial clone (`git clone --filter=blob:none`,
// as CI checkouts of large repositories make): the blobs of the change that the checkout lacks
// are fetched from the promisor remote through git in one go, binary files are not fetched, and
// when the promisor remote cannot be reached the files it could not give are named in a warning
// that says "partial clone" while the rest is judged (exit 0/1); exit 2 only when nothing of the
// change could be read.
#include "tests/e2e/e2e_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::RunResult;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::findings_of;
using agate::test::e2e::parse_report;

// A PNG header (NUL bytes included) followed by `tag`.
std::string png(std::string_view tag) {
  static constexpr char header[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR-";
  return std::string(header, sizeof header - 1) + std::string(tag);
}

// Functions with bodies of their own (a deleted function whose twin survives reads as
// de-duplication, not as an unrelated deletion).
std::string functions(const std::vector<std::string>& names) {
  std::string code;
  for (const auto& name : names) {
    code += "def " + name + "(items):\n    total = 0\n    for item in items:\n";
    code += "        if item is None or item == \"" + name + "\":\n            continue\n";
    code += "        total += item * " + std::to_string(name.size()) + "\n";
    // A body shape of its own: one more guard per letter of the name's first character.
    for (char c = 'a'; c <= name[0]; ++c) {
      code += "    if total > " + std::to_string(c - 'a' + 7) + ":\n        total -= 1\n";
    }
    code += "    return total, \"" + name + "\"\n\n";
  }
  return code;
}

// The source repository (serving partial clones) and a blobless clone of it with HEAD checked
// out: the old versions of app.py and logo.png are not in the clone.
//   c0  app.py (four functions), logo.png, the policy
//   c1  deletes `beta` from app.py, changes logo.png
//   c2  deletes `gamma` from app.py, adds util.py
struct PartialClone {
  TempDir tmp;
  GitRepo source{tmp / "source"};
  GitRepo clone{tmp / "clone", false};

  PartialClone() {
    source.git({"config", "uploadpack.allowFilter", "true"});
    source.git({"config", "uploadpack.allowAnySHA1InWant", "true"});
    source.write(".agate/config.json", R"({"fail_on": "warning"})");
    source.write("app.py", functions({"alpha", "beta", "gamma", "delta"}));
    source.write("logo.png", png("one"));
    source.commit_all("base");
    source.write("app.py", functions({"alpha", "gamma", "delta"}));
    source.write("logo.png", png("two"));
    source.commit_all("Update the logo");
    source.write("app.py", functions({"alpha", "delta"}));
    source.write("util.py", "def helper(x):\n    return x + 1\n");
    source.commit_all("Add a helper");
    source.git({"clone", "-q", "--filter=blob:none", "file://" + source.dir().string(),
                clone.dir().string()});
    REQUIRE(missing_blobs() >= 3);
  }

  // How many objects the clone lacks (git rev-list does not fetch them).
  int missing_blobs() {
    auto out = clone.git({"rev-list", "--objects", "--all", "--missing=print"});
    int missing = 0;
    for (std::size_t at = out.find('?'); at != std::string::npos; at = out.find("\n?", at + 1)) {
      ++missing;
    }
    return missing;
  }

  void cut_off_promisor() {
    clone.git({"config", "remote.origin.url", "file://" + (tmp / "gone").string()});
  }
};

bool has_note(const nlohmann::json& report, const std::string& file, const std::string& text) {
  for (const auto& note : report.at("notes")) {
    if (note.at("file") == file &&
        note.at("message").get<std::string>().find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("partial clone e2e: the blobs a commit needs are fetched, binary ones are not") {
  PartialClone pc;
  auto result = agate_in(pc.clone, {"check", "--commit", "HEAD~1", "--format", "json"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.empty());
  auto report = parse_report(result);
  auto deleted = findings_of(report, "deletion/unrelated");
  REQUIRE(deleted.size() == 1);
  CHECK(deleted[0].at("message").get<std::string>().find("beta") != std::string::npos);
  CHECK(has_note(report, "logo.png", "not fetched in this partial clone"));
  // The old logo is still not in the clone: only what agate reads was fetched.
  auto old_logo = pc.clone.git({"rev-parse", "HEAD~2:logo.png"});
  auto listed = pc.clone.git({"rev-list", "--objects", "--all", "--missing=print"});
  CHECK(listed.find("?" + old_logo.substr(0, 40)) != std::string::npos);
}

TEST_CASE("partial clone e2e: a range is judged with one fetch for all its commits") {
  PartialClone pc;
  auto result = agate_in(pc.clone, {"check", "--range", "HEAD~2..HEAD", "--format", "json"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  auto report = parse_report(result);
  std::string messages;
  for (const auto& finding : findings_of(report, "deletion/unrelated")) {
    messages += finding.at("message").get<std::string>() + "\n";
  }
  CHECK(messages.find("beta") != std::string::npos);
  CHECK(messages.find("gamma") != std::string::npos);
}

TEST_CASE("partial clone e2e: an unreachable promisor remote gives a warning, not an abort") {
  PartialClone pc;
  pc.cut_off_promisor();
  // app.py's old side cannot be had; util.py (checked out) is still judged.
  auto result = agate_in(pc.clone, {"check", "--commit", "HEAD", "--format", "json"});
  INFO(result.err);
  CHECK((result.exit_code == 0 || result.exit_code == 1));
  CHECK(result.err.find("agate: warning: app.py: not checked: blob") != std::string::npos);
  CHECK(result.err.find("partial clone") != std::string::npos);
  CHECK(result.err.find("promisor remote 'origin'") != std::string::npos);
  CHECK(result.err.find("corrupt") == std::string::npos);
  auto report = parse_report(result);
  CHECK(has_note(report, "app.py", "missing from this partial clone"));

  // The text report names it too.
  auto text = agate_in(pc.clone, {"check", "--commit", "HEAD"});
  CHECK((text.exit_code == 0 || text.exit_code == 1));
  CHECK(text.out.find("app.py: not checked: blob") != std::string::npos);
}

TEST_CASE("partial clone e2e: exit 2 only when nothing of the change could be read") {
  PartialClone pc;
  pc.cut_off_promisor();
  // HEAD~1 changes app.py (unreadable) and logo.png (binary, never read).
  auto result = agate_in(pc.clone, {"check", "--commit", "HEAD~1"});
  agate::test::e2e::check_one_line_error(result);
  CHECK(result.err.find("nothing could be checked") != std::string::npos);
  CHECK(result.err.find("partial clone") != std::string::npos);
}
