// The whole-tree reference index (see reference_index.hpp): per-blob word filters, their cache
// file, and the lookup that reads and parses only the files whose filter may hold a name.
#include "analyzers/deletion/reference_index.hpp"

#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/util/cache_io.hpp"
#include "gate/util/file_util.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace agate::analyzers {

namespace {

using gate::cache_io::fnv1a;
using gate::cache_io::Reader;
using gate::cache_io::Writer;

constexpr std::string_view cache_magic = "agate-deletion-words\n";
constexpr uint32_t cache_version = 1;
constexpr int filter_hashes = 4;
constexpr std::size_t filter_bits_per_word = 12;

// A 64-bit mix so that the two halves used by double hashing are independent enough.
uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

template <typename F> void for_each_word(std::string_view text, F&& f) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && word_char(text[j])) {
      ++j;
    }
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
      f(text.substr(i, j - i));
    }
    i = j;
  }
}

std::string parent_dir(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

std::string base_of(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string stem_of(std::string_view path) {
  auto name = base_of(path);
  auto dot = name.find('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

} // namespace

// ---- WordFilter --------------------------------------------------------------------------------

WordFilter WordFilter::of_text(std::string_view text) {
  std::vector<uint64_t> hashes;
  for_each_word(text, [&hashes](std::string_view word) { hashes.push_back(fnv1a(word)); });
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  std::size_t bits = 64;
  while (bits < hashes.size() * filter_bits_per_word) {
    bits *= 2;
  }
  WordFilter filter;
  filter.m_bits.assign(bits / 64, 0);
  for (uint64_t h : hashes) {
    const uint64_t a = mix(h);
    const uint64_t b = mix(a) | 1;
    for (int i = 0; i < filter_hashes; ++i) {
      const uint64_t bit = (a + static_cast<uint64_t>(i) * b) & (bits - 1);
      filter.m_bits[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }
  return filter;
}

bool WordFilter::may_contain(std::string_view word) const {
  if (m_bits.empty()) {
    return false;
  }
  const uint64_t bits = m_bits.size() * 64;
  const uint64_t a = mix(fnv1a(word));
  const uint64_t b = mix(a) | 1;
  for (int i = 0; i < filter_hashes; ++i) {
    const uint64_t bit = (a + static_cast<uint64_t>(i) * b) & (bits - 1);
    if ((m_bits[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) {
      return false;
    }
  }
  return true;
}

std::optional<WordFilter> WordFilter::from_bits(std::vector<uint64_t> bits) {
  // The size must be a power of two of 64-bit words.
  if (bits.empty() || (bits.size() & (bits.size() - 1)) != 0) {
    return std::nullopt;
  }
  WordFilter filter;
  filter.m_bits = std::move(bits);
  return filter;
}

bool has_word(std::string_view text, std::string_view word) {
  if (word.empty()) {
    return false;
  }
  for (auto pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) {
    const bool left = pos == 0 || !word_char(text[pos - 1]);
    const bool right = pos + word.size() >= text.size() || !word_char(text[pos + word.size()]);
    if (left && right) {
      return true;
    }
  }
  return false;
}

bool may_use(std::string_view text, std::string_view name, const std::vector<std::string>& owners) {
  if (name.empty()) {
    return false;
  }
  for (auto pos = text.find(name); pos != std::string_view::npos; pos = text.find(name, pos + 1)) {
    const bool left = pos == 0 || !word_char(text[pos - 1]);
    const bool right = pos + name.size() >= text.size() || !word_char(text[pos + name.size()]);
    if (!left || !right) {
      continue;
    }
    // The qualifier before it: `q::name`, `q.name`, `q->name`.
    std::size_t i = pos;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      --i;
    }
    std::size_t op = 0;
    if (i >= 2 && (text.substr(i - 2, 2) == "::" || text.substr(i - 2, 2) == "->")) {
      op = 2;
    } else if (i >= 1 && text[i - 1] == '.') {
      op = 1;
    }
    if (op == 0) {
      return true; // unqualified: may be the deleted definition
    }
    std::size_t end = i - op;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) {
      --end;
    }
    std::size_t start = end;
    while (start > 0 && word_char(text[start - 1])) {
      --start;
    }
    const std::string_view qualifier = text.substr(start, end - start);
    if (qualifier.empty()) {
      const bool global = op == 2 && text.substr(i - 2, 2) == "::" &&
                          (end == 0 || (text[end - 1] != '>' && text[end - 1] != ')'));
      if (global) {
        return true; // `::name`: the global scope
      }
      continue; // `f().name`, `x[0].name`, `T<U>::name`: a member of some value or type
    }
    for (std::string_view own : {"self", "this", "Self", "super", "crate", "cls"}) {
      if (qualifier == own) {
        return true;
      }
    }
    if (std::find(owners.begin(), owners.end(), qualifier) != owners.end()) {
      return true;
    }
  }
  return false;
}

std::string_view language_family(std::string_view language_id) {
  if (language_id == "cpp") {
    return "c";
  }
  if (language_id == "typescript" || language_id == "tsx") {
    return "javascript";
  }
  return language_id;
}

// ---- the cache file ----------------------------------------------------------------------------

std::filesystem::path ReferenceIndex::cache_file(const std::filesystem::path& cache_dir) {
  return cache_dir / "deletion-words.bin";
}

std::string ReferenceIndex::serialize(const std::map<std::string, WordFilter>& entries) {
  Writer w;
  w.out().append(cache_magic);
  w.put<uint32_t>(cache_version);
  w.put<uint32_t>(static_cast<uint32_t>(entries.size()));
  for (const auto& [oid, filter] : entries) {
    w.put_string(oid);
    w.put<uint32_t>(static_cast<uint32_t>(filter.bits().size()));
    for (uint64_t word : filter.bits()) {
      w.put<uint64_t>(word);
    }
  }
  w.put<uint64_t>(fnv1a(w.out()));
  return std::move(w.out());
}

Result<std::map<std::string, WordFilter>> ReferenceIndex::deserialize(std::string_view bytes) {
  if (bytes.size() < cache_magic.size() + sizeof(uint64_t) ||
      bytes.substr(0, cache_magic.size()) != cache_magic) {
    return fail("not a deletion word index");
  }
  const auto payload = bytes.substr(0, bytes.size() - sizeof(uint64_t));
  uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + payload.size(), sizeof(uint64_t));
  if (stored != fnv1a(payload)) {
    return fail("checksum mismatch (corrupt or truncated)");
  }
  Reader r(payload.substr(cache_magic.size()));
  uint32_t version = 0;
  if (!r.get(version) || version != cache_version) {
    return fail("format version " + std::to_string(version) + ", expected " +
                std::to_string(cache_version));
  }
  uint32_t count = 0;
  if (!r.get_count(count, 12)) {
    return fail("bad entry count");
  }
  std::map<std::string, WordFilter> entries;
  for (uint32_t i = 0; i < count; ++i) {
    std::string oid;
    uint32_t words = 0;
    if (!r.get_string(oid) || !r.get_count(words, sizeof(uint64_t))) {
      return fail("truncated entry");
    }
    std::vector<uint64_t> bits(words);
    for (auto& word : bits) {
      r.get(word);
    }
    auto filter = WordFilter::from_bits(std::move(bits));
    if (!filter) {
      return fail("bad filter size");
    }
    entries.emplace(std::move(oid), std::move(*filter));
  }
  if (!r.at_end()) {
    return fail("trailing bytes");
  }
  return entries;
}

void ReferenceIndex::load_cache(const std::filesystem::path& cache_dir) {
  m_cache_read = true;
  if (cache_dir.empty()) {
    return;
  }
  std::error_code ec;
  const auto path = cache_file(cache_dir);
  if (!std::filesystem::exists(path, ec)) {
    return;
  }
  auto bytes = gate::read_file(path);
  if (!bytes) {
    m_stats.cache_problem = bytes.error();
    return;
  }
  auto loaded = deserialize(*bytes);
  if (!loaded) {
    m_stats.cache_problem = "deletion word index ignored: " + loaded.error();
    m_dirty = true; // rewrite it
    return;
  }
  for (auto& [oid, filter] : *loaded) {
    m_filters.emplace(oid, std::move(filter));
  }
  m_stats.cache_loaded = true;
}

void ReferenceIndex::prepare(const std::vector<gate::TreeFile>& files,
                             const std::set<std::string>& skip, const gate::ContentSource& contents,
                             const std::filesystem::path& cache_dir, std::size_t max_file_bytes) {
  if (!m_cache_read) {
    load_cache(cache_dir);
  }
  m_files.clear();
  for (const auto& file : files) {
    if (file.mode == 0120000 || skip.contains(file.path) || syntax::is_vendored_path(file.path) ||
        syntax::is_lock_file(file.path)) {
      continue;
    }
    const auto* language = syntax::language_for_path(file.path);
    if (language == nullptr) {
      continue;
    }
    if (!m_filters.contains(file.oid)) {
      auto text = contents.blob(file.oid);
      if (!text) {
        continue;
      }
      // A file too large to parse is never parsed for a lookup either: an empty filter.
      m_filters.emplace(file.oid, text->size() > max_file_bytes ? WordFilter::of_text("")
                                                                : WordFilter::of_text(*text));
      ++m_stats.computed;
      m_dirty = true;
    }
    m_files.push_back({file.path, file.oid, std::string(language->id)});
  }
  m_stats.files = m_files.size();
}

void ReferenceIndex::save(const std::filesystem::path& cache_dir) {
  if (!m_dirty || cache_dir.empty()) {
    return;
  }
  // Keep the blobs of the last tree only, so the file does not grow without bound.
  std::map<std::string, WordFilter> kept;
  for (const auto& file : m_files) {
    if (auto it = m_filters.find(file.oid); it != m_filters.end()) {
      kept.emplace(file.oid, it->second);
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  if (!ec) {
    (void)gate::write_file_atomic(cache_file(cache_dir), serialize(kept));
  }
  m_dirty = false;
}

TreeLookup ReferenceIndex::lookup(const TreeQuery& query, const gate::ContentSource& contents,
                                  syntax::SyntaxCache& syntax) const {
  TreeLookup result;
  const auto family = language_family(query.language);
  const auto home_dir = parent_dir(query.home);
  const auto home_stem = stem_of(query.home);
  const auto home_dir_name = base_of(home_dir);
  for (const auto& file : m_files) {
    if (language_family(file.language) != family) {
      continue;
    }
    auto it = m_filters.find(file.oid);
    if (it == m_filters.end() || !it->second.may_contain(query.name)) {
      continue;
    }
    ++result.candidates;
    auto text = contents.blob(file.oid);
    if (!text || !has_word(*text, query.name)) {
      continue;
    }
    // Only a file that can see the deleted definition: the same directory (a Go package, a Java
    // package, a C module), or one that names the deleted file's module or directory (an import,
    // an #include, a qualified use).
    const bool sees = parent_dir(file.path) == home_dir || has_word(*text, home_stem) ||
                      (!home_dir_name.empty() && has_word(*text, home_dir_name));
    if (!sees) {
      continue;
    }
    ++result.parsed;
    auto parsed = syntax.parse(
        file.oid, syntax::refine_header_language(file.language, file.path, *text), *text);
    bool defines = false;
    for (const auto& unit : parsed->units) {
      if (unit.kind != syntax::UnitKind::import && unit.kind != syntax::UnitKind::guard &&
          unit.name == query.name) {
        defines = true;
      }
    }
    if (defines) {
      result.defined_elsewhere = true;
      continue; // its uses are its own definition's
    }
    // The innermost units (other than guards) that use the name, not through another
    // module's or value's qualifier.
    std::vector<const syntax::Unit*> users;
    for (const auto& unit : parsed->units) {
      if (unit.kind == syntax::UnitKind::guard ||
          std::find(unit.references.begin(), unit.references.end(), query.name) ==
              unit.references.end() ||
          unit.end_byte > text->size() || unit.start_byte > unit.end_byte ||
          !may_use(std::string_view(*text).substr(unit.start_byte, unit.end_byte - unit.start_byte),
                   query.name, query.owners)) {
        continue;
      }
      while (!users.empty() && users.back()->start_byte <= unit.start_byte &&
             unit.end_byte <= users.back()->end_byte) {
        users.pop_back(); // an outer unit: keep the inner one
      }
      users.push_back(&unit);
    }
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text->size();) {
      auto end = text->find('\n', start);
      if (end == std::string::npos) {
        end = text->size();
      }
      lines.push_back(std::string_view(*text).substr(start, end - start));
      start = end + 1;
    }
    for (const auto* unit : users) {
      int line = unit->start_line;
      for (int l = unit->start_line; l <= unit->end_line; ++l) {
        if (l >= 1 && static_cast<std::size_t>(l) <= lines.size() &&
            has_word(lines[static_cast<std::size_t>(l - 1)], query.name)) {
          line = l;
          break;
        }
      }
      result.uses.push_back(
          {file.path, line, unit->qualified_name.empty() ? unit->name : unit->qualified_name});
    }
  }
  return result;
}

} // namespace agate::analyzers
