// The analyzer interface. Analyzers are independent: each reads the change, the syntax layer and
// the policy, and returns findings. None prints, exits or touches the repository. The pipeline
// applies the policy's severities, suppressions and ignore globs afterwards.
#pragma once

#include "gate/change.hpp"
#include "gate/content_source.hpp"
#include "gate/finding.hpp"
#include "gate/policy.hpp"
#include "gate/repository_view.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace agate::syntax {
class SyntaxCache;
}

namespace agate::gate {

struct AnalysisContext {
  const ChangeSet& change_set;
  const ContentSource& contents;
  syntax::SyntaxCache& syntax;
  const Policy& policy;
  // The rest of the repository (the whole new tree, policy directories such as .agate/keys at
  // the policy revision). Null in unit tests that do not need it: analyzers then judge from
  // the change alone.
  const RepositoryView* repository = nullptr;
};

class Analyzer {
public:
  virtual ~Analyzer() = default;
  virtual std::string_view name() const = 0; // "size", "deletion", ...
  // Findings for one change. For a range, the pipeline calls this for every commit and then
  // for the range as a whole (change.kind == ChangeKind::range).
  virtual std::vector<Finding> analyze(const AnalysisContext& context, const Change& change) = 0;
};

} // namespace agate::gate
