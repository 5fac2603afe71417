// Where a finding is shown and how it is recognised again: its anchor and its fingerprint.
//
// A finding names the place an analyzer saw: lines of the new file, lines of the old file
// (deleted code), a file as a whole, or the whole change. The places a reviewer looks at (a
// pull request's diff, a code scanning alert, a merge request's Code Quality widget) only show
// files and lines that exist at the analysed revision. The anchor is such a place:
//   - a new-side finding: its own file and lines;
//   - an old-side finding on deleted lines: the nearest surviving line of the same hunk (a line
//     of the new file), with the deleted code kept to be quoted;
//   - a deleted file or a whole-change finding: the first line the change added (or kept) in the
//     first file that survives it; no path when no file survives.
// `in_diff` says whether the anchor line is one the diff shows (a pull-request review comment
// can only sit on such a line).
//
// The fingerprint identifies a finding across pushes, whatever its line: a hash of the rule, the
// path, the unit (the function or class the evidence names) and the code with its whitespace
// normalized. Without code or unit, the message with its digits removed stands in for the code,
// so that a count that changes ("1200 changed lines") does not make a new finding. The publisher,
// SARIF (`partialFingerprints`) and Code Quality (`fingerprint`) all use this one definition.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/finding.hpp"

#include <string>
#include <vector>

namespace agate::gate {

struct Anchor {
  std::string path;     // exists at the analysed revision; empty: no surviving file to point at
  int line = 0;         // 1-based line of the new file; 0: the file as a whole
  int end_line = 0;     // inclusive, >= line
  bool in_diff = false; // the diff shows `line` on its new side
  bool moved = false;   // not the finding's own place (deleted code, a deleted file, a change)
  std::vector<std::string> deleted_code; // the deleted lines an old-side finding is about
  // An old-side finding whose deleted lines the shown diff holds as deleted lines (a pull
  // request's diff, where a review comment can sit on the left side): the file's path in that
  // diff and the lines of its old side; 0 when the diff does not show them deleted.
  std::string old_path;
  int old_line = 0;
  int old_end_line = 0;
  std::string fingerprint; // 16 lowercase hex digits
};

// At most this many deleted lines are kept to be quoted.
inline constexpr std::size_t k_max_quoted_lines = 12;

// The anchor of `finding` in `change_set` (its own change for deleted lines; the range as a whole,
// when there is one, for what the diff shows), with its fingerprint computed from `code` (the
// finding's new-side lines; the deleted lines are taken from the diff).
Anchor anchor_finding(const Finding& finding, const ChangeSet& change_set,
                      const std::vector<std::string>& code);

// The anchor a finding has when nothing but itself is known: its own place (the whole change and
// old-side lines have none), its fingerprint from `code`.
Anchor own_anchor(const Finding& finding, const std::vector<std::string>& code);

// The fingerprint defined above.
std::string finding_fingerprint(const Finding& finding, const std::vector<std::string>& code);

} // namespace agate::gate
