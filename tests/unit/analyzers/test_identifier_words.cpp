// The words of identifiers (analyzers/identifier_words.hpp): snake case, camel case, acronyms,
// qualified names and test names written as prose.
#include "analyzers/identifier_words.hpp"

#include <doctest/doctest.h>

using agate::analyzers::identifier_words;
using Words = std::vector<std::string>;

TEST_CASE("identifier words: snake case, camel case, acronyms and qualified names") {
  CHECK(identifier_words("test_login_keeps_cart") == Words{"test", "login", "keeps", "cart"});
  CHECK(identifier_words("_parseAsync") == Words{"parse", "async"});
  CHECK(identifier_words("parseJSONBody") == Words{"parse", "json", "body"});
  CHECK(identifier_words("Handle.read_write_mut") == Words{"handle", "read", "write", "mut"});
  CHECK(identifier_words("TestNoOSArgsWhenTesting") ==
        Words{"test", "no", "os", "args", "when", "testing"});
  CHECK(identifier_words("sums prices") == Words{"sums", "prices"});
  CHECK(identifier_words("base64Encode") == Words{"base64", "encode"});
  CHECK(identifier_words("").empty());
}
