// Fuzz target: the raw commit object parser, trailers, summaries and identities
// (gate/git/commit_parser), which read bytes any commit author controls. Properties: parsing
// never fails, and the signed payload is the object with the signature headers taken out, so it
// is never longer than the object and is the whole object when nothing is signed.
#include "tests/fuzz/fuzz_support.hpp"

#include "gate/git/commit_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::gate;
  auto raw = agate::fuzz::as_text(data, size);
  ParsedCommit parsed = parse_commit_object(raw);
  FUZZ_CHECK(parsed.signed_payload.size() <= raw.size());
  if (parsed.signature_field.empty()) {
    FUZZ_CHECK(parsed.signature.empty());
  }
  CommitInfo info = commit_info(std::string(40, 'a'), raw);
  (void)info;
  const TrailerOptions hash_separators{std::string(":#"), '#'};
  (void)parse_trailers(parsed.message);
  (void)parse_trailers(parsed.message, hash_separators);
  (void)message_summary(parsed.message);
  Person person;
  (void)parse_person(parsed.author, person);
  return 0;
}
