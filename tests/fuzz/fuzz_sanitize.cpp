// Fuzz target: the one sanitizer for repository text (gate/util/sanitize). Properties, as its
// header promises: the output is valid UTF-8 with no control character but tab (and LF or CR LF
// when kept), and quote_name is injective: two different names never print the same.
#include "tests/fuzz/fuzz_support.hpp"

#include "gate/util/sanitize.hpp"

namespace {

bool has_control(std::string_view text, bool newline_allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool line_break = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if ((c < 0x20 && c != '\t' && !(newline_allowed && line_break)) || c == 0x7f) {
      return true;
    }
  }
  return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::gate;
  auto fields = agate::fuzz::split_fields(agate::fuzz::as_text(data, size), 2);
  for (bool keep_newlines : {false, true}) {
    std::string shown = sanitize(fields[0], keep_newlines);
    FUZZ_CHECK(is_valid_utf8(shown));
    FUZZ_CHECK(!has_control(shown, keep_newlines));
  }
  std::string first = quote_name(fields[0]);
  std::string second = quote_name(fields[1]);
  FUZZ_CHECK(is_valid_utf8(first) && !has_control(first, false));
  FUZZ_CHECK((fields[0] == fields[1]) == (first == second));
  FUZZ_CHECK(is_valid_utf8(escape_invalid_utf8(fields[0])));
  return 0;
}
