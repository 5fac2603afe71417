// Token normalization, fingerprints and MOSS winnowing (see fingerprint.hpp).
//
// Node types are classified by name once per grammar, so the walk over a unit costs one table
// lookup per node. The walk is iterative (a tree cursor, no recursion): deeply nested generated
// code cannot overflow the stack.
#include "analyzers/syntax/fingerprint.hpp"

#include "analyzers/syntax/ts_handles.hpp"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace agate::syntax {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

TokenClass class_of_type(std::string_view type) {
  if (contains(type, "comment")) {
    return TokenClass::comment;
  }
  if (ends_with(type, "identifier")) {
    return TokenClass::identifier;
  }
  if (ends_with(type, "string") || ends_with(type, "string_literal") ||
      ends_with(type, "char_literal") || type == "character_literal" || type == "rune_literal" ||
      type == "text_block") {
    return TokenClass::string;
  }
  if (type == "integer" || type == "float" || type == "number" ||
      (ends_with(type, "_literal") && (contains(type, "int") || contains(type, "float") ||
                                       contains(type, "number") || contains(type, "imaginary")))) {
    return TokenClass::number;
  }
  return TokenClass::other;
}

uint64_t mix64(uint64_t x) {
  // splitmix64 finalizer: spreads every input bit over the whole word.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

} // namespace

const SymbolClasses& SymbolClasses::of(const TSLanguage* language) {
  static std::mutex mutex;
  static std::map<const TSLanguage*, std::unique_ptr<SymbolClasses>> tables;
  std::lock_guard lock(mutex);
  auto& table = tables[language];
  if (!table) {
    table = std::make_unique<SymbolClasses>();
    uint32_t count = language == nullptr ? 0 : ts_language_symbol_count(language);
    table->m_classes.resize(count, TokenClass::other);
    for (uint32_t symbol = 0; symbol < count; ++symbol) {
      auto sym = static_cast<TSSymbol>(symbol);
      if (ts_language_symbol_type(language, sym) != TSSymbolTypeRegular) {
        continue; // anonymous tokens ("if", "(") are hashed by text
      }
      const char* name = ts_language_symbol_name(language, sym);
      table->m_classes[symbol] = name == nullptr ? TokenClass::other : class_of_type(name);
    }
  }
  return *table;
}

TokenClass SymbolClasses::classify(TSNode node) const {
  TSSymbol symbol = ts_node_symbol(node);
  if (symbol >= m_classes.size() || !ts_node_is_named(node)) {
    return TokenClass::other;
  }
  return m_classes[symbol];
}

uint32_t text_token(std::string_view text) {
  uint32_t h = 2166136261u; // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  return h < first_text_token ? h + first_text_token : h;
}

std::vector<uint32_t> normalized_tokens(TSNode node, std::string_view text) {
  std::vector<uint32_t> tokens;
  if (ts_node_is_null(node)) {
    return tokens;
  }
  const SymbolClasses& classes = SymbolClasses::of(ts_node_language(node));
  TreeCursor cursor(node);
  TSTreeCursor* c = cursor.get();
  std::size_t depth = 0;
  while (true) {
    TSNode current = ts_tree_cursor_current_node(c);
    TokenClass cls = classes.classify(current);
    bool descend = false;
    if (cls == TokenClass::comment) {
      // skipped with its subtree
    } else if (cls == TokenClass::string) {
      tokens.push_back(token_string);
    } else if (cls == TokenClass::number) {
      tokens.push_back(token_number);
    } else if (ts_node_child_count(current) == 0) {
      if (cls == TokenClass::identifier) {
        tokens.push_back(token_identifier);
      } else {
        uint32_t start = ts_node_start_byte(current);
        uint32_t end = ts_node_end_byte(current);
        if (end > start && end <= text.size()) {
          tokens.push_back(text_token(text.substr(start, end - start)));
        }
      }
    } else {
      descend = true;
    }
    if (descend && ts_tree_cursor_goto_first_child(c)) {
      ++depth;
      continue;
    }
    while (depth > 0 && !ts_tree_cursor_goto_next_sibling(c)) {
      ts_tree_cursor_goto_parent(c);
      --depth;
    }
    if (depth == 0) {
      break;
    }
  }
  return tokens;
}

uint64_t fingerprint(std::span<const uint32_t> tokens) {
  if (tokens.empty()) {
    return 0;
  }
  uint64_t h = 0xcbf29ce484222325ULL;
  for (uint32_t token : tokens) {
    h = mix64(h ^ token) + 0x9e3779b97f4a7c15ULL;
  }
  h = mix64(h ^ tokens.size());
  return h == 0 ? 1 : h;
}

std::vector<uint64_t> kgram_hashes(std::span<const uint32_t> tokens, std::size_t k) {
  std::vector<uint64_t> out;
  if (k == 0 || tokens.size() < k) {
    return out;
  }
  // Polynomial rolling hash over the k-gram (mod 2^64), then mixed for an even distribution.
  constexpr uint64_t base = 0x100000001b3ULL;
  uint64_t top = 1; // base^(k-1)
  for (std::size_t i = 1; i < k; ++i) {
    top *= base;
  }
  uint64_t rolling = 0;
  for (std::size_t i = 0; i < k; ++i) {
    rolling = rolling * base + tokens[i];
  }
  out.reserve(tokens.size() - k + 1);
  out.push_back(mix64(rolling));
  for (std::size_t i = k; i < tokens.size(); ++i) {
    rolling = (rolling - tokens[i - k] * top) * base + tokens[i];
    out.push_back(mix64(rolling));
  }
  return out;
}

std::vector<KgramHash> winnow(std::span<const uint32_t> tokens, std::size_t k, std::size_t window) {
  std::vector<KgramHash> out;
  auto hashes = kgram_hashes(tokens, k);
  if (hashes.empty()) {
    return out;
  }
  if (window == 0) {
    window = 1;
  }
  window = std::min(window, hashes.size());
  std::deque<std::size_t> candidates; // positions with increasing hashes: front is the minimum
  std::size_t last = hashes.size();   // last selected position (none yet)
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    while (!candidates.empty() && hashes[candidates.back()] >= hashes[i]) {
      candidates.pop_back(); // `>=` keeps the rightmost minimum
    }
    candidates.push_back(i);
    if (i + 1 < window) {
      continue; // the first window is not complete yet
    }
    std::size_t window_start = i + 1 - window;
    while (candidates.front() < window_start) {
      candidates.pop_front();
    }
    std::size_t selected = candidates.front();
    if (selected != last) {
      out.push_back(KgramHash{hashes[selected], static_cast<uint32_t>(selected)});
      last = selected;
    }
  }
  return out;
}

} // namespace agate::syntax
