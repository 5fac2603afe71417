// The words of an identifier, for reading names as a person would: `test_login_keeps_cart` is
// about login, keeps and cart; `_parseAsync` is `parse` in its async flavour. Used to match names
// against the prose of a commit message (the deletion rules) and to compare two names (the clone
// rule's dual APIs and siblings).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agate::analyzers {

// The words of an identifier, lower case, in order, split at every character that is not a
// letter or digit and at case changes: `test_login_keeps_cart` -> test, login, keeps, cart;
// `parseJSONBody` -> parse, json, body; `Handle.read_write_mut` -> handle, read, write, mut.
std::vector<std::string> identifier_words(std::string_view name);

} // namespace agate::analyzers
