// Tree-sitter queries: compiled once per process, run with predicates that agate evaluates itself.
//
// The tree-sitter C library parses predicates such as `#eq?` and `#match?` but does not apply
// them: it only reports them per pattern (ts_query_predicates_for_pattern). `Query` reads them at
// compile time into a small structured form (regular expressions compiled once) and drops the
// matches whose predicates fail. Supported: #eq?, #not-eq?, #any-eq?, #any-not-eq?, #match?,
// #not-match?, #any-match?, #any-not-match?, #any-of?, #not-any-of?. Directives (`#set!` and
// every other `...!`) and #is?/#is-not? are accepted and ignored; any other predicate is a
// compile error, so a typo in a .scm file cannot silently disable a pattern.
//
// Query files live in rules/ and are embedded into the binary (gate/util/embedded.hpp). A file may
// start with `; inherits: <id>[,<id>...]` lines to include rules/languages/<id>.scm first (tsx
// reuses typescript). Compiled queries are cached per (language, path) and shared between
// threads: a TSQuery is read-only once built; every run uses its own cursor.
#pragma once

#include "analyzers/syntax/ts_handles.hpp"
#include "gate/util/error.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agate::syntax {

struct QueryCapture {
  TSNode node;
  uint32_t index = 0;    // capture id in the query
  std::string_view name; // capture name without the '@', e.g. "unit.function"
};

struct QueryMatch {
  uint32_t pattern_index = 0;
  std::vector<QueryCapture> captures; // in the order tree-sitter reports them
};

class Query {
public:
  struct Predicate;  // defined in query.cpp
  struct SourcePart; // one file of a source assembled with `; inherits:`

  // Compile `source` for `language`. `origin` names the source in error messages
  // ("languages/python.scm"). Errors carry the line, column, byte offset and error type.
  static Result<std::shared_ptr<const Query>> compile(const TSLanguage* language,
                                                      std::string_view source, std::string origin);

  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  // Run the query on `node` (a node of a tree parsed from `text`) and call `on_match` for every
  // match whose predicates hold, in tree-sitter's order.
  void for_each_match(TSNode node, std::string_view text,
                      const std::function<void(const QueryMatch&)>& on_match) const;
  std::vector<QueryMatch> matches(TSNode node, std::string_view text) const;

  uint32_t pattern_count() const;
  uint32_t capture_count() const { return static_cast<uint32_t>(m_capture_names.size()); }
  std::string_view capture_name(uint32_t index) const { return m_capture_names.at(index); }
  const std::string& origin() const { return m_origin; }
  const TSQuery* get() const { return m_query.get(); }

  // As compile(), for a source made of several files: errors name the file they fall in.
  static Result<std::shared_ptr<const Query>> compile_parts(const TSLanguage* language,
                                                            std::string_view source,
                                                            const std::vector<SourcePart>& parts);

private:
  Query();
  bool predicates_hold(const TSQueryMatch& match, std::string_view text) const;

  QueryPtr m_query;
  std::string m_origin;
  std::vector<std::string> m_capture_names;
  std::vector<std::vector<Predicate>> m_predicates; // per pattern
};

// The text of `node` in `text` (empty when the node lies outside it).
std::string_view node_text(TSNode node, std::string_view text);

// rules/<path> compiled for the language `language_id`, once per process (thread-safe). Fails
// when the language or the file is unknown or the query does not compile.
//
// Compiling costs a few milliseconds per pattern (tree-sitter analyses each pattern against the
// grammar; about 45 ms of CPU for C++, 25 ms for TypeScript, under 15 ms for the others).
// Queries of different languages compile in parallel, so a caller that knows which languages a
// change holds can call unit_query() for them from worker threads while it reads the change.
Result<std::shared_ptr<const Query>> embedded_query(std::string_view language_id,
                                                    std::string_view path);

// The unit query rules/languages/<id>.scm, checked against the capture convention of
// docs/queries.md (@unit.<kind>, @namespace, @name, @scope, @extend, @_private captures).
Result<std::shared_ptr<const Query>> unit_query(std::string_view language_id);

} // namespace agate::syntax
