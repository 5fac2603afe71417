// The query cache: compiled tree-sitter queries kept on disk, so that a git hook does not compile
// the same queries on every run.
//
// Compiling a query costs milliseconds per pattern (query.hpp); a hook meeting four languages
// spent over 100 ms of CPU on it, every run, for queries that only change when agate does. With a
// cache file in use (the pipeline sets `.git/agate/cache/queries.bin`), Query::compile first
// looks for the compiled form of the same source for the same grammar and loads it (a copy of
// flat arrays, ts_runtime.h); on a miss it compiles and remembers the result, and
// save_query_cache() writes the file back once at the end of a run if anything was added.
//
// Validity: an entry is keyed by the exact query source and the grammar's identity (its name,
// ABI version and symbol, field and state counts); the file as a whole by a format version, the
// runtime's query layout and the SHA-256 of third_party/package-lock.json, which pins the runtime
// and every grammar this binary was built from. A file written by another build, truncated or
// corrupt (a 64-bit checksum over all of it) is ignored and rewritten, never trusted; an entry
// whose bytes do not load into a consistent query is compiled again. Writing is atomic
// (gate/util/file_util.hpp), so two agate processes at once leave one complete file.
#pragma once

#include "analyzers/syntax/ts_handles.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace agate::syntax {

struct QueryCacheStats {
  bool file_loaded = false; // a valid cache file was read
  std::size_t entries = 0;  // entries the file held
  std::size_t loaded = 0;   // queries taken from the cache this run
  std::size_t compiled = 0; // queries compiled this run
  bool written = false;     // the file was (re)written
  std::string problem;      // why the file was ignored or could not be written
};

// Use `file` as this process's query cache from now on (read when the first query is compiled).
// An empty path turns the cache off, which is the default. Thread-safe.
void use_query_cache(const std::filesystem::path& file);

// Writes the cache file if queries were compiled that it did not hold. Never fails the run: a
// cache that cannot be written is reported in the stats.
void save_query_cache();

QueryCacheStats query_cache_stats();

// Compiles `source` for `language`, or loads it from the cache. On failure returns null and sets
// `error_offset` and `error_type` as ts_query_new does (failures are never cached).
QueryPtr compile_cached(const TSLanguage* language, std::string_view source, uint32_t* error_offset,
                        TSQueryError* error_type);

} // namespace agate::syntax
