// Tests of the release artifacts scripts/package.sh writes to dist/: the tarball's binary runs in
// an empty root that holds only glibc, libstdc++ and libgcc_s (and finds a rule's finding in a
// real repository; `agate verify` there, without gpg or ssh-keygen, says so and never reports a
// good signature); the .deb installs with dpkg and runs; SHA256SUMS matches; the pre-commit hook
// `agate-release` runs the released binary with no agate on PATH and no network.
// Each skips with one line when dist/ holds no release (tests/package/package_support.hpp).
#include "tests/package/package_support.hpp"
#include "tests/support/gpg_support.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>

namespace {

using namespace agate::test;
namespace fs = std::filesystem;

RunOptions in_dist() {
  RunOptions options;
  options.cwd = dist_dir();
  return options;
}

RunOptions without_github() {
  RunOptions options;
  options.unset_env = {"GITHUB_ACTIONS", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH",
                       "GITHUB_STEP_SUMMARY"};
  return options;
}

// The shared objects `binary` loads, as ldd resolves them (the dynamic loader included).
std::vector<fs::path> loaded_libraries(const fs::path& binary) {
  auto ldd = run({"ldd", binary.string()});
  REQUIRE_MESSAGE(ldd.exit_code == 0, (ldd.out + ldd.err));
  REQUIRE_MESSAGE(ldd.out.find("not found") == std::string::npos, ldd.out);
  std::vector<fs::path> paths;
  std::istringstream lines(ldd.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first, arrow, path;
    words >> first >> arrow >> path;
    if (arrow == "=>" && path.starts_with("/")) {
      paths.emplace_back(path);
    } else if (first.starts_with("/")) {
      paths.emplace_back(first); // the dynamic loader
    }
  }
  return paths;
}

// A root directory holding only the system libraries the packaged agate loads (those the
// tarball does not bring: glibc, libstdc++, libgcc_s), the unpacked tree in /opt/agate, /tmp and
// a repository in /repo; agate runs in it through chroot, in new mount and PID namespaces (and a
// user namespace when not root) with /proc mounted, as every Linux system has it: the loader
// finds $ORIGIN (the RPATH to lib/) through /proc/self/exe.
struct EmptyRoot {
  TempDir tmp;
  fs::path root = tmp / "root";
  fs::path tree;
  std::vector<std::string> system_libraries; // file names, e.g. libc.so.6
  std::optional<GitRepo> repo;

  explicit EmptyRoot(const fs::path& tarball) {
    tree = unpack(tarball, tmp / "unpacked");
    for (const auto& lib : loaded_libraries(tree / "bin/agate")) {
      if (lib.string().starts_with(tree.string())) {
        continue;
      }
      fs::path target = root / lib.relative_path();
      fs::create_directories(target.parent_path());
      fs::copy_file(fs::canonical(lib), target, fs::copy_options::overwrite_existing);
      system_libraries.push_back(lib.filename().string());
    }
    fs::create_directories(root / "opt");
    fs::create_directories(root / "tmp");
    fs::create_directories(root / "proc");
    fs::copy(tree, root / "opt/agate", fs::copy_options::recursive);
    repo.emplace(root / "repo");
  }

  std::vector<std::string> prefix() const {
    std::vector<std::string> argv = {"unshare", "-m", "-p", "-f",
                                     "--mount-proc=" + (root / "proc").string()};
    if (geteuid() != 0) {
      argv.push_back("-r");
    }
    // unshare runs chroot with the root's PATH: name it in full (it is in /usr/sbin).
    argv.insert(argv.end(), {trimmed(run({"sh", "-c", "command -v chroot"}).out), root.string()});
    return argv;
  }

  // Whether this machine lets the test enter the root at all.
  bool enterable() const {
    auto argv = prefix();
    argv.push_back("/opt/agate/bin/agate");
    argv.push_back("--version");
    return run(argv).exit_code == 0;
  }

  RunResult agate(const std::vector<std::string>& args) const {
    auto argv = prefix();
    argv.push_back("/opt/agate/bin/agate");
    argv.insert(argv.end(), {"-C", "/repo"});
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.env = {{"HOME", "/tmp"}, {"PATH", "/bin:/usr/bin"}};
    options.unset_env = {
        "GIT_DIR",           "GIT_WORK_TREE",     "GIT_INDEX_FILE",     "GITHUB_ACTIONS",
        "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY"};
    return run(argv, options);
  }
};

bool is_system_library(const std::string& name) {
  for (const char* prefix : {"ld-linux", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so",
                             "libresolv.so", "libdl.so", "libpthread.so", "librt.so"}) {
    if (name.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("package: the tarball holds a stripped agate with RPATH $ORIGIN/../lib, its "
          "libraries and docs; SHA256SUMS matches; --version names version, commit and date") {
  auto tarball = release_tarball_or_skip();
  if (!tarball) {
    return;
  }
  auto sums = run({"sha256sum", "--check", "--strict", "SHA256SUMS"}, in_dist());
  CHECK_MESSAGE(sums.exit_code == 0, (sums.out + sums.err));
  CHECK(sums.out.find(tarball->filename().string() + ": OK") != std::string::npos);

  TempDir tmp;
  fs::path tree = unpack(*tarball, tmp / "unpacked");
  const std::string binary = (tree / "bin/agate").string();
  auto dynamic = run({"readelf", "-d", binary});
  CHECK(dynamic.out.find("[$ORIGIN/../lib]") != std::string::npos);
  // DT_RPATH, which also serves the bundled libraries' own dependencies (DT_RUNPATH would not).
  CHECK(dynamic.out.find("(RPATH)") != std::string::npos);
  CHECK(dynamic.out.find("(RUNPATH)") == std::string::npos);
  auto sections = run({"readelf", "-S", "-W", binary});
  CHECK(sections.out.find(".debug_info") == std::string::npos);
  CHECK(sections.out.find(".gnu_debuglink") != std::string::npos);
  CHECK(sections.out.find(".symtab") == std::string::npos);
  CHECK(fs::is_regular_file(tree / "share/doc/agate/README.md"));

  // Every library it loads is one of the tarball's or one every Linux has.
  for (const auto& lib : loaded_libraries(binary)) {
    if (!lib.string().starts_with(tree.string())) {
      CHECK_MESSAGE(is_system_library(lib.filename().string()), lib.string());
    }
  }
  // libgit2, GPGME, RE2 and OpenSSL are linked in, not shipped.
  for (const auto& entry : fs::directory_iterator(tree / "lib")) {
    const std::string name = entry.path().filename().string();
    CHECK_MESSAGE(!name.starts_with("libgit2"), name);
    CHECK_MESSAGE(!name.starts_with("libgpgme"), name);
    CHECK_MESSAGE(!name.starts_with("libcrypto"), name);
    CHECK_MESSAGE(!name.starts_with("libre2"), name);
  }

  // The separate debug file belongs to this binary (the build id matches).
  fs::path debug = dist_dir() / (tree.filename().string() + ".debug");
  REQUIRE(fs::is_regular_file(debug));
  auto build_id = [](const std::string& file) {
    auto notes = run({"readelf", "-n", file}).out;
    auto at = notes.find("Build ID: ");
    return at == std::string::npos ? std::string() : notes.substr(at, notes.find('\n', at) - at);
  };
  CHECK(!build_id(binary).empty());
  CHECK(build_id(binary) == build_id(debug.string()));
  CHECK(run({"readelf", "-S", "-W", debug.string()}).out.find(".debug_info") != std::string::npos);

  auto version = run({binary, "--version"});
  CHECK(version.exit_code == 0);
  const std::string commit =
      trimmed(run({"git", "-C", AGATE_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"}).out);
  INFO(version.out);
  CHECK(version.out.starts_with("agate " + tree.filename().string().substr(6, 5)));
  CHECK(version.out.find("(commit ") != std::string::npos);
  CHECK(version.out.find(", built 20") != std::string::npos);
  // A release built before the last commit is still tested, with a warning (CI builds it
  // from HEAD).
  if (!commit.empty() && commit.size() == 12) {
    WARN_MESSAGE(version.out.find(commit) != std::string::npos,
                 "dist/ is older than HEAD: run scripts/package.sh again");
  }
}

TEST_CASE("package: the packaged agate runs in an empty root with only glibc, libstdc++ and "
          "libgcc_s and reports a finding") {
  auto tarball = release_tarball_or_skip();
  if (!tarball) {
    return;
  }
  EmptyRoot root(*tarball);
  if (!root.enterable() && geteuid() != 0) {
    skip("cannot enter a root directory: not root and no user namespaces (unshare -r)");
    return;
  }
  for (const auto& name : root.system_libraries) {
    CHECK_MESSAGE(is_system_library(name), name);
  }
  CHECK(!fs::exists(root.root / "usr/bin/git"));
  CHECK(!fs::exists(root.root / "usr/bin/gpg"));

  root.repo->write("app/__init__.py", "");
  root.repo->write("app/main.py", "def main():\n    return 0\n");
  root.repo->commit_all("initial");
  root.repo->write("app/reports.py", oversized_python());
  root.repo->commit_all("add reports");

  auto version = root.agate({"--version"});
  CHECK_MESSAGE(version.exit_code == 0, (version.out + version.err));
  auto result = root.agate({"check", "--commit", "HEAD"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("size/oversized-change") != std::string::npos);

  auto clean = root.agate({"check", "--commit", "HEAD~1"});
  INFO(clean.out << clean.err);
  CHECK(clean.exit_code == 0);
}

TEST_CASE("package: agate verify in a root without gpg or ssh-keygen says so in one line and "
          "never reports a good signature") {
  auto tarball = release_tarball_or_skip();
  if (!tarball) {
    return;
  }
  EmptyRoot root(*tarball);
  if (!root.enterable() && geteuid() != 0) {
    skip("cannot enter a root directory: not root and no user namespaces (unshare -r)");
    return;
  }
  GpgHome gpg;
  const std::string key = gpg.generate_key("Ada Tester <ada@example.com>");
  GitRepo& repo = *root.repo;
  repo.write(".agate/config.json", R"({"signatures": {"require": "all"}})");
  repo.write(".agate/keys/ada.asc", gpg.export_key(key));
  auto base = repo.commit_all("base");
  commit_signed(repo, gpg, key, "Signed by Ada");

  // The same commit is good where gpg is installed...
  auto outside = run(
      {(root.tree / "bin/agate").string(), "-C", repo.dir().string(), "verify", base + "..HEAD"});
  INFO("outside the root: " << outside.out << outside.err);
  CHECK(outside.exit_code == 0);
  CHECK(outside.out.find("good") != std::string::npos);

  // ...and is unverifiable in the root, in one line.
  auto result = root.agate({"verify", base + "..HEAD"});
  INFO("in the root: " << result.out << result.err);
  CHECK(result.exit_code == 2); // agate's own error, no signal
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(result.err.find("GnuPG (gpg) was not found") != std::string::npos);
  CHECK(result.err.find("unverifiable") != std::string::npos);
  CHECK(result.out.find("good") == std::string::npos);
  CHECK(result.out.find("passed") == std::string::npos);
}

TEST_CASE("package: the .deb installs with dpkg, runs, and removes cleanly") {
  auto deb = release_deb();
  if (!deb) {
    skip(k_no_release);
    return;
  }
  auto info = run({"dpkg-deb", "--info", deb->string()});
  CHECK(info.exit_code == 0);
  CHECK(info.out.find("Package: agate") != std::string::npos);
  CHECK(info.out.find("git") != std::string::npos);
  CHECK(info.out.find("gnupg") != std::string::npos);
  auto contents = run({"dpkg-deb", "--contents", deb->string()});
  CHECK(contents.out.find("./usr/bin/agate") != std::string::npos);

  if (geteuid() != 0) {
    skip("dpkg -i needs root (the .deb's metadata and contents were checked)");
    return;
  }
  if (run({"dpkg-query", "-W", "-f=${Status}", "agate"}).out.find("installed") !=
      std::string::npos) {
    skip("a package named agate is already installed here; not replacing it");
    return;
  }
  // dpkg waits for no one: retry while another package operation holds its lock.
  RunResult installed;
  for (int attempt = 0; attempt < 60; ++attempt) {
    installed = run({"dpkg", "-i", deb->string()});
    if (installed.exit_code == 0 || (installed.err.find("lock") == std::string::npos)) {
      break;
    }
    run({"sleep", "2"});
  }
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));
  struct Remove {
    ~Remove() {
      for (int attempt = 0; attempt < 60; ++attempt) {
        if (run({"dpkg", "-r", "agate"}).exit_code == 0) {
          break;
        }
        run({"sleep", "2"});
      }
    }
  } remove;

  auto version = run({"/usr/bin/agate", "--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("agate "));
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  repo.write("app/main.py", "def main():\n    return 0\n");
  repo.commit_all("initial");
  repo.write("app/reports.py", oversized_python());
  repo.commit_all("add reports");
  auto result = run({"/usr/bin/agate", "-C", repo.dir().string(), "check", "--commit", "HEAD"},
                    without_github());
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("size/oversized-change") != std::string::npos);
  CHECK(fs::exists("/usr/share/doc/agate/README.md"));
}

TEST_CASE("package: the pre-commit hook agate-release runs the released binary from a local "
          "tarball, with no agate on PATH and no network") {
  auto tarball = release_tarball_or_skip();
  if (!tarball) {
    return;
  }
  REQUIRE_MESSAGE(run({"sh", "-c", "command -v pre-commit"}).exit_code == 0,
                  "pre-commit is not installed (apt-get install pre-commit)");
  TempDir tmp;
  // A copy of the files of agate's repository the hook uses, as pre-commit clones it.
  GitRepo hooks_repo(tmp / "agate-hooks");
  const fs::path source(AGATE_SOURCE_DIR);
  for (const char* rel : {".pre-commit-hooks.yaml", "scripts/release-binary.sh", "CMakeLists.txt",
                          ".github/release-sha256sums.txt"}) {
    hooks_repo.write(rel, read_file(source / rel));
  }
  fs::permissions(hooks_repo / "scripts/release-binary.sh", fs::perms::owner_exec,
                  fs::perm_options::add); // as in agate's repository
  auto rev = hooks_repo.commit_all("agate hooks");

  GitRepo project(tmp / "project");
  project.write(".pre-commit-config.yaml", "repos:\n  - repo: " + hooks_repo.dir().string() +
                                               "\n    rev: " + rev +
                                               "\n    hooks:\n      - id: agate-release\n");
  project.write("app/main.py", "def main():\n    return 0\n");
  project.commit_all("initial");

  auto env = project.env();
  env["PRE_COMMIT_HOME"] = (tmp / "pre-commit-home").string();
  env["AGATE_CACHE_DIR"] = (tmp / "cache").string();
  env["AGATE_TARBALL"] = tarball->string();
  env["PATH"] = "/usr/bin:/bin"; // the dpkg test may install /usr/bin/agate meanwhile: unused
  RunOptions options;
  options.cwd = project.dir();
  options.env = env;
  options.unset_env = {"GIT_DIR",    "GIT_WORK_TREE", "GIT_INDEX_FILE", "AGATE",
                       "AGATE_SKIP", "AGATE_BINARY",  "AGATE_VERSION",  "SKIP",
                       "http_proxy", "https_proxy"};
  auto installed = run({"pre-commit", "install", "-t", "pre-commit"}, options);
  REQUIRE_MESSAGE(installed.exit_code == 0, (installed.out + installed.err));

  project.write("app/reports.py", oversized_python());
  project.add_all();
  auto refused = run({"git", "commit", "-q", "-m", "add reports"}, options);
  const std::string output = refused.out + refused.err;
  INFO(output);
  CHECK(refused.exit_code != 0);
  CHECK(output.find("size/oversized-change") != std::string::npos);
  CHECK(output.find("hook id: agate-release") != std::string::npos);
  CHECK(project.git({"rev-list", "--count", "HEAD"}) == "1\n");

  // The checked tarball was unpacked into the cache, under its checksum.
  const std::string sha = run({"sha256sum", tarball->string()}).out.substr(0, 64);
  CHECK(fs::is_regular_file(tmp / "cache" / sha / "bin/agate"));

  // A tarball whose checksum does not match is never run.
  fs::create_directories(tmp / "forged");
  fs::copy_file(*tarball, tmp / "forged" / tarball->filename());
  write_file(tmp / "forged/SHA256SUMS",
             std::string(64, '0') + "  " + tarball->filename().string() + "\n");
  RunOptions forged = options;
  forged.env["AGATE_TARBALL"] = (tmp / "forged" / tarball->filename()).string();
  forged.env["AGATE_CACHE_DIR"] = (tmp / "cache2").string();
  auto mismatch =
      run({"bash", (source / "scripts/release-binary.sh").string(), "--version"}, forged);
  CHECK(mismatch.exit_code == 4);
  CHECK(mismatch.err.find("checksum mismatch") != std::string::npos);
  CHECK(mismatch.out.find("agate ") == std::string::npos);
  CHECK(!fs::exists(tmp / "cache2" / sha));
}
