// Reads rules/security/checks.json once and matches names and calls against it (see
// security_checks.hpp). Matching is a linear scan of the text: identifier chains followed by `(`.
#include "analyzers/deletion/security_checks.hpp"

#include "gate/util/embedded.hpp"
#include "gate/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace agate::analyzers {

namespace {

struct SecurityList {
  std::vector<std::string> prefixes;     // lower case
  std::vector<std::string> not_prefixed; // lower case
  std::vector<std::string> calls;        // as written
  std::vector<std::string> words;        // lower case
};

std::vector<std::string> strings_of(const nlohmann::json& document, const char* key, bool fold) {
  std::vector<std::string> out;
  if (!document.contains(key) || !document[key].is_array()) {
    return out;
  }
  for (const auto& item : document[key]) {
    if (item.is_string()) {
      out.push_back(fold ? gate::lower(item.get<std::string>()) : item.get<std::string>());
    }
  }
  return out;
}

const SecurityList& security_list() {
  static const SecurityList list = [] {
    SecurityList out;
    const auto* file = embedded::find("security/checks.json");
    if (file == nullptr) {
      return out;
    }
    auto document = nlohmann::json::parse(file->content, nullptr, false);
    if (!document.is_object()) {
      return out;
    }
    out.prefixes = strings_of(document, "prefixes", true);
    out.not_prefixed = strings_of(document, "not_prefixed", true);
    out.calls = strings_of(document, "calls", false);
    out.words = strings_of(document, "words", true);
    return out;
  }();
  return list;
}

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool has_subject_word(std::string_view lowered) {
  const auto& words = security_list().words;
  return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
    return lowered.find(word) != std::string_view::npos;
  });
}

// Each identifier chain of `text` (`a.b.c`, `a::b`), with whether a `(` follows it.
template <typename Visit> void each_chain(std::string_view text, Visit visit) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!word_char(text[i]) || (i > 0 && word_char(text[i - 1]))) { // only at the start of a word
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && (word_char(text[j]) || text[j] == '.' || text[j] == ':')) {
      ++j;
    }
    auto chain = text.substr(i, j - i);
    while (!chain.empty() && (chain.back() == '.' || chain.back() == ':')) {
      chain.remove_suffix(1);
    }
    std::size_t k = j;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) {
      ++k;
    }
    if (visit(chain, k < text.size() && text[k] == '(')) {
      return;
    }
    i = j;
  }
}

std::string_view last_part(std::string_view chain) {
  const auto cut = chain.find_last_of(".:");
  return cut == std::string_view::npos ? chain : chain.substr(cut + 1);
}

} // namespace

bool security_name(std::string_view name) {
  const auto& list = security_list();
  const auto lowered = gate::lower(name);
  if (std::find(list.calls.begin(), list.calls.end(), name) != list.calls.end()) {
    return true;
  }
  for (const auto& excluded : list.not_prefixed) {
    if (lowered.starts_with(excluded)) {
      return false;
    }
  }
  for (const auto& prefix : list.prefixes) {
    // `verify`, `verify_token`, `verifyToken`: the prefix is a whole first word.
    if (lowered.starts_with(prefix) &&
        (name.size() == prefix.size() || name[prefix.size()] == '_' ||
         std::isupper(static_cast<unsigned char>(name[prefix.size()])) != 0)) {
      return true;
    }
  }
  return has_subject_word(lowered);
}

std::optional<std::string> security_call(std::string_view text) {
  const auto& calls = security_list().calls;
  std::optional<std::string> found;
  each_chain(text, [&](std::string_view chain, bool called) {
    if (!called) {
      return false;
    }
    const bool listed = std::any_of(calls.begin(), calls.end(), [&](const std::string& call) {
      return chain == call || (chain.ends_with(call) && chain.size() > call.size() &&
                               (chain[chain.size() - call.size() - 1] == '.' ||
                                chain[chain.size() - call.size() - 1] == ':'));
    });
    if (listed || security_name(last_part(chain))) {
      found = std::string(chain);
      return true;
    }
    return false;
  });
  return found;
}

std::optional<std::string> security_subject(std::string_view text) {
  if (auto call = security_call(text)) {
    return call;
  }
  std::optional<std::string> found;
  each_chain(text, [&](std::string_view chain, bool) {
    if (has_subject_word(gate::lower(last_part(chain)))) {
      found = std::string(chain);
      return true;
    }
    return false;
  });
  return found;
}

} // namespace agate::analyzers
