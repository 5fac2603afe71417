// The size analyzer: is a change small and focused enough to review well?
//
// Rules:
// - `size/oversized-change`: more changed lines (added + deleted) than size.warn_lines
//   (warning) or size.error_lines (error), or more files than size.warn_files (warning).
// - `size/scattered-change` (warning): the change touches more than size.scattered_dirs
//   directories and splits into at least size.scattered_parts independent parts: the
//   multi-purpose change agents are prone to.
//
// Beyond counting lines (what PR-size labelers do), it reads the units (functions, methods,
// classes, tests) the change touches on both sides and groups them into independent parts:
// touched units are nodes, joined when they are in the same file or when one references the
// other's name. Each connected group is a change that could be reviewed, and merged, on its
// own; the findings carry that split as a suggestion (evidence.suggested_split).
//
// Files that are generated, vendored, lock files, prompt records or ignored do not count.
// A range is judged commit by commit and as a whole; a range of one commit is judged once.
#pragma once

#include "analyzers/analyzer.hpp"

#include <string>
#include <vector>

namespace agate::analyzers {

// One group of changed code that neither shares a file with, nor references, any other group.
struct ChangePart {
  std::vector<std::string> files; // by changed lines, largest first
  std::vector<std::string> units; // qualified names of touched units, most changed first
  int changed_lines = 0;
};

struct ChangeSize {
  int added_lines = 0;
  int deleted_lines = 0;
  int changed_lines = 0; // added + deleted
  int files = 0;         // counted files (not excluded)
  int excluded_files = 0;
  // Changed lines of the excluded files (generated, vendored, lock files, prompt records,
  // ignored: judged from the base for files that existed there), shown beside the count.
  int excluded_lines = 0;
  int units_touched = 0; // functions, methods, types and tests with a changed line
  int new_units = 0;     // touched units whose name is absent from the old file
  // The directories the change spreads over: the directories directly below the deepest
  // directory holding every changed file, and that directory itself for files directly in it
  // ("." for the repository root). For a change across the repository these are its top-level
  // directories; for one inside src/, the directories below src/.
  std::vector<std::string> directories;
  bool units_measured = false;          // false when measure_change was asked not to parse
  std::vector<ChangePart> parts;        // code parts (parsed languages), largest first
  std::vector<std::string> other_files; // changed files with no code to group: docs, config,
                                        // binary, languages agate does not parse
};

// Counts a change. With `with_units`, parses the parseable files (through the syntax cache)
// to count units and to split the change into parts; without, only lines, files, directories.
ChangeSize measure_change(const AnalysisContext& context, const gate::Change& change,
                          bool with_units);

// Parts with fewer changed lines than this do not count toward a scattered change (a one-line
// drive-by fix is not a second purpose worth a warning)...
inline constexpr int scattered_min_part_lines = 5;
// ...and changes with fewer changed lines than this are never scattered.
inline constexpr int scattered_min_lines = 20;

class SizeAnalyzer : public Analyzer {
public:
  std::string_view name() const override { return "size"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;
};

} // namespace agate::analyzers
