// Parsing of the command line against the flag table. Every flag is defined once, with its help
// text and the commands it belongs to; `agate help check` prints exactly what the parser accepts.
#include "gate/app/cli.hpp"

#include "gate/app/revision_range.hpp"

#include "gate/util/error.hpp"

#include <algorithm>
#include <sstream>

namespace agate::gate {

const std::vector<CommandDefinition>& command_definitions() {
  static const std::vector<CommandDefinition> commands = {
      {"check", "agate check [--staged | --worktree | --commit REV | --range BASE..HEAD] [options]",
       "Review a change and report findings; exit 1 when the gate fails.", 0, true},
      {"install", "agate install [--hook NAME]... [--force]",
       "Install agate's git hooks, chaining any hook already there."},
      {"uninstall", "agate uninstall [--hook NAME]...",
       "Remove agate's git hooks and restore the hooks they chained."},
      {"init", "agate init [--force]", "Write a commented default policy to .agate/config.json."},
      {"record",
       "agate record [--prompt TEXT | --prompt-file FILE | --from AGENT [--source FILE]] "
       "[--tool NAME] [--model NAME] [--transcript FILE]",
       "Record the prompt that produced the staged change in .agate/prompts/ and stage it."},
      {"trailer", "agate trailer MESSAGE_FILE",
       "Add `Agate-Prompt:` trailers for the staged prompt records to a commit message file "
       "(what the commit-msg hook runs).",
       1},
      {"log", "agate log [BASE..HEAD | REV] [-n N] [--findings] [--repair]",
       "One line per commit: AI-assisted, tool and model, record and signature status, the "
       "prompt. A range, or REV's history (default HEAD), follows every parent as git log does.",
       1, true},
      {"review", "agate review [BASE..HEAD | REV] --html FILE",
       "Write one self-contained HTML page to review a range: each commit's prompt beside its "
       "diff and agate's findings, filters and keyboard paging (j/k, n/p).",
       1, true},
      {"stats", "agate stats [BASE..HEAD | REV] [--json]",
       "Commits and changed lines by author kind (human, AI with or without a record), tool "
       "and model; the share of AI-assisted commits with records and signatures.",
       1, true},
      {"show", "agate show [REV]",
       "A commit's prompt and transcript excerpt beside its findings and diff.", 1},
      {"export", "agate export --agent-trace [BASE..HEAD | REV] [-o FILE]",
       "Write Agent Trace records (JSON Lines) for the recorded commits of a range.", 1, true},
      {"verify", "agate verify [BASE..HEAD | REV]",
       "One line per commit: is its signature good by the repository's signature policy and "
       "trusted keys (default: @{upstream}..HEAD, else HEAD; the event's range in Actions).",
       1, true},
      {"version", "agate version", "Print agate's version."},
      {"help", "agate help [COMMAND]", "Show help for agate or one command."},
  };
  return commands;
}

const std::vector<FlagDefinition>& flag_definitions() {
  static const std::vector<FlagDefinition> flags = {
      {"--directory",
       "-C",
       "DIR",
       "Run as if agate was started in DIR.",
       {"check", "install", "uninstall", "init", "record", "trailer", "log", "review", "stats",
        "show", "export", "verify"},
       [](CliOptions& o, std::string_view v) { o.dir = std::string(v); }},
      {"--staged",
       "",
       "",
       "Review the staged changes (index against HEAD). The default outside GitHub Actions.",
       {"check"},
       [](CliOptions& o, std::string_view) { o.staged = true; }},
      {"--worktree",
       "",
       "",
       "Review the work tree, staged or not, against HEAD.",
       {"check"},
       [](CliOptions& o, std::string_view) { o.worktree = true; }},
      {"--commit",
       "",
       "REV",
       "Review one commit against its first parent.",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.commit = std::string(v); }},
      {"--range",
       "",
       "BASE..HEAD",
       "Review each commit of the range and the range as a whole; the policy comes from BASE.",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.range = std::string(v); }},
      {"--policy-from",
       "",
       "REV",
       "Take the policy and the trusted keys from REV, the tip of the branch the change goes "
       "into (default: BASE of a range, the parent of a commit, the pull request's base in "
       "Actions).",
       {"check", "verify"},
       [](CliOptions& o, std::string_view v) { o.policy_from = std::string(v); }},
      {"--message-file",
       "",
       "FILE",
       "The commit message being written for the staged change (what git passes to the "
       "commit-msg hook): the rules that read a message, such as whether it explains a "
       "deletion, and its `agate: ignore[...]` lines judge by it.",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.message_file = std::string(v); }},
      {"--message-rules",
       "",
       "WHICH",
       "all (default); defer: leave the rules that read the commit message to the commit-msg "
       "hook and say how many findings wait for it (the pre-commit hook); only: judge only "
       "those rules, silent when they find nothing (the commit-msg hook).",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.message_rules = std::string(v); }},
      {"--format",
       "",
       "FORMAT",
       "Output format: text, json, sarif, github, markdown, codeclimate (GitLab Code Quality).",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.format = std::string(v); }},
      {"--output",
       "-o",
       "FILE",
       "Write the report to FILE (atomically) instead of stdout.",
       {"check", "export"},
       [](CliOptions& o, std::string_view v) { o.output = std::string(v); }},
      {"--publish",
       "",
       "",
       "In a GitHub Actions pull_request, pull_request_target or merge_group run: post one "
       "review with inline comments on the changed lines, a check run named agate with every "
       "annotation, and one summary comment kept up to date (needs checks: write and "
       "pull-requests: write). The exit code stays the gate's.",
       {"check"},
       [](CliOptions& o, std::string_view) { o.publish = true; }},
      {"--github-token-env",
       "",
       "NAME",
       "The environment variable holding the token --publish uses (default: GITHUB_TOKEN).",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.github_token_env = std::string(v); }},
      {"--fail-on",
       "",
       "LEVEL",
       "Fail (exit 1) on findings at or above LEVEL: error, warning or never. Default: the "
       "policy's fail_on (error).",
       {"check"},
       [](CliOptions& o, std::string_view v) { o.fail_on = std::string(v); }},
      {"--color",
       "",
       "WHEN",
       "Color text output: auto (a terminal and NO_COLOR unset), always, never.",
       {"check", "log", "show"},
       [](CliOptions& o, std::string_view v) { o.color = std::string(v); }},
      {"--verbose",
       "-v",
       "",
       "Text output: show the evidence behind each finding (the facts its message is drawn "
       "from).",
       {"check"},
       [](CliOptions& o, std::string_view) { o.verbose = true; }},
      {"--hook",
       "",
       "NAME",
       "A hook to (un)install: pre-commit, commit-msg, pre-push. Default: all three.",
       {"install", "uninstall"},
       [](CliOptions& o, std::string_view v) { o.hooks.emplace_back(v); }},
      {"--force",
       "",
       "",
       "install: replace a stale chained hook; init: overwrite the policy.",
       {"install", "init"},
       [](CliOptions& o, std::string_view) { o.force = true; }},
      {"--prompt",
       "",
       "TEXT",
       "The prompt, as the human gave it to the agent.",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.prompt = std::string(v); }},
      {"--prompt-file",
       "",
       "FILE",
       "Read the prompt from FILE (- for standard input).",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.prompt_file = std::string(v); }},
      {"--from",
       "",
       "AGENT",
       "Take the prompt from an agent's own data: claude-code (its hook payload on standard "
       "input, or --source TRANSCRIPT), codex (--source ROLLOUT, default the newest session), "
       "aider (--source HISTORY, default .aider.chat.history.md), text (--source FILE).",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.from = std::string(v); }},
      {"--source",
       "",
       "FILE",
       "The agent's file for --from.",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.source = std::string(v); }},
      {"--tool",
       "",
       "NAME",
       "The agent's name (default: what --from says, else \"unspecified\").",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.tool = std::string(v); }},
      {"--model",
       "",
       "NAME",
       "The model's name (default: what --from says).",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.model = std::string(v); }},
      {"--transcript",
       "",
       "FILE",
       "A transcript to keep an excerpt of (its last 16 KiB, secrets redacted).",
       {"record"},
       [](CliOptions& o, std::string_view v) { o.transcript = std::string(v); }},
      {"--repair",
       "",
       "",
       "Print the Agate-Prompt: trailers that would link again the records a squash merge or "
       "rebase left without one (found by their files and diff hash).",
       {"log"},
       [](CliOptions& o, std::string_view) { o.repair = true; }},
      {"--max-count",
       "-n",
       "N",
       "Show at most N commits (default 20; 0: no limit).",
       {"log", "export"},
       [](CliOptions& o, std::string_view v) {
         std::size_t n = 0;
         for (char c : v) {
           if (c < '0' || c > '9' || n > 1000000) {
             throw Error("--max-count expects a number, got '" + std::string(v) + "'");
           }
           n = n * 10 + static_cast<std::size_t>(c - '0');
         }
         o.max_count = n;
       }},
      {"--findings",
       "",
       "",
       "Review each commit as `agate check --commit` does and show its finding counts; the "
       "signature status is then verified by the policy (without it: signed or unsigned, as "
       "the commit carries a signature or not). Slower: it analyzes every commit.",
       {"log"},
       [](CliOptions& o, std::string_view) { o.findings = true; }},
      {"--html",
       "",
       "FILE",
       "Write the review page to FILE (atomically; relative to -C DIR).",
       {"review"},
       [](CliOptions& o, std::string_view v) { o.html = std::string(v); }},
      {"--json",
       "",
       "",
       "Print the figures as JSON (fields in docs/output-formats.md).",
       {"stats"},
       [](CliOptions& o, std::string_view) { o.json = true; }},
      {"--no-pager",
       "",
       "",
       "Do not page the output (it is paged with $GIT_PAGER, $PAGER or less on a terminal).",
       {"show"},
       [](CliOptions& o, std::string_view) { o.no_pager = true; }},
      {"--agent-trace",
       "",
       "",
       "Export in the Agent Trace format (https://agent-trace.dev, JSON Lines).",
       {"export"},
       [](CliOptions& o, std::string_view) { o.agent_trace = true; }},
      {"--help",
       "-h",
       "",
       "Show help for the command.",
       {"check", "install", "uninstall", "init", "record", "trailer", "log", "review", "stats",
        "show", "export", "verify", "version", "help"},
       [](CliOptions& o, std::string_view) { o.help = true; }},
  };
  return flags;
}

namespace {

const CommandDefinition* find_command(std::string_view name) {
  for (const auto& c : command_definitions()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

const FlagDefinition* find_flag(std::string_view name) {
  for (const auto& f : flag_definitions()) {
    if (f.name == name || (!f.short_name.empty() && f.short_name == name)) {
      return &f;
    }
  }
  return nullptr;
}

bool accepts(const FlagDefinition& flag, std::string_view command) {
  return std::find(flag.commands.begin(), flag.commands.end(), command) != flag.commands.end();
}

} // namespace

CliOptions parse_command_line(const std::vector<std::string>& args) {
  CliOptions options;
  std::size_t i = 0;
  // Global flags before the command: -C DIR, --help, --version.
  while (i < args.size() && !args[i].empty() && args[i][0] == '-') {
    const auto& arg = args[i];
    if (arg == "--version" || arg == "-V") {
      options.command = "version";
      return options;
    }
    if (arg == "--help" || arg == "-h") {
      options.command = "help";
      return options;
    }
    if (arg == "-C" || arg == "--directory") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        throw Error(arg + " needs a directory");
      }
      options.dir = args[i + 1];
      i += 2;
      continue;
    }
    throw Error("unknown option " + arg + " (see `agate help`)");
  }
  if (i >= args.size()) {
    options.command = "help";
    return options;
  }
  options.command = args[i++];
  if (!find_command(options.command)) {
    throw Error("unknown command '" + options.command +
                "' (commands: check, install, uninstall, init, record, trailer, log, review, "
                "stats, show, export, verify, version, help)");
  }
  for (; i < args.size(); ++i) {
    std::string arg = args[i];
    if (options.command == "help" && !arg.empty() && arg[0] != '-') {
      options.help_topic = arg;
      continue;
    }
    if (arg.empty() || arg[0] != '-') {
      if (options.args.size() < find_command(options.command)->max_args && !arg.empty()) {
        options.args.push_back(arg);
        continue;
      }
      throw Error("unexpected argument '" + arg + "' for `agate " + options.command + "`");
    }
    std::string value;
    bool has_inline_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    const FlagDefinition* flag = find_flag(arg);
    if (!flag) {
      throw Error("unknown option " + arg + " for `agate " + options.command +
                  "` (see `agate help " + options.command + "`)");
    }
    if (!accepts(*flag, options.command)) {
      throw Error("option " + std::string(flag->name) + " does not apply to `agate " +
                  options.command + "`");
    }
    if (!flag->value_name.empty()) {
      if (!has_inline_value) {
        if (i + 1 >= args.size()) {
          throw Error("option " + std::string(flag->name) + " needs a value (" +
                      std::string(flag->value_name) + ")");
        }
        value = args[++i];
      }
      if (value.empty()) {
        // `--commit ""` (an unset variable in a script) must not fall back to the default.
        throw Error("option " + std::string(flag->name) + " needs a value (" +
                    std::string(flag->value_name) + "), got an empty one");
      }
    } else if (has_inline_value) {
      throw Error("option " + std::string(flag->name) + " takes no value");
    }
    flag->apply(options, value);
  }
  if (options.help && options.command != "help") {
    options.help_topic = options.command;
    options.command = "help";
  }
  int selections = int(options.staged) + int(options.worktree) + int(!options.commit.empty()) +
                   int(!options.range.empty());
  if (selections > 1) {
    throw Error("choose one of --staged, --worktree, --commit and --range");
  }
  return options;
}

std::string help_text(std::string_view command) {
  std::ostringstream out;
  if (command.empty()) {
    out << "agate: gate AI-generated changes in git (hooks, CI and prompt review)\n\n"
        << "Usage: agate [-C DIR] COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto& c : command_definitions()) {
      out << "  " << c.name << std::string(12 - c.name.size(), ' ') << c.summary << "\n";
    }
    out << "\nExit codes: 0 the gate passes, 1 it fails (a finding at or above --fail-on),\n"
        << "2 usage, configuration or repository error.\n"
        << "Run `agate help COMMAND` for the options of a command.\n";
    return out.str();
  }
  const CommandDefinition* def = find_command(command);
  if (!def) {
    throw Error("unknown command '" + std::string(command) + "'");
  }
  out << def->summary << "\n\nUsage: " << def->usage << "\n\n";
  if (def->takes_revisions) {
    out << "Revisions: " << k_revision_range_help << "\n\n";
  }
  out << "Options:\n";
  for (const auto& f : flag_definitions()) {
    if (!accepts(f, command)) {
      continue;
    }
    std::string left = "  ";
    left += f.short_name.empty() ? "    " : std::string(f.short_name) + ", ";
    left += f.name;
    if (!f.value_name.empty()) {
      left += " " + std::string(f.value_name);
    }
    if (left.size() < 28) {
      left.resize(28, ' ');
    } else {
      left += "\n" + std::string(28, ' ');
    }
    out << left << f.help << "\n";
  }
  return out.str();
}

} // namespace agate::gate
