// Tests of the gitignore-style path patterns (gate/core/glob.hpp) the policy's `ignore` list uses.
#include "gate/core/glob.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate::gate;

TEST_CASE("glob: glob_match follows gitignore semantics") {
  struct Case {
    const char* pattern;
    const char* path;
    bool expected;
  };
  const Case cases[] = {
      // no slash: the name anywhere
      {"*.min.js", "app.min.js", true},
      {"*.min.js", "web/static/app.min.js", true},
      {"*.min.js", "web/static/app.js", false},
      {"build", "build/out.o", true},
      {"build", "src/build/out.o", true},
      {"build", "src/builder.c", false},
      {"README.md", "docs/README.md", true},
      // `*` stays within a segment
      {"docs/*.md", "docs/a.md", true},
      {"docs/*.md", "docs/sub/a.md", false},
      // anchored
      {"docs/*.md", "other/docs/a.md", false},
      {"/tools/*.py", "tools/gen.py", true},
      {"/tools/*.py", "src/tools/gen.py", false},
      {"docs/gen", "docs/gen/a/b.md", true},
      // trailing slash: directories only
      {"generated/", "generated/x.py", true},
      {"generated/", "src/generated/x.py", true},
      {"generated/", "generated", false},
      {"docs/generated/", "docs/generated/api/x.md", true},
      // `**`
      {"**/fixtures/*.json", "fixtures/a.json", true},
      {"**/fixtures/*.json", "tests/unit/fixtures/a.json", true},
      {"src/**/fixtures", "src/fixtures/a", true},
      {"src/**/fixtures", "src/a/b/fixtures/c.txt", true},
      {"src/**/fixtures", "lib/a/fixtures/c.txt", false},
      {"vendor/**", "vendor/a/b.go", true},
      {"vendor/**", "src/vendor/a.go", false},
      {"src/**/*.pb.go", "src/api/v1/x.pb.go", true},
      // `?`, classes, escapes
      {"file?.txt", "file1.txt", true},
      {"file?.txt", "file10.txt", false},
      {"file[0-9].txt", "file7.txt", true},
      {"file[!0-9].txt", "file7.txt", false},
      {"file[!0-9].txt", "fileA.txt", true},
      {"\\*.txt", "*.txt", true},
      {"\\*.txt", "a.txt", false},
      {"", "a.txt", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pattern);
    CAPTURE(c.path);
    CHECK(glob_match(c.pattern, c.path) == c.expected);
  }
}

} // namespace
