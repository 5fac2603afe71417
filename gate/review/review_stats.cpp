// The figures of `agate stats`; see review_stats.hpp.
#include "gate/review/review_stats.hpp"

#include "gate/util/sanitize.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace agate::gate {

namespace {

void add(StatsRow& row, const CommitEntry& entry) {
  ++row.commits;
  row.added_lines += entry.added_lines;
  row.deleted_lines += entry.deleted_lines;
}

// `part` of `whole` as a fraction with three decimals; 0 when `whole` is 0.
double share(int part, int whole) {
  if (whole == 0) {
    return 0.0;
  }
  return std::round(1000.0 * part / whole) / 1000.0;
}

std::string percent(int part, int whole) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
  return buffer;
}

nlohmann::json row_json(const StatsRow& row) {
  return {{"commits", row.commits},
          {"added_lines", row.added_lines},
          {"deleted_lines", row.deleted_lines}};
}

std::string row_text(const StatsRow& row) {
  return std::to_string(row.commits) + (row.commits == 1 ? " commit" : " commits") + ", +" +
         std::to_string(row.added_lines) + " -" + std::to_string(row.deleted_lines);
}

} // namespace

RangeStats compute_stats(const std::string& range, const std::vector<CommitEntry>& commits) {
  RangeStats stats;
  stats.range = range;
  for (const auto& entry : commits) {
    add(stats.total, entry);
    switch (entry.kind()) {
    case AuthorKind::human:
      add(stats.human, entry);
      continue;
    case AuthorKind::ai_with_record:
      add(stats.ai_with_record, entry);
      break;
    case AuthorKind::ai_without_record:
      add(stats.ai_without_record, entry);
      break;
    }
    ++stats.ai_assisted;
    if (entry.signature_status == "signed") {
      ++stats.ai_with_signature;
    }
    std::string tool = entry.tool.empty() ? "unknown" : entry.tool;
    auto it = std::find_if(stats.tools.begin(), stats.tools.end(), [&](const ToolRow& t) {
      return t.tool == tool && t.model == entry.model;
    });
    if (it == stats.tools.end()) {
      stats.tools.push_back({tool, entry.model, {}});
      it = stats.tools.end() - 1;
    }
    add(it->row, entry);
  }
  std::stable_sort(stats.tools.begin(), stats.tools.end(), [](const ToolRow& a, const ToolRow& b) {
    if (a.row.commits != b.row.commits) {
      return a.row.commits > b.row.commits;
    }
    return a.tool != b.tool ? a.tool < b.tool : a.model < b.model;
  });
  return stats;
}

nlohmann::json stats_json(const RangeStats& stats) {
  nlohmann::json tools = nlohmann::json::array();
  for (const auto& t : stats.tools) {
    auto row = row_json(t.row);
    row["tool"] = sanitize(t.tool);
    row["model"] = sanitize(t.model);
    tools.push_back(row);
  }
  const int with_record = stats.ai_with_record.commits;
  return {{"range", sanitize(stats.range)},
          {"commits", stats.total.commits},
          {"added_lines", stats.total.added_lines},
          {"deleted_lines", stats.total.deleted_lines},
          {"by_kind",
           {{"human", row_json(stats.human)},
            {"ai-recorded", row_json(stats.ai_with_record)},
            {"ai-unrecorded", row_json(stats.ai_without_record)}}},
          {"by_tool", tools},
          {"ai_assisted",
           {{"commits", stats.ai_assisted},
            {"share", share(stats.ai_assisted, stats.total.commits)},
            {"with_record", with_record},
            {"record_share", share(with_record, stats.ai_assisted)},
            {"with_signature", stats.ai_with_signature},
            {"signature_share", share(stats.ai_with_signature, stats.ai_assisted)}}}};
}

std::string render_stats(const RangeStats& stats) {
  std::ostringstream out;
  out << "Range:          " << quote_name(stats.range) << "\n";
  out << "Commits:        " << row_text(stats.total) << "\n";
  out << "  human:        " << row_text(stats.human) << "\n";
  out << "  AI, recorded: " << row_text(stats.ai_with_record) << "\n";
  out << "  AI, no record:"
      << " " << row_text(stats.ai_without_record) << "\n";
  out << "AI-assisted:    " << stats.ai_assisted << " of " << stats.total.commits << " ("
      << percent(stats.ai_assisted, stats.total.commits) << "); with a record "
      << stats.ai_with_record.commits << " ("
      << percent(stats.ai_with_record.commits, stats.ai_assisted) << "), signed "
      << stats.ai_with_signature << " (" << percent(stats.ai_with_signature, stats.ai_assisted)
      << ")\n";
  if (!stats.tools.empty()) {
    out << "By tool and model:\n";
    for (const auto& t : stats.tools) {
      out << "  " << quote_name(t.tool) << (t.model.empty() ? "" : "/" + quote_name(t.model))
          << ": " << row_text(t.row) << "\n";
    }
  }
  return out.str();
}

} // namespace agate::gate
