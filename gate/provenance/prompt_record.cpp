// The prompt record's JSON form and its validator; see prompt_record.hpp and
// docs/prompt-records.md.
#include "gate/provenance/prompt_record.hpp"
#include "gate/util/text.hpp"

#include "gate/util/sha256.hpp"

#include <cctype>
#include <random>

namespace agate::gate {

namespace {

using nlohmann::json;

bool is_hex64(const std::string& text) {
  if (text.size() != 64) {
    return false;
  }
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) {
      return false;
    }
  }
  return true;
}

// 2026-11-25T05:42:00Z (fractions of a second and offsets allowed, as RFC 3339 does).
bool looks_like_rfc3339(const std::string& text) {
  if (text.size() < 20) {
    return false;
  }
  const char* pattern = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; pattern[i] != '\0'; ++i) {
    char c = text[i];
    if (pattern[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(c)) : c != pattern[i]) {
      return false;
    }
  }
  char last = text.back();
  return last == 'Z' || std::isdigit(static_cast<unsigned char>(last));
}

class Validator {
public:
  explicit Validator(std::string where) : m_where(std::move(where)) {}

  Failure bad(std::string_view field, std::string_view why) const {
    return fail("prompt record " + m_where + ": field `" + std::string(field) +
                "`: " + std::string(why));
  }

  // The string at `key`, or a failure; `required` false allows absence (empty result).
  Result<std::string> text(const json& object, std::string_view key, std::string_view field,
                           bool required) const {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
      if (required) {
        return bad(field, "missing");
      }
      return std::string();
    }
    if (!it->is_string()) {
      return bad(field, std::string("must be a string, not ") + it->type_name());
    }
    return it->get<std::string>();
  }

private:
  std::string m_where;
};

} // namespace

bool is_safe_record_id(std::string_view id) {
  if (id.empty() || id.size() > 100 || id.front() == '.' || id.front() == '-') {
    return false;
  }
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return id.find("..") == std::string_view::npos;
}

std::string new_record_id(std::string_view prompt, int64_t unix_time) {
  const std::string stamp = format_time(unix_time, TimeStyle::compact);
  std::random_device random;
  std::string salt = std::to_string(random()) + ":" + std::to_string(random());
  Sha256 hash;
  hash.update(prompt);
  hash.update(salt);
  return std::string(stamp) + "-" + hash.hex_digest().substr(0, 8);
}

std::string record_path(std::string_view id) {
  return std::string(k_prompts_dir) + "/" + std::string(id) + ".json";
}

std::optional<std::string> record_id_of_path(std::string_view path) {
  std::string prefix = std::string(k_prompts_dir) + "/";
  if (!path.starts_with(prefix) || !path.ends_with(".json")) {
    return std::nullopt;
  }
  auto rest = path.substr(prefix.size(), path.size() - prefix.size() - 5);
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(rest);
}

std::optional<std::string> not_a_record_path(std::string_view path) {
  const std::string prefix = std::string(k_prompts_dir) + "/";
  if (!path.starts_with(prefix) || record_id_of_path(path)) {
    return std::nullopt;
  }
  return std::string(path) + " is not a prompt record: " + std::string(k_prompts_dir) +
         "/ holds only records, named <id>.json (agate does not analyze the directory as code)";
}

std::string cut_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  std::size_t end = max_bytes;
  // Step back over continuation bytes (10xxxxxx) so no sequence is split.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end));
}

json to_json(const PromptRecord& r) {
  json j = json::object();
  j["version"] = r.version;
  j["id"] = r.id;
  j["created_at"] = r.created_at;
  j["tool"] = {{"name", r.tool}, {"version", r.tool_version}};
  j["model"] = r.model;
  j["prompt"] = r.prompt;
  j["prompt_bytes"] = r.prompt_bytes;
  if (r.prompt_truncated) {
    j["prompt_truncated"] = true;
  }
  if (!r.transcript_excerpt.empty() || !r.transcript_ref.empty() || !r.session_id.empty()) {
    json t = json::object();
    if (!r.session_id.empty()) {
      t["session_id"] = r.session_id;
    }
    if (!r.transcript_ref.empty()) {
      t["ref"] = r.transcript_ref;
    }
    if (!r.transcript_excerpt.empty()) {
      t["excerpt"] = r.transcript_excerpt;
    }
    j["transcript"] = std::move(t);
  }
  j["files"] = r.files;
  j["diff_sha256"] = r.diff_sha256;
  j["file_sha256"] = r.file_sha256;
  j["diff_stats"] = {{"added", r.added_lines}, {"deleted", r.deleted_lines}};
  json redactions = json::array();
  for (const auto& red : r.redactions) {
    redactions.push_back({{"field", red.field}, {"kind", red.kind}, {"count", red.count}});
  }
  j["redactions"] = std::move(redactions);
  return j;
}

std::string serialize(const PromptRecord& record) {
  return to_json(record).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<PromptRecord> parse_prompt_record(std::string_view text, std::string_view path) {
  std::string where = path.empty() ? std::string("(no path)") : std::string(path);
  Validator v(where);
  if (text.size() > k_max_record_bytes) {
    return fail("prompt record " + where + ": " + std::to_string(text.size()) +
                " bytes, more than the " + std::to_string(k_max_record_bytes) +
                " a record may hold");
  }
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail("prompt record " + where + ": not valid JSON");
  }
  if (!j.is_object()) {
    return fail("prompt record " + where + ": not a JSON object");
  }
  PromptRecord r;
  auto version = j.find("version");
  if (version == j.end()) {
    return v.bad("version", "missing");
  }
  if (!version->is_number_integer()) {
    return v.bad("version", "must be an integer");
  }
  r.version = version->get<int>();
  if (r.version != k_prompt_record_version) {
    return v.bad("version", "unsupported version " + std::to_string(r.version) +
                                " (this agate reads version " +
                                std::to_string(k_prompt_record_version) + ")");
  }
  auto id = v.text(j, "id", "id", true);
  TRY(id);
  r.id = *id;
  if (!is_safe_record_id(r.id)) {
    return v.bad("id", "'" + cut_utf8(r.id, 80) +
                           "' is not a safe record id (1-100 of A-Z a-z 0-9 . _ -, no '..')");
  }
  if (!path.empty()) {
    auto from_path = record_id_of_path(path);
    if (!from_path || *from_path != r.id) {
      return v.bad("id", "'" + r.id + "' does not match the file name (expected " +
                             record_path(r.id) + ")");
    }
  }
  auto created = v.text(j, "created_at", "created_at", true);
  TRY(created);
  if (!looks_like_rfc3339(*created)) {
    return v.bad("created_at", "'" + cut_utf8(*created, 40) + "' is not an RFC 3339 time");
  }
  r.created_at = *created;
  auto tool = j.find("tool");
  if (tool == j.end() || !tool->is_object()) {
    return v.bad("tool", tool == j.end() ? "missing" : "must be an object {name, version}");
  }
  auto tool_name = v.text(*tool, "name", "tool.name", true);
  TRY(tool_name);
  if (tool_name->empty()) {
    return v.bad("tool.name", "empty");
  }
  r.tool = *tool_name;
  auto tool_version = v.text(*tool, "version", "tool.version", false);
  TRY(tool_version);
  r.tool_version = *tool_version;
  auto model = v.text(j, "model", "model", true);
  TRY(model);
  r.model = *model;
  auto prompt = v.text(j, "prompt", "prompt", true);
  TRY(prompt);
  r.prompt = *prompt;
  if (auto bytes = j.find("prompt_bytes"); bytes != j.end()) {
    if (!bytes->is_number_unsigned() && !bytes->is_number_integer()) {
      return v.bad("prompt_bytes", "must be a number");
    }
    if (bytes->is_number_integer() && bytes->get<int64_t>() < 0) {
      return v.bad("prompt_bytes", "must not be negative");
    }
    r.prompt_bytes = bytes->get<std::size_t>();
  }
  if (auto cut = j.find("prompt_truncated"); cut != j.end()) {
    if (!cut->is_boolean()) {
      return v.bad("prompt_truncated", "must be true or false");
    }
    r.prompt_truncated = cut->get<bool>();
  }
  if (auto t = j.find("transcript"); t != j.end() && !t->is_null()) {
    if (!t->is_object()) {
      return v.bad("transcript", "must be an object {session_id, ref, excerpt}");
    }
    auto excerpt = v.text(*t, "excerpt", "transcript.excerpt", false);
    auto ref = v.text(*t, "ref", "transcript.ref", false);
    auto session = v.text(*t, "session_id", "transcript.session_id", false);
    for (const auto* part : {&excerpt, &ref, &session}) {
      if (!*part) {
        return fail(part->error());
      }
    }
    r.transcript_excerpt = *excerpt;
    r.transcript_ref = *ref;
    r.session_id = *session;
  }
  auto files = j.find("files");
  if (files == j.end() || !files->is_array()) {
    return v.bad("files", files == j.end() ? "missing" : "must be an array of paths");
  }
  for (std::size_t i = 0; i < files->size(); ++i) {
    if (!(*files)[i].is_string()) {
      return v.bad("files[" + std::to_string(i) + "]", "must be a string");
    }
    r.files.push_back((*files)[i].get<std::string>());
  }
  auto digest = v.text(j, "diff_sha256", "diff_sha256", true);
  TRY(digest);
  if (!is_hex64(*digest)) {
    return v.bad("diff_sha256", "must be 64 lowercase hex digits");
  }
  r.diff_sha256 = *digest;
  if (auto per_file = j.find("file_sha256"); per_file != j.end() && !per_file->is_null()) {
    if (!per_file->is_object()) {
      return v.bad("file_sha256", "must be an object {path: sha256}");
    }
    for (const auto& [file, hash] : per_file->items()) {
      if (!hash.is_string() || !is_hex64(hash.get<std::string>())) {
        return v.bad("file_sha256." + file, "must be 64 lowercase hex digits");
      }
      r.file_sha256[file] = hash.get<std::string>();
    }
  }
  auto integer = [](const json& object, std::string_view key) {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
  };
  auto string_of = [](const json& object, std::string_view key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (auto stats = j.find("diff_stats"); stats != j.end() && stats->is_object()) {
    r.added_lines = integer(*stats, "added");
    r.deleted_lines = integer(*stats, "deleted");
  }
  if (auto reds = j.find("redactions"); reds != j.end() && reds->is_array()) {
    for (const auto& red : *reds) {
      if (red.is_object()) {
        r.redactions.push_back(
            {string_of(red, "field"), string_of(red, "kind"), integer(red, "count")});
      }
    }
  }
  return r;
}

} // namespace agate::gate
