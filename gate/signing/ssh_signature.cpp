// SSH signature verification through ssh-keygen; see ssh_signature.hpp.
#include "gate/signing/ssh_signature.hpp"
#include "gate/util/text.hpp"

#include <ctime>

namespace agate::gate {

namespace {

// "-Overify-time=YYYYMMDDHHMMSSZ" for `time` (UTC).
std::string verify_time_option(std::int64_t time) {
  return "-Overify-time=" + format_time(time, TimeStyle::ssh);
}

std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  auto nl = text.find('\n');
  return std::string(text.substr(0, nl));
}

// ssh-keygen reports `Good "git" signature [for P] with ED25519 key SHA256:...` on success.
void read_key(const std::string& output, SshSignatureCheck& check) {
  const auto with = output.find(" with ");
  const auto key = output.find(" key SHA256:");
  if (with == std::string::npos || key == std::string::npos || key < with) {
    return;
  }
  check.key_type = output.substr(with + 6, key - with - 6);
  auto start = key + 5;
  auto end = output.find_first_of(" \r\n", start);
  check.fingerprint = output.substr(start, end == std::string::npos ? end : end - start);
}

std::vector<std::string> split_principals(const std::string& output) {
  std::vector<std::string> principals;
  std::string current;
  for (char c : output) {
    if (c == '\n' || c == ',') {
      if (!current.empty()) {
        principals.push_back(current);
      }
      current.clear();
    } else if (c != '\r') {
      current += c;
    }
  }
  if (!current.empty()) {
    principals.push_back(current);
  }
  return principals;
}

// `text` (git's allowed-signers format) with each line's principals (its first field) in lower
// case: addresses are matched without regard to case, as for OpenPGP keys, where ssh-keygen
// alone would match them exactly.
std::string lower_principals(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line = text.substr(pos, end - pos);
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') {
      out.append(line);
    } else {
      std::size_t stop = line.find_first_of(" \t", start);
      stop = stop == std::string_view::npos ? line.size() : stop;
      out.append(line.substr(0, start));
      out += lower(line.substr(start, stop - start));
      out.append(line.substr(stop));
    }
    pos = end;
  }
  return out;
}

} // namespace

Result<std::unique_ptr<SshVerifier>> SshVerifier::create(std::optional<std::string> allowed_signers,
                                                         std::string origin) {
  auto dir = PrivateTempDir::create("agate-ssh-");
  TRY(dir);
  std::optional<std::filesystem::path> allowed;
  if (allowed_signers) {
    auto written = dir->write("allowed_signers", lower_principals(*allowed_signers));
    TRY(written);
    allowed = *written;
  }
  return std::unique_ptr<SshVerifier>(
      new SshVerifier(std::move(dir).value_or_throw(), std::move(allowed), std::move(origin)));
}

Result<ProcessResult> SshVerifier::ssh_keygen(const std::vector<std::string>& args,
                                              std::string_view input) const {
  std::vector<std::string> argv;
  argv.reserve(args.size() + 1);
  argv.emplace_back("ssh-keygen");
  for (const auto& arg : args) {
    argv.push_back(arg);
  }
  ProcessOptions options;
  options.input = std::string(input);
  options.timeout_seconds = 30;
  auto result = run_process(argv, options);
  if (!result) {
    return fail("cannot verify SSH signatures: " + result.error() +
                ", so the SSH-signed commits are unverifiable here (install openssh-client)");
  }
  return result;
}

Result<SshSignatureCheck> SshVerifier::verify(std::string_view signature, std::string_view payload,
                                              const std::optional<std::string>& principal,
                                              std::int64_t time) {
  SshSignatureCheck check;
  auto sig_file = m_dir.write("commit.sig", signature);
  TRY(sig_file);
  const std::string sig = sig_file->string();

  // 1. Does the signature match the commit at all (whoever made it)?
  auto valid = ssh_keygen({"-Y", "check-novalidate", "-n", "git", "-s", sig}, payload);
  TRY(valid);
  read_key(valid->out + valid->err, check);
  if (valid->exit_code != 0) {
    check.outcome = SshSignatureCheck::Outcome::bad;
    check.detail = first_line(valid->err.empty() ? valid->out : valid->err);
    return check;
  }

  // 2. Is the key an allowed signer at the commit's time, and for whom?
  if (!m_allowed) {
    check.outcome = SshSignatureCheck::Outcome::untrusted;
    check.detail = "there is no allowed signers file (" + m_origin + ") at the policy revision";
    return check;
  }
  const std::string allowed = m_allowed->string();
  const std::string at = verify_time_option(time);
  auto found = ssh_keygen({"-Y", "find-principals", "-f", allowed, "-s", sig, at}, "");
  TRY(found);
  if (found->exit_code != 0) {
    check.outcome = SshSignatureCheck::Outcome::untrusted;
    check.detail = "the key is not in " + m_origin + " (or not valid at the commit's time)";
    return check;
  }
  check.principals = split_principals(found->out);

  // 3. Verify for the principal asked for (the committer), as git does.
  const std::string who = principal
                              ? lower(*principal)
                              : (check.principals.empty() ? std::string() : check.principals[0]);
  auto verified =
      ssh_keygen({"-Y", "verify", "-f", allowed, "-I", who, "-n", "git", "-s", sig, at}, payload);
  TRY(verified);
  if (verified->exit_code == 0) {
    check.outcome = SshSignatureCheck::Outcome::good;
    check.principal = who;
    return check;
  }
  check.outcome = principal ? SshSignatureCheck::Outcome::identity_mismatch
                            : SshSignatureCheck::Outcome::untrusted;
  check.detail = first_line(verified->err.empty() ? verified->out : verified->err);
  return check;
}

} // namespace agate::gate
