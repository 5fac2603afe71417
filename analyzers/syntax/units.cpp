// Unit extraction: runs the language's unit query (rules/languages/<id>.scm) over a parsed file
// and turns its captures into Units (docs/queries.md describes the capture convention).
//
// Steps: (1) every @unit.<kind> capture becomes a candidate with the @name, @scope and @extend
// captures of its match; (2) candidates on the same node merge, so a function that a test
// pattern also matches is reported once, as a test; (3) a walk in source order finds each unit's
// enclosing unit, which gives qualified names and turns functions directly inside a type into
// methods; a guard inside another guard (the `raise` of an `if ...: raise`) is dropped; (4) one
// walk over the file gives every unit the names it defines and uses and its token stream (each
// leaf goes to all units enclosing it). Every walk is iterative, so deeply nested input cannot
// overflow the stack, and none is quadratic.
#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/query.hpp"
#include "analyzers/syntax/syntax_cache.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace agate::syntax {

namespace {

// ---- definitions: where an identifier binds a name -------------------------------------------

// (parent node type, field of the identifier in it); field "*" means any position.
using Binding = std::pair<std::string_view, std::string_view>;

struct BindingTable {
  std::set<Binding> bindings;
  std::set<std::string_view> containers; // lists and patterns whose identifiers all bind
};

const BindingTable& bindings_for(std::string_view language_id) {
  static const std::map<std::string_view, BindingTable, std::less<>> tables = [] {
    std::map<std::string_view, BindingTable, std::less<>> t;
    t["python"] = {{{"function_definition", "name"},
                    {"class_definition", "name"},
                    {"parameters", "*"},
                    {"lambda_parameters", "*"},
                    {"default_parameter", "name"},
                    {"typed_parameter", "*"},
                    {"typed_default_parameter", "name"},
                    {"list_splat_pattern", "*"},
                    {"dictionary_splat_pattern", "*"},
                    {"assignment", "left"},
                    {"for_statement", "left"},
                    {"for_in_clause", "left"},
                    {"as_pattern_target", "*"},
                    {"named_expression", "name"},
                    {"aliased_import", "alias"},
                    {"import_from_statement", "name"},
                    {"import_statement", "name"},
                    {"global_statement", "*"},
                    {"nonlocal_statement", "*"}},
                   {"pattern_list", "tuple_pattern", "list_pattern", "dotted_name"}};
    BindingTable ecma = {{{"function_declaration", "name"},
                          {"generator_function_declaration", "name"},
                          {"function_expression", "name"},
                          {"function", "name"},
                          {"class_declaration", "name"},
                          {"abstract_class_declaration", "name"},
                          {"class", "name"},
                          {"method_definition", "name"},
                          {"field_definition", "property"},
                          {"public_field_definition", "name"},
                          {"variable_declarator", "name"},
                          {"formal_parameters", "*"},
                          {"required_parameter", "pattern"},
                          {"optional_parameter", "pattern"},
                          {"assignment_pattern", "left"},
                          {"arrow_function", "parameter"},
                          {"catch_clause", "parameter"},
                          {"for_in_statement", "left"},
                          {"import_specifier", "name"},
                          {"import_specifier", "alias"},
                          {"namespace_import", "*"},
                          {"import_clause", "*"},
                          {"pair_pattern", "value"},
                          {"interface_declaration", "name"},
                          {"type_alias_declaration", "name"},
                          {"enum_declaration", "name"}},
                         {"array_pattern", "object_pattern", "rest_pattern"}};
    t["javascript"] = ecma;
    t["typescript"] = ecma;
    t["tsx"] = ecma;
    t["go"] = {{{"function_declaration", "name"},
                {"method_declaration", "name"},
                {"parameter_declaration", "name"},
                {"variadic_parameter_declaration", "name"},
                {"short_var_declaration", "left"},
                {"var_spec", "name"},
                {"const_spec", "name"},
                {"type_spec", "name"},
                {"type_alias", "name"},
                {"range_clause", "left"},
                {"import_spec", "name"},
                {"field_declaration", "name"},
                {"method_elem", "name"},
                {"labeled_statement", "label"}},
               {"expression_list"}};
    t["rust"] = {{{"function_item", "name"},
                  {"function_signature_item", "name"},
                  {"struct_item", "name"},
                  {"enum_item", "name"},
                  {"union_item", "name"},
                  {"trait_item", "name"},
                  {"type_item", "name"},
                  {"const_item", "name"},
                  {"static_item", "name"},
                  {"mod_item", "name"},
                  {"macro_definition", "name"},
                  {"parameter", "pattern"},
                  {"let_declaration", "pattern"},
                  {"for_expression", "pattern"},
                  {"closure_parameters", "*"},
                  {"field_declaration", "name"},
                  {"enum_variant", "name"},
                  {"use_as_clause", "alias"},
                  {"if_let_expression", "pattern"},
                  {"let_condition", "pattern"}},
                 {"tuple_pattern", "mut_pattern", "ref_pattern", "tuple_struct_pattern"}};
    t["java"] = {{{"class_declaration", "name"},
                  {"interface_declaration", "name"},
                  {"enum_declaration", "name"},
                  {"record_declaration", "name"},
                  {"annotation_type_declaration", "name"},
                  {"method_declaration", "name"},
                  {"constructor_declaration", "name"},
                  {"formal_parameter", "name"},
                  {"variable_declarator", "name"},
                  {"catch_formal_parameter", "name"},
                  {"enhanced_for_statement", "name"},
                  {"lambda_expression", "parameters"},
                  {"inferred_parameters", "*"},
                  {"enum_constant", "name"},
                  {"resource", "name"}},
                 {}};
    BindingTable c_family = {{{"function_declarator", "declarator"},
                              {"init_declarator", "declarator"},
                              {"declaration", "declarator"},
                              {"parameter_declaration", "declarator"},
                              {"optional_parameter_declaration", "declarator"},
                              {"pointer_declarator", "declarator"},
                              {"array_declarator", "declarator"},
                              {"reference_declarator", "*"},
                              {"struct_specifier", "name"},
                              {"class_specifier", "name"},
                              {"union_specifier", "name"},
                              {"enum_specifier", "name"},
                              {"enumerator", "name"},
                              {"field_declaration", "declarator"},
                              {"type_definition", "declarator"},
                              {"preproc_def", "name"},
                              {"preproc_function_def", "name"},
                              {"preproc_params", "*"},
                              {"for_range_loop", "declarator"},
                              {"namespace_definition", "name"},
                              {"alias_declaration", "name"}},
                             {}};
    t["c"] = c_family;
    t["cpp"] = c_family;
    return t;
  }();
  static const BindingTable empty;
  auto it = tables.find(language_id);
  return it == tables.end() ? empty : it->second;
}

// ---- candidates ---------------------------------------------------------------------------------

std::optional<UnitKind> kind_of_capture(std::string_view capture) {
  static const std::pair<std::string_view, UnitKind> kinds[] = {
      {"unit.function", UnitKind::function}, {"unit.method", UnitKind::method},
      {"unit.type", UnitKind::type},         {"unit.test", UnitKind::test},
      {"unit.import", UnitKind::import},     {"unit.guard", UnitKind::guard}};
  for (const auto& [name, kind] : kinds) {
    if (capture == name) {
      return kind;
    }
  }
  return std::nullopt;
}

// Units that enclose others and give them a qualified-name component.
bool is_scope_kind(UnitKind kind) {
  return kind == UnitKind::function || kind == UnitKind::method || kind == UnitKind::type ||
         kind == UnitKind::test;
}

int priority(UnitKind kind) {
  switch (kind) {
  case UnitKind::test:
    return 4;
  case UnitKind::method:
    return 3;
  case UnitKind::function:
    return 2;
  case UnitKind::type:
    return 1;
  default:
    return 0;
  }
}

struct Candidate {
  TSNode node{};
  UnitKind kind = UnitKind::function;
  bool type_like = false; // some pattern saw this node as a type (a test class is one)
  std::string name;
  std::string scope;
  uint32_t start_byte = 0; // the unit's range: its node and its @extend nodes
  uint32_t end_byte = 0;
  TSPoint start_point{};
  TSPoint end_point{};
  std::vector<TSNode> extends; // @extend nodes: part of the unit's range and contents
  // When not empty, the children of `node` that make the unit's contents instead of all of it:
  // a guard `if` with an `else`/`elif` is its condition and consequence only.
  std::vector<TSNode> parts;
  // Filled by the nesting pass.
  std::string qualified_name;
  bool dropped = false;        // a guard inside another guard
  bool namespace_only = false; // a @namespace: names the units inside it, is no unit itself
};

// A guard is one branch: an `if` that raises, with `elif`/`else if`/`else` branches after it, is
// its condition and consequence, and each later branch that raises or returns an error is a
// guard of its own (removing one branch of a chain is a removed guard). Empty when the node has
// no alternative: the whole node is the guard.
std::vector<TSNode> branch_parts(TSNode node) {
  TSNode alternative = ts_node_child_by_field_name(node, "alternative", 11);
  TSNode consequence = ts_node_child_by_field_name(node, "consequence", 11);
  if (ts_node_is_null(alternative) || ts_node_is_null(consequence)) {
    return {};
  }
  std::vector<TSNode> parts;
  const uint32_t end = ts_node_end_byte(consequence);
  const uint32_t count = ts_node_child_count(node);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode child = ts_node_child(node, i);
    if (ts_node_start_byte(child) >= end) {
      break;
    }
    parts.push_back(child);
  }
  return parts;
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += ch;
  }
  return out;
}

std::string strip_quotes(std::string text) {
  if (text.size() >= 2) {
    char first = text.front();
    char last = text.back();
    if ((first == '"' && last == '"') || (first == '\'' && last == '\'') ||
        (first == '`' && last == '`') || (first == '<' && last == '>')) {
      return text.substr(1, text.size() - 2);
    }
  }
  return text;
}

// Built by appending rather than std::string::replace, which gcc 12 at -O3 warns about
// (a -Wrestrict false positive inside libstdc++).
std::string replace_all(const std::string& text, std::string_view from, std::string_view to) {
  if (from.empty()) {
    return text;
  }
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  std::size_t pos = 0;
  while ((pos = text.find(from, start)) != std::string::npos) {
    out.append(text, start, pos - start);
    out.append(to);
    start = pos + from.size();
  }
  out.append(text, start, std::string::npos);
  return out;
}

std::string join_texts(const std::vector<TSNode>& nodes, std::string_view text, bool quoted) {
  std::string out;
  for (TSNode node : nodes) {
    std::string part = collapse_whitespace(node_text(node, text));
    if (quoted) {
      part = strip_quotes(std::move(part));
    }
    if (part.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += '.';
    }
    out += part;
  }
  return out;
}

void sort_by_position(std::vector<TSNode>& nodes) {
  std::sort(nodes.begin(), nodes.end(),
            [](TSNode a, TSNode b) { return ts_node_start_byte(a) < ts_node_start_byte(b); });
  nodes.erase(
      std::unique(nodes.begin(), nodes.end(), [](TSNode a, TSNode b) { return ts_node_eq(a, b); }),
      nodes.end());
}

class CandidateSet {
public:
  explicit CandidateSet(std::string_view text) : m_text(text) {}

  void add(const QueryMatch& match) {
    std::vector<TSNode> names;
    std::vector<TSNode> scopes;
    std::vector<TSNode> extends;
    for (const auto& capture : match.captures) {
      if (capture.name == "name") {
        names.push_back(capture.node);
      } else if (capture.name == "scope") {
        scopes.push_back(capture.node);
      } else if (capture.name == "extend") {
        extends.push_back(capture.node);
      }
    }
    sort_by_position(names);
    sort_by_position(scopes);
    for (const auto& capture : match.captures) {
      auto kind = kind_of_capture(capture.name);
      if (kind) {
        add(capture.node, *kind, names, scopes, extends);
      } else if (capture.name == "namespace") {
        add_namespace(capture.node, names);
      }
    }
  }

  std::vector<Candidate> take() { return std::move(m_candidates); }

private:
  void add_namespace(TSNode node, const std::vector<TSNode>& name_nodes) {
    std::string key = std::to_string(reinterpret_cast<uintptr_t>(node.id)) + "/namespace";
    if (!m_index.emplace(key, m_candidates.size()).second) {
      return;
    }
    Candidate c;
    c.node = node;
    c.kind = UnitKind::type; // a scope for the nesting pass; never reported
    c.namespace_only = true;
    c.name = replace_all(join_texts(name_nodes, m_text, true), "::", ".");
    c.start_byte = ts_node_start_byte(node);
    c.end_byte = ts_node_end_byte(node);
    c.start_point = ts_node_start_point(node);
    c.end_point = ts_node_end_point(node);
    m_candidates.push_back(std::move(c));
  }

  void add(TSNode node, UnitKind kind, const std::vector<TSNode>& name_nodes,
           const std::vector<TSNode>& scope_nodes, const std::vector<TSNode>& extends) {
    bool quoted = kind == UnitKind::import || kind == UnitKind::test;
    std::string name = join_texts(name_nodes, m_text, quoted);
    std::string scope = replace_all(join_texts(scope_nodes, m_text, false), "::", ".");
    if (is_scope_kind(kind)) {
      // An out-of-line definition `void Foo::bar()`: the name is `bar`, `Foo` its scope.
      auto sep = name.rfind("::");
      if (sep != std::string::npos && kind != UnitKind::test) {
        std::string prefix = replace_all(name.substr(0, sep), "::", ".");
        name = name.substr(sep + 2);
        scope = scope.empty() ? prefix : scope + "." + prefix;
      }
    } else if (kind == UnitKind::guard) {
      name.clear();
    }
    std::vector<TSNode> parts =
        kind == UnitKind::guard ? branch_parts(node) : std::vector<TSNode>{};

    // Merge key: scope-like units merge by node; imports and guards by node and name.
    std::string key = std::to_string(reinterpret_cast<uintptr_t>(node.id));
    if (!is_scope_kind(kind)) {
      key += "/" + std::string(to_string(kind)) + "/" + name;
    }
    auto [it, inserted] = m_index.emplace(key, m_candidates.size());
    if (inserted) {
      Candidate c;
      c.node = node;
      c.kind = kind;
      c.name = std::move(name);
      c.scope = std::move(scope);
      c.start_byte = ts_node_start_byte(node);
      c.end_byte = ts_node_end_byte(node);
      c.start_point = ts_node_start_point(node);
      c.end_point = ts_node_end_point(node);
      if (!parts.empty()) {
        c.end_byte = ts_node_end_byte(parts.back());
        c.end_point = ts_node_end_point(parts.back());
        c.parts = std::move(parts);
      }
      m_candidates.push_back(std::move(c));
    } else {
      Candidate& c = m_candidates[it->second];
      if (priority(kind) > priority(c.kind)) {
        c.kind = kind;
        if (!name.empty()) {
          c.name = std::move(name);
        }
        if (!scope.empty()) {
          c.scope = std::move(scope);
        }
      } else {
        if (c.name.empty()) {
          c.name = std::move(name);
        }
        if (c.scope.empty()) {
          c.scope = std::move(scope);
        }
      }
    }
    Candidate& c = m_candidates[it->second];
    c.type_like = c.type_like || kind == UnitKind::type;
    for (TSNode extra : extends) {
      if (std::none_of(c.extends.begin(), c.extends.end(),
                       [extra](TSNode e) { return ts_node_eq(e, extra); })) {
        c.extends.push_back(extra);
      }
      if (ts_node_start_byte(extra) < c.start_byte) {
        c.start_byte = ts_node_start_byte(extra);
        c.start_point = ts_node_start_point(extra);
      }
      if (ts_node_end_byte(extra) > c.end_byte) {
        c.end_byte = ts_node_end_byte(extra);
        c.end_point = ts_node_end_point(extra);
      }
    }
  }

  std::string_view m_text;
  std::vector<Candidate> m_candidates;
  std::map<std::string, std::size_t> m_index;
};

// ---- nesting: qualified names, methods, nested guards -----------------------------------------

// Ranges include @extend nodes: a Catch2 TEST_CASE's block holds the test's assertions.
bool contains(const Candidate& outer, const Candidate& inner) {
  return outer.start_byte <= inner.start_byte && inner.end_byte <= outer.end_byte;
}

std::string join_qualified(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) {
    if (part.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += '.';
    }
    out += part;
  }
  return out;
}

void resolve_nesting(std::vector<Candidate>& candidates) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.start_byte != b.start_byte) {
                       return a.start_byte < b.start_byte;
                     }
                     if (a.end_byte != b.end_byte) {
                       return a.end_byte > b.end_byte;
                     }
                     // Same range: a scope unit encloses the import or guard it coincides with.
                     return is_scope_kind(a.kind) && !is_scope_kind(b.kind);
                   });
  std::vector<std::size_t> scopes; // indices of the enclosing scope units, innermost last
  std::optional<std::size_t> last_guard;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    Candidate& c = candidates[i];
    while (!scopes.empty() && !contains(candidates[scopes.back()], c)) {
      scopes.pop_back();
    }
    const Candidate* parent = scopes.empty() ? nullptr : &candidates[scopes.back()];
    if (c.kind == UnitKind::guard) {
      if (last_guard && contains(candidates[*last_guard], c)) {
        c.dropped = true; // the `raise` inside `if ...: raise` is part of that guard
        continue;
      }
      last_guard = i;
    }
    if (c.kind == UnitKind::function &&
        (!c.scope.empty() || (parent != nullptr && parent->type_like))) {
      c.kind = UnitKind::method;
    }
    std::string_view parent_name = parent == nullptr ? std::string_view{} : parent->qualified_name;
    c.qualified_name = join_qualified({parent_name, c.scope, c.name});
    if (is_scope_kind(c.kind)) {
      scopes.push_back(i);
    }
  }
}

// ---- one walk for all units: defines, references, tokens ---------------------------------------

// What a unit accumulates while the file is walked.
struct Collector {
  Unit* unit = nullptr;
  std::unordered_set<std::string_view> defined;
  std::unordered_set<std::string_view> referenced;
};

struct Frame {
  std::string_view type;
  std::string_view field;
  std::size_t entered = 0; // units whose node is this one (popped when the walk leaves it)
};

// Walks the tree once and feeds every leaf to the units whose node encloses it, so a class and
// its methods do not each walk the same subtree again. `nodes[i]` are the nodes of `units[i]`:
// its own node and its @extend nodes.
void collect_unit_contents(TSNode root, std::string_view text, const BindingTable& table,
                           const SymbolClasses& classes,
                           const std::vector<std::vector<TSNode>>& nodes,
                           std::vector<Unit>& units) {
  std::vector<Collector> collectors(units.size());
  std::unordered_map<const void*, std::vector<std::size_t>> by_node;
  std::vector<uint32_t> starts;
  for (std::size_t i = 0; i < units.size(); ++i) {
    collectors[i].unit = &units[i];
    for (TSNode node : nodes[i]) {
      by_node[node.id].push_back(i);
      starts.push_back(ts_node_start_byte(node));
    }
    // An import's name is a module path, not a name it binds: those are found below.
    if (!units[i].name.empty() && units[i].kind != UnitKind::import) {
      units[i].defines.push_back(units[i].name);
      collectors[i].defined.insert(units[i].name);
    }
  }
  std::sort(starts.begin(), starts.end());
  auto holds_unit = [&starts](TSNode node) {
    uint32_t start = ts_node_start_byte(node);
    auto it = std::lower_bound(starts.begin(), starts.end(), start);
    return it != starts.end() && (*it < ts_node_end_byte(node) || *it == start);
  };
  auto bound = [&table](std::string_view parent, std::string_view field) {
    return table.bindings.count({parent, field}) != 0 || table.bindings.count({parent, "*"}) != 0;
  };

  std::vector<std::size_t> active; // indices of the units enclosing the current node
  std::vector<Frame> frames;
  TreeCursor cursor(root);
  TSTreeCursor* c = cursor.get();
  auto enter = [&](TSNode node) {
    const char* field = ts_tree_cursor_current_field_name(c);
    Frame frame{ts_node_type(node), field == nullptr ? std::string_view{} : field, 0};
    if (auto it = by_node.find(node.id); it != by_node.end()) {
      for (std::size_t index : it->second) {
        active.push_back(index);
        ++frame.entered;
      }
    }
    frames.push_back(frame);
  };
  auto leave = [&]() {
    active.resize(active.size() - frames.back().entered);
    frames.pop_back();
  };

  enter(root);
  while (true) {
    TSNode current = ts_tree_cursor_current_node(c);
    TokenClass cls = classes.classify(current);
    bool descend = false;
    if (active.empty()) {
      descend = cls != TokenClass::comment && holds_unit(current);
    } else if (cls == TokenClass::string || cls == TokenClass::number) {
      uint32_t token = cls == TokenClass::string ? token_string : token_number;
      for (std::size_t index : active) {
        units[index].tokens.push_back(token);
      }
    } else if (cls == TokenClass::comment) {
      // skipped with its subtree
    } else if (ts_node_child_count(current) > 0) {
      descend = true;
    } else if (cls == TokenClass::identifier) {
      std::string_view name = node_text(current, text);
      bool is_definition = frames.back().type == "shorthand_property_identifier_pattern";
      if (!is_definition && frames.size() >= 2) {
        const Frame& self = frames.back();
        const Frame& parent = frames[frames.size() - 2];
        is_definition = bound(parent.type, self.field);
        if (!is_definition && frames.size() >= 3 && table.containers.count(parent.type) != 0) {
          is_definition = bound(frames[frames.size() - 3].type, parent.field);
        }
      }
      for (std::size_t index : active) {
        Collector& collector = collectors[index];
        collector.unit->tokens.push_back(token_identifier);
        if (name.empty() || name == "_") {
          continue;
        }
        if (collector.referenced.insert(name).second) {
          collector.unit->references.emplace_back(name);
        }
        if (is_definition && collector.defined.insert(name).second) {
          collector.unit->defines.emplace_back(name);
        }
      }
    } else {
      std::string_view leaf = node_text(current, text);
      if (!leaf.empty()) {
        uint32_t token = text_token(leaf);
        for (std::size_t index : active) {
          units[index].tokens.push_back(token);
        }
      }
    }

    if (descend && ts_tree_cursor_goto_first_child(c)) {
      enter(ts_tree_cursor_current_node(c));
      continue;
    }
    bool moved = false;
    while (frames.size() > 1) {
      leave();
      if (ts_tree_cursor_goto_next_sibling(c)) {
        enter(ts_tree_cursor_current_node(c));
        moved = true;
        break;
      }
      ts_tree_cursor_goto_parent(c);
    }
    if (!moved) {
      break;
    }
  }
  for (auto& unit : units) {
    unit.fingerprint = fingerprint(unit.tokens);
  }
}

int count_lines(std::string_view content) {
  if (content.empty()) {
    return 0;
  }
  auto lines = static_cast<int>(std::count(content.begin(), content.end(), '\n'));
  return content.back() == '\n' ? lines : lines + 1;
}

} // namespace

ParsedFile parse_units(std::string_view language_id, std::string_view content, TreePtr* tree_out) {
  ParsedFile out;
  out.language = std::string(language_id);
  out.line_count = count_lines(content);
  const Language* language = find_language(language_id);
  if (language == nullptr) {
    return out;
  }
  // What is made once per language (the compiled query, the symbol table) is made before the
  // clock starts: the budget is the file's, not the first file's of its language.
  auto query = unit_query(language_id);
  const auto& bindings = bindings_for(language_id);
  const auto& symbols = SymbolClasses::of(language->grammar());
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + file_time_budget();
  SyntaxTree tree = parse_tree(*language, content, deadline);
  if (!tree.ok()) {
    out.has_errors = true;
    out.timed_out = tree.timed_out;
    return out;
  }
  TSNode root = tree.root();
  out.has_errors = ts_node_has_error(root);
  if (!query) {
    return out; // a broken .scm is caught by the language tests; never fail a user's check
  }

  CandidateSet set(tree.text);
  (*query)->for_each_match(root, tree.text, [&set](const QueryMatch& m) { set.add(m); });
  std::vector<Candidate> candidates = set.take();
  resolve_nesting(candidates);

  std::vector<std::vector<TSNode>> nodes;
  for (auto& c : candidates) {
    if (c.dropped || c.namespace_only) {
      continue;
    }
    Unit unit;
    unit.kind = c.kind;
    unit.name = std::move(c.name);
    unit.qualified_name = std::move(c.qualified_name);
    unit.start_byte = c.start_byte + tree.byte_offset;
    unit.end_byte = c.end_byte + tree.byte_offset;
    unit.start_line = static_cast<int>(c.start_point.row) + 1;
    // A node that ends at the start of a line (after its newline) ends on the line before.
    uint32_t end_row = c.end_point.row;
    if (c.end_point.column == 0 && end_row > c.start_point.row) {
      --end_row;
    }
    unit.end_line = static_cast<int>(end_row) + 1;
    out.units.push_back(std::move(unit));
    nodes.push_back(c.parts.empty() ? std::vector<TSNode>{c.node} : c.parts);
    nodes.back().insert(nodes.back().end(), c.extends.begin(), c.extends.end());
  }
  collect_unit_contents(root, tree.text, bindings, symbols, nodes, out.units);
  std::stable_sort(out.units.begin(), out.units.end(), [](const Unit& a, const Unit& b) {
    if (a.start_byte != b.start_byte) {
      return a.start_byte < b.start_byte;
    }
    return a.end_byte > b.end_byte;
  });
  if (std::chrono::steady_clock::now() > deadline) {
    // Over the budget (queries on a crafted file): its units are not trusted to be complete.
    out.units.clear();
    out.has_errors = true;
    out.timed_out = true;
    return out;
  }
  if (tree_out != nullptr) {
    *tree_out = std::move(tree.tree);
  }
  return out;
}

} // namespace agate::syntax
