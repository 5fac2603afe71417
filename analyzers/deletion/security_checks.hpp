// Which calls and names guard security: validation, authorisation, signature and constant-time
// secret comparisons (`verify*`, `validate*`, `check*`, `authori[sz]e*`, `hmac.compare_digest`,
// `crypto.timingSafeEqual`, CSRF and permission checks). The list is data, in
// rules/security/checks.json, embedded at build time.
//
// The deletion analyzer reads it to make such removals errors: a guard or call of this kind
// removed from a function that survives, and a function of such a name deleted although its
// callers went with it (replaced by inline code that skips the check).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace agate::analyzers {

// Whether an identifier (a function name, the last part of a call) names a security check.
bool security_name(std::string_view name);

// The first call in `text` (a line or a guard) whose name is a security check, as written
// (`hmac.compare_digest`); nullopt when there is none.
std::optional<std::string> security_call(std::string_view text);

// A security call, or else an identifier of `text` that names one of the checked subjects
// (`signature`, `csrf_token`, `permission`); nullopt when there is none.
std::optional<std::string> security_subject(std::string_view text);

} // namespace agate::analyzers
