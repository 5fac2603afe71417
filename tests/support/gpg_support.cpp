// Keys and signed commits for tests; see gpg_support.hpp.
#include "tests/support/gpg_support.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>

namespace agate::test {

namespace {

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const auto& a : args) {
    out += " " + a;
  }
  return out;
}

// The fingerprints (fpr records) of `--with-colons` output, in order.
std::vector<std::string> colon_fingerprints(const std::string& listing) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = listing.find("\nfpr:", pos)) != std::string::npos) {
    auto end = listing.find('\n', pos + 1);
    std::string line = listing.substr(pos + 1, end - pos - 1);
    // fpr:::::::::FINGERPRINT:
    auto last = line.rfind(':', line.size() - 2);
    out.push_back(line.substr(last + 1, line.size() - last - 2));
    pos = end;
  }
  return out;
}

} // namespace

GpgHome::GpgHome() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/agate-test-gpg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a GnuPG home for tests");
  }
  m_dir = pattern;
  write_file(m_dir / "gpg.conf", "no-greeting\nno-auto-key-retrieve\n");
  write_file(m_dir / "gpg-agent.conf", "allow-loopback-pinentry\n");
}

GpgHome::~GpgHome() {
  try {
    run({"gpgconf", "--homedir", m_dir.string(), "--kill", "all"});
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

std::string GpgHome::gpg(const std::vector<std::string>& args, const std::string& input,
                         std::optional<std::int64_t> faked_time) {
  std::vector<std::string> argv{
      "gpg",          "--homedir", m_dir.string(), "--batch", "--pinentry-mode", "loopback",
      "--passphrase", ""};
  if (faked_time) {
    argv.push_back("--faked-system-time");
    argv.push_back(std::to_string(*faked_time) + "!");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.input = input.empty() ? std::nullopt : std::optional<std::string>(input);
  auto result = run(argv, options);
  if (result.exit_code != 0) {
    throw std::runtime_error("gpg" + joined(args) + " failed: " + result.err);
  }
  return result.out;
}

std::string GpgHome::generate_key(const std::string& uid, const std::string& usage,
                                  const std::string& expire, std::optional<std::int64_t> at,
                                  const std::string& algo) {
  gpg({"--quick-gen-key", uid, algo, usage, expire}, "", at);
  auto listing = gpg({"--with-colons", "--list-keys", "=" + uid});
  auto fprs = colon_fingerprints("\n" + listing);
  if (fprs.empty()) {
    throw std::runtime_error("no key generated for " + uid);
  }
  return fprs.front();
}

std::string GpgHome::add_subkey(const std::string& fingerprint, const std::string& algo,
                                const std::string& usage) {
  gpg({"--quick-add-key", fingerprint, algo, usage, "never"});
  auto fprs = colon_fingerprints("\n" + gpg({"--with-colons", "--list-keys", fingerprint}));
  return fprs.back();
}

std::string GpgHome::export_key(const std::string& fingerprint) {
  return gpg({"--armor", "--export", fingerprint});
}

std::string GpgHome::export_revoked(const std::string& fingerprint) {
  // gpg writes a revocation certificate for every key it makes; its armor line is prefixed
  // with ':' so it cannot be imported by accident.
  std::string cert = read_file(m_dir / "openpgp-revocs.d" / (fingerprint + ".rev"));
  auto at = cert.find(":-----BEGIN PGP PUBLIC KEY BLOCK-----");
  if (at == std::string::npos) {
    throw std::runtime_error("no revocation certificate for " + fingerprint);
  }
  cert.erase(at, 1);
  GpgHome scratch;
  scratch.gpg({"--import"}, export_key(fingerprint));
  scratch.gpg({"--import"}, cert);
  return scratch.export_key(fingerprint);
}

std::string GpgHome::export_with_subkey_usage(const std::string& fingerprint, int index,
                                              const std::string& toggles) {
  GpgHome scratch;
  scratch.gpg({"--import"}, gpg({"--armor", "--export-secret-keys", fingerprint}));
  std::string commands = "key " + std::to_string(index) + "\nchange-usage\n";
  for (char toggle : toggles) {
    commands += std::string(1, toggle) + "\n";
  }
  commands += "Q\nsave\n";
  scratch.gpg({"--expert", "--command-fd", "0", "--edit-key", fingerprint}, commands);
  return scratch.export_key(fingerprint);
}

fs::path GpgHome::program(std::optional<std::int64_t> faked_time) {
  auto path = m_dir / ("gpg-program-" + std::to_string(m_programs++) + ".sh");
  std::string script = "#!/bin/sh\nexec gpg --homedir '" + m_dir.string() +
                       "' --pinentry-mode loopback --passphrase ''";
  if (faked_time) {
    script += " --faked-system-time " + std::to_string(*faked_time) + "!";
  }
  script += " \"$@\"\n";
  write_file(path, script);
  fs::permissions(path, fs::perms::owner_all);
  return path;
}

std::string commit_signed(GitRepo& repo, GpgHome& gpg, const std::string& key,
                          const std::string& message, std::optional<std::int64_t> faked_time,
                          const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{"-c", "gpg.program=" + gpg.program(faked_time).string(), "-c",
                                "user.signingkey=" + key};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  if (extra_args.empty()) {
    args.insert(args.end(), {"commit", "-q", "--allow-empty", "--no-verify", "-S", "-m", message});
  }
  repo.git(args);
  return repo.head();
}

fs::path make_ssh_key(const fs::path& dir, const std::string& name, const std::string& comment) {
  fs::create_directories(dir);
  auto key = dir / name;
  auto result =
      run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.string()});
  if (result.exit_code != 0) {
    throw std::runtime_error("ssh-keygen failed: " + result.err);
  }
  return key;
}

std::string commit_ssh_signed(GitRepo& repo, const fs::path& private_key,
                              const std::string& message) {
  repo.git({"-c", "gpg.format=ssh", "-c", "user.signingkey=" + private_key.string(), "commit", "-q",
            "--allow-empty", "--no-verify", "-S", "-m", message});
  return repo.head();
}

std::string rewrite_head(GitRepo& repo, const std::function<std::string(std::string)>& edit) {
  std::string raw = repo.git({"cat-file", "commit", "HEAD"});
  std::string id = trimmed(repo.git({"hash-object", "-t", "commit", "-w", "--stdin"}, edit(raw)));
  repo.git({"update-ref", "HEAD", id});
  return id;
}

std::string gpgsig_header(const std::string& field, const std::string& block) {
  std::string out = field;
  std::size_t start = 0;
  bool first = true;
  while (start < block.size()) {
    auto nl = block.find('\n', start);
    std::string line =
        block.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += (first ? " " : "\n ") + line;
    first = false;
    if (nl == std::string::npos) {
      break;
    }
    start = nl + 1;
  }
  return out + "\n";
}

} // namespace agate::test
