// The words of an identifier; see identifier_words.hpp.
#include "analyzers/identifier_words.hpp"

#include <cctype>

namespace agate::analyzers {

std::vector<std::string> identifier_words(std::string_view name) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (std::isalnum(c) == 0) {
      flush();
      continue;
    }
    if (std::isupper(c) != 0 && !current.empty()) {
      const auto last = static_cast<unsigned char>(name[i - 1]); // as written, not lowered
      const bool after_lower = std::islower(last) != 0 || std::isdigit(last) != 0;
      // The last capital of an acronym starts the next word: JSONBody -> json, body.
      const bool acronym_end = i + 1 < name.size() &&
                               std::islower(static_cast<unsigned char>(name[i + 1])) != 0 &&
                               std::isupper(static_cast<unsigned char>(name[i - 1])) != 0;
      if (after_lower || acronym_end) {
        flush();
      }
    }
    current += static_cast<char>(std::tolower(c));
  }
  flush();
  return out;
}

} // namespace agate::analyzers
