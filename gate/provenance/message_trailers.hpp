// Adding trailers to a commit message file, as the commit-msg hook does for `Agate-Prompt: <id>`.
//
// The hook sees the message as the user left it in the editor, before git strips comments: the
// trailer goes after the message's last paragraph (joining its trailer block when it has one),
// before the trailing comment lines and the scissors line, and nothing else of the message
// changes. A message that is empty (only comments and blank lines) is left alone, so that git
// still aborts the commit as the user asked by leaving it empty. A trailer already present with
// the same value is not added twice.
#pragma once

#include "gate/core/change.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace agate::gate {

// `message` with each of `trailers` added (see above); unchanged when there is nothing to add.
std::string add_trailers(std::string_view message, const std::vector<Trailer>& trailers,
                         char comment_char = '#');

} // namespace agate::gate
