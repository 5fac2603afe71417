// The on-disk cache of compiled queries (see query_store.hpp).
//
// File layout, host byte order (gate/util/cache_io.hpp): the magic line, a format version, the
// runtime's query layout, the grammar lock hash, the number of entries, each entry as a key
// (grammar identity and query source) and the saved query's bytes, then the FNV-1a checksum of
// everything before it.
#include "analyzers/syntax/query_store.hpp"

#include "analyzers/syntax/ts_runtime.h"
#include "gate/util/cache_io.hpp"
#include "gate/util/file_util.hpp"

#include <map>
#include <mutex>
#include <set>
#include <system_error>

#ifndef AGATE_GRAMMARS_LOCK
#error "AGATE_GRAMMARS_LOCK (the SHA-256 of third_party/package-lock.json) comes from CMake"
#endif

namespace agate::syntax {

namespace {

using gate::cache_io::fnv1a;
using gate::cache_io::Reader;
using gate::cache_io::Writer;

constexpr std::string_view magic = "agate query cache\n";
constexpr uint32_t format_version = 1;
constexpr std::size_t max_entries = 1000;
constexpr std::size_t max_file_bytes = 64 * 1024 * 1024;

struct Store {
  std::mutex mutex;
  std::filesystem::path file;
  bool read = false; // the file was looked at (whatever it held)
  std::map<std::string, std::string, std::less<>> entries;
  std::set<std::string, std::less<>> used;
  bool dirty = false;
  QueryCacheStats stats;
};

Store& store() {
  static Store instance;
  return instance;
}

// What a compiled query depends on besides its source: the grammar it was compiled for.
std::string grammar_identity(const TSLanguage* language) {
  const char* name = ts_language_name(language);
  return std::string(name == nullptr ? "" : name) + '/' +
         std::to_string(ts_language_abi_version(language)) + '/' +
         std::to_string(ts_language_symbol_count(language)) + '/' +
         std::to_string(ts_language_field_count(language)) + '/' +
         std::to_string(ts_language_state_count(language));
}

std::string header() {
  Writer out;
  out.out().append(magic);
  out.put<uint32_t>(format_version);
  out.put<uint32_t>(agate_ts_query_layout());
  out.put_string(AGATE_GRAMMARS_LOCK);
  return std::move(out.out());
}

// Reads the file into `store.entries`; a file that is not a valid cache of this build is ignored.
void read_store(Store& s) {
  s.read = true;
  std::error_code ec;
  if (!std::filesystem::exists(s.file, ec)) {
    return;
  }
  auto bytes = gate::read_file(s.file);
  if (!bytes) {
    s.stats.problem = bytes.error();
    return;
  }
  auto ignored = [&](const std::string& why) {
    s.stats.problem = "query cache ignored (" + why + "): " + s.file.string();
  };
  const std::string expected = header();
  if (bytes->size() < expected.size() + sizeof(uint64_t) ||
      std::string_view(*bytes).substr(0, expected.size()) != expected) {
    ignored("another agate build or not a query cache");
    return;
  }
  std::string_view body(bytes->data(), bytes->size() - sizeof(uint64_t));
  uint64_t checksum = 0;
  Reader tail(std::string_view(*bytes).substr(body.size()));
  if (!tail.get(checksum) || checksum != fnv1a(body)) {
    ignored("checksum mismatch");
    return;
  }
  Reader in(body.substr(expected.size()));
  uint32_t count = 0;
  if (!in.get_count(count, 2 * sizeof(uint32_t))) {
    ignored("truncated");
    return;
  }
  std::map<std::string, std::string, std::less<>> entries;
  for (uint32_t i = 0; i < count; ++i) {
    std::string key;
    std::string value;
    if (!in.get_string(key) || !in.get_string(value)) {
      ignored("truncated");
      return;
    }
    entries.emplace(std::move(key), std::move(value));
  }
  if (!in.at_end()) {
    ignored("trailing bytes");
    return;
  }
  s.entries = std::move(entries);
  s.stats.file_loaded = true;
  s.stats.entries = s.entries.size();
}

} // namespace

void use_query_cache(const std::filesystem::path& file) {
  Store& s = store();
  std::lock_guard lock(s.mutex);
  if (s.file == file) {
    return;
  }
  s.file = file;
  s.read = false;
  s.entries.clear();
  s.used.clear();
  s.dirty = false;
  s.stats = {};
}

void save_query_cache() {
  Store& s = store();
  std::lock_guard lock(s.mutex);
  if (s.file.empty() || !s.dirty) {
    return;
  }
  if (s.entries.size() > max_entries) {
    // Queries of other rule sets (custom rules, older agate builds of the same grammars): keep
    // what this run used.
    std::erase_if(s.entries, [&](const auto& entry) { return !s.used.contains(entry.first); });
  }
  Writer out;
  out.out() = header();
  out.put<uint32_t>(static_cast<uint32_t>(s.entries.size()));
  for (const auto& [key, value] : s.entries) {
    out.put_string(key);
    out.put_string(value);
  }
  out.put<uint64_t>(fnv1a(out.out()));
  if (out.out().size() > max_file_bytes) {
    s.stats.problem = "query cache not written: it would exceed " +
                      std::to_string(max_file_bytes / (1024 * 1024)) + " MiB";
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(s.file.parent_path(), ec);
  auto written = gate::write_file_atomic(s.file, out.out());
  if (!written) {
    s.stats.problem = written.error();
    return;
  }
  s.dirty = false;
  s.stats.written = true;
}

QueryCacheStats query_cache_stats() {
  Store& s = store();
  std::lock_guard lock(s.mutex);
  return s.stats;
}

QueryPtr compile_cached(const TSLanguage* language, std::string_view source, uint32_t* error_offset,
                        TSQueryError* error_type) {
  Store& s = store();
  std::string key;
  {
    std::lock_guard lock(s.mutex);
    if (!s.file.empty()) {
      if (!s.read) {
        read_store(s);
      }
      key = grammar_identity(language);
      key += '\n';
      key.append(source);
      if (auto it = s.entries.find(key); it != s.entries.end()) {
        QueryPtr loaded(agate_ts_query_load(language, it->second.data(), it->second.size()));
        if (loaded) {
          s.used.insert(key);
          ++s.stats.loaded;
          return loaded;
        }
        s.entries.erase(it); // damaged: compile it again below
      }
    }
  }
  QueryPtr query(ts_query_new(language, source.data(), static_cast<uint32_t>(source.size()),
                              error_offset, error_type));
  std::lock_guard lock(s.mutex);
  ++s.stats.compiled;
  if (!query || key.empty()) {
    return query;
  }
  std::size_t size = 0;
  char* bytes = agate_ts_query_save(query.get(), &size);
  if (bytes != nullptr) {
    s.entries.insert_or_assign(key, std::string(bytes, size));
    agate_ts_free(bytes);
    s.used.insert(std::move(key));
    s.dirty = true;
  }
  return query;
}

} // namespace agate::syntax
