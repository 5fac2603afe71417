// End-to-end tests of changes built to slip past the gate, each checked with the real binary on a
// real repository in both modes a change meets: the range (`--range BASE..HEAD`, the path of CI
// pull requests and pre-push) and every commit of it alone (`--commit`). A test emptied to a stub
// (also a short one), a function gutted to one line, a function deleted and re-added as a stub,
// a decoy of the deleted name in another file or language, a suppression planted and deleted
// inside the range, and the removal of security checks (an HMAC compare, a validation function
// deleted with its only call and its test) must each give the finding named, in both modes.
#include "tests/e2e/e2e_support.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace {

using agate::test::GitRepo;
using agate::test::TempDir;
using agate::test::e2e::agate_in;
using agate::test::e2e::findings_of;
using agate::test::e2e::parse_report;

const char* const k_auth = R"py(import hmac


def sign(secret, text):
    return hmac.new(secret, text.encode(), "sha256").hexdigest()


def validate_token(secret, token):
    parts = token.split(":")
    if len(parts) != 3:
        raise ValueError("malformed token")
    user, expiry, signature = parts
    expected = sign(secret, user + ":" + expiry)
    if not hmac.compare_digest(expected, signature):
        raise ValueError("bad signature")
    return user


def login(secret, token, sessions):
    user = validate_token(secret, token)
    sessions.append(user)
    return user
)py";

// The body of validate_token, and the whole function with the blank lines after it.
const std::string k_validate_body = "    parts = token.split(\":\")\n    if len(parts) != 3:\n"
                                    "        raise ValueError(\"malformed token\")\n"
                                    "    user, expiry, signature = parts\n"
                                    "    expected = sign(secret, user + \":\" + expiry)\n"
                                    "    if not hmac.compare_digest(expected, signature):\n"
                                    "        raise ValueError(\"bad signature\")\n"
                                    "    return user\n";
const std::string k_validate = "def validate_token(secret, token):\n" + k_validate_body + "\n\n";

const char* const k_tests = R"py(from service.auth import login, sign, validate_token


def test_rejects_malformed():
    try:
        validate_token(b"k", "x")
    except ValueError:
        return
    assert False


def test_signed_token_logs_in():
    secret = b"k"
    token = "ada:1:" + sign(secret, "ada:1")
    sessions = []
    assert login(secret, token, sessions) == "ada"
    assert sessions == ["ada"]
    assert validate_token(secret, token) == "ada"
    assert len(sessions) == 1
)py";

// The body of test_signed_token_logs_in.
const char* const k_logs_in_body = "    secret = b\"k\"\n"
                                   "    token = \"ada:1:\" + sign(secret, \"ada:1\")\n"
                                   "    sessions = []\n"
                                   "    assert login(secret, token, sessions) == \"ada\"\n"
                                   "    assert sessions == [\"ada\"]\n"
                                   "    assert validate_token(secret, token) == \"ada\"\n"
                                   "    assert len(sessions) == 1\n";

const char* const k_billing = R"py(def total(lines):
    return sum(price * quantity for price, quantity in lines)
)py";

const char* const k_billing_feature = R"py(

def total_with_discount(lines, discount):
    return total(lines) * (1 - discount)
)py";

// A repository with the service above; returns the base commit.
std::string make_service(GitRepo& repo) {
  repo.write("service/__init__.py", "");
  repo.write("service/auth.py", k_auth);
  repo.write("service/billing.py", k_billing);
  repo.write("tests/test_auth.py", k_tests);
  repo.write(".agate/config.json", R"({"rules": {"duplication/clone": {"enabled": false}, )"
                                   R"("duplication/bypassed-wrapper": {"enabled": false}}})"
                                   "\n");
  return repo.commit_all("Token service");
}

// `text` with `from` replaced by `to` (which must occur).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// service/auth.py without validate_token.
std::string auth_without_validate() {
  return replaced(k_auth, k_validate, "");
}

// A feature commit beside the hostile edit, so that the change is about something else.
void add_feature(GitRepo& repo) {
  repo.write("service/billing.py", std::string(k_billing) + k_billing_feature);
}

struct Expected {
  std::string rule;
  std::string file;     // the finding's file
  std::string severity; // the least severity expected: "warning" or "error"
};

bool severe_enough(const std::string& got, const std::string& wanted) {
  return wanted == "warning" ? got == "warning" || got == "error" : got == "error";
}

bool holds(const nlohmann::json& report, const Expected& expected) {
  for (const auto& finding : findings_of(report, expected.rule)) {
    if (finding.at("file") == expected.file &&
        severe_enough(finding.at("severity").get<std::string>(), expected.severity)) {
      return true;
    }
  }
  return false;
}

enum class Modes { both, range_only };

// Checks the range base..HEAD and each of its commits alone: the range must hold the expected
// finding, and so must one of its commits (unless only the range can see it).
void expect_caught(GitRepo& repo, const std::string& base, const Expected& expected,
                   Modes modes = Modes::both) {
  auto range = agate_in(repo, {"check", "--range", base + "..HEAD", "--format", "json"});
  INFO("range report: " << range.out << range.err);
  CHECK(range.exit_code == (expected.severity == "error" ? 1 : range.exit_code));
  CHECK(holds(parse_report(range), expected));
  if (modes == Modes::range_only) {
    return;
  }
  auto list = repo.git({"rev-list", "--reverse", base + "..HEAD"});
  bool caught = false;
  std::string reports;
  for (std::size_t start = 0; start < list.size();) {
    auto end = list.find('\n', start);
    const auto id = list.substr(start, end - start);
    start = end == std::string::npos ? list.size() : end + 1;
    if (id.empty()) {
      continue;
    }
    auto commit = agate_in(repo, {"check", "--commit", id, "--format", "json"});
    reports += commit.out + commit.err;
    caught = caught || holds(parse_report(commit), expected);
  }
  INFO("commit reports: " << reports);
  CHECK(caught);
}

} // namespace

TEST_CASE("range bypass e2e: a test emptied to `pass` is a removed test") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("tests/test_auth.py", replaced(k_tests, k_logs_in_body, "    pass\n"));
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/removed-test", "tests/test_auth.py", "error"});
}

TEST_CASE("range bypass e2e: a short test emptied is a removed test") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("tests/test_auth.py",
             replaced(k_tests,
                      "    try:\n        validate_token(b\"k\", \"x\")\n    except ValueError:\n"
                      "        return\n    assert False\n",
                      "    return\n"));
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/removed-test", "tests/test_auth.py", "error"});
}

TEST_CASE("range bypass e2e: a function gutted to one line keeping its header is reported") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("service/auth.py",
             replaced(k_auth, k_validate_body, "    return token.split(\":\")[0]\n"));
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
}

TEST_CASE("range bypass e2e: a function deleted and re-added as a stub later is reported") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  const std::string without = auth_without_validate();
  repo.write("service/auth.py", without);
  repo.commit_all("Add a discounted total");
  repo.write("service/auth.py",
             replaced(without, "def login(",
                      "def validate_token(secret, token):\n    return token\n\n\ndef login("));
  repo.commit_all("Fix the import error");
  expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
}

TEST_CASE("range bypass e2e: a decoy of the deleted name in another file or language is no move") {
  for (const auto& decoy : std::vector<std::pair<std::string, std::string>>{
           {"service/compat.py", "def validate_token(secret, token):\n    return True\n"},
           {"web/compat.js", "function validate_token(secret, token) {\n  return true;\n}\n"}}) {
    CAPTURE(decoy.first);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    const auto base = make_service(repo);
    add_feature(repo);
    repo.write("service/auth.py", auth_without_validate());
    repo.write(decoy.first, decoy.second);
    repo.commit_all("Add a discounted total");
    expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
  }
}

TEST_CASE("range bypass e2e: a suppression planted and deleted inside the range does not count") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  repo.write("service/auth.py",
             replaced(k_auth, "def validate_token(",
                      "# agate: ignore[deletion/unrelated, deletion/dangling-reference, "
                      "deletion/removed-guard] kept for compatibility\ndef validate_token("));
  repo.commit_all("Document the token format");
  add_feature(repo);
  repo.write("service/auth.py", auth_without_validate());
  repo.commit_all("Add a discounted total");
  // The net diff a reviewer reads holds no suppression: the range reports the deletion. (The
  // commit that deletes the code alone shows the comment on its old side, where it suppresses.)
  expect_caught(repo, base, {"deletion/dangling-reference", "service/auth.py", "error"},
                Modes::range_only);
  auto range =
      parse_report(agate_in(repo, {"check", "--range", base + "..HEAD", "--format", "json"}));
  CHECK(range.value("suppressed", 0) == 0);
}

TEST_CASE("range bypass e2e: an HMAC compare removed from a surviving function is an error") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("service/auth.py", replaced(k_auth,
                                         "    if not hmac.compare_digest(expected, signature):\n"
                                         "        raise ValueError(\"bad signature\")\n",
                                         ""));
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/removed-guard", "service/auth.py", "error"});
}

TEST_CASE("range bypass e2e: an HMAC compare rewritten inline without the check is an error") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("service/auth.py",
             replaced(k_auth, "    if not hmac.compare_digest(expected, signature):\n",
                      "    if not expected:\n"));
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/removed-guard", "service/auth.py", "error"});
}

TEST_CASE("range bypass e2e: a validation function deleted with its only call and its test is "
          "not dead code") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  std::string auth = auth_without_validate();
  auth = replaced(auth, "    user = validate_token(secret, token)\n",
                  "    user = token.split(\":\")[0]\n");
  repo.write("service/auth.py", auth);
  std::string tests = replaced(k_tests,
                               "def test_rejects_malformed():\n    try:\n"
                               "        validate_token(b\"k\", \"x\")\n    except ValueError:\n"
                               "        return\n    assert False\n\n\n",
                               "");
  tests = replaced(tests, "    assert validate_token(secret, token) == \"ada\"\n", "");
  tests = replaced(tests, "import login, sign, validate_token", "import login, sign");
  repo.write("tests/test_auth.py", tests);
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/removed-guard", "service/auth.py", "error"});
  expect_caught(repo, base, {"deletion/removed-test", "tests/test_auth.py", "error"});
  expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
}

namespace {

const char* const k_views = R"py(from service.auth import login


def handle(request, sessions):
    return login(request.secret, request.token, sessions)
)py";

// The service with a caller outside it; `login` is what the tricks below take away.
std::string make_service_with_caller(GitRepo& repo) {
  repo.write("web/__init__.py", "");
  repo.write("web/views.py", k_views);
  return make_service(repo);
}

const char* const k_login =
    "\n\ndef login(secret, token, sessions):\n    user = validate_token(secret, token)\n"
    "    sessions.append(user)\n    return user\n";

std::string auth_without_login() {
  return replaced(k_auth, k_login, "\n");
}

// A way to take service/auth.py out of the analysis, applied in the work tree and the index
// (the caller commits what is staged).
struct Trick {
  std::string name;
  std::function<void(GitRepo&)> apply;
};

std::vector<Trick> tricks() {
  const auto staged = [](GitRepo& repo) { repo.git({"add", "-A"}); };
  return {
      {"renamed to .txt",
       [=](GitRepo& repo) {
         repo.remove("service/auth.py");
         repo.write("service/auth.txt", k_auth);
         staged(repo);
       }},
      {"replaced by a symbolic link",
       [=](GitRepo& repo) {
         repo.remove("service/auth.py");
         std::filesystem::create_symlink("billing.py", repo.dir() / "service/auth.py");
         staged(repo);
       }},
      {"replaced by a gitlink",
       [=](GitRepo& repo) {
         staged(repo);
         repo.git({"rm", "--cached", "-q", "service/auth.py"});
         repo.git({"update-index", "--add", "--cacheinfo",
                   "160000," + repo.head() + ",service/auth.py"});
       }},
      {"re-encoded as UTF-16",
       [=](GitRepo& repo) {
         std::string utf16 = "\xFF\xFE";
         for (char c : std::string(k_auth)) {
           utf16 += c;
           utf16 += '\0';
         }
         repo.write("service/auth.py", utf16);
         staged(repo);
       }},
      {"given a NUL byte",
       [=](GitRepo& repo) {
         repo.write("service/auth.py", std::string(k_auth) + std::string(1, '\0') + "\n");
         staged(repo);
       }},
      {"padded past the parse limit",
       [=](GitRepo& repo) {
         repo.write("service/auth.py",
                    std::string(k_auth) + "# " + std::string(std::size_t{1} << 20, 'x') + "\n");
         staged(repo);
       }},
      {"moved under .agate/prompts/",
       [=](GitRepo& repo) {
         repo.remove("service/auth.py");
         repo.write(".agate/prompts/auth.py", k_auth);
         staged(repo);
       }},
      {"renamed to a lock-file name",
       [=](GitRepo& repo) {
         repo.remove("service/auth.py");
         repo.write("service/package-lock.json", k_auth);
         staged(repo);
       }},
  };
}

// Ways to mark service/auth.py as no code to analyze while keeping it readable: judged from the
// base, they exclude nothing.
std::vector<Trick> markings() {
  const auto staged = [](GitRepo& repo) { repo.git({"add", "-A"}); };
  std::vector<Trick> out;
  for (const char* attribute :
       {"linguist-language=Text", "linguist-generated", "linguist-vendored"}) {
    out.push_back({std::string(".gitattributes ") + attribute, [=](GitRepo& repo) {
                     repo.write(".gitattributes",
                                std::string("service/auth.py ") + attribute + "\n");
                     repo.write("service/auth.py", auth_without_login());
                     staged(repo);
                   }});
  }
  out.push_back({"an @generated marker", [=](GitRepo& repo) {
                   repo.write("service/auth.py", "# @generated by hand\n" + auth_without_login());
                   staged(repo);
                 }});
  for (const char* folder : {"vendor", "node_modules"}) {
    out.push_back({std::string("moved under ") + folder + "/", [=](GitRepo& repo) {
                     repo.remove("service/auth.py");
                     repo.write(std::string(folder) + "/auth.py", auth_without_login());
                     staged(repo);
                   }});
  }
  return out;
}

} // namespace

TEST_CASE("range bypass e2e: code the change makes unreadable is reported, its callers checked") {
  for (const auto& trick : tricks()) {
    CAPTURE(trick.name);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    const auto base = make_service_with_caller(repo);
    add_feature(repo);
    trick.apply(repo);
    repo.commit("Add a discounted total");
    expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
    expect_caught(repo, base, {"deletion/dangling-reference", "service/auth.py", "error"});
  }
}

TEST_CASE("range bypass e2e: exclusions the change adds to its own code do not hide a deletion") {
  for (const auto& marking : markings()) {
    CAPTURE(marking.name);
    TempDir tmp;
    GitRepo repo(tmp / "repo");
    const auto base = make_service_with_caller(repo);
    add_feature(repo);
    marking.apply(repo);
    repo.commit("Add a discounted total");
    expect_caught(repo, base, {"deletion/dangling-reference", "service/auth.py", "error"});
  }
}

TEST_CASE("range bypass e2e: lines the change marks generated still count toward its size") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  // A table whose every line the next commit rewrites.
  const auto table = [](int factor) {
    std::string text = "RATES = {\n";
    for (int i = 0; i < 300; ++i) {
      text += "    " + std::to_string(i) + ": " + std::to_string(i * factor) + ",\n";
    }
    return text + "}\n";
  };
  repo.write("service/table.py", table(3));
  agate::test::e2e::write_size_policy(repo, R"({"size": {"warn_lines": 200}})");
  const auto base = repo.commit_all("Tables");
  repo.write(".gitattributes", "service/table.py linguist-generated\n");
  repo.write("service/table.py", table(7));
  repo.commit_all("Regenerate the tables");
  auto range = agate_in(repo, {"check", "--range", base + "..HEAD", "--format", "json"});
  auto commit = agate_in(repo, {"check", "--commit", "HEAD", "--format", "json"});
  for (const auto* result : {&range, &commit}) {
    auto size = findings_of(parse_report(*result), "size/oversized-change");
    REQUIRE(size.size() == 1);
    CHECK(size[0]["evidence"]["changed_lines"].get<int>() >= 300);
  }
}

TEST_CASE("range bypass e2e: a message naming only a file stem explains no deletion in it") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  repo.write("tests/test_auth.py", replaced(k_tests, k_logs_in_body, "    pass\n"));
  repo.commit_all("Tidy auth");
  expect_caught(repo, base, {"deletion/removed-test", "tests/test_auth.py", "error"});
}

TEST_CASE("range bypass e2e: a prompt record made for another diff is no intent") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  const auto base = make_service(repo);
  add_feature(repo);
  repo.write("service/auth.py", auth_without_validate());
  repo.write(".agate/prompts/0001.json",
             R"({"prompt": "Remove validate_token, it is unused", "diff_sha256": ")" +
                 std::string(64, 'a') + "\"}\n");
  repo.commit_all("Add a discounted total");
  expect_caught(repo, base, {"deletion/unrelated", "service/auth.py", "warning"});
}
