// Commit objects, signatures, trailers and summaries read as git reads them: each expectation
// comes from the real git CLI (`git cat-file`, `git interpret-trailers --parse`, `git log
// --format=%s`, `gpg --verify` of the payload) or from a hand-written object.
#include "gate/git/commit_parser.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace {

using namespace agate::gate;
using agate::test::GitRepo;
using agate::test::TempDir;

// `git interpret-trailers --parse` output, parsed into key/value pairs.
std::vector<Trailer> git_trailers(GitRepo& repo, const std::string& message,
                                  const std::string& separators = "") {
  std::vector<std::string> args;
  if (!separators.empty()) {
    args = {"-c", "trailer.separators=" + separators};
  }
  args.insert(args.end(), {"interpret-trailers", "--parse"});
  std::string out = repo.git(args, message);
  std::vector<Trailer> trailers;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    REQUIRE(colon != std::string::npos);
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
      value.erase(0, 1);
    }
    trailers.push_back({line.substr(0, colon), value});
  }
  return trailers;
}

std::string describe(const std::vector<Trailer>& trailers) {
  std::string out;
  for (const auto& t : trailers) {
    out += "[" + t.key + "=" + t.value + "]";
  }
  return out;
}

// The payload git signs: the object without its gpgsig* headers and their continuation lines.
std::string strip_signature_headers(const std::string& object) {
  std::string out;
  std::istringstream in(object);
  std::string line;
  bool in_header = true;
  bool skipping = false;
  std::size_t pos = 0;
  while (pos < object.size()) {
    auto nl = object.find('\n', pos);
    std::size_t next = nl == std::string::npos ? object.size() : nl + 1;
    std::string l = object.substr(pos, next - pos);
    if (in_header && l == "\n") {
      in_header = false;
    }
    if (in_header && l.rfind("gpgsig", 0) == 0) {
      skipping = true;
    } else if (in_header && skipping && l[0] == ' ') {
      // continuation of the signature
    } else {
      skipping = false;
      out += l;
    }
    pos = next;
  }
  return out;
}

const char* k_fake_signature = "-----BEGIN PGP SIGNATURE-----\n"
                               "\n"
                               "iHUEABYKAB0WIQQfakefakefakefakefake\n"
                               "=abcd\n"
                               "-----END PGP SIGNATURE-----\n";

std::string signature_header(const std::string& field, const std::string& signature) {
  std::string out = field;
  std::istringstream lines(signature);
  std::string line;
  while (std::getline(lines, line)) {
    out += " " + line + "\n";
  }
  return out;
}

} // namespace

TEST_CASE("commit parser: header fields, message and summary of a real commit") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("a.txt", "one\n");
  repo.commit_all("First line\nsecond line of the subject\n\nBody paragraph.\n");
  repo.write("a.txt", "two\n");
  std::string id = repo.commit_all("Change a\n\nSigned-off-by: Ada Tester <ada@example.com>\n");
  std::string raw = repo.git({"cat-file", "commit", id});

  ParsedCommit parsed = parse_commit_object(raw);
  CHECK(parsed.tree == repo.git({"rev-parse", id + "^{tree}"}).substr(0, 40));
  REQUIRE(parsed.parents.size() == 1);
  CHECK(parsed.parents[0] == repo.git({"rev-parse", id + "^"}).substr(0, 40));
  CHECK(parsed.author == "Ada Tester <ada@example.com> 1700000120 +0000");
  CHECK(parsed.message == "Change a\n\nSigned-off-by: Ada Tester <ada@example.com>\n");
  CHECK(parsed.header + "\n" + parsed.message == raw);
  CHECK(parsed.signature_field.empty());
  CHECK(parsed.signed_payload == raw);

  std::string first = repo.git({"rev-parse", id + "^"}).substr(0, 40);
  ParsedCommit first_parsed = parse_commit_object(repo.git({"cat-file", "commit", first}));
  CHECK(first_parsed.parents.empty());
  std::string git_summary = repo.git({"log", "-1", "--format=%s", first});
  CHECK(message_summary(first_parsed.message) + "\n" == git_summary);
  CHECK(message_summary(first_parsed.message) == "First line second line of the subject");

  agate::gate::Person person;
  REQUIRE(parse_person("Ada Tester <ada@example.com> 1700000060 -0130", person));
  CHECK(person.name == "Ada Tester");
  CHECK(person.email == "ada@example.com");
  CHECK(person.time == 1700000060);
  CHECK(person.offset_minutes == -90);
}

TEST_CASE(
    "commit parser: gpgsig continuation lines, mergetag and a signature quoted in the message") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("a.txt", "one\n");
  std::string base = repo.commit_all("base");
  std::string tree = repo.git({"rev-parse", base + "^{tree}"}).substr(0, 40);

  std::string mergetag = "mergetag object " + base +
                         "\n type commit\n tag v1\n tagger Ada <ada@example.com> 1700000000 +0000\n"
                         " \n a tag message\n";
  std::string message = "Signed change\n\nThe message quotes a signature:\n"
                        "gpgsig -----BEGIN PGP SIGNATURE-----\n"
                        " not a header\n"
                        " -----END PGP SIGNATURE-----\n";
  std::string object = "tree " + tree + "\nparent " + base +
                       "\nauthor Ada Tester <ada@example.com> 1700000000 +0000\n"
                       "committer Ada Tester <ada@example.com> 1700000000 +0000\n" +
                       mergetag + signature_header("gpgsig", k_fake_signature) + "\n" + message;
  std::string id = repo.git({"hash-object", "-t", "commit", "-w", "--stdin"}, object).substr(0, 40);
  std::string raw = repo.git({"cat-file", "commit", id});
  REQUIRE(raw == object);

  ParsedCommit parsed = parse_commit_object(raw);
  CHECK(parsed.signature_field == "gpgsig");
  CHECK(parsed.signature == k_fake_signature);
  CHECK(parsed.message == message);
  CHECK(parsed.signed_payload == strip_signature_headers(raw));
  CHECK(parsed.signed_payload.find("BEGIN PGP SIGNATURE-----\n\n") == std::string::npos);
  // The quoted block in the message stays in the payload and is not the signature.
  CHECK(parsed.signed_payload.find("gpgsig -----BEGIN PGP SIGNATURE-----\n not a header") !=
        std::string::npos);
  // mergetag is kept in the payload with its continuation lines, and parsed as one field.
  CHECK(parsed.signed_payload.find(mergetag) != std::string::npos);
  bool found_mergetag = false;
  for (const auto& field : parsed.fields) {
    if (field.key == "mergetag") {
      found_mergetag = true;
      CHECK(field.value == "object " + base +
                               "\ntype commit\ntag v1\ntagger Ada <ada@example.com> 1700000000 "
                               "+0000\n\na tag message");
    }
  }
  CHECK(found_mergetag);

  // An unsigned commit whose message holds a signature block has no signature.
  std::string unsigned_object = "tree " + tree + "\nparent " + base +
                                "\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\n" + message;
  ParsedCommit unsigned_parsed = parse_commit_object(unsigned_object);
  CHECK(unsigned_parsed.signature_field.empty());
  CHECK(unsigned_parsed.signature.empty());
  CHECK(unsigned_parsed.signed_payload == unsigned_object);
}

TEST_CASE("commit parser: gpgsig-sha256 alone is reported - with gpgsig both leave the payload") {
  std::string head = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
                     "author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n";
  std::string sha256_sig = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n";

  std::string only256 = head + signature_header("gpgsig-sha256", sha256_sig) + "\nmsg\n";
  ParsedCommit a = parse_commit_object(only256);
  CHECK(a.signature_field == "gpgsig-sha256");
  CHECK(a.signature == sha256_sig);
  CHECK(a.signed_payload == head + "\nmsg\n");

  std::string both = head + signature_header("gpgsig-sha256", sha256_sig) +
                     signature_header("gpgsig", k_fake_signature) + "\nmsg\n";
  ParsedCommit b = parse_commit_object(both);
  CHECK(b.signature_field == "gpgsig");
  CHECK(b.signature == k_fake_signature);
  CHECK(b.signed_payload == head + "\nmsg\n");

  // No blank line at all: everything is header, nothing is lost or invented.
  ParsedCommit c = parse_commit_object("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n");
  CHECK(c.message.empty());
  CHECK(c.tree == "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
}

TEST_CASE("commit parser: the payload of a real gpg-signed commit verifies with gpg") {
  TempDir tmp;
  GitRepo repo(tmp / "repo");
  auto gnupg = tmp / "gnupg";
  std::filesystem::create_directories(gnupg);
  std::filesystem::permissions(gnupg, std::filesystem::perms::owner_all);
  agate::test::RunOptions gpg_options;
  gpg_options.env = {{"GNUPGHOME", gnupg.string()}};
  auto gen = agate::test::run({"gpg", "--batch", "--passphrase", "", "--quick-gen-key",
                               "Ada Tester <ada@example.com>", "ed25519", "sign", "never"},
                              gpg_options);
  REQUIRE_MESSAGE(gen.exit_code == 0, gen.err);

  repo.write("a.txt", "signed\n");
  repo.add_all();
  agate::test::RunOptions git_options;
  git_options.cwd = repo.dir();
  git_options.env = repo.env();
  git_options.env["GNUPGHOME"] = gnupg.string();
  auto commit =
      agate::test::run({"git", "-c", "user.signingkey=ada@example.com", "commit", "-q", "-S", "-m",
                        "Signed\n\ngpgsig in the message body does not count\n"},
                       git_options);
  REQUIRE_MESSAGE(commit.exit_code == 0, commit.err);
  std::string raw = repo.git({"cat-file", "commit", "HEAD"});

  ParsedCommit parsed = parse_commit_object(raw);
  REQUIRE(parsed.signature_field == "gpgsig");
  CHECK(parsed.signed_payload == strip_signature_headers(raw));
  agate::test::write_file(tmp / "payload", parsed.signed_payload);
  agate::test::write_file(tmp / "payload.sig", parsed.signature);
  auto verify = agate::test::run(
      {"gpg", "--verify", (tmp / "payload.sig").string(), (tmp / "payload").string()}, gpg_options);
  CHECK_MESSAGE(verify.exit_code == 0, verify.err);

  // A payload with one byte changed does not verify: the check above is meaningful.
  agate::test::write_file(tmp / "payload", parsed.signed_payload + "x");
  auto tampered = agate::test::run(
      {"gpg", "--verify", (tmp / "payload.sig").string(), (tmp / "payload").string()}, gpg_options);
  CHECK(tampered.exit_code != 0);
}

TEST_CASE("commit parser: trailers match git interpret-trailers --parse on tricky messages") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  const std::vector<std::string> messages = {
      "Subject only\n",
      "Fix: a subject that looks like a trailer\n",
      "Subject\n\nBody text.\n\nSigned-off-by: Ada <ada@example.com>\n",
      "Subject\n\nKey: value\nOther-Key: v2\n  continued here\n   and here\n",
      "Subject\n\nbody\n\nSigned-off-by: A <a@x>\nnot a trailer line\nalso not one\n"
      "Reviewed-by: B <b@x>\n",
      "Subject\n\nSigned-off-by: x\nline one\nline two\nline three\nline four\n",
      "Subject\n\nbody\n\n(cherry picked from commit 0123456789abcdef)\nSigned-off-by: X <x@y>\n",
      "Subject\n\nKey: before the divider\n---\nAfter: the divider\n",
      "Subject\n\nKey: v\n\n# a comment\n\n",
      "Subject\n\nAgate-Prompt: 2024-01-01-abc\n",
      "Subject\n\nKey: caf\xe9 \xff\xfe bytes\n",
      "Subject\r\n\r\nKey: value\r\nOther: two\r\n",
      "Subject\n\nSee: this is prose\nand more prose here\n",
      "Subject\n\nKey : spaced\nAnother-key :tight\nbad key: no\n",
      "Subject\n\n  indented\nKey: v\n",
      "Subject\n\nKey: v\n# ------------------------ >8 ------------------------\nOther: x\n",
      "Subject\n\nKey: v\n\nConflicts:\n\tfile.c\n",
      "Subject\n\nparagraph one\n\nKey: last paragraph\nKey: twice\n",
      "Subject\n\nKey:\nEmpty-Next: \n",
      "Subject\nstill subject: yes\n\nTrailer: one\n",
      "Subject\n\nKey: v\n   \n",
      "Subject\n\nSigned-off-by: A\n",
  };
  for (const auto& message : messages) {
    CAPTURE(message);
    auto expected = git_trailers(repo, message);
    auto actual = parse_trailers(message);
    CHECK(describe(actual) == describe(expected));
  }
  // A message with only a subject has no trailers (also checked against git above).
  CHECK(parse_trailers("Subject only\n").empty());
  CHECK(describe(parse_trailers("Subject\n\nAgate-Prompt: 2024-01-01-abc\n")) ==
        "[Agate-Prompt=2024-01-01-abc]");

  // "Key #value" style with trailer.separators=:#
  TrailerOptions hash_options;
  hash_options.separators = ":#";
  for (const std::string message :
       {"Subject\n\nBug #123\nKey: v\n", "Subject\n\nSee #12 and more\nCloses #4\n"}) {
    CAPTURE(message);
    CHECK(describe(parse_trailers(message, hash_options)) ==
          describe(git_trailers(repo, message, ":#")));
  }
  CHECK(describe(parse_trailers("Subject\n\nBug #123\nKey: v\n", hash_options)) ==
        "[Bug=123][Key=v]");
}

TEST_CASE("commit parser: summary is the first paragraph joined like git log --format=%s") {
  TempDir tmp;
  GitRepo repo(tmp.path());
  repo.write("a.txt", "1\n");
  const std::vector<std::string> messages = {"One line\n", "Two lines   \nof subject\n\nbody\n",
                                             "Subject\r\nwrapped\r\n\r\nbody\r\n",
                                             "caf\xc3\xa9 \xe9\n\nbody\n"};
  int n = 0;
  for (const auto& message : messages) {
    CAPTURE(message);
    repo.write("a.txt", std::to_string(++n) + "\n");
    repo.add_all();
    repo.git({"commit", "-q", "--cleanup=verbatim", "-F", "-"}, message);
    std::string git_summary = repo.git({"log", "-1", "--format=%s"});
    git_summary.pop_back(); // log's newline
    std::string raw = repo.git({"cat-file", "commit", "HEAD"});
    CHECK(message_summary(parse_commit_object(raw).message) == git_summary);
  }
}
