// The agent importers on real-shaped data (tests/fixtures/agents, see its README for where each
// shape comes from): the human's words for the change and nothing else, the agent's version and
// model, and clear one-line failures on missing, empty, binary, huge or garbled input.
#include "gate/provenance/agents/agent_import.hpp"
#include "gate/provenance/agents/agent_import_support.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <fstream>

using namespace agate;
using namespace agate::test;

namespace {

fs::path fixture(const std::string& rel) {
  return fs::path(AGATE_SOURCE_DIR) / "tests/fixtures/agents" / rel;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t p = text.find(from); p != std::string::npos;
       p = text.find(from, p + to.size())) {
    text.replace(p, from.size(), to);
  }
  return text;
}

std::string json_string(const std::string& text) {
  return nlohmann::json(text).dump();
}

std::string claude_user(const std::string& text) {
  return R"({"type":"user","sessionId":"s-1","version":"2.0.14","message":{"role":"user","content":)" +
         json_string(text) + "}}\n";
}

std::string claude_assistant(const std::string& text, const std::string& bash = "") {
  std::string content = R"([{"type":"text","text":)" + json_string(text) + "}";
  if (!bash.empty()) {
    content += R"(,{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":)" +
               json_string(bash) + "}}";
  }
  return R"({"type":"assistant","sessionId":"s-1","version":"2.0.14","message":{"role":"assistant","model":"claude-sonnet-4-5-20250929","content":)" +
         content + "]}}\n";
}

// AddressSanitizer keeps freed memory in quarantine (256 MiB by default), so the peak resident
// size says nothing about what the reader holds; the memory bound is checked without it.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_sanitized = true;
#else
constexpr bool k_sanitized = false;
#endif
#else
constexpr bool k_sanitized = false;
#endif

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

} // namespace

TEST_CASE("agent import: Claude Code transcript gives the turns since the agent's last commit") {
  const auto path = fixture("claude-code/session.jsonl");
  auto imported = gate::import_claude_code_transcript(path);
  REQUIRE_MESSAGE(imported.ok(), imported.error());
  CHECK(imported->tool == "claude-code");
  CHECK(imported->tool_version == "2.0.15");
  CHECK(imported->model == "claude-opus-4-1-20250805");
  CHECK(imported->session_id == "7f3c9a2e-5b1d-4c8e-9f0a-2d6e8b4c1a37");
  CHECK(imported->transcript_ref == fs::absolute(path).lexically_normal().string());
  // Turn 1 ended in `git commit`; turns 2 and 3 make this change. Tool results, the sidechain,
  // the /model command and its output, and meta lines are not the human's words.
  CHECK(imported->prompt == "Now make the dry run print a summary of what would change.\n\n"
                            "Also cover the summary with a test in tests/test_import.py.");
  CHECK(imported->user_turns == 2);
  const std::string& excerpt = imported->transcript_excerpt;
  CHECK(excerpt.find("assistant: Added tests/test_import.py with a test of the summary.") !=
        std::string::npos);
  CHECK(excerpt.find("tool: [Write] /home/dev/shop/tests/test_import.py") != std::string::npos);
  CHECK(excerpt.find("File created successfully") == std::string::npos);
  CHECK(excerpt.find("Stop hook feedback") == std::string::npos);
  CHECK(excerpt.size() <= gate::k_max_transcript_excerpt);
}

TEST_CASE("agent import: Claude Code hook payloads") {
  TempDir dir;
  const auto transcript = fixture("claude-code/session.jsonl").string();
  const std::string stop =
      replaced(read_file(fixture("claude-code/hook-stop.json")), "@TRANSCRIPT@", transcript);
  auto from_stop = gate::import_claude_code_hook(stop);
  REQUIRE_MESSAGE(from_stop.ok(), from_stop.error());
  CHECK(from_stop->prompt.rfind("Now make the dry run print", 0) == 0);
  CHECK(from_stop->session_id == "7f3c9a2e-5b1d-4c8e-9f0a-2d6e8b4c1a37");
  CHECK(from_stop->model == "claude-opus-4-1-20250805");

  // UserPromptSubmit: the payload's prompt is the newest turn.
  const std::string submit = replaced(
      read_file(fixture("claude-code/hook-user-prompt-submit.json")), "@TRANSCRIPT@", transcript);
  auto from_submit = gate::import_claude_code_hook(submit);
  REQUIRE_MESSAGE(from_submit.ok(), from_submit.error());
  CHECK(from_submit->user_turns == 3);
  CHECK(from_submit->prompt == "Now make the dry run print a summary of what would change.\n\n"
                               "Also cover the summary with a test in tests/test_import.py.\n\n"
                               "Rename summary() to dry_run_summary() everywhere.");

  // The transcript is gone: the prompt is all there is.
  const std::string gone = replaced(read_file(fixture("claude-code/hook-user-prompt-submit.json")),
                                    "@TRANSCRIPT@", (dir / "missing.jsonl").string());
  auto from_gone = gate::import_claude_code_hook(gone);
  REQUIRE_MESSAGE(from_gone.ok(), from_gone.error());
  CHECK(from_gone->prompt == "Rename summary() to dry_run_summary() everywhere.");
  CHECK(from_gone->session_id == "7f3c9a2e-5b1d-4c8e-9f0a-2d6e8b4c1a37");

  // A Stop payload whose transcript is gone, no prompt, garbage: one-line errors.
  auto no_transcript = gate::import_claude_code_hook(R"({"session_id":"x","transcript_path":")" +
                                                     (dir / "missing.jsonl").string() +
                                                     R"(","hook_event_name":"Stop"})");
  REQUIRE(!no_transcript.ok());
  CHECK(no_transcript.error().find("cannot read Claude Code transcript") != std::string::npos);
  CHECK(no_transcript.error().find("no such file") != std::string::npos);
  auto neither = gate::import_claude_code_hook(R"({"session_id":"x","hook_event_name":"Stop"})");
  REQUIRE(!neither.ok());
  CHECK(neither.error() ==
        "Claude Code hook payload has neither `prompt` nor `transcript_path` (event Stop)");
  for (std::string bad : {"", "not json", "[1,2]", "{\"prompt\":", "\xff\xfe{}"}) {
    auto r = gate::import_claude_code_hook(bad);
    REQUIRE(!r.ok());
    CHECK(r.error() == "Claude Code hook payload on standard input is not a JSON object");
  }
}

TEST_CASE("agent import: without a commit in the data only the last user turn counts") {
  TempDir dir;
  write_file(dir / "t.jsonl", claude_user("First, explain the cache.") +
                                  claude_assistant("The cache keys on path and mtime.") +
                                  claude_user("Make the cache key include the size too.") +
                                  claude_assistant("Done.", "pytest -q"));
  auto r = gate::import_claude_code_transcript(dir / "t.jsonl");
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->prompt == "Make the cache key include the size too.");
  CHECK(r->user_turns == 1);
  // The agent committed the last turn's own work: that turn still belongs to the change, and so
  // do the turns since the previous commit.
  write_file(dir / "c.jsonl", claude_user("Add logging.") +
                                  claude_assistant("ok", "git commit -am 'log'") +
                                  claude_user("Use the debug level.") + claude_assistant("ok") +
                                  claude_user("And commit it.") +
                                  claude_assistant("ok", "git -C /repo commit -m 'debug level'"));
  auto c = gate::import_claude_code_transcript(dir / "c.jsonl");
  REQUIRE_MESSAGE(c.ok(), c.error());
  CHECK(c->prompt == "Use the debug level.\n\nAnd commit it.");
}

TEST_CASE("agent import: Codex rollout") {
  const auto path =
      fixture("codex/rollout-2025-10-29T10-02-11-019a2f3c-8d41-7e20-b5a9-3c6d2e1f0a98.jsonl");
  auto r = gate::import_codex_rollout(path);
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->tool == "codex");
  CHECK(r->tool_version == "0.46.0");
  CHECK(r->model == "gpt-5.1-codex");
  CHECK(r->session_id == "019a2f3c-8d41-7e20-b5a9-3c6d2e1f0a98");
  // The first turn was committed by the agent (`git commit` in a shell call).
  CHECK(r->prompt == "Now add a regression test for carts over $1000.");
  CHECK(r->user_turns == 1);
  CHECK(r->transcript_excerpt.find("pytest -q tests/test_cart_totals.py") != std::string::npos);
  CHECK(r->transcript_excerpt.find("assistant: Added tests/test_cart_totals.py; it passes.") !=
        std::string::npos);
  CHECK(r->transcript_excerpt.find("AGENTS.md") == std::string::npos);

  // Cut before the commit: the first message, once (it is written twice), without the injected
  // AGENTS.md and environment blocks.
  TempDir dir;
  std::ifstream in(path);
  std::string line;
  std::string head;
  std::string injected_only; // session_meta and the two injected blocks
  for (int i = 0; i < 12 && std::getline(in, line); ++i) {
    head += line + "\n";
    if (i < 3) {
      injected_only += line + "\n";
    }
  }
  write_file(dir / "head.jsonl", head);
  auto h = gate::import_codex_rollout(dir / "head.jsonl");
  REQUIRE_MESSAGE(h.ok(), h.error());
  CHECK(h->prompt == "Fix the rounding bug in cart totals; prices are in cents.");
  CHECK(h->model == "gpt-5-codex");

  // The older rollout shape: metadata first, ResponseItems directly on the lines.
  write_file(dir / "old.jsonl",
             "{\"id\":\"0b3e\",\"timestamp\":\"2025-05-02T10:00:00.000Z\",\"instructions\":null}\n"
             "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
             "\"text\":\"<environment_context>\\n  <cwd>/w</cwd>\\n</environment_context>\"}]}\n"
             "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
             "\"text\":\"Port the build to CMake.\"}]}\n"
             "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
             "\"text\":\"Done.\"}]}\n");
  auto old = gate::import_codex_rollout(dir / "old.jsonl");
  REQUIRE_MESSAGE(old.ok(), old.error());
  CHECK(old->prompt == "Port the build to CMake.");
  CHECK(old->session_id == "0b3e");

  // Only injected blocks: no human turn.
  write_file(dir / "none.jsonl", injected_only);
  auto none = gate::import_codex_rollout(dir / "none.jsonl");
  REQUIRE(!none.ok());
  CHECK(none.error() ==
        "Codex rollout " + (dir / "none.jsonl").string() + ": no user prompt found (3 lines read)");
}

TEST_CASE("agent import: Aider chat history") {
  const auto path = fixture("aider/.aider.chat.history.md");
  auto r = gate::import_aider_history(path);
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->tool == "aider");
  CHECK(r->tool_version == "0.86.1");
  CHECK(r->model == "anthropic/claude-sonnet-4-20250514");
  CHECK(r->session_id == "2025-09-03 09:41:27");
  // Since `> Commit 3f9c2a1`: a two-line message and the /ask question; /run is not a prompt.
  CHECK(r->prompt == "Add a regression test for carts over $1000.\nUse pytest parametrize.\n\n"
                     "does the test cover negative quantities?");
  CHECK(r->user_turns == 2);
  CHECK(r->transcript_excerpt.find("No: both cases use positive quantities.") != std::string::npos);

  // Aider committed the last turn itself: the same turns (its own commit is this change's).
  TempDir dir;
  write_file(dir / "h.md", read_file(path) + "\n> Commit 7e1d2c3 test: Add large cart test  \n");
  auto committed = gate::import_aider_history(dir / "h.md");
  REQUIRE_MESSAGE(committed.ok(), committed.error());
  CHECK(committed->prompt == r->prompt);

  // No commit line at all: the last user turn; binary bytes pass through untouched.
  write_file(dir / "n.md",
             "# aider chat started at 2025-01-01 10:00:00\n\n#### Fix \xff\xfe it  \n\n"
             "ok\n\n#### /add x.py\n> Added x.py to the chat\n\n#### Now the docs.\n");
  auto n = gate::import_aider_history(dir / "n.md");
  REQUIRE_MESSAGE(n.ok(), n.error());
  CHECK(n->prompt == "Now the docs.");

  write_file(dir / "empty.md", "# aider chat started at 2025-01-01 10:00:00\n\n> Aider v0.86.1\n");
  auto empty = gate::import_aider_history(dir / "empty.md");
  REQUIRE(!empty.ok());
  CHECK(empty.error() == "Aider chat history " + (dir / "empty.md").string() +
                             ": no user prompt found (3 lines read)");
}

TEST_CASE("agent import: a plain text prompt file") {
  auto r = gate::import_text_file(fixture("text/prompt.txt"));
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->tool == "text");
  CHECK(r->prompt == "Refactor the payment retry loop so that it backs off exponentially\n"
                     "(100 ms, 200 ms, 400 ms, at most 5 tries) and logs each retry.");
  TempDir dir;
  write_file(dir / "bom.txt", "\xEF\xBB\xBF  hello\r\n");
  CHECK(gate::import_text_file(dir / "bom.txt")->prompt == "hello");
  write_file(dir / "empty.txt", " \n\n\t\n");
  auto empty = gate::import_text_file(dir / "empty.txt");
  REQUIRE(!empty.ok());
  CHECK(empty.error() ==
        "prompt file " + (dir / "empty.txt").string() + " is empty: there is no prompt to record");
  write_file(dir / "bin.txt", std::string("PNG\0\0\x1a\n", 7));
  auto bin = gate::import_text_file(dir / "bin.txt");
  REQUIRE(!bin.ok());
  CHECK(bin.error().find("is binary") != std::string::npos);
  auto missing = gate::import_text_file(dir / "nope.txt");
  REQUIRE(!missing.ok());
  CHECK(missing.error() ==
        "cannot read prompt file " + (dir / "nope.txt").string() + ": no such file");
  auto directory = gate::import_text_file(dir.path());
  REQUIRE(!directory.ok());
  CHECK(directory.error().find("it is a directory") != std::string::npos);
}

TEST_CASE("agent import: bad lines are skipped, nothing usable is one clear error") {
  TempDir dir;
  // Invalid JSON, binary bytes, a JSON array, a truncated line: skipped; the good line counts.
  write_file(
      dir / "mixed.jsonl",
      "{not json\n\xff\xfe" + std::string(1, '\0') + "garbage\n[1,2,3]\n" +
          // Odd types where strings, booleans and objects belong.
          R"({"type":"user","isMeta":"yes","message":"hi"})"
          "\n"
          R"({"type":"assistant","message":{"model":7,"content":[1,"x",{"type":"tool_use","input":"ls"}]}})"
          "\n"
          R"({"type":"user","message":{"content":[1,"x",{"type":"text","text":5}]}})"
          "\n" +
          claude_user("Keep this one.") + "{\"type\":\"user\",\"mess");
  auto mixed = gate::import_claude_code_transcript(dir / "mixed.jsonl");
  REQUIRE_MESSAGE(mixed.ok(), mixed.error());
  CHECK(mixed->prompt == "Keep this one.");

  write_file(dir / "garbage.jsonl", "{not json\n\xff\xfe garbage\n\n[1]\n");
  auto garbage = gate::import_claude_code_transcript(dir / "garbage.jsonl");
  REQUIRE(!garbage.ok());
  CHECK(garbage.error() == "Claude Code transcript " + (dir / "garbage.jsonl").string() +
                               ": no user prompt found (4 lines read, 3 not JSON)");
  auto codex_garbage = gate::import_codex_rollout(dir / "garbage.jsonl");
  REQUIRE(!codex_garbage.ok());
  CHECK(codex_garbage.error().find("Codex rollout ") == 0);

  auto missing = gate::import_codex_rollout(dir / "missing.jsonl");
  REQUIRE(!missing.ok());
  CHECK(missing.error() ==
        "cannot read Codex rollout " + (dir / "missing.jsonl").string() + ": no such file");
  auto directory = gate::import_aider_history(dir.path());
  REQUIRE(!directory.ok());
  CHECK(directory.error().find("it is a directory") != std::string::npos);

  // Deeply nested JSON does not recurse the stack away.
  write_file(dir / "deep.jsonl", std::string(1 << 20, '[') + "\n" + claude_user("Still fine."));
  auto deep = gate::import_claude_code_transcript(dir / "deep.jsonl");
  REQUIRE_MESSAGE(deep.ok(), deep.error());
  CHECK(deep->prompt == "Still fine.");
}

TEST_CASE("agent import: a transcript of more than 100 MB is read in bounded memory") {
  TempDir dir;
  const auto path = dir / "huge.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << claude_user("Old request.") << claude_assistant("ok", "git commit -m old");
    // One 110 MB tool-result line (longer than the line cap: skipped unread), then 20 lines of
    // 1 MB each, then the request.
    const std::string chunk(1 << 20, 'x');
    out << R"({"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":")";
    for (int i = 0; i < 110; ++i) {
      out << chunk;
    }
    out << "\"}]}}\n";
    for (int i = 0; i < 20; ++i) {
      out << R"({"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":")"
          << chunk << "\"}]}}\n";
    }
    out << claude_user("Make the import resumable.") << claude_assistant("Done.");
  }
  REQUIRE(fs::file_size(path) > (130u << 20));
  const long before = max_rss_kib();
  auto r = gate::import_claude_code_transcript(path);
  const long grown = max_rss_kib() - before;
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->prompt == "Make the import resumable.");
  CHECK(r->transcript_excerpt.size() <= gate::k_max_transcript_excerpt);
  CHECK(r->transcript_excerpt.find("assistant: Done.") != std::string::npos);
  // The peak grew by far less than the file (a line's worth and its parse, not 130 MB).
  if (!k_sanitized) {
    CHECK(grown < 64 * 1024);
  }
}

TEST_CASE("agent import: a long conversation keeps only the last 16 KiB as excerpt") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += claude_user("Request number " + std::to_string(i) + " " + std::string(300, 'r'));
    text += claude_assistant("Answer number " + std::to_string(i) + " " + std::string(300, 'a'));
  }
  text += claude_assistant(std::string(40 << 10, 'z')); // one reply larger than the budget
  write_file(dir / "long.jsonl", text);
  auto r = gate::import_claude_code_transcript(dir / "long.jsonl");
  REQUIRE_MESSAGE(r.ok(), r.error());
  CHECK(r->transcript_excerpt.size() <= gate::k_max_transcript_excerpt);
  CHECK(r->transcript_excerpt.find("Answer number 199") != std::string::npos);
  CHECK(r->transcript_excerpt.find("Request number 150") == std::string::npos);
  CHECK(r->prompt.rfind("Request number 199", 0) == 0);
}

TEST_CASE("agent import: which shell commands are git commits") {
  using gate::agent_import::runs_git_commit;
  CHECK(runs_git_commit("git commit -m 'x'"));
  CHECK(runs_git_commit("make test && git add -A && git commit -am wip"));
  CHECK(runs_git_commit("git -C /repo -c user.name=bot commit --amend --no-edit"));
  CHECK(runs_git_commit("bash -lc \"git commit -m fix\""));
  CHECK(runs_git_commit("/usr/bin/git commit -q -m x"));
  CHECK_FALSE(runs_git_commit("git log --grep commit"));
  CHECK_FALSE(runs_git_commit("git status; echo commit"));
  CHECK_FALSE(runs_git_commit("gitk commit"));
  CHECK_FALSE(runs_git_commit("git commit-tree HEAD^{tree}"));
  CHECK_FALSE(runs_git_commit(""));
}
