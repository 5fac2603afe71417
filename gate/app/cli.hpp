// The command line: the commands, and one definition per flag that also yields its help text
// (as in ripgrep), so the parser and `agate help` cannot drift apart.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

struct CliOptions {
  std::string command;    // "check", "install", "uninstall", "init", "verify", ...
  std::string help_topic; // for `agate help <command>` / `<command> --help`
  bool help = false;
  std::filesystem::path dir = "."; // -C DIR

  // check: what to review (at most one of these; none means automatic)
  bool staged = false;
  bool worktree = false;
  std::string commit;        // --commit REV
  std::string range;         // --range BASE..HEAD
  std::string policy_from;   // --policy-from REV (check, verify)
  std::string message_file;  // --message-file FILE: the commit message being written
  std::string message_rules; // --message-rules all|defer|only (empty: all)
  // check: how to report
  std::string format;           // empty: automatic (text; github annotations in Actions)
  std::string output;           // --output FILE
  bool publish = false;         // --publish: post the findings on the pull request (GitHub)
  std::string github_token_env; // --github-token-env NAME (default GITHUB_TOKEN)
  std::string fail_on;          // --fail-on error|warning|never (empty: the policy's)
  std::string color = "auto";   // --color auto|always|never
  bool verbose = false;         // --verbose: the evidence behind each finding (text)

  // install / uninstall / init
  std::vector<std::string> hooks; // --hook NAME (repeatable)
  bool force = false;

  // Positional arguments of commands that take them (see CommandDefinition::max_args).
  std::vector<std::string> args;

  // record
  std::optional<std::string> prompt; // --prompt TEXT
  std::string prompt_file;           // --prompt-file FILE ("-": standard input)
  std::string from;                  // --from AGENT
  std::string source;                // --source FILE
  std::string tool;                  // --tool NAME
  std::string model;                 // --model NAME
  std::string transcript;            // --transcript FILE
  // log / show / export
  std::size_t max_count = 20; // -n, --max-count N (log)
  bool no_pager = false;      // --no-pager (show)
  bool findings = false;      // --findings (log)
  std::string html;           // --html FILE (review)
  bool json = false;          // --json (stats)
  bool repair = false;        // --repair (log)
  bool agent_trace = false;   // --agent-trace (export)
};

struct FlagDefinition {
  std::string_view name;       // "--commit"
  std::string_view short_name; // "-C" or empty
  std::string_view value_name; // "REV", empty for a switch
  std::string_view help;
  std::vector<std::string_view> commands; // commands that accept it
  void (*apply)(CliOptions& options, std::string_view value);
};

struct CommandDefinition {
  std::string_view name;
  std::string_view usage;
  std::string_view summary;
  std::size_t max_args = 0;     // positional arguments it accepts
  bool takes_revisions = false; // BASE..HEAD (revision_range.hpp): its help states the rules
};

const std::vector<FlagDefinition>& flag_definitions();
const std::vector<CommandDefinition>& command_definitions();

// Parses argv (without the program name). Throws agate::Error on a usage error.
CliOptions parse_command_line(const std::vector<std::string>& args);
std::string help_text(std::string_view command); // empty command: the overview

} // namespace agate::gate
