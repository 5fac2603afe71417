// End-to-end tests of `duplication/library-logic` with the real binary on real
// repositories made with the git CLI: a staged retry loop in a project whose
// requirements.txt declares tenacity is reported with the dependency and its
// manifest; once committed, a later change that only edits around it is not; a
// Go change that escapes HTML by hand is reported against the standard library;
// and the same loop in a project without tenacity is not reported. (Kept out of
// tests/e2e until the analyzer is registered in gate/app/analyzer_registry.cpp.)
#include "tests/e2e/e2e_support.hpp"

namespace {

using namespace agate::test;
using namespace agate::test::e2e;

const char* const k_client = R"py(import time

import requests


def fetch_prices(url):
    for attempt in range(5):
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            time.sleep(2 ** attempt)
    raise RuntimeError("price service unavailable")
)py";

} // namespace

TEST_CASE("library-logic e2e: a staged retry loop while tenacity is a dependency") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("requirements.txt", "requests==2.31.0\ntenacity==8.2.3\n");
  repo.write("README.md", "prices\n");
  repo.commit_all("start");
  repo.write("app/client.py", k_client);
  repo.git({"add", "app/client.py"});
  auto result = agate_in(repo, {"check", "--staged", "--format", "json"});
  auto report = parse_report(result);
  auto found = findings_of(report, "duplication/library-logic");
  REQUIRE(found.size() == 1);
  CHECK(found[0]["file"] == "app/client.py");
  CHECK(found[0]["line"] == 7);
  CHECK(found[0]["end_line"] == 11);
  CHECK(found[0]["severity"] == "warning");
  CHECK(found[0]["evidence"]["rule_id"] == "library/python-retry-loop");
  CHECK(found[0]["evidence"]["dependency"] == "tenacity");
  CHECK(found[0]["evidence"]["manifest"] == "requirements.txt");
  CHECK(found[0]["message"].get<std::string>().find(
            "hand-written retry loop with sleep in fetch_prices "
            "(app/client.py:7-11): `tenacity` "
            "is a dependency (requirements.txt)") == 0);

  // Once committed, code around it changes without the loop being reported
  // again.
  repo.commit("add the client");
  repo.write("app/client.py", std::string(k_client) + "\n\ndef currency():\n    return \"EUR\"\n");
  repo.git({"add", "app/client.py"});
  auto later = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  CHECK(findings_of(later, "duplication/library-logic").empty());
}

TEST_CASE("library-logic e2e: without the dependency the retry loop is not "
          "reported") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("requirements.txt", "requests==2.31.0\n");
  repo.commit_all("start");
  repo.write("app/client.py", k_client);
  repo.git({"add", "app/client.py"});
  auto report = parse_report(agate_in(repo, {"check", "--staged", "--format", "json"}));
  CHECK(findings_of(report, "duplication/library-logic").empty());
}

TEST_CASE("library-logic e2e: a commit escaping HTML by hand in Go names the "
          "standard library") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("go.mod", "module example.com/web\n\ngo 1.21\n");
  repo.commit_all("start");
  repo.write("web/escape.go", "package web\n\nimport \"strings\"\n\n"
                              "func Escape(s string) string {\n"
                              "\ts = strings.ReplaceAll(s, \"&\", \"&amp;\")\n"
                              "\treturn strings.ReplaceAll(s, \"<\", \"&lt;\")\n}\n");
  auto commit = repo.commit_all("escape helper");
  auto report = parse_report(agate_in(repo, {"check", "--commit", commit, "--format", "json"}));
  auto found = findings_of(report, "duplication/library-logic");
  REQUIRE(found.size() == 1);
  CHECK(found[0]["file"] == "web/escape.go");
  CHECK(found[0]["line"] == 6);
  CHECK(found[0]["end_line"] == 7);
  CHECK(found[0]["evidence"]["rule_id"] == "library/go-html-escape");
  CHECK(found[0]["evidence"]["dependency"].is_null());
  CHECK(found[0]["evidence"]["stdlib"] == "html");
}
