// `agate verify`; see verify_command.hpp.
#include "gate/app/verify_command.hpp"

#include "analyzers/signature_analyzer.hpp"
#include "gate/app/pipeline.hpp"
#include "gate/app/revision_range.hpp"
#include "gate/git/commit_parser.hpp"
#include "gate/git/github_event.hpp"
#include "gate/git/repository.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/signing/signature_verifier.hpp"

#include <iostream>
#include <map>
#include <sstream>

namespace agate::gate {

namespace {

// The commits to verify, from the argument, the GitHub event, or the upstream.
Selection verify_selection(const CliOptions& options, const GetEnv& getenv, Repository& repo) {
  Selection selection;
  if (!options.args.empty()) {
    return selection_of(parse_revision_range(options.args.front(), "agate verify",
                                             RevisionForm::range_or_revision));
  }
  if (auto actions = getenv("GITHUB_ACTIONS"); actions && *actions == "true") {
    Resolvable resolvable = [&repo](const std::string& rev) { return repo.resolve(rev).ok(); };
    auto from_event = selection_from_github(getenv, resolvable);
    if (!from_event) {
      throw Error(from_event.error());
    }
    if (*from_event) {
      return **from_event;
    }
  }
  if (repo.resolve("@{upstream}").ok()) {
    selection.mode = SelectionMode::range;
    selection.base = "@{upstream}";
    selection.head = "HEAD";
    return selection;
  }
  selection.mode = SelectionMode::commit;
  selection.rev = "HEAD";
  return selection;
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) {
    text.resize(width, ' ');
  }
  return text;
}

} // namespace

int run_verify(const CliOptions& options, const GetEnv& getenv) {
  Repository repo = open_repository(options, getenv);
  Selection selection = verify_selection(options, getenv, repo);
  if (selection.mode == SelectionMode::none) {
    std::cout << "nothing to verify: " << selection.description_hint << "\n";
    return 0;
  }
  const std::string policy_rev = selection_policy_rev(repo, selection).value_or_throw();
  const Policy policy = load_policy(repo, policy_rev);

  std::vector<std::string> ids;
  std::string what;
  if (selection.mode == SelectionMode::range) {
    ids = repo.commits_in_range(selection.base, selection.head, selection.expected_commits)
              .value_or_throw();
    what = selection.base + ".." + selection.head;
  } else if (selection.mode == SelectionMode::commit) {
    const std::string rev = selection.rev.empty() ? "HEAD" : selection.rev;
    ids.push_back(repo.resolve(rev).value_or_throw());
    what = rev;
  } else {
    throw Error("agate verify checks commits: give a revision or a range BASE..HEAD");
  }

  GitRepositoryView view(repo);
  auto verifier = make_signature_verifier(policy, &view, policy_rev).value_or_throw();
  std::map<std::string, int> counts;
  bool failed = false;
  std::ostringstream out;
  std::vector<CommitInfo> commits;
  commits.reserve(ids.size());
  for (const auto& id : ids) {
    commits.push_back(commit_info(id, repo.read_raw_object(id).value_or_throw()));
  }
  std::vector<const CommitInfo*> pointers;
  for (const auto& commit : commits) {
    pointers.push_back(&commit);
  }
  verifier->prefetch(pointers).value_or_throw();
  for (const auto& commit : commits) {
    auto requirement = signature_requirement(policy, commit);
    SignatureVerdict verdict = verifier->verify(commit).value_or_throw();
    std::vector<Finding> findings;
    if (auto finding =
            analyzers::signature_finding(verdict, commit, requirement, policy.signatures)) {
      findings.push_back(std::move(*finding));
    }
    findings = apply_policy(std::move(findings), policy);
    std::string result = "ok";
    if (!findings.empty()) {
      const Severity severity = findings.front().severity;
      result = std::string(to_string(severity));
      if (policy.fail_on && severity >= *policy.fail_on) {
        failed = true;
      }
    }
    std::string status(to_string(verdict.status));
    if (verdict.status == SignatureStatus::unsigned_commit && requirement) {
      status = "missing";
    }
    std::string reason = verdict.reason;
    if (requirement && verdict.status != SignatureStatus::good) {
      reason += "; " + *requirement;
    }
    ++counts[result];
    out << Repository::short_id(commit.id) << "  " << padded(result, 7) << "  "
        << padded(status, 17) << "  " << (verdict.fingerprint.empty() ? "-" : verdict.fingerprint)
        << "  " << (verdict.signer.empty() ? "-" : verdict.signer) << ": " << reason << "\n";
  }
  out << "verified " << ids.size() << (ids.size() == 1 ? " commit" : " commits") << " of " << what
      << " against the signature policy "
      << (policy_rev.empty() ? std::string("of the work tree")
                             : "at " + Repository::short_id(policy_rev))
      << ": " << counts["ok"] << " ok, " << counts["warning"] << " warning"
      << (counts["warning"] == 1 ? "" : "s") << ", " << counts["error"] << " error"
      << (counts["error"] == 1 ? "" : "s") << "; " << (failed ? "FAILED" : "passed") << "\n";
  std::cout << out.str() << std::flush;
  return failed ? 1 : 0;
}

} // namespace agate::gate
