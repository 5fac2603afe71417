// The bypassed-wrapper rule: the repository already reaches a library through one module of its
// own, and the change talks to the same library directly somewhere else, building a second layer.
//
// `duplication/bypassed-wrapper` (warning): a file the change touches newly imports a client
// library (Redis, HTTP, SQL and document databases, message queues, cloud SDKs: the table in
// wrapper_analyzer.cpp) that, in the base tree, only one or two non-test files import, and one
// of those files is a wrapper: it exposes at least two functions or methods. Or it newly
// imports any other dependency the manifests declare, that exactly one non-test file of the
// base tree imports, and that file defines a function and is itself imported by another
// non-test file: the one way the code base reaches that package. The finding names the wrapper
// and the functions of it whose names and used identifiers overlap most with what the new code
// uses (the library calls it makes), and hints to call them instead.
//
// Precision: test files never count (on either side), a library imported by more than two
// files of the base tree (more than one, for a package that is no known client) has no single
// wrapper to bypass, undeclared packages are never judged (nothing says they are third-party),
// and a file that itself was the wrapper (or is changed to become one) is not flagged.
#pragma once

#include "analyzers/analyzer.hpp"
#include "analyzers/duplication/clone_index.hpp"
#include "analyzers/syntax/unit.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace agate::analyzers {

// A file of the change, parsed on both sides.
struct ChangedSource {
  const gate::FileChange* file = nullptr;
  std::shared_ptr<const syntax::ParsedFile> old_parsed; // null for an added file
  std::shared_ptr<const syntax::ParsedFile> new_parsed; // null for a deleted file
  std::set<int> added_lines; // new-side lines added (re-spaced lines not: changed_lines.hpp)
};

// The client library an import names, e.g. "redis" for "redis.asyncio", "@aws-sdk/client-s3"
// or "github.com/redis/go-redis/v9"; empty when it is not a known client library.
std::string client_library(std::string_view import_name);

// Findings of the rule for `change`. `base` is the index of the base tree (null: no findings).
std::vector<gate::Finding> bypassed_wrapper_findings(const AnalysisContext& context,
                                                     const gate::Change& change,
                                                     const CloneIndex* base,
                                                     const std::vector<ChangedSource>& sources);

} // namespace agate::analyzers
