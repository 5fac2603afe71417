// The whole-tree reference index of the deletion analyzer: which files of the new tree still use
// a name that a change deletes, without reading and parsing the whole tree on every check.
//
// Every blob of the tree gets a small Bloom filter of its identifier-like words (runs of
// letters, digits, '_' and '$'), computed once per blob id and kept in memory for the run (the
// commits of a range share most blobs) and on disk in `<cache_dir>/deletion-words.bin`, so a hook
// only reads the blobs that changed since the last run. A lookup asks the filters first; only the
// files whose filter may hold the name are read, searched for the word, and parsed (through the
// syntax cache, keyed by blob id) to find the units that define or use the name.
//
// The answer is syntactic: a use is an identifier with the deleted name in a unit of a file of
// the same language family that plausibly sees the deleted definition (same directory, or its
// text names the deleted file's module or directory). Without types, dynamic languages (Python,
// JavaScript, TypeScript) get a best-effort answer; the caller says so in its evidence.
//
// The cache file holds a magic string, a format version, the entries of the last tree seen and a
// 64-bit checksum; a missing, stale or corrupt file is ignored and rebuilt, never trusted. It is
// written atomically and holds only the blobs of the last tree, so it does not grow.
#pragma once

#include "gate/core/content_source.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/util/error.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace agate::syntax {
class SyntaxCache;
}

namespace agate::analyzers {

// A Bloom filter of the words of one text: no false negatives, rare false positives.
class WordFilter {
public:
  static WordFilter of_text(std::string_view text);
  bool may_contain(std::string_view word) const;
  const std::vector<uint64_t>& bits() const { return m_bits; }
  static std::optional<WordFilter> from_bits(std::vector<uint64_t> bits);

private:
  std::vector<uint64_t> m_bits; // a power of two of bits, at least 64
};

// Whether `word` occurs in `text` as a whole word (not inside a longer identifier).
bool has_word(std::string_view text, std::string_view word);

// The language family of a language id: references cross between C and C++, and between
// JavaScript, TypeScript and TSX, not between other languages.
std::string_view language_family(std::string_view language_id);

// A place in a file outside the change that still uses a name.
struct TreeUse {
  std::string file;
  int line = 0;
  std::string unit; // qualified name of the innermost unit, or "" at file level
};

// What the new tree says about a deleted name, outside the files of the change.
struct TreeLookup {
  std::vector<TreeUse> uses;      // units that use the name
  bool defined_elsewhere = false; // a unit of another file defines a unit of that name
  std::size_t candidates = 0;     // files whose filter may hold the name
  std::size_t parsed = 0;         // files read and parsed for it
};

// What to look for: a name deleted from `home` (old path) in language `language`. `owners`
// are the qualifiers under which the deleted definition is reached (its module, directory and
// enclosing names), see may_use().
struct TreeQuery {
  std::string name;
  std::string home;
  std::string language;
  std::vector<std::string> owners;
};

// Whether `text` uses `name` in a way that may reach a definition whose qualifiers are
// `owners`: an occurrence that is unqualified, qualified by `self`/`this`/`Self`/`super`/
// `crate`/`cls`, or by one of `owners`. An occurrence qualified by another name (`file::name`,
// `os.path.name`, `other.name`, `call().name`) is another module's function or some value's
// member, not a use of the deleted definition.
bool may_use(std::string_view text, std::string_view name, const std::vector<std::string>& owners);

struct ReferenceIndexStats {
  std::size_t files = 0;    // files of the tree considered
  std::size_t computed = 0; // filters computed from blobs in this run
  bool cache_loaded = false;
  std::string cache_problem; // why the cache file was ignored, or ""
};

class ReferenceIndex {
public:
  // Makes sure every file of `files` has a filter (memory, then the cache file in `cache_dir`
  // when not empty, then the blob). Files in `skip` (the paths the change touches), symlinks,
  // vendored and lock files, and files of languages agate does not parse are left out.
  void prepare(const std::vector<gate::TreeFile>& files, const std::set<std::string>& skip,
               const gate::ContentSource& contents, const std::filesystem::path& cache_dir,
               std::size_t max_file_bytes);

  // The uses and definitions of `query.name` in the files of the last prepare().
  TreeLookup lookup(const TreeQuery& query, const gate::ContentSource& contents,
                    syntax::SyntaxCache& syntax) const;

  // Writes the cache file when filters were computed since it was read. Failures are ignored
  // (a cache is an optimisation).
  void save(const std::filesystem::path& cache_dir);

  const ReferenceIndexStats& stats() const { return m_stats; }

  static std::string serialize(const std::map<std::string, WordFilter>& entries);
  static Result<std::map<std::string, WordFilter>> deserialize(std::string_view bytes);
  static std::filesystem::path cache_file(const std::filesystem::path& cache_dir);

private:
  struct Indexed {
    std::string path;
    std::string oid;
    std::string language;
  };
  void load_cache(const std::filesystem::path& cache_dir);

  std::map<std::string, WordFilter> m_filters; // by blob id
  std::vector<Indexed> m_files;                // of the last prepare()
  bool m_cache_read = false;
  bool m_dirty = false;
  ReferenceIndexStats m_stats;
};

} // namespace agate::analyzers
