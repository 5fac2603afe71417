// Regular expressions that run in time linear in their input, whatever the pattern and the text.
//
// agate runs patterns over text a change under review controls (tree-sitter #match? predicates,
// library-logic patterns, manifests). libstdc++'s std::regex backtracks and recurses per
// character: a crafted line can take seconds or overflow the stack, and a hook that can be hung
// gets skipped. RE2 (Debian's libre2) guarantees linear time and bounded memory; this wrapper keeps
// it behind one small interface. The syntax is RE2's (Perl-like, no back-references or
// look-around); `(?i)` makes a pattern case-insensitive.
#pragma once

#include "gate/util/error.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace agate::gate {

struct RegexMatch {
  // groups[0] is the whole match, groups[i] the i-th parenthesised group (empty and at npos when
  // it did not take part).
  std::vector<std::string_view> groups;
  std::size_t offset = 0; // where groups[0] starts in the text searched
};

class Regex {
public:
  // A failure names the pattern's problem ("missing ): ...").
  static Result<Regex> compile(std::string_view pattern, bool ignore_case = false);

  // The first match at or after `from`, or nothing.
  std::optional<RegexMatch> search(std::string_view text, std::size_t from = 0) const;
  bool contains(std::string_view text) const;
  // Every non-overlapping match, left to right.
  std::vector<RegexMatch> search_all(std::string_view text) const;

private:
  explicit Regex(std::shared_ptr<const re2::RE2> re) : m_re(std::move(re)) {}
  std::shared_ptr<const re2::RE2> m_re; // immutable and thread-safe once compiled
};

} // namespace agate::gate
