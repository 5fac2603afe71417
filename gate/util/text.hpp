// Small text helpers every layer uses: ASCII case folding and trimming, times in UTC, and ANSI
// colour for terminals. One definition each, so that two commands never disagree on what
// "trimmed" or "the time of a commit" means.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agate::gate {

// ASCII lower case; other bytes (UTF-8 included) are kept as they are.
std::string lower(std::string_view text);
// Without leading and trailing ASCII white space (space, \t, \n, \r, \f, \v).
std::string_view trim(std::string_view text);
// The last '/'-separated segment of a path ("a/b/c.py" -> "c.py").
std::string_view base_name(std::string_view path);

// How a time is written. All are UTC.
enum class TimeStyle {
  rfc3339,  // 2026-12-05T08:30:00Z      (records, JSON, log output)
  readable, // 2026-12-05 08:30:00 UTC   (messages to a person)
  compact,  // 20261205T083000Z          (record ids, file names)
  ssh,      // 20261205083000Z           (ssh-keygen -Y verify -O verify-time=)
};
std::string format_time(std::int64_t unix_seconds, TimeStyle style);

// `text` between the ANSI escape for `sgr` ("1;31" = bold red) and a reset, when `enabled`;
// `text` unchanged otherwise (and always when it is empty).
std::string paint(bool enabled, std::string_view sgr, std::string_view text);

} // namespace agate::gate
