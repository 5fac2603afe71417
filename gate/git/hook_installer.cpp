// Installing and uninstalling agate's git hooks; see hook_installer.hpp.
//
// Every step that changes the hooks directory is a rename or an atomic write, so an interrupted
// install leaves either the old hook or the new one, and a failed write puts a moved hook back.
// The hook scripts are the files hooks/<name>, embedded into the binary at build time, so the
// binary needs no data files.
#include "gate/git/hook_installer.hpp"

#include "gate/util/embedded.hpp"

#include "gate/git/git_handles.hpp"
#include "gate/git/libgit2.hpp"
#include "gate/util/file_util.hpp"

#include <git2.h>

#include <algorithm>
#include <system_error>

namespace agate::gate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_marker = "# agate-hook: ";
constexpr std::string_view k_path_line = "AGATE_INSTALLED_PATH=''\n";
constexpr std::string_view k_chained_suffix = ".agate-chained";
constexpr fs::perms k_hook_mode = fs::perms::owner_all | fs::perms::group_read |
                                  fs::perms::group_exec | fs::perms::others_read |
                                  fs::perms::others_exec;

// The hook scripts are the files in hooks/, embedded into the binary at build time
// (cmake/embed_files.cmake), so what `agate install` writes is exactly what the repository holds.
std::string_view embedded_hook_text(std::string_view name) {
  std::string path = "hooks/" + std::string(name);
  const auto* file = embedded::find(path);
  return file ? file->content : std::string_view();
}

// Single-quotes `text` for POSIX sh.
std::string shell_quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

bool exists_no_follow(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

bool is_executable(const fs::path& path) {
  std::error_code ec;
  auto perms = fs::status(path, ec).permissions();
  return !ec && (perms & fs::perms::owner_exec) != fs::perms::none;
}

Status rename_path(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    return fail("cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
  }
  return success();
}

fs::path chained_path(const fs::path& hook) {
  return hook.parent_path() / (hook.filename().string() + std::string(k_chained_suffix));
}

Result<std::vector<std::string>> selected_hooks(const HookInstallOptions& options) {
  std::vector<std::string> names;
  const auto& wanted = options.hooks.empty() ? supported_hooks() : options.hooks;
  for (const auto& name : wanted) {
    const auto& supported = supported_hooks();
    if (std::find(supported.begin(), supported.end(), name) == supported.end()) {
      return fail("unknown hook '" + name +
                  "': agate provides pre-commit, commit-msg and pre-push");
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

// husky 9 points core.hooksPath at .husky/_, whose hooks find the user's script by their own
// file name, so a husky hook moved to <hook>.agate-chained finds nothing and does nothing.
bool looks_like_husky9(const fs::path& hooks_dir) {
  auto helper = read_file(hooks_dir / "h");
  return helper.ok() && helper->find("husky") != std::string::npos;
}

Result<std::string> install_one(const fs::path& hooks_dir, const std::string& name,
                                const HookInstallOptions& options,
                                std::vector<std::string>& lines) {
  auto script = hook_script(name, options.agate_path);
  TRY(script);
  const fs::path hook = hooks_dir / name;
  const fs::path chained = chained_path(hook);
  bool moved = false;
  std::error_code ec;
  if (exists_no_follow(hook)) {
    if (fs::is_directory(hook, ec)) {
      return fail(hook.string() + " is a directory, not a hook; move it away and run agate "
                                  "install again");
    }
    auto current = read_file(hook); // a dangling symlink reads as a foreign hook
    if (current.ok() && is_agate_hook(*current)) {
      bool up_to_date = *current == *script && !fs::is_symlink(hook, ec) && is_executable(hook);
      if (up_to_date) {
        return name + ": agate's hook is already installed in " + hook.string();
      }
      TRY(write_file_atomic(hook, *script, k_hook_mode));
      return name + ": updated agate's hook in " + hook.string();
    }
    if (exists_no_follow(chained)) {
      if (!options.force) {
        return fail(name + ": " + hook.string() + " is not agate's hook and " + chained.string() +
                    " already holds a chained hook; move one of them away, or run agate install "
                    "--force to chain the current hook (the old chained hook is kept as " +
                    chained.filename().string() + ".bak)");
      }
      fs::path backup = chained.string() + ".bak";
      TRY(rename_path(chained, backup));
      lines.push_back(name + ": --force: kept the previous chained hook as " + backup.string());
    }
    TRY(rename_path(hook, chained));
    moved = true;
    std::string line =
        name + ": moved the existing hook to " + chained.string() + "; agate's hook runs it first";
    if (!is_executable(chained)) {
      line += " (it is not executable, so neither git nor agate runs it)";
    }
    lines.push_back(line);
  } else if (exists_no_follow(chained)) {
    lines.push_back(name + ": " + chained.string() + " exists; agate's hook runs it first");
  }
  if (auto written = write_file_atomic(hook, *script, k_hook_mode); !written) {
    if (moved) {
      (void)rename_path(chained, hook);
    }
    return fail(written.error());
  }
  return name + ": installed agate's hook in " + hook.string();
}

std::string uninstall_one(const fs::path& hooks_dir, const std::string& name, Status& status) {
  const fs::path hook = hooks_dir / name;
  const fs::path chained = chained_path(hook);
  if (!exists_no_follow(hook)) {
    if (exists_no_follow(chained)) {
      status = rename_path(chained, hook);
      return name + ": restored the chained hook " + hook.string();
    }
    return name + ": no hook in " + hook.string() + "; nothing to do";
  }
  auto current = read_file(hook);
  if (!current.ok() || !is_agate_hook(*current)) {
    std::string line = name + ": " + hook.string() + " is not agate's hook; left alone";
    if (exists_no_follow(chained)) {
      line += " (and so is " + chained.string() + ")";
    }
    return line;
  }
  std::error_code ec;
  fs::remove(hook, ec);
  if (ec) {
    status = fail("cannot remove " + hook.string() + ": " + ec.message());
    return {};
  }
  if (exists_no_follow(chained)) {
    status = rename_path(chained, hook);
    return name + ": removed agate's hook and restored the chained hook " + hook.string();
  }
  return name + ": removed agate's hook " + hook.string();
}

} // namespace

const std::vector<std::string>& supported_hooks() {
  static const std::vector<std::string> names = {"pre-commit", "commit-msg", "pre-push"};
  return names;
}

Result<std::string> hook_script(std::string_view name, const std::string& agate_path) {
  std::string_view text;
  const auto& supported = supported_hooks();
  if (std::find(supported.begin(), supported.end(), name) == supported.end()) {
    return fail("unknown hook '" + std::string(name) +
                "': agate provides pre-commit, commit-msg and pre-push");
  }
  text = embedded_hook_text(name);
  std::string script(text);
  if (!agate_path.empty()) {
    auto at = script.find(k_path_line);
    script.replace(at, k_path_line.size(),
                   "AGATE_INSTALLED_PATH=" + shell_quote(agate_path) + "\n");
  }
  return script;
}

bool is_agate_hook(std::string_view content) {
  std::size_t at = 0;
  while (at < content.size()) {
    auto end = content.find('\n', at);
    auto line =
        content.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (line.substr(0, k_marker.size()) == k_marker) {
      return true;
    }
    if (end == std::string_view::npos) {
      break;
    }
    at = end + 1;
  }
  return false;
}

Result<fs::path> find_hooks_dir(const fs::path& start_dir) {
  ensure_libgit2();
  fs::path start = start_dir.empty() ? fs::path(".") : start_dir;
  git_repository* raw_repo = nullptr;
  if (int rc = git_repository_open_ext(&raw_repo, start.c_str(), 0, nullptr); rc < 0) {
    return git_failure("cannot open a git repository at " + start.string(), rc);
  }
  RepositoryPtr repo(raw_repo);

  git_config* raw_config = nullptr;
  if (int rc = git_repository_config_snapshot(&raw_config, repo.get()); rc < 0) {
    return git_failure("cannot read the git configuration", rc);
  }
  ConfigPtr config(raw_config);

  GitBuf hooks_path;
  int rc = git_config_get_path(hooks_path.get(), config.get(), "core.hooksPath");
  if (rc == 0 && !hooks_path.view().empty()) {
    fs::path configured(hooks_path.str());
    if (configured.is_relative()) {
      // git runs hooks from the top of the work tree (the git dir of a bare repository), and
      // resolves a relative core.hooksPath from there.
      const char* base = git_repository_is_bare(repo.get()) ? git_repository_path(repo.get())
                                                            : git_repository_workdir(repo.get());
      configured = fs::path(base) / configured;
    }
    return configured.lexically_normal();
  }
  if (rc < 0 && rc != GIT_ENOTFOUND) {
    return git_failure("cannot read core.hooksPath", rc);
  }
  return (fs::path(git_repository_commondir(repo.get())) / "hooks").lexically_normal();
}

Result<std::vector<std::string>> install_hooks(const HookInstallOptions& options) {
  auto names = selected_hooks(options);
  TRY(names);
  auto hooks_dir = find_hooks_dir(options.start_dir);
  TRY(hooks_dir);
  std::error_code ec;
  fs::create_directories(*hooks_dir, ec);
  if (ec) {
    return fail("cannot create the hooks directory " + hooks_dir->string() + ": " + ec.message());
  }
  std::vector<std::string> lines;
  for (const auto& name : *names) {
    auto line = install_one(*hooks_dir, name, options, lines);
    TRY(line);
    lines.push_back(*line);
  }
  if (looks_like_husky9(*hooks_dir)) {
    lines.push_back("note: " + hooks_dir->string() +
                    " looks like husky's hooks directory: husky "
                    "rewrites it when it reinstalls, and a husky hook that agate chained finds "
                    "no script; consider adding `agate check --staged` to .husky/pre-commit "
                    "instead (see docs/hooks.md)");
  }
  return lines;
}

Result<std::vector<std::string>> uninstall_hooks(const HookInstallOptions& options) {
  auto names = selected_hooks(options);
  TRY(names);
  auto hooks_dir = find_hooks_dir(options.start_dir);
  TRY(hooks_dir);
  std::vector<std::string> lines;
  for (const auto& name : *names) {
    Status status = success();
    auto line = uninstall_one(*hooks_dir, name, status);
    TRY(status);
    lines.push_back(line);
  }
  return lines;
}

} // namespace agate::gate
