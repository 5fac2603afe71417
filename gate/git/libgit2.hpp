// Process-wide libgit2 set-up and error text.
//
// libgit2 must be initialised before any other call; `ensure_libgit2()` does it once per process,
// thread-safely, and is called by every entry point of the git layer (Repository::open), so the
// rest of the program never thinks about it. The library is never shut down: the process exit
// releases everything, and a shutdown racing with a late user would be worse than a leak.
//
// libgit2 reports errors as a negative code plus a thread-local `git_error_last()`. The helpers
// here turn that pair into the one-line message that agate's Result<T> carries.
#pragma once

#include "gate/util/error.hpp"

#include <git2.h>

#include <string>
#include <string_view>

namespace agate::gate {

void ensure_libgit2();

// The text of libgit2's last error for a call that returned `code` ("error -3" when libgit2 set
// no message). Trailing newlines and periods are removed so it can be embedded in a sentence.
std::string git_error_text(int code);

// "<context>: <libgit2 message>", as a Failure.
Failure git_failure(std::string_view context, int code);

// The class (GIT_ERROR_*) of libgit2's last error, or GIT_ERROR_NONE.
int git_error_class();

// Object ids as hex.
std::string oid_hex(const git_oid& id);
bool oid_is_zero(const git_oid& id);
// A full 40-digit hex id; fails on anything else.
Result<git_oid> parse_oid(std::string_view hex);

class Repository;

// The libgit2 handle of a Repository, for the rest of gate/git (the change loader's staged and
// work-tree diffs); outside gate/git, Repository's own operations are all there is.
git_repository* git_handle(const Repository& repo);

// The same repository opened bare, with an empty in-memory index (opened on first use).
// Commits and trees read through it never touch the work tree or the index, so a broken index
// does not stop the review of commits (as it does not stop `git show`), and its attribute
// lookups see only the commit asked for.
Result<git_repository*> object_repository(Repository& repo);

} // namespace agate::gate
