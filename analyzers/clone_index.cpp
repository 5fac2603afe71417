// The clone index and its on-disk cache; see clone_index.hpp.
#include "analyzers/clone_index.hpp"

#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "analyzers/syntax/unit.hpp"
#include "gate/cache_io.hpp"
#include "gate/embedded.hpp"
#include "gate/file_util.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace agate::analyzers {

namespace {

constexpr std::string_view cache_magic = "AGATECLX";
constexpr uint32_t cache_version = 2; // 2: text hashes, token streams, checksum64

using gate::cache_io::checksum64;
using gate::cache_io::fnv1a;
using gate::cache_io::Reader;
using gate::cache_io::Writer;

// What defines units: the language queries compiled into the binary. A cache made with other
// queries is stale.
uint64_t syntax_version() {
  static const uint64_t version = [] {
    uint64_t hash = fnv1a("agate-clone-index");
    for (const auto& file : embedded::files()) {
      if (file.path.starts_with("languages/")) {
        hash = fnv1a(file.path, hash);
        hash = fnv1a(file.content, hash);
      }
    }
    return hash;
  }();
  return version;
}

bool indexable_kind(syntax::UnitKind kind) {
  return kind == syntax::UnitKind::function || kind == syntax::UnitKind::method;
}

bool looks_minified(std::string_view content) {
  if (content.size() < 4096) {
    return false;
  }
  std::size_t lines = static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n'));
  return content.size() / (lines + 1) > clone_minified_line_bytes;
}

std::string entry_key(std::string_view oid, std::string_view language) {
  std::string key(oid);
  key += ':';
  key += language;
  return key;
}

} // namespace

std::vector<uint64_t> clone_hashes(const std::vector<uint32_t>& tokens) {
  std::vector<uint64_t> hashes;
  for (const auto& selected : syntax::winnow(tokens, clone_kgram, clone_window)) {
    hashes.push_back(selected.hash);
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

std::vector<uint32_t> IndexedUnit::token_stream() const {
  if (!tokens.empty()) {
    return tokens;
  }
  std::vector<uint32_t> out;
  if (stored_tokens.size() == static_cast<std::size_t>(token_count) * sizeof(uint32_t)) {
    out.resize(token_count);
    std::memcpy(out.data(), stored_tokens.data(), stored_tokens.size());
  }
  return out;
}

uint64_t unit_text_hash(std::string_view text) {
  return fnv1a(text);
}

IndexedBlob index_parsed(const syntax::ParsedFile& parsed, std::string_view content) {
  IndexedBlob blob;
  std::set<std::string> seen_imports;
  for (const auto& unit : parsed.units) {
    if (unit.kind == syntax::UnitKind::import) {
      if (!unit.name.empty() && seen_imports.insert(unit.name).second) {
        blob.imports.push_back(unit.name);
      }
      continue;
    }
    if (!indexable_kind(unit.kind) || unit.tokens.size() < clone_index_min_tokens) {
      continue;
    }
    IndexedUnit indexed;
    indexed.qualified_name = unit.qualified_name;
    indexed.kind = static_cast<uint8_t>(unit.kind);
    indexed.start_line = unit.start_line;
    indexed.end_line = unit.end_line;
    indexed.token_count = static_cast<uint32_t>(unit.tokens.size());
    indexed.fingerprint = unit.fingerprint;
    if (unit.start_byte <= unit.end_byte && unit.end_byte <= content.size()) {
      indexed.text_hash =
          unit_text_hash(content.substr(unit.start_byte, unit.end_byte - unit.start_byte));
    }
    indexed.hashes = clone_hashes(unit.tokens);
    indexed.tokens = unit.tokens;
    blob.units.push_back(std::move(indexed));
  }
  return blob;
}

std::filesystem::path CloneIndex::cache_file(const std::filesystem::path& cache_dir) {
  return cache_dir / "clone-index.bin";
}

std::string CloneIndex::serialize(const Entries& entries) {
  Writer w;
  w.out().append(cache_magic);
  w.put<uint32_t>(cache_version);
  w.put<uint32_t>(static_cast<uint32_t>(clone_kgram));
  w.put<uint32_t>(static_cast<uint32_t>(clone_window));
  w.put<uint32_t>(static_cast<uint32_t>(clone_index_min_tokens));
  w.put<uint64_t>(syntax_version());
  w.put<uint32_t>(static_cast<uint32_t>(entries.size()));
  for (const auto& [key, blob] : entries) {
    w.put_string(key);
    w.put_string(blob.skipped);
    w.put<uint32_t>(static_cast<uint32_t>(blob.imports.size()));
    for (const auto& name : blob.imports) {
      w.put_string(name);
    }
    w.put<uint32_t>(static_cast<uint32_t>(blob.units.size()));
    for (const auto& unit : blob.units) {
      w.put_string(unit.qualified_name);
      w.put<uint8_t>(unit.kind);
      w.put<int32_t>(unit.start_line);
      w.put<int32_t>(unit.end_line);
      w.put<uint32_t>(unit.token_count);
      w.put<uint64_t>(unit.fingerprint);
      w.put<uint64_t>(unit.text_hash);
      w.put<uint32_t>(static_cast<uint32_t>(unit.hashes.size()));
      w.out().append(reinterpret_cast<const char*>(unit.hashes.data()),
                     unit.hashes.size() * sizeof(uint64_t));
      // The token stream: token_count values, or none when it is not at hand.
      if (unit.tokens.size() == unit.token_count && unit.token_count > 0) {
        w.put<uint32_t>(unit.token_count);
        w.out().append(reinterpret_cast<const char*>(unit.tokens.data()),
                       unit.tokens.size() * sizeof(uint32_t));
      } else if (unit.stored_tokens.size() == unit.token_count * sizeof(uint32_t) &&
                 unit.token_count > 0) {
        w.put<uint32_t>(unit.token_count);
        w.out().append(unit.stored_tokens);
      } else {
        w.put<uint32_t>(0);
      }
    }
  }
  w.put<uint64_t>(checksum64(w.out()));
  return std::move(w.out());
}

Result<CloneIndex::Entries> CloneIndex::deserialize(std::string_view bytes) {
  if (bytes.size() < cache_magic.size() + sizeof(uint64_t) ||
      bytes.substr(0, cache_magic.size()) != cache_magic) {
    return fail("not a clone index file");
  }
  std::string_view payload = bytes.substr(0, bytes.size() - sizeof(uint64_t));
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, bytes.data() + payload.size(), sizeof(uint64_t));
  if (stored_sum != checksum64(payload)) {
    return fail("checksum mismatch (corrupt or truncated)");
  }
  Reader r(payload.substr(cache_magic.size()));
  uint32_t version = 0, k = 0, window = 0, min_tokens = 0;
  uint64_t syntax = 0;
  if (!r.get(version) || version != cache_version) {
    return fail("format version " + std::to_string(version) + ", expected " +
                std::to_string(cache_version));
  }
  if (!r.get(k) || !r.get(window) || !r.get(min_tokens) || !r.get(syntax) || k != clone_kgram ||
      window != clone_window || min_tokens != clone_index_min_tokens ||
      syntax != syntax_version()) {
    return fail("made with other parameters or language queries");
  }
  Entries entries;
  uint32_t count = 0;
  if (!r.get_count(count, 12)) {
    return fail("bad entry count");
  }
  for (uint32_t i = 0; i < count; ++i) {
    std::string key;
    IndexedBlob blob;
    uint32_t imports = 0, units = 0;
    if (!r.get_string(key) || !r.get_string(blob.skipped) || !r.get_count(imports, 4)) {
      return fail("truncated entry");
    }
    blob.imports.resize(imports);
    for (auto& name : blob.imports) {
      if (!r.get_string(name)) {
        return fail("truncated import");
      }
    }
    if (!r.get_count(units, 45)) {
      return fail("bad unit count");
    }
    blob.units.resize(units);
    for (auto& unit : blob.units) {
      uint32_t hashes = 0;
      uint32_t tokens = 0;
      int32_t start = 0, end = 0;
      if (!r.get_string(unit.qualified_name) || !r.get(unit.kind) || !r.get(start) || !r.get(end) ||
          !r.get(unit.token_count) || !r.get(unit.fingerprint) || !r.get(unit.text_hash) ||
          !r.get_count(hashes, 8) || unit.kind > static_cast<uint8_t>(syntax::UnitKind::guard) ||
          start < 1 || end < start) {
        return fail("bad unit");
      }
      unit.start_line = start;
      unit.end_line = end;
      unit.hashes.resize(hashes);
      if (!r.get_bytes(unit.hashes.data(), hashes * sizeof(uint64_t)) ||
          !r.get_count(tokens, sizeof(uint32_t)) || (tokens != 0 && tokens != unit.token_count) ||
          !r.get_view(unit.stored_tokens, tokens * sizeof(uint32_t))) {
        return fail("bad unit");
      }
    }
    entries.emplace(std::move(key), std::move(blob));
  }
  if (!r.at_end()) {
    return fail("trailing bytes");
  }
  return entries;
}

CloneIndex CloneIndex::build(const std::vector<gate::TreeFile>& files,
                             const gate::ContentSource& contents,
                             const std::filesystem::path& cache_dir,
                             const CloneIndexOptions& options) {
  CloneIndex index;
  auto& stats = index.m_stats;

  Entries cached;
  if (!cache_dir.empty()) {
    std::error_code ec;
    auto path = cache_file(cache_dir);
    if (std::filesystem::exists(path, ec)) {
      auto bytes = gate::read_file(path);
      if (!bytes) {
        stats.cache_problem = bytes.error();
      } else {
        // The entries' stored token streams view these bytes: the index keeps them.
        auto kept = std::make_shared<const std::string>(std::move(*bytes));
        if (auto loaded = deserialize(*kept); !loaded) {
          stats.cache_problem = "clone index cache ignored: " + loaded.error();
        } else {
          cached = std::move(*loaded);
          stats.cache_loaded = true;
          index.m_cache_bytes = std::move(kept);
        }
      }
    }
  }

  const std::string too_large_prefix = "too large:";
  const std::string too_large = too_large_prefix + std::to_string(options.max_file_bytes);

  // Which files to index, and which blobs must be parsed now.
  struct Todo {
    std::string key;
    std::string oid;
    std::string language;
  };
  std::vector<Todo> todo;
  std::set<std::string> wanted;
  for (const auto& file : files) {
    if (file.mode == 0120000 || syntax::is_vendored_path(file.path) ||
        syntax::is_lock_file(file.path) || (options.ignored && options.ignored(file.path))) {
      continue;
    }
    const auto* language = syntax::language_for_path(file.path);
    if (language == nullptr) {
      continue;
    }
    ++stats.files;
    std::string language_id(language->id);
    std::string key = entry_key(file.oid, language_id);
    index.m_files.push_back({file.path, file.oid, language_id, nullptr});
    if (!wanted.insert(key).second) {
      continue;
    }
    if (auto it = cached.find(key);
        it != cached.end() &&
        (!it->second.skipped.starts_with(too_large_prefix) || it->second.skipped == too_large)) {
      index.m_entries.emplace(key, std::move(it->second));
      ++stats.from_cache;
    } else {
      todo.push_back({key, file.oid, language_id});
    }
  }

  // Parse the new blobs on a few threads. Unreadable blobs are left out and not cached (a later
  // run may be able to read them); too large ones are cached as skipped under the limit of this
  // run, so that a warm run neither reads them again nor rewrites the cache, and a run with
  // another limit looks at them again.
  std::vector<std::optional<IndexedBlob>> results(todo.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      auto content = contents.blob(todo[i].oid);
      if (!content) {
        continue;
      }
      IndexedBlob blob;
      if (content->size() > options.max_file_bytes) {
        blob.skipped = too_large;
      } else if (syntax::has_generated_marker(std::string_view(*content).substr(0, 1024))) {
        blob.skipped = "generated";
      } else if (looks_minified(*content)) {
        blob.skipped = "minified";
      } else {
        blob = index_parsed(syntax::parse_units(todo[i].language, *content), *content);
      }
      results[i] = std::move(blob);
    }
  };
  unsigned threads = options.threads;
  if (threads == 0) {
    threads = std::clamp(std::thread::hardware_concurrency(), 1U, 4U);
  }
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, todo.size()));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back(worker);
    }
  }
  bool changed = !todo.empty() || cached.size() != stats.from_cache;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    if (results[i]) {
      index.m_entries.emplace(todo[i].key, std::move(*results[i]));
      ++stats.parsed;
    }
  }

  for (auto& file : index.m_files) {
    auto it = index.m_entries.find(entry_key(file.oid, file.language));
    if (it == index.m_entries.end() || !it->second.skipped.empty()) {
      ++stats.skipped;
    }
    if (it != index.m_entries.end()) {
      file.blob = &it->second;
      stats.units += it->second.units.size();
    }
  }
  std::erase_if(index.m_files, [](const IndexedFile& f) { return f.blob == nullptr; });

  if (changed && !cache_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(cache_dir, ec);
    auto written = gate::write_file_atomic(cache_file(cache_dir), serialize(index.m_entries));
    if (written) {
      stats.cache_written = true;
    } else if (stats.cache_problem.empty()) {
      stats.cache_problem = written.error();
    }
  }
  return index;
}

} // namespace agate::analyzers
