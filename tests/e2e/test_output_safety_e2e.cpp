// End-to-end tests of output safety: a commit whose message, author, committer, file paths and
// prompt record carry terminal escapes (OSC 52 clipboard writes, screen clears), bidi controls
// and bytes that are not UTF-8, run through every command and output format of the real binary.
// Nothing of it may reach the output raw: controls and format characters are shown as escapes,
// JSON stays valid, and two paths that differ only in such bytes never print the same.
#include "gate/util/sanitize.hpp"
#include "tests/e2e/e2e_support.hpp"
#include "tests/support/gpg_support.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::RunResult;
using agate::test::TempDir;
using agate::test::e2e::agate_in;

// OSC 52 (set the clipboard to "evil"), a screen clear, a one-byte CSI and a bell.
const std::string k_osc52 = "\x1b]52;c;ZXZpbA==\x07";
const std::string k_clear = "\x1b[2J";
const std::string k_rlo = "\xe2\x80\xae";  // U+202E RIGHT-TO-LEFT OVERRIDE
const std::string k_lri = "\xe2\x81\xa6";  // U+2066 LEFT-TO-RIGHT ISOLATE
const std::string k_zwsp = "\xe2\x80\x8b"; // U+200B ZERO WIDTH SPACE
const std::string k_csi1 = "\xc2\x9b";     // U+009B, the one-byte CSI
const std::string k_latin1 = "caf\xe9";    // not UTF-8
const std::string k_hostile_name = "Mallory" + k_osc52 + k_rlo + "rotinom";
const std::string k_hostile_email = "mallory" + k_lri + "@example.com" + k_clear;

// Fails the test when `out` holds any raw control, C1 control, bidi or zero-width character, or
// a byte that is not part of valid UTF-8 (tabs and newlines aside).
void check_clean(const std::string& out, const std::string& what) {
  INFO(what << ":\n" << out);
  for (char c : out) {
    auto byte = static_cast<unsigned char>(c);
    bool control = (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f;
    CHECK_FALSE(control);
    if (control) {
      break;
    }
  }
  for (const std::string& hidden : {k_rlo, k_lri, k_zwsp, k_csi1}) {
    CHECK(out.find(hidden) == std::string::npos);
  }
  CHECK(agate::gate::is_valid_utf8(out));
}

// Runs git with the repository's environment but a hostile author and committer.
void commit_as_mallory(GitRepo& repo, const std::vector<std::string>& args) {
  agate::test::RunOptions options;
  options.cwd = repo.dir();
  options.env = repo.env();
  options.env["GIT_AUTHOR_NAME"] = k_hostile_name;
  options.env["GIT_AUTHOR_EMAIL"] = k_hostile_email;
  options.env["GIT_COMMITTER_NAME"] = k_hostile_name;
  options.env["GIT_COMMITTER_EMAIL"] = k_hostile_email;
  std::vector<std::string> argv = {"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = agate::test::run(argv, options);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

// A repository whose last commit deletes a tested function in a file whose path holds bidi and
// non-UTF-8 bytes, with a hostile message, identity and prompt record.
struct HostileRepo {
  TempDir tmp;
  GitRepo repo{tmp / "repo"};
  std::string bad_path = "src/" + k_latin1 + k_rlo + "yp.py";
  std::string twin_path = "src/caf\\xe9" + k_rlo + "yp.py"; // the escape written out

  HostileRepo() {
    repo.write(".agate/config.json", R"({"fail_on": "warning"})");
    std::string code;
    for (std::string name : {"alpha", "beta", "gamma"}) {
      code += "def " + name + "(x):\n    if x is None:\n        raise ValueError('x')\n";
      code += "    total = x * 2\n    total += 1\n    return total\n\n";
    }
    repo.write(bad_path, code);
    repo.write(twin_path, code);
    repo.commit_all("base");
    repo.write(bad_path, "def alpha(x):\n    return x\n");
    repo.write(twin_path, "def alpha(x):\n    return x\n");
    repo.add_all();
    auto recorded =
        agate_in(repo, {"record", "--prompt", "Tidy" + k_osc52 + " the module" + k_rlo, "--tool",
                        "claude-code" + k_osc52, "--model", "sonnet" + k_rlo + "x"});
    INFO(recorded.out << recorded.err);
    REQUIRE(recorded.exit_code == 0);
    commit_as_mallory(repo, {"commit", "-q", "--no-verify", "-m",
                             "Tidy" + k_osc52 + k_clear + " things" + k_zwsp + "\n\nBody " +
                                 k_csi1 + "31m red " + k_latin1});
  }
};

} // namespace

TEST_CASE("output safety e2e: check in text, github and markdown shows hostile data escaped") {
  HostileRepo hostile;
  for (const char* format : {"text", "github", "markdown"}) {
    CAPTURE(format);
    auto result = agate_in(hostile.repo, {"check", "--commit", "HEAD", "--format", format});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    check_clean(result.out, format);
    check_clean(result.err, "stderr");
    // Both files are reported, and they do not print the same.
    CHECK(result.out.find("caf\\xe9\\u202eyp.py") != std::string::npos);
    CHECK(result.out.find("caf\\\\xe9\\u202eyp.py") != std::string::npos);
  }
}

TEST_CASE("output safety e2e: JSON and SARIF stay valid JSON and keep the bytes apart") {
  HostileRepo hostile;
  auto result = agate_in(hostile.repo, {"check", "--commit", "HEAD", "--format", "json"});
  auto report = agate::test::e2e::parse_report(result);
  std::set<std::string> files;
  for (const auto& finding : report.at("findings")) {
    files.insert(finding.at("file").get<std::string>());
  }
  // The bad byte as text, in valid UTF-8. (The twin that spells the escape out reads the same
  // here, as docs/output-formats.md says; SARIF keeps them apart.)
  CHECK(files.count("src/caf\\xe9" + k_rlo + "yp.py") == 1);
  auto sarif = agate_in(hostile.repo, {"check", "--commit", "HEAD", "--format", "sarif"});
  auto doc = nlohmann::json::parse(sarif.out, nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  CHECK(sarif.out.find("src/caf%E9%E2%80%AEyp.py") != std::string::npos);
  CHECK(sarif.out.find("src/caf%5Cxe9%E2%80%AEyp.py") != std::string::npos);
}

TEST_CASE("output safety e2e: log, show and export escape the commit and the prompt record") {
  HostileRepo hostile;
  auto log = agate_in(hostile.repo, {"log"});
  INFO(log.err);
  REQUIRE(log.exit_code == 0);
  check_clean(log.out, "log");
  CHECK(log.out.find("claude-code\\x1b]52;c;ZXZpbA==\\x07/sonnet\\u202ex") != std::string::npos);

  auto show = agate_in(hostile.repo, {"show", "HEAD"});
  INFO(show.err);
  REQUIRE(show.exit_code == 0);
  check_clean(show.out, "show");
  CHECK(show.out.find("Mallory\\x1b]52;c;ZXZpbA==\\x07\\u202erotinom") != std::string::npos);
  CHECK(show.out.find("mallory\\u2066@example.com\\x1b[2J") != std::string::npos);
  // A message that is not UTF-8 is read as Latin-1 text.
  CHECK(show.out.find("Body \\u009b31m red caf\xc3\xa9") != std::string::npos);

  auto exported = agate_in(hostile.repo, {"export", "--agent-trace", "HEAD~1..HEAD"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(agate::gate::is_valid_utf8(exported.out));
  auto trace = nlohmann::json::parse(exported.out, nullptr, false);
  REQUIRE_FALSE(trace.is_discarded());
  CHECK(exported.out.find('\x1b') == std::string::npos);
}

TEST_CASE("output safety e2e: verify escapes the committer's email and name") {
  agate::test::GpgHome gpg;
  const std::string ada = gpg.generate_key("Ada Tester <ada@example.com>");
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write(".agate/keys/ada.asc", gpg.export_key(ada));
  repo.commit_all("base");
  commit_as_mallory(repo, {"-c", "gpg.program=" + gpg.program().string(), "-c",
                           "user.signingkey=" + ada, "commit", "-q", "--allow-empty", "--no-verify",
                           "-S", "-m", "Signed" + k_osc52});
  auto result = agate_in(repo, {"verify", "HEAD"});
  INFO(result.err);
  CHECK(result.out.find("identity-mismatch") != std::string::npos);
  check_clean(result.out, "verify");
  check_clean(result.err, "verify stderr");
  CHECK(result.out.find("mallory\\u2066@example.com\\x1b[2J") != std::string::npos);
}

TEST_CASE("output safety e2e: an error message naming a hostile revision is escaped") {
  HostileRepo hostile;
  auto result = agate_in(hostile.repo, {"check", "--commit", "no" + k_osc52 + k_rlo});
  agate::test::e2e::check_one_line_error(result);
  check_clean(result.err, "error");
}
