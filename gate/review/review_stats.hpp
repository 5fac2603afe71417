// `agate stats`: a range's commits and changed lines counted by who wrote them (a person, an
// agent with a prompt record, an agent without one), by tool and model, and the share of
// AI-assisted commits that carry a record and a signature. Counted from the same commit entries
// `agate log` prints (gate/review/review_model.hpp), so the two always agree.
//
// The JSON form is a stable contract, documented in docs/output-formats.md.
#pragma once

#include "gate/review/review_model.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace agate::gate {

struct StatsRow {
  int commits = 0;
  int added_lines = 0;
  int deleted_lines = 0;
};

struct ToolRow {
  std::string tool; // "unknown" when the marker names no agent
  std::string model;
  StatsRow row;
};

struct RangeStats {
  std::string range;
  StatsRow total;
  StatsRow human;
  StatsRow ai_with_record;
  StatsRow ai_without_record;
  std::vector<ToolRow> tools; // AI-assisted commits, most commits first
  int ai_assisted = 0;
  int ai_with_signature = 0;
};

// The entries must have their lines counted (count_lines).
RangeStats compute_stats(const std::string& range, const std::vector<CommitEntry>& commits);

nlohmann::json stats_json(const RangeStats& stats);
std::string render_stats(const RangeStats& stats);

} // namespace agate::gate
