// The one reading of a revision argument, shared by every command that takes one: `agate check
// --range`, `agate verify`, `agate log` and `agate export`. The rules (also in their `--help`):
//
//   BASE..HEAD   the commits reachable from HEAD and not from BASE; both sides must be given
//   REV          one revision, where the command accepts one (verify, log, export)
//
// Rejected with one line (exit 2): an empty argument, a side left empty (`..HEAD`, `BASE..`,
// `..`), the symmetric difference `A...B`, and more than one `..`. Whether the revisions exist is
// found when they are resolved, with the repository's own one-line message.
#pragma once

#include "gate/git/change_loader.hpp"

#include <string>
#include <string_view>

namespace agate::gate {

struct RevisionRange {
  std::string base; // empty: a single revision
  std::string head;

  bool is_range() const { return !base.empty(); }
  // "BASE..HEAD", or the revision.
  std::string text() const { return is_range() ? base + ".." + head : head; }
};

// What a command accepts.
enum class RevisionForm { range_only, range_or_revision };

// The rules above, for `help` in `--help` texts.
extern const std::string_view k_revision_range_help;

// Parses `text` by the rules above. `what` names the argument in the error ("--range",
// "agate verify"). Throws agate::Error.
RevisionRange parse_revision_range(std::string_view text, std::string_view what, RevisionForm form);

// The selection that reviews `range`: a range, or one commit.
Selection selection_of(const RevisionRange& range);

} // namespace agate::gate
