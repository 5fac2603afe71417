// The deletion analyzer: code a change removes that nothing in the change explains.
//
// Rules (docs/rules-deletion.md has the details):
// - `deletion/unrelated` (warning; error when the unit is large): a function, method or type
//   present in the old file and absent from the new one, whose removal nothing ties to the
//   change: its name and its file are not in the intent (the commit message, and the prompt of
//   a prompt record in the change), no added code references it, it is not moved or renamed
//   (its fingerprint, or a near-identical token stream, does not reappear among the new units
//   of the change), its callers were not removed with it (dead code), and it is not nested in a
//   function the change rewrites.
// - `deletion/removed-test` (error): a test deleted, not moved or renamed, that the intent does
//   not mention and that does not test code the change removes for a stated reason.
// - `deletion/removed-guard` (warning; error for a security check, analyzers/deletion/
//   security_checks.hpp): a guard (raise/throw, assertion, early-return check) removed from a
//   function that otherwise survives, unmatched by any guard of the new version, without the
//   intent mentioning it; or a call to a validating or authorising function removed from it.
// - A file whose old side was code and whose new side cannot be read as code (renamed to .txt,
//   a symbolic link, binary, too large, moved under .agate/prompts/): one `deletion/unrelated`
//   warning naming its units, each also checked as deleted for dangling references.
// - `deletion/dangling-reference` (error): a removed function or type whose name the new tree
//   still uses, with the places: the new sides of the changed files, and every other file of
//   the new tree through the reference index (analyzers/deletion/reference_index.hpp), which is
//   keyed by blob id so unchanged files are not read again. Without a repository view (unit tests)
//   only the changed files are searched, and the evidence says so.
//
// Precision comes first: every reason is kept in the evidence, and any doubt (a new side that
// does not parse, a common name used by added code) means no finding. A range is judged commit
// by commit, each with its own message, and a commit's finding is kept only when the range as a
// whole still makes that deletion: the unit is not back at the head with a near-equivalent body
// (a name alone restores nothing). The range as a whole is judged too, against the messages of
// all its commits, for what no single commit did (a body gutted a little in each commit).
#pragma once

#include "analyzers/analyzer.hpp"

#include <memory>
#include <set>
#include <string>

namespace agate::analyzers {

// Units at least this many lines long make a deletion/unrelated finding an error.
inline constexpr int deletion_error_lines = 30;
// Types at least this many lines long make it an error too.
inline constexpr int deletion_error_type_lines = 10;

// Units whose body loses at least this share of its lines (and `mostly_removed_min_lines`) while
// their header survives are "mostly removed".
inline constexpr double mostly_removed_share = 0.6;
inline constexpr int mostly_removed_min_lines = 6;

class ReferenceIndex;

class DeletionAnalyzer : public Analyzer {
public:
  DeletionAnalyzer();
  ~DeletionAnalyzer() override;
  std::string_view name() const override { return "deletion"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;

private:
  // The whole-tree index, kept for the run: the commits of a range share most blobs.
  std::unique_ptr<ReferenceIndex> m_tree;
  // What the commits judged so far deleted, emptied or stripped of a check: the range as a whole
  // reports only the rest.
  std::set<std::string> m_judged;
};

} // namespace agate::analyzers
