// The clone analyzer: code a change adds that already exists in the repository.
//
// Rules (docs/rules-duplication.md has the details):
// - `duplication/clone` (warning; error for a large copy whose normalized tokens are identical
//   to the existing code): a function or method the change adds or rewrites (at least half of
//   its lines added, at least `min_tokens` normalized tokens and `min_lines` lines) that is an
//   exact, renamed (identifiers and literals changed) or near-miss copy of a function or method
//   of the base tree that is still there after the change, or of another unit the same change
//   adds. The finding names the existing code (file, lines, qualified name) and the similarity.
// - `duplication/bypassed-wrapper` (warning): see wrapper_analyzer.hpp; it runs here because it
//   reads the same index of the base tree.
//
// How: the base tree (the change's base revision) is indexed by
// analyzers/duplication/clone_index.hpp (cached on disk by blob id). The files the change touches
// are read from their new side instead, so code the change moves or renames away is never the
// "original" of a clone. Each added unit's winnowed k-gram hashes select at most a few candidates,
// and a candidate is confirmed on the full normalized token streams (Dice coefficient of their
// k-gram multisets, so renamed identifiers and literals do not count and reordered statements cost
// little). A pair that already existed before the change (the unit's old version was already a copy
// of the same code) is not reported: only clones the change adds are.
//
// Not reported: tests, imports, units below the size minimum (getters, one-line wrappers),
// generated, vendored, minified, lock and ignored files, code whose shape is shared by many
// units of the base tree (boilerplate such as handler stubs). A range is judged as a whole,
// not commit by commit, so one copy is reported once.
#pragma once

#include "analyzers/analyzer.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace agate::analyzers {

// The policy's `duplication.clone` settings (gate::ClonePolicy: min_tokens, min_lines,
// min_similarity, error_lines, max_findings), and what the policy does not set.
struct CloneOptions : gate::ClonePolicy {
  // Existing code whose token shape at least this many base units share is boilerplate.
  std::size_t boilerplate_shape_count = 8;
};
CloneOptions clone_options(const gate::Policy& policy);

// Dice coefficient of the multisets of k-grams (k = 5) of two normalized token streams: 1 for
// identical streams (renamed copies), 0 for streams with no k-gram in common.
double token_similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

class CloneAnalyzer : public Analyzer {
public:
  std::string_view name() const override { return "duplication"; }
  std::vector<gate::Finding> analyze(const AnalysisContext& context,
                                     const gate::Change& change) override;
  // Builds (loads) the clone index of the base of the change it will judge.
  std::function<void()> work_ahead(const AnalysisContext& context) override;

  struct Ahead; // the index being built ahead

private:
  std::shared_ptr<Ahead> m_ahead;
};

} // namespace agate::analyzers
