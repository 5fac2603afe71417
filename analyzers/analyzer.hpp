// The analyzer interface. Analyzers are independent: each reads the change, the syntax layer and
// the policy, and returns findings. None prints, exits or touches the repository. The pipeline
// applies the policy's severities, suppressions and ignore globs afterwards.
#pragma once

#include "gate/core/change.hpp"
#include "gate/core/content_source.hpp"
#include "gate/core/finding.hpp"
#include "gate/core/policy.hpp"
#include "gate/git/repository_view.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace agate::syntax {
class SyntaxCache;
}

namespace agate::analyzers {

struct AnalysisContext {
  const gate::ChangeSet& change_set;
  const gate::ContentSource& contents;
  syntax::SyntaxCache& syntax;
  const gate::Policy& policy;
  // The rest of the repository (the whole new tree, policy directories such as .agate/keys at
  // the policy revision). Null in unit tests that do not need it: analyzers then judge from
  // the change alone.
  const gate::RepositoryView* repository = nullptr;
};

class Analyzer {
public:
  virtual ~Analyzer() = default;
  virtual std::string_view name() const = 0; // "size", "deletion", ...
  // Findings for one change. For a range, the pipeline calls this for every commit and then
  // for the range as a whole (change.kind == ChangeKind::range).
  virtual std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                             const gate::Change& change) = 0;
  // Work to start ahead, on a second core, while the analyzers before this one run (loading the
  // clone index of the base tree, say): a task, or an empty function when there is none. The
  // pipeline calls this on its own thread before any analyze() and runs the tasks, in order, on
  // another thread (or first, on a single core); analyze() waits for what it needs. A task must
  // not throw, and may use only the thread-safe parts of the context (contents, the syntax
  // cache) and what it was given.
  virtual std::function<void()> work_ahead(const AnalysisContext& /*context*/) { return {}; }
};

} // namespace agate::analyzers
