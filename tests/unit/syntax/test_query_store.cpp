// The query cache: a query loaded from its saved bytes matches exactly what the compiled query
// matches, for every unit query and every library rule on real samples; the cache file is used
// by the next process, and a file that is damaged, of another build or truncated is ignored and
// rewritten, never trusted.
#include "analyzers/duplication/library_rules.hpp"
#include "analyzers/syntax/language.hpp"
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/query.hpp"
#include "analyzers/syntax/query_store.hpp"
#include "analyzers/syntax/ts_runtime.h"
#include "gate/util/embedded.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <tuple>
#include <vector>

using namespace agate;
using namespace agate::syntax;

namespace {

// Every match of `query` on `root`: pattern, and each capture's id and byte range.
using MatchList = std::vector<std::tuple<uint32_t, uint32_t, uint32_t, uint32_t>>;

MatchList all_matches(const TSQuery* query, TSNode root) {
  QueryCursorPtr cursor(ts_query_cursor_new());
  ts_query_cursor_exec(cursor.get(), query, root);
  MatchList out;
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor.get(), &match)) {
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      const auto& capture = match.captures[i];
      out.emplace_back(match.pattern_index, capture.index, ts_node_start_byte(capture.node),
                       ts_node_end_byte(capture.node));
    }
  }
  return out;
}

std::string embedded_text(const std::string& path) {
  const auto* file = embedded::find(path);
  REQUIRE_MESSAGE(file != nullptr, path);
  return file == nullptr ? std::string() : std::string(file->content);
}

std::string saved(const TSQuery* query) {
  std::size_t size = 0;
  char* bytes = agate_ts_query_save(query, &size);
  std::string out(bytes, size);
  agate_ts_free(bytes);
  return out;
}

// Compiles `source`, round-trips it through its bytes and checks both find the same matches in
// every embedded file of the language (samples, rule examples); returns how many matches.
std::size_t check_round_trip(const Language& language, const std::string& source,
                             const std::string& what) {
  CAPTURE(what);
  uint32_t offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr compiled(ts_query_new(language.grammar(), source.data(),
                                 static_cast<uint32_t>(source.size()), &offset, &error));
  REQUIRE(compiled != nullptr);
  std::string bytes = saved(compiled.get());
  QueryPtr loaded(agate_ts_query_load(language.grammar(), bytes.data(), bytes.size()));
  REQUIRE(loaded != nullptr);
  CHECK(saved(loaded.get()) == bytes);
  CHECK(ts_query_pattern_count(loaded.get()) == ts_query_pattern_count(compiled.get()));
  CHECK(ts_query_capture_count(loaded.get()) == ts_query_capture_count(compiled.get()));
  CHECK(ts_query_string_count(loaded.get()) == ts_query_string_count(compiled.get()));
  std::size_t matches = 0;
  for (const auto& file : embedded::files()) {
    const Language* of_file = language_for_path(file.path);
    if (of_file == nullptr || of_file->id != language.id) {
      continue;
    }
    SyntaxTree tree = parse_tree(language, file.content);
    REQUIRE(tree.ok());
    auto expected = all_matches(compiled.get(), tree.root());
    CHECK_MESSAGE(all_matches(loaded.get(), tree.root()) == expected, file.path);
    matches += expected.size();
  }
  return matches;
}

} // namespace

TEST_CASE("query store: every unit query and every library rule loads back and matches the same") {
  std::size_t total = 0;
  for (const auto& language : languages()) {
    std::string source = embedded_text("languages/" + std::string(language.id) + ".scm");
    // tsx inherits typescript's patterns: use the query as compiled (its own lines suffice for
    // the round trip, but the inherited ones carry most patterns).
    if (source.find("; inherits: typescript") != std::string::npos) {
      source = embedded_text("languages/typescript.scm") + "\n" + source;
    }
    total += check_round_trip(language, source, "languages/" + std::string(language.id));
  }
  auto rules = analyzers::builtin_library_rules();
  REQUIRE(rules.ok());
  std::size_t rule_queries = 0;
  for (const auto& rule : **rules) {
    for (const auto& id : rule.languages) {
      const Language* language = find_language(id);
      REQUIRE(language != nullptr);
      std::vector<std::string> sources;
      if (!rule.query.empty()) {
        sources.push_back(rule.query);
      }
      sources.insert(sources.end(), rule.inside.begin(), rule.inside.end());
      sources.insert(sources.end(), rule.not_inside.begin(), rule.not_inside.end());
      for (const auto& source : sources) {
        total += check_round_trip(*language, source, rule.id + " (" + id + ")");
        ++rule_queries;
      }
    }
  }
  CHECK(rule_queries >= 36);
  CHECK(total > 500); // the samples and examples exercise the queries
}

TEST_CASE("query store: damaged bytes never load") {
  const Language* python = find_language("python");
  REQUIRE(python != nullptr);
  std::string source = embedded_text("languages/python.scm");
  uint32_t offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr compiled(ts_query_new(python->grammar(), source.data(),
                                 static_cast<uint32_t>(source.size()), &offset, &error));
  REQUIRE(compiled != nullptr);
  std::string bytes = saved(compiled.get());
  // Every truncation fails (the reader needs every byte and no more).
  for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
    QueryPtr loaded(agate_ts_query_load(python->grammar(), bytes.data(), cut));
    CHECK(loaded == nullptr);
  }
  std::string longer = bytes + "x";
  CHECK(QueryPtr(agate_ts_query_load(python->grammar(), longer.data(), longer.size())) == nullptr);
  // Counts and indexes out of range fail the consistency check instead of loading.
  std::string huge = bytes;
  huge[0] = '\xff';
  huge[1] = '\xff';
  huge[2] = '\xff';
  huge[3] = '\x7f';
  CHECK(QueryPtr(agate_ts_query_load(python->grammar(), huge.data(), huge.size())) == nullptr);
  std::size_t rejected = 0;
  std::size_t tried = 0;
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x80);
    QueryPtr loaded(agate_ts_query_load(python->grammar(), flipped.data(), flipped.size()));
    ++tried;
    rejected += loaded == nullptr ? 1 : 0;
    // What does load (a flipped bit in a symbol or a text) is still a query agate can free.
  }
  CHECK(rejected > 0);
  CHECK(tried > rejected);
  CHECK(QueryPtr(agate_ts_query_load(nullptr, bytes.data(), bytes.size())) == nullptr);
}

TEST_CASE("query store: the cache file serves the next run and a damaged one is rebuilt") {
  test::TempDir dir;
  const auto file = dir / "cache" / "queries.bin";
  const Language* go = find_language("go");
  REQUIRE(go != nullptr);
  // A source no other test compiles, so the process-wide query caches do not interfere.
  const std::string source = "(function_declaration name: (identifier) @name) @fn ; store test";
  auto compile = [&] {
    uint32_t offset = 0;
    TSQueryError error = TSQueryErrorNone;
    return compile_cached(go->grammar(), source, &offset, &error);
  };
  struct Reset {
    ~Reset() { use_query_cache({}); }
  } reset;

  use_query_cache(file);
  REQUIRE(compile() != nullptr);
  CHECK(query_cache_stats().compiled == 1);
  CHECK(query_cache_stats().loaded == 0);
  save_query_cache();
  CHECK(query_cache_stats().written);
  REQUIRE(std::filesystem::exists(file));
  const std::string good = test::read_file(file);

  // A second process: the query is loaded, nothing is compiled or written.
  use_query_cache({});
  use_query_cache(file);
  auto loaded = compile();
  REQUIRE(loaded != nullptr);
  CHECK(query_cache_stats().file_loaded);
  CHECK(query_cache_stats().loaded == 1);
  CHECK(query_cache_stats().compiled == 0);
  save_query_cache();
  CHECK_FALSE(query_cache_stats().written);
  SyntaxTree tree = parse_tree(*go, "package x\n\nfunc Hello() {}\n");
  CHECK(all_matches(loaded.get(), tree.root()).size() == 2);

  // A damaged file (one byte changed, truncated, or not a cache at all) is ignored, the query
  // compiled again and the file rewritten whole.
  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  for (const auto& damaged :
       {flipped, good.substr(0, good.size() - 3), std::string("not a cache"), std::string()}) {
    test::write_file(file, damaged);
    use_query_cache({});
    use_query_cache(file);
    REQUIRE(compile() != nullptr);
    auto stats = query_cache_stats();
    CHECK(stats.loaded == 0);
    CHECK(stats.compiled == 1);
    CHECK_FALSE(stats.file_loaded);
    if (!damaged.empty()) {
      CHECK(stats.problem.find("query cache ignored") != std::string::npos);
    }
    save_query_cache();
    CHECK(query_cache_stats().written);
    CHECK(test::read_file(file) == good);
  }

  // Compile errors are reported as ts_query_new reports them and never cached.
  use_query_cache({});
  use_query_cache(file);
  uint32_t offset = 0;
  TSQueryError error = TSQueryErrorNone;
  CHECK(compile_cached(go->grammar(), "(no_such_node) @x", &offset, &error) == nullptr);
  CHECK(error == TSQueryErrorNodeType);
  save_query_cache();
  CHECK_FALSE(query_cache_stats().written);
}
