// The public-remote heuristic behind `agate record`'s warning: the forges' https, ssh and
// scp-like URLs are seen, other hosts, lookalike hosts and local paths are not.
#include "gate/provenance/record_privacy.hpp"

#include <doctest/doctest.h>

using agate::gate::public_forge_host;

TEST_CASE("record privacy: remotes on public forges are recognised in every URL form") {
  CHECK(public_forge_host("https://github.com/agate-dev/agate.git") == "github.com");
  CHECK(public_forge_host("https://user:token@github.com/agate-dev/agate") == "github.com");
  CHECK(public_forge_host("git@github.com:agate-dev/agate.git") == "github.com");
  CHECK(public_forge_host("ssh://git@ssh.github.com:443/agate-dev/agate.git") == "github.com");
  CHECK(public_forge_host("https://GitLab.com/group/sub/project.git") == "gitlab.com");
  CHECK(public_forge_host("git@gitlab.com:group/project.git") == "gitlab.com");
  CHECK(public_forge_host("https://codeberg.org/forgejo/forgejo.git") == "codeberg.org");
  CHECK(public_forge_host("ssh://git@codeberg.org/forgejo/forgejo.git") == "codeberg.org");
}

TEST_CASE("record privacy: other remotes are not taken for public ones") {
  CHECK_FALSE(public_forge_host("https://git.example.com/team/app.git"));
  CHECK_FALSE(public_forge_host("git@github.example.com:team/app.git"));
  CHECK_FALSE(public_forge_host("https://github.com.evil.example/x.git"));
  CHECK_FALSE(public_forge_host("/srv/git/app.git"));
  CHECK_FALSE(public_forge_host("../app.git"));
  CHECK_FALSE(public_forge_host("file:///srv/git/app.git"));
  CHECK_FALSE(public_forge_host(""));
}
