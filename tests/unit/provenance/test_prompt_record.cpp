// The prompt record's JSON form: what `agate record` writes reads back the same, and every way a
// record written by someone else can be wrong is refused with the field named, never a crash.
#include "gate/provenance/prompt_record.hpp"

#include <doctest/doctest.h>

using namespace agate::gate;

namespace {

PromptRecord sample() {
  PromptRecord r;
  r.id = "20261125T054200Z-3f2a1b9c";
  r.created_at = "2026-11-25T05:42:00Z";
  r.tool = "claude-code";
  r.tool_version = "2.0.14";
  r.model = "claude-sonnet-4-5";
  r.prompt = "Add a CSV export button to the report page.";
  r.prompt_bytes = r.prompt.size();
  r.session_id = "abc-123";
  r.transcript_ref = "/home/ada/.claude/projects/x/abc-123.jsonl";
  r.files = {"web/report.js", "web/report.html"};
  r.diff_sha256 = std::string(64, 'a');
  r.file_sha256 = {{"web/report.js", std::string(64, 'b')},
                   {"web/report.html", std::string(64, 'c')}};
  r.added_lines = 12;
  r.deleted_lines = 1;
  r.redactions = {{"prompt", "github-token", 1}};
  return r;
}

std::string with(const std::string& key, const nlohmann::json& value) {
  auto j = to_json(sample());
  if (value.is_null()) {
    j.erase(key);
  } else {
    j[key] = value;
  }
  return j.dump();
}

std::string error_of(const std::string& text, std::string_view path = {}) {
  auto parsed = parse_prompt_record(text, path);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error();
}

} // namespace

TEST_CASE("prompt record: what is written reads back the same") {
  auto original = sample();
  auto text = serialize(original);
  CHECK(text.back() == '\n');
  auto parsed = parse_prompt_record(text, ".agate/prompts/20261125T054200Z-3f2a1b9c.json");
  REQUIRE(parsed.ok());
  CHECK(parsed->id == original.id);
  CHECK(parsed->tool == "claude-code");
  CHECK(parsed->tool_version == "2.0.14");
  CHECK(parsed->prompt == original.prompt);
  CHECK(parsed->files == original.files);
  CHECK(parsed->file_sha256 == original.file_sha256);
  CHECK(parsed->session_id == "abc-123");
  CHECK(parsed->added_lines == 12);
  REQUIRE(parsed->redactions.size() == 1);
  CHECK(parsed->redactions[0].kind == "github-token");
}

TEST_CASE("prompt record: ids are safe file names") {
  CHECK(is_safe_record_id("20261125T054200Z-3f2a1b9c"));
  CHECK_FALSE(is_safe_record_id("../../x"));
  CHECK_FALSE(is_safe_record_id("a/b"));
  CHECK_FALSE(is_safe_record_id(""));
  CHECK_FALSE(is_safe_record_id(".hidden"));
  CHECK_FALSE(is_safe_record_id("-rf"));
  CHECK_FALSE(is_safe_record_id(std::string(101, 'a')));
  auto id = new_record_id("prompt", 1795585320);
  CHECK(id.starts_with("20261125T"));
  CHECK(is_safe_record_id(id));
  CHECK(new_record_id("prompt", 1795585320) != id); // a random part: no collisions
  CHECK(record_id_of_path(".agate/prompts/" + id + ".json") == id);
  CHECK_FALSE(record_id_of_path(".agate/prompts/sub/x.json"));
  CHECK_FALSE(record_id_of_path(".agate/prompts/README.md"));
}

TEST_CASE("prompt record: each invalid field is named") {
  CHECK(error_of("{not json") == "prompt record (no path): not valid JSON");
  CHECK(error_of("[1,2]") == "prompt record (no path): not a JSON object");
  CHECK(error_of(with("version", 2))
            .find("field `version`: unsupported version 2 (this agate "
                  "reads version 1)") != std::string::npos);
  CHECK(error_of(with("version", nullptr)).find("field `version`: missing") != std::string::npos);
  CHECK(error_of(with("id", "../../x")).find("field `id`: '../../x' is not a safe record id") !=
        std::string::npos);
  CHECK(error_of(with("diff_sha256", "abc")).find("field `diff_sha256`") != std::string::npos);
  CHECK(error_of(with("prompt", 42)).find("field `prompt`: must be a string, not number") !=
        std::string::npos);
  CHECK(error_of(with("files", "a.py")).find("field `files`: must be an array") !=
        std::string::npos);
  CHECK(error_of(with("tool", "claude")).find("field `tool`") != std::string::npos);
  CHECK(error_of(with("created_at", "yesterday")).find("field `created_at`") != std::string::npos);
  CHECK(error_of(with("file_sha256", nlohmann::json{{"a.py", "zz"}}))
            .find("field `file_sha256.a.py`") != std::string::npos);
  // Wrong types in optional fields do not crash either.
  CHECK(parse_prompt_record(with("diff_stats", nlohmann::json{{"added", "many"}})).ok());
  CHECK(parse_prompt_record(with("redactions", nlohmann::json::array({1, "x"}))).ok());
}

TEST_CASE("prompt record: the id must match the file it is in") {
  auto text = serialize(sample());
  CHECK(error_of(text, ".agate/prompts/other.json").find("does not match the file name") !=
        std::string::npos);
}

TEST_CASE("prompt record: binary bytes and huge records") {
  auto r = sample();
  r.prompt = std::string("bad \xff\xfe bytes \0 nul", 17);
  auto text = serialize(r); // invalid UTF-8 replaced, not thrown
  auto parsed = parse_prompt_record(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->prompt.find("bad ") == 0);
  std::string huge(k_max_record_bytes + 1, ' ');
  CHECK(error_of(huge).find("more than the") != std::string::npos);
  CHECK(cut_utf8("h\xc3\xa9llo", 2) == "h"); // never splits the two bytes of é
}
