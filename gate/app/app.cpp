// Command dispatch: check (gate/pipeline), verify (gate/verify_command), install/uninstall
// (gate/hook_installer), init, record/trailer/log/show/export (gate/provenance_commands),
// review/stats (gate/review_commands), version, help. Each command is a few lines here; the work
// lives in its own file.
#include "gate/app/app.hpp"

#include "gate/app/cli.hpp"
#include "gate/app/front_end.hpp"
#include "gate/app/pipeline.hpp"
#include "gate/app/provenance_commands.hpp"
#include "gate/app/review_commands.hpp"
#include "gate/app/verify_command.hpp"
#include "gate/core/policy.hpp"
#include "gate/git/hook_installer.hpp"
#include "gate/git/repository.hpp"
#include "gate/util/error.hpp"
#include "gate/util/file_util.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace agate::gate {

namespace {

std::optional<std::string> real_getenv(const char* name) {
  const char* value = std::getenv(name);
  if (!value) {
    return std::nullopt;
  }
  return std::string(value);
}

// The absolute path of the running binary, recorded in installed hooks.
std::string self_path() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("agate") : path.string();
}

int run_install(const CliOptions& options, bool install) {
  HookInstallOptions hook_options;
  hook_options.start_dir = options.dir;
  if (!options.hooks.empty()) {
    hook_options.hooks = options.hooks;
  }
  hook_options.agate_path = self_path();
  hook_options.force = options.force;
  auto lines = install ? install_hooks(hook_options) : uninstall_hooks(hook_options);
  if (!lines) {
    throw Error(lines.error());
  }
  for (const auto& line : *lines) {
    std::cout << line << "\n";
  }
  return 0;
}

int run_init(const CliOptions& options) {
  Repository repo = open_repository(options, real_getenv);
  if (repo.is_bare()) {
    throw Error("agate init needs a work tree: " + repo.git_dir().string() +
                " is a bare repository (write .agate/config.json in a clone and commit it)");
  }
  auto dir = repo.workdir() / ".agate";
  auto path = dir / "config.json";
  std::error_code ec;
  if (std::filesystem::exists(path, ec) && !options.force) {
    throw Error(path.string() + " already exists (use --force to overwrite it)");
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw Error("cannot create " + dir.string() + ": " + ec.message());
  }
  auto written = write_file_atomic(path, default_policy_text());
  if (!written) {
    throw Error(written.error());
  }
  std::cout << "wrote " << path.string() << ": commit it so CI checks changes against it\n";
  return 0;
}

} // namespace

int run_app(const std::vector<std::string>& args) {
  CliOptions options = parse_command_line(args);
  if (options.command == "help") {
    std::cout << help_text(options.help_topic);
    return 0;
  }
  if (options.command == "version") {
    std::cout << "agate " << AGATE_VERSION << " (commit " << AGATE_COMMIT << ", built "
              << AGATE_BUILD_DATE << ")\n";
    return 0;
  }
  if (options.command == "check") {
    return run_check(options, real_getenv);
  }
  if (options.command == "verify") {
    return run_verify(options, real_getenv);
  }
  if (options.command == "install" || options.command == "uninstall") {
    return run_install(options, options.command == "install");
  }
  if (options.command == "init") {
    return run_init(options);
  }
  if (options.command == "record") {
    return run_record(options, real_getenv);
  }
  if (options.command == "trailer") {
    return run_trailer(options, real_getenv);
  }
  if (options.command == "log") {
    return run_log(options, real_getenv);
  }
  if (options.command == "review") {
    return run_review(options, real_getenv);
  }
  if (options.command == "stats") {
    return run_stats(options, real_getenv);
  }
  if (options.command == "show") {
    return run_show(options, real_getenv);
  }
  if (options.command == "export") {
    return run_export(options, real_getenv);
  }
  throw Error("unknown command '" + options.command + "'");
}

} // namespace agate::gate
