// Query compilation, predicate evaluation and the per-process query cache (see query.hpp).
#include "analyzers/syntax/query.hpp"

#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/query_store.hpp"
#include "gate/util/embedded.hpp"
#include "gate/util/regex.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_set>

namespace agate::syntax {

namespace {

// #match? never runs a regular expression over more than this many bytes (RE2 is linear, and
// unit queries only match names and short literals: this bounds the work per capture).
constexpr std::size_t max_regex_subject = 4096;

enum class PredicateOp { eq, match, any_of };

std::string_view error_type_name(TSQueryError error) {
  switch (error) {
  case TSQueryErrorNone:
    return "no error";
  case TSQueryErrorSyntax:
    return "syntax error";
  case TSQueryErrorNodeType:
    return "unknown node type";
  case TSQueryErrorField:
    return "unknown field";
  case TSQueryErrorCapture:
    return "unknown capture";
  case TSQueryErrorStructure:
    return "impossible pattern structure";
  case TSQueryErrorLanguage:
    return "incompatible language version";
  }
  return "unknown error";
}

} // namespace

// A query source assembled from several files (`; inherits:`): where each part starts.
struct Query::SourcePart {
  std::string origin;
  std::size_t offset = 0;
};

namespace {

using SourcePart = Query::SourcePart;

std::string locate(const std::vector<SourcePart>& parts, const std::string& source,
                   std::size_t offset) {
  std::size_t part = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].offset <= offset) {
      part = i;
    }
  }
  std::size_t start = parts.empty() ? 0 : parts[part].offset;
  offset = std::min(offset, source.size());
  int line = 1;
  std::size_t line_start = start;
  for (std::size_t i = start; i < offset; ++i) {
    if (source[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  std::string origin = parts.empty() ? std::string("query") : parts[part].origin;
  return origin + ":" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

std::string snippet_at(const std::string& source, std::size_t offset) {
  if (offset >= source.size()) {
    return "end of file";
  }
  auto end = source.find_first_of("\n", offset);
  auto text = source.substr(
      offset,
      std::min<std::size_t>(end == std::string::npos ? source.size() - offset : end - offset, 40));
  return "`" + text + "`";
}

} // namespace

struct Query::Predicate {
  PredicateOp op = PredicateOp::eq;
  bool negated = false;
  bool any = false; // any-: one node of a quantified capture suffices; otherwise all must hold
  uint32_t capture = 0;
  std::optional<uint32_t> other_capture; // #eq? @a @b
  std::string literal;                   // #eq? @a "text"
  std::optional<gate::Regex> regex;
  std::vector<std::string> values; // #any-of?
};

Query::Query() = default;
Query::~Query() = default;

std::string_view node_text(TSNode node, std::string_view text) {
  uint32_t start = ts_node_start_byte(node);
  uint32_t end = ts_node_end_byte(node);
  if (start > end || end > text.size()) {
    return {};
  }
  return text.substr(start, end - start);
}

Result<std::shared_ptr<const Query>> Query::compile(const TSLanguage* language,
                                                    std::string_view source, std::string origin) {
  return compile_parts(language, source, {SourcePart{std::move(origin), 0}});
}

Result<std::shared_ptr<const Query>> Query::compile_parts(const TSLanguage* language,
                                                          std::string_view source,
                                                          const std::vector<SourcePart>& parts) {
  std::string origin = parts.empty() ? std::string("query") : parts.back().origin;
  if (language == nullptr) {
    return fail(origin + ": no tree-sitter grammar to compile the query for");
  }
  std::string text(source);
  uint32_t error_offset = 0;
  TSQueryError error_type = TSQueryErrorNone;
  QueryPtr raw = compile_cached(language, text, &error_offset, &error_type);
  if (!raw) {
    return fail(locate(parts, text, error_offset) + ": invalid query (" +
                std::string(error_type_name(error_type)) + " at byte " +
                std::to_string(error_offset) + ", near " + snippet_at(text, error_offset) +
                "): fix the pattern");
  }
  std::shared_ptr<Query> query(new Query());
  query->m_query = std::move(raw);
  query->m_origin = origin;
  const TSQuery* q = query->m_query.get();
  for (uint32_t i = 0; i < ts_query_capture_count(q); ++i) {
    uint32_t length = 0;
    const char* name = ts_query_capture_name_for_id(q, i, &length);
    query->m_capture_names.emplace_back(name, length);
  }
  auto string_value = [q](uint32_t id) {
    uint32_t length = 0;
    const char* value = ts_query_string_value_for_id(q, id, &length);
    return std::string(value, length);
  };

  uint32_t patterns = ts_query_pattern_count(q);
  query->m_predicates.resize(patterns);
  for (uint32_t pattern = 0; pattern < patterns; ++pattern) {
    uint32_t step_count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(q, pattern, &step_count);
    std::size_t i = 0;
    while (i < step_count) {
      std::size_t end = i;
      while (end < step_count && steps[end].type != TSQueryPredicateStepTypeDone) {
        ++end;
      }
      std::vector<TSQueryPredicateStep> args(steps + i, steps + end);
      i = end + 1;
      std::string where = locate(parts, text, ts_query_start_byte_for_pattern(q, pattern));
      if (args.empty() || args[0].type != TSQueryPredicateStepTypeString) {
        return fail(where + ": a predicate must start with its name");
      }
      std::string name = string_value(args[0].value_id);
      if (!name.empty() && name.back() == '!') {
        continue; // directive: no effect on matching
      }
      if (name == "is?" || name == "is-not?") {
        continue; // property assertions: agate sets no properties, ignore
      }
      Predicate predicate;
      std::string base = name;
      if (base.rfind("any-", 0) == 0 && base != "any-of?") {
        predicate.any = true;
        base = base.substr(4);
      }
      if (base.rfind("not-", 0) == 0) {
        predicate.negated = true;
        base = base.substr(4);
      }
      if (base == "eq?") {
        predicate.op = PredicateOp::eq;
      } else if (base == "match?") {
        predicate.op = PredicateOp::match;
      } else if (base == "any-of?") {
        predicate.op = PredicateOp::any_of;
        if (predicate.any) {
          return fail(where + ": unknown predicate #" + name);
        }
      } else {
        return fail(where + ": unknown predicate #" + name +
                    " (agate evaluates #eq?, #match?, #any-of? and their not-/any- forms)");
      }
      if (args.size() < 3 || args[1].type != TSQueryPredicateStepTypeCapture) {
        return fail(where + ": #" + name + " needs a capture and at least one more argument");
      }
      predicate.capture = args[1].value_id;
      if (predicate.op == PredicateOp::any_of) {
        for (std::size_t a = 2; a < args.size(); ++a) {
          if (args[a].type != TSQueryPredicateStepTypeString) {
            return fail(where + ": #" + name + " takes strings after the capture");
          }
          predicate.values.push_back(string_value(args[a].value_id));
        }
      } else {
        if (args.size() != 3) {
          return fail(where + ": #" + name + " takes exactly two arguments");
        }
        if (predicate.op == PredicateOp::eq) {
          if (args[2].type == TSQueryPredicateStepTypeCapture) {
            predicate.other_capture = args[2].value_id;
          } else {
            predicate.literal = string_value(args[2].value_id);
          }
        } else {
          if (args[2].type != TSQueryPredicateStepTypeString) {
            return fail(where + ": #" + name + " takes a regular expression string");
          }
          std::string pattern_text = string_value(args[2].value_id);
          auto compiled = gate::Regex::compile(pattern_text);
          if (!compiled) {
            return fail(where + ": invalid regular expression \"" + pattern_text + "\" in #" +
                        name + ": " + compiled.error());
          }
          predicate.regex = std::move(*compiled);
        }
      }
      query->m_predicates[pattern].push_back(std::move(predicate));
    }
  }
  return std::shared_ptr<const Query>(std::move(query));
}

uint32_t Query::pattern_count() const {
  return ts_query_pattern_count(m_query.get());
}

bool Query::predicates_hold(const TSQueryMatch& match, std::string_view text) const {
  const auto& predicates = m_predicates[match.pattern_index];
  for (const auto& predicate : predicates) {
    auto holds_for = [&](TSNode node) {
      std::string_view subject = node_text(node, text);
      bool result = false;
      switch (predicate.op) {
      case PredicateOp::eq:
        if (predicate.other_capture) {
          result = true;
          for (uint16_t c = 0; c < match.capture_count; ++c) {
            if (match.captures[c].index == *predicate.other_capture) {
              result = subject == node_text(match.captures[c].node, text);
              break;
            }
          }
        } else {
          result = subject == predicate.literal;
        }
        break;
      case PredicateOp::match:
        result = subject.size() <= max_regex_subject && predicate.regex->contains(subject);
        break;
      case PredicateOp::any_of:
        result = std::find(predicate.values.begin(), predicate.values.end(), subject) !=
                 predicate.values.end();
        break;
      }
      return result != predicate.negated;
    };
    bool seen = false;
    bool all = true;
    bool some = false;
    for (uint16_t c = 0; c < match.capture_count; ++c) {
      if (match.captures[c].index != predicate.capture) {
        continue;
      }
      seen = true;
      bool ok = holds_for(match.captures[c].node);
      all = all && ok;
      some = some || ok;
    }
    // A capture absent from the match (an optional or alternative branch) does not constrain it.
    if (seen && !(predicate.any ? some : all)) {
      return false;
    }
  }
  return true;
}

namespace {

// Tree-sitter's query cursor scans the later siblings of every node it enters, so a node with a
// long run of anonymous children (an ERROR node holding thousands of `(`) costs quadratic time:
// 200 KB of such input took 18 s. Such a node is "wide"; a query then runs on the pieces of the
// tree around it instead of through it. Only a node with more children than `wide_children` can
// be wide, and it spans at least that many bytes, so smaller subtrees are never scanned.
constexpr uint32_t wide_children = 1024;
constexpr uint64_t wide_cost = uint64_t{1} << 20; // sum of squared anonymous runs

// Ids of the wide nodes and of their ancestors; empty in every ordinary file.
std::unordered_set<const void*> wide_paths(TSNode root) {
  std::unordered_set<const void*> dirty;
  TreeCursor cursor(root);
  TSTreeCursor* c = cursor.get();
  std::vector<const void*> path;
  while (true) {
    TSNode node = ts_tree_cursor_current_node(c);
    path.push_back(node.id);
    bool big = ts_node_end_byte(node) - ts_node_start_byte(node) >= wide_children;
    if (big && ts_node_child_count(node) > wide_children) {
      uint64_t cost = 0;
      uint64_t run = 0;
      TreeCursor children(node);
      if (ts_tree_cursor_goto_first_child(children.get())) {
        do {
          if (ts_node_is_named(ts_tree_cursor_current_node(children.get()))) {
            cost += run * run;
            run = 0;
          } else {
            ++run;
          }
        } while (ts_tree_cursor_goto_next_sibling(children.get()));
      }
      cost += run * run;
      if (cost > wide_cost) {
        dirty.insert(path.begin(), path.end());
      }
    }
    if (big && ts_tree_cursor_goto_first_child(c)) {
      continue;
    }
    path.pop_back();
    bool moved = false;
    while (!path.empty()) {
      if (ts_tree_cursor_goto_next_sibling(c)) {
        moved = true;
        break;
      }
      ts_tree_cursor_goto_parent(c);
      path.pop_back();
    }
    if (!moved) {
      break;
    }
  }
  return dirty;
}

} // namespace

void Query::for_each_match(TSNode node, std::string_view text,
                           const std::function<void(const QueryMatch&)>& on_match) const {
  if (ts_node_is_null(node)) {
    return;
  }
  QueryCursorPtr cursor(ts_query_cursor_new());
  QueryMatch match;
  auto run = [&](TSNode subtree) {
    ts_query_cursor_exec(cursor.get(), m_query.get(), subtree);
    TSQueryMatch raw;
    while (ts_query_cursor_next_match(cursor.get(), &raw)) {
      if (!predicates_hold(raw, text)) {
        continue;
      }
      match.pattern_index = raw.pattern_index;
      match.captures.clear();
      for (uint16_t c = 0; c < raw.capture_count; ++c) {
        match.captures.push_back(QueryCapture{raw.captures[c].node, raw.captures[c].index,
                                              m_capture_names[raw.captures[c].index]});
      }
      on_match(match);
    }
  };
  auto dirty = wide_paths(node);
  if (dirty.empty()) {
    run(node);
    return;
  }
  // Run on every maximal subtree that holds no wide node. Patterns rooted at a wide node or at
  // one of its ancestors, and sibling patterns among their children, are lost there.
  std::vector<TSNode> pending{node};
  while (!pending.empty()) {
    TSNode current = pending.back();
    pending.pop_back();
    if (dirty.count(current.id) == 0) {
      run(current);
      continue;
    }
    uint32_t count = ts_node_named_child_count(current);
    std::vector<TSNode> children;
    children.reserve(count);
    TreeCursor walker(current);
    if (ts_tree_cursor_goto_first_child(walker.get())) {
      do {
        TSNode child = ts_tree_cursor_current_node(walker.get());
        if (ts_node_is_named(child)) {
          children.push_back(child);
        }
      } while (ts_tree_cursor_goto_next_sibling(walker.get()));
    }
    pending.insert(pending.end(), children.rbegin(), children.rend()); // keep source order
  }
}

std::vector<QueryMatch> Query::matches(TSNode node, std::string_view text) const {
  std::vector<QueryMatch> out;
  for_each_match(node, text, [&out](const QueryMatch& m) { out.push_back(m); });
  return out;
}

namespace {

struct Assembled {
  std::string text;
  std::vector<SourcePart> parts;
};

// rules/<path> with its `; inherits:` files expanded in front of it.
Status assemble_source(std::string_view path, int depth, Assembled& out) {
  const auto* file = embedded::find(path);
  if (file == nullptr) {
    return fail("rules/" + std::string(path) + " is missing from the build: add the file");
  }
  if (depth > 4) {
    return fail("rules/" + std::string(path) + ": `; inherits:` nests too deep");
  }
  std::string_view content = file->content;
  std::size_t pos = 0;
  while (pos < content.size()) {
    auto end = content.find('\n', pos);
    auto line = content.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? content.size() : end + 1;
    constexpr std::string_view marker = "; inherits:";
    if (line.rfind(marker, 0) != 0) {
      if (line.empty() || line[0] == ';' || line == "\r") {
        continue; // comments and blank lines may come before the inherits line
      }
      break;
    }
    std::string_view list = line.substr(marker.size());
    while (!list.empty()) {
      auto comma = list.find(',');
      auto item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
        item.remove_prefix(1);
      }
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t' || item.back() == '\r')) {
        item.remove_suffix(1);
      }
      if (!item.empty()) {
        auto status = assemble_source("languages/" + std::string(item) + ".scm", depth + 1, out);
        if (!status) {
          return status;
        }
        out.text += "\n";
      }
    }
  }
  out.parts.push_back(SourcePart{std::string(path), out.text.size()});
  out.text += content;
  return success();
}

} // namespace

namespace {

// One slot per (language, path): the first caller compiles, concurrent callers of the same slot
// wait for it, callers of other slots do not (queries of different languages compile in
// parallel).
struct CacheSlot {
  std::once_flag once;
  std::optional<Result<std::shared_ptr<const Query>>> result;
};

CacheSlot& cache_slot(std::map<std::string, std::unique_ptr<CacheSlot>, std::less<>>& cache,
                      std::mutex& mutex, const std::string& key) {
  std::lock_guard lock(mutex);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_unique<CacheSlot>();
  }
  return *slot;
}

} // namespace

Result<std::shared_ptr<const Query>> embedded_query(std::string_view language_id,
                                                    std::string_view path) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<CacheSlot>, std::less<>> cache;
  CacheSlot& slot = cache_slot(cache, mutex, std::string(language_id) + '\n' + std::string(path));
  std::call_once(slot.once, [&] {
    slot.result = [&]() -> Result<std::shared_ptr<const Query>> {
      const Language* language = find_language(language_id);
      if (language == nullptr) {
        return fail("unknown language `" + std::string(language_id) + "` for rules/" +
                    std::string(path));
      }
      Assembled source;
      auto status = assemble_source(path, 0, source);
      TRY(status);
      return Query::compile_parts(language->grammar(), source.text, source.parts);
    }();
  });
  return *slot.result;
}

Result<std::shared_ptr<const Query>> unit_query(std::string_view language_id) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<CacheSlot>, std::less<>> cache;
  CacheSlot& slot = cache_slot(cache, mutex, std::string(language_id));
  std::call_once(slot.once, [&] {
    std::string path = "languages/" + std::string(language_id) + ".scm";
    auto query = embedded_query(language_id, path);
    slot.result = query;
    if (!query) {
      return;
    }
    static const std::vector<std::string_view> allowed = {
        "unit.function", "unit.method", "unit.type", "unit.test", "unit.import",
        "unit.guard",    "namespace",   "name",      "scope",     "extend"};
    for (uint32_t i = 0; i < (*query)->capture_count(); ++i) {
      auto name = (*query)->capture_name(i);
      if (!name.empty() && name[0] == '_') {
        continue;
      }
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        slot.result = fail("rules/" + path + ": unknown capture @" + std::string(name) +
                           " (use @unit.function|method|type|test|import|guard, @namespace, @name, "
                           "@scope, @extend, or @_private for predicates)");
        return;
      }
    }
  });
  return *slot.result;
}

} // namespace agate::syntax
