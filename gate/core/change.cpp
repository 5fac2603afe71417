// Names of the change model's enums, as they appear in reports and JSON output.
#include "gate/core/change.hpp"

namespace agate::gate {

std::string_view to_string(FileStatus status) {
  switch (status) {
  case FileStatus::added:
    return "added";
  case FileStatus::deleted:
    return "deleted";
  case FileStatus::modified:
    return "modified";
  case FileStatus::renamed:
    return "renamed";
  case FileStatus::copied:
    return "copied";
  case FileStatus::type_change:
    return "type_change";
  }
  return "modified";
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
  case ChangeKind::staged:
    return "staged";
  case ChangeKind::worktree:
    return "worktree";
  case ChangeKind::commit:
    return "commit";
  case ChangeKind::range:
    return "range";
  }
  return "staged";
}

} // namespace agate::gate
