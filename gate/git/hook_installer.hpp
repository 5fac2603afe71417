// `agate install` and `agate uninstall`: put agate's git hooks into a repository's hooks
// directory and take them out again, without ever losing a hook that was there before.
//
// The hooks directory is the one git runs hooks from: `core.hooksPath` when set (relative to the
// top of the work tree, as git resolves it), else the `hooks` directory of the common git dir, so
// one install serves every linked worktree. A hook that is not agate's is moved to
// `<hook>.agate-chained` and agate's hook runs it first; uninstalling moves it back. agate's hooks
// are found by their marker line, so installing twice changes nothing.
//
// The hook scripts are the files hooks/pre-commit, hooks/commit-msg and hooks/pre-push of the
// source tree. Their text is compiled into this file (a unit test asserts it equals those files
// byte for byte), and installing fills in one line, `AGATE_INSTALLED_PATH='...'`, with the
// running binary's path.
#pragma once

#include "gate/util/error.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct HookInstallOptions {
  std::filesystem::path start_dir; // somewhere in the repository
  std::vector<std::string> hooks;  // empty means every hook agate provides
  std::string agate_path;          // absolute path of the running binary, recorded in the hook
  bool force = false;              // install: replace a stale <hook>.agate-chained (kept as .bak)
};

// Installs the hooks; returns the lines to print, one per action taken.
Result<std::vector<std::string>> install_hooks(const HookInstallOptions& options);
// Removes agate's hooks and restores the hooks they chained; leaves other hooks alone.
Result<std::vector<std::string>> uninstall_hooks(const HookInstallOptions& options);

// The hooks agate provides, in install order.
const std::vector<std::string>& supported_hooks();

// The script agate installs as hook `name`, recording `agate_path` (empty: none, which yields
// exactly the file hooks/<name>). Fails for a hook agate does not provide.
Result<std::string> hook_script(std::string_view name, const std::string& agate_path);

// True when `content` is a hook written by agate (it carries the marker line).
bool is_agate_hook(std::string_view content);

// The directory git runs the hooks of the repository containing `start_dir` from.
Result<std::filesystem::path> find_hooks_dir(const std::filesystem::path& start_dir);

} // namespace agate::gate
