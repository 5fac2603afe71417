// Fuzz target: the policy parser (.agate/config.json: JSONC with comments and trailing commas,
// then the schema and consistency checks), which reads a file a change can edit. Properties:
// bad input is an error with a message, never a crash or a hang; a policy that parses applies
// to an empty list of findings without failing.
#include "tests/fuzz/fuzz_support.hpp"

#include "gate/core/jsonc.hpp"
#include "gate/core/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::gate;
  auto text = agate::fuzz::as_text(data, size);
  auto json = parse_jsonc(text, ".agate/config.json");
  if (!json) {
    FUZZ_CHECK(!json.error().empty());
  }
  auto policy = parse_policy(text, ".agate/config.json");
  if (!policy) {
    FUZZ_CHECK(!policy.error().empty());
  } else {
    FUZZ_CHECK(apply_policy({}, *policy).empty());
  }
  return 0;
}
