// The parts of the reporters that every format shares: format names, the gate decision
// (Report::failed), counts, the summary line, location labels, and the
// JSON form of repository text. The formats themselves live in report_<format>.cpp.
#include "gate/report/report.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace agate::gate {

std::optional<Format> parse_format(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, Format>, 6> names{{
      {"text", Format::text},
      {"json", Format::json},
      {"sarif", Format::sarif},
      {"github", Format::github},
      {"markdown", Format::markdown},
      {"codeclimate", Format::codeclimate},
  }};
  for (const auto& [text, format] : names) {
    if (text == name) {
      return format;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Format format) {
  switch (format) {
  case Format::text:
    return "text";
  case Format::json:
    return "json";
  case Format::sarif:
    return "sarif";
  case Format::github:
    return "github";
  case Format::markdown:
    return "markdown";
  case Format::codeclimate:
    return "codeclimate";
  }
  return "text";
}

bool Report::failed() const {
  if (!fail_on) {
    return false;
  }
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return f.severity >= *fail_on; });
}

int Report::count(Severity severity) const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [&](const Finding& f) { return f.severity == severity; }));
}

std::string render(Format format, const Report& report, const RenderOptions& options) {
  switch (format) {
  case Format::text:
    return render_text(report, options);
  case Format::json:
    return render_json(report);
  case Format::sarif:
    return render_sarif(report, options);
  case Format::github:
    return render_github(report, options);
  case Format::markdown:
    return render_markdown(report, options);
  case Format::codeclimate:
    return render_codeclimate(report);
  }
  return render_text(report, options);
}

std::string location_label(const Finding& finding) {
  if (finding.file.empty()) {
    return {};
  }
  std::string label = quote_name(finding.file);
  if (finding.line > 0) {
    label += ":" + std::to_string(finding.line);
    if (finding.end_line > finding.line) {
      label += "-" + std::to_string(finding.end_line);
    }
  }
  if (finding.side == Side::old_side) {
    label += " (old)";
  }
  return label;
}

namespace {

std::string counted(int n, std::string_view noun) {
  std::string text = std::to_string(n) + " " + std::string(noun);
  if (n != 1) {
    text += "s";
  }
  return text;
}

} // namespace

std::string summary_line(const Report& report) {
  std::string line = counted(report.count(Severity::error), "error") + ", " +
                     counted(report.count(Severity::warning), "warning") + ", " +
                     counted(report.count(Severity::note), "note");
  if (report.suppressed > 0) {
    line += " (" + std::to_string(report.suppressed) + " suppressed)";
  }
  line += report.failed() ? "; gate: FAILED" : "; gate: passed";
  line += " (fail-on ";
  line += report.fail_on ? std::string(to_string(*report.fail_on)) : std::string("never");
  line += ")";
  return line;
}

std::vector<std::size_t> by_severity(const Report& report) {
  std::vector<std::size_t> order(report.findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return report.findings[a].severity > report.findings[b].severity;
  });
  return order;
}

Anchor anchor_of(const Report& report, std::size_t index) {
  if (index < report.anchors.size()) {
    return report.anchors[index];
  }
  const Snippet* snippet = snippet_of(report, index);
  return own_anchor(report.findings[index], snippet ? snippet->lines : std::vector<std::string>{});
}

const Snippet* snippet_of(const Report& report, std::size_t index) {
  if (index >= report.snippets.size() || report.snippets[index].lines.empty()) {
    return nullptr;
  }
  return &report.snippets[index];
}

namespace {

void append_value(std::string& out, const nlohmann::json& value) {
  if (value.is_string()) {
    out += value.get<std::string>();
  } else if (value.is_array()) {
    out += "[";
    bool first = true;
    for (const auto& item : value) {
      if (!first) {
        out += ", ";
      }
      first = false;
      append_value(out, item);
    }
    out += "]";
  } else {
    out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// Cuts `text` to at most `max_bytes` bytes without splitting a UTF-8 sequence, adding "…".
std::string cut(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  std::size_t end = max_bytes >= 3 ? max_bytes - 3 : 0;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  text.resize(end);
  return text + "\xe2\x80\xa6";
}

} // namespace

nlohmann::ordered_json utf8_json(const nlohmann::json& value) {
  if (value.is_string()) {
    return escape_invalid_utf8(value.get_ref<const std::string&>());
  }
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) {
      out.push_back(utf8_json(item));
    }
    return out;
  }
  if (value.is_object()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [key, item] : value.items()) {
      out[escape_invalid_utf8(key)] = utf8_json(item);
    }
    return out;
  }
  return nlohmann::ordered_json::parse(value.dump());
}

std::string compact_evidence(const nlohmann::json& evidence, std::size_t max_bytes) {
  std::string out;
  if (evidence.is_object()) {
    bool first = true;
    for (const auto& [key, value] : evidence.items()) {
      if (!first) {
        out += ", ";
      }
      first = false;
      out += key + "=";
      append_value(out, value);
    }
  } else if (!evidence.is_null()) {
    append_value(out, evidence);
  }
  return cut(sanitize(out), max_bytes);
}

} // namespace agate::gate
