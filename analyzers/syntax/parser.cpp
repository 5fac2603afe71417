// Thread-local parser pool and BOM handling (see parser.hpp).
#include "analyzers/syntax/parser.hpp"

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

SyntaxTree parse_tree(const Language& language, std::string_view content) {
  SyntaxTree out = without_bom(content);
  content = out.text;
  if (content.size() >= std::numeric_limits<uint32_t>::max()) {
    return out;
  }
  TSParser* parser = parser_for(language.grammar());
  if (parser == nullptr) {
    return out;
  }
  out.tree.reset(ts_parser_parse_string(parser, nullptr, content.data(),
                                        static_cast<uint32_t>(content.size())));
  ts_parser_reset(parser);
  return out;
}

} // namespace agate::syntax
