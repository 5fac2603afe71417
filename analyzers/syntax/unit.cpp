// Names of unit kinds as they appear in reports, JSON evidence and tests.
#include "analyzers/syntax/unit.hpp"

namespace agate::syntax {

std::string_view to_string(UnitKind kind) {
  switch (kind) {
  case UnitKind::function:
    return "function";
  case UnitKind::method:
    return "method";
  case UnitKind::type:
    return "type";
  case UnitKind::test:
    return "test";
  case UnitKind::import:
    return "import";
  case UnitKind::guard:
    return "guard";
  }
  return "unknown";
}

} // namespace agate::syntax
