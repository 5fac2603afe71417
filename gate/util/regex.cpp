// Linear-time regular expressions over RE2; see regex.hpp.
#include "gate/util/regex.hpp"

#include <re2/re2.h>

namespace agate::gate {

Result<Regex> Regex::compile(std::string_view pattern, bool ignore_case) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!ignore_case);
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return fail(re->error());
  }
  return Regex(std::move(re));
}

std::optional<RegexMatch> Regex::search(std::string_view text, std::size_t from) const {
  if (from > text.size()) {
    return std::nullopt;
  }
  const int groups = m_re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(groups));
  const re2::StringPiece subject(text.data(), text.size());
  if (!m_re->Match(subject, from, text.size(), RE2::UNANCHORED, pieces.data(), groups)) {
    return std::nullopt;
  }
  RegexMatch match;
  match.offset = static_cast<std::size_t>(pieces[0].data() - text.data());
  for (const auto& piece : pieces) {
    match.groups.emplace_back(piece.data() == nullptr
                                  ? std::string_view()
                                  : std::string_view(piece.data(), piece.size()));
  }
  return match;
}

bool Regex::contains(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *m_re);
}

std::vector<RegexMatch> Regex::search_all(std::string_view text) const {
  std::vector<RegexMatch> all;
  std::size_t from = 0;
  while (auto match = search(text, from)) {
    const auto end = match->offset + match->groups[0].size();
    from = end > match->offset ? end : end + 1; // an empty match moves on by one byte
    all.push_back(std::move(*match));
    if (from > text.size()) {
      break;
    }
  }
  return all;
}

} // namespace agate::gate
