// Thread-local parser pool and BOM handling (see parser.hpp).
#include "analyzers/syntax/parser.hpp"

#include <atomic>
#include <limits>
#include <map>

namespace agate::syntax {

namespace {

TSParser* parser_for(const TSLanguage* grammar) {
  thread_local std::map<const TSLanguage*, ParserPtr> parsers;
  auto& parser = parsers[grammar];
  if (!parser) {
    parser.reset(ts_parser_new());
    if (!ts_parser_set_language(parser.get(), grammar)) {
      parser.reset();
      return nullptr; // ABI version the runtime cannot load
    }
  }
  return parser.get();
}

} // namespace

namespace {

// The text tree-sitter sees: the content without a UTF-8 byte-order mark.
SyntaxTree without_bom(std::string_view content) {
  SyntaxTree out;
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (content.substr(0, bom.size()) == bom) {
    content.remove_prefix(bom.size());
    out.byte_offset = static_cast<uint32_t>(bom.size());
  }
  out.text = content;
  return out;
}

} // namespace

SyntaxTree adopt_tree(TreePtr tree, std::string_view content) {
  SyntaxTree out = without_bom(content);
  out.tree = std::move(tree);
  return out;
}

namespace {

std::atomic<long long> g_budget_ms{2000};

// Stops the parse once the deadline has passed (tree-sitter asks every few hundred steps).
bool past_deadline(TSParseState* state) {
  const auto* deadline = static_cast<const std::chrono::steady_clock::time_point*>(state->payload);
  return std::chrono::steady_clock::now() > *deadline;
}

const char* read_string(void* payload, uint32_t byte_index, TSPoint /*position*/,
                        uint32_t* bytes_read) {
  const auto* text = static_cast<const std::string_view*>(payload);
  if (byte_index >= text->size()) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = static_cast<uint32_t>(text->size() - byte_index);
  return text->data() + byte_index;
}

} // namespace

std::chrono::milliseconds file_time_budget() {
  return std::chrono::milliseconds(g_budget_ms.load(std::memory_order_relaxed));
}

void set_file_time_budget(std::chrono::milliseconds budget) {
  g_budget_ms.store(budget.count(), std::memory_order_relaxed);
}

SyntaxTree parse_tree(const Language& language, std::string_view content,
                      std::chrono::steady_clock::time_point deadline) {
  SyntaxTree out = without_bom(content);
  content = out.text;
  if (content.size() >= std::numeric_limits<uint32_t>::max()) {
    return out;
  }
  TSParser* parser = parser_for(language.grammar());
  if (parser == nullptr) {
    return out;
  }
  if (deadline == std::chrono::steady_clock::time_point::max()) {
    out.tree.reset(ts_parser_parse_string(parser, nullptr, content.data(),
                                          static_cast<uint32_t>(content.size())));
  } else {
    TSInput input{&content, read_string, TSInputEncodingUTF8, nullptr};
    TSParseOptions options{&deadline, past_deadline};
    out.tree.reset(ts_parser_parse_with_options(parser, nullptr, input, options));
    out.timed_out = out.tree == nullptr;
  }
  ts_parser_reset(parser);
  return out;
}

} // namespace agate::syntax
