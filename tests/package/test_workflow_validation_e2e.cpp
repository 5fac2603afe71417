// action.yml and the workflows in .github/workflows validate against GitHub's schemas for
// actions and workflows, through action-validator (third_party/package.json, installed by
// scripts/setup.sh; no network): a typo in a key, a wrong type or an unknown event fails here
// instead of on GitHub after a release. A deliberately broken workflow and action prove the
// validator rejects what GitHub would.
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate::test;
namespace fs = std::filesystem;

const fs::path k_source(AGATE_SOURCE_DIR);

// action-validator on one file: it takes action.yml (by that name) as an action, anything
// else as a workflow.
RunResult validate(const fs::path& file) {
  const fs::path cli = fs::path(AGATE_NODE_MODULES) / "@action-validator/cli/cli.mjs";
  REQUIRE_MESSAGE(
      fs::is_regular_file(cli),
      "action-validator is not installed: run scripts/setup.sh (npm ci in third_party)");
  RunOptions options;
  options.env = {{"NO_COLOR", "1"}};
  return run({"node", cli.string(), file.string()}, options);
}

} // namespace

TEST_CASE("package: action.yml and every workflow in .github/workflows validate") {
  std::vector<fs::path> files = {k_source / "action.yml"};
  for (const auto& entry : fs::directory_iterator(k_source / ".github/workflows")) {
    if (entry.path().extension() == ".yml" || entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  REQUIRE(files.size() >= 3); // the action, ci.yml and release.yml
  for (const auto& file : files) {
    auto result = validate(file);
    CHECK_MESSAGE(result.exit_code == 0, file.string() << ":\n" << result.out << result.err);
  }
}

TEST_CASE("package: the validator rejects a broken workflow and a broken action") {
  TempDir tmp;
  const std::string good_workflow = read_file(k_source / ".github/workflows/ci.yml");
  write_file(tmp / "good.yml", good_workflow);
  CHECK(validate(tmp / "good.yml").exit_code == 0);

  // `runs-on` misspelt, and a step's timeout that is not a number.
  std::string broken = good_workflow;
  broken.replace(broken.find("runs-on:"), 8, "runs_on:");
  write_file(tmp / "misspelt.yml", broken);
  auto misspelt = validate(tmp / "misspelt.yml");
  CHECK(misspelt.exit_code != 0);
  write_file(tmp / "timeout.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n"
                                  "    steps:\n      - run: echo\n        timeout-minutes: soon\n");
  auto timeout = validate(tmp / "timeout.yml");
  CHECK(timeout.exit_code != 0);
  CHECK(timeout.err.find("timeout-minutes") != std::string::npos);

  // A composite action's step without `shell:`.
  std::string action = read_file(k_source / "action.yml");
  const auto shell = action.find("      shell: bash\n");
  REQUIRE(shell != std::string::npos);
  action.erase(shell, std::string("      shell: bash\n").size());
  write_file(tmp / "broken/action.yml", action);
  auto no_shell = validate(tmp / "broken/action.yml");
  CHECK(no_shell.exit_code != 0);
  CHECK(no_shell.err.find("/runs") != std::string::npos);
}
