// The GitHub Action (action.yml) run offline: its shell steps, taken from the file as GitHub
// takes them, run with bash as GitHub runs them and with the variables a runner sets
// (RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_OUTPUT, ...) faked. The install step takes
// the release tarball in dist/ through a file:// release URL and checks it against the action's
// checksum table: a match is unpacked into the tool cache and used, a mismatch fails the step
// and nothing is run, and a version without a release builds from source (a stub setup.sh here)
// with a notice. The check step runs agate on a pull request event and sets the outputs.
#include "tests/package/package_support.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace {

using namespace agate::test;
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_source(AGATE_SOURCE_DIR);

// action.yml as JSON (PyYAML, which Debian's pre-commit depends on).
json action_definition() {
  auto converted =
      run({"python3", "-c",
           "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
           (k_source / "action.yml").string()});
  REQUIRE_MESSAGE(converted.exit_code == 0, converted.err);
  return json::parse(converted.out);
}

// The `run:` script of the step with `id`.
std::string step_script(const json& action, const std::string& id) {
  for (const auto& step : action["runs"]["steps"]) {
    if (step.contains("id") && step["id"] == id) {
      return step["run"].get<std::string>();
    }
  }
  FAIL("action.yml has no step with id " << id);
  return {};
}

// Runs a step's script as GitHub runs `shell: bash`.
RunResult run_step(const fs::path& dir, const std::string& script, RunOptions options) {
  static int counter = 0;
  const fs::path file = dir / ("step-" + std::to_string(++counter) + ".sh");
  write_file(file, script);
  return run({"bash", "--noprofile", "--norc", "-eo", "pipefail", file.string()}, options);
}

// `name=value` lines a step wrote to its GITHUB_OUTPUT file.
std::map<std::string, std::string> outputs_of(const fs::path& file) {
  std::map<std::string, std::string> outputs;
  if (!fs::exists(file)) {
    return outputs;
  }
  std::istringstream lines(read_file(file));
  std::string line;
  while (std::getline(lines, line)) {
    if (auto eq = line.find('='); eq != std::string::npos) {
      outputs[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  return outputs;
}

std::string sha256_of(const fs::path& file) {
  return run({"sha256sum", file.string()}).out.substr(0, 64);
}

// A copy of the files of agate's repository the action uses, as a runner checks it out into
// GITHUB_ACTION_PATH, with `table` as its checksum table and a setup.sh that only leaves a
// stand-in binary where a build from source would.
fs::path action_checkout(const fs::path& dir, const std::string& table) {
  for (const char* rel : {"action.yml", "scripts/release-binary.sh", "CMakeLists.txt"}) {
    write_file(dir / rel, read_file(k_source / rel));
  }
  write_file(dir / ".github/release-sha256sums.txt", table);
  write_file(dir / "scripts/setup.sh",
             "#!/usr/bin/env bash\nset -e\nhere=\"$(cd \"$(dirname \"$0\")/..\" && pwd)\"\n"
             "mkdir -p \"$here/build\"\n"
             "printf '#!/bin/sh\\necho agate built from source\\n' >\"$here/build/agate\"\n"
             "chmod +x \"$here/build/agate\"\n");
  return dir;
}

// What a runner of this machine's kind sets for the install step, with the release files in
// dist/ standing in for the GitHub release.
RunOptions runner(const TempDir& tmp, const fs::path& action_path, const std::string& tag) {
  RunOptions options;
  options.cwd = tmp.path();
  const std::string machine = trimmed(run({"uname", "-m"}).out);
  options.env = {{"RUNNER_OS", "Linux"},
                 {"RUNNER_ARCH", machine == "aarch64" ? "ARM64" : "X64"},
                 {"RUNNER_TEMP", (tmp / "runner-temp").string()},
                 {"RUNNER_TOOL_CACHE", (tmp / "tool-cache").string()},
                 {"GITHUB_ACTION_PATH", action_path.string()},
                 {"GITHUB_PATH", (tmp / "github-path").string()},
                 {"GITHUB_OUTPUT", (tmp / "github-output").string()},
                 {"INPUT_VERSION", ""},
                 {"ACTION_REF", tag},
                 {"ACTION_REPOSITORY", "example/agate"},
                 {"AGATE_RELEASE_URL", "file://" + dist_dir().string()},
                 {"HOME", tmp.path().string()}};
  options.unset_env = {"AGATE_TARBALL",  "AGATE_BINARY",    "AGATE_VERSION",
                       "AGATE_PLATFORM", "AGATE_CACHE_DIR", "XDG_CACHE_HOME"};
  fs::create_directories(tmp / "runner-temp");
  return options;
}

} // namespace

TEST_CASE("package: action.yml is a composite action of shell steps with the documented inputs "
          "and outputs") {
  const json action = action_definition();
  CHECK(action["runs"]["using"] == "composite");
  std::set<std::string> inputs, outputs;
  for (const auto& [name, input] : action["inputs"].items()) {
    inputs.insert(name);
    CHECK_MESSAGE(input.contains("description"), name);
  }
  for (const auto& [name, output] : action["outputs"].items()) {
    outputs.insert(name);
    CHECK_MESSAGE(output.contains("value"), name);
  }
  CHECK(inputs == std::set<std::string>{"version", "fail-on", "format", "sarif-file", "config",
                                        "publish", "github-token"});
  CHECK(outputs == std::set<std::string>{"findings", "verdict", "sarif-file"});
  for (const auto& step : action["runs"]["steps"]) {
    INFO(step.dump());
    CHECK(!step.contains("uses")); // nothing nested for a SHA-pinning organisation to miss
    CHECK((step.contains("shell") && step["shell"] == "bash"));
    // Inputs reach the scripts through env:, never spliced into the script's text.
    CHECK(step["run"].get<std::string>().find("${{") == std::string::npos);
  }
}

TEST_CASE("package: the action's install step uses the release that matches its checksum, "
          "refuses one that does not, and builds from source when there is no release") {
  auto tarball = release_tarball_or_skip();
  if (!tarball) {
    return;
  }
  const std::string name = tarball->filename().string();
  const std::string version = name.substr(6, name.find("-linux-") - 6); // agate-<version>-linux-
  const std::string sha = sha256_of(*tarball);
  const std::string install = step_script(action_definition(), "install");

  SUBCASE("the checksum matches: unpacked into the tool cache and used") {
    TempDir tmp;
    auto action = action_checkout(tmp / "action", sha + "  " + name + "\n");
    auto options = runner(tmp, action, "v" + version);
    auto result = run_step(tmp.path(), install, options);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    const fs::path binary = tmp / "tool-cache" / "agate" / sha / "bin/agate";
    CHECK(outputs_of(tmp / "github-output")["binary"] == binary.string());
    CHECK(trimmed(read_file(tmp / "github-path")) == binary.parent_path().string());
    CHECK(result.out.find("agate " + version + " (commit ") != std::string::npos);
    CHECK(!fs::exists(action / "build")); // nothing built

    // A second job on the runner takes it from the cache, even with the release gone.
    options.env["AGATE_RELEASE_URL"] = "file://" + (tmp / "nowhere").string();
    fs::remove(tmp / "github-output");
    auto cached = run_step(tmp.path(), install, options);
    INFO(cached.out << cached.err);
    CHECK(cached.exit_code == 0);
    CHECK(outputs_of(tmp / "github-output")["binary"] == binary.string());
  }

  SUBCASE("the checksum does not match: the step fails and runs nothing") {
    TempDir tmp;
    auto action = action_checkout(tmp / "action", std::string(64, 'e') + "  " + name + "\n");
    auto result = run_step(tmp.path(), install, runner(tmp, action, "v" + version));
    INFO(result.out << result.err);
    CHECK(result.exit_code != 0);
    CHECK(result.out.find("::error title=agate::") != std::string::npos);
    CHECK(result.err.find("checksum mismatch") != std::string::npos);
    CHECK(outputs_of(tmp / "github-output").count("binary") == 0);
    CHECK(!fs::exists(tmp / "tool-cache" / "agate" / sha));
    CHECK(!fs::exists(tmp / "tool-cache" / "agate" / std::string(64, 'e')));
    CHECK(!fs::exists(action / "build")); // no fallback to a build either
  }

  SUBCASE("no release of that version: a notice, then a build from source") {
    TempDir tmp;
    auto action = action_checkout(tmp / "action", sha + "  " + name + "\n");
    auto options = runner(tmp, action, "main");
    options.env["INPUT_VERSION"] = "99.0.0";
    auto result = run_step(tmp.path(), install, options);
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("::notice title=agate::no agate release matches 99.0.0") !=
          std::string::npos);
    CHECK(outputs_of(tmp / "github-output")["binary"] == (action / "build/agate").string());
    CHECK(result.out.find("agate built from source") != std::string::npos);
  }
}

TEST_CASE("package: the action's check step reports a pull request's findings, verdict and "
          "SARIF, and deepens a shallow checkout") {
  const json action = action_definition();
  TempDir tmp;
  GitRepo origin(tmp / "origin");
  origin.write("app/main.py", "def main():\n    return 0\n");
  const std::string base = origin.commit_all("initial");
  origin.write("app/reports.py", oversized_python());
  const std::string head = origin.commit_all("add reports");

  // actions/checkout's default: one commit, without the pull request's base.
  RunOptions as_git;
  as_git.env = origin.env();
  auto cloned = run({"git", "clone", "-q", "--depth", "1", "file://" + origin.dir().string(),
                     (tmp / "checkout").string()},
                    as_git);
  REQUIRE_MESSAGE(cloned.exit_code == 0, cloned.err);
  GitRepo checkout(tmp / "checkout", false);
  REQUIRE(checkout.git({"rev-list", "--count", "HEAD"}) == "1\n");

  write_file(
      tmp / "event.json",
      json{{"pull_request",
            {{"number", 7}, {"commits", 1}, {"base", {{"sha", base}}}, {"head", {{"sha", head}}}}}}
          .dump());
  RunOptions options;
  options.cwd = checkout.dir();
  options.env = checkout.env();
  options.env.insert({{"GITHUB_ACTIONS", "true"},
                      {"GITHUB_EVENT_NAME", "pull_request"},
                      {"GITHUB_EVENT_PATH", (tmp / "event.json").string()},
                      {"GITHUB_SHA", head},
                      {"GITHUB_STEP_SUMMARY", (tmp / "summary.md").string()},
                      {"GITHUB_OUTPUT", (tmp / "github-output").string()},
                      {"RUNNER_TEMP", tmp.path().string()},
                      {"AGATE", agate_binary()},
                      {"INPUT_FAIL_ON", ""},
                      {"INPUT_FORMAT", "github"},
                      {"INPUT_SARIF_FILE", (tmp / "agate.sarif").string()},
                      {"INPUT_CONFIG", ""},
                      {"INPUT_PUBLISH", "false"},
                      {"GITHUB_TOKEN", ""}});

  // The step between install and check (it has no id: the one that is neither).
  std::string deepen;
  for (const auto& step : action["runs"]["steps"]) {
    if (!step.contains("id")) {
      deepen = step["run"].get<std::string>();
    }
  }
  REQUIRE(deepen.find("--deepen") != std::string::npos);
  auto deepened = run_step(tmp.path(), deepen, options);
  INFO(deepened.out << deepened.err);
  CHECK(deepened.exit_code == 0);
  CHECK(deepened.out.find("deepening it by 2 commits") != std::string::npos);
  CHECK(checkout.git({"rev-list", "--count", "HEAD"}) == "2\n");

  auto checked = run_step(tmp.path(), step_script(action, "check"), options);
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out.find("size/oversized-change") != std::string::npos);
  auto outputs = outputs_of(tmp / "github-output");
  CHECK(outputs["verdict"] == "fail");
  CHECK(std::stoi(outputs["findings"]) >= 1);
  CHECK(outputs["sarif-file"] == (tmp / "agate.sarif").string());
  const json sarif = json::parse(read_file(tmp / "agate.sarif"));
  CHECK(sarif["version"] == "2.1.0");
  CHECK(!sarif["runs"][0]["results"].empty());

  // fail-on: never passes the same change.
  options.env["INPUT_FAIL_ON"] = "never";
  options.env["INPUT_SARIF_FILE"] = "";
  fs::remove(tmp / "github-output");
  auto passed = run_step(tmp.path(), step_script(action, "check"), options);
  INFO(passed.out << passed.err);
  CHECK(passed.exit_code == 0);
  outputs = outputs_of(tmp / "github-output");
  CHECK(outputs["verdict"] == "pass");
  CHECK(outputs.count("sarif-file") == 0);
}
