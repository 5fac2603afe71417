// Tests of the clone index (analyzers/duplication/clone_index.hpp): what it keeps of a blob, and
// its on-disk cache: reused by blob id so only changed blobs are parsed again, pruned to the
// current tree, and rebuilt (never trusted) when it is corrupt, truncated or of another version.
#include "analyzers/duplication/clone_index.hpp"
#include "analyzers/syntax/fingerprint.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/content_source.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <cstring>

namespace {

using namespace agate;
using analyzers::CloneIndex;

std::string python_function(const std::string& name, int variant) {
  std::string v = std::to_string(variant);
  return "\n\ndef " + name + "(items, limit=" + v +
         "):\n"
         "    result = []\n"
         "    for item in items:\n"
         "        if item.get('id') is None or item['id'] < " +
         v +
         ":\n"
         "            continue\n"
         "        result.append(item['id'] * 2)\n"
         "    return sorted(result)[:limit]\n";
}

struct Tree {
  gate::MapContentSource contents;
  std::vector<gate::TreeFile> files;
  void add(const std::string& path, const std::string& oid, const std::string& text) {
    contents.add(oid, text);
    files.push_back({path, oid, 0100644});
  }
};

} // namespace

TEST_CASE("clone index: functions with their hashes and the file's imports") {
  Tree tree;
  tree.add("a.py", "o1",
           "import redis\nfrom app import db\n" + python_function("pick", 1) +
               "\n\ndef tiny():\n    return 1\n");
  tree.add("README.md", "o2", "# readme\n");
  tree.add("vendor/x.py", "o3", python_function("pick", 2));
  auto index = CloneIndex::build(tree.files, tree.contents, {}, {});
  REQUIRE(index.files().size() == 1);
  const auto& file = index.files()[0];
  CHECK(file.path == "a.py");
  CHECK(file.language == "python");
  CHECK(file.blob->imports == std::vector<std::string>{"redis", "app"});
  REQUIRE(file.blob->units.size() == 1); // tiny() is below the index minimum
  const auto& unit = file.blob->units[0];
  CHECK(unit.qualified_name() == "pick");
  CHECK(unit.start_line == 5);
  CHECK(unit.end_line == 11);
  CHECK(!unit.hash_view().empty());
  CHECK(std::is_sorted(unit.hash_view().begin(), unit.hash_view().end()));
  CHECK(index.stats().parsed == 1);
  CHECK(!index.stats().cache_written);
}

TEST_CASE("clone index: the cache is reused by blob id and rebuilt when corrupt") {
  test::TempDir tmp;
  auto cache_dir = tmp.path() / "agate" / "cache";
  Tree tree;
  for (int i = 0; i < 6; ++i) {
    tree.add("src/m" + std::to_string(i) + ".py", "oid" + std::to_string(i),
             python_function("f" + std::to_string(i), i));
  }
  auto first = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(first.stats().parsed == 6);
  CHECK(first.stats().cache_written);
  auto file = CloneIndex::cache_file(cache_dir);
  REQUIRE(std::filesystem::exists(file));

  // Warm: nothing parsed, nothing written.
  auto warm = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(warm.stats().cache_loaded);
  CHECK(warm.stats().from_cache == 6);
  CHECK(warm.stats().parsed == 0);
  CHECK(!warm.stats().cache_written);
  CHECK(warm.stats().units == first.stats().units);
  // The warm index carries every unit's token stream and text hash, so the clone analyzer judges
  // a candidate without parsing its file again.
  REQUIRE(warm.files().size() == first.files().size());
  for (std::size_t i = 0; i < warm.files().size(); ++i) {
    const auto& fresh_units = first.files()[i].blob->units;
    const auto& warm_units = warm.files()[i].blob->units;
    REQUIRE(warm_units.size() == fresh_units.size());
    for (std::size_t u = 0; u < warm_units.size(); ++u) {
      CHECK(!fresh_units[u].tokens.empty());
      CHECK(warm_units[u].tokens.empty()); // not parsed: viewed in the loaded file
      CHECK(warm.tokens_of(warm_units[u]) == fresh_units[u].tokens);
      CHECK(warm_units[u].hashes.empty()); // viewed in the loaded file, not copied
      auto warm_hashes = warm_units[u].hash_view();
      CHECK(std::vector<uint32_t>(warm_hashes.begin(), warm_hashes.end()) == fresh_units[u].hashes);
      CHECK(warm_units[u].text_hash == fresh_units[u].text_hash);
      CHECK(warm_units[u].text_hash != 0);
    }
  }

  // One file changed: only its new blob is parsed, and the old blob is pruned from the cache.
  tree.files[2].oid = "changed";
  tree.contents.add("changed", python_function("g", 9));
  auto next = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(next.stats().parsed == 1);
  CHECK(next.stats().from_cache == 5);
  auto entries = CloneIndex::deserialize(test::read_file(file));
  REQUIRE(entries);
  CHECK(entries->size() == 6);
  CHECK(entries->count("changed:python") == 1);
  CHECK(entries->count("oid2:python") == 0);
  // The rewritten file carries the token streams of the blobs it did not parse again (copied
  // from the old file) and of the new one: a warm index reads them all back.
  auto after = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(after.stats().parsed == 0);
  std::size_t streams = 0;
  for (const auto& f : after.files()) {
    for (const auto& unit : f.blob->units) {
      auto tokens = after.tokens_of(unit);
      CHECK(tokens.size() == unit.token_count);
      CHECK(syntax::fingerprint(tokens) == unit.fingerprint);
      ++streams;
    }
  }
  CHECK(streams == 6);

  SUBCASE("a flipped byte in the checksummed part") {
    std::string bytes = test::read_file(file);
    uint64_t main_size = 0;
    std::memcpy(&main_size, bytes.data() + 12, sizeof main_size);
    REQUIRE(20 + main_size + 8 < bytes.size());
    std::size_t at = 20 + main_size / 2;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
    test::write_file(file, bytes);
  }
  SUBCASE("truncated") {
    std::string bytes = test::read_file(file);
    test::write_file(file, bytes.substr(0, bytes.size() - 11));
  }
  SUBCASE("another version") {
    std::string bytes = test::read_file(file);
    bytes[8] = static_cast<char>(bytes[8] + 1);
    test::write_file(file, bytes);
  }
  SUBCASE("garbage") {
    test::write_file(file, "not a cache at all");
  }
  SUBCASE("empty") {
    test::write_file(file, "");
  }
  auto rebuilt = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(!rebuilt.stats().cache_loaded);
  CHECK(!rebuilt.stats().cache_problem.empty());
  CHECK(rebuilt.stats().parsed == 6);
  CHECK(rebuilt.stats().cache_written);
  CHECK(rebuilt.stats().units == first.stats().units);
  CHECK(CloneIndex::deserialize(test::read_file(file)));
}

TEST_CASE("clone index: a damaged token stream is read back as it is, and fails its fingerprint") {
  // The token section is not under the checksum (it is read on demand, not on load): what the
  // analyzer reads from it must fail the unit's fingerprint, so that it parses the file instead.
  test::TempDir tmp;
  auto cache_dir = tmp.path() / "cache";
  Tree tree;
  tree.add("a.py", "o1", python_function("f", 1));
  CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  auto file = CloneIndex::cache_file(cache_dir);
  std::string bytes = test::read_file(file);
  bytes[bytes.size() - 6] = static_cast<char>(bytes[bytes.size() - 6] ^ 0x01);
  test::write_file(file, bytes);
  auto index = CloneIndex::build(tree.files, tree.contents, cache_dir, {});
  CHECK(index.stats().cache_loaded);
  REQUIRE(index.files().size() == 1);
  const auto& unit = index.files()[0].blob->units.at(0);
  auto tokens = index.tokens_of(unit);
  CHECK(tokens.size() == unit.token_count);
  CHECK(syntax::fingerprint(tokens) != unit.fingerprint);
}

TEST_CASE("clone index: a forged entry count or unit is rejected, not trusted") {
  analyzers::IndexedBlob blob;
  analyzers::IndexedUnit unit;
  unit.own_name = "f";
  unit.start_line = 3;
  unit.end_line = 9;
  unit.hashes = {1, 2, 3};
  blob.units.push_back(unit);
  CloneIndex::Entries entries{{"x:python", blob}};
  auto bytes = CloneIndex::serialize(entries);
  auto back = CloneIndex::deserialize(bytes);
  REQUIRE(back);
  auto hashes = back->at("x:python").units.at(0).hash_view();
  CHECK(std::vector<uint32_t>(hashes.begin(), hashes.end()) == std::vector<uint32_t>{1, 2, 3});
  // Bytes past the checksum, or a checksum computed over bad content, both fail.
  CHECK(!CloneIndex::deserialize(bytes + "x"));
  CHECK(!CloneIndex::deserialize(bytes.substr(0, 8)));
}
