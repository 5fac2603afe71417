// A finding's anchor and fingerprint; see anchor.hpp.
#include "gate/report/anchor.hpp"

#include "gate/util/sha256.hpp"

#include <algorithm>
#include <cstdlib>

namespace agate::gate {

namespace {

// `text` with runs of whitespace made one space and the ends trimmed: re-indenting or re-wrapping
// code does not make it another finding.
std::string normalized(const std::string& text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += ch;
  }
  return out;
}

std::string without_digits(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch < '0' || ch > '9') {
      out += ch;
    }
  }
  return out;
}

const Change* change_labelled(const ChangeSet& change_set, const std::string& label) {
  for (const auto& change : change_set.changes) {
    if (change.label == label) {
      return &change;
    }
  }
  return nullptr;
}

// The change whose diff a reviewer sees: the range as a whole, else the last change.
const Change* shown_change(const ChangeSet& change_set) {
  for (const auto& change : change_set.changes) {
    if (change.kind == ChangeKind::range) {
      return &change;
    }
  }
  return change_set.changes.empty() ? nullptr : &change_set.changes.back();
}

const FileChange* file_with_new_path(const Change& change, const std::string& path) {
  for (const auto& file : change.files) {
    if (file.new_path == path) {
      return &file;
    }
  }
  return nullptr;
}

const FileChange* file_with_old_path(const Change& change, const std::string& path) {
  for (const auto& file : change.files) {
    if (file.old_path == path) {
      return &file;
    }
  }
  return nullptr;
}

bool shows_new_line(const FileChange& file, int line) {
  for (const auto& hunk : file.hunks) {
    for (const auto& diff_line : hunk.lines) {
      if (diff_line.new_line == line) {
        return true;
      }
    }
  }
  return false;
}

// The first line a file's diff shows on its new side, an added line preferred; 0 when none.
int first_shown_line(const FileChange& file) {
  int kept = 0;
  for (const auto& hunk : file.hunks) {
    for (const auto& diff_line : hunk.lines) {
      if (diff_line.origin == '+') {
        return diff_line.new_line;
      }
      if (kept == 0 && diff_line.new_line > 0) {
        kept = diff_line.new_line;
      }
    }
  }
  return kept;
}

// The whole change's place: the first surviving file of the shown change.
void anchor_on_change(Anchor& anchor, const ChangeSet& change_set) {
  anchor.moved = true;
  const Change* change = shown_change(change_set);
  if (change == nullptr) {
    return;
  }
  for (const auto& file : change->files) {
    if (file.new_path.empty() || file.status == FileStatus::deleted) {
      continue;
    }
    anchor.path = file.new_path;
    anchor.line = first_shown_line(file);
    anchor.end_line = anchor.line;
    anchor.in_diff = anchor.line > 0;
    return;
  }
}

// Deleted lines first..last of `file`: the nearest line of the same hunk that the new file keeps,
// and the deleted lines to quote. False when no hunk holds those lines or none of its lines
// survives.
bool anchor_on_deletion(Anchor& anchor, const FileChange& file, int first, int last) {
  for (const auto& hunk : file.hunks) {
    std::vector<std::size_t> deleted;
    for (std::size_t i = 0; i < hunk.lines.size(); ++i) {
      const auto& diff_line = hunk.lines[i];
      if (diff_line.origin == '-' && diff_line.old_line >= first && diff_line.old_line <= last) {
        deleted.push_back(i);
      }
    }
    if (deleted.empty()) {
      continue;
    }
    for (std::size_t i : deleted) {
      if (anchor.deleted_code.size() < k_max_quoted_lines) {
        anchor.deleted_code.push_back(hunk.lines[i].text);
      }
    }
    // Outward from the deleted block: the line after it first (where the code was), then before.
    std::size_t low = deleted.front();
    std::size_t high = deleted.back();
    for (std::size_t step = 1; step <= hunk.lines.size(); ++step) {
      if (high + step < hunk.lines.size() && hunk.lines[high + step].new_line > 0) {
        anchor.line = hunk.lines[high + step].new_line;
        break;
      }
      if (low >= step && hunk.lines[low - step].new_line > 0) {
        anchor.line = hunk.lines[low - step].new_line;
        break;
      }
    }
    if (anchor.line == 0 || file.new_path.empty()) {
      anchor.line = 0;
      return false;
    }
    anchor.path = file.new_path;
    anchor.end_line = anchor.line;
    return true;
  }
  return false;
}

// The lines first..last of an old-side finding of `own` as the shown change deletes them: the
// deleted lines of the shown file whose text is the finding's deleted code, found in one block of
// the shown diff. Sets old_path, old_line and old_end_line when they are there.
void anchor_on_left(Anchor& anchor, const FileChange& own, const FileChange& shown, int first,
                    int last) {
  std::vector<std::string> texts;
  for (const auto& hunk : own.hunks) {
    for (const auto& diff_line : hunk.lines) {
      if (diff_line.origin == '-' && diff_line.old_line >= first && diff_line.old_line <= last) {
        texts.push_back(diff_line.text);
      }
    }
  }
  if (texts.empty()) {
    return;
  }
  for (const auto& hunk : shown.hunks) {
    for (std::size_t i = 0; i < hunk.lines.size(); ++i) {
      std::size_t matched = 0;
      while (matched < texts.size() && i + matched < hunk.lines.size() &&
             hunk.lines[i + matched].origin == '-' &&
             hunk.lines[i + matched].text == texts[matched]) {
        ++matched;
      }
      if (matched == texts.size()) {
        anchor.old_path = shown.new_path.empty() ? shown.old_path : shown.new_path;
        anchor.old_line = hunk.lines[i].old_line;
        anchor.old_end_line = hunk.lines[i + matched - 1].old_line;
        return;
      }
    }
  }
}

} // namespace

std::string finding_fingerprint(const Finding& finding, const std::vector<std::string>& code) {
  std::string unit;
  if (finding.evidence.is_object() && finding.evidence.contains("unit") &&
      finding.evidence["unit"].is_string()) {
    unit = finding.evidence["unit"].get<std::string>();
  }
  std::string joined;
  for (const auto& line : code) {
    joined += line;
    joined += '\n';
  }
  std::string text = normalized(joined);
  if (text.empty() && unit.empty()) {
    text = without_digits(finding.message);
  }
  std::string input = finding.rule;
  for (const std::string* part : {&finding.file, static_cast<const std::string*>(&unit),
                                  static_cast<const std::string*>(&text)}) {
    input += '\0';
    input += *part;
  }
  return sha256_hex(input).substr(0, 16);
}

Anchor own_anchor(const Finding& finding, const std::vector<std::string>& code) {
  Anchor anchor;
  if (!finding.file.empty() && finding.side == Side::new_side) {
    anchor.path = finding.file;
    anchor.line = finding.line;
    anchor.end_line = std::max(finding.line, finding.end_line);
  } else {
    anchor.moved = true;
  }
  anchor.fingerprint = finding_fingerprint(finding, code);
  return anchor;
}

Anchor anchor_finding(const Finding& finding, const ChangeSet& change_set,
                      const std::vector<std::string>& code) {
  Anchor anchor;
  const Change* shown = shown_change(change_set);
  if (finding.file.empty()) {
    anchor_on_change(anchor, change_set);
  } else if (finding.side == Side::new_side) {
    anchor.path = finding.file;
    anchor.line = finding.line;
    anchor.end_line = std::max(finding.line, finding.end_line);
    const FileChange* file = shown ? file_with_new_path(*shown, finding.file) : nullptr;
    anchor.in_diff = file != nullptr && finding.line > 0 && shows_new_line(*file, finding.line);
  } else {
    anchor.moved = true;
    const Change* own = change_labelled(change_set, finding.change);
    const FileChange* file = own ? file_with_old_path(*own, finding.file) : nullptr;
    int last = std::max(finding.line, finding.end_line);
    const FileChange* shown_file = shown ? file_with_old_path(*shown, finding.file) : nullptr;
    if (file != nullptr && shown_file != nullptr && finding.line > 0) {
      anchor_on_left(anchor, *file, *shown_file, finding.line, last);
    }
    bool placed = file != nullptr && finding.line > 0 &&
                  anchor_on_deletion(anchor, *file, finding.line, last);
    if (placed) {
      const FileChange* seen = shown ? file_with_new_path(*shown, anchor.path) : nullptr;
      anchor.in_diff = seen != nullptr && shows_new_line(*seen, anchor.line);
    } else {
      // A deleted file, or lines the diff does not hold: the deleted code is still quoted when
      // the diff has it, and the finding is placed on the change.
      Anchor left = std::move(anchor);
      anchor = Anchor{};
      anchor_on_change(anchor, change_set);
      anchor.deleted_code = std::move(left.deleted_code);
      anchor.old_path = std::move(left.old_path);
      anchor.old_line = left.old_line;
      anchor.old_end_line = left.old_end_line;
    }
  }
  const auto& fingerprint_code =
      finding.side == Side::old_side && !anchor.deleted_code.empty() ? anchor.deleted_code : code;
  anchor.fingerprint = finding_fingerprint(finding, fingerprint_code);
  return anchor;
}

} // namespace agate::gate
