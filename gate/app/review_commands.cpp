// See review_commands.hpp.
#include "gate/app/review_commands.hpp"

#include "gate/app/prompt_log.hpp"
#include "gate/app/revision_range.hpp"
#include "gate/review/review_html.hpp"
#include "gate/review/review_model.hpp"
#include "gate/review/review_stats.hpp"
#include "gate/util/error.hpp"

#include <iostream>

namespace agate::gate {

namespace {

std::string range_name(const RevisionRange& range) {
  return range.head.empty() ? "HEAD" : range.text();
}

} // namespace

int run_review(const CliOptions& options, const GetEnv& getenv) {
  if (options.html.empty()) {
    throw Error("agate review needs --html FILE (where to write the page)");
  }
  Repository repo = open_repository(options, getenv);
  auto range = log_revisions(options);
  auto commits = commits_for_log(repo, range, 0);
  EntryOptions entry_options;
  entry_options.analyze = true;
  entry_options.count_lines = true;
  auto entries = commit_entries(repo, commits, entry_options);
  CliOptions to_file = options;
  to_file.output = options.html;
  write_output(to_file, review_html(page_json(range_name(range), entries)));
  std::cerr << "agate: wrote the review of " << entries.size()
            << (entries.size() == 1 ? " commit to " : " commits to ")
            << output_path(to_file).string() << "\n";
  return 0;
}

int run_stats(const CliOptions& options, const GetEnv& getenv) {
  Repository repo = open_repository(options, getenv);
  auto range = log_revisions(options);
  auto commits = commits_for_log(repo, range, 0);
  EntryOptions entry_options;
  entry_options.count_lines = true;
  auto stats = compute_stats(range_name(range), commit_entries(repo, commits, entry_options));
  if (options.json) {
    std::cout << stats_json(stats).dump(2) << "\n";
  } else {
    std::cout << render_stats(stats);
  }
  std::cout << std::flush;
  return 0;
}

} // namespace agate::gate
