// Library-logic rules: data files (rules/library/*.json, embedded into the binary) that describe
// code people write by hand although a declared dependency or the standard library provides it.
// The format is documented in docs/rules-library.md. In short:
//
//   {
//     "id": "library/python-retry-loop",          // "library/" + the file's base name
//     "title": "hand-written retry loop with sleep", // the first words of the finding
//     "languages": ["python"],                      // ids of analyzers/syntax/language.hpp
//     "query": "(while_statement) @match",          // tree-sitter query, @match = reported node
//     "inside": ["(try_statement) @x"],             // each must match within @match
//     "not_inside": ["..."],                        // none may match within @match
//     "pattern": "HTTP/1\\.[01]\\\\r\\\\n",          // or/and: a regex over added lines
//     "requires": [                                  // the first alternative that holds is named
//       {"ecosystem": "pypi", "packages": ["tenacity"], "use": "decorate it with @tenacity.retry"},
//       {"stdlib": "functools", "languages": ["python"], "use": "functools.lru_cache"}
//     ],
//     "severity": "warning"                          // note | warning | error; default warning
//   }
//
// A dependency alternative applies to the files whose language belongs to its ecosystem (python
// to pypi, javascript/typescript/tsx to npm...); a stdlib alternative to the languages it lists
// (all the rule's languages when it lists none). A rule with no alternative that holds for a
// file is not run on that file.
//
// Loading validates everything a typo could break (unknown keys, languages, ecosystems,
// severities, regexes, an id that does not match the file name); queries are compiled lazily
// per language, because compiling all of them costs far more than a hook may spend, and
// compile_rule_queries() lets the test suite compile every one.
#pragma once

#include "analyzers/duplication/manifests.hpp"
#include "analyzers/syntax/query.hpp"
#include "gate/core/finding.hpp"
#include "gate/util/error.hpp"
#include "gate/util/regex.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agate::analyzers {

struct RuleRequirement {
  std::optional<Ecosystem> ecosystem; // nullopt: the standard library
  std::vector<std::string> packages;  // for a dependency: any of these
  std::string stdlib;                 // for the standard library: the module ("functools")
  std::vector<std::string> languages; // for the standard library: where it applies (empty: all)
  std::string use;                    // what to use instead
};

struct LibraryRule {
  std::string id;     // "library/python-retry-loop"
  std::string origin; // "library/python-retry-loop.json"
  std::string title;  // "hand-written retry loop with sleep"
  std::vector<std::string> languages;
  std::string query;                   // empty: no query
  std::vector<std::string> inside;     // sub-queries that must each match within @match
  std::vector<std::string> not_inside; // sub-queries none of which may match within @match
  std::string pattern;                 // empty: no line pattern
  std::optional<gate::Regex> pattern_regex;
  std::vector<RuleRequirement> requirements; // the "requires" alternatives, in order
  gate::Severity severity = gate::Severity::warning;

  // Words the text must hold for the queries to have a chance: for each of `query` and the
  // `inside` entries whose every pattern has an #eq?/#any-of? predicate, one of that entry's
  // literals (required_words()). Lets the analyzer skip compiling the queries of a rule whose
  // words a file does not contain, which is most rules on most files.
  std::vector<std::vector<std::string>> required_words;

  bool applies_to(std::string_view language_id) const;
  // False when `text` lacks every word of one of `required_words`: no query can match it.
  bool may_match(std::string_view text) const;
};

// The constraint described at LibraryRule::required_words for one query source: the literals of
// which a match needs one, or an empty list when the source does not constrain the text.
std::vector<std::string> required_words(std::string_view query_source);

// The compiled queries of one rule for one language.
struct RuleQueries {
  std::shared_ptr<const syntax::Query> main; // null when the rule has no query
  uint32_t match_capture = 0;                // index of @match in `main`
  std::vector<std::shared_ptr<const syntax::Query>> inside;
  std::vector<std::shared_ptr<const syntax::Query>> not_inside;
};

// Parses and validates one rule file; `path` is relative to rules/ ("library/x.json").
Result<LibraryRule> parse_library_rule(std::string_view path, std::string_view text);

// The rules embedded from rules/library/*.json (examples excluded), sorted by id; fails on the
// first invalid file or a duplicated id. Parsed once per process.
Result<std::shared_ptr<const std::vector<LibraryRule>>> builtin_library_rules();

// The rule's queries compiled for `language_id` (cached per process by rule id and language;
// thread-safe). Fails when a query does not compile or `main` lacks an @match capture.
Result<std::shared_ptr<const RuleQueries>> compile_rule_queries(const LibraryRule& rule,
                                                                std::string_view language_id);

} // namespace agate::analyzers
