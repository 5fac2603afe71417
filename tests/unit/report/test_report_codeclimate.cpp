// Tests of the Code Quality reporter: every issue has the fields GitLab's documentation requires
// (description, check_name, fingerprint, severity, location.path, location.lines.begin) with the
// documented types and values, fingerprints are unique and stable, and locations are anchors.
#include "gate/report/report.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace agate::gate;
using nlohmann::json;

namespace {

Finding make(std::string rule, Severity severity, std::string file, int line, Side side) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.file = std::move(file);
  f.line = line;
  f.end_line = line;
  f.side = side;
  f.message = "message of " + f.rule;
  f.change = "1a2b3c4";
  return f;
}

Report sample() {
  Report report;
  report.findings = {
      make("size/oversized-change", Severity::error, "", 0, Side::new_side),
      make("deletion/unrelated", Severity::warning, "src/auth.py", 16, Side::old_side),
      make("duplication/clone", Severity::warning, "src/a.py", 3, Side::new_side),
      make("duplication/clone", Severity::warning, "src/a.py", 9, Side::new_side),
      make("provenance/missing-record", Severity::note, "bad\xffname.py", 0, Side::new_side),
  };
  report.findings[0].hint = "Split the change.";
  return report;
}

// GitLab's documented Code Quality shape: the required keys and their types, severity one of
// info, minor, major, critical, blocker, lines.begin a positive integer.
void check_gitlab_shape(const json& issues) {
  REQUIRE(issues.is_array());
  std::set<std::string> fingerprints;
  for (const auto& issue : issues) {
    CAPTURE(issue.dump());
    REQUIRE(issue.is_object());
    CHECK(issue["description"].is_string());
    CHECK(issue["check_name"].is_string());
    CHECK(issue["fingerprint"].is_string());
    CHECK(fingerprints.insert(issue["fingerprint"].get<std::string>()).second);
    std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
    CHECK(severities.count(issue["severity"].get<std::string>()) == 1);
    CHECK(issue["location"]["path"].is_string());
    CHECK(!issue["location"]["path"].get<std::string>().empty());
    CHECK(issue["location"]["lines"]["begin"].is_number_integer());
    CHECK(issue["location"]["lines"]["begin"].get<int>() >= 1);
    CHECK(issue["type"] == "issue");
    CHECK(issue["categories"].is_array());
  }
}

} // namespace

TEST_CASE("report codeclimate: the documented GitLab Code Quality shape, one issue per finding") {
  Report report = sample();
  std::string out = render(Format::codeclimate, report);
  CHECK(parse_format("codeclimate") == Format::codeclimate);
  CHECK(to_string(Format::codeclimate) == "codeclimate");
  json issues = json::parse(out);
  REQUIRE(issues.size() == report.findings.size());
  check_gitlab_shape(issues);
  CHECK(issues[0]["check_name"] == "size/oversized-change");
  CHECK(issues[0]["severity"] == "critical");
  CHECK(issues[0]["content"]["body"] == "Split the change.");
  CHECK(issues[0]["description"] == "message of size/oversized-change (the whole change 1a2b3c4)");
  CHECK(issues[1]["severity"] == "minor");
  CHECK(issues[1]["categories"] == json::array({"Bug Risk"}));
  CHECK(issues[2]["location"] == json{{"path", "src/a.py"}, {"lines", {{"begin", 3}}}});
  CHECK(issues[4]["severity"] == "info");
  CHECK(issues[4]["location"]["path"] == "bad\\xffname.py");
  // Identical findings: one fingerprint, told apart by the occurrence.
  std::string a = issues[2]["fingerprint"];
  std::string b = issues[3]["fingerprint"];
  CHECK(a.substr(0, 16) == b.substr(0, 16));
  CHECK(a.ends_with(":1"));
  CHECK(b.ends_with(":2"));
  CHECK(render_codeclimate(report) == out);
  CHECK(render_codeclimate(Report{}) == "[]\n");
}

TEST_CASE("report codeclimate: locations are the anchors, deleted code is quoted") {
  Report report = sample();
  report.anchors.resize(report.findings.size());
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    report.anchors[i] = own_anchor(report.findings[i], {});
  }
  report.anchors[0].path = "src/a.py";
  report.anchors[0].line = 1;
  report.anchors[1].path = "src/auth.py";
  report.anchors[1].line = 14;
  report.anchors[1].deleted_code = {"def validate_token(secret, token):"};
  json issues = json::parse(render_codeclimate(report));
  check_gitlab_shape(issues);
  CHECK(issues[0]["location"] == json{{"path", "src/a.py"}, {"lines", {{"begin", 1}}}});
  CHECK(issues[1]["location"] == json{{"path", "src/auth.py"}, {"lines", {{"begin", 14}}}});
  CHECK(issues[1]["description"].get<std::string>().find(
            "Deleted from src/auth.py:\n    def validate_token(secret, token):") !=
        std::string::npos);
  CHECK(issues[1]["fingerprint"] == report.anchors[1].fingerprint + ":1");
}
