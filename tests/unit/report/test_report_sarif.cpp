// Tests of the SARIF reporter: the output validates against the SARIF 2.1.0 JSON schema (run by
// node with Ajv, tests/tools/validate-sarif.mjs), the validator rejects what it must, and the
// fields GitHub code scanning reads are right when parsed back.
#include "gate/report/report.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace agate::gate;
using agate::test::TempDir;
using nlohmann::json;

namespace {

Finding make(std::string rule, Severity severity, std::string file, int line, int end_line,
             std::string message) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.file = std::move(file);
  f.line = line;
  f.end_line = end_line;
  f.message = std::move(message);
  f.change = "1a2b3c4";
  return f;
}

// Findings of every kind: whole change, new side, old side (deleted lines and a deleted file),
// no line, file names with spaces, unicode and URI delimiters, and two identical findings.
Report every_kind() {
  Report report;
  report.tool_version = "0.1.0";
  report.source = "commit 1a2b3c4";
  report.source_json = {{"kind", "commit"}, {"head", "1a2b3c4"}};
  report.fail_on = Severity::error;
  report.files_checked = 5;
  report.changes_checked = 1;

  Finding whole = make("size/oversized-change", Severity::warning, "", 0, 0,
                       "1200 changed lines is too large to review.");
  whole.evidence = {{"lines", 1200}};
  whole.hint = "Split the change.";
  Finding added = make("duplication/clone", Severity::error, "dir with space/caf\xc3\xa9.py", 3, 9,
                       "parse() duplicates util.parse().");
  added.evidence = {{"other", "util.py:1-7"}};
  Finding removed = make("deletion/removed-guard", Severity::error, "src/app.py", 20, 22,
                         "A None check was deleted.");
  removed.side = Side::old_side;
  Finding deleted_file = make("deletion/removed-test", Severity::warning, "tests/test_old.py", 1,
                              40, "The whole test file was deleted.");
  deleted_file.side = Side::old_side;
  Finding no_line = make("provenance/missing-record", Severity::note, "a:b#c?d%e.py", 0, 0,
                         "No prompt record covers this file.");
  Finding twin_a = make("duplication/clone", Severity::warning, "x.py", 1, 2, "same message");
  Finding twin_b = make("duplication/clone", Severity::warning, "x.py", 5, 6, "same message");
  Finding unknown = make("custom/rule", Severity::note, "\xe6\x97\xa5\xe6\x9c\xac/\xe8\xaa\x9e.go",
                         1, 1, "A rule this version does not describe.");
  report.findings = {whole, added, removed, deleted_file, no_line, twin_a, twin_b, unknown};
  report.notes = {{"big file.bin", "binary file"}, {"", "the tree-sitter grammar for x failed"}};
  return report;
}

// Runs the schema validator once over `files` (compiling the schema takes most of the time).
agate::test::RunResult validate(const std::vector<std::filesystem::path>& files,
                                bool github = false) {
  std::vector<std::string> argv = {
      "node", std::string(AGATE_SOURCE_DIR) + "/tests/tools/validate-sarif.mjs", "--node-modules",
      AGATE_NODE_MODULES};
  if (github) {
    argv.push_back("--github");
  }
  for (const auto& file : files) {
    argv.push_back(file.string());
  }
  return agate::test::run(argv);
}

// The validator's complaints about one file.
std::string errors_of(const agate::test::RunResult& result, const std::filesystem::path& file) {
  std::string lines;
  std::string prefix = file.string() + ": ";
  std::size_t at = 0;
  while ((at = result.err.find(prefix, at)) != std::string::npos) {
    std::size_t end = result.err.find('\n', at);
    lines += result.err.substr(at, end - at) + "\n";
    at = end;
  }
  return lines;
}

} // namespace

TEST_CASE("report sarif: findings of every kind validate against the SARIF 2.1.0 schema") {
  TempDir dir;
  agate::test::write_file(dir / "every.sarif", render_sarif(every_kind()));
  agate::test::write_file(dir / "empty.sarif", render_sarif(Report{}));
  RenderOptions options;
  options.information_uri = "https://example.org/agate";
  agate::test::write_file(dir / "uri.sarif", render_sarif(every_kind(), options));
  options.sarif_change_anchor.clear();
  agate::test::write_file(dir / "no-anchor.sarif", render_sarif(every_kind(), options));

  // Valid SARIF, and acceptable to GitHub code scanning: every result has a physical location.
  // Without the anchor a whole-change finding has only a logical location: the schema takes it
  // (GitHub's rules are checked only once the schema passes) but GitHub would reject the upload.
  auto result = validate(
      {dir / "every.sarif", dir / "empty.sarif", dir / "uri.sarif", dir / "no-anchor.sarif"}, true);
  INFO(result.err);
  CHECK(result.out.find("every.sarif: valid SARIF 2.1.0") != std::string::npos);
  CHECK(result.out.find("empty.sarif: valid SARIF 2.1.0") != std::string::npos);
  CHECK(result.out.find("uri.sarif: valid SARIF 2.1.0") != std::string::npos);
  CHECK(
      errors_of(result, dir / "no-anchor.sarif") ==
      (dir / "no-anchor.sarif").string() +
          ": runs[0].results[0].locations[0]: github: no physicalLocation.artifactLocation.uri\n");
  CHECK(result.exit_code == 1);
}

TEST_CASE("report sarif: the validator rejects invalid SARIF, so passing means something") {
  TempDir dir;
  json doc = json::parse(render_sarif(every_kind()));
  auto variant = [&](const std::string& name, auto change) {
    json copy = doc;
    change(copy);
    agate::test::write_file(dir / name, copy.dump());
    return dir / name;
  };
  json& first = doc["runs"][0]["results"][1];
  REQUIRE(first["locations"][0]["physicalLocation"].contains("region"));
  auto level =
      variant("level.sarif", [](json& d) { d["runs"][0]["results"][0]["level"] = "fatal"; });
  auto space = variant("space.sarif", [](json& d) {
    d["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "dir with space/a.py";
  });
  auto zero = variant("zero.sarif", [](json& d) {
    d["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  });
  auto index = variant("index.sarif", [](json& d) { d["runs"][0]["results"][1]["ruleIndex"] = 0; });
  auto version = variant("version.sarif", [](json& d) { d.erase("version"); });
  auto extra = variant("extra.sarif", [](json& d) { d["runs"][0]["results"][1]["colour"] = 1; });
  auto broken = dir / "broken.sarif";
  agate::test::write_file(broken, "{\"version\": ");
  auto good = dir / "good.sarif";
  agate::test::write_file(good, doc.dump());

  auto result = validate({level, space, zero, index, version, extra, broken, good});
  CHECK(result.exit_code == 1);
  CHECK(errors_of(result, level)
            .find("/runs/0/results/0/level must be equal to one of the "
                  "allowed values") != std::string::npos);
  CHECK(errors_of(result, space).find("must match format \"uri-reference\"") != std::string::npos);
  CHECK(errors_of(result, zero).find("/region/startLine must be >= 1") != std::string::npos);
  CHECK(errors_of(result, index).find("ruleIndex 0 is custom/rule") != std::string::npos);
  CHECK(errors_of(result, version).find("must have required property 'version'") !=
        std::string::npos);
  CHECK(errors_of(result, extra).find("must NOT have additional properties") != std::string::npos);
  CHECK(errors_of(result, broken).find("not readable JSON") != std::string::npos);
  CHECK(errors_of(result, good).empty());
  CHECK(result.out.find(good.string() + ": valid SARIF 2.1.0") != std::string::npos);
}

TEST_CASE("report sarif: driver, rules and results as GitHub code scanning reads them") {
  Report report = every_kind();
  json doc = json::parse(render_sarif(report));
  CHECK(doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  CHECK(doc["version"] == "2.1.0");
  REQUIRE(doc["runs"].size() == 1);
  const json& run = doc["runs"][0];
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "agate");
  CHECK(driver["version"] == "0.1.0");
  CHECK_FALSE(driver.contains("informationUri"));

  // Every rule used, once, sorted by id; ruleIndex points at it.
  const json& rules = driver["rules"];
  REQUIRE(rules.size() == 6);
  CHECK(rules[0]["id"] == "custom/rule");
  CHECK(rules[0]["shortDescription"]["text"] == "custom/rule");
  CHECK(rules[1]["id"] == "deletion/removed-guard");
  CHECK(rules[1]["shortDescription"]["text"] == "Error handling or an assertion was deleted.");
  // The level is the rule's default severity from the catalog, whatever the findings have here.
  CHECK(rules[1]["defaultConfiguration"]["level"] == "warning");
  CHECK(rules[1]["help"]["text"] == "Error handling or an assertion was deleted. Documentation: "
                                    "docs/rules-deletion.md#deletionremoved-guard in the agate "
                                    "repository.");
  CHECK_FALSE(rules[1].contains("helpUri"));
  CHECK(rules[3]["id"] == "duplication/clone");
  CHECK(rules[3]["defaultConfiguration"]["level"] == "warning");
  // A rule the catalog does not know: the highest severity it has in the report, no help.
  CHECK(rules[0]["defaultConfiguration"]["level"] == "note");
  CHECK_FALSE(rules[0].contains("help"));
  // With a project address, each rule's helpUri is its documentation page below it.
  RenderOptions with_uri;
  with_uri.information_uri = "https://example.org/agate";
  const json linked = json::parse(render_sarif(report, with_uri))["runs"][0]["tool"]["driver"];
  CHECK(linked["rules"][1]["helpUri"] ==
        "https://example.org/agate/docs/rules-deletion.md#deletionremoved-guard");
  CHECK(linked["rules"][0]["helpUri"] == "https://example.org/agate");
  const json& results = run["results"];
  REQUIRE(results.size() == report.findings.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    CHECK(results[i]["ruleId"] == report.findings[i].rule);
    CHECK(rules[results[i]["ruleIndex"].get<std::size_t>()]["id"] == report.findings[i].rule);
    CHECK(results[i]["locations"].size() == 1);
  }

  // Whole change: logical location naming the change, anchored at the policy file, no region.
  const json& whole = results[0];
  CHECK(whole["level"] == "warning");
  CHECK(whole["message"]["text"] == "1200 changed lines is too large to review.\n\nHint: Split "
                                    "the change.");
  CHECK(whole["locations"][0]["logicalLocations"][0]["name"] == "1a2b3c4");
  CHECK(whole["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        ".agate/config.json");
  CHECK_FALSE(whole["locations"][0]["physicalLocation"].contains("region"));
  CHECK(whole["properties"]["wholeChange"] == true);
  CHECK(whole["properties"]["evidence"] == json{{"lines", 1200}});

  // New side: percent-encoded URI and a 1-based region.
  const json& added = results[1];
  CHECK(added["level"] == "error");
  CHECK(added["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "dir%20with%20space/caf%C3%A9.py");
  CHECK(added["locations"][0]["physicalLocation"]["region"] ==
        json{{"startLine", 3}, {"endLine", 9}});
  CHECK(added["properties"]["side"] == "new");

  // Old side, in a report without anchors: the old lines are not in the analysed revision, so
  // the location is the file without a region; the old lines are in properties.oldRegion.
  const json& removed = results[2];
  CHECK(removed["properties"]["side"] == "old");
  CHECK(removed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/app.py");
  CHECK_FALSE(removed["locations"][0]["physicalLocation"].contains("region"));
  CHECK(removed["properties"]["oldRegion"] == json{{"startLine", 20}, {"endLine", 22}});
  CHECK(removed["message"]["text"] ==
        "A None check was deleted.\n\nIn the old version of src/app.py, lines 20-22.");

  // No line: no region; ':' '#' '?' '%' encoded.
  const json& no_line = results[4];
  CHECK(no_line["level"] == "note");
  CHECK(no_line["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "a%3Ab%23c%3Fd%25e.py");
  CHECK_FALSE(no_line["locations"][0]["physicalLocation"].contains("region"));
  CHECK(results[7]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "%E6%97%A5%E6%9C%AC/%E8%AA%9E.go");

  // Notes are tool execution notifications.
  const json& notifications = run["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notifications.size() == 2);
  CHECK(notifications[0]["message"]["text"] == "binary file");
  CHECK(notifications[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "big%20file.bin");
  CHECK_FALSE(notifications[1].contains("locations"));
  CHECK(run["properties"]["failed"] == true);
  CHECK(run["properties"]["failOn"] == "error");
}

TEST_CASE("report sarif: fingerprints are stable, distinct, and count identical findings") {
  Report report = every_kind();
  std::string out = render_sarif(report);
  CHECK(render_sarif(report) == out);
  CHECK(render(Format::sarif, report) == out);
  CHECK(out.find("Time") == std::string::npos); // no timestamps
  json results = json::parse(out)["runs"][0]["results"];
  auto print = [&](std::size_t i) {
    return results[i]["partialFingerprints"]["agateFindingHash/v1"].get<std::string>();
  };
  // The twins differ only in their lines: same hash, occurrence 1 and 2.
  std::string twin_a = print(5);
  std::string twin_b = print(6);
  CHECK(twin_a.size() == 18);
  CHECK(twin_a.ends_with(":1"));
  CHECK(twin_b.ends_with(":2"));
  CHECK(twin_a.substr(0, 16) == twin_b.substr(0, 16));
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(print(i).substr(0, 16) != twin_a.substr(0, 16));
  }
  // Moving a finding to other lines keeps its fingerprint (GitHub tracks it as the same alert).
  Report moved = report;
  moved.findings[1].line += 10;
  moved.findings[1].end_line += 10;
  CHECK(json::parse(render_sarif(moved))["runs"][0]["results"][1]["partialFingerprints"] ==
        results[1]["partialFingerprints"]);
}

TEST_CASE("report sarif: with anchors every result sits at a line of the analysed revision") {
  Report report = every_kind();
  // The anchors the pipeline computes from the change set: the deleted guard on the nearest
  // surviving line with its code, the deleted test file and the whole change on the first file
  // the change keeps.
  report.anchors.resize(report.findings.size());
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    report.anchors[i] = own_anchor(report.findings[i], {});
  }
  report.anchors[0].path = "dir with space/caf\xc3\xa9.py";
  report.anchors[0].line = report.anchors[0].end_line = 3;
  report.anchors[2].path = "src/app.py";
  report.anchors[2].line = report.anchors[2].end_line = 19;
  report.anchors[2].deleted_code = {"if user is None:", "    raise Denied()"};
  report.anchors[3].path = "dir with space/caf\xc3\xa9.py";
  report.anchors[3].line = report.anchors[3].end_line = 3;
  json results = json::parse(render_sarif(report))["runs"][0]["results"];

  const json& whole = results[0]["locations"][0];
  CHECK(whole["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/caf%C3%A9.py");
  CHECK(whole["physicalLocation"]["region"] == json{{"startLine", 3}, {"endLine", 3}});
  CHECK(whole["logicalLocations"][0]["name"] == "1a2b3c4");

  const json& removed = results[2];
  CHECK(removed["locations"][0]["physicalLocation"]["region"] ==
        json{{"startLine", 19}, {"endLine", 19}});
  CHECK(removed["properties"]["oldRegion"] == json{{"startLine", 20}, {"endLine", 22}});
  CHECK(removed["message"]["text"] ==
        "A None check was deleted.\n\nIn the old version of src/app.py, lines 20-22, deleted:\n"
        "    if user is None:\n        raise Denied()\n");
  CHECK(results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "dir%20with%20space/caf%C3%A9.py");
  // The fingerprint is the anchor's.
  CHECK(results[2]["partialFingerprints"]["agateFindingHash/v1"] ==
        report.anchors[2].fingerprint + ":1");

  TempDir dir;
  agate::test::write_file(dir / "anchored.sarif", render_sarif(report));
  auto verdict = validate({dir / "anchored.sarif"}, true);
  CHECK_MESSAGE(verdict.exit_code == 0, verdict.out << verdict.err);
}

TEST_CASE("report sarif: the --github check enforces code scanning's documented requirements") {
  TempDir dir;
  json doc = json::parse(render_sarif(every_kind()));
  auto variant = [&](const std::string& name, auto change) {
    json copy = doc;
    change(copy);
    agate::test::write_file(dir / name, copy.dump());
    return dir / name;
  };
  auto absolute = variant("absolute.sarif", [](json& d) {
    d["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "file:///home/runner/work/a.py";
  });
  auto up = variant("up.sarif", [](json& d) {
    d["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "src/../../etc/passwd";
  });
  auto unprinted = variant(
      "unprinted.sarif", [](json& d) { d["runs"][0]["results"][1].erase("partialFingerprints"); });
  auto tags = variant("tags.sarif", [](json& d) {
    json many = json::array();
    for (int i = 0; i < 21; ++i) {
      many.push_back("t" + std::to_string(i));
    }
    d["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"] = many;
  });
  auto result = validate({absolute, up, unprinted, tags}, true);
  CHECK(result.exit_code == 1);
  CHECK(errors_of(result, absolute).find("is not relative to the repository") != std::string::npos);
  CHECK(errors_of(result, up).find("is not relative to the repository") != std::string::npos);
  CHECK(errors_of(result, unprinted).find("github: no partialFingerprints") != std::string::npos);
  CHECK(errors_of(result, tags).find("github: more than 20 tags") != std::string::npos);
}
