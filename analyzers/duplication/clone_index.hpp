// The clone index: the functions and methods of a whole tree (the base of a change) reduced to
// what clone detection needs, with an on-disk cache keyed by blob id so a hook only indexes the
// blobs that changed since the last run.
//
// For each indexed blob it keeps the module names the file imports (for the bypassed-wrapper
// rule) and, for every function and method of at least `clone_index_min_tokens` normalized
// tokens, its qualified name, lines, token count, fingerprint, text hash, its winnowed k-gram
// hashes (analyzers/syntax/fingerprint.hpp: identifiers and literals abstracted, so a renamed
// copy has the same hashes) and its normalized token stream. The hashes find candidates; the
// clone analyzer verifies a candidate on the full token streams of both units, read from the
// index (checked against the unit's fingerprint) instead of parsing the candidate's file again.
//
// The cache is one file, `<cache_dir>/clone-index.bin`: a magic string, a format version, the
// size of the main section; the main section (the k-gram parameters, a hash of the language
// queries that define units, the entries); a 64-bit checksum of all that; then the token
// section, every unit's token stream. Loading reads and checks the main part only (a few
// megabytes less for a large tree), into memory populated in one call; the units' names and
// hashes (4-byte aligned in the file) are viewed there, not copied. A token stream is read when
// a candidate needs it, and used only if it matches the unit's fingerprint. A cache that is
// missing, of another version, truncated or corrupt is ignored and rebuilt, never trusted. It is
// written to a temporary file and renamed (the token streams of unchanged blobs are copied from the
// old file in the kernel), without fsync: a cache torn by a crash fails its checks and is rebuilt.
// It holds the blobs of the last tree indexed, so it does not grow.
#pragma once

#include "gate/core/content_source.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/util/error.hpp"
#include "gate/util/file_util.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agate::syntax {
struct ParsedFile;
struct Unit;
} // namespace agate::syntax

namespace agate::analyzers {

// Tokens per k-gram and k-grams per winnowing window: two units sharing a run of at least
// k + window - 1 = 11 normalized tokens share a selected hash.
inline constexpr std::size_t clone_kgram = 6;
inline constexpr std::size_t clone_window = 6;
// Units with fewer normalized tokens are not indexed (far below any useful clone size).
inline constexpr std::size_t clone_index_min_tokens = 25;
// Files above this size, or with lines this long on average, are minified or generated data.
inline constexpr std::size_t clone_minified_line_bytes = 300;

struct IndexedUnit {
  // The qualified name: in `own_name` when the blob was parsed by this run, else viewed in the
  // loaded cache file. Read it with qualified_name().
  std::string own_name;
  std::string_view stored_name;
  uint8_t kind = 0; // syntax::UnitKind
  int start_line = 0;
  int end_line = 0;
  uint32_t token_count = 0;
  uint64_t fingerprint = 0;
  uint64_t text_hash = 0; // unit_text_hash() of its source text: tells exact copies apart
  // The winnowed k-gram hashes, sorted, without duplicates: in `hashes` when the blob was parsed
  // by this run, else viewed in the loaded cache file. Read them with hash_view().
  std::vector<uint32_t> hashes;
  std::span<const uint32_t> stored_hashes;
  // The normalized token stream, so that a candidate is judged without parsing its file again:
  // in `tokens` when the blob was parsed by this run, else at `token_offset` (in tokens) of the
  // loaded cache file's token section, read on demand (CloneIndex::tokens_of).
  std::vector<uint32_t> tokens;
  uint64_t token_offset = no_token_offset;
  static constexpr uint64_t no_token_offset = UINT64_MAX;

  std::string_view qualified_name() const { return own_name.empty() ? stored_name : own_name; }
  std::span<const uint32_t> hash_view() const {
    return hashes.empty() ? stored_hashes : std::span<const uint32_t>(hashes);
  }
};

// The hash of a unit's source text kept in the index (IndexedUnit::text_hash).
uint64_t unit_text_hash(std::string_view text);

struct IndexedBlob {
  // Why the blob has no units although its language is known: "" (indexed), "generated",
  // "minified". Skipped blobs are cached too, so they are not read again.
  std::string skipped;
  // The language the blob was read as when its content decided it (a C++ project's `.h`
  // header is "cpp"); empty when it is the language of the file's path.
  std::string language;
  std::vector<std::string> imports; // module names, in source order, without duplicates
  std::vector<IndexedUnit> units;
};

// One file of the indexed tree.
struct IndexedFile {
  std::string path;
  std::string oid;
  std::string language;
  const IndexedBlob* blob = nullptr; // owned by the index
};

struct CloneIndexStats {
  std::size_t files = 0;      // files of a known language considered
  std::size_t from_cache = 0; // blobs taken from the cache
  std::size_t parsed = 0;     // blobs read and parsed now
  std::size_t skipped = 0;    // generated, minified, unreadable or too large
  std::size_t units = 0;      // units indexed
  bool cache_loaded = false;  // a valid cache file was read
  bool cache_written = false; // the cache file was (re)written
  std::string cache_problem;  // why an existing cache was not used, or could not be written
};

struct CloneIndexOptions {
  std::size_t max_file_bytes = 1024 * 1024;
  // Paths not to index (policy ignore globs); may be empty.
  std::function<bool(std::string_view path)> ignored;
  unsigned threads = 0; // 0: the machine's cores, at most 4
};

// The normalized-token winnowed hashes of a unit's token stream, sorted and deduplicated.
std::vector<uint32_t> clone_hashes(const std::vector<uint32_t>& tokens);

// What the index keeps of one parsed blob (`content`: the text it was parsed from).
IndexedBlob index_parsed(const syntax::ParsedFile& parsed, std::string_view content);

class CloneIndex {
public:
  // Indexes `files` (paths and blob ids of a tree; files of unknown language, vendored paths
  // and lock files are left out). Blobs already in the cache under `cache_dir` are not read;
  // the others are read from `contents` and parsed on several threads. The cache is rewritten
  // when it changed. An empty `cache_dir` means no cache.
  static CloneIndex build(const std::vector<gate::TreeFile>& files,
                          const gate::ContentSource& contents,
                          const std::filesystem::path& cache_dir, const CloneIndexOptions& options);

  const std::vector<IndexedFile>& files() const { return m_files; }
  const CloneIndexStats& stats() const { return m_stats; }

  // The unit's token stream: its own, or read from the cache file's token section. Empty when
  // it is not available; the caller checks what it reads against the unit's fingerprint.
  std::vector<uint32_t> tokens_of(const IndexedUnit& unit) const;

  // The cache file format, exposed for tests. deserialize() reads the entries of a whole file
  // (units keep their token offsets; their stored hashes view `bytes`, which must outlive them);
  // serialize() writes only the token streams the units hold.
  using Entries = std::map<std::string, IndexedBlob>; // key: "<oid>:<language>"
  static std::string serialize(const Entries& entries);
  static Result<Entries> deserialize(std::string_view bytes);
  static std::filesystem::path cache_file(const std::filesystem::path& cache_dir);

  struct TokenSection; // the loaded cache file's token streams, read on demand

private:
  std::shared_ptr<const gate::FileBytes> m_head; // the loaded main section (stored hashes)
  std::shared_ptr<const TokenSection> m_token_section;
  Entries m_entries;
  std::vector<IndexedFile> m_files;
  CloneIndexStats m_stats;
};

} // namespace agate::analyzers
