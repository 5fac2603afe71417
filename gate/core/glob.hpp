// Path patterns as `.gitignore` writes them, for the policy's `ignore` list: one matcher, so every
// place that takes a path pattern reads it the same way.
#pragma once

#include <string_view>

namespace agate::gate {

// gitignore-style glob: `*` within a segment, `**` across segments, `?`, a pattern without `/`
// matches the basename anywhere, a trailing `/` matches a directory prefix.
// Details: a pattern without `/` (a trailing one aside) matches any path segment, and a matching
// directory segment matches everything below it (`build` matches `a/build/x.o`); a pattern with
// a `/` is anchored at the repository root (a leading `/` is dropped) and matches the path or
// one of its parent directories (`docs/gen` matches `docs/gen/a.md`); `[abc]`, `[a-z]` and
// `[!a-z]` match one character; `\x` matches x literally. Paths are '/'-separated, relative.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace agate::gate
