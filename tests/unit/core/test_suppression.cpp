// Tests of in-code suppressions (gate/core/suppression.hpp): which comments suppress which
// findings, on which side of the change, and what happens to a suppression without a reason.
#include "gate/core/suppression.hpp"

#include <doctest/doctest.h>

#include <map>

namespace {

using namespace agate::gate;

Finding finding(std::string rule, std::string file, int line, Side side = Side::new_side) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = Severity::warning;
  f.file = std::move(file);
  f.line = line;
  f.end_line = line;
  f.side = side;
  f.change = "abc1234";
  return f;
}

// Contents by (file, side); counts how often each is asked for.
struct Contents {
  std::map<std::pair<std::string, Side>, std::string> texts;
  std::map<std::pair<std::string, Side>, int> calls;

  ContentForFinding callback() {
    return [this](const Finding& f) -> std::optional<std::string> {
      auto key = std::make_pair(f.file, f.side);
      ++calls[key];
      auto it = texts.find(key);
      if (it == texts.end()) {
        return std::nullopt;
      }
      return it->second;
    };
  }
};

const std::string python_file = "import os\n"                                                // 1
                                "\n"                                                         // 2
                                "def load(path):\n"                                          // 3
                                "    # agate: ignore[duplication/clone] same as the CLI's\n" // 4
                                "    return open(path).read()\n"                             // 5
                                "\n"                                                         // 6
                                "def save(path, data):  # agate: ignore[deletion/removed-guard, "
                                "duplication/clone] checked by the caller\n" // 7
                                "    open(path, 'w').write(data)\n";         // 8

} // namespace

TEST_CASE("suppression: comments are found with their rules, reason and line") {
  auto found = find_suppressions(python_file);
  REQUIRE(found.size() == 2);
  CHECK(found[0].line == 4);
  CHECK(found[0].rules == std::vector<std::string>{"duplication/clone"});
  CHECK(found[0].reason == "same as the CLI's");
  CHECK_FALSE(found[0].file_level);
  CHECK(found[1].line == 7);
  CHECK(found[1].rules == std::vector<std::string>{"deletion/removed-guard", "duplication/clone"});
  CHECK(found[1].reason == "checked by the caller");

  auto c_style = find_suppressions("int x; /* agate: ignore[duplication/clone] table */\n"
                                   "<!-- agate: ignore-file[duplication/clone] fixtures -->\n");
  REQUIRE(c_style.size() == 2);
  CHECK(c_style[0].reason == "table");
  CHECK(c_style[1].file_level);
  CHECK(c_style[1].reason == "fixtures");

  // Not a suppression: another word, no closing bracket, empty brackets.
  CHECK(find_suppressions("// agate: ignored[x] y\n// agate: ignore[x y\n// agate: ignore[] why\n")
            .empty());
}

TEST_CASE("suppression: a comment on the finding's line or the line above suppresses it") {
  Contents contents;
  contents.texts[{"src/io.py", Side::new_side}] = python_file;
  std::vector<Finding> findings = {
      finding("duplication/clone", "src/io.py", 5),      // line above (4)
      finding("duplication/clone", "src/io.py", 7),      // same line
      finding("deletion/removed-guard", "src/io.py", 8), // line above (7)
      finding("duplication/clone", "src/io.py", 6),      // two lines below 4: not covered
      finding("deletion/unrelated", "src/io.py", 5),     // rule not named
  };
  auto result = apply_suppressions(findings, contents.callback(), "");
  CHECK(result.suppressed == 3);
  REQUIRE(result.suppressed_findings.size() == 3);
  CHECK(result.suppressed_findings[0].reason == "same as the CLI's");
  CHECK(result.suppressed_findings[0].line == 4);
  CHECK(result.suppressed_findings[2].reason == "checked by the caller");
  REQUIRE(result.kept.size() == 2);
  CHECK(result.kept[0].line == 6);
  CHECK(result.kept[1].rule == "deletion/unrelated");
  CHECK(result.added.empty());
  // The file was read once for the five findings.
  CHECK(contents.calls[{"src/io.py", Side::new_side}] == 1);
}

TEST_CASE("suppression: old-side findings read the old content") {
  Contents contents;
  contents.texts[{"src/auth.py", Side::old_side}] =
      "def check(token):\n"
      "    # agate: ignore[deletion/removed-guard] validated by the gateway now\n"
      "    if not token: raise ValueError()\n";
  contents.texts[{"src/auth.py", Side::new_side}] = "def check(token):\n    pass\n";
  auto old_finding = finding("deletion/removed-guard", "src/auth.py", 3, Side::old_side);
  auto new_finding = finding("deletion/removed-guard", "src/auth.py", 2, Side::new_side);
  auto result = apply_suppressions({old_finding, new_finding}, contents.callback(), "");
  CHECK(result.suppressed == 1);
  REQUIRE(result.kept.size() == 1);
  CHECK(result.kept[0].side == Side::new_side);
}

TEST_CASE("suppression: the file-level form works within the first 10 lines only") {
  std::string header = "// agate: ignore-file[duplication/clone] test tables repeat on purpose\n";
  std::string body;
  for (int i = 0; i < 40; ++i) {
    body += "int x" + std::to_string(i) + " = 0;\n";
  }
  Contents contents;
  contents.texts[{"tests/table.c", Side::new_side}] = header + body;
  std::string ten_lines;
  for (int i = 0; i < 10; ++i) {
    ten_lines += "// line\n";
  }
  contents.texts[{"tests/late.c", Side::new_side}] = ten_lines + header + body;
  auto result = apply_suppressions({finding("duplication/clone", "tests/table.c", 30),
                                    finding("deletion/unrelated", "tests/table.c", 30),
                                    finding("duplication/clone", "tests/late.c", 30)},
                                   contents.callback(), "");
  CHECK(result.suppressed == 1);
  REQUIRE(result.kept.size() == 2);
  CHECK(result.kept[0].rule == "deletion/unrelated");
  CHECK(result.kept[1].file == "tests/late.c");
  // The late one is at line 11: the header line count is what matters.
  CHECK(find_suppressions(contents.texts[{"tests/late.c", Side::new_side}]).empty());
}

TEST_CASE("suppression: no reason means no suppression and a missing-reason warning") {
  Contents contents;
  contents.texts[{"src/gen.py", Side::new_side}] = "x = 1\n"
                                                   "# agate: ignore[duplication/clone]\n"
                                                   "y = compute()\n"
                                                   "z = 2  # agate: ignore[duplication/clone] ok\n";
  auto result = apply_suppressions({finding("duplication/clone", "src/gen.py", 3),
                                    finding("duplication/clone", "src/gen.py", 2),
                                    finding("duplication/clone", "src/gen.py", 4)},
                                   contents.callback(), "");
  CHECK(result.suppressed == 0);
  CHECK(result.kept.size() == 3);
  // One warning per comment, however many findings it matched; "ok" is too short a reason.
  REQUIRE(result.added.size() == 2);
  const auto& added = result.added[0];
  CHECK(added.rule == "suppression/missing-reason");
  CHECK(added.severity == Severity::warning);
  CHECK(added.file == "src/gen.py");
  CHECK(added.line == 2);
  CHECK(added.change == "abc1234");
  CHECK(added.message ==
        "suppression of duplication/clone has no reason: write why after the bracket, e.g. "
        "`agate: ignore[duplication/clone] generated by protoc`");
  CHECK(result.added[1].line == 4);
}

TEST_CASE("suppression: there is no wildcard") {
  Contents contents;
  contents.texts[{"a.py", Side::new_side}] = "x = 1  # agate: ignore[*] everything is fine\n";
  auto result =
      apply_suppressions({finding("duplication/clone", "a.py", 1)}, contents.callback(), "");
  CHECK(result.suppressed == 0);
  CHECK(result.kept.size() == 1);
}

TEST_CASE("suppression: whole-change findings are suppressed from the commit message") {
  auto whole = finding("size/oversized-change", "", 0);
  auto in_file = finding("size/oversized-change", "src/a.py", 1);
  Contents contents;
  contents.texts[{"src/a.py", Side::new_side}] = "x = 1\n";
  const std::string message = "Regenerate the API client\n\n"
                              "agate: ignore[size/oversized-change] generated by openapi-gen\n";
  auto result = apply_suppressions({whole, in_file}, contents.callback(), message);
  CHECK(result.suppressed == 1);
  REQUIRE(result.suppressed_findings.size() == 1);
  CHECK(result.suppressed_findings[0].finding.file.empty());
  CHECK(result.suppressed_findings[0].reason == "generated by openapi-gen");
  // The message does not suppress file findings.
  REQUIRE(result.kept.size() == 1);
  CHECK(result.kept[0].file == "src/a.py");

  // Without the line, or without a reason, the finding stays.
  CHECK(apply_suppressions({whole}, contents.callback(), "Regenerate\n").kept.size() == 1);
  auto bare = apply_suppressions({whole}, contents.callback(),
                                 "Regenerate\n\nagate: ignore[size/oversized-change]\n");
  CHECK(bare.kept.size() == 1);
  REQUIRE(bare.added.size() == 1);
  CHECK(bare.added[0].file.empty());
  CHECK(bare.added[0].message.starts_with("in the commit message, suppression of "
                                          "size/oversized-change has no reason"));
}

TEST_CASE("suppression: signature findings cannot be suppressed by the change itself") {
  auto unsigned_commit = finding("signature/missing", "", 0);
  auto result = apply_suppressions({unsigned_commit}, nullptr,
                                   "Fix\n\nagate: ignore[signature/missing] I forgot my key\n");
  CHECK(result.suppressed == 0);
  REQUIRE(result.kept.size() == 1);
  CHECK(result.kept[0].evidence.contains("suppression_refused"));
  CHECK_FALSE(is_suppressible("signature/bad"));
  CHECK(is_suppressible("duplication/clone"));
}

TEST_CASE("suppression: unreadable content suppresses nothing") {
  Contents contents; // knows no file
  auto result =
      apply_suppressions({finding("duplication/clone", "gone.py", 1)}, contents.callback(), "");
  CHECK(result.kept.size() == 1);
  CHECK(result.suppressed == 0);
}

TEST_CASE("suppression: with visible suppressions, only a comment the reviewer sees counts") {
  Contents contents;
  contents.texts[{"auth.py", Side::old_side}] =
      "# agate: ignore[deletion/unrelated] kept for compatibility\ndef validate(t):\n";
  std::vector<Finding> findings{finding("deletion/unrelated", "auth.py", 2, Side::old_side)};
  // Planted and removed inside a range: neither the range's base nor its head holds it.
  VisibleSuppressions none = [](const Finding&) {
    return std::optional<std::vector<Suppression>>(std::vector<Suppression>{});
  };
  auto hidden = apply_suppressions(findings, contents.callback(), "", none);
  CHECK(hidden.suppressed == 0);
  CHECK(hidden.kept.size() == 1);
  // The same comment in the base: it counts, wherever its line is there.
  VisibleSuppressions in_base = [](const Finding&) {
    return std::optional<std::vector<Suppression>>(
        find_suppressions("\n\n# agate: ignore[deletion/unrelated] kept for compatibility\n"));
  };
  auto seen = apply_suppressions(findings, contents.callback(), "", in_base);
  CHECK(seen.suppressed == 1);
  // No answer (the range leaves the file as it was): every comment of the file counts.
  VisibleSuppressions unknown = [](const Finding&) {
    return std::optional<std::vector<Suppression>>();
  };
  CHECK(apply_suppressions(findings, contents.callback(), "", unknown).suppressed == 1);
}
