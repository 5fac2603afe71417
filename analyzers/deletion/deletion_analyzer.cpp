// The deletion analyzer: finds functions, methods, types, tests and guards that a change removes
// without anything in the change explaining the removal (see deletion_analyzer.hpp and
// docs/rules-deletion.md).
//
// How: both sides of every parseable changed file are parsed (through the syntax cache). A unit
// of the old side is deleted when no unit of the same kind group (callable, type) has its
// qualified name or its name in the new side of the same file (a renamed file compares with its
// new path). A file whose new side does not parse cleanly is skipped: a unit missing from a
// broken parse is no evidence. Every deleted unit is then checked against the reasons that
// would explain it (the intent, added code that names it, a move or rename anywhere in the
// change, dead code removed with its callers, a rewrite of the function around it), and those
// reasons go into the evidence. Units nested in a deleted unit are reported with it, once.
#include "analyzers/deletion/deletion_analyzer.hpp"

#include "gate/core/rule_catalog.hpp"
#include "gate/util/path_util.hpp"

#include "analyzers/changed_lines.hpp"
#include "analyzers/deletion/reference_index.hpp"
#include "analyzers/deletion/security_checks.hpp"
#include "analyzers/identifier_words.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "gate/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

namespace agate::analyzers {

namespace {

using gate::Finding;
using gate::Severity;
using syntax::Unit;
using syntax::UnitKind;

// ---- small text helpers --------------------------------------------------------------------

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

using gate::lower;
using syntax::is_test_path;

// The identifier-like words of a text (letters, digits, '_', '$').
std::set<std::string> words_of(std::string_view text) {
  std::set<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_word_char(text[j])) {
      ++j;
    }
    words.emplace(text.substr(i, j - i));
    i = j;
  }
  return words;
}

bool contains_word(std::string_view text, std::string_view word) {
  return has_word(text, word);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// "auth.py" -> "auth"; "user.model.js" -> "user.model" (not "user": a stem cut at the first
// dot would match every message about users); "test_auth.py" -> also "auth" (see file_words).
std::string stem(std::string_view path) {
  auto name = base_name(path);
  auto dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// Words too common in paths to tie a message to one file or folder ("tests", "src", "index").
bool generic_path_word(std::string_view word) {
  static const std::set<std::string, std::less<>> words = {
      "test",    "tests",    "testing",  "spec",    "specs",    "src",     "source",   "lib",
      "libs",    "pkg",      "internal", "docs",    "doc",      "example", "examples", "script",
      "scripts", "tool",     "tools",    "util",    "utils",    "common",  "core",     "main",
      "index",   "app",      "cmd",      "include", "packages", "package", "crates",   "bin",
      "init",    "__init__", "mod",      "base",    "types",    "helpers", "config",   "module",
      "modules", "api",      "cli",      "public",  "private",  "shared",  "support",  "fixtures"};
  return words.contains(word);
}

// Whether two words are one word in different forms: equal, or sharing a prefix of at least 5
// letters that covers most of the shorter one ("complete" and "completion").
bool same_word(std::string_view a, std::string_view b) {
  if (a == b) {
    return true;
  }
  std::size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common]) {
    ++common;
  }
  const std::size_t shorter = std::min(a.size(), b.size());
  return common >= 5 && common * 5 >= shorter * 4;
}

// The words by which an intent may name a file: its stem, and the stem without test affixes.
std::vector<std::string> file_words(std::string_view path) {
  std::vector<std::string> out;
  auto s = lower(stem(path));
  if (!s.empty()) {
    out.push_back(s);
  }
  for (std::string_view affix : {"test_", "tests_"}) {
    if (s.size() > affix.size() && s.rfind(affix, 0) == 0) {
      out.push_back(s.substr(affix.size()));
    }
  }
  for (std::string_view affix : {"_test", "_tests", ".test", ".spec", "_spec", "test", "tests"}) {
    if (s.size() > affix.size() + 2 && s.ends_with(affix)) {
      out.push_back(s.substr(0, s.size() - affix.size()));
    }
  }
  return out;
}

// One line of a unit's text for a message: its first non-empty line, trimmed, at most 80 chars.
std::string first_line(std::string_view text) {
  std::string line;
  std::istringstream in{std::string(text)};
  for (std::string l; std::getline(in, l);) {
    auto b = l.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
      continue;
    }
    auto e = l.find_last_not_of(" \t\r");
    line = l.substr(b, e - b + 1);
    break;
  }
  if (line.size() > 80) {
    line = line.substr(0, 77) + "...";
  }
  return line;
}

// Whitespace-insensitive text of a unit, for matching guards.
std::string normalized(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

// Whether a line of a body is no statement: a closing bracket, `end`, `pass`, `...`, a bare
// `return`, or an empty block.
bool filler_line(std::string_view line) {
  while (!line.empty() && (line.back() == ';' || line.back() == ',')) {
    line.remove_suffix(1);
  }
  static const std::set<std::string, std::less<>> filler = {
      "}", "})", "end", "pass", "...", "return", "{}", ")", "]", "});", "}}", "};", "Ok(())"};
  return filler.contains(line);
}

// A trivial statement: no call, at most two words (`return True`, `assert True`, `return nil`).
bool trivial_line(std::string_view line) {
  if (filler_line(line)) {
    return true;
  }
  if (line.find('(') != std::string_view::npos) {
    return false;
  }
  return words_of(line).size() <= 2;
}

// ---- units -------------------------------------------------------------------------------

enum class Group { callable, type, other };

Group group_of(UnitKind kind) {
  switch (kind) {
  case UnitKind::function:
  case UnitKind::method:
  case UnitKind::test:
    return Group::callable;
  case UnitKind::type:
    return Group::type;
  case UnitKind::import:
  case UnitKind::guard:
    return Group::other;
  }
  return Group::other;
}

bool definition(const Unit& unit) {
  return group_of(unit.kind) != Group::other && !unit.name.empty();
}

bool inside(const Unit& inner, const Unit& outer) {
  return &inner != &outer && outer.start_byte <= inner.start_byte &&
         inner.end_byte <= outer.end_byte;
}

std::string qualified(const Unit& unit) {
  return unit.qualified_name.empty() ? unit.name : unit.qualified_name;
}

std::string_view kind_word(const Unit& unit) {
  switch (unit.kind) {
  case UnitKind::function:
    return "function";
  case UnitKind::method:
    return "method";
  case UnitKind::type:
    return "type";
  case UnitKind::test:
    return "test";
  case UnitKind::import:
    return "import";
  case UnitKind::guard:
    return "check";
  }
  return "unit";
}

// Dice coefficient of the token bigram multisets: 1 for equal streams.
double similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.size() < 2 || b.size() < 2) {
    return a == b ? 1.0 : 0.0;
  }
  std::map<uint64_t, int> counts;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    ++counts[(uint64_t{a[i]} << 32) | a[i + 1]];
  }
  int common = 0;
  for (std::size_t i = 0; i + 1 < b.size(); ++i) {
    auto it = counts.find((uint64_t{b[i]} << 32) | b[i + 1]);
    if (it != counts.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return 2.0 * common / static_cast<double>(a.size() - 1 + b.size() - 1);
}

// Whether two token streams are near-equivalent bodies: of comparable length and with a Dice
// coefficient of at least `threshold`.
bool similar_bodies(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                    double threshold) {
  if (a == b) {
    return true;
  }
  const auto ratio = static_cast<double>(b.size() + 1) / static_cast<double>(a.size() + 1);
  return ratio >= 0.6 && ratio <= 1.67 && similarity(a, b) >= threshold;
}

// A fingerprint this short (`def f(): pass`) matches too much to prove a move.
constexpr std::size_t k_min_move_tokens = 10;
constexpr double k_rename_similarity = 0.8;
// A unit of the same name in another file is a move with edits from this likeness on.
constexpr double k_moved_similarity = 0.5;
// A unit back at the head of a range is the one deleted from this likeness on.
constexpr double k_restored_similarity = 0.8;
// At most this many token-stream comparisons per change (a rewrite of thousands of units).
constexpr std::size_t k_max_comparisons = 20000;

// ---- the change, parsed ---------------------------------------------------------------------

struct Side {
  std::string text;
  std::vector<std::string> lines;
  std::shared_ptr<const syntax::ParsedFile> parsed;
};

struct FileView {
  const gate::FileChange* file = nullptr;
  std::string language; // of the old side's units
  // Why the new side cannot be read as code while the old side could (a rename to .txt, a
  // symbolic link, a NUL byte...); empty for an ordinary file. Its units all leave the analysis.
  std::string hidden;
  std::optional<Side> old_side;
  std::optional<Side> new_side;
  std::set<int> deleted_lines; // old line numbers
  std::set<int> added_lines;   // new line numbers
  int changed_lines = 0;
};

std::optional<Side> load_side(const AnalysisContext& context, const std::string& oid,
                              const std::string& language) {
  if (oid.empty()) {
    return std::nullopt;
  }
  auto content = context.contents.blob(oid);
  if (!content) {
    return std::nullopt;
  }
  Side side;
  side.parsed = context.syntax.parse(oid, language, *content);
  side.text = std::move(*content);
  side.lines = lines_of(side.text);
  return side;
}

// Whether a callable's body is a stub: after its first line, no statement but at most one
// trivial one (`pass`, `return`, `{}`, `return True`, `assert True`).
bool stub_body(const Side& side, const Unit& unit) {
  int statements = 0;
  for (int l = unit.start_line + 1; l <= unit.end_line; ++l) {
    if (l < 1 || static_cast<std::size_t>(l) > side.lines.size()) {
      continue;
    }
    const auto text = normalized(side.lines[static_cast<std::size_t>(l - 1)]);
    if (text.empty() || filler_line(text)) {
      continue;
    }
    if (!trivial_line(text) || ++statements > 1) {
      return false;
    }
  }
  return true;
}

// Why a changed file whose old side was code in the base can no longer be read as code: what a
// change may do to take its code out of the analysis. Empty when the old side was no code (or
// the file is deleted, copied, or still parseable).
std::string hidden_reason(const gate::FileChange& file) {
  if (file.parseable() || file.old_oid.empty() || file.old_language.empty() ||
      file.status == gate::FileStatus::deleted || file.status == gate::FileStatus::copied ||
      file.generated || file.vendored || file.lockfile || file.ignored ||
      file.old_path.starts_with(".agate/prompts/") ||
      (file.old_mode != 0 && (file.old_mode & 0170000) != 0100000)) {
    return {};
  }
  if (file.symlink) {
    return "a symbolic link";
  }
  if (file.submodule) {
    return "a submodule (gitlink)";
  }
  if (file.too_large) {
    return "larger than the parse limit";
  }
  if (file.binary) {
    return "not text (a NUL byte, or another encoding such as UTF-16)";
  }
  if (file.prompt_record) {
    return "under .agate/prompts/";
  }
  if (file.language.empty()) {
    return "in no language agate reads";
  }
  return "excluded from analysis";
}

std::string unit_text(const Side& side, const Unit& unit) {
  if (unit.end_byte > side.text.size() || unit.start_byte > unit.end_byte) {
    return {};
  }
  return side.text.substr(unit.start_byte, unit.end_byte - unit.start_byte);
}

// A definition's header without whitespace: its text up to the body's `{`, or its first line
// when no `{` comes first (Python). Variants of one function chosen at build time share it.
std::string header_of(const Side& side, const Unit& unit) {
  if (unit.end_byte > side.text.size() || unit.start_byte > unit.end_byte) {
    return {};
  }
  std::string_view text(side.text);
  text = text.substr(unit.start_byte, std::min<std::size_t>(unit.end_byte - unit.start_byte, 512));
  const auto brace = text.find('{');
  const auto newline = text.find('\n');
  // The brace, unless a line break and a `:` (a Python header) come before it.
  auto end = brace;
  if (brace == std::string_view::npos ||
      (newline < brace && text.substr(0, brace).find(':') != std::string_view::npos)) {
    end = newline;
  }
  std::string header;
  for (char c : text.substr(0, end)) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      header += c;
    }
  }
  return header;
}

// `text` with every whole-word `name` replaced by `with`.
std::string renamed(std::string_view text, std::string_view name, std::string_view with) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!name.empty() && text.substr(i, name.size()) == name &&
        (i == 0 || !is_word_char(text[i - 1])) &&
        (i + name.size() >= text.size() || !is_word_char(text[i + name.size()]))) {
      out += with;
      i += name.size();
      continue;
    }
    out += text[i++];
  }
  return out;
}

// What the change says it is for.
struct Intent {
  std::string source;          // "the commit message", "the prompt record", "" when none
  std::set<std::string> words; // lower case
  bool removal = false;        // asks to remove/drop/delete something
  bool cleanup = false;        // asks to remove unused/dead/obsolete code in general

  std::string text; // lower case

  // A name is mentioned when it is one of the intent's words; a name of several words (a test
  // described in prose: `it("sums prices")`) when the intent holds the phrase.
  bool mentions(std::string_view name) const {
    if (name.empty()) {
      return false;
    }
    const auto key = lower(name);
    if (std::all_of(key.begin(), key.end(), is_word_char)) {
      return words.contains(key);
    }
    return key.size() >= 6 && text.find(key) != std::string::npos;
  }

  // A name described in words rather than spelled: `test_fish_multiline_help_complete` by "fix
  // fish completion and multiline help", `test_legacy_host_parsing` by "remove the legacy host
  // tests". Every significant word of the name is in the intent (in some form), or, when the
  // intent asks for a removal, at least two of them and most.
  bool describes(std::string_view name) const {
    static const std::set<std::string, std::less<>> filler = {
        "test", "tests", "should", "the",  "and", "for",  "with", "when", "spec", "get",
        "set",  "has",   "can",    "does", "not", "from", "into", "that", "this", "new"};
    std::size_t significant = 0;
    std::size_t found = 0;
    for (const auto& part : identifier_words(name)) {
      if (part.size() < 3 || filler.contains(part) ||
          std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(c) != 0; })) {
        continue;
      }
      ++significant;
      found += std::any_of(words.begin(), words.end(),
                           [&](const std::string& word) { return same_word(part, word); })
                   ? 1
                   : 0;
    }
    if (significant < 2) {
      return false;
    }
    return found == significant || (removal && found >= 2 && found * 5 >= significant * 3);
  }
};

// The prose of a commit message, as a person reads it: without its trailers
// (`Co-authored-by: <agent>` must not mention a folder of that name), without code it quotes
// (fenced blocks, indented blocks, diff lines, an agent transcript's search/replace edit
// blocks, which quote the very definitions the change deletes).
std::string prose_of(const gate::CommitInfo& commit) {
  std::set<std::string> trailer_keys;
  for (const auto& trailer : commit.trailers) {
    trailer_keys.insert(lower(trailer.key));
  }
  std::string out;
  bool fenced = false;
  bool edit_block = false;
  std::istringstream in(commit.message);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    const auto start = line.find_first_not_of(" \t");
    const std::string_view body =
        start == std::string::npos ? std::string_view() : std::string_view(line).substr(start);
    if (body.starts_with("```") || body.starts_with("~~~")) {
      fenced = !fenced;
      continue;
    }
    if (body.starts_with("<<<<<<<")) {
      edit_block = true;
      continue;
    }
    if (body.starts_with(">>>>>>>")) {
      edit_block = false;
      continue;
    }
    if (fenced || edit_block) {
      continue;
    }
    const bool indented = line.starts_with("    ") || line.starts_with("\t");
    const bool diff_line = body.starts_with("@@") || body.starts_with("diff --git") ||
                           body.starts_with("+++") || body.starts_with("---") ||
                           ((body.starts_with("+") || body.starts_with("-")) && body.size() > 1 &&
                            body[1] != ' ' && body[1] != '-' && body[1] != '+');
    if (indented || diff_line) {
      continue;
    }
    const auto colon = body.find(':');
    if (colon != std::string_view::npos && start == 0 &&
        trailer_keys.contains(lower(body.substr(0, colon)))) {
      continue;
    }
    out += line;
    out += '\n';
  }
  return out;
}

Intent intent_of(const AnalysisContext& context, const gate::Change& change) {
  std::string text;
  std::vector<std::string> sources;
  if (change.commit && !change.commit->message.empty()) {
    text += prose_of(*change.commit) + "\n";
    sources.emplace_back("the commit message");
  }
  // The range as a whole: what any of its commits says.
  if (change.kind == gate::ChangeKind::range) {
    bool any = false;
    for (const auto& commit : context.change_set.changes) {
      if (commit.commit && !commit.commit->message.empty() &&
          std::find(change.commits.begin(), change.commits.end(), commit.head_rev) !=
              change.commits.end()) {
        text += prose_of(*commit.commit) + "\n";
        any = true;
      }
    }
    if (any) {
      sources.emplace_back("the commit messages");
    }
  }
  std::optional<std::string> change_hash;
  for (const auto& file : change.files) {
    if (!file.prompt_record || file.new_oid.empty()) {
      continue;
    }
    auto content = context.contents.blob(file.new_oid);
    if (!content) {
      continue;
    }
    auto record = nlohmann::json::parse(*content, nullptr, false);
    // A record speaks for the change only when it was made for it: its diff_sha256 is this
    // change's diff hash (gate/provenance/diff_hash.hpp); a stale or hand-written one is not.
    if (!change_hash) {
      change_hash = gate::diff_hash(change.files).sha256;
    }
    const bool bound = record.is_object() && record.contains("diff_sha256") &&
                       record["diff_sha256"].is_string() &&
                       record["diff_sha256"].get<std::string>() == *change_hash;
    if (bound && record.contains("prompt") && record["prompt"].is_string()) {
      text += record["prompt"].get<std::string>() + "\n";
      sources.emplace_back("the prompt record");
    }
  }
  Intent intent;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    intent.source += (i == 0 ? "" : " and ") + sources[i];
  }
  intent.text = lower(text);
  intent.words = words_of(intent.text);
  for (std::string_view verb :
       {"remove",     "removes",    "removed", "removing", "removal", "drop",     "drops",
        "dropped",    "dropping",   "delete",  "deletes",  "deleted", "deleting", "deprecate",
        "deprecated", "deprecates", "strip",   "strips",   "prune",   "prunes",   "purge",
        "rip",        "kill",       "relax",   "relaxes",  "loosen"}) {
    intent.removal = intent.removal || intent.words.contains(std::string(verb));
  }
  for (std::string_view word :
       {"unused", "dead", "obsolete", "cleanup", "stale", "unreachable", "legacy"}) {
    intent.cleanup = intent.cleanup || intent.words.contains(std::string(word));
  }
  intent.cleanup = intent.cleanup && intent.removal;
  return intent;
}

struct Place {
  std::string file;
  int line = 0;
  std::string unit;
};

class ChangeIndex {
public:
  ChangeIndex(const AnalysisContext& context, const gate::Change& change) {
    for (const auto& file : change.files) {
      if (!file.parseable()) {
        add_hidden(context, file);
        continue;
      }
      FileView view;
      view.file = &file;
      view.language = file.language;
      // A copy deletes nothing from its original: its old side is no source of deletions, and
      // all its units are added.
      if (file.status != gate::FileStatus::copied) {
        view.old_side = load_side(context, file.old_oid, file.language);
      }
      view.new_side = load_side(context, file.new_oid, file.language);
      // A side that took longer than the time budget to parse has no units to compare (the
      // pipeline names it in a note).
      if ((view.old_side && view.old_side->parsed->timed_out) ||
          (view.new_side && view.new_side->parsed->timed_out)) {
        continue;
      }
      // Lines only re-indented, re-spaced or given other line endings are neither deleted nor
      // added: their names are not "used by added code", their guards not removed.
      auto changed = changed_lines(file);
      view.deleted_lines = std::move(changed.deleted);
      view.added_lines = std::move(changed.added);
      for (const auto& hunk : file.hunks) {
        for (const auto& line : hunk.lines) {
          if (line.origin == '+' && view.added_lines.contains(line.new_line)) {
            for (const auto& word : words_of(line.text)) {
              ++m_added_words[word];
            }
          }
        }
      }
      view.changed_lines = file.added_lines + file.deleted_lines;
      m_files.push_back(std::move(view));
    }
    for (const auto& file : change.files) {
      if (!file.excluded()) {
        m_all_paths.push_back(&file);
      }
    }
    // Indexes by name, so that a huge deletion stays linear.
    for (const auto& view : m_files) {
      if (view.old_side && view.old_side->parsed) {
        for (const auto& unit : view.old_side->parsed->units) {
          for (const auto& reference : unit.references) {
            m_old_refs[reference].emplace_back(&view, &unit);
          }
        }
      }
      if (view.new_side && view.new_side->parsed) {
        for (const auto& unit : view.new_side->parsed->units) {
          for (const auto& reference : unit.references) {
            m_new_refs[reference].emplace_back(&view, &unit);
          }
          if (definition(unit)) {
            m_new_names.insert(unit.name);
            // Only a unit the change adds can be where a deleted one went: a look-alike that was
            // already there (`fill` beside a deleted `wrap`, same tokens) is no move.
            if (is_added(view, unit)) {
              if (view.added_lines.contains(unit.start_line)) {
                ++m_added_headers[unit.name];
              }
              m_new_fingerprints[unit.fingerprint].emplace_back(&view, &unit);
              m_added_units.emplace_back(&view, &unit);
            } else {
              m_kept_fingerprints.insert(unit.fingerprint);
            }
          }
        }
      }
    }
  }

  // A file whose old side was code and whose new side cannot be read as code: its old units,
  // every line deleted, no new side.
  void add_hidden(const AnalysisContext& context, const gate::FileChange& file) {
    auto reason = hidden_reason(file);
    if (reason.empty()) {
      return;
    }
    FileView view;
    view.file = &file;
    view.language = file.old_language;
    view.hidden = std::move(reason);
    view.old_side = load_side(context, file.old_oid, file.old_language);
    if (!view.old_side || view.old_side->text.size() > context.policy.limits.max_file_bytes ||
        view.old_side->text.find('\0') != std::string::npos || !view.old_side->parsed ||
        view.old_side->parsed->units.empty()) {
      return;
    }
    for (int l = 1; l <= static_cast<int>(view.old_side->lines.size()); ++l) {
      view.deleted_lines.insert(l);
    }
    m_files.push_back(std::move(view));
  }

  std::vector<FileView>& files() { return m_files; }
  const std::vector<const gate::FileChange*>& all_paths() const { return m_all_paths; }
  // Whether an added line uses `name`, other than the header of an added definition of that
  // name (a decoy defining the deleted name is no use of it).
  bool added_code_names(const std::string& name) const {
    auto lines = m_added_words.find(name);
    if (lines == m_added_words.end()) {
      return false;
    }
    auto headers = m_added_headers.find(name);
    return headers == m_added_headers.end() || lines->second > headers->second;
  }

  // A new unit of the same group anywhere in the change with the same fingerprint (a move), or
  // an added unit with the same name elsewhere or a near-identical token stream (a rename).
  // Returns where it went, or nullopt.
  std::optional<Place> moved_to(const FileView& from, const Unit& unit) {
    const auto group = group_of(unit.kind);
    if (unit.tokens.size() >= k_min_move_tokens) {
      for (const auto& [view, candidate] : m_new_fingerprints[unit.fingerprint]) {
        // Identical to a unit still there too, under another name: a copy of that one.
        const bool copy =
            candidate->name != unit.name && m_kept_fingerprints.contains(candidate->fingerprint);
        if (group_of(candidate->kind) == group && candidate->tokens == unit.tokens && !copy) {
          return Place{view->file->path(), candidate->start_line, qualified(*candidate)};
        }
      }
    }
    // De-duplication: an identical twin (the same text but for its name) still in the new side
    // of the same file takes its place; its callers can call the twin. Equal token streams are
    // not enough: tests of one shape call different code.
    if (unit.tokens.size() >= k_min_move_tokens && from.new_side && from.new_side->parsed &&
        from.old_side) {
      const auto own = without_whitespace(renamed(unit_text(*from.old_side, unit), unit.name, ""));
      for (const auto& twin : from.new_side->parsed->units) {
        if (definition(twin) && group_of(twin.kind) == group && twin.name != unit.name &&
            twin.tokens == unit.tokens &&
            without_whitespace(renamed(unit_text(*from.new_side, twin), twin.name, "")) == own) {
          return Place{from.file->path(), twin.start_line, qualified(twin)};
        }
      }
    }
    std::optional<Place> best;
    double best_score = 0.0;
    for (const auto& [view, candidate] : m_added_units) {
      if (group_of(candidate->kind) != group) {
        continue;
      }
      Place place{view->file->path(), candidate->start_line, qualified(*candidate)};
      // The same name in another file is where the unit went only when its body came along:
      // a decoy of that name (a stub, another language's function) moves nothing.
      if (candidate->name == unit.name && view != &from &&
          similar_bodies(unit.tokens, candidate->tokens, k_moved_similarity)) {
        return place;
      }
      // Comparing token streams is the costly part: bounded for huge changes. An added unit
      // that is a copy of a unit still there (a test copied to make a new one) is no rename of
      // a deleted look-alike.
      if (m_comparisons > k_max_comparisons ||
          m_kept_fingerprints.contains(candidate->fingerprint)) {
        continue;
      }
      auto ratio = static_cast<double>(candidate->tokens.size() + 1) /
                   static_cast<double>(unit.tokens.size() + 1);
      if (ratio < 0.6 || ratio > 1.67) {
        continue;
      }
      ++m_comparisons;
      auto score = similarity(unit.tokens, candidate->tokens);
      if (score >= k_rename_similarity && score > best_score) {
        best_score = score;
        best = place;
      }
    }
    return best;
  }

  // Units of the old sides (other than `unit`, what it holds and what holds it) that use `name`.
  // `tests` receives those in tests.
  // With `owners`, only uses that may reach the unit count (see may_use).
  std::vector<Place> old_users(const FileView& home, const Unit& unit,
                               const std::vector<std::string>& owners, std::vector<Place>& tests) {
    std::vector<Place> users;
    auto it = m_old_refs.find(unit.name);
    if (it == m_old_refs.end()) {
      return users;
    }
    for (const auto& [view, user] : it->second) {
      if (!definition(*user) || user->kind == UnitKind::type ||
          (!owners.empty() && !may_use(unit_text(*view->old_side, *user), unit.name, owners))) {
        continue;
      }
      if (view == &home && (user == &unit || inside(*user, unit) || inside(unit, *user))) {
        continue;
      }
      bool in_test = user->kind == UnitKind::test || is_test_path(view->file->path());
      for (const auto& outer : view->old_side->parsed->units) {
        if (in_test || outer.start_byte > user->start_byte) {
          break;
        }
        in_test = outer.kind == UnitKind::test && inside(*user, outer);
      }
      Place place{view->file->path(), user->start_line, qualified(*user)};
      (in_test ? tests : users).push_back(std::move(place));
    }
    return users;
  }

  // Lines of the new sides whose units still use `name` (with `owners`: unqualified, or
  // through one of them, see may_use), innermost first, deduplicated.
  std::vector<Place> new_users(const std::string& name,
                               const std::vector<std::string>& owners) const {
    std::vector<Place> places;
    auto it = m_new_refs.find(name);
    if (it == m_new_refs.end()) {
      return places;
    }
    std::set<std::pair<std::string, int>> seen;
    for (const auto& [view, user] : it->second) {
      if (user->kind == UnitKind::guard || user->kind == UnitKind::type ||
          (!owners.empty() && !may_use(unit_text(*view->new_side, *user), name, owners))) {
        continue;
      }
      int line = user->start_line;
      for (int l = user->start_line; l <= user->end_line; ++l) {
        if (l >= 1 && static_cast<std::size_t>(l) <= view->new_side->lines.size() &&
            contains_word(view->new_side->lines[static_cast<std::size_t>(l - 1)], name)) {
          line = l;
          break;
        }
      }
      if (seen.insert({view->file->path(), line}).second) {
        places.push_back({view->file->path(), line, qualified(*user)});
      }
    }
    return places;
  }

  // Whether any new side of the change defines `name` (a function, method or type).
  bool defined_anywhere(const std::string& name) const { return m_new_names.contains(name); }

  // Whether the change adds a function or method named `name`.
  bool adds_callable(const std::string& name) const {
    return std::any_of(m_added_units.begin(), m_added_units.end(), [&](const Ref& ref) {
      return group_of(ref.second->kind) == Group::callable && ref.second->name == name;
    });
  }

  // The unit of the new side of the file that `unit` (of its old side) became, or nullptr when
  // it is gone. Same kind group and qualified name; when overloads share a qualified name and
  // the new side has fewer of them, the old ones least like any new one are the deleted ones.
  // Failing that, a unit of the same name that is new in the file (a function that became a
  // method, a method moved between classes); a unit of that name the old side already had (a
  // method `wrap` beside a deleted function `wrap`) is no survivor.
  static const Unit* survivor(const FileView& view, const Unit& unit) {
    if (!view.new_side || !view.new_side->parsed || !view.old_side || !view.old_side->parsed) {
      return nullptr;
    }
    const auto group = group_of(unit.kind);
    const auto name = qualified(unit);
    std::vector<const Unit*> same_new;
    const Unit* by_name = nullptr;
    for (const auto& candidate : view.new_side->parsed->units) {
      if (!definition(candidate) || group_of(candidate.kind) != group) {
        continue;
      }
      if (qualified(candidate) == name) {
        same_new.push_back(&candidate);
      } else if (candidate.name == unit.name && by_name == nullptr && is_added(view, candidate)) {
        by_name = &candidate;
      }
    }
    if (same_new.empty()) {
      return by_name;
    }
    std::vector<const Unit*> same_old;
    for (const auto& old_unit : view.old_side->parsed->units) {
      if (definition(old_unit) && group_of(old_unit.kind) == group && qualified(old_unit) == name) {
        same_old.push_back(&old_unit);
      }
    }
    if ((same_old.size() <= 1 && same_new.size() == 1) || same_old.size() > 20) {
      return same_new.front();
    }
    // Several of that name (overloads, typing stubs beside their implementation): the closest
    // new one, the one in the same position on a tie.
    auto best = [&same_new, &same_old](const Unit& u) {
      const auto position = static_cast<std::size_t>(
          std::find(same_old.begin(), same_old.end(), &u) - same_old.begin());
      const Unit* match = position < same_new.size() ? same_new[position] : same_new.front();
      double score = match->tokens == u.tokens ? 2.0 : similarity(u.tokens, match->tokens);
      for (const auto* n : same_new) {
        const double sim = n->tokens == u.tokens ? 2.0 : similarity(u.tokens, n->tokens);
        if (sim > score) {
          score = sim;
          match = n;
        }
      }
      return std::pair{score, match};
    };
    if (same_old.size() <= same_new.size()) {
      return best(unit).second;
    }
    // Variants with the same parameters, in a language without overloading: alternatives chosen
    // at build or load time, merged into fewer. The name lives on; its callers call the same.
    const auto header = header_of(*view.old_side, unit);
    if (!syntax::allows_overloading(view.language) && !header.empty() &&
        std::all_of(same_old.begin(), same_old.end(),
                    [&](const Unit* u) { return header_of(*view.old_side, *u) == header; })) {
      return best(unit).second;
    }
    std::vector<std::pair<double, const Unit*>> ranked;
    for (const auto* u : same_old) {
      ranked.emplace_back(best(*u).first, u);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const auto deleted = same_old.size() - same_new.size();
    for (std::size_t i = 0; i < deleted; ++i) {
      if (ranked[i].second == &unit) {
        return nullptr;
      }
    }
    return best(unit).second;
  }

  // A new unit whose qualified name the old side of its file does not have.
  static bool is_added(const FileView& view, const Unit& unit) {
    if (!view.old_side || !view.old_side->parsed) {
      return true;
    }
    for (const auto& old_unit : view.old_side->parsed->units) {
      if (definition(old_unit) && group_of(old_unit.kind) == group_of(unit.kind) &&
          qualified(old_unit) == qualified(unit)) {
        return false;
      }
    }
    return true;
  }

private:
  std::vector<FileView> m_files;
  std::vector<const gate::FileChange*> m_all_paths;
  std::map<std::string, int> m_added_words;   // word -> added lines holding it
  std::map<std::string, int> m_added_headers; // name -> added definitions' added first lines
  using Ref = std::pair<const FileView*, const Unit*>;
  std::map<std::string, std::vector<Ref>> m_old_refs;
  std::map<std::string, std::vector<Ref>> m_new_refs;
  std::set<std::string> m_new_names;
  std::map<uint64_t, std::vector<Ref>> m_new_fingerprints; // of added units
  std::set<uint64_t> m_kept_fingerprints;                  // of the other new units
  std::vector<Ref> m_added_units;
  std::size_t m_comparisons = 0;
};

// The other file the change adds most lines to, for "the change otherwise edits X".
std::string other_edit(const ChangeIndex& index, const std::string& path) {
  const gate::FileChange* best = nullptr;
  for (const auto* file : index.all_paths()) {
    if (file->path() == path || file->old_path == path || file->added_lines == 0) {
      continue;
    }
    if (best == nullptr || file->added_lines > best->added_lines) {
      best = file;
    }
  }
  return best == nullptr ? "" : best->path();
}

std::string places_text(const std::vector<Place>& places, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < places.size() && i < shown; ++i) {
    out += (i == 0 ? "" : ", ") + places[i].file + ":" + std::to_string(places[i].line);
  }
  if (places.size() > shown) {
    out += " and " + std::to_string(places.size() - shown) + " more";
  }
  return out;
}

nlohmann::json places_json(const std::vector<Place>& places) {
  auto out = nlohmann::json::array();
  for (std::size_t i = 0; i < places.size() && i < 20; ++i) {
    out.push_back({{"file", places[i].file}, {"line", places[i].line}, {"unit", places[i].unit}});
  }
  return out;
}

// A deleted file (or a whole deleted directory) would give one finding per unit: give one per
// file and rule instead, spanning the file, with the units in the evidence.
std::vector<Finding> merge_deleted_files(std::vector<Finding> findings,
                                         const gate::Change& change) {
  std::set<std::string> deleted_files;
  for (const auto& file : change.files) {
    if (file.status == gate::FileStatus::deleted) {
      deleted_files.insert(file.old_path);
    }
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (deleted_files.contains(f.file) &&
        (f.rule == gate::rule::deletion_unrelated || f.rule == gate::rule::deletion_removed_test)) {
      groups[{f.file, f.rule}].push_back(i);
    }
  }
  std::vector<bool> drop(findings.size(), false);
  for (const auto& [key, members] : groups) {
    if (members.size() < 2) {
      continue;
    }
    auto& first = findings[members.front()];
    auto units = nlohmann::json::array();
    int lines = 0;
    Severity severity = Severity::warning;
    for (auto i : members) {
      const auto& f = findings[i];
      if (units.size() < 20) {
        units.push_back({{"unit", f.evidence.value("unit", "")},
                         {"kind", f.evidence.value("kind", "")},
                         {"line", f.line},
                         {"end_line", f.end_line}});
      }
      lines += f.end_line - f.line + 1;
      severity = std::max(severity, f.severity);
      first.line = std::min(first.line, f.line);
      first.end_line = std::max(first.end_line, f.end_line);
      if (i != members.front()) {
        drop[i] = true;
      }
    }
    const bool tests = key.second == gate::rule::deletion_removed_test;
    first.severity = tests || lines >= deletion_error_lines ? Severity::error : severity;
    first.message = "deleted file `" + key.first + "` takes " + std::to_string(members.size()) +
                    (tests ? " tests" : " units") + " with it (" + std::to_string(lines) +
                    " lines), the first `" + first.evidence.value("unit", "") +
                    "`: " + (first.message.substr(first.message.find("): ") + 3));
    first.evidence["units"] = std::move(units);
    first.evidence["unit_count"] = members.size();
  }
  std::vector<Finding> out;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!drop[i]) {
      out.push_back(std::move(findings[i]));
    }
  }
  return out;
}

// Variants of one definition (`#[cfg(unix)]` and `#[cfg(windows)]` versions of a function, C++
// overloads, a declaration and its definition) deleted together are one deletion: one finding
// per rule, file and qualified name, spanning the variants, their count in the evidence.
std::vector<Finding> fold_variants(std::vector<Finding> findings) {
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> first;
  std::vector<Finding> out;
  for (auto& finding : findings) {
    const auto unit = finding.evidence.value("unit", "");
    if (unit.empty() || finding.rule == gate::rule::deletion_removed_guard ||
        finding.evidence.contains("mostly_removed")) {
      out.push_back(std::move(finding));
      continue;
    }
    auto [it, inserted] = first.try_emplace({finding.rule, finding.file, unit}, out.size());
    if (inserted) {
      out.push_back(std::move(finding));
      continue;
    }
    auto& kept = out[it->second];
    kept.evidence["variants"] = kept.evidence.value("variants", 1) + 1;
    kept.severity = std::max(kept.severity, finding.severity);
    kept.line = std::min(kept.line, finding.line);
    kept.end_line = std::max(kept.end_line, finding.end_line);
  }
  return out;
}

// The commits a message says it reverts: the ids after "This reverts commit " (git revert's
// wording), at least 7 hex digits each.
std::vector<std::string> reverted_commits(std::string_view message) {
  std::vector<std::string> ids;
  constexpr std::string_view marker = "This reverts commit ";
  for (auto pos = message.find(marker); pos != std::string_view::npos;
       pos = message.find(marker, pos + 1)) {
    auto start = pos + marker.size();
    auto end = start;
    while (end < message.size() && std::isxdigit(static_cast<unsigned char>(message[end])) != 0) {
      ++end;
    }
    if (end - start >= 7 && end - start <= 64) {
      ids.emplace_back(message.substr(start, end - start));
    }
  }
  return ids;
}

// ---- the analysis of one change -----------------------------------------------------------

// The key of a deletion, emptied unit or removed check: the file's old path, the unit's
// qualified name, and for a check its first line.
std::string judged_key(std::string_view path, std::string_view unit, std::string_view guard = {}) {
  std::string key(path);
  key += '\0';
  key += unit;
  key += '\0';
  key += guard;
  return key;
}

std::string judged_key(const Finding& finding) {
  return judged_key(finding.file, finding.evidence.value("unit", ""),
                    finding.evidence.value("guard", ""));
}

struct Deleted {
  FileView* view = nullptr;
  const Unit* unit = nullptr;
  std::vector<std::string> nested; // qualified names of deleted units inside it
  // reasons
  bool mentioned = false;      // the intent names it or its file
  bool named_by_added = false; // added code uses its name
  std::optional<Place> moved;  // where it went
  bool dead_code = false;      // its non-test callers were removed with it
  bool in_rewrite = false;     // nested in a function the change rewrites
  bool reverted = false;       // added by the commit this change reverts
  std::vector<Place> old_users;
  std::vector<Place> old_test_users;
  std::vector<Place> new_users;    // in the new sides of the changed files
  std::vector<Place> tree_users;   // in the other files of the new tree
  bool tree_defined = false;       // another file of the new tree defines the name
  std::vector<Place> self_users;   // a method still called through self/this in its own class
  std::vector<std::string> owners; // qualifiers that reach it: its module, directory, scopes
};

// The qualifiers under which a unit of the file `path` is reached from elsewhere: the file's
// stem (`pathutil` for pathutil.rs, `user` and `user.model` for user.model.js), its directory's
// name (a Go package, a Rust `mod.rs`) and the scopes of its qualified name.
std::vector<std::string> owners_of(const Unit& unit, const std::string& path) {
  std::vector<std::string> owners;
  const auto name = base_name(path);
  for (auto dot = name.find('.'); dot != std::string::npos && dot > 0;
       dot = name.find('.', dot + 1)) {
    owners.push_back(name.substr(0, dot));
  }
  const auto segments = gate::split_path(path);
  if (segments.size() >= 2) {
    owners.push_back(std::string(segments[segments.size() - 2]));
  }
  const auto full = qualified(unit);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= full.size(); ++i) {
    if (i == full.size() || !is_word_char(full[i])) {
      if (i > start) {
        owners.push_back(full.substr(start, i - start));
      }
      start = i + 1;
    }
  }
  return owners;
}

// Dynamic languages: a name is not tied to its definition without running the code.
bool dynamic_language(std::string_view language) {
  return language == "python" || language == "javascript" || language == "typescript" ||
         language == "tsx";
}

class Analysis {
public:
  Analysis(const AnalysisContext& context, const gate::Change& change, ReferenceIndex* tree)
      : m_context(context), m_change(change), m_intent(intent_of(context, change)),
        m_index(context, change), m_tree(tree) {}

  // What this change deleted, emptied or stripped of a check, whether reported or explained
  // (see judged_key): a range as a whole reports only what none of its commits did.
  const std::set<std::string>& judged() const { return m_judged; }

  std::vector<Finding> run() {
    collect_deleted();
    for (const auto& deleted : m_deleted) {
      m_judged.insert(judged_key(deleted.view->file->old_path, qualified(*deleted.unit)));
      for (const auto& nested : deleted.nested) {
        m_judged.insert(judged_key(deleted.view->file->old_path, nested));
      }
    }
    for (auto& deleted : m_deleted) {
      judge(deleted);
    }
    search_tree();
    for (auto& deleted : m_deleted) {
      report(deleted);
    }
    for (auto& view : m_index.files()) {
      mostly_removed(view);
    }
    for (auto& view : m_index.files()) {
      removed_guards(view);
    }
    hidden_files();
    return merge_deleted_files(fold_variants(std::move(m_findings)), m_change);
  }

private:
  void collect_deleted() {
    for (auto& view : m_index.files()) {
      if (!view.old_side || !view.old_side->parsed) {
        continue;
      }
      // A new side that does not parse cleanly (C and C++ macros often confuse the grammar) may
      // just have lost units to the error: there a unit counts as deleted only when its first
      // line (its header) is nowhere in the new text.
      if (view.new_side && !view.new_side->parsed) {
        continue;
      }
      const bool broken = view.new_side && view.new_side->parsed->has_errors;
      std::set<std::string> new_lines;
      if (broken) {
        for (const auto& line : view.new_side->lines) {
          new_lines.insert(normalized(line));
        }
      }
      auto header_survives = [&](const Unit& unit) {
        if (unit.start_line >= 1 &&
            static_cast<std::size_t>(unit.start_line) <= view.old_side->lines.size() &&
            new_lines.contains(
                normalized(view.old_side->lines[static_cast<std::size_t>(unit.start_line - 1)]))) {
          return true;
        }
        // The header changed (maybe the error itself): deleted only when the name is gone or
        // the diff deletes nearly all of the unit's lines.
        int deleted = 0;
        for (int l = unit.start_line; l <= unit.end_line; ++l) {
          deleted += view.deleted_lines.contains(l) ? 1 : 0;
        }
        return contains_word(view.new_side->text, unit.name) &&
               deleted * 5 < (unit.end_line - unit.start_line + 1) * 4;
      };
      if (!view.new_side && view.file->status != gate::FileStatus::deleted && view.hidden.empty()) {
        continue; // the new side could not be read: no evidence
      }
      std::vector<const Unit*> gone;
      for (const auto& unit : view.old_side->parsed->units) {
        if (definition(unit) && ChangeIndex::survivor(view, unit) == nullptr &&
            !(broken && header_survives(unit))) {
          gone.push_back(&unit);
        }
      }
      for (const auto* unit : gone) {
        const Unit* outer = nullptr;
        for (const auto* other : gone) {
          if (inside(*unit, *other) && (outer == nullptr || inside(*other, *outer))) {
            outer = other;
          }
        }
        if (outer != nullptr) {
          continue;
        }
        Deleted deleted;
        deleted.view = &view;
        deleted.unit = unit;
        for (const auto* other : gone) {
          if (inside(*other, *unit)) {
            deleted.nested.push_back(qualified(*other));
          }
        }
        m_deleted.push_back(std::move(deleted));
      }
    }
  }

  // A file named by the intent explains deletions in it only when the intent asks for a removal
  // ("Remove the legacy auth helpers"); "Tidy auth" names the file, not what goes from it.
  bool mentions_file(const std::string& path) const { return m_intent.removal && names_file(path); }

  // Whether the intent names the file (its stem, without test affixes).
  bool names_file(const std::string& path) const {
    for (const auto& word : file_words(path)) {
      if (!generic_path_word(word) && m_intent.mentions(word)) {
        return true;
      }
    }
    return false;
  }

  bool mentions_directory(const std::string& path) const {
    auto segments = gate::split_path(path);
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      if (!generic_path_word(segments[i]) && m_intent.mentions(segments[i])) {
        return true;
      }
    }
    return false;
  }

  void judge(Deleted& deleted) {
    const auto& unit = *deleted.unit;
    auto& view = *deleted.view;
    const auto& path = view.file->old_path;
    deleted.mentioned = m_intent.mentions(unit.name) || m_intent.describes(unit.name) ||
                        mentions_file(path) ||
                        (view.file->status == gate::FileStatus::deleted &&
                         (names_file(path) || mentions_directory(path)));
    for (const auto& nested : deleted.nested) {
      auto dot = nested.rfind('.');
      deleted.mentioned =
          deleted.mentioned ||
          m_intent.mentions(dot == std::string::npos ? nested : nested.substr(dot + 1));
    }
    deleted.reverted = added_by_reverted_commit(path, unit);
    deleted.named_by_added = m_index.added_code_names(unit.name);
    deleted.moved = m_index.moved_to(view, unit);
    // A method is called through values (`f.line()`): only functions and types are told apart
    // from another module's namesake by their qualifier.
    if (unit.kind != UnitKind::method) {
      deleted.owners = owners_of(unit, path);
    }
    deleted.old_users = m_index.old_users(view, unit, deleted.owners, deleted.old_test_users);
    deleted.new_users = m_index.new_users(unit.name, deleted.owners);
    deleted.dead_code = !deleted.old_users.empty() && deleted.new_users.empty();
    if (unit.kind == UnitKind::method) {
      deleted.self_users = self_users(view, unit);
    }
    // Nested in a function or method that survives and that the change edits: part of its
    // rewrite.
    const Unit* enclosing = nullptr;
    for (const auto& outer : view.old_side->parsed->units) {
      if ((outer.kind == UnitKind::function || outer.kind == UnitKind::method) &&
          inside(unit, outer)) {
        enclosing = &outer;
      }
    }
    if (enclosing != nullptr) {
      if (const auto* survivor = ChangeIndex::survivor(view, *enclosing)) {
        auto first = view.added_lines.lower_bound(survivor->start_line);
        deleted.in_rewrite = first != view.added_lines.end() && *first <= survivor->end_line;
      }
    }
  }

  // Where the new version of a deleted method's class still calls it through `self`/`this`.
  // Only for a class without base classes (nothing else can supply the method) in Python,
  // JavaScript, TypeScript and Java, and only when the class does not now bind the name itself
  // (`self.name = ...`, a class attribute or field `name = ...`, a `__getattr__`).
  static std::vector<Place> self_users(const FileView& view, const Unit& method) {
    std::vector<Place> places;
    const auto& language = view.language;
    const bool python = language == "python";
    if (!python && language != "javascript" && language != "typescript" && language != "tsx" &&
        language != "java") {
      return places;
    }
    if (!view.new_side || !view.new_side->parsed || !view.old_side || !view.old_side->parsed) {
      return places;
    }
    const auto dot = method.qualified_name.rfind('.');
    if (dot == std::string::npos) {
      return places;
    }
    const auto class_name = method.qualified_name.substr(0, dot);
    const Unit* klass = nullptr;
    for (const auto& unit : view.new_side->parsed->units) {
      if (unit.kind == UnitKind::type && unit.qualified_name == class_name) {
        if (klass != nullptr) {
          return places; // two classes of that name: not told apart
        }
        klass = &unit;
      }
    }
    if (klass == nullptr) {
      return places;
    }
    const auto& lines = view.new_side->lines;
    auto line_at = [&lines](int l) -> std::string_view {
      return l >= 1 && static_cast<std::size_t>(l) <= lines.size()
                 ? std::string_view(lines[static_cast<std::size_t>(l - 1)])
                 : std::string_view{};
    };
    // The class header, up to its body: no base class.
    std::string header;
    for (int l = klass->start_line; l <= klass->end_line && header.size() < 400; ++l) {
      auto text = line_at(l);
      header += text;
      header += ' ';
      if (text.find(python ? ':' : '{') != std::string_view::npos) {
        break;
      }
    }
    if (python) {
      auto open = header.find('(');
      auto colon = header.find(':');
      if (open != std::string::npos && open < colon) {
        auto close = header.find(')', open);
        auto bases = without_whitespace(header.substr(
            open + 1, close == std::string::npos ? std::string::npos : close - open - 1));
        if (!bases.empty() && bases != "object") {
          return places;
        }
      }
    } else if (contains_word(header, "extends")) {
      return places;
    }
    const std::string self = python ? "self." : "this.";
    const std::string& name = method.name;
    for (int l = klass->start_line + 1; l <= klass->end_line; ++l) {
      std::string_view text = line_at(l);
      auto trimmed = text.substr(std::min(text.size(), text.find_first_not_of(" \t")));
      // The class binds the name itself: an attribute, a field, a dynamic lookup.
      if ((trimmed.starts_with(name) &&
           without_whitespace(trimmed.substr(name.size())).starts_with("=")) ||
          (python && trimmed.starts_with("def __getattr__"))) {
        return {};
      }
      for (auto at = text.find(self + name); at != std::string_view::npos;
           at = text.find(self + name, at + 1)) {
        if (at > 0 && is_word_char(text[at - 1])) {
          continue;
        }
        auto rest = text.substr(at + self.size() + name.size());
        if (!rest.empty() && is_word_char(rest.front())) {
          continue;
        }
        auto after = without_whitespace(rest);
        if (after.starts_with("=") && !after.starts_with("==")) {
          return {}; // assigned: an attribute now
        }
        if (places.empty() || places.back().line != l) {
          places.push_back({view.file->path(), l, method.qualified_name});
        }
      }
    }
    return places;
  }

  // Whether a deleted test tests code whose removal the change explains.
  bool tests_explained_removal(const Deleted& test) const {
    for (const auto& other : m_deleted) {
      if (other.unit->kind == UnitKind::test || &other == &test) {
        continue;
      }
      const auto& refs = test.unit->references;
      if (std::find(refs.begin(), refs.end(), other.unit->name) == refs.end()) {
        continue;
      }
      const bool dead_code = other.dead_code && !security_name(other.unit->name);
      if (other.mentioned || dead_code || (m_intent.cleanup && other.old_users.empty())) {
        return true;
      }
    }
    return false;
  }

  nlohmann::json reasons(const Deleted& deleted) const {
    nlohmann::json evidence = {
        {"unit", qualified(*deleted.unit)},
        {"kind", kind_word(*deleted.unit)},
        {"lines", deleted.unit->end_line - deleted.unit->start_line + 1},
        {"intent", m_intent.source.empty() ? "none" : m_intent.source},
        {"mentioned_by_intent", deleted.mentioned},
        {"referenced_by_added_code", deleted.named_by_added},
        {"moved", deleted.moved.has_value()},
        {"callers_removed", deleted.dead_code},
        {"inside_edited_unit", deleted.in_rewrite},
        {"added_by_reverted_commit", deleted.reverted},
        {"file_deleted", deleted.view->file->status == gate::FileStatus::deleted},
        {"old_callers", places_json(deleted.old_users)},
        {"old_test_callers", places_json(deleted.old_test_users)},
        {"scope", m_scope},
    };
    if (!deleted.tree_users.empty()) {
      evidence["callers_elsewhere"] = places_json(deleted.tree_users);
    }
    if (deleted.moved) {
      evidence["moved_to"] = {{"file", deleted.moved->file},
                              {"line", deleted.moved->line},
                              {"unit", deleted.moved->unit}};
    }
    if (!deleted.nested.empty()) {
      evidence["contains"] = deleted.nested;
    }
    return evidence;
  }

  Finding finding_at(const Deleted& deleted, std::string_view rule, Severity severity) const {
    Finding finding;
    finding.rule = rule;
    finding.severity = severity;
    finding.file = deleted.view->file->old_path;
    finding.line = deleted.unit->start_line;
    finding.end_line = std::max(deleted.unit->end_line, deleted.unit->start_line);
    finding.side = gate::Side::old_side;
    finding.change = m_change.label;
    finding.evidence = reasons(deleted);
    return finding;
  }

  std::string where(const Deleted& deleted) const {
    return base_name(deleted.view->file->old_path) + ":" +
           std::to_string(deleted.unit->start_line) + "-" + std::to_string(deleted.unit->end_line);
  }

  std::string not_in_intent() const {
    return m_intent.source.empty() ? "no commit message or prompt says why"
                                   : "not mentioned by " + m_intent.source;
  }

  void report(const Deleted& deleted) {
    const auto& unit = *deleted.unit;
    // A revert may take back what the reverted commit added (a dangling use is still one).
    // Callers removed with it explain no security check: the check may be what they did.
    const bool dead_code = deleted.dead_code && !security_name(unit.name);
    const bool explained = deleted.mentioned || deleted.moved || dead_code || deleted.in_rewrite ||
                           deleted.reverted ||
                           (m_intent.cleanup && deleted.old_users.empty() &&
                            deleted.new_users.empty() && deleted.tree_users.empty());
    const int lines = unit.end_line - unit.start_line + 1;
    const std::string name = "`" + qualified(unit) + "`";

    // Dangling references: a removed function or type the new code still uses. Method names are
    // too often shared between types to tell without type information.
    auto users = deleted.new_users;
    users.insert(users.end(), deleted.tree_users.begin(), deleted.tree_users.end());
    if (unit.kind != UnitKind::method && unit.kind != UnitKind::test && !users.empty() &&
        !m_index.defined_anywhere(unit.name) && !deleted.tree_defined) {
      auto finding = finding_at(deleted, gate::rule::deletion_dangling_reference, Severity::error);
      finding.message = "deleted " + std::string(kind_word(unit)) + " " + name + " (" +
                        where(deleted) + ") is still used by the new code at " +
                        places_text(users, 3);
      finding.hint = m_scope == "whole tree"
                         ? "Restore " + name + " or update its users."
                         : "Restore " + name +
                               " or update its users; only the changed files were "
                               "searched, so other files may use it too.";
      finding.evidence["used_at"] = places_json(users);
      finding.evidence["scope"] = m_scope;
      if (dynamic_language(deleted.view->language)) {
        finding.evidence["best_effort"] =
            "names matched without types: a use may name another definition";
      }
      m_findings.push_back(std::move(finding));
    }
    if (unit.kind == UnitKind::method && !deleted.self_users.empty() && !deleted.moved) {
      auto finding = finding_at(deleted, gate::rule::deletion_dangling_reference, Severity::error);
      finding.message =
          "deleted method " + name + " (" + where(deleted) + ") is still called through " +
          (deleted.view->language == "python" ? "`self`" : "`this`") + " in its class at " +
          places_text(deleted.self_users, 3) + "; the class has no base class that could supply it";
      finding.hint = "Restore " + name + " or update the calls in its class.";
      finding.evidence["used_at"] = places_json(deleted.self_users);
      finding.evidence["scope"] = "its class";
      m_findings.push_back(std::move(finding));
    }
    if (!deleted.view->hidden.empty()) {
      return; // one finding for the file (hidden_files)
    }

    if (unit.kind == UnitKind::test) {
      if (explained || tests_explained_removal(deleted)) {
        return;
      }
      auto finding = finding_at(deleted, gate::rule::deletion_removed_test, Severity::error);
      std::string what =
          deleted.nested.empty()
              ? "test " + name
              : "test suite " + name + " (" + std::to_string(deleted.nested.size()) + " tests)";
      finding.message = "deleted " + what + " (" + where(deleted) + "): " + not_in_intent() +
                        ", not moved or renamed";
      finding.hint = "Keep the test, or say in the commit message why it goes.";
      m_findings.push_back(std::move(finding));
      return;
    }
    if (explained || deleted.named_by_added) {
      return;
    }
    const bool large = lines >= deletion_error_lines ||
                       (unit.kind == UnitKind::type && lines >= deletion_error_type_lines);
    auto finding = finding_at(deleted, gate::rule::deletion_unrelated,
                              large ? Severity::error : Severity::warning);
    finding.message = "deleted " + std::string(kind_word(unit)) + " " + name + " (" +
                      where(deleted) + "): " + not_in_intent() +
                      ", not referenced by the added code, not moved";
    auto other = other_edit(m_index, deleted.view->file->path());
    if (!other.empty()) {
      finding.message += "; the change otherwise edits `" + other + "`";
      finding.evidence["change_edits"] = other;
    }
    finding.hint = "If removing " + name +
                   " was not intended, restore it; if it was, say so in "
                   "the commit message.";
    m_findings.push_back(std::move(finding));
  }

  // One warning per file whose code the change hid from the analysis, naming the units that left
  // it (their uses elsewhere are still dangling references, reported above).
  void hidden_files() {
    for (const auto& view : m_index.files()) {
      if (view.hidden.empty()) {
        continue;
      }
      auto units = nlohmann::json::array();
      std::string names;
      int first = 0;
      int last = 0;
      std::size_t count = 0;
      for (const auto& deleted : m_deleted) {
        if (deleted.view != &view) {
          continue;
        }
        const auto& unit = *deleted.unit;
        if (count < 20) {
          units.push_back({{"unit", qualified(unit)},
                           {"kind", kind_word(unit)},
                           {"line", unit.start_line},
                           {"end_line", unit.end_line}});
        }
        if (count < 5) {
          names += std::string(count == 0 ? "" : ", ") + "`" + qualified(unit) + "`";
        }
        first = count == 0 ? unit.start_line : std::min(first, unit.start_line);
        last = std::max(last, unit.end_line);
        ++count;
      }
      if (count == 0) {
        continue;
      }
      if (count > 5) {
        names += " and " + std::to_string(count - 5) + " more";
      }
      const auto& file = *view.file;
      Finding finding;
      finding.rule = gate::rule::deletion_unrelated;
      finding.severity = Severity::warning;
      finding.file = file.old_path;
      finding.line = first;
      finding.end_line = std::max(first, last);
      finding.side = gate::Side::old_side;
      finding.change = m_change.label;
      finding.message = "`" + file.old_path + "` was code and its new version " +
                        (file.new_path != file.old_path ? "`" + file.new_path + "` " : "") + "is " +
                        view.hidden + ": " + std::to_string(count) +
                        (count == 1 ? " unit leaves" : " units leave") + " the analysis: " + names;
      finding.hint = "Keep the code readable where it was, or say in the commit message why it "
                     "changes form; its uses elsewhere are still checked.";
      finding.evidence = {{"unit", units[0]["unit"]},
                          {"hidden", view.hidden},
                          {"new_path", file.new_path},
                          {"units", std::move(units)},
                          {"unit_count", count},
                          {"intent", m_intent.source.empty() ? "none" : m_intent.source}};
      m_findings.push_back(std::move(finding));
    }
  }

  // The trimmed, non-blank added lines of the whole change: where a removed body may have gone.
  const std::set<std::string>& added_texts() {
    if (!m_added_texts) {
      m_added_texts.emplace();
      for (const auto& file : m_change.files) {
        for (const auto& hunk : file.hunks) {
          for (const auto& line : hunk.lines) {
            if (line.origin == '+') {
              auto text = normalized(line.text);
              if (!text.empty()) {
                m_added_texts->insert(std::move(text));
              }
            }
          }
        }
      }
    }
    return *m_added_texts;
  }

  // Functions and methods whose header survives while most of their body is deleted (a function
  // reduced to a stub), with nothing in the change taking the body's place: not rewritten (few
  // added lines in the new version), not moved (the deleted lines do not reappear among the
  // added lines of the change), not named by the intent.
  void mostly_removed(FileView& view) {
    if (!view.old_side || !view.new_side || !view.old_side->parsed || !view.new_side->parsed ||
        view.deleted_lines.empty()) {
      return;
    }
    for (const auto& unit : view.old_side->parsed->units) {
      if (unit.kind != UnitKind::function && unit.kind != UnitKind::method &&
          unit.kind != UnitKind::test) {
        continue;
      }
      const auto* survivor = ChangeIndex::survivor(view, unit);
      if (survivor == nullptr || survivor->kind != unit.kind) {
        continue;
      }
      // The body: the unit's lines after its first, non-blank ones.
      int body = 0;
      std::vector<std::string> removed;
      for (int l = unit.start_line + 1; l <= unit.end_line; ++l) {
        if (l < 1 || static_cast<std::size_t>(l) > view.old_side->lines.size()) {
          continue;
        }
        auto text = normalized(view.old_side->lines[static_cast<std::size_t>(l - 1)]);
        if (text.empty()) {
          continue;
        }
        ++body;
        if (view.deleted_lines.contains(l)) {
          removed.push_back(std::move(text));
        }
      }
      const int deleted = static_cast<int>(removed.size());
      // A test emptied to a stub is one at any size: a short test is as much a test.
      const bool emptied_test = unit.kind == UnitKind::test && deleted >= 1 &&
                                survivor->tokens.size() * 2 < unit.tokens.size() &&
                                stub_body(*view.new_side, *survivor) &&
                                !stub_body(*view.old_side, unit);
      if (!emptied_test && (deleted < mostly_removed_min_lines ||
                            deleted < static_cast<int>(mostly_removed_share * body + 0.5))) {
        continue;
      }
      // A nested unit deleted with it is reported on its own; the header must not be deleted.
      if (view.deleted_lines.contains(unit.start_line)) {
        continue;
      }
      int added = 0;
      for (int l = survivor->start_line; l <= survivor->end_line; ++l) {
        if (view.added_lines.contains(l) &&
            static_cast<std::size_t>(l) <= view.new_side->lines.size() &&
            !normalized(view.new_side->lines[static_cast<std::size_t>(l - 1)]).empty()) {
          ++added;
        }
      }
      if (!emptied_test && (added >= 3 || added * 3 >= deleted)) {
        continue; // rewritten: a stub is a line or two
      }
      int reappear = 0;
      for (const auto& text : removed) {
        reappear += added_texts().contains(text) ? 1 : 0;
      }
      if (reappear * 2 >= deleted && !(emptied_test && reappear < deleted)) {
        continue; // moved (a body moved elsewhere)
      }
      if (calls_added_unit(*survivor)) {
        m_judged.insert(judged_key(view.file->old_path, qualified(unit)));
        m_emptied.insert(&unit); // extracted into a helper it now calls, its guards with it
        continue;
      }
      m_judged.insert(judged_key(view.file->old_path, qualified(unit)));
      m_emptied.insert(&unit); // its guards went with its body: not reported one by one
      if (m_intent.mentions(unit.name) || m_intent.describes(unit.name) ||
          mentions_file(view.file->old_path) || body_added_by_reverted_commit(view, removed)) {
        continue;
      }
      const bool test = unit.kind == UnitKind::test;
      Finding finding;
      finding.rule = test ? gate::rule::deletion_removed_test : gate::rule::deletion_unrelated;
      finding.severity =
          test || deleted >= deletion_error_lines ? Severity::error : Severity::warning;
      finding.file = view.file->old_path;
      finding.line = unit.start_line;
      finding.end_line = std::max(unit.end_line, unit.start_line);
      finding.side = gate::Side::old_side;
      finding.change = m_change.label;
      const std::string name = "`" + qualified(unit) + "`";
      finding.message = "most of " + std::string(kind_word(unit)) + " " + name + " (" +
                        base_name(view.file->old_path) + ":" + std::to_string(unit.start_line) +
                        "-" + std::to_string(unit.end_line) + ") was deleted, " +
                        std::to_string(deleted) + " of its " + std::to_string(body) +
                        " lines: " + not_in_intent() +
                        ", not rewritten, the deleted lines do not reappear in the change";
      auto other = other_edit(m_index, view.file->path());
      if (!other.empty()) {
        finding.message += "; the change otherwise edits `" + other + "`";
      }
      finding.hint = "If emptying " + name +
                     " was not intended, restore its body; if it was, "
                     "say so in the commit message.";
      finding.evidence = {{"unit", qualified(unit)},
                          {"kind", kind_word(unit)},
                          {"mostly_removed", true},
                          {"emptied", stub_body(*view.new_side, *survivor)},
                          {"lines", unit.end_line - unit.start_line + 1},
                          {"deleted_lines", deleted},
                          {"body_lines", body},
                          {"added_lines_in_unit", added},
                          {"reappearing_lines", reappear},
                          {"intent", m_intent.source.empty() ? "none" : m_intent.source},
                          {"mentioned_by_intent", false}};
      if (!other.empty()) {
        finding.evidence["change_edits"] = other;
      }
      m_findings.push_back(std::move(finding));
    }
  }

  // Whether `unit` (of a new side) calls a function or method the change adds: the body or
  // check it lost may have been extracted into it.
  bool calls_added_unit(const Unit& unit) const {
    return std::any_of(unit.references.begin(), unit.references.end(),
                       [&](const std::string& name) { return m_index.adds_callable(name); });
  }

  // Guards on added lines anywhere in the change, as normalized text and as token streams
  // (names abstracted: an extracted check): a check moved elsewhere is not removed.
  struct AddedGuards {
    std::set<std::string> texts;
    std::set<std::vector<uint32_t>> tokens;
  };
  const AddedGuards& added_guards() {
    if (!m_added_guards) {
      m_added_guards.emplace();
      for (auto& other : m_index.files()) {
        if (!other.new_side || !other.new_side->parsed) {
          continue;
        }
        for (const auto& guard : other.new_side->parsed->units) {
          if (guard.kind == UnitKind::guard && other.added_lines.contains(guard.start_line)) {
            m_added_guards->texts.insert(normalized(unit_text(*other.new_side, guard)));
            m_added_guards->tokens.insert(guard.tokens);
          }
        }
      }
    }
    return *m_added_guards;
  }

  // Guards of a surviving function that no guard of its new version matches.
  void removed_guards(FileView& view) {
    if (!view.old_side || !view.new_side || !view.old_side->parsed || !view.new_side->parsed) {
      return;
    }
    // Both findings below sit on deleted lines of a function: nothing to do without any.
    if (view.deleted_lines.empty()) {
      return;
    }
    const auto& old_units = view.old_side->parsed->units;
    const auto& new_units = view.new_side->parsed->units;
    const auto& [moved_guards, moved_guard_tokens] = added_guards();
    for (const auto& owner : old_units) {
      if (owner.kind != UnitKind::function && owner.kind != UnitKind::method) {
        continue;
      }
      auto first_deleted = view.deleted_lines.lower_bound(owner.start_line);
      if (first_deleted == view.deleted_lines.end() || *first_deleted > owner.end_line) {
        continue;
      }
      const auto* survivor = ChangeIndex::survivor(view, owner);
      if (survivor == nullptr || survivor->kind == UnitKind::test || m_emptied.contains(&owner)) {
        continue;
      }
      auto innermost = [](const std::vector<Unit>& units, const Unit& guard) {
        const Unit* in = nullptr;
        for (const auto& u : units) {
          if (definition(u) && inside(guard, u)) {
            in = &u;
          }
        }
        return in;
      };
      std::vector<const Unit*> old_guards;
      for (const auto& guard : old_units) {
        if (guard.kind == UnitKind::guard && innermost(old_units, guard) == &owner) {
          old_guards.push_back(&guard);
        }
      }
      // The new version's guards, those of functions now nested in it included (a check moved
      // into an inner function survives).
      std::vector<const Unit*> new_guards;
      for (const auto& guard : new_units) {
        if (guard.kind == UnitKind::guard &&
            (innermost(new_units, guard) == survivor || inside(guard, *survivor))) {
          new_guards.push_back(&guard);
        }
      }
      std::vector<bool> used(new_guards.size(), false);
      std::vector<const Unit*> unmatched;
      std::vector<const Unit*> rewritten; // new guards no old one is identical to
      // Pass 1: same text; pass 2: same token stream; pass 3: same condition (a branch of a
      // chain that became its first, `elif x:` now `if x:`); pass 4: a new guard on added lines.
      for (int pass = 0; pass < 4; ++pass) {
        std::vector<const Unit*> rest;
        for (const auto* guard : pass == 0 ? old_guards : unmatched) {
          const auto text = normalized(unit_text(*view.old_side, *guard));
          bool found = false;
          for (std::size_t i = 0; i < new_guards.size() && !found; ++i) {
            if (used[i]) {
              continue;
            }
            const auto& candidate = *new_guards[i];
            bool match = false;
            switch (pass) {
            case 0:
              match = normalized(unit_text(*view.new_side, candidate)) == text;
              break;
            case 1:
              match = candidate.tokens == guard->tokens;
              break;
            case 2:
              match = guard_key(*view.new_side, candidate) == guard_key(*view.old_side, *guard);
              break;
            default:
              match = view.added_lines.contains(candidate.start_line);
            }
            if (match) {
              used[i] = true;
              found = true;
            }
          }
          if (!found) {
            rest.push_back(guard);
          }
        }
        unmatched = std::move(rest);
        if (pass == 1) {
          // What the old guards are still there as, unchanged, cannot hold a merged one.
          for (std::size_t i = 0; i < new_guards.size(); ++i) {
            if (!used[i]) {
              rewritten.push_back(new_guards[i]);
            }
          }
        }
      }
      for (const auto* guard : unmatched) {
        const bool extracted =
            calls_added_unit(*survivor) && moved_guard_tokens.contains(guard->tokens);
        if (!extracted && !merged_into(view, *guard, rewritten)) {
          report_guard(view, owner, *guard, moved_guards);
        }
      }
      removed_security_calls(view, owner, *survivor);
    }
  }

  // Calls to a validating or authorising function (rules/security/checks.json) on deleted lines
  // of a surviving function, whose name its new version no longer uses and no added code does
  // (a check moved into a helper): the check was dropped, maybe rewritten inline without it.
  // One finding per function and call, unless a removed guard already reported those lines.
  void removed_security_calls(const FileView& view, const Unit& owner, const Unit& survivor) {
    const auto& old_units = view.old_side->parsed->units;
    const auto survivor_text = unit_text(*view.new_side, survivor);
    std::set<std::string> reported;
    for (int l = owner.start_line + 1; l <= owner.end_line; ++l) {
      if (!view.deleted_lines.contains(l) || l < 1 ||
          static_cast<std::size_t>(l) > view.old_side->lines.size() ||
          m_guard_lines.contains({view.file->old_path, l})) {
        continue;
      }
      const bool nested = std::any_of(old_units.begin(), old_units.end(), [&](const Unit& u) {
        return definition(u) && inside(u, owner) && u.start_line <= l && l <= u.end_line;
      });
      if (nested) {
        continue;
      }
      const auto& line = view.old_side->lines[static_cast<std::size_t>(l - 1)];
      auto call = security_call(line);
      if (!call) {
        continue;
      }
      const auto cut = call->find_last_of(".:");
      const auto name = cut == std::string::npos ? *call : call->substr(cut + 1);
      if (reported.contains(name) || contains_word(survivor_text, name) ||
          m_index.added_code_names(name) ||
          (m_intent.removal && (m_intent.mentions(owner.name) || m_intent.mentions(name)))) {
        continue;
      }
      reported.insert(name);
      m_judged.insert(judged_key(view.file->old_path, qualified(owner), first_line(line)));
      Finding finding;
      finding.rule = gate::rule::deletion_removed_guard;
      finding.severity = Severity::error;
      finding.file = view.file->old_path;
      finding.line = l;
      finding.end_line = l;
      finding.side = gate::Side::old_side;
      finding.change = m_change.label;
      finding.message = "the security check `" + *call + "` was removed from `" + qualified(owner) +
                        "` (" + base_name(view.file->old_path) + ":" + std::to_string(l) +
                        "), which otherwise survives and no longer calls it; " + not_in_intent();
      finding.hint = "Restore the call or say in the commit message why the check is no longer "
                     "needed.";
      finding.evidence = {{"unit", qualified(owner)},
                          {"guard", first_line(line)},
                          {"security_check", *call},
                          {"intent", m_intent.source.empty() ? "none" : m_intent.source},
                          {"mentioned_by_intent", false},
                          {"enclosing_unit_survives", true},
                          {"moved", false}};
      m_findings.push_back(std::move(finding));
    }
  }

  // A guard's condition, compared without whitespace and parentheses: the first line without
  // its keyword and its closing `:` or `{`.
  static std::string guard_key(const Side& side, const Unit& guard) {
    auto line = first_line(unit_text(side, guard));
    for (std::string_view keyword : {"elif ", "else if ", "if ", "unless ", "assert "}) {
      if (line.starts_with(keyword)) {
        line = line.substr(keyword.size());
        break;
      }
    }
    std::string key;
    for (char c : line) {
      if (c != '(' && c != ')' && std::isspace(static_cast<unsigned char>(c)) == 0) {
        key += c;
      }
    }
    while (!key.empty() && (key.back() == ':' || key.back() == '{')) {
      key.pop_back();
    }
    return key;
  }

  // Two checks joined into one (`if a: raise` and `if b: raise` become `if a or b: raise`), or a
  // check reformatted over several lines: the old condition is still inside a rewritten guard
  // of the function (one that is not an unchanged old guard).
  bool merged_into(const FileView& view, const Unit& guard,
                   const std::vector<const Unit*>& new_guards) const {
    const auto key = guard_key(*view.old_side, guard);
    if (key.size() < 6) {
      return false;
    }
    return std::any_of(new_guards.begin(), new_guards.end(), [&](const Unit* candidate) {
      auto text = without_whitespace(unit_text(*view.new_side, *candidate));
      std::erase_if(text, [](char c) { return c == '(' || c == ')'; });
      return text.find(key) != std::string::npos;
    });
  }

  // Not a guard of the caller's input: the body of an abstract declaration (`raise
  // NotImplementedError`, `unimplemented!()`), replaced by `@abstractmethod` or a trait
  // declaration; and Python's `assert x is not None`, which narrows a type for the checker
  // (and is gone under `python -O`).
  static bool declaration_or_narrowing(std::string_view text) {
    const auto line = first_line(text);
    for (std::string_view marker : {"NotImplementedError", "NotImplemented", "unimplemented!",
                                    "todo!", "UnsupportedOperationException(\"Not implemented"}) {
      if (line.find(marker) != std::string::npos) {
        return true;
      }
    }
    // `assert name is not None` or `assert self.name is not None, "message"`.
    if (!line.starts_with("assert ")) {
      return false;
    }
    std::size_t end = 7;
    while (end < line.size() && (is_word_char(line[end]) || line[end] == '.')) {
      ++end;
    }
    constexpr std::string_view narrowing = " is not None";
    if (end == 7 || line.compare(end, narrowing.size(), narrowing) != 0) {
      return false;
    }
    end += narrowing.size();
    return end == line.size() || line[end] == ',';
  }

  void report_guard(const FileView& view, const Unit& owner, const Unit& guard,
                    const std::set<std::string>& moved_guards) {
    if (!view.deleted_lines.contains(guard.start_line)) {
      return;
    }
    const auto text = unit_text(*view.old_side, guard);
    m_judged.insert(judged_key(view.file->old_path, qualified(owner), first_line(text)));
    if (declaration_or_narrowing(text)) {
      return;
    }
    if (moved_guards.contains(normalized(text))) {
      return;
    }
    // A new side with parse errors may hide the guard's new version from the units: its first
    // line added back anywhere means it was rewritten, not removed.
    if (view.new_side->parsed->has_errors && guard.start_line >= 1 &&
        static_cast<std::size_t>(guard.start_line) <= view.old_side->lines.size() &&
        added_texts().contains(
            normalized(view.old_side->lines[static_cast<std::size_t>(guard.start_line - 1)]))) {
      return;
    }
    bool mentioned = m_intent.mentions(owner.name) && m_intent.removal;
    for (const auto& reference : guard.references) {
      if (reference.size() >= 4 && m_intent.removal && m_intent.mentions(reference)) {
        mentioned = true;
      }
    }
    for (std::string_view word : {"check", "checks", "validation", "guard", "assert", "assertion",
                                  "assertions", "guards", "validations"}) {
      mentioned = mentioned ||
                  (m_intent.removal && m_intent.mentions(word) && m_intent.mentions(owner.name));
    }
    if (mentioned || text_added_by_reverted_commit(view.file->old_path, text)) {
      return;
    }
    // A check that validates, authorises or compares a secret is an error to drop.
    const auto security = security_subject(text);
    for (int l = guard.start_line; l <= std::max(guard.end_line, guard.start_line); ++l) {
      m_guard_lines.insert({view.file->old_path, l});
    }
    Finding finding;
    finding.rule = gate::rule::deletion_removed_guard;
    finding.severity = security ? Severity::error : Severity::warning;
    finding.file = view.file->old_path;
    finding.line = guard.start_line;
    finding.end_line = std::max(guard.end_line, guard.start_line);
    finding.side = gate::Side::old_side;
    finding.change = m_change.label;
    const auto line = first_line(text);
    finding.message = "the check `" + line + "` was removed from `" + qualified(owner) + "` (" +
                      base_name(view.file->old_path) + ":" + std::to_string(guard.start_line) +
                      "-" + std::to_string(guard.end_line) + "), which otherwise survives; " +
                      not_in_intent();
    finding.hint = "Restore the check or say in the commit message why it is no longer needed.";
    finding.evidence = {{"unit", qualified(owner)},
                        {"guard", line},
                        {"intent", m_intent.source.empty() ? "none" : m_intent.source},
                        {"mentioned_by_intent", false},
                        {"enclosing_unit_survives", true},
                        {"moved", false}};
    if (security) {
      finding.evidence["security_check"] = *security;
    }
    m_findings.push_back(std::move(finding));
  }

  // ---- reverts: "This reverts commit X." -------------------------------------------------

  // The files (path -> blob id) before and after each commit the message says it reverts, read
  // once; empty when it reverts none or they cannot be read (no repository view, a commit this
  // clone lacks): a revert that cannot be checked explains nothing.
  struct RevertedCommit {
    std::map<std::string, std::string> before;
    std::map<std::string, std::string> after;
  };
  const std::vector<RevertedCommit>& reverted() {
    if (m_reverted) {
      return *m_reverted;
    }
    m_reverted.emplace();
    if (m_context.repository == nullptr || !m_change.commit) {
      return *m_reverted;
    }
    auto listing =
        [this](const std::string& rev) -> std::optional<std::map<std::string, std::string>> {
      auto files = m_context.repository->files_at(rev);
      if (!files) {
        return std::nullopt;
      }
      std::map<std::string, std::string> by_path;
      for (auto& file : *files) {
        by_path.emplace(std::move(file.path), std::move(file.oid));
      }
      return by_path;
    };
    for (const auto& id : reverted_commits(m_change.commit->message)) {
      auto after = listing(id);
      auto before = listing(id + "^");
      if (after && before) {
        m_reverted->push_back({std::move(*before), std::move(*after)});
      }
    }
    return *m_reverted;
  }

  // The text of `path` in a listing; nullopt when it has no such file.
  std::optional<std::string> text_in(const std::map<std::string, std::string>& files,
                                     const std::string& path) const {
    auto it = files.find(path);
    if (it == files.end()) {
      return std::nullopt;
    }
    return m_context.contents.blob(it->second);
  }

  bool defines(const std::map<std::string, std::string>& files, const std::string& path,
               const Unit& unit) const {
    auto text = text_in(files, path);
    if (!text) {
      return false;
    }
    auto parsed = m_context.syntax.parse(files.at(path), language_of(path), *text);
    return std::any_of(parsed->units.begin(), parsed->units.end(), [&](const Unit& u) {
      return definition(u) && group_of(u.kind) == group_of(unit.kind) &&
             qualified(u) == qualified(unit);
    });
  }

  // Whether a reverted commit added `unit`: its file defines it after that commit, not before.
  bool added_by_reverted_commit(const std::string& path, const Unit& unit) {
    return std::any_of(reverted().begin(), reverted().end(), [&](const RevertedCommit& commit) {
      return defines(commit.after, path, unit) && !defines(commit.before, path, unit);
    });
  }

  // Whether a reverted commit added this text to `path`: there after it, not before.
  bool text_added_by_reverted_commit(const std::string& path, const std::string& text) {
    const auto wanted = without_whitespace(text);
    return std::any_of(reverted().begin(), reverted().end(), [&](const RevertedCommit& commit) {
      auto after = text_in(commit.after, path);
      auto before = text_in(commit.before, path);
      return after && without_whitespace(*after).find(wanted) != std::string::npos &&
             (!before || without_whitespace(*before).find(wanted) == std::string::npos);
    });
  }

  // Whether a reverted commit added most of these (deleted, normalized) lines of a body.
  bool body_added_by_reverted_commit(const FileView& view, const std::vector<std::string>& lines) {
    if (reverted().empty()) {
      return false;
    }
    std::size_t added = 0;
    for (const auto& line : lines) {
      added += text_added_by_reverted_commit(view.file->old_path, line) ? 1 : 0;
    }
    return added * 2 > lines.size();
  }

  std::string language_of(const std::string& path) const {
    for (const auto& file : m_change.files) {
      if (file.old_path == path || file.new_path == path) {
        return file.language;
      }
    }
    return {};
  }

  // The other files of the new tree: who still uses a deleted name there. Only asked when the
  // answer matters: for a function or type that no changed file defines any more (dangling
  // references), and for a unit that looks like dead code removed with its callers.
  void search_tree() {
    m_scope = "changed files";
    if (m_context.repository == nullptr || m_tree == nullptr) {
      m_scope = "changed files (no repository view)";
      return;
    }
    std::vector<Deleted*> wanted;
    for (auto& deleted : m_deleted) {
      const auto kind = deleted.unit->kind;
      const bool dangling_candidate = kind != UnitKind::method && kind != UnitKind::test &&
                                      !m_index.defined_anywhere(deleted.unit->name);
      if (kind != UnitKind::test && (dangling_candidate || deleted.dead_code)) {
        wanted.push_back(&deleted);
      }
    }
    if (wanted.empty()) {
      m_scope = "whole tree";
      return;
    }
    auto files = m_context.repository->files_after(m_change);
    if (!files) {
      return; // no listing: judge from the changed files, as the scope says
    }
    std::set<std::string> skip;
    for (const auto& file : m_change.files) {
      skip.insert(file.old_path);
      skip.insert(file.new_path);
    }
    const auto cache_dir = m_context.repository->cache_dir();
    m_tree->prepare(*files, skip, m_context.contents, cache_dir,
                    m_context.policy.limits.max_file_bytes);
    for (auto* deleted : wanted) {
      auto found = m_tree->lookup({deleted->unit->name, deleted->view->file->old_path,
                                   deleted->view->language, deleted->owners},
                                  m_context.contents, m_context.syntax);
      deleted->tree_defined = found.defined_elsewhere;
      for (auto& use : found.uses) {
        deleted->tree_users.push_back({std::move(use.file), use.line, std::move(use.unit)});
      }
      if (!deleted->tree_users.empty()) {
        deleted->dead_code = false; // some callers are still there
      }
    }
    m_tree->save(cache_dir);
    m_scope = "whole tree";
  }

  const AnalysisContext& m_context;
  const gate::Change& m_change;
  Intent m_intent;
  ChangeIndex m_index;
  ReferenceIndex* m_tree = nullptr;
  std::string m_scope = "changed files";
  std::optional<std::set<std::string>> m_added_texts;
  std::optional<AddedGuards> m_added_guards;
  std::set<const Unit*> m_emptied; // units mostly removed (reported) or extracted
  std::optional<std::vector<RevertedCommit>> m_reverted;
  std::vector<Deleted> m_deleted;
  std::vector<Finding> m_findings;
  std::set<std::string> m_judged;
  std::set<std::pair<std::string, int>> m_guard_lines; // old lines of reported removed guards
};

// The units of one side of a file, parsed through the syntax cache; null when unreadable.
std::shared_ptr<const syntax::ParsedFile> parse_blob(const AnalysisContext& context,
                                                     const std::string& oid,
                                                     const std::string& language,
                                                     std::string* text = nullptr) {
  if (oid.empty() || language.empty()) {
    return nullptr;
  }
  auto content = context.contents.blob(oid);
  if (!content) {
    return nullptr;
  }
  auto parsed = context.syntax.parse(oid, language, *content);
  if (text != nullptr) {
    *text = std::move(*content);
  }
  return parsed;
}

// Whether the unit a finding of `commit` is about is back, as it was, in the new side of the
// range's `file`: a unit of that qualified name whose token stream is near-equivalent to the
// version the commit deleted or emptied. A name alone is no restoration: a test emptied to
// `pass`, a function gutted to one line or re-added as a stub keeps its name.
bool restored_in_new_side(const AnalysisContext& context, const gate::FileChange& file,
                          const gate::Change& commit, const Finding& finding) {
  const auto name = finding.evidence.value("unit", "");
  if (!file.parseable() || name.empty()) {
    return false;
  }
  auto head = parse_blob(context, file.new_oid, file.language);
  if (!head) {
    return false;
  }
  std::vector<const Unit*> candidates;
  for (const auto& unit : head->units) {
    if (definition(unit) && qualified(unit) == name) {
      candidates.push_back(&unit);
    }
  }
  if (candidates.empty()) {
    return false;
  }
  // Its users call a definition again, whatever its body: the reference no longer dangles.
  if (finding.rule == gate::rule::deletion_dangling_reference) {
    return true;
  }
  // The version deleted: the unit of that name at the finding's line in the commit's old side.
  const Unit* deleted = nullptr;
  std::shared_ptr<const syntax::ParsedFile> before;
  for (const auto& changed : commit.files) {
    if (changed.old_path == finding.file && !changed.old_oid.empty()) {
      before = parse_blob(context, changed.old_oid,
                          changed.language.empty() ? file.language : changed.language);
    }
  }
  if (before) {
    for (const auto& unit : before->units) {
      if (definition(unit) && qualified(unit) == name &&
          (deleted == nullptr || unit.start_line == finding.line)) {
        deleted = &unit;
      }
    }
  }
  if (deleted == nullptr) {
    return false; // what was deleted cannot be read: no evidence that it is back
  }
  return std::any_of(candidates.begin(), candidates.end(), [&](const Unit* unit) {
    return similar_bodies(deleted->tokens, unit->tokens, k_restored_similarity);
  });
}

// A commit of a range is judged on its own, but what a later commit of the range undoes (the
// unit restored as it was, the file back as it was) is no deletion of the range: drop those
// findings.
std::vector<Finding> confirmed_by_range(const AnalysisContext& context, const gate::Change& range,
                                        const gate::Change& commit, std::vector<Finding> findings) {
  std::vector<Finding> kept;
  for (auto& finding : findings) {
    const gate::FileChange* in_range = nullptr;
    for (const auto& file : range.files) {
      if (file.old_path == finding.file || file.new_path == finding.file) {
        in_range = &file;
      }
    }
    if (in_range == nullptr) {
      continue; // the range leaves the file as it was
    }
    if (finding.rule != gate::rule::deletion_removed_guard &&
        restored_in_new_side(context, *in_range, commit, finding)) {
      continue; // restored by a later commit
    }
    kept.push_back(std::move(finding));
  }
  return kept;
}

} // namespace

DeletionAnalyzer::DeletionAnalyzer() : m_tree(std::make_unique<ReferenceIndex>()) {}
DeletionAnalyzer::~DeletionAnalyzer() = default;

std::vector<Finding> DeletionAnalyzer::analyze(const AnalysisContext& context,
                                               const gate::Change& change) {
  // Nothing to do when the policy turns every deletion rule off.
  bool any_enabled = false;
  for (std::string_view rule :
       {gate::rule::deletion_unrelated, gate::rule::deletion_removed_test,
        gate::rule::deletion_removed_guard, gate::rule::deletion_dangling_reference}) {
    any_enabled = any_enabled || context.policy.enabled(rule);
  }
  if (!any_enabled) {
    return {};
  }
  Analysis analysis(context, change, m_tree.get());
  auto findings = analysis.run();
  // A range as a whole (its net diff, judged against all its messages) reports only what none of
  // its commits deleted, emptied or stripped on its own: a body gutted a little in each commit.
  // What a commit did is judged there, against its own message, and confirmed below.
  if (change.kind == gate::ChangeKind::range) {
    std::erase_if(findings,
                  [&](const Finding& finding) { return m_judged.contains(judged_key(finding)); });
    return findings;
  }
  if (change.kind == gate::ChangeKind::commit) {
    m_judged.insert(analysis.judged().begin(), analysis.judged().end());
  }
  if (change.kind != gate::ChangeKind::commit || findings.empty()) {
    return findings;
  }
  for (const auto& range : context.change_set.changes) {
    if (range.kind == gate::ChangeKind::range &&
        std::find(range.commits.begin(), range.commits.end(), change.head_rev) !=
            range.commits.end()) {
      findings = confirmed_by_range(context, range, change, std::move(findings));
    }
  }
  return findings;
}

} // namespace agate::analyzers
