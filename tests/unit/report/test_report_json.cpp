// Tests of the JSON reporter: the stable shape of docs/output-formats.md, parsed back and checked
// field by field, as a CI script or another tool reads it.
#include "gate/report/report.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace agate::gate;
using nlohmann::json;

namespace {

Report sample_report() {
  Report report;
  report.tool_version = "0.1.0";
  report.source = "range abc..def";
  report.source_json = {
      {"kind", "range"}, {"base", "abc"}, {"head", "def"}, {"commits", json::array({"def"})}};
  report.fail_on = Severity::warning;
  report.suppressed = 1;
  report.files_checked = 2;
  report.changes_checked = 1;

  Finding whole;
  whole.rule = "signature/missing";
  whole.severity = Severity::error;
  whole.message = "Commit def is not signed.";
  whole.hint = "Sign it with `git commit -S`.";
  whole.change = "def";

  Finding old_side;
  old_side.rule = "deletion/removed-test";
  old_side.severity = Severity::warning;
  old_side.file = "tests/test_app.py";
  old_side.line = 12;
  old_side.end_line = 20;
  old_side.side = Side::old_side;
  old_side.message = "test_login was deleted.";
  old_side.evidence = {{"test", "test_login"}, {"lines", 9}};
  old_side.change = "def";

  Finding one_line;
  one_line.rule = "deletion/dangling-reference";
  one_line.severity = Severity::note;
  one_line.file = "src/app.py";
  one_line.line = 7;
  one_line.end_line = 0; // not set by the analyzer: reported as the line itself
  one_line.message = "helper() is still called here.";
  one_line.change = "def";

  report.findings = {whole, old_side, one_line};
  report.notes = {{"assets/logo.png", "binary file"}};
  return report;
}

} // namespace

TEST_CASE("report json: the stable shape, parsed back field by field") {
  std::string out = render_json(sample_report());
  json doc = json::parse(out);

  CHECK(doc["version"] == 1);
  CHECK(doc["tool"] == json{{"name", "agate"}, {"version", "0.1.0"}});
  CHECK(doc["source"]["kind"] == "range");
  CHECK(doc["source"]["base"] == "abc");
  CHECK(doc["source"]["head"] == "def");
  CHECK(doc["source"]["commits"] == json::array({"def"}));
  CHECK(doc["source"]["description"] == "range abc..def");

  REQUIRE(doc["findings"].size() == 3);
  const json& whole = doc["findings"][0];
  CHECK(whole["rule"] == "signature/missing");
  CHECK(whole["severity"] == "error");
  CHECK(whole["file"] == "");
  CHECK(whole["line"] == 0);
  CHECK(whole["end_line"] == 0);
  CHECK(whole["side"] == "new");
  CHECK(whole["message"] == "Commit def is not signed.");
  CHECK(whole["evidence"] == json::object());
  CHECK(whole["hint"] == "Sign it with `git commit -S`.");
  CHECK(whole["change"] == "def");

  const json& old_side = doc["findings"][1];
  CHECK(old_side["file"] == "tests/test_app.py");
  CHECK(old_side["line"] == 12);
  CHECK(old_side["end_line"] == 20);
  CHECK(old_side["side"] == "old");
  CHECK(old_side["severity"] == "warning");
  CHECK(old_side["evidence"] == json{{"test", "test_login"}, {"lines", 9}});
  CHECK(old_side["hint"] == "");

  const json& one_line = doc["findings"][2];
  CHECK(one_line["line"] == 7);
  CHECK(one_line["end_line"] == 7);
  CHECK(one_line["severity"] == "note");

  // Every finding has every field, always of the same type.
  for (const json& finding : doc["findings"]) {
    for (const char* key : {"rule", "severity", "file", "side", "message", "hint", "change"}) {
      CHECK_MESSAGE(finding[key].is_string(), key);
    }
    CHECK(finding["line"].is_number_integer());
    CHECK(finding["end_line"].is_number_integer());
    CHECK(finding["evidence"].is_object());
  }

  CHECK(doc["notes"] == json::array({{{"file", "assets/logo.png"}, {"message", "binary file"}}}));

  const json& summary = doc["summary"];
  CHECK(summary["error"] == 1);
  CHECK(summary["warning"] == 1);
  CHECK(summary["note"] == 1);
  CHECK(summary["total"] == 3);
  CHECK(summary["failed"] == true);
  CHECK(summary["fail_on"] == "warning");
  CHECK(summary["suppressed"] == 1);
  CHECK(summary["files_checked"] == 2);
  CHECK(summary["changes_checked"] == 1);
}

TEST_CASE("report json: indented by two, documented key order, deterministic") {
  Report report = sample_report();
  std::string out = render_json(report);
  CHECK(out.starts_with("{\n  \"version\": 1,\n  \"tool\": {"));
  CHECK(out.ends_with("}\n"));
  CHECK(out.find("\"rule\": \"signature/missing\",\n      \"severity\": \"error\",\n      "
                 "\"file\": \"\",\n      \"line\": 0,\n      \"end_line\": 0,\n      \"side\": "
                 "\"new\",\n      \"message\"") != std::string::npos);
  CHECK(out.find("\"findings\"") < out.find("\"notes\""));
  CHECK(out.find("\"notes\"") < out.find("\"summary\""));
  CHECK(render_json(report) == out);
  CHECK(render(Format::json, report) == out);
}

TEST_CASE("report json: no findings, fail-on never, and bytes that are not UTF-8") {
  Report report;
  report.tool_version = "0.1.0";
  json doc = json::parse(render_json(report));
  CHECK(doc["findings"] == json::array());
  CHECK(doc["notes"] == json::array());
  CHECK(doc["source"] == json::object());
  CHECK(doc["summary"]["fail_on"] == "never");
  CHECK(doc["summary"]["failed"] == false);
  CHECK(doc["summary"]["total"] == 0);

  Finding bad;
  bad.rule = "deletion/removed-test";
  bad.file = "tests/caf\xe9.py"; // Latin-1 file name: not UTF-8
  bad.line = 1;
  bad.end_line = 1;
  bad.message = "test \xff deleted";
  bad.evidence = {{"name", "x\xfe"}};
  report.findings = {bad};
  std::string out;
  CHECK_NOTHROW(out = render_json(report));
  doc = json::parse(out);
  CHECK(doc["findings"][0]["file"] == "tests/caf\\xe9.py");
  CHECK(doc["findings"][0]["message"] == "test \\xff deleted");
  CHECK(doc["findings"][0]["evidence"]["name"] == "x\\xfe");
}
