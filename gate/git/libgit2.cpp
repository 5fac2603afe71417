// See libgit2.hpp.
#include "gate/git/libgit2.hpp"

#include <mutex>

namespace agate::gate {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // A partial clone made by an older git carries extensions.partialclone, which libgit2 1.5
    // does not know and would refuse; agate reads such a repository and fetches what it lacks
    // through git (Repository::fetch_missing).
    const char* extensions[] = {"partialclone"};
    git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size_t{1});
  });
}

std::string git_error_text(int code) {
  const git_error* error = git_error_last();
  std::string text;
  if (error != nullptr && error->message != nullptr) {
    text = error->message;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '.' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.empty()) {
    text = "error " + std::to_string(code);
  }
  return text;
}

Failure git_failure(std::string_view context, int code) {
  return fail(std::string(context) + ": " + git_error_text(code));
}

std::string oid_hex(const git_oid& id) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &id);
  return buffer;
}

bool oid_is_zero(const git_oid& id) {
  return git_oid_is_zero(&id) != 0;
}

Result<git_oid> parse_oid(std::string_view hex) {
  git_oid id;
  if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&id, hex.data(), hex.size()) < 0) {
    return fail("not a full object id: '" + std::string(hex) + "'");
  }
  return id;
}

} // namespace agate::gate
