// See provenance_commands.hpp.
#include "gate/app/provenance_commands.hpp"

#include "gate/app/front_end.hpp"
#include "gate/app/pipeline.hpp"
#include "gate/app/prompt_log.hpp"
#include "gate/app/prompt_recorder.hpp"
#include "gate/app/revision_range.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/message_trailers.hpp"
#include "gate/util/error.hpp"
#include "gate/util/file_util.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

namespace agate::gate {

namespace {

struct PipeCloser {
  void operator()(FILE* pipe) const { pclose(pipe); }
};

// Pages `text` on a terminal as git does ($GIT_PAGER, $PAGER, less with -FRX), else prints it.
void page(const std::string& text, bool no_pager) {
  if (no_pager || !isatty(STDOUT_FILENO)) {
    std::cout << text << std::flush;
    return;
  }
  std::string pager = "less";
  for (const char* name : {"GIT_PAGER", "PAGER"}) {
    if (const char* value = std::getenv(name); value && *value) {
      pager = value;
      break;
    }
  }
  if (pager == "cat") {
    std::cout << text << std::flush;
    return;
  }
  setenv("LESS", "FRX", 0);
  std::unique_ptr<FILE, PipeCloser> pipe(popen(pager.c_str(), "w"));
  if (!pipe) {
    std::cout << text << std::flush;
    return;
  }
  std::fwrite(text.data(), 1, text.size(), pipe.get());
}

} // namespace

int run_record(const CliOptions& options, const GetEnv& getenv) {
  Repository repo = open_repository(options, getenv);
  RecordRequest request;
  request.prompt = options.prompt;
  request.prompt_file = options.prompt_file;
  request.from = options.from;
  request.source = options.source;
  request.tool = options.tool;
  request.model = options.model;
  request.transcript = options.transcript;
  Selection staged;
  staged.mode = SelectionMode::staged;
  const Policy policy = load_policy(repo, selection_policy_rev(repo, staged).value_or_throw());
  request.keep_transcript = policy.provenance.record_content != "prompt";
  request.max_record_bytes = policy.provenance.max_record_bytes;
  auto outcome = record_prompt(repo, request, std::cin);
  const auto& r = outcome.record;
  std::cout << "recorded prompt " << r.id << " (" << record_path(r.id)
            << ", staged): " << r.files.size() << (r.files.size() == 1 ? " file" : " files")
            << ", +" << r.added_lines << " -" << r.deleted_lines << ", diff "
            << r.diff_sha256.substr(0, 12);
  if (outcome.redacted > 0) {
    std::cout << "; " << outcome.redacted
              << (outcome.redacted == 1 ? " secret redacted" : " secrets redacted");
  }
  if (r.prompt_truncated) {
    std::cout << "; prompt cut to " << k_max_prompt_bytes << " bytes";
  }
  if (outcome.transcript_left_out) {
    std::cout << "; transcript left out (provenance.record_content: prompt)";
  }
  std::cout << "\n";
  if (outcome.public_remote) {
    std::cerr << "agate: warning: the record keeps a transcript excerpt and the repository's "
                 "remote is on "
              << *outcome.public_remote
              << ", which usually means a public repository (a guess from the URL): anyone "
                 "who can read the repository will read it. Set provenance.record_content to "
                 "\"prompt\" to keep prompts only.\n";
  }
  return 0;
}

int run_trailer(const CliOptions& options, const GetEnv& getenv) {
  if (options.args.size() != 1) {
    throw Error("agate trailer needs the commit message file (git passes it to commit-msg)");
  }
  Repository repo = open_repository(options, getenv);
  std::filesystem::path file = options.args[0];
  if (file.is_relative() && !repo.workdir().empty()) {
    // git runs hooks at the top of the work tree and passes .git/COMMIT_EDITMSG relative to it.
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      file = repo.workdir() / file;
    }
  }
  auto ids = staged_record_ids(repo);
  if (ids.empty()) {
    return 0;
  }
  auto message = read_file(file).value_or_throw();
  std::vector<Trailer> trailers;
  for (const auto& id : ids) {
    trailers.push_back({"Agate-Prompt", id});
  }
  auto updated = add_trailers(message, trailers);
  if (updated != message) {
    write_file_atomic(file, updated).value_or_throw();
  }
  return 0;
}

int run_log(const CliOptions& options, const GetEnv& getenv) {
  Repository repo = open_repository(options, getenv);
  if (options.repair) {
    // A repair covers the whole range asked for, not the last 20 commits.
    auto commits =
        commits_for_log(repo, log_revisions(options), options.args.empty() ? options.max_count : 0);
    std::cout << render_repair(repo, commits) << std::flush;
    return 0;
  }
  auto commits = commits_for_log(repo, log_revisions(options), options.max_count);
  EntryOptions entry_options;
  entry_options.analyze = options.findings;
  std::cout << render_log(commit_entries(repo, commits, entry_options), use_color(options, getenv))
            << std::flush;
  return 0;
}

int run_show(const CliOptions& options, const GetEnv& getenv) {
  Repository repo = open_repository(options, getenv);
  bool color = use_color(options, getenv);
  page(render_show(repo, options.args.empty() ? "HEAD" : options.args[0], color), options.no_pager);
  return 0;
}

int run_export(const CliOptions& options, const GetEnv& getenv) {
  if (!options.agent_trace) {
    throw Error("agate export needs a format: --agent-trace");
  }
  Repository repo = open_repository(options, getenv);
  auto commits =
      commits_for_log(repo, log_revisions(options), options.args.empty() ? options.max_count : 0);
  write_output(options, export_agent_trace(repo, commits));
  return 0;
}

} // namespace agate::gate
