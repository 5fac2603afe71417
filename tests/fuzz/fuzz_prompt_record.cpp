// Fuzz target: prompt records (.agate/prompts/<id>.json), committed files that a change can
// forge. Properties: a record that parses serializes to a file that parses again to the same
// serialization (what `agate record` writes is what review reads back).
#include "tests/fuzz/fuzz_support.hpp"

#include "gate/provenance/prompt_record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::gate;
  auto text = agate::fuzz::as_text(data, size);
  auto record = parse_prompt_record(text);
  if (!record) {
    FUZZ_CHECK(!record.error().empty());
    return 0;
  }
  std::string written = serialize(*record);
  auto again = parse_prompt_record(written);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(serialize(*again) == written);
  return 0;
}
