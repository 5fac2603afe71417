// Normalized token streams, fingerprints and winnowed k-gram hashes for move and clone detection.
//
// The token stream of a syntax node is the sequence of its leaves with the parts a copy changes
// abstracted away: every identifier becomes one token, every string or character literal one
// token and every number one token; keywords, operators and punctuation are a hash of their
// text; comments are skipped. So a function that was copied and had its names and constants
// changed has the same stream, and the same 64-bit fingerprint, as the original.
//
// For partial copies (a block pasted into another function) `winnow` selects k-gram hashes the
// way MOSS does (Schleimer, Wilkerson, Aiken, "Winnowing", SIGMOD 2003): hash every run of k
// tokens, keep the smallest hash of every window of `window` consecutive k-grams. Two streams
// that share a run of at least window + k - 1 tokens share at least one selected hash.
#pragma once

#include <tree_sitter/api.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace agate::syntax {

// Token values of the abstracted classes. Every other token is a hash of its text and is never
// below `first_text_token`.
inline constexpr uint32_t token_identifier = 1;
inline constexpr uint32_t token_string = 2;
inline constexpr uint32_t token_number = 3;
inline constexpr uint32_t first_text_token = 16;

// How a node type counts in a token stream, decided from the grammar's node type names.
enum class TokenClass : uint8_t {
  other,      // keyword, operator, punctuation, or an inner node
  identifier, // *identifier leaves: identifier, type_identifier, field_identifier, ...
  string,     // string, char and rune literals (their whole subtree is one token)
  number,     // integer, float, imaginary literals
  comment,    // skipped
};

// The classes of every symbol of a grammar, computed once per process per grammar.
class SymbolClasses {
public:
  static const SymbolClasses& of(const TSLanguage* language);
  TokenClass classify(TSNode node) const;

private:
  std::vector<TokenClass> m_classes; // by TSSymbol
};

// The token hash of a keyword/operator/punctuation text (>= first_text_token).
uint32_t text_token(std::string_view text);

// The normalized tokens of `node`'s subtree; `text` is the text the tree was parsed from.
std::vector<uint32_t> normalized_tokens(TSNode node, std::string_view text);

// The 64-bit hash of a token stream; 0 for an empty stream.
uint64_t fingerprint(std::span<const uint32_t> tokens);

// The hash of every run of k consecutive tokens (tokens.size() - k + 1 of them; none when the
// stream is shorter than k or k is 0).
std::vector<uint64_t> kgram_hashes(std::span<const uint32_t> tokens, std::size_t k);

struct KgramHash {
  uint64_t hash = 0;
  uint32_t position = 0; // index of the k-gram's first token in the stream
  friend bool operator==(const KgramHash&, const KgramHash&) = default;
};

// The MOSS selection: the minimum hash of every window of `window` consecutive k-grams (the
// rightmost one on ties), each selected position reported once, in stream order. A stream with
// fewer k-grams than `window` keeps the minimum of the k-grams it has.
std::vector<KgramHash> winnow(std::span<const uint32_t> tokens, std::size_t k, std::size_t window);

} // namespace agate::syntax
