// Installing and uninstalling agate's git hooks; see hook_installer.hpp.
//
// Every step that changes the hooks directory is a rename or an atomic write, so an interrupted
// install leaves either the old hook or the new one, and a failed write puts a moved hook back.
// Hook scripts are kept here as raw strings equal to hooks/<name> (checked by a unit test): the
// binary then needs no data files, and the build needs no generator for two short scripts.
#include "gate/hook_installer.hpp"

#include "gate/file_util.hpp"
#include "gate/git_handles.hpp"
#include "gate/libgit2.hpp"

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

// The text of hooks/pre-commit (keep byte-identical: tests/unit/test_hook_installer.cpp).
constexpr std::string_view k_pre_commit_script = R"agate_hook(#!/bin/sh
# agate-hook: pre-commit (written by `agate install`, removed by `agate uninstall`; keep this line)
#
# Git runs this before it records a commit: it runs the hook that was here before agate's (moved
# to pre-commit.agate-chained by `agate install`) and then `agate check --staged`, and refuses the
# commit when either fails. AGATE_SKIP=1 skips agate's check for one command (the chained hook
# still runs); `git commit --no-verify` skips every pre-commit hook. See docs/hooks.md.
#
# The agate binary: $AGATE if set, else the path `agate install` recorded below, else `agate`
# on PATH. Without one the hook fails rather than let commits through unchecked.
AGATE_INSTALLED_PATH=''

hook_name=pre-commit
chained="$(dirname -- "$0")/$hook_name.agate-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  "$chained" "$@" || {
    status=$?
    echo "agate: the chained $hook_name hook ($chained) failed with status $status" >&2
    exit "$status"
  }
fi

if [ "${AGATE_SKIP:-}" = 1 ]; then
  echo "agate: AGATE_SKIP=1: skipping agate's $hook_name check" >&2
  exit 0
fi

if [ -n "${AGATE:-}" ]; then
  agate=$AGATE
  if ! command -v "$agate" >/dev/null 2>&1; then
    echo "agate: \$AGATE is set to '$agate', which is not an executable" >&2
    exit 1
  fi
elif [ -n "$AGATE_INSTALLED_PATH" ] && [ -x "$AGATE_INSTALLED_PATH" ]; then
  agate=$AGATE_INSTALLED_PATH
elif command -v agate >/dev/null 2>&1; then
  agate=agate
else
  echo "agate: the $hook_name hook cannot find agate${AGATE_INSTALLED_PATH:+ (not at $AGATE_INSTALLED_PATH)}" \
    "nor on PATH: install it, set AGATE=/path/to/agate, or set AGATE_SKIP=1 to skip the check" >&2
  exit 1
fi

"$agate" check --staged || {
  status=$?
  echo "agate: the commit is refused (AGATE_SKIP=1 or git commit --no-verify skips agate's check)" >&2
  exit "$status"
}
)agate_hook";

// The text of hooks/pre-push (keep byte-identical: tests/unit/test_hook_installer.cpp).
constexpr std::string_view k_pre_push_script = R"agate_hook(#!/bin/sh
# agate-hook: pre-push (written by `agate install`, removed by `agate uninstall`; keep this line)
#
# Git runs this before it updates a remote, with the remote's name and URL as arguments and one
# line `<local ref> <local sha> <remote ref> <remote sha>` per pushed ref on standard input. The
# hook runs the hook that was here before agate's (moved to pre-push.agate-chained by
# `agate install`) with the same arguments and input, then checks what each ref adds:
#   - an updated ref: `agate check --range <remote sha>..<local sha>`;
#   - a new ref: the range from its merge-base with the remote's default branch
#     (refs/remotes/<remote>/HEAD) when that is known, else `agate check --commit <local sha>`;
#   - a deleted ref: nothing.
# The push is refused when the chained hook or any check fails. AGATE_SKIP=1 skips agate's
# checks for one command (the chained hook still runs); `git push --no-verify` skips the hook.
#
# The agate binary: $AGATE if set, else the path `agate install` recorded below, else `agate`
# on PATH. Without one the hook fails rather than let pushes through unchecked.
AGATE_INSTALLED_PATH=''

hook_name=pre-push
remote=${1:-}
input=$(cat)

chained="$(dirname -- "$0")/$hook_name.agate-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
  if [ -n "$input" ]; then
    printf '%s\n' "$input" | "$chained" "$@"
  else
    "$chained" "$@" </dev/null
  fi || {
    status=$?
    echo "agate: the chained $hook_name hook ($chained) failed with status $status" >&2
    exit "$status"
  }
fi

if [ "${AGATE_SKIP:-}" = 1 ]; then
  echo "agate: AGATE_SKIP=1: skipping agate's $hook_name check" >&2
  exit 0
fi

if [ -n "${AGATE:-}" ]; then
  agate=$AGATE
  if ! command -v "$agate" >/dev/null 2>&1; then
    echo "agate: \$AGATE is set to '$agate', which is not an executable" >&2
    exit 1
  fi
elif [ -n "$AGATE_INSTALLED_PATH" ] && [ -x "$AGATE_INSTALLED_PATH" ]; then
  agate=$AGATE_INSTALLED_PATH
elif command -v agate >/dev/null 2>&1; then
  agate=agate
else
  echo "agate: the $hook_name hook cannot find agate${AGATE_INSTALLED_PATH:+ (not at $AGATE_INSTALLED_PATH)}" \
    "nor on PATH: install it, set AGATE=/path/to/agate, or set AGATE_SKIP=1 to skip the check" >&2
  exit 1
fi

# True when $1 is made of zeros only (git's "no object": a new or a deleted ref).
is_zero() {
  case $1 in
    *[!0]*) return 1 ;;
    *) return 0 ;;
  esac
}

status=0
while read -r local_ref local_sha remote_ref remote_sha; do
  [ -n "$local_sha" ] || continue
  if is_zero "$local_sha"; then
    continue # a deleted ref adds nothing to check
  fi
  # Tags may name a tag object: check the commit it points at; a tag of a tree or blob is skipped.
  if ! commit=$(git rev-parse --verify -q "$local_sha^{commit}" </dev/null); then
    continue
  fi
  set --
  if ! is_zero "$remote_sha" && git rev-parse --verify -q "$remote_sha^{commit}" >/dev/null </dev/null; then
    set -- --range "$remote_sha..$commit"
  else
    # A new ref (or a remote tip this repository does not have): check what it adds to the
    # remote's default branch when that is known, else its tip commit.
    base=''
    if [ -n "$remote" ] && default_ref=$(git rev-parse --verify -q "refs/remotes/$remote/HEAD" </dev/null); then
      base=$(git merge-base "$default_ref" "$commit" </dev/null) || base=''
    fi
    if [ "$base" = "$commit" ]; then
      continue # the ref adds no commit to the remote's default branch
    elif [ -n "$base" ]; then
      set -- --range "$base..$commit"
    else
      set -- --commit "$commit"
    fi
  fi
  echo "agate: $hook_name: checking $local_ref -> $remote_ref ($*)" >&2
  "$agate" check "$@" </dev/null || {
    rc=$?
    [ "$rc" -gt "$status" ] && status=$rc
  }
done <<EOF
$input
EOF

if [ "$status" -ne 0 ]; then
  echo "agate: the push is refused (AGATE_SKIP=1 or git push --no-verify skips agate's check)" >&2
fi
exit "$status"
)agate_hook";

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
      return fail("unknown hook '" + name + "': agate provides pre-commit and pre-push");
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
  if (!script) {
    return fail(script.error());
  }
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
      if (auto written = write_file_atomic(hook, *script, k_hook_mode); !written) {
        return fail(written.error());
      }
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
      if (auto kept = rename_path(chained, backup); !kept) {
        return fail(kept.error());
      }
      lines.push_back(name + ": --force: kept the previous chained hook as " + backup.string());
    }
    if (auto kept = rename_path(hook, chained); !kept) {
      return fail(kept.error());
    }
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
  static const std::vector<std::string> names = {"pre-commit", "pre-push"};
  return names;
}

Result<std::string> hook_script(std::string_view name, const std::string& agate_path) {
  std::string_view text;
  if (name == "pre-commit") {
    text = k_pre_commit_script;
  } else if (name == "pre-push") {
    text = k_pre_push_script;
  } else {
    return fail("unknown hook '" + std::string(name) + "': agate provides pre-commit and pre-push");
  }
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
  if (!names) {
    return fail(names.error());
  }
  auto hooks_dir = find_hooks_dir(options.start_dir);
  if (!hooks_dir) {
    return fail(hooks_dir.error());
  }
  std::error_code ec;
  fs::create_directories(*hooks_dir, ec);
  if (ec) {
    return fail("cannot create the hooks directory " + hooks_dir->string() + ": " + ec.message());
  }
  std::vector<std::string> lines;
  for (const auto& name : *names) {
    auto line = install_one(*hooks_dir, name, options, lines);
    if (!line) {
      return fail(line.error());
    }
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
  if (!names) {
    return fail(names.error());
  }
  auto hooks_dir = find_hooks_dir(options.start_dir);
  if (!hooks_dir) {
    return fail(hooks_dir.error());
  }
  std::vector<std::string> lines;
  for (const auto& name : *names) {
    Status status = success();
    auto line = uninstall_one(*hooks_dir, name, status);
    if (!status) {
      return fail(status.error());
    }
    lines.push_back(line);
  }
  return lines;
}

} // namespace agate::gate
