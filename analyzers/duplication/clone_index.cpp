// The clone index and its on-disk cache; see clone_index.hpp.
#include "analyzers/duplication/clone_index.hpp"

#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "analyzers/syntax/unit.hpp"
#include "gate/util/cache_io.hpp"
#include "gate/util/embedded.hpp"
#include "gate/util/file_util.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_set>

namespace agate::analyzers {

namespace {

constexpr std::string_view cache_magic = "AGATECLX";
constexpr uint32_t cache_version = 4; // 2: text hashes, token streams; 3: token section,
// u32 hashes; 4: hashes 4-byte aligned, viewed in place
// magic, version, main section size; the checksum after the main section.
constexpr std::size_t head_bytes = 8 + sizeof(uint32_t) + sizeof(uint64_t);

using gate::cache_io::checksum64;
using gate::cache_io::fnv1a;
using gate::cache_io::Reader;
using gate::cache_io::Writer;

// What defines units: the language queries compiled into the binary. A cache made with other
// queries is stale.
uint64_t syntax_version() {
  static const uint64_t version = [] {
    uint64_t hash = fnv1a("agate-clone-index/2");
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

std::vector<uint32_t> clone_hashes(const std::vector<uint32_t>& tokens) {
  // 32 bits of each selected hash: they only find candidates, which are then verified on the
  // token streams, and half the size is half the cache to read on every run.
  std::vector<uint32_t> hashes;
  for (const auto& selected : syntax::winnow(tokens, clone_kgram, clone_window)) {
    hashes.push_back(static_cast<uint32_t>(selected.hash ^ (selected.hash >> 32)));
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
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
    indexed.own_name = unit.qualified_name;
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

struct CloneIndex::TokenSection {
  gate::UniqueFd fd;
  uint64_t base = 0;  // byte offset of the section in the file
  uint64_t count = 0; // tokens in the section

  std::vector<uint32_t> read(uint64_t offset, uint32_t tokens) const {
    std::vector<uint32_t> out;
    if (offset > count || tokens > count - offset) {
      return out;
    }
    out.resize(tokens);
    if (!gate::read_at(fd.get(), base + offset * sizeof(uint32_t), out.data(),
                       out.size() * sizeof(uint32_t))) {
      out.clear();
    }
    return out;
  }
};

namespace {

// A cache file to write: its head (magic to checksum) and where each unit's token stream comes
// from, in the order of the token section.
struct Encoded {
  struct Piece {
    const std::vector<uint32_t>* fresh = nullptr; // the unit's own tokens, or
    uint64_t old_offset = 0;                      // a range of the loaded file's section
    uint32_t count = 0;
  };
  std::string head;
  std::vector<Piece> pieces;
};

// `old_tokens`: whether the units' token offsets point into a loaded file that can be copied.
Encoded encode(const CloneIndex::Entries& entries, bool old_tokens) {
  Encoded encoded;
  Writer main;
  main.put<uint32_t>(static_cast<uint32_t>(clone_kgram));
  main.put<uint32_t>(static_cast<uint32_t>(clone_window));
  main.put<uint32_t>(static_cast<uint32_t>(clone_index_min_tokens));
  main.put<uint64_t>(syntax_version());
  std::size_t total_at = main.out().size();
  main.put<uint64_t>(0); // the token count, known at the end
  main.put<uint32_t>(static_cast<uint32_t>(entries.size()));
  uint64_t total = 0;
  for (const auto& [key, blob] : entries) {
    main.put_string(key);
    main.put_string(blob.skipped);
    main.put_string(blob.language);
    main.put<uint32_t>(static_cast<uint32_t>(blob.imports.size()));
    for (const auto& name : blob.imports) {
      main.put_string(name);
    }
    main.put<uint32_t>(static_cast<uint32_t>(blob.units.size()));
    for (const auto& unit : blob.units) {
      main.put_string(unit.qualified_name());
      main.put<uint8_t>(unit.kind);
      main.put<int32_t>(unit.start_line);
      main.put<int32_t>(unit.end_line);
      main.put<uint32_t>(unit.token_count);
      main.put<uint64_t>(unit.fingerprint);
      main.put<uint64_t>(unit.text_hash);
      auto hashes = unit.hash_view();
      main.put<uint32_t>(static_cast<uint32_t>(hashes.size()));
      main.align(sizeof(uint32_t)); // the main section starts at a multiple of 4 too
      main.out().append(reinterpret_cast<const char*>(hashes.data()),
                        hashes.size() * sizeof(uint32_t));
      Encoded::Piece piece;
      piece.count = unit.token_count;
      if (unit.token_count > 0 && unit.tokens.size() == unit.token_count) {
        piece.fresh = &unit.tokens;
      } else if (unit.token_count > 0 && old_tokens &&
                 unit.token_offset != IndexedUnit::no_token_offset) {
        piece.old_offset = unit.token_offset;
      } else {
        main.put<uint64_t>(IndexedUnit::no_token_offset);
        continue;
      }
      main.put<uint64_t>(total);
      total += unit.token_count;
      encoded.pieces.push_back(piece);
    }
  }
  std::memcpy(main.out().data() + total_at, &total, sizeof total);
  Writer head;
  head.out().append(cache_magic);
  head.put<uint32_t>(cache_version);
  head.put<uint64_t>(main.out().size());
  head.out().append(main.out());
  head.put<uint64_t>(checksum64(head.out()));
  encoded.head = std::move(head.out());
  return encoded;
}

// The entries of a cache file: `head` is its bytes up to the checksum (included), `file_size`
// the size of the whole file (the token section must fill the rest exactly).
Result<CloneIndex::Entries> decode(std::string_view head, uint64_t file_size,
                                   uint64_t* token_count) {
  if (head.size() < head_bytes + sizeof(uint64_t) ||
      head.substr(0, cache_magic.size()) != cache_magic) {
    return fail("not a clone index file");
  }
  Reader r(head.substr(cache_magic.size()));
  uint32_t version = 0, k = 0, window = 0, min_tokens = 0;
  uint64_t main_size = 0, syntax = 0, tokens_total = 0;
  if (!r.get(version) || version != cache_version) {
    return fail("format version " + std::to_string(version) + ", expected " +
                std::to_string(cache_version));
  }
  if (!r.get(main_size) || main_size != head.size() - head_bytes - sizeof(uint64_t)) {
    return fail("truncated");
  }
  std::string_view summed = head.substr(0, head.size() - sizeof(uint64_t));
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, head.data() + summed.size(), sizeof(uint64_t));
  if (stored_sum != checksum64(summed)) {
    return fail("checksum mismatch (corrupt or truncated)");
  }
  r = Reader(summed.substr(head_bytes));
  if (!r.get(k) || !r.get(window) || !r.get(min_tokens) || !r.get(syntax) || k != clone_kgram ||
      window != clone_window || min_tokens != clone_index_min_tokens ||
      syntax != syntax_version()) {
    return fail("made with other parameters or language queries");
  }
  if (!r.get(tokens_total) || tokens_total > file_size / sizeof(uint32_t) ||
      file_size - head.size() != tokens_total * sizeof(uint32_t)) {
    return fail("token section of the wrong size (corrupt or truncated)");
  }
  CloneIndex::Entries entries;
  uint32_t count = 0;
  if (!r.get_count(count, 12)) {
    return fail("bad entry count");
  }
  for (uint32_t i = 0; i < count; ++i) {
    std::string key;
    IndexedBlob blob;
    uint32_t imports = 0, units = 0;
    if (!r.get_string(key) || !r.get_string(blob.skipped) || !r.get_string(blob.language) ||
        !r.get_count(imports, 4)) {
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
      int32_t start = 0, end = 0;
      if (!r.get_string_view(unit.stored_name) || !r.get(unit.kind) || !r.get(start) ||
          !r.get(end) || !r.get(unit.token_count) || !r.get(unit.fingerprint) ||
          !r.get(unit.text_hash) || !r.get_count(hashes, sizeof(uint32_t)) ||
          unit.kind > static_cast<uint8_t>(syntax::UnitKind::guard) || start < 1 || end < start) {
        return fail("bad unit");
      }
      unit.start_line = start;
      unit.end_line = end;
      std::string_view hash_bytes;
      if (!r.align(sizeof(uint32_t)) || !r.get_view(hash_bytes, hashes * sizeof(uint32_t))) {
        return fail("bad unit");
      }
      if (reinterpret_cast<std::uintptr_t>(hash_bytes.data()) % alignof(uint32_t) == 0) {
        unit.stored_hashes = {reinterpret_cast<const uint32_t*>(hash_bytes.data()), hashes};
      } else { // bytes at an odd address (never the loaded file): copied
        unit.hashes.resize(hashes);
        std::memcpy(unit.hashes.data(), hash_bytes.data(), hash_bytes.size());
      }
      if (!r.get(unit.token_offset) || (unit.token_offset != IndexedUnit::no_token_offset &&
                                        (unit.token_offset > tokens_total ||
                                         unit.token_count > tokens_total - unit.token_offset))) {
        return fail("bad unit");
      }
    }
    entries.emplace(std::move(key), std::move(blob));
  }
  if (!r.at_end()) {
    return fail("trailing bytes");
  }
  if (token_count != nullptr) {
    *token_count = tokens_total;
  }
  return entries;
}

// Makes the next `bytes` of this thread's malloc arena resident in one call. Decoding the index
// allocates some megabytes of small objects, and on a virtual machine each page fault of the
// fresh memory costs many microseconds: faulting them in one madvise(MADV_POPULATE_WRITE) is
// several times cheaper. The block is freed right away and reused by the decoding when malloc
// keeps large blocks in its arenas (agate's main sets M_MMAP_THRESHOLD and M_TRIM_THRESHOLD so;
// otherwise this does nothing useful, and no harm). Best effort.
void populate_arena(std::size_t bytes) {
  void* block = std::malloc(bytes);
  if (block == nullptr) {
    return;
  }
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  auto begin = (reinterpret_cast<std::uintptr_t>(block) + page - 1) / page * page;
  auto end = (reinterpret_cast<std::uintptr_t>(block) + bytes) / page * page;
  if (end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
  }
  std::free(block);
}

// The head of a cache file (magic to checksum) read from `fd`, or why not.
Result<gate::FileBytes> read_head(int fd, uint64_t file_size) {
  char fixed[head_bytes];
  if (file_size < head_bytes + sizeof(uint64_t) || !gate::read_at(fd, 0, fixed, head_bytes)) {
    return fail("not a clone index file");
  }
  uint64_t main_size = 0;
  std::memcpy(&main_size, fixed + head_bytes - sizeof(uint64_t), sizeof main_size);
  if (main_size > file_size - head_bytes - sizeof(uint64_t)) {
    main_size = 0; // decode() names the problem
  }
  auto head = gate::FileBytes::read(fd, 0, head_bytes + main_size + sizeof(uint64_t));
  TRY(head);
  return head;
}

// Writes `entries` to `path`: the head, then the token streams, those of the loaded file copied
// in runs.
Status write_cache(const std::filesystem::path& path, const CloneIndex::Entries& entries,
                   const CloneIndex::TokenSection* old) {
  Encoded encoded = encode(entries, old != nullptr);
  auto file = gate::AtomicFile::create(path);
  TRY(file);
  if (auto written = file->write(encoded.head); !written) {
    return written;
  }
  std::string buffer; // fresh tokens, written in chunks
  auto flush = [&]() -> Status {
    auto written = file->write(buffer);
    buffer.clear();
    return written;
  };
  for (std::size_t i = 0; i < encoded.pieces.size(); ++i) {
    const auto& piece = encoded.pieces[i];
    if (piece.fresh != nullptr) {
      buffer.append(reinterpret_cast<const char*>(piece.fresh->data()),
                    piece.fresh->size() * sizeof(uint32_t));
      if (buffer.size() >= (1U << 20)) {
        if (auto written = flush(); !written) {
          return written;
        }
      }
      continue;
    }
    uint64_t count = piece.count;
    while (i + 1 < encoded.pieces.size() && encoded.pieces[i + 1].fresh == nullptr &&
           encoded.pieces[i + 1].old_offset == piece.old_offset + count) {
      count += encoded.pieces[++i].count;
    }
    if (auto written = flush(); !written) {
      return written;
    }
    if (auto copied =
            file->copy_from(old->fd.get(), old->base + piece.old_offset * sizeof(uint32_t),
                            count * sizeof(uint32_t));
        !copied) {
      return copied;
    }
  }
  if (auto written = flush(); !written) {
    return written;
  }
  return file->commit(false);
}

} // namespace

std::string CloneIndex::serialize(const Entries& entries) {
  Encoded encoded = encode(entries, false);
  std::string bytes = std::move(encoded.head);
  for (const auto& piece : encoded.pieces) {
    bytes.append(reinterpret_cast<const char*>(piece.fresh->data()),
                 piece.fresh->size() * sizeof(uint32_t));
  }
  return bytes;
}

Result<CloneIndex::Entries> CloneIndex::deserialize(std::string_view bytes) {
  std::string_view head = bytes.substr(0, std::min(bytes.size(), head_bytes));
  if (bytes.size() >= head_bytes + sizeof(uint64_t)) {
    uint64_t main_size = 0;
    std::memcpy(&main_size, bytes.data() + head_bytes - sizeof(uint64_t), sizeof main_size);
    if (main_size <= bytes.size() - head_bytes - sizeof(uint64_t)) {
      head = bytes.substr(0, head_bytes + main_size + sizeof(uint64_t));
    }
  }
  return decode(head, bytes.size(), nullptr);
}

std::vector<uint32_t> CloneIndex::tokens_of(const IndexedUnit& unit) const {
  if (!unit.tokens.empty()) {
    return unit.tokens;
  }
  if (m_token_section == nullptr || unit.token_offset == IndexedUnit::no_token_offset) {
    return {};
  }
  return m_token_section->read(unit.token_offset, unit.token_count);
}

CloneIndex CloneIndex::build(const std::vector<gate::TreeFile>& files,
                             const gate::ContentSource& contents,
                             const std::filesystem::path& cache_dir,
                             const CloneIndexOptions& options) {
  CloneIndex index;
  auto& stats = index.m_stats;

  Entries cached;
  if (!cache_dir.empty()) {
    auto path = cache_file(cache_dir);
    gate::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!fd.valid()) {
      if (errno != ENOENT) {
        stats.cache_problem = "cannot read " + path.string() + ": " + std::strerror(errno);
      }
    } else if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      stats.cache_problem = "clone index cache ignored: not a regular file";
    } else {
      auto file_size = static_cast<uint64_t>(st.st_size);
      uint64_t token_count = 0;
      auto head = read_head(fd.get(), file_size);
      if (head) {
        populate_arena(head->view().size() * 2); // about what the entries take in memory
      }
      auto loaded = head ? decode(head->view(), file_size, &token_count)
                         : Result<Entries>(fail(head.error()));
      if (!loaded) {
        stats.cache_problem = "clone index cache ignored: " + loaded.error();
      } else {
        cached = std::move(*loaded);
        stats.cache_loaded = true;
        auto section = std::make_shared<TokenSection>();
        section->fd = std::move(fd);
        section->base = head->view().size();
        section->count = token_count;
        index.m_token_section = std::move(section);
        // The entries' stored hashes view the head: the index keeps it (moving keeps the mapping).
        index.m_head = std::make_shared<const gate::FileBytes>(std::move(*head));
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
    std::string path;
  };
  std::vector<Todo> todo;
  std::set<std::string> todo_keys;
  // The cached entries are taken over whole; those of blobs no longer in the tree are pruned.
  index.m_entries = std::move(cached);
  const std::size_t cached_count = index.m_entries.size();
  std::unordered_set<const IndexedBlob*> used;
  index.m_files.reserve(files.size());
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
    if (auto it = index.m_entries.find(key);
        it != index.m_entries.end() &&
        (!it->second.skipped.starts_with(too_large_prefix) || it->second.skipped == too_large)) {
      if (used.insert(&it->second).second) {
        ++stats.from_cache;
      }
    } else if (todo_keys.insert(key).second) {
      todo.push_back({key, file.oid, language_id, file.path});
    }
  }
  std::erase_if(index.m_entries,
                [&used](const auto& entry) { return !used.contains(&entry.second); });

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
        // A `.h` header of a C++ project is read as C++, as the changed files are.
        const std::string_view language =
            syntax::refine_header_language(todo[i].language, todo[i].path, *content);
        blob = index_parsed(syntax::parse_units(language, *content), *content);
        if (language != todo[i].language) {
          blob.language = std::string(language);
        }
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
  bool changed = !todo.empty() || cached_count != stats.from_cache;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    if (results[i]) {
      index.m_entries.insert_or_assign(todo[i].key, std::move(*results[i]));
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
      if (!it->second.language.empty()) {
        file.language = it->second.language;
      }
      stats.units += it->second.units.size();
    }
  }
  std::erase_if(index.m_files, [](const IndexedFile& f) { return f.blob == nullptr; });

  if (changed && !cache_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(cache_dir, ec);
    auto written = write_cache(cache_file(cache_dir), index.m_entries, index.m_token_section.get());
    if (written) {
      stats.cache_written = true;
    } else if (stats.cache_problem.empty()) {
      stats.cache_problem = written.error();
    }
  }
  return index;
}

} // namespace agate::analyzers
