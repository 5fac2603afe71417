// Tests of the signature analyzer (analyzers/signature_analyzer.hpp) in a repository that never
// set up signatures: real signatures of public projects' commits (one made by GitHub's web
// interface, one by a maintainer's own key) give one note for the whole review, naming GitHub's
// web-flow key, and nothing above note level; gpg is not needed for that.
#include "analyzers/signature_analyzer.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/core/content_source.hpp"

#include <doctest/doctest.h>

namespace {

using namespace agate;

// A commit merged in GitHub's web interface (committer "GitHub <noreply@github.com>"): its
// signature block as git stores it, continuation spaces removed.
constexpr const char* k_web_flow_signature = R"(-----BEGIN PGP SIGNATURE-----

wsFcBAABCAAQBQJqUZGbCRC1aQ7uu5UhlAAAP7oQAIDGgodWhTFaKZXsFtAn4clv
XLyJI9IxArYWU3FOeHr7/yiLWOQBTuyZ4EZIiIf8ZKv5CfPUAGknkeXQnxcoMpbE
7oFp1zWFqfhs4h+h960/8Ms3kpJdlFimZav+Z6P2zIA+AB7UMkEtVrUlrzRoLRXE
4KNUJdUbwb2S/HTb7e39Fz267YCJZV+rCsoOXg7H2LD75HJ97ttQpXO9S+D2F+5u
Q7Jexrk/0KZBoEFkUj91GDQwLEJh0o36Uq5r76/Zx+aCYBkrT0f/0bx/4n7H98Zw
3mfafkDa9LYiadhnkRr8BMAn1atcmsvd8QaiQlTC9l++C+d807uAjcfKoEOATksC
Odx85p5a1WBO7sA1LV39z9Cxf4Cohe+Oab+BR6YZUj8jKOvxKEhheWQgAF9NCnaP
C0BaQfP5Z3d2v2kevNHo7nHSDdo2AAlcYfbAboe7XbJ+rADG+Kvq6LjmcVfjss0+
ZD2sk6mV7zOZHW2qLmcoHC23xVMtU6E65rp8BXlvdkyOJBEZjI64p0dTSo9X3bDu
vmaBWIHI7fbAjYF22xiVtxcE855gY3RSfeZlr+KHapRC1ha0dUT8hf/G03cauSa1
LQ+vcvhjV12OubBDkIlFb41FKAN8pBdEMYta4GIyad0LTKrWzNmP+FWJCN9t2S9i
ys8+8Q5FqTsyCwyHpMys
=Wgz9
-----END PGP SIGNATURE-----
)";

// A commit signed by its author's own key.
constexpr const char* k_maintainer_signature = R"(-----BEGIN PGP SIGNATURE-----

iQEzBAABCgAdFiEELYER4UEVHAcu6audsuOkkj+LDUQFAmpx8GgACgkQsuOkkj+L
DUSsYAgArYzkMlPZyUnh6SR8SDmG0ngF2ubA8b/FcnTcKO5GoxiDqoAxFCpxLxTb
OqPQneq9oWr+AYeDbfcMsqpRZfD53W3MfaKxPAK4Bnjhd/TqjsBQUzCBlbKiK3z1
uZx+unyckMCbyWuIury5dY/Bz6Gotx5b/sw2GGBbLzEkLRvLw/cY0HxWMt4unCjp
FmT+IxezefnRmadqoEeiFoHZeSvisp5xJDL4RgVoTwt6LJzNPt8r/h5tQ41qI0ag
0oa0zQo75dSxFrWEG7nNRqJypVwBKIxq9t2jLbqHecTRQURxkSKsY2950LSE+I13
JAjwFfTbvdlM2b6hSSBJWzYIdrcovw==
=YMdZ
-----END PGP SIGNATURE-----
)";

gate::Change commit_change(const std::string& id, const std::string& committer,
                           const std::string& signature) {
  gate::Change change;
  change.kind = gate::ChangeKind::commit;
  change.label = id.substr(0, 7);
  gate::CommitInfo info;
  info.id = id;
  info.committer.name = committer;
  info.committer.email = committer == "GitHub" ? "noreply@github.com" : "dev@example.com";
  info.message = "Fix the completion of nested commands";
  if (!signature.empty()) {
    info.signature_field = "gpgsig";
    info.signature = signature;
  }
  change.commit = std::move(info);
  return change;
}

std::vector<gate::Finding> analyze_all(const gate::ChangeSet& set, const gate::Policy& policy) {
  gate::MapContentSource contents;
  syntax::SyntaxCache cache;
  analyzers::AnalysisContext context{set, contents, cache, policy};
  analyzers::SignatureAnalyzer analyzer;
  std::vector<gate::Finding> all;
  for (const auto& change : set.changes) {
    for (auto& finding : analyzer.analyze(context, change)) {
      all.push_back(std::move(finding));
    }
  }
  return all;
}

} // namespace

TEST_CASE("signature analyzer: GitHub's web-flow key is recognised from the signature's issuer") {
  CHECK(analyzers::is_github_web_flow(
      commit_change("adbc8813901bba65827259daa8e22ff94ec1f30e", "GitHub", k_web_flow_signature)
          .commit.value()));
  CHECK_FALSE(
      analyzers::is_github_web_flow(commit_change("3fce3b5bb0236da2df6d99672afb8a719642eca7",
                                                  "Maintainer", k_maintainer_signature)
                                        .commit.value()));
  CHECK_FALSE(analyzers::is_github_web_flow(
      commit_change("c8289c10302063b9a2e26357e7e0f0bb599f29ce", "Maintainer", "").commit.value()));
}

TEST_CASE("signature analyzer: signatures never set up give one note per review, nothing more") {
  gate::ChangeSet set;
  set.changes.push_back(
      commit_change("adbc8813901bba65827259daa8e22ff94ec1f30e", "GitHub", k_web_flow_signature));
  set.changes.push_back(commit_change("3fce3b5bb0236da2df6d99672afb8a719642eca7", "Maintainer",
                                      k_maintainer_signature));
  set.changes.push_back(
      commit_change("c8289c10302063b9a2e26357e7e0f0bb599f29ce", "Maintainer", ""));
  gate::Change range;
  range.kind = gate::ChangeKind::range;
  set.changes.push_back(range);

  auto findings = analyze_all(set, gate::default_policy());
  REQUIRE(findings.size() == 1);
  const auto& note = findings.front();
  CHECK(note.severity == gate::Severity::note);
  CHECK(note.message.find("2 of 3 commits are signed") != std::string::npos);
  CHECK(note.message.find("GitHub's web-flow key (adbc881)") != std::string::npos);
  CHECK(note.evidence.at("github_web_flow_commits").size() == 1);
  CHECK(note.hint.find("--export") == std::string::npos);
}

TEST_CASE("signature analyzer: a review without signed commits gets no note") {
  gate::ChangeSet set;
  set.changes.push_back(
      commit_change("c8289c10302063b9a2e26357e7e0f0bb599f29ce", "Maintainer", ""));
  CHECK(analyze_all(set, gate::default_policy()).empty());
}
