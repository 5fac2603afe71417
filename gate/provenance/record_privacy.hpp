// What a committed prompt record may reveal. A record is a file in the repository: whoever can
// read the repository reads the prompt, and the transcript excerpt when one is kept. The policy
// says what a record may hold (`provenance.record_content`: the prompt only, or the prompt and
// the transcript) and how large it may be (`provenance.max_record_bytes`); `agate record` warns
// when the record holds a transcript and the repository's remote looks public.
//
// "Looks public" is a heuristic on the remote's URL only: a host where most repositories are
// public (github.com, gitlab.com, codeberg.org), in https, ssh or scp-like form. A private
// repository on those hosts looks the same, and a public one elsewhere is not seen.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agate::gate {

// The public forge a remote URL points at ("github.com"), or nullopt.
std::optional<std::string> public_forge_host(std::string_view url);

} // namespace agate::gate
