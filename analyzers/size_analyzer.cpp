// The size analyzer: counts a change (lines, files, units, directories), splits it into
// independent parts, and reports changes that are too large or scattered to review well.
//
// Splitting: every changed line of a parsed file is attributed to the innermost named unit
// (function, method, type, test) that holds it, on its own side (added lines in the new file,
// deleted lines in the old one). Files are joined when a touched unit of one references the
// name of a touched unit of another (a caller updated with its callee, a test with the code it
// tests, a rename with its call sites); the connected groups of files are the parts. Files in
// languages agate does not parse (docs, config, data) are listed apart: they usually go with
// whichever part they describe, and they never make a change look scattered on their own.
#include "analyzers/size_analyzer.hpp"

#include "gate/core/rule_catalog.hpp"
#include "gate/util/path_util.hpp"

#include "analyzers/syntax/syntax_cache.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

namespace agate::analyzers {

namespace {

using gate::Finding;
using gate::Severity;

bool counts_as_unit(const syntax::Unit& unit) {
  switch (unit.kind) {
  case syntax::UnitKind::function:
  case syntax::UnitKind::method:
  case syntax::UnitKind::type:
  case syntax::UnitKind::test:
    return !unit.name.empty();
  case syntax::UnitKind::import:
  case syntax::UnitKind::guard:
    return false;
  }
  return false;
}

std::string unit_key(const syntax::Unit& unit) {
  return unit.qualified_name.empty() ? unit.name : unit.qualified_name;
}

struct TouchedUnit {
  std::string name; // simple name, what references use
  int changed_lines = 0;
  bool on_new_side = false;
  std::set<std::string> references;
};

struct FileMeasure {
  std::string path;
  int changed_lines = 0;
  std::map<std::string, TouchedUnit> units; // by qualified name
  int new_units = 0;
};

// Attributes the sorted changed `lines` of one side to the innermost unit holding each.
void attribute(const syntax::ParsedFile& parsed, const std::vector<int>& lines, bool new_side,
               std::map<std::string, TouchedUnit>& touched) {
  if (lines.empty()) {
    return;
  }
  std::vector<const syntax::Unit*> owner(lines.size(), nullptr);
  // Units come in source order, outer before inner: a later unit that holds a line is inside
  // the earlier one, so the last assignment is the innermost unit.
  for (const auto& unit : parsed.units) {
    if (!counts_as_unit(unit)) {
      continue;
    }
    auto first = std::lower_bound(lines.begin(), lines.end(), unit.start_line);
    auto last = std::upper_bound(lines.begin(), lines.end(), unit.end_line);
    for (auto it = first; it < last; ++it) {
      owner[static_cast<std::size_t>(it - lines.begin())] = &unit;
    }
  }
  for (const auto* unit : owner) {
    if (unit == nullptr) {
      continue;
    }
    auto& entry = touched[unit_key(*unit)];
    entry.name = unit->name;
    entry.changed_lines += 1;
    entry.on_new_side = entry.on_new_side || new_side;
    entry.references.insert(unit->references.begin(), unit->references.end());
  }
}

std::shared_ptr<const syntax::ParsedFile>
parse_side(const AnalysisContext& context, const std::string& oid, const std::string& language) {
  if (oid.empty()) {
    return nullptr;
  }
  auto content = context.contents.blob(oid);
  if (!content) {
    return nullptr;
  }
  return context.syntax.parse(oid, language, *content);
}

FileMeasure measure_file(const AnalysisContext& context, const gate::FileChange& file) {
  FileMeasure measure;
  measure.path = file.path();
  measure.changed_lines = file.added_lines + file.deleted_lines;
  std::vector<int> added;
  std::vector<int> deleted;
  for (const auto& hunk : file.hunks) {
    for (const auto& line : hunk.lines) {
      if (line.origin == '+' && line.new_line > 0) {
        added.push_back(line.new_line);
      } else if (line.origin == '-' && line.old_line > 0) {
        deleted.push_back(line.old_line);
      }
    }
  }
  std::sort(added.begin(), added.end());
  std::sort(deleted.begin(), deleted.end());
  auto old_file = parse_side(context, file.old_oid, file.language);
  auto new_file = parse_side(context, file.new_oid, file.language);
  if (old_file) {
    attribute(*old_file, deleted, /*new_side=*/false, measure.units);
  }
  if (new_file) {
    attribute(*new_file, added, /*new_side=*/true, measure.units);
  }
  std::set<std::string> old_names;
  if (old_file) {
    for (const auto& unit : old_file->units) {
      if (counts_as_unit(unit)) {
        old_names.insert(unit_key(unit));
      }
    }
  }
  for (const auto& [key, unit] : measure.units) {
    if (unit.on_new_side && !old_names.contains(key)) {
      ++measure.new_units;
    }
  }
  return measure;
}

std::vector<std::string> split_path(std::string_view path) {
  auto segments = gate::split_path(path);
  return {segments.begin(), segments.end()};
}

// The directories directly below the deepest directory that holds every path.
std::vector<std::string> spread_directories(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return {};
  }
  std::vector<std::vector<std::string>> dirs;
  for (const auto& path : paths) {
    auto segments = split_path(path);
    if (!segments.empty()) {
      segments.pop_back();
    }
    dirs.push_back(std::move(segments));
  }
  std::size_t common = dirs.front().size();
  for (const auto& d : dirs) {
    std::size_t k = 0;
    while (k < common && k < d.size() && d[k] == dirs.front()[k]) {
      ++k;
    }
    common = k;
  }
  std::set<std::string> areas;
  for (const auto& d : dirs) {
    std::string area;
    for (std::size_t k = 0; k < d.size() && k <= common; ++k) {
      area += (area.empty() ? "" : "/") + d[k];
    }
    areas.insert(area.empty() ? "." : area);
  }
  return {areas.begin(), areas.end()};
}

struct DisjointSets {
  std::vector<std::size_t> parent;
  explicit DisjointSets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void unite(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

std::vector<ChangePart> split_into_parts(const std::vector<FileMeasure>& code_files) {
  DisjointSets sets(code_files.size());
  std::map<std::string, std::vector<std::size_t>> files_by_unit_name;
  for (std::size_t i = 0; i < code_files.size(); ++i) {
    for (const auto& [key, unit] : code_files[i].units) {
      files_by_unit_name[unit.name].push_back(i);
    }
  }
  for (std::size_t i = 0; i < code_files.size(); ++i) {
    for (const auto& [key, unit] : code_files[i].units) {
      for (const auto& reference : unit.references) {
        auto it = files_by_unit_name.find(reference);
        if (it == files_by_unit_name.end()) {
          continue;
        }
        for (auto j : it->second) {
          sets.unite(i, j);
        }
      }
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < code_files.size(); ++i) {
    groups[sets.find(i)].push_back(i);
  }
  std::vector<ChangePart> parts;
  for (auto& [root, members] : groups) {
    std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      if (code_files[a].changed_lines != code_files[b].changed_lines) {
        return code_files[a].changed_lines > code_files[b].changed_lines;
      }
      return code_files[a].path < code_files[b].path;
    });
    ChangePart part;
    std::vector<std::pair<int, std::string>> units;
    for (auto i : members) {
      part.files.push_back(code_files[i].path);
      part.changed_lines += code_files[i].changed_lines;
      for (const auto& [key, unit] : code_files[i].units) {
        units.emplace_back(unit.changed_lines, key);
      }
    }
    std::sort(units.begin(), units.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (auto& [lines, key] : units) {
      part.units.push_back(std::move(key));
    }
    parts.push_back(std::move(part));
  }
  std::sort(parts.begin(), parts.end(), [](const ChangePart& a, const ChangePart& b) {
    if (a.changed_lines != b.changed_lines) {
      return a.changed_lines > b.changed_lines;
    }
    return a.files.front() < b.files.front();
  });
  return parts;
}

// ---- messages ------------------------------------------------------------------------------

std::string plural(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string list_some(const std::vector<std::string>& items, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) {
    out += (i == 0 ? "" : ", ") + items[i];
  }
  if (items.size() > shown) {
    out += " and " + std::to_string(items.size() - shown) + " more";
  }
  return out;
}

// A short name for a part: its file, the directory its files share, or its largest files;
// with its size.
std::string part_label(const ChangePart& part) {
  const std::string lines = plural(part.changed_lines, "line", "lines");
  if (part.files.size() == 1) {
    return part.files.front() + " (" + lines + ")";
  }
  auto common = split_path(part.files.front());
  common.pop_back();
  for (const auto& file : part.files) {
    auto segments = split_path(file);
    segments.pop_back();
    std::size_t k = 0;
    while (k < common.size() && k < segments.size() && segments[k] == common[k]) {
      ++k;
    }
    common.resize(k);
  }
  const int files = static_cast<int>(part.files.size());
  if (!common.empty()) {
    std::string dir;
    for (const auto& segment : common) {
      dir += segment + "/";
    }
    return dir + " (" + std::to_string(files) + " files, " + lines + ")";
  }
  if (files == 2) {
    return part.files[0] + ", " + part.files[1] + " (" + lines + ")";
  }
  return part.files.front() + " and " + std::to_string(files - 1) + " other files (" + lines + ")";
}

std::string parts_summary(const std::vector<ChangePart>& parts, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < shown; ++i) {
    out += (i == 0 ? "" : ", ") + part_label(parts[i]);
  }
  if (parts.size() > shown) {
    out += " and " + std::to_string(parts.size() - shown) + " more";
  }
  return out;
}

std::string parts_detail(const ChangeSize& size) {
  std::string out;
  for (std::size_t i = 0; i < size.parts.size(); ++i) {
    const auto& part = size.parts[i];
    out += (i == 0 ? "" : "; ") + std::string("(") + std::to_string(i + 1) + ") " +
           list_some(part.files, 3);
    if (!part.units.empty()) {
      out += " [" + list_some(part.units, 3) + "]";
    }
    out += ", " + plural(part.changed_lines, "line", "lines");
  }
  if (!size.other_files.empty()) {
    out += "; other files, to go with the part they describe: " + list_some(size.other_files, 5);
  }
  return out;
}

nlohmann::json evidence_for(const ChangeSize& size, const gate::SizePolicy& limits) {
  // Evidence stays readable in JSON, SARIF and annotations: at most 20 parts, and at most 20
  // files and units per part, with the counts of what was left out.
  static constexpr std::size_t k_max_listed = 20;
  auto capped = [](const std::vector<std::string>& names) {
    return std::vector<std::string>(
        names.begin(),
        names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), k_max_listed)));
  };
  nlohmann::json split = nlohmann::json::array();
  for (const auto& part : size.parts) {
    if (split.size() == k_max_listed) {
      break;
    }
    nlohmann::json entry = {{"files", capped(part.files)},
                            {"units", capped(part.units)},
                            {"changed_lines", part.changed_lines}};
    if (part.files.size() > k_max_listed) {
      entry["more_files"] = part.files.size() - k_max_listed;
    }
    if (part.units.size() > k_max_listed) {
      entry["more_units"] = part.units.size() - k_max_listed;
    }
    split.push_back(std::move(entry));
  }
  return {{"changed_lines", size.changed_lines},
          {"added_lines", size.added_lines},
          {"deleted_lines", size.deleted_lines},
          {"files", size.files},
          {"excluded_files", size.excluded_files},
          {"excluded_lines", size.excluded_lines},
          {"units_touched", size.units_touched},
          {"new_units", size.new_units},
          {"directories", size.directories},
          {"parts", size.parts.size()},
          {"suggested_split", split},
          {"other_files", size.other_files},
          {"limits",
           {{"warn_lines", limits.warn_lines},
            {"error_lines", limits.error_lines},
            {"warn_files", limits.warn_files},
            {"scattered_dirs", limits.scattered_dirs},
            {"scattered_parts", limits.scattered_parts}}}};
}

int substantial_parts(const ChangeSize& size) {
  return static_cast<int>(std::count_if(size.parts.begin(), size.parts.end(), [](const auto& p) {
    return p.changed_lines >= scattered_min_part_lines;
  }));
}

bool may_be_scattered(const ChangeSize& size, const gate::SizePolicy& limits) {
  return size.changed_lines >= scattered_min_lines &&
         static_cast<int>(size.directories.size()) > limits.scattered_dirs;
}

std::optional<Finding> oversized(const ChangeSize& size, const gate::SizePolicy& limits,
                                 const gate::Change& change) {
  const bool too_many_lines = size.changed_lines > limits.warn_lines;
  const bool too_many_files = size.files > limits.warn_files;
  if (!too_many_lines && !too_many_files) {
    return std::nullopt;
  }
  Finding finding;
  finding.rule = gate::rule::size_oversized_change;
  finding.severity = size.changed_lines > limits.error_lines ? Severity::error : Severity::warning;
  finding.change = change.label;
  std::string limit;
  if (too_many_lines) {
    limit = "the limit is " + std::to_string(limits.error_lines) + " (error) / " +
            std::to_string(limits.warn_lines) + " (warning)";
    if (too_many_files) {
      limit += " lines and " + std::to_string(limits.warn_files) + " files";
    }
  } else {
    limit = "the limit is " + std::to_string(limits.warn_files) + " files (warning)";
  }
  finding.message =
      "change is too large to review well: " +
      plural(size.changed_lines, "changed line", "changed lines") + " (+" +
      std::to_string(size.added_lines) + " -" + std::to_string(size.deleted_lines) + ") in " +
      plural(size.files, "file", "files") + ", " + plural(size.units_touched, "unit", "units") +
      " touched" +
      (size.excluded_lines > 0
           ? " (and " + plural(size.excluded_lines, "line", "lines") + " in " +
                 plural(size.excluded_files, "excluded file", "excluded files") + ", not counted)"
           : "") +
      "; " + limit;
  if (size.parts.size() >= 2) {
    finding.message += "; it splits into " + std::to_string(size.parts.size()) +
                       " independent parts: " + parts_summary(size.parts, 3);
    finding.hint =
        "Review and merge it as separate changes, one per independent part: " + parts_detail(size) +
        ".";
  } else {
    finding.hint = "Its code is one connected piece: split it into steps that each build and "
                   "pass the tests (e.g. moves and renames first, then behaviour, then new "
                   "features), or raise size.warn_lines / size.error_lines in .agate/config.json "
                   "if changes this large are normal here.";
    if (!size.parts.empty() || !size.other_files.empty()) {
      finding.hint += " Its parts: " + parts_detail(size) + ".";
    }
  }
  finding.evidence = evidence_for(size, limits);
  return finding;
}

std::optional<Finding> scattered(const ChangeSize& size, const gate::SizePolicy& limits,
                                 const gate::Change& change) {
  if (!may_be_scattered(size, limits)) {
    return std::nullopt;
  }
  const int parts = substantial_parts(size);
  if (parts < limits.scattered_parts) {
    return std::nullopt;
  }
  Finding finding;
  finding.rule = gate::rule::size_scattered_change;
  finding.severity = Severity::warning;
  finding.change = change.label;
  finding.message =
      "change is scattered: it touches " +
      plural(static_cast<int>(size.directories.size()), "directory", "directories") + " (" +
      list_some(size.directories, 6) + ") and splits into " + std::to_string(size.parts.size()) +
      " independent parts that do not reference each other: " + parts_summary(size.parts, 4);
  finding.hint = "A change that does several unrelated things is hard to review and to revert: "
                 "make one change per part: " +
                 parts_detail(size) + ".";
  finding.evidence = evidence_for(size, limits);
  finding.evidence["substantial_parts"] = parts;
  return finding;
}

} // namespace

ChangeSize measure_change(const AnalysisContext& context, const gate::Change& change,
                          bool with_units) {
  ChangeSize size;
  size.units_measured = with_units;
  std::vector<std::string> paths;
  std::vector<FileMeasure> code_files;
  for (const auto& file : change.files) {
    if (file.excluded()) {
      ++size.excluded_files;
      size.excluded_lines += file.added_lines + file.deleted_lines;
      continue;
    }
    ++size.files;
    size.added_lines += file.added_lines;
    size.deleted_lines += file.deleted_lines;
    paths.push_back(file.path());
    if (!with_units) {
      continue;
    }
    if (!file.parseable()) {
      size.other_files.push_back(file.path());
      continue;
    }
    auto measure = measure_file(context, file);
    size.units_touched += static_cast<int>(measure.units.size());
    size.new_units += measure.new_units;
    code_files.push_back(std::move(measure));
  }
  size.changed_lines = size.added_lines + size.deleted_lines;
  size.directories = spread_directories(paths);
  if (with_units) {
    size.parts = split_into_parts(code_files);
  }
  return size;
}

std::vector<Finding> SizeAnalyzer::analyze(const AnalysisContext& context,
                                           const gate::Change& change) {
  // A range of one commit is that commit: judged once, as the commit.
  if (change.kind == gate::ChangeKind::range && change.commits.size() <= 1) {
    return {};
  }
  const auto& limits = context.policy.size;
  // Counting lines is free; parsing is not. Parse only when a finding is possible.
  auto quick = measure_change(context, change, /*with_units=*/false);
  const bool may_be_oversized =
      quick.changed_lines > limits.warn_lines || quick.files > limits.warn_files;
  if (!may_be_oversized && !may_be_scattered(quick, limits)) {
    return {};
  }
  auto size = measure_change(context, change, /*with_units=*/true);
  std::vector<Finding> findings;
  if (auto finding = oversized(size, limits, change)) {
    findings.push_back(std::move(*finding));
  }
  if (auto finding = scattered(size, limits, change)) {
    findings.push_back(std::move(*finding));
  }
  return findings;
}

} // namespace agate::analyzers
