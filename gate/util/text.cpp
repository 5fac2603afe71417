// Small text helpers; see text.hpp.
#include "gate/util/text.hpp"

#include <ctime>

namespace agate::gate {

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view space = " \t\n\r\f\v";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string format_time(std::int64_t unix_seconds, TimeStyle style) {
  const char* format = "%Y-%m-%dT%H:%M:%SZ";
  switch (style) {
  case TimeStyle::rfc3339:
    break;
  case TimeStyle::readable:
    format = "%Y-%m-%d %H:%M:%S UTC";
    break;
  case TimeStyle::compact:
    format = "%Y%m%dT%H%M%SZ";
    break;
  case TimeStyle::ssh:
    format = "%Y%m%d%H%M%SZ";
    break;
  }
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[40];
  const auto n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

std::string paint(bool enabled, std::string_view sgr, std::string_view text) {
  if (!enabled || text.empty()) {
    return std::string(text);
  }
  std::string out = "\x1b[";
  out.append(sgr).append("m").append(text).append("\x1b[0m");
  return out;
}

} // namespace agate::gate
