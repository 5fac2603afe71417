// The duplication evaluation: real source files (corpus/, see SOURCES.md) in a temporary git
// repository, and one commit per case on top of the same base:
//   clone cases  - a function of the base tree copied with its identifiers and numbers renamed
//                  ("renamed", appended to another existing file), renamed with two statements
//                  inserted ("edited", appended to its own file), or renamed into a new file in
//                  a new directory ("moved");
//   honest cases - real code the base does not hold (corpus/new/): a whole file added
//                  ("new-file"), two functions of it appended to an existing file ("append"),
//                  or an existing function edited in place ("edit").
// A clone case is found when a duplication/clone finding covers the copy's lines; an honest
// case is a false alarm when it gets an error-level duplication finding (any level is counted
// too). Used by the regression test (test_eval_duplication.cpp) and by
// bench/eval_duplication.sh (through that test, with AGATE_EVAL_OUT set), which also runs jscpd on
// the same cases.
#pragma once

#include "analyzers/duplication/clone_analyzer.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/policy.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/repository.hpp"
#include "gate/git/repository_view.hpp"
#include "tests/support/test_support.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace agate::eval {

namespace fs = std::filesystem;

struct EvalCase {
  std::string id;   // "clone-renamed-3", "honest-append-7"
  std::string kind; // renamed, edited, moved, new-file, append, edit
  bool clone = false;
  std::string file; // clone cases: where the copy is, and its lines
  int start_line = 0;
  int end_line = 0;
  std::string source; // clone cases: "path:line" of the original
  std::string commit;
};

struct EvalOutcome {
  bool found = false; // clone cases: a finding at the copy
  bool error = false; // any error-level duplication finding
  bool any = false;   // any duplication finding
  double seconds = 0; // analyzer time
};

struct EvalSummary {
  int clones = 0, found = 0, honest = 0, honest_error = 0, honest_any = 0;
  double total_seconds = 0;
  std::vector<double> case_seconds;
  std::vector<std::string> missed, false_alarms;
  double recall() const { return clones == 0 ? 0 : 100.0 * found / clones; }
  double false_alarm_rate() const { return honest == 0 ? 0 : 100.0 * honest_error / honest; }
  double flagged_rate() const { return honest == 0 ? 0 : 100.0 * honest_any / honest; }
};

inline fs::path corpus_dir() {
  return fs::path(AGATE_SOURCE_DIR) / "tests/eval/duplication/corpus";
}

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline int lines_in(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// A deterministic generator (the same cases on every machine).
class Lcg {
public:
  explicit Lcg(uint64_t seed) : m_state(seed) {}
  std::size_t next(std::size_t bound) {
    m_state = m_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((m_state >> 33) % bound);
  }

private:
  uint64_t m_state;
};

struct SourceUnit {
  std::string path; // in the repository
  std::string language;
  std::string text; // dedented to column 0
  std::string name;
  std::vector<std::string> defines;
  int start_line = 0;
};

// The unit's text with the indentation of its first line removed from every line.
inline std::string dedent(const std::string& content, const syntax::Unit& unit) {
  std::size_t line_start = content.rfind('\n', unit.start_byte == 0 ? 0 : unit.start_byte - 1);
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  std::size_t indent = unit.start_byte - line_start;
  std::string text = content.substr(unit.start_byte, unit.end_byte - unit.start_byte);
  std::string out;
  std::istringstream in(text);
  bool first = true;
  for (std::string line; std::getline(in, line);) {
    if (!first) {
      std::size_t strip = 0;
      while (strip < indent && strip < line.size() && (line[strip] == ' ' || line[strip] == '\t')) {
        ++strip;
      }
      line = line.substr(strip);
    }
    first = false;
    out += line + "\n";
  }
  return out;
}

// Renames every identifier the unit defines and bumps its decimal numbers.
inline std::string rename(const std::string& text, const std::vector<std::string>& defines) {
  std::string out = text;
  for (const auto& name : defines) {
    if (name.size() < 2 || name == "self" || name == "cls" || name == "this" ||
        !std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; })) {
      continue;
    }
    std::regex word("\\b" + name + "\\b");
    out = std::regex_replace(out, word, name + "Alt");
  }
  std::regex number("\\b([1-9][0-9]?)\\b");
  std::string bumped;
  auto begin = std::sregex_iterator(out.begin(), out.end(), number);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    bumped += out.substr(last, static_cast<std::size_t>(it->position()) - last);
    bumped += std::to_string(std::stoi(it->str()) + 1);
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  return bumped + out.substr(last);
}

// Inserts two statements into the body, at lines that end a statement and are followed by a line
// of the same indentation.
inline std::string insert_statements(const std::string& text, const std::string& language) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  auto indent_of = [](const std::string& line) { return line.find_first_not_of(" \t"); };
  std::vector<std::size_t> spots;
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    auto a = indent_of(lines[i]);
    auto b = indent_of(lines[i + 1]);
    if (a == std::string::npos || a == 0 || a != b) {
      continue;
    }
    char end = lines[i].back();
    bool ends =
        language == "python" ? std::string(":,([{\\").find(end) == std::string::npos : end == ';';
    if (ends && lines[i].find("\"\"\"") == std::string::npos) {
      spots.push_back(i);
    }
  }
  std::string python = "edit_marker = len(str(edit_marker_seed))";
  std::string js = "const editMarker = String(editMarkerSeed).length;";
  std::set<std::size_t> chosen;
  if (!spots.empty()) {
    chosen.insert(spots[spots.size() / 3]);
    chosen.insert(spots[(2 * spots.size()) / 3]);
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += lines[i] + "\n";
    if (chosen.contains(i)) {
      out += lines[i].substr(0, indent_of(lines[i])) + (language == "python" ? python : js) + "\n";
    }
  }
  return out;
}

class Evaluation {
public:
  explicit Evaluation(fs::path dir) : m_repo(dir) {}

  // Lays out the corpus, commits the base, and makes every case as a commit on top of it.
  void build(int clones_per_kind, int honest_per_kind) {
    auto base_dir = corpus_dir() / "base";
    for (const auto& entry : fs::recursive_directory_iterator(base_dir)) {
      if (entry.is_regular_file()) {
        auto rel = fs::relative(entry.path(), base_dir).generic_string();
        std::string path = (rel.starts_with("python/") ? "lib/" + rel.substr(7) : rel);
        m_base_files[path] = slurp(entry.path());
      }
    }
    for (const auto& [path, text] : m_base_files) {
      m_repo.write(path, text);
    }
    m_base = m_repo.commit_all("base: real code from Debian and npm packages");
    m_repo.git({"tag", "base"});

    // Units worth copying: functions and methods of a reasonable size.
    std::vector<SourceUnit> units;
    for (const auto& [path, text] : m_base_files) {
      const auto* language = syntax::language_for_path(path);
      if (language == nullptr) {
        continue;
      }
      auto parsed = syntax::parse_units(language->id, text);
      for (const auto& unit : parsed.units) {
        int lines = unit.end_line - unit.start_line + 1;
        if ((unit.kind == syntax::UnitKind::function ||
             (unit.kind == syntax::UnitKind::method && language->id == "python")) &&
            unit.tokens.size() >= 60 && lines >= 6 && lines <= 60 && !unit.name.empty() &&
            !unit.name.starts_with("__")) {
          units.push_back({path, std::string(language->id), dedent(text, unit), unit.name,
                           unit.defines, unit.start_line});
        }
      }
    }
    std::vector<std::string> base_paths;
    for (const auto& [path, text] : m_base_files) {
      base_paths.push_back(path);
    }

    Lcg rng(20261125);
    const std::vector<std::string> kinds = {"renamed", "edited", "moved"};
    std::set<std::size_t> used;
    for (const auto& kind : kinds) {
      for (int i = 0; i < clones_per_kind && used.size() < units.size(); ++i) {
        std::size_t pick = rng.next(units.size());
        while (used.contains(pick)) {
          pick = (pick + 1) % units.size();
        }
        used.insert(pick);
        const auto& unit = units[pick];
        std::string copy = rename(unit.text, unit.defines);
        if (kind == "edited") {
          copy = insert_statements(copy, unit.language);
        }
        std::string target;
        if (kind == "edited") {
          target = unit.path;
        } else if (kind == "moved") {
          target =
              "extra/copied_" + std::to_string(i) + (unit.language == "python" ? ".py" : ".js");
        } else {
          do {
            target = base_paths[rng.next(base_paths.size())];
          } while (syntax::language_for_path(target)->id != unit.language || target == unit.path);
        }
        EvalCase c;
        c.id = "clone-" + kind + "-" + std::to_string(i);
        c.kind = kind;
        c.clone = true;
        c.file = target;
        c.source = unit.path + ":" + std::to_string(unit.start_line);
        std::string before = kind == "moved" ? "" : m_base_files[target];
        if (!before.empty() && before.back() != '\n') {
          before += "\n";
        }
        before += "\n\n";
        c.start_line = lines_in(before) + 1;
        c.end_line = lines_in(before) + lines_in(copy);
        commit_case(c, {{target, before + copy}});
      }
    }

    // Honest changes: real code that is new to the repository.
    std::vector<fs::path> fresh;
    for (const auto& entry : fs::recursive_directory_iterator(corpus_dir() / "new")) {
      if (entry.is_regular_file()) {
        fresh.push_back(entry.path());
      }
    }
    std::sort(fresh.begin(), fresh.end());
    for (int i = 0; i < honest_per_kind; ++i) {
      const auto& file = fresh[static_cast<std::size_t>(i) % fresh.size()];
      std::string text = slurp(file);
      bool python = file.extension() == ".py";
      EvalCase c;
      c.kind = "new-file";
      c.id = "honest-new-file-" + std::to_string(i);
      commit_case(c, {{(python ? "lib/" : "js/") + file.stem().string() + "_new" +
                           file.extension().string(),
                       text}});
    }
    for (int i = 0; i < honest_per_kind; ++i) {
      const auto& file = fresh[rng.next(fresh.size())];
      std::string text = slurp(file);
      const auto* language = syntax::language_for_path(file.string());
      auto parsed = syntax::parse_units(language->id, text);
      std::string added;
      int taken = 0;
      for (std::size_t u = rng.next(parsed.units.size() / 2 + 1);
           u < parsed.units.size() && taken < 2; ++u) {
        const auto& unit = parsed.units[u];
        if (unit.kind == syntax::UnitKind::function && unit.tokens.size() >= 30) {
          added += "\n\n" + dedent(text, unit);
          ++taken;
        }
      }
      if (added.empty()) {
        continue;
      }
      std::string target;
      do {
        target = base_paths[rng.next(base_paths.size())];
      } while (syntax::language_for_path(target)->id != language->id);
      EvalCase c;
      c.kind = "append";
      c.id = "honest-append-" + std::to_string(i);
      commit_case(c, {{target, m_base_files[target] + added}});
    }
    for (int i = 0; i < honest_per_kind; ++i) {
      const auto& unit = units[rng.next(units.size())];
      std::string text = m_base_files[unit.path];
      // Insert two statements into the function where it is.
      std::string edited = insert_statements(unit.text, unit.language);
      std::size_t line_start = 0;
      for (int l = 1; l < unit.start_line; ++l) {
        line_start = text.find('\n', line_start) + 1;
      }
      std::size_t at = text.find(unit.text.substr(0, unit.text.find('\n')), line_start);
      if (at == std::string::npos) {
        continue;
      }
      // Re-indent the edited text to the original's indentation.
      std::string indent = text.substr(line_start, at - line_start);
      std::string reindented;
      std::istringstream in(edited);
      bool first = true;
      for (std::string line; std::getline(in, line);) {
        reindented += (first || line.empty() ? "" : indent) + line + "\n";
        first = false;
      }
      std::size_t old_end = at;
      {
        std::istringstream orig(unit.text);
        for (std::string line; std::getline(orig, line);) {
          old_end = text.find('\n', old_end) + 1;
        }
      }
      EvalCase c;
      c.kind = "edit";
      c.id = "honest-edit-" + std::to_string(i);
      commit_case(c, {{unit.path, text.substr(0, at) + reindented + text.substr(old_end)}});
    }
    m_repo.git({"checkout", "-q", "--detach", "base"});
  }

  const std::vector<EvalCase>& cases() const { return m_cases; }
  const fs::path& dir() const { return m_repo.dir(); }

  // Runs the clone analyzer on every case (commit by commit, as `agate check --commit` would).
  EvalSummary run(std::map<std::string, EvalOutcome>* outcomes = nullptr) {
    EvalSummary summary;
    auto repo = gate::Repository::open(m_repo.dir());
    if (!repo) {
      throw std::runtime_error(repo.error());
    }
    gate::GitRepositoryView view(*repo);
    auto policy = gate::default_policy();
    for (const auto& c : m_cases) {
      gate::Selection selection;
      selection.mode = gate::SelectionMode::commit;
      selection.rev = c.commit;
      auto start = std::chrono::steady_clock::now();
      auto loaded = gate::load_changes(*repo, selection, {});
      if (!loaded) {
        throw std::runtime_error(loaded.error());
      }
      syntax::SyntaxCache cache;
      analyzers::AnalysisContext context{*loaded, repo->content(), cache, policy, &view};
      analyzers::CloneAnalyzer analyzer;
      std::vector<gate::Finding> findings;
      for (const auto& change : loaded->changes) {
        auto found = analyzer.analyze(context, change);
        findings.insert(findings.end(), found.begin(), found.end());
      }
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      EvalOutcome outcome;
      outcome.seconds = seconds;
      for (const auto& f : findings) {
        if (!f.rule.starts_with("duplication/")) {
          continue;
        }
        outcome.any = true;
        outcome.error = outcome.error || f.severity == gate::Severity::error;
        if (c.clone && f.rule == "duplication/clone" && f.file == c.file && f.line <= c.end_line &&
            c.start_line <= f.end_line) {
          outcome.found = true;
        }
      }
      summary.total_seconds += seconds;
      summary.case_seconds.push_back(seconds);
      if (c.clone) {
        ++summary.clones;
        summary.found += outcome.found ? 1 : 0;
        if (!outcome.found) {
          summary.missed.push_back(c.id + " " + c.file + ":" + std::to_string(c.start_line) +
                                   " (from " + c.source + ")");
        }
      } else {
        ++summary.honest;
        summary.honest_error += outcome.error ? 1 : 0;
        summary.honest_any += outcome.any ? 1 : 0;
        if (outcome.any) {
          std::string what;
          for (const auto& f : findings) {
            what += " [" + std::string(gate::to_string(f.severity)) + " " + f.file + ":" +
                    std::to_string(f.line) + " " + f.message + "]";
          }
          summary.false_alarms.push_back(c.id + what);
        }
      }
      if (outcomes != nullptr) {
        (*outcomes)[c.id] = outcome;
      }
    }
    return summary;
  }

private:
  void commit_case(EvalCase c, const std::map<std::string, std::string>& files) {
    m_repo.git({"checkout", "-q", "--detach", "base"});
    for (const auto& [path, text] : files) {
      m_repo.write(path, text);
    }
    c.commit = m_repo.commit_all(c.id);
    m_repo.git({"tag", c.id});
    m_cases.push_back(std::move(c));
  }

  test::GitRepo m_repo;
  std::map<std::string, std::string> m_base_files;
  std::string m_base;
  std::vector<EvalCase> m_cases;
};

} // namespace agate::eval
