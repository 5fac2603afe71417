// RAII owners for the tree-sitter C handles (TSParser, TSTree, TSQuery, TSQueryCursor).
//
// Tree-sitter hands out raw pointers that must be released with the matching ts_*_delete call.
// Every handle agate holds lives in one of these unique_ptr aliases, so an early return or an
// exception can never leak a parser or a tree, and no code owns a raw tree-sitter pointer.
#pragma once

#include <tree_sitter/api.h>

#include <memory>

namespace agate::syntax {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};
struct TreeDeleter {
  void operator()(TSTree* tree) const { ts_tree_delete(tree); }
};
struct QueryDeleter {
  void operator()(TSQuery* query) const { ts_query_delete(query); }
};
struct QueryCursorDeleter {
  void operator()(TSQueryCursor* cursor) const { ts_query_cursor_delete(cursor); }
};

using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;
using QueryPtr = std::unique_ptr<TSQuery, QueryDeleter>;
using QueryCursorPtr = std::unique_ptr<TSQueryCursor, QueryCursorDeleter>;

// A TSTreeCursor is a value type with heap state: this owner resets it on scope exit.
class TreeCursor {
public:
  explicit TreeCursor(TSNode node) : m_cursor(ts_tree_cursor_new(node)) {}
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;
  ~TreeCursor() { ts_tree_cursor_delete(&m_cursor); }
  TSTreeCursor* get() { return &m_cursor; }

private:
  TSTreeCursor m_cursor;
};

} // namespace agate::syntax
