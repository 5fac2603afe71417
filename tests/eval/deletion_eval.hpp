// The evaluation of the deletion analyzer on real code: recall on injected unrelated
// deletions, false alarms on honest changes, per language. Header-only so that both the doctest
// test (tests/eval/test_deletion_eval.cpp) and the bench command (bench/eval_deletion.cpp, which
// links agate_core only) run the same code.
//
// For each language directory of tests/eval/corpus/ (real files from Debian and npm packages,
// SOURCES.md), the files go into a temporary git repository (one base commit made with
// `git fast-import`). From the base, honest changes are generated, each as its own commit:
//   feature  - a new function: a copy of an existing one under a new name, inserted after it;
//   fix      - a comparison operator changed inside a function;
//   rename   - a function renamed with every use in the repository;
//   move     - a function moved to a new file;
//   dead     - a function removed together with the only lines that called it;
//   asked    - a function removed by a commit message that names it;
//   test     - a test file change: a test added (a copy of one under a new name), or a line
//              added to a test.
// Each honest change is then made again with one unrelated deletion injected into a file of the
// same language: a whole function, a method, a test, or a guard (an error check inside a
// function that survives), cycling through the kinds the language has. Commit messages describe
// the honest change in words that do not name files or units (a message that names a file
// explains every deletion in it, which would make the evaluation trivial).
//
// Every commit is reviewed in-process as `agate check --commit <id>` would (gate::review_selection,
// default policy, whole-tree reference index). An injected deletion is found when a deletion/*
// finding lies in its file and overlaps its old line range; an honest change is a false alarm
// when it gets an error-level deletion/* finding (warnings are counted separately).
#pragma once

#include "analyzers/deletion/security_checks.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/app/pipeline.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace agate::eval {

namespace fs = std::filesystem;

struct CaseResult {
  std::string language;
  std::string id;           // "feature:textwrap.py:wrap" ...
  std::string injected;     // "" for an honest change, else "function", "method", "test", "guard"
  std::string target;       // injected: "file:start-end unit"
  bool found = false;       // injected: a finding at the right place
  bool false_alarm = false; // honest: an error-level deletion finding
  bool warned = false;      // honest: any deletion finding
  std::string findings;     // the deletion findings, one per line
  std::string commit;       // the commit reviewed, in the language's repository
};

struct Score {
  int injected = 0;
  int found = 0;
  int honest = 0;
  int false_alarms = 0;
  int honest_warned = 0;
  double recall() const { return injected == 0 ? 1.0 : static_cast<double>(found) / injected; }
  double false_alarm_rate() const {
    return honest == 0 ? 0.0 : static_cast<double>(false_alarms) / honest;
  }
};

struct EvalReport {
  std::map<std::string, Score> by_language;
  std::map<std::string, Score> by_kind; // injected kinds and honest change types
  Score total;
  std::vector<CaseResult> cases;
  double seconds = 0.0;
};

namespace detail {

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

inline std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    out += l + "\n";
  }
  return out;
}

inline bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

// Positions of `word` as a whole word in `text`.
inline std::vector<std::size_t> word_positions(std::string_view text, std::string_view word) {
  std::vector<std::size_t> out;
  if (word.empty()) {
    return out;
  }
  for (auto pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) {
    const bool left = pos == 0 || !word_char(text[pos - 1]);
    const bool right = pos + word.size() >= text.size() || !word_char(text[pos + word.size()]);
    if (left && right) {
      out.push_back(pos);
    }
  }
  return out;
}

inline std::string replace_words(std::string text, std::string_view word, std::string_view by) {
  auto positions = word_positions(text, word);
  for (auto it = positions.rbegin(); it != positions.rend(); ++it) {
    text.replace(*it, word.size(), by);
  }
  return text;
}

inline std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) {
    return {};
  }
  auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

inline bool is_comment_line(std::string_view line) {
  auto t = trim(line);
  return t.rfind("//", 0) == 0 || t.rfind("#", 0) == 0 || t.rfind("/*", 0) == 0 ||
         t.rfind("*", 0) == 0;
}

inline uint64_t hash_of(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// One edit of a file: old lines [first, last] (1-based; last = first - 1 inserts before first)
// replaced by `lines`.
struct Edit {
  int first = 0;
  int last = 0;
  std::vector<std::string> lines;
};

struct CorpusFile {
  std::string path; // in the repository: "src/<name>"
  std::string language;
  std::string text;
  std::vector<std::string> lines;
  syntax::ParsedFile parsed;
  bool test_file = false;
};

// A change: edits of existing files, new files, and what the message says.
struct Spec {
  std::string id;
  std::string type; // feature, fix, rename, move, dead, asked, test
  std::string message;
  std::map<std::string, std::vector<Edit>> edits; // by path
  std::map<std::string, std::string> new_files;
  std::map<std::string, std::string> replaced; // whole new contents (rename)
  std::string added_text;                      // everything the change adds, for victim choice
  std::string removed_text;                    // everything it deletes (filled by Generator)
  std::set<std::string> touched_units;         // "path:start" of units the change works on
  // injected
  std::string victim_kind;
  std::string victim_path;
  int victim_start = 0;
  int victim_end = 0;
  std::string victim_name;
};

inline bool overlaps(const Spec& spec, const std::string& path, int first, int last) {
  auto it = spec.edits.find(path);
  if (spec.replaced.contains(path)) {
    return true;
  }
  if (it == spec.edits.end()) {
    return false;
  }
  for (const auto& e : it->second) {
    // A pure insertion before line `first` touches lines first-1..first.
    const int lo = std::min(e.first, e.last) - 1;
    const int hi = std::max(e.first, e.last) + 1;
    if (lo <= last && first <= hi) {
      return true;
    }
  }
  return false;
}

inline std::string apply(const CorpusFile& file, const Spec& spec) {
  if (auto it = spec.replaced.find(file.path); it != spec.replaced.end()) {
    return it->second;
  }
  auto it = spec.edits.find(file.path);
  if (it == spec.edits.end()) {
    return file.text;
  }
  auto edits = it->second;
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.first > b.first; });
  auto lines = file.lines;
  for (const auto& e : edits) {
    auto begin = lines.begin() + (e.first - 1);
    auto end = lines.begin() + e.last;
    lines.erase(begin, std::max(begin, end));
    lines.insert(lines.begin() + (e.first - 1), e.lines.begin(), e.lines.end());
  }
  return join_lines(lines);
}

inline bool camel_case(std::string_view language) {
  return language != "python" && language != "rust" && language != "c";
}

inline std::string new_name(std::string_view language, const std::string& name,
                            std::string_view suffix) {
  if (camel_case(language)) {
    std::string s(suffix);
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return name + s;
  }
  return name + "_" + std::string(suffix);
}

inline const syntax::Unit* innermost_definition(const syntax::ParsedFile& parsed,
                                                const syntax::Unit& unit) {
  const syntax::Unit* in = nullptr;
  for (const auto& u : parsed.units) {
    if (&u == &unit || u.kind == syntax::UnitKind::guard || u.kind == syntax::UnitKind::import) {
      continue;
    }
    if (u.start_byte <= unit.start_byte && unit.end_byte <= u.end_byte) {
      in = &u;
    }
  }
  return in;
}

// Whether the unit occupies whole lines (nothing else of the code on its first and last line).
inline bool whole_lines(const CorpusFile& file, const syntax::Unit& unit) {
  const auto& text = file.text;
  auto line_start = text.rfind('\n', unit.start_byte == 0 ? 0 : unit.start_byte - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  if (unit.start_byte > 0 && line_start > unit.start_byte) {
    line_start = unit.start_byte;
  }
  if (!trim(std::string_view(text).substr(line_start, unit.start_byte - line_start)).empty()) {
    return false;
  }
  auto line_end = text.find('\n', unit.end_byte);
  line_end = line_end == std::string::npos ? text.size() : line_end;
  auto rest = trim(std::string_view(text).substr(unit.end_byte, line_end - unit.end_byte));
  return rest.empty() || rest == ";" || rest.rfind("//", 0) == 0 || rest.rfind("#", 0) == 0;
}

inline int count_words(const std::vector<CorpusFile>& files, const std::string& name) {
  int n = 0;
  for (const auto& f : files) {
    n += static_cast<int>(word_positions(f.text, name).size());
  }
  return n;
}

// The lines of a unit with the comment lines right above it (a real removal takes its doc
// comment too) and one blank line after it.
inline std::pair<int, int> removal_span(const CorpusFile& file, const syntax::Unit& unit) {
  int first = unit.start_line;
  while (first > 1 && is_comment_line(file.lines[static_cast<std::size_t>(first - 2)])) {
    --first;
  }
  int last = unit.end_line;
  if (static_cast<std::size_t>(last) < file.lines.size() &&
      trim(file.lines[static_cast<std::size_t>(last)]).empty()) {
    ++last;
  }
  return {first, last};
}

inline std::string short_name(const syntax::Unit& unit) {
  auto dot = unit.name.rfind('.');
  return dot == std::string::npos ? unit.name : unit.name.substr(dot + 1);
}

inline bool callable(const syntax::Unit& u) {
  return u.kind == syntax::UnitKind::function || u.kind == syntax::UnitKind::method;
}

inline int span(const syntax::Unit& u) {
  return u.end_line - u.start_line + 1;
}

// ---- the honest changes --------------------------------------------------------------------

class Generator {
public:
  Generator(std::string language, std::vector<CorpusFile>& files)
      : m_language(std::move(language)), m_files(files) {}

  std::vector<Spec> honest() {
    std::vector<Spec> specs;
    for (auto& file : m_files) {
      if (file.test_file) {
        for (std::string salt : {"", "2", "3"}) {
          m_salt = salt;
          add(specs, test_added(file));
          add(specs, test_edited(file));
        }
        m_salt.clear();
        continue;
      }
      // Two of each kind per file where the file has the units for it.
      for (std::string salt : {"", "2"}) {
        m_salt = salt;
        add(specs, feature(file));
        add(specs, fix(file));
        add(specs, rename(file));
        add(specs, move(file));
        add(specs, asked(file));
      }
      m_salt.clear();
      add(specs, dead(file));
    }
    // The same change made twice (a file with a single candidate) is counted once.
    std::set<std::string> seen;
    std::erase_if(specs, [&seen](const Spec& spec) { return !seen.insert(spec.id).second; });
    for (auto& spec : specs) {
      for (const auto& file : m_files) {
        if (auto it = spec.replaced.find(file.path); it != spec.replaced.end()) {
          const auto lines = split_lines(it->second);
          for (std::size_t i = 0; i < file.lines.size(); ++i) {
            if (i >= lines.size() || lines[i] != file.lines[i]) {
              spec.removed_text += file.lines[i] + "\n";
            }
          }
          continue;
        }
        if (auto it = spec.edits.find(file.path); it != spec.edits.end()) {
          for (const auto& e : it->second) {
            for (int l = e.first; l <= e.last; ++l) {
              spec.removed_text += file.lines[static_cast<std::size_t>(l - 1)] + "\n";
            }
          }
        }
      }
    }
    return specs;
  }

  // The same change with one unrelated deletion of `kind` (or the next kind the language has).
  std::optional<Spec> inject(const Spec& honest, std::size_t round) {
    static const std::vector<std::string> kinds = {"function", "method", "test", "guard"};
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      const auto& kind = kinds[(round + k) % kinds.size()];
      auto candidates = victims(honest, kind);
      if (candidates.empty()) {
        continue;
      }
      const auto& [file, unit] = candidates[hash_of(honest.id + kind) % candidates.size()];
      Spec spec = honest;
      spec.id = honest.id + "+" + kind;
      spec.victim_kind = kind;
      spec.victim_path = file->path;
      spec.victim_start = unit->start_line;
      spec.victim_end = unit->end_line;
      spec.victim_name = unit->name;
      auto [first, last] = kind == "guard" ? std::pair{unit->start_line, unit->end_line}
                                           : removal_span(*file, *unit);
      spec.edits[file->path].push_back({first, last, {}});
      return spec;
    }
    return std::nullopt;
  }

private:
  static void add(std::vector<Spec>& specs, std::optional<Spec> spec) {
    if (spec) {
      specs.push_back(std::move(*spec));
    }
  }

  // Functions or methods of the file that are not tests, at least `min_lines` long.
  std::vector<const syntax::Unit*> callables(const CorpusFile& file, int min_lines) const {
    std::vector<const syntax::Unit*> out;
    for (const auto& u : file.parsed.units) {
      if (callable(u) && span(u) >= min_lines && !u.name.empty() && u.name != "main" &&
          whole_lines(file, u)) {
        out.push_back(&u);
      }
    }
    return out;
  }

  template <typename T> const T* pick(const std::vector<const T*>& items, const std::string& salt) {
    return items.empty() ? nullptr : items[hash_of(salt + m_salt) % items.size()];
  }

  std::optional<Spec> feature(CorpusFile& file) {
    const auto* unit = pick(callables(file, 4), file.path + "feature");
    if (unit == nullptr) {
      return std::nullopt;
    }
    const auto name = short_name(*unit);
    const auto added = new_name(m_language, name, "checked");
    std::vector<std::string> lines{""};
    for (int l = unit->start_line; l <= unit->end_line; ++l) {
      auto line = file.lines[static_cast<std::size_t>(l - 1)];
      if (l == unit->start_line) {
        auto pos = word_positions(line, name);
        if (pos.empty()) {
          return std::nullopt;
        }
        line.replace(pos.front(), name.size(), added);
      }
      lines.push_back(line);
    }
    Spec spec;
    spec.id = "feature:" + file.path + ":" + name;
    spec.type = "feature";
    spec.message = "Add a checked variant of an existing helper\n\nCallers that need the "
                   "stricter behaviour can use the new function.";
    spec.added_text = join_lines(lines);
    spec.edits[file.path].push_back({unit->end_line + 1, unit->end_line, lines});
    spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
    return spec;
  }

  std::optional<Spec> fix(CorpusFile& file) {
    static const std::vector<std::pair<std::string, std::string>> swaps = {
        {" < ", " <= "}, {" > ", " >= "},  {" <= ", " < "},
        {" >= ", " > "}, {" == ", " != "}, {" != ", " == "}};
    auto units = callables(file, 4);
    for (std::size_t attempt = 0; attempt < units.size(); ++attempt) {
      const auto* unit = units[(hash_of(file.path + "fix" + m_salt) + attempt) % units.size()];
      for (int l = unit->start_line + 1; l < unit->end_line; ++l) {
        auto line = file.lines[static_cast<std::size_t>(l - 1)];
        if (is_comment_line(line)) {
          continue;
        }
        for (const auto& [from, to] : swaps) {
          auto pos = line.find(from);
          if (pos == std::string::npos) {
            continue;
          }
          line.replace(pos, from.size(), to);
          Spec spec;
          spec.id = "fix:" + file.path + ":" + short_name(*unit);
          spec.type = "fix";
          spec.message = "Fix an off-by-one in a boundary check";
          spec.added_text = line;
          spec.edits[file.path].push_back({l, l, {line}});
          spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
          return spec;
        }
      }
    }
    return std::nullopt;
  }

  std::optional<Spec> rename(CorpusFile& file) {
    std::vector<const syntax::Unit*> candidates;
    for (const auto* u : callables(file, 3)) {
      const auto name = short_name(*u);
      // A name used a few times, not a common word that other code uses for other things.
      if (name.size() >= 5 && count_words(m_files, name) <= 6) {
        candidates.push_back(u);
      }
    }
    const auto* unit = pick(candidates, file.path + "rename");
    if (unit == nullptr) {
      return std::nullopt;
    }
    const auto name = short_name(*unit);
    const auto renamed = new_name(m_language, name, "impl");
    Spec spec;
    spec.id = "rename:" + file.path + ":" + name;
    spec.type = "rename";
    spec.message = "Give a helper a clearer name\n\nNo behaviour change.";
    for (const auto& f : m_files) {
      if (!word_positions(f.text, name).empty()) {
        spec.replaced[f.path] = replace_words(f.text, name, renamed);
      }
    }
    spec.added_text = renamed;
    spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
    return spec;
  }

  std::optional<Spec> move(CorpusFile& file) {
    std::vector<const syntax::Unit*> candidates;
    for (const auto* u : callables(file, 4)) {
      if (u->kind == syntax::UnitKind::function || m_language == "java" || m_language == "cpp") {
        candidates.push_back(u);
      }
    }
    const auto* unit = pick(candidates, file.path + "move");
    if (unit == nullptr) {
      return std::nullopt;
    }
    auto [first, last] = removal_span(file, *unit);
    std::vector<std::string> body(file.lines.begin() + (first - 1), file.lines.begin() + last);
    const auto* lang = syntax::find_language(m_language);
    const std::string ext(lang != nullptr && !lang->extensions.empty() ? lang->extensions.front()
                                                                       : "txt");
    std::string path = "src/moved_helpers." + ext;
    std::string text;
    if (m_language == "go") {
      text = "package errors\n\n" + join_lines(body);
    } else if (m_language == "java") {
      path = "src/MovedHelpers.java";
      text = "package bsh;\n\nclass MovedHelpers {\n" + join_lines(body) + "}\n";
    } else if (m_language == "rust") {
      text = "use super::*;\n\n" + join_lines(body);
    } else {
      text = join_lines(body);
    }
    Spec spec;
    spec.id = "move:" + file.path + ":" + short_name(*unit);
    spec.type = "move";
    spec.message = "Move a helper into its own module";
    spec.edits[file.path].push_back({first, last, {}});
    spec.new_files[path] = text;
    spec.added_text = text;
    spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
    return spec;
  }

  // A statement line that can go on its own: a call, not a block opener or part of one.
  static bool lone_statement(std::string_view line) {
    auto t = trim(line);
    if (t.empty() || t.back() == '{' || t.back() == ':' || t.back() == '(' || t.back() == ',' ||
        t.back() == '\\' || t.front() == '}' || t.front() == ')' || t.front() == '.') {
      return false;
    }
    for (std::string_view kw : {"if ", "if(", "else", "for ", "while ", "return", "case ", "elif",
                                "switch", "match ", "let ", "const ", "var ", "}"}) {
      if (t.rfind(kw, 0) == 0) {
        return false;
      }
    }
    int depth = 0;
    for (char c : t) {
      depth += (c == '(' || c == '[' || c == '{') ? 1 : (c == ')' || c == ']' || c == '}') ? -1 : 0;
    }
    return depth == 0;
  }

  std::optional<Spec> dead(CorpusFile& file) {
    for (const auto* unit : callables(file, 3)) {
      const auto name = short_name(*unit);
      // A validating or authorising function removed with its only call is no honest dead-code
      // removal unless the message says so (security checks are errors to drop unasked).
      if (name.size() < 4 || word_positions(file.text, name).size() < 2 ||
          analyzers::security_name(name)) {
        continue;
      }
      // Every other use is on a lone statement line of one other function of this file.
      std::vector<int> call_lines;
      const syntax::Unit* caller = nullptr;
      bool ok = true;
      for (const auto& other : m_files) {
        if (&other != &file && !word_positions(other.text, name).empty()) {
          ok = false;
        }
      }
      for (std::size_t i = 0; ok && i < file.lines.size(); ++i) {
        const int l = static_cast<int>(i) + 1;
        if ((l >= unit->start_line && l <= unit->end_line) ||
            word_positions(file.lines[i], name).empty()) {
          continue;
        }
        const syntax::Unit* in = nullptr;
        for (const auto& u : file.parsed.units) {
          if (callable(u) && u.start_line < l && l <= u.end_line &&
              u.start_line != unit->start_line) {
            in = &u;
          }
        }
        if (in == nullptr || (caller != nullptr && caller != in) ||
            !lone_statement(file.lines[i]) || is_comment_line(file.lines[i])) {
          ok = false;
          break;
        }
        caller = in;
        call_lines.push_back(l);
      }
      if (!ok || caller == nullptr || call_lines.empty() ||
          (caller->start_line <= unit->start_line && unit->end_line <= caller->end_line) ||
          (unit->start_line <= caller->start_line && caller->end_line <= unit->end_line)) {
        continue;
      }
      Spec spec;
      spec.id = "dead:" + file.path + ":" + name;
      spec.type = "dead";
      spec.message = "Drop a code path that is no longer needed";
      auto [first, last] = removal_span(file, *unit);
      spec.edits[file.path].push_back({first, last, {}});
      for (int l : call_lines) {
        spec.edits[file.path].push_back({l, l, {}});
      }
      spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
      spec.touched_units.insert(file.path + ":" + std::to_string(caller->start_line));
      return spec;
    }
    return std::nullopt;
  }

  std::optional<Spec> asked(CorpusFile& file) {
    std::vector<const syntax::Unit*> candidates;
    for (const auto* u : callables(file, 3)) {
      if (count_words(m_files, short_name(*u)) == 1) {
        candidates.push_back(u);
      }
    }
    const auto* unit = pick(candidates, file.path + "asked");
    if (unit == nullptr) {
      return std::nullopt;
    }
    Spec spec;
    spec.id = "asked:" + file.path + ":" + short_name(*unit);
    spec.type = "asked";
    spec.message = "Remove " + short_name(*unit) + ", nothing calls it any more";
    auto [first, last] = removal_span(file, *unit);
    spec.edits[file.path].push_back({first, last, {}});
    spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
    return spec;
  }

  std::vector<const syntax::Unit*> leaf_tests(const CorpusFile& file) const {
    std::vector<const syntax::Unit*> out;
    for (const auto& u : file.parsed.units) {
      if (u.kind != syntax::UnitKind::test || !whole_lines(file, u) || span(u) < 2) {
        continue;
      }
      bool leaf = true;
      for (const auto& v : file.parsed.units) {
        if (&v != &u && v.kind == syntax::UnitKind::test && u.start_byte <= v.start_byte &&
            v.end_byte <= u.end_byte) {
          leaf = false;
        }
      }
      if (leaf) {
        out.push_back(&u);
      }
    }
    return out;
  }

  std::optional<Spec> test_added(CorpusFile& file) {
    const auto* unit = pick(leaf_tests(file), file.path + "test_added");
    if (unit == nullptr) {
      return std::nullopt;
    }
    std::vector<std::string> lines{""};
    const auto name = short_name(*unit);
    for (int l = unit->start_line; l <= unit->end_line; ++l) {
      auto line = file.lines[static_cast<std::size_t>(l - 1)];
      if (l == unit->start_line) {
        auto pos = word_positions(line, name);
        if (!pos.empty()) {
          line.replace(pos.front(), name.size(), new_name(m_language, name, "again"));
        } else if (auto q = line.find(name); q != std::string::npos) {
          line.replace(q, name.size(), name + " again");
        } else {
          return std::nullopt;
        }
      }
      lines.push_back(line);
    }
    Spec spec;
    spec.id = "test:" + file.path + ":" + name;
    spec.type = "test";
    spec.message = "Add a test for more input shapes";
    spec.added_text = join_lines(lines);
    spec.edits[file.path].push_back({unit->end_line + 1, unit->end_line, lines});
    spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
    return spec;
  }

  std::optional<Spec> test_edited(CorpusFile& file) {
    auto tests = leaf_tests(file);
    for (std::size_t attempt = 0; attempt < tests.size(); ++attempt) {
      const auto* unit =
          tests[(hash_of(file.path + "test_edited" + m_salt) + attempt) % tests.size()];
      for (int l = unit->start_line + 1; l < unit->end_line; ++l) {
        const auto& line = file.lines[static_cast<std::size_t>(l - 1)];
        if (!lone_statement(line) || is_comment_line(line)) {
          continue;
        }
        Spec spec;
        spec.id = "test-edit:" + file.path + ":" + short_name(*unit);
        spec.type = "test";
        spec.message = "Check the same case twice in a test";
        spec.added_text = line;
        spec.edits[file.path].push_back({l + 1, l, {line}});
        spec.touched_units.insert(file.path + ":" + std::to_string(unit->start_line));
        return spec;
      }
    }
    return std::nullopt;
  }

  using Victim = std::pair<const CorpusFile*, const syntax::Unit*>;

  std::vector<Victim> victims(const Spec& honest, const std::string& kind) const {
    std::vector<Victim> out;
    for (const auto& file : m_files) {
      if (honest.replaced.contains(file.path)) {
        continue;
      }
      for (const auto& u : file.parsed.units) {
        if (honest.touched_units.contains(file.path + ":" + std::to_string(u.start_line))) {
          continue;
        }
        bool kind_ok = false;
        if (kind == "function" || kind == "method") {
          kind_ok = u.kind == (kind == "function" ? syntax::UnitKind::function
                                                  : syntax::UnitKind::method) &&
                    span(u) >= 3 && whole_lines(file, u);
        } else if (kind == "test") {
          kind_ok = false;
          for (const auto* t : leaf_tests(file)) {
            kind_ok = kind_ok || t == &u;
          }
        } else if (kind == "guard") {
          const auto* owner = innermost_definition(file.parsed, u);
          kind_ok =
              u.kind == syntax::UnitKind::guard && owner != nullptr && callable(*owner) &&
              span(u) <= 8 && whole_lines(file, u) && u.start_line > owner->start_line &&
              u.end_line < owner->end_line &&
              !honest.touched_units.contains(file.path + ":" + std::to_string(owner->start_line)) &&
              !overlaps(honest, file.path, owner->start_line, owner->end_line);
        }
        if (!kind_ok || overlaps(honest, file.path, u.start_line - 3, u.end_line + 1)) {
          continue;
        }
        // Not a unit the honest change's added code names (that would explain its removal), nor
        // one whose callers it deletes (then removing it too is dead code going with them).
        if (kind != "guard" && (!word_positions(honest.added_text, short_name(u)).empty() ||
                                !word_positions(honest.removed_text, short_name(u)).empty())) {
          continue;
        }
        out.emplace_back(&file, &u);
      }
    }
    return out;
  }

  std::string m_language;
  std::vector<CorpusFile>& m_files;
  std::string m_salt; // varies the choices for a second change of the same kind
};

inline bool is_test_file(const std::string& name) {
  return name.rfind("test", 0) == 0 || name.find("_test.") != std::string::npos ||
         name.find(".test.") != std::string::npos || name.find("-test") != std::string::npos;
}

inline void append_blob(std::string& stream, const std::string& data) {
  stream += "data " + std::to_string(data.size()) + "\n" + data + "\n";
}

inline std::string quote(const fs::path& p) {
  std::string out = "'";
  for (char c : p.string()) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

} // namespace detail

// Runs the evaluation over every language directory of `corpus_dir`, in temporary repositories
// under `work_dir` (created; left for inspection). `languages` empty: all. `log` gets one line
// per case when set.
inline EvalReport run_deletion_eval(const fs::path& corpus_dir, const fs::path& work_dir,
                                    const std::set<std::string>& languages = {},
                                    const std::function<void(const CaseResult&)>& log = {}) {
  using namespace detail;
  const auto started = std::chrono::steady_clock::now();
  EvalReport report;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    if (entry.is_directory() &&
        (languages.empty() || languages.contains(entry.path().filename().string()))) {
      dirs.push_back(entry.path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    const auto language = dir.filename().string();
    std::vector<CorpusFile> files;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) {
        paths.push_back(entry.path());
      }
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      CorpusFile file;
      file.path = "src/" + p.filename().string();
      const auto* lang = syntax::language_for_path(file.path);
      if (lang == nullptr) {
        continue;
      }
      file.language = std::string(lang->id);
      std::ifstream in(p, std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      file.text = bytes.str();
      file.lines = split_lines(file.text);
      file.parsed = syntax::parse_units(file.language, file.text);
      file.test_file = is_test_file(p.filename().string());
      files.push_back(std::move(file));
    }
    if (files.empty()) {
      continue;
    }

    Generator generator(language, files);
    std::vector<Spec> specs = generator.honest();
    const std::size_t honest_count = specs.size();
    for (std::size_t i = 0; i < honest_count; ++i) {
      if (auto injected = generator.inject(specs[i], i)) {
        specs.push_back(std::move(*injected));
      }
    }

    // One repository per language: the base commit, and one commit per case on top of it.
    const auto repo_dir = work_dir / language;
    fs::remove_all(repo_dir);
    fs::create_directories(repo_dir);
    std::string stream = "commit refs/heads/main\nmark :1\n"
                         "committer Eval <eval@example.com> 1700000000 +0000\n";
    append_blob(stream, "Base: real code from the corpus\n");
    for (const auto& f : files) {
      stream += "M 100644 inline " + f.path + "\n";
      append_blob(stream, f.text);
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const auto& spec = specs[i];
      stream += "commit refs/heads/case" + std::to_string(i) + "\nmark :" + std::to_string(i + 2) +
                "\ncommitter Eval <eval@example.com> 1700000100 +0000\n";
      append_blob(stream, spec.message + "\n");
      stream += "from :1\n";
      for (const auto& f : files) {
        auto text = apply(f, spec);
        if (text != f.text) {
          stream += "M 100644 inline " + f.path + "\n";
          append_blob(stream, text);
        }
      }
      for (const auto& [path, text] : spec.new_files) {
        stream += "M 100644 inline " + path + "\n";
        append_blob(stream, text);
      }
    }
    {
      std::ofstream out(repo_dir / "stream.txt", std::ios::binary);
      out << stream;
    }
    const auto command = "cd " + quote(repo_dir) +
                         " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git init -q "
                         "repo && cd repo && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "
                         "git fast-import --quiet --export-marks=../marks.txt < ../stream.txt";
    if (std::system(command.c_str()) != 0) {
      throw std::runtime_error("git fast-import failed in " + repo_dir.string());
    }
    std::map<int, std::string> marks;
    {
      std::ifstream in(repo_dir / "marks.txt");
      for (std::string line; std::getline(in, line);) {
        auto space = line.find(' ');
        if (line.size() > 1 && line[0] == ':' && space != std::string::npos) {
          marks[std::stoi(line.substr(1, space - 1))] = line.substr(space + 1);
        }
      }
    }
    auto repo = gate::Repository::open(repo_dir / "repo").value_or_throw();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const auto& spec = specs[i];
      gate::Selection selection;
      selection.mode = gate::SelectionMode::commit;
      selection.rev = marks.at(static_cast<int>(i + 2));
      auto review = gate::review_selection(repo, selection);
      CaseResult result;
      result.language = language;
      result.id = spec.id;
      result.injected = spec.victim_kind;
      result.commit = selection.rev;
      if (!spec.victim_kind.empty()) {
        result.target = spec.victim_path + ":" + std::to_string(spec.victim_start) + "-" +
                        std::to_string(spec.victim_end) + " " + spec.victim_name;
      }
      for (const auto& f : review.findings) {
        if (f.rule.rfind("deletion/", 0) != 0) {
          continue;
        }
        result.findings += f.rule + " " + std::string(gate::to_string(f.severity)) + " " + f.file +
                           ":" + std::to_string(f.line) + "-" + std::to_string(f.end_line) + " " +
                           f.message + "\n";
        if (spec.victim_kind.empty()) {
          result.warned = true;
          result.false_alarm = result.false_alarm || f.severity == gate::Severity::error;
        } else if (f.file == spec.victim_path && f.line <= spec.victim_end &&
                   spec.victim_start <= f.end_line) {
          result.found = true;
        }
      }
      auto& by_language = report.by_language[language];
      auto& by_kind = report.by_kind[spec.victim_kind.empty() ? "honest " + spec.type
                                                              : "injected " + spec.victim_kind];
      for (auto* score : {&by_language, &by_kind, &report.total}) {
        if (spec.victim_kind.empty()) {
          ++score->honest;
          score->false_alarms += result.false_alarm ? 1 : 0;
          score->honest_warned += result.warned ? 1 : 0;
        } else {
          ++score->injected;
          score->found += result.found ? 1 : 0;
        }
      }
      if (log) {
        log(result);
      }
      report.cases.push_back(std::move(result));
    }
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

// The figures as a table: one line per language, then the total.
inline std::string format_report(const EvalReport& report) {
  std::ostringstream out;
  auto line = [&out](const std::string& name, const Score& s) {
    char buffer[200];
    std::snprintf(buffer, sizeof buffer, "%-12s %5d/%-5d %6.1f%%   %5d/%-5d %6.1f%%   %5d\n",
                  name.c_str(), s.found, s.injected, 100.0 * s.recall(), s.false_alarms, s.honest,
                  100.0 * s.false_alarm_rate(), s.honest_warned);
    out << buffer;
  };
  out << "language     found/injected recall   errors/honest false-alarms   honest-warned\n";
  for (const auto& [language, score] : report.by_language) {
    line(language, score);
  }
  line("total", report.total);
  out << "\nby kind:\n";
  for (const auto& [kind, score] : report.by_kind) {
    line(kind, score);
  }
  return out.str();
}

} // namespace agate::eval
