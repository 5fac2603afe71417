// Fuzz target: the agent transcript importers (Claude Code hook payloads and transcripts, Codex
// rollouts, Aider chat histories, plain prompt files), which read files an agent or a user hands
// to `agate record --from`. The first byte picks the importer. Properties: an import fails with a
// message or yields a transcript excerpt within its documented cap.
#include "tests/fuzz/fuzz_support.hpp"

#include "gate/provenance/agents/agent_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace agate::gate;
  if (size == 0) {
    return 0;
  }
  auto body = agate::fuzz::as_text(data + 1, size - 1);
  agate::Result<ImportedPrompt> imported = agate::fail("no importer");
  switch (data[0] % 5) {
  case 0:
    imported = import_claude_code_hook(body);
    break;
  case 1:
    imported = import_claude_code_transcript(agate::fuzz::ScratchFile(body).path());
    break;
  case 2:
    imported = import_codex_rollout(agate::fuzz::ScratchFile(body).path());
    break;
  case 3:
    imported = import_aider_history(agate::fuzz::ScratchFile(body).path());
    break;
  default:
    imported = import_text_file(agate::fuzz::ScratchFile(body).path());
    break;
  }
  if (!imported) {
    FUZZ_CHECK(!imported.error().empty());
  } else {
    FUZZ_CHECK(imported->transcript_excerpt.size() <= k_max_transcript_excerpt);
  }
  return 0;
}
