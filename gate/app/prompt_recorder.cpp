// The passes of `agate record`; see prompt_recorder.hpp.
#include "gate/app/prompt_recorder.hpp"

#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"
#include "gate/provenance/agents/agent_import.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "gate/provenance/record_privacy.hpp"
#include "gate/provenance/secret_scanner.hpp"
#include "gate/util/file_util.hpp"
#include "gate/util/subprocess.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <istream>
#include <iterator>
#include <map>
#include <sstream>

namespace agate::gate {

namespace fs = std::filesystem;

namespace {

// The public forge any of the repository's remotes points at (gate/provenance/record_privacy.hpp:
// a guess from the URL), read with `git config` so that insteadOf rewrites and includes apply.
std::optional<std::string> public_remote_of(Repository& repo) {
  auto listed = run_process(
      {"git", "-C", repo.workdir().string(), "config", "--get-regexp", "^remote\\..*\\.url$"});
  if (!listed || listed->exit_code != 0) {
    return std::nullopt;
  }
  std::istringstream lines(listed->out);
  std::string line;
  while (std::getline(lines, line)) {
    if (auto space = line.find(' '); space != std::string::npos) {
      if (auto host = public_forge_host(std::string_view(line).substr(space + 1))) {
        return host;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> env_of(const RecordRequest& request, const char* name) {
  if (request.getenv) {
    return request.getenv(name);
  }
  const char* value = std::getenv(name);
  return value ? std::optional<std::string>(value) : std::nullopt;
}

std::string read_all(std::istream& input) {
  std::ostringstream out;
  out << input.rdbuf();
  return out.str();
}

std::string read_or_throw(const fs::path& path, std::string_view what) {
  auto text = read_file(path);
  if (!text) {
    throw Error("cannot read " + std::string(what) + ": " + text.error());
  }
  return std::move(*text);
}

template <typename T> T imported_or_throw(Result<T> result) {
  if (!result) {
    throw Error(result.error());
  }
  return std::move(*result);
}

// The newest Codex session rollout under $CODEX_HOME/sessions or ~/.codex/sessions.
fs::path newest_codex_session(const RecordRequest& request) {
  fs::path root;
  if (auto home = env_of(request, "CODEX_HOME"); home && !home->empty()) {
    root = fs::path(*home) / "sessions";
  } else if (auto user = env_of(request, "HOME"); user && !user->empty()) {
    root = fs::path(*user) / ".codex" / "sessions";
  } else {
    throw Error("--from codex needs --source FILE (no $HOME to find ~/.codex/sessions in)");
  }
  std::error_code ec;
  fs::path best;
  fs::file_time_type best_time{};
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& path = it->path();
    if (!it->is_regular_file(ec) || path.extension() != ".jsonl" ||
        !path.filename().string().starts_with("rollout-")) {
      continue;
    }
    auto time = it->last_write_time(ec);
    if (best.empty() || time > best_time) {
      best = path;
      best_time = time;
    }
  }
  if (best.empty()) {
    throw Error("no Codex session found under " + root.string() + ": give --source FILE");
  }
  return best;
}

ImportedPrompt import_prompt(Repository& repo, const RecordRequest& request, std::istream& input) {
  const auto& from = request.from;
  if (from.empty()) {
    ImportedPrompt imported;
    imported.tool = "unspecified";
    if (request.prompt) {
      imported.prompt = *request.prompt;
    } else if (request.prompt_file == "-") {
      imported.prompt = read_all(input);
    } else if (!request.prompt_file.empty()) {
      imported.prompt = read_or_throw(request.prompt_file, "the prompt file");
    } else {
      throw Error("no prompt: give --prompt TEXT, --prompt-file FILE (- for standard input) or "
                  "--from AGENT (claude-code, codex, aider, text)");
    }
    return imported;
  }
  if (request.prompt || !request.prompt_file.empty()) {
    throw Error("--from " + from +
                " reads the prompt from the agent's data: leave out --prompt "
                "and --prompt-file");
  }
  if (from == "claude-code") {
    if (!request.source.empty()) {
      return imported_or_throw(import_claude_code_transcript(request.source));
    }
    return imported_or_throw(import_claude_code_hook(read_all(input)));
  }
  if (from == "codex") {
    fs::path session =
        request.source.empty() ? newest_codex_session(request) : fs::path(request.source);
    return imported_or_throw(import_codex_rollout(session));
  }
  if (from == "aider") {
    fs::path history = request.source.empty() ? repo.workdir() / ".aider.chat.history.md"
                                              : fs::path(request.source);
    return imported_or_throw(import_aider_history(history));
  }
  if (from == "text") {
    if (request.source.empty()) {
      throw Error("--from text needs --source FILE");
    }
    return imported_or_throw(import_text_file(request.source));
  }
  throw Error("unknown agent '" + from + "' for --from (claude-code, codex, aider, text)");
}

std::string rfc3339(int64_t unix_time) {
  return format_time(unix_time, TimeStyle::rfc3339);
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Redacts `text` in place, counting the kinds into `redactions` under `field`.
int redact_into(std::string& text, const std::string& field,
                std::vector<RecordRedaction>& redactions) {
  auto redaction = redact_secrets(text);
  if (redaction.matches.empty()) {
    return 0;
  }
  std::map<std::string, int> kinds;
  for (const auto& match : redaction.matches) {
    ++kinds[match.kind];
  }
  for (const auto& [kind, count] : kinds) {
    redactions.push_back({field, kind, count});
  }
  text = std::move(redaction.text);
  return static_cast<int>(redaction.matches.size());
}

// The staged change (the index against HEAD), prompt records aside.
ChangeSet staged_change(Repository& repo) {
  Selection selection;
  selection.mode = SelectionMode::staged;
  auto loaded = load_changes(repo, selection, LoadOptions{});
  if (!loaded) {
    throw Error(loaded.error());
  }
  return std::move(loaded).value_or_throw();
}

} // namespace

RecordOutcome record_prompt(Repository& repo, const RecordRequest& request, std::istream& input) {
  if (repo.is_bare()) {
    throw Error("agate record needs a work tree: " + repo.git_dir().string() +
                " is a bare repository");
  }
  // Pass 1: the prompt.
  ImportedPrompt imported = import_prompt(repo, request, input);
  if (is_blank(imported.prompt)) {
    throw Error("the prompt is empty: nothing to record");
  }
  if (!request.transcript.empty()) {
    auto text = read_or_throw(request.transcript, "the transcript");
    imported.transcript_ref = request.transcript;
    std::size_t from = text.size() > k_max_excerpt_bytes ? text.size() - k_max_excerpt_bytes : 0;
    // Start on a UTF-8 boundary.
    while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) {
      ++from;
    }
    imported.transcript_excerpt = text.substr(from);
  }

  // Pass 2: the change it produced.
  ChangeSet staged = staged_change(repo);
  std::vector<FileChange> files;
  for (auto& file : staged.changes.front().files) {
    if (!file.prompt_record) {
      files.push_back(std::move(file));
    }
  }
  if (files.empty()) {
    throw Error("nothing is staged to record a prompt for: stage the agent's change first "
                "(git add), then run agate record");
  }
  DiffHash hash = diff_hash(files);

  // Pass 3: the record, secrets redacted before anything is written.
  const int64_t now = request.now != 0 ? request.now : static_cast<int64_t>(std::time(nullptr));
  PromptRecord record;
  record.created_at = rfc3339(now);
  record.tool = !request.tool.empty() ? request.tool : imported.tool;
  record.tool_version = imported.tool_version;
  record.model = !request.model.empty() ? request.model : imported.model;
  record.prompt_bytes = imported.prompt.size();
  int redacted = redact_into(imported.prompt, "prompt", record.redactions);
  if (imported.prompt.size() > k_max_prompt_bytes) {
    imported.prompt = cut_utf8(imported.prompt, k_max_prompt_bytes);
    record.prompt_truncated = true;
  }
  record.prompt = std::move(imported.prompt);
  redacted += redact_into(imported.transcript_excerpt, "transcript.excerpt", record.redactions);
  record.transcript_excerpt = cut_utf8(imported.transcript_excerpt, k_max_excerpt_bytes);
  redacted += redact_into(imported.transcript_ref, "transcript.ref", record.redactions);
  record.transcript_ref = std::move(imported.transcript_ref);
  record.session_id = imported.session_id;
  bool transcript_left_out = false;
  if (!request.keep_transcript &&
      (!record.transcript_excerpt.empty() || !record.transcript_ref.empty())) {
    record.transcript_excerpt.clear();
    record.transcript_ref.clear();
    std::erase_if(record.redactions,
                  [](const RecordRedaction& r) { return r.field.starts_with("transcript"); });
    transcript_left_out = true;
  }
  for (const auto& file : files) {
    record.files.push_back(file.path());
  }
  record.diff_sha256 = hash.sha256;
  record.file_sha256 = hash.files;
  record.added_lines = hash.added_lines;
  record.deleted_lines = hash.deleted_lines;

  // The size cap: checked on the file as it would be written (the id's length is fixed).
  record.id = new_record_id(record.prompt, now);
  if (auto size = serialize(record).size(); size > request.max_record_bytes) {
    throw Error(
        "the prompt record would be " + std::to_string(size) + " bytes, over the cap of " +
        std::to_string(request.max_record_bytes) +
        " bytes (provenance.max_record_bytes): shorten the prompt" +
        (record.transcript_excerpt.empty() ? std::string() : " or leave the transcript out") +
        "; nothing was written");
  }

  // Pass 4: write it (atomically, under a fresh id) and stage it.
  const fs::path dir = repo.workdir() / std::string(k_prompts_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error("cannot create " + dir.string() + ": " + ec.message());
  }
  fs::path path;
  for (int attempt = 0; attempt < 8; ++attempt) {
    record.id = new_record_id(record.prompt, now);
    path = repo.workdir() / record_path(record.id);
    if (!fs::exists(path, ec)) {
      break;
    }
  }
  if (auto written = write_file_atomic(path, serialize(record)); !written) {
    throw Error(written.error());
  }
  if (auto staged_ok = repo.stage(record_path(record.id)); !staged_ok) {
    fs::remove(path, ec);
    throw Error(staged_ok.error() + " (the record was not kept)");
  }
  std::optional<std::string> public_remote;
  if (!record.transcript_excerpt.empty()) {
    public_remote = public_remote_of(repo);
  }
  return {std::move(record), path, redacted, transcript_left_out, std::move(public_remote)};
}

namespace {

// The commits a merge in progress brings in ($GIT_DIR/MERGE_HEAD, one id per line).
std::vector<std::string> merge_heads(const Repository& repo) {
  std::vector<std::string> heads;
  std::ifstream in(repo.git_dir() / "MERGE_HEAD");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() >= 40) {
      heads.push_back(line.substr(0, line.find_first_of(" \t\r")));
    }
  }
  return heads;
}

} // namespace

std::vector<std::string> staged_record_ids(Repository& repo) {
  std::vector<std::string> ids;
  const ChangeSet staged = staged_change(repo); // kept alive: the loop reads into it
  // A merge brings in the records of the merged branch's commits, which name them already: only
  // a record that none of the merged heads holds is the merge's own.
  const auto heads = merge_heads(repo);
  for (const auto& file : staged.changes.front().files) {
    if (!file.prompt_record || file.new_path.empty()) {
      continue;
    }
    const bool brought_in = std::any_of(heads.begin(), heads.end(), [&](const std::string& head) {
      auto there = repo.read_file_at(head, file.new_path);
      return there && there->has_value();
    });
    if (brought_in) {
      continue;
    }
    if (auto id = record_id_of_path(file.new_path); id && is_safe_record_id(*id)) {
      ids.push_back(*id);
    }
  }
  return ids;
}

} // namespace agate::gate
