// Tests of the deletion analyzer (analyzers/deletion/deletion_analyzer.hpp) on hand-built changes
// with real source text in several languages, parsed by the real syntax layer: an unrelated
// deletion is found at its old lines, and the deletions a change explains (a rename, a move, dead
// code removed with its callers, a removal the message asks for) are not reported; removed tests,
// removed guards and dangling references are.
#include "analyzers/deletion/deletion_analyzer.hpp"
#include "analyzers/deletion/reference_index.hpp"
#include "analyzers/syntax/syntax_cache.hpp"
#include "gate/git/change_loader.hpp"
#include "gate/git/repository_view.hpp"
#include "gate/provenance/diff_hash.hpp"
#include "tests/support/file_change_builder.hpp"
#include "tests/support/test_support.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace {

using namespace agate;
using gate::Change;
using gate::FileChange;
using gate::Finding;
using gate::Severity;

using agate::test::lines_of;

// Builds a change with real blob contents; each file's diff is one hunk between the common
// prefix and suffix of its two sides.
class Builder {
public:
  explicit Builder(std::string message = "", gate::ChangeKind kind = gate::ChangeKind::commit) {
    m_change.kind = kind;
    m_change.label = kind == gate::ChangeKind::staged ? "staged" : "abc1234";
    if (kind == gate::ChangeKind::commit) {
      gate::CommitInfo info;
      info.message = std::move(message);
      m_change.commit = std::move(info);
    }
  }

  FileChange& file(const std::string& path, const std::string& old_text,
                   const std::string& new_text, const std::string& language) {
    FileChange f =
        test::file_change_from_texts(path, old_text, new_text, language, m_contents, m_next);
    m_change.files.push_back(std::move(f));
    return m_change.files.back();
  }

  Change& change() { return m_change; }

  std::vector<Finding> analyze(const gate::RepositoryView* repository = nullptr) {
    syntax::SyntaxCache cache;
    gate::ChangeSet set;
    set.changes.push_back(m_change);
    auto policy = gate::default_policy();
    analyzers::AnalysisContext context{set, m_contents, cache, policy, repository};
    analyzers::DeletionAnalyzer analyzer;
    return analyzer.analyze(context, set.changes.front());
  }

  // A blob that is no part of the change (an unchanged file of the tree).
  std::string blob(const std::string& content) {
    auto oid = "tree-" + std::to_string(m_next++);
    m_contents.add(oid, content);
    return oid;
  }

  // Analyzes `commit` (built before with this builder and taken with take()) as a commit of a
  // range whose whole is the change being built now.
  std::vector<Finding> analyze_in_range(Change commit) {
    syntax::SyntaxCache cache;
    gate::ChangeSet set;
    commit.head_rev = "c1";
    set.changes.push_back(commit);
    Change range = m_change;
    range.kind = gate::ChangeKind::range;
    range.commit.reset();
    range.commits = {"c1", "c2"};
    set.changes.push_back(range);
    auto policy = gate::default_policy();
    analyzers::AnalysisContext context{set, m_contents, cache, policy};
    analyzers::DeletionAnalyzer analyzer;
    auto findings = analyzer.analyze(context, set.changes.front());
    auto whole = analyzer.analyze(context, set.changes.back());
    findings.insert(findings.end(), whole.begin(), whole.end());
    return findings;
  }

  Change take() {
    Change taken = m_change;
    m_change.files.clear();
    return taken;
  }

private:
  gate::MapContentSource m_contents;
  Change m_change;
  int m_next = 0;
};

// The new tree of a change, for the whole-tree reference check: the files given, sorted by
// path; no cache directory unless one is set.
class FakeView : public gate::RepositoryView {
public:
  std::vector<gate::TreeFile> files;
  std::filesystem::path cache;
  mutable int listings = 0;

  Result<std::vector<gate::TreeFile>> files_after(const Change&) const override {
    ++listings;
    auto sorted = files;
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    return sorted;
  }
  Result<std::vector<gate::TreeFile>> files_at(std::string_view) const override {
    return std::vector<gate::TreeFile>{};
  }
  std::filesystem::path cache_dir() const override { return cache; }
  Result<std::vector<gate::PolicyFile>> policy_files(std::string_view,
                                                     std::string_view) const override {
    return std::vector<gate::PolicyFile>{};
  }
};

std::vector<const Finding*> of_rule(const std::vector<Finding>& findings, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const auto& f : findings) {
    if (f.rule == rule) {
      out.push_back(&f);
    }
  }
  return out;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.rule + " " + f.file + ":" + std::to_string(f.line) + " " + f.message + "\n";
  }
  return out;
}

// ---- Python: the auth/billing example ---------------------------------------------------------

const std::string k_auth_old = R"(from service import utils


class AuthError(Exception):
    pass


def issue_token(secret, user, ttl=3600):
    expiry = utils.now() + ttl
    payload = f"{user}:{expiry}"
    return f"{payload}:{utils.sign(secret, payload)}"


def validate_token(secret, token):
    parts = token.split(":")
    if len(parts) != 3:
        raise AuthError("malformed token")
    user, expiry, signature = parts
    expected = utils.sign(secret, f"{user}:{expiry}")
    if not utils.constant_time_equal(signature, expected):
        raise AuthError("bad signature")
    if int(expiry) < utils.now():
        raise AuthError("token expired")
    return user
)";

const std::string k_auth_new = R"(from service import utils


class AuthError(Exception):
    pass


def issue_token(secret, user, ttl=3600):
    expiry = utils.now() + ttl
    payload = f"{user}:{expiry}"
    return f"{payload}:{utils.sign(secret, payload)}"
)";

const std::string k_billing_old = R"(from service import utils


class Invoice:
    def __init__(self, customer):
        self.customer = customer
        self.lines = []

    def add_line(self, sku, quantity, unit_price):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.lines.append((sku, quantity, unit_price))
)";

const std::string k_billing_new = k_billing_old + R"(

def invoice_total(invoice, discount=0.0):
    total = 0.0
    for sku, quantity, unit_price in invoice.lines:
        total += quantity * unit_price * (1.0 - discount)
    return utils.round_cents(total)
)";

} // namespace

TEST_CASE("deletion: an unrelated deleted function is reported at its old lines") {
  Builder b("Add invoice totals with a discount\n\nAdds invoice_total().\n");
  b.file("service/billing.py", k_billing_old, k_billing_new, "python");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.rule == "deletion/unrelated");
  CHECK(f.severity == Severity::warning);
  CHECK(f.file == "service/auth.py");
  CHECK(f.side == gate::Side::old_side);
  CHECK(f.line == 14);
  CHECK(f.end_line == 24);
  CHECK(f.change == "abc1234");
  CHECK(f.message ==
        "deleted function `validate_token` (auth.py:14-24): not mentioned by the commit message, "
        "not referenced by the added code, not moved; the change otherwise edits "
        "`service/billing.py`");
  CHECK(f.evidence["mentioned_by_intent"] == false);
  CHECK(f.evidence["referenced_by_added_code"] == false);
  CHECK(f.evidence["moved"] == false);
  CHECK(f.evidence["callers_removed"] == false);
  CHECK(f.evidence["intent"] == "the commit message");
}

TEST_CASE("deletion: a deletion the message asks for, or names, is not reported") {
  for (const char* message : {"Remove validate_token, tokens are checked by the gateway now",
                              "Drop the old auth checks: tokens are checked by the gateway"}) {
    Builder b(message);
    b.file("service/billing.py", k_billing_old, k_billing_new, "python");
    b.file("service/auth.py", k_auth_old, k_auth_new, "python");
    auto findings = b.analyze();
    INFO(message << "\n" << describe(findings));
    CHECK(findings.empty());
  }
}

TEST_CASE("deletion: a message that names the file without asking for a removal explains no "
          "deletion in it") {
  Builder b("Simplify auth: tokens are checked by the gateway");
  b.file("service/billing.py", k_billing_old, k_billing_new, "python");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "deletion/unrelated");
  CHECK(findings[0].file == "service/auth.py");
}

TEST_CASE("deletion: a deletion in a staged change with no prompt record is judged without "
          "intent, and a prompt record's prompt counts as intent") {
  {
    Builder b("", gate::ChangeKind::staged);
    b.file("service/auth.py", k_auth_old, k_auth_new, "python");
    auto findings = b.analyze();
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].change == "staged");
    CHECK(findings[0].evidence["intent"] == "none");
    CHECK(findings[0].message.find("no commit message or prompt says why") != std::string::npos);
  }
  // A record counts when it was made for this very diff (its diff_sha256 is the diff hash of the
  // change without the record); a stale or hand-written one is no intent.
  for (const bool bound : {true, false}) {
    Builder b("", gate::ChangeKind::staged);
    b.file("service/auth.py", k_auth_old, k_auth_new, "python");
    const std::string hash =
        bound ? gate::diff_hash(b.change().files).sha256 : std::string(64, '0');
    auto& record = b.file(".agate/prompts/p1.json", "",
                          R"({"version":1,"prompt":"please delete validate_token, unused",)"
                          R"("diff_sha256":")" +
                              hash + R"("})",
                          "");
    record.prompt_record = true;
    auto findings = b.analyze();
    INFO("bound: " << bound << "\n" << describe(findings));
    CHECK(findings.empty() == bound);
  }
}

TEST_CASE("deletion: the range as a whole reports a net deletion none of its commits judged") {
  Builder b("Add invoice totals");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  b.change().kind = gate::ChangeKind::range;
  b.change().commit.reset();
  b.change().commits = {"a", "b"};
  auto findings = b.analyze();
  INFO(describe(findings));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "deletion/unrelated");
}

TEST_CASE("deletion: an honest rename with its callers updated is not reported (Go)") {
  const std::string old_text = R"(package config

import (
	"errors"
	"os"
	"strings"
)

func ParseConfig(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		out[strings.TrimSpace(key)] = strings.TrimSpace(value)
	}
	if len(out) == 0 {
		return nil, errors.New("empty config")
	}
	return out, nil
}

func Port(path string) string {
	values, err := ParseConfig(path)
	if err != nil {
		return "8080"
	}
	return values["port"]
}
)";
  std::string new_text = old_text;
  for (auto pos = new_text.find("ParseConfig"); pos != std::string::npos;
       pos = new_text.find("ParseConfig")) {
    new_text.replace(pos, 11, "LoadSettings");
  }
  Builder b("Rename the config reader to match the docs");
  b.file("config/config.go", old_text, new_text, "go");
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(findings.empty());
}

TEST_CASE("deletion: a function moved to another file is not reported (JavaScript)") {
  const std::string helper = R"(
export function formatPrice(cents, currency) {
  if (!Number.isInteger(cents)) {
    throw new TypeError('cents must be an integer');
  }
  const amount = (cents / 100).toFixed(2);
  return `${amount} ${currency}`;
}
)";
  const std::string utils_old =
      "import { clamp } from './math.js';\n\nexport const VERSION = 3;\n" + helper;
  const std::string utils_new = "import { clamp } from './math.js';\n\nexport const VERSION = 3;\n";
  Builder b("Split the money helpers into their own module");
  b.file("src/utils.js", utils_old, utils_new, "javascript");
  b.file("src/money.js", "", "// Money formatting.\n" + helper, "javascript");
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(findings.empty());
}

TEST_CASE("deletion: dead code removed together with all its callers is not reported (Java)") {
  const std::string report_old = R"(package shop;

public class Report {
    private final Ledger ledger;

    public Report(Ledger ledger) {
        this.ledger = ledger;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(legacyHeader());
        for (Entry entry : ledger.entries()) {
            out.append(entry.describe()).append('\n');
        }
        return out.toString();
    }

    private String legacyHeader() {
        String title = "REPORT v1";
        String line = "=".repeat(title.length());
        return title + "\n" + line + "\n";
    }
}
)";
  const std::string report_new = R"(package shop;

public class Report {
    private final Ledger ledger;

    public Report(Ledger ledger) {
        this.ledger = ledger;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        for (Entry entry : ledger.entries()) {
            out.append(entry.describe()).append('\n');
        }
        return out.toString();
    }
}
)";
  Builder b("Reports start with the first entry");
  b.file("src/main/java/shop/Report.java", report_old, report_new, "java");
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(findings.empty());
}

TEST_CASE("deletion: an unrelated method deleted from a Java class is reported") {
  const std::string old_text = R"(package shop;

public class Cart {
    private final java.util.List<Item> items = new java.util.ArrayList<>();

    public void add(Item item) {
        items.add(item);
    }

    public int total() {
        int sum = 0;
        for (Item item : items) {
            sum += item.price() * item.quantity();
        }
        return sum;
    }
}
)";
  const std::string new_text = R"(package shop;

public class Cart {
    private final java.util.List<Item> items = new java.util.ArrayList<>();

    public void add(Item item) {
        items.add(item);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
)";
  Builder b("Let callers ask whether the basket is empty");
  b.file("src/main/java/shop/Cart.java", old_text, new_text, "java");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto unrelated = of_rule(findings, "deletion/unrelated");
  REQUIRE(unrelated.size() == 1);
  CHECK(unrelated[0]->evidence["unit"] == "Cart.total");
  CHECK(unrelated[0]->line == 10);
  CHECK(unrelated[0]->end_line == 16);
}

TEST_CASE("deletion: a removal the intent asks for is not reported (Rust)") {
  const std::string old_text = R"(use std::collections::HashMap;

pub fn parse(input: &str) -> HashMap<String, String> {
    input
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

pub fn parse_v1(input: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in input.lines() {
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.to_string(), v.to_string()));
        }
    }
    out
}
)";
  const std::string new_text = R"(use std::collections::HashMap;

pub fn parse(input: &str) -> HashMap<String, String> {
    input
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}
)";
  {
    Builder b("Remove the legacy parse_v1 decoder");
    b.file("src/decode.rs", old_text, new_text, "rust");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  {
    Builder b("Trim keys and values when parsing");
    b.file("src/settings.rs", old_text, new_text, "rust");
    auto findings = b.analyze();
    INFO(describe(findings));
    REQUIRE(of_rule(findings, "deletion/unrelated").size() == 1);
    CHECK(findings[0].evidence["unit"] == "parse_v1");
    CHECK(findings[0].line == 11);
  }
}

TEST_CASE("deletion: a removed test is an error (C)") {
  const std::string old_text = R"(#include <assert.h>
#include "list.h"

void test_list_push(void) {
    struct list *l = list_new();
    list_push(l, 1);
    assert(list_len(l) == 1);
    list_free(l);
}

void test_list_pop_empty(void) {
    struct list *l = list_new();
    assert(list_pop(l) == NULL);
    list_free(l);
}
)";
  const std::string new_text = R"(#include <assert.h>
#include "list.h"

void test_list_push(void) {
    struct list *l = list_new();
    list_push(l, 1);
    list_push(l, 2);
    assert(list_len(l) == 2);
    list_free(l);
}
)";
  Builder b("Grow lists geometrically in list_push");
  b.file("tests/test_list.c", old_text, new_text, "c");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto removed = of_rule(findings, "deletion/removed-test");
  REQUIRE(removed.size() == 1);
  CHECK(removed[0]->severity == Severity::error);
  CHECK(removed[0]->evidence["unit"] == "test_list_pop_empty");
  CHECK(removed[0]->line == 11);
  CHECK(removed[0]->end_line == 15);
  CHECK(removed[0]->side == gate::Side::old_side);
  CHECK(of_rule(findings, "deletion/unrelated").empty());
}

TEST_CASE("deletion: a guard removed from a surviving function is reported; a reworded one is "
          "not") {
  const std::string old_text = R"(class Inventory:
    def __init__(self):
        self._stock = {}

    def add(self, sku, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + quantity
)";
  {
    const std::string new_text = R"(class Inventory:
    def __init__(self):
        self._stock = {}

    def add(self, sku, quantity):
        self._stock[sku] = self._stock.get(sku, 0) + quantity
        return self._stock[sku]
)";
    Builder b("Return the new level from add");
    b.file("inventory.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto guards = of_rule(findings, "deletion/removed-guard");
    REQUIRE(guards.size() == 1);
    CHECK(guards[0]->severity == Severity::warning);
    CHECK(guards[0]->line == 6);
    CHECK(guards[0]->end_line == 7);
    CHECK(guards[0]->side == gate::Side::old_side);
    CHECK(guards[0]->evidence["unit"] == "Inventory.add");
    CHECK(guards[0]->message.find("`if quantity <= 0:` was removed from `Inventory.add`") !=
          std::string::npos);
    CHECK(findings.size() == 1);
  }
  {
    const std::string new_text = R"(class Inventory:
    def __init__(self):
        self._stock = {}

    def add(self, sku, quantity):
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        self._stock[sku] = self._stock.get(sku, 0) + quantity
)";
    Builder b("Say which quantity was wrong");
    b.file("inventory.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
}

TEST_CASE("deletion: a deleted method still called through self or this in its class is a "
          "dangling reference") {
  SUBCASE("Python: the message names the method, the call is left") {
    const std::string old_text = R"(class Cart:
    def __init__(self):
        self.items = []

    def subtotal(self):
        return sum(item.price for item in self.items)

    def total(self, tax):
        return self.subtotal() * (1 + tax)
)";
    const std::string new_text = R"(class Cart:
    def __init__(self):
        self.items = []

    def total(self, tax):
        return self.subtotal() * (1 + tax)
)";
    Builder b("Remove Cart.subtotal");
    b.file("shop/cart.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->severity == Severity::error);
    CHECK(dangling[0]->evidence["unit"] == "Cart.subtotal");
    CHECK(dangling[0]->line == 5);
    CHECK(dangling[0]->message.find("called through `self` in its class at shop/cart.py:6") !=
          std::string::npos);
  }
  SUBCASE("TypeScript: this.method() left in a class without a base") {
    const std::string old_text = R"(export class Poller {
  start(): void {
    this.schedule(1000);
  }

  schedule(delay: number): void {
    setTimeout(() => this.tick(), delay);
  }

  tick(): void {}
}
)";
    const std::string new_text = R"(export class Poller {
  start(): void {
    this.schedule(1000);
  }

  tick(): void {}
}
)";
    Builder b("Drop the schedule helper of Poller");
    b.file("src/poller.ts", old_text, new_text, "typescript");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["unit"] == "Poller.schedule");
    CHECK(dangling[0]->message.find("through `this`") != std::string::npos);
  }
  SUBCASE("quiet: a base class may supply it, the name is now an attribute, no call is left") {
    const std::string with_base = R"(class Handler(BaseHandler):
    def setup(self):
        return 1

    def handle(self):
        self.setup()
)";
    const std::string without_setup = R"(class Handler(BaseHandler):
    def handle(self):
        self.setup()
)";
    {
      Builder b("Use the default setup of Handler");
      b.file("app/handler.py", with_base, without_setup, "python");
      auto findings = b.analyze();
      INFO(describe(findings));
      CHECK(of_rule(findings, "deletion/dangling-reference").empty());
    }
    const std::string method = R"(class Clock:
    def now(self):
        return time.time()

    def stamp(self):
        return self.now()
)";
    const std::string attribute = R"(class Clock:
    def __init__(self, now):
        self.now = now

    def stamp(self):
        return self.now()
)";
    {
      Builder b("Let Clock take its now function");
      b.file("app/clock.py", method, attribute, "python");
      auto findings = b.analyze();
      INFO(describe(findings));
      CHECK(of_rule(findings, "deletion/dangling-reference").empty());
    }
    const std::string renamed = R"(class Clock:
    def current(self):
        return time.time()

    def stamp(self):
        return self.current()
)";
    {
      Builder b("Rename Clock.now to current");
      b.file("app/clock.py", method, renamed, "python");
      auto findings = b.analyze();
      INFO(describe(findings));
      CHECK(of_rule(findings, "deletion/dangling-reference").empty());
    }
  }
}

TEST_CASE("deletion: a deleted function still called by a changed file is a dangling "
          "reference") {
  const std::string handler_old = R"(from service import auth


def handle_request(secret, request):
    user = auth.validate_token(secret, request["token"])
    return {"user": user}
)";
  const std::string handler_new = R"(from service import auth


def handle_request(secret, request):
    user = auth.validate_token(secret, request["token"])
    return {"user": user, "ok": True}
)";
  Builder b("Say ok in responses");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  b.file("service/handler.py", handler_old, handler_new, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto dangling = of_rule(findings, "deletion/dangling-reference");
  REQUIRE(dangling.size() == 1);
  CHECK(dangling[0]->severity == Severity::error);
  CHECK(dangling[0]->file == "service/auth.py");
  CHECK(dangling[0]->line == 14);
  CHECK(dangling[0]->evidence["scope"] == "changed files (no repository view)");
  REQUIRE(dangling[0]->evidence["used_at"].size() == 1);
  CHECK(dangling[0]->evidence["used_at"][0]["file"] == "service/handler.py");
  CHECK(dangling[0]->evidence["used_at"][0]["line"] == 5);
  CHECK(dangling[0]->message.find("service/handler.py:5") != std::string::npos);
}

TEST_CASE("deletion: bad input gives no finding and no crash") {
  Builder b("Tidy up");
  // The new side does not parse: a unit missing from a broken parse is no evidence.
  // (validate_token's body is broken, its header is still there: not deleted.)
  auto broken = k_auth_old;
  broken.replace(broken.find("token.split(\":\")"), 16, "token.split(:");
  b.file("service/auth.py", k_auth_old, broken + "\ndef broken(:\n    pass(\n", "python");
  // A deleted file of a language agate does not read, and a deleted binary file.
  b.file("data/table.xyz", "a b c\n", "", "");
  auto& binary = b.file("img/logo.png", std::string("\x89PNG\r\n", 6), "", "");
  binary.binary = true;
  // A file whose blobs cannot be read.
  auto& missing =
      b.file("lib/gone.py", "def f():\n    return 1\n", "def g():\n    return 2\n", "python");
  missing.old_oid = "no-such-blob";
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(findings.empty());
}

TEST_CASE("deletion: a deleted file is skipped when the message names it or its directory") {
  Builder b("Drop the legacy exporters");
  b.file("legacy/csv_export.py", k_billing_old, "", "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(findings.empty());

  Builder other("Speed up checkout");
  other.file("billing/invoice.py", k_billing_old, "", "python");
  auto reported = other.analyze();
  INFO(describe(reported));
  REQUIRE(reported.size() == 1);
  CHECK(reported[0].evidence["unit"] == "Invoice");
  CHECK(reported[0].evidence["file_deleted"] == true);
  CHECK(reported[0].evidence["contains"].size() == 2);
}

TEST_CASE("deletion: a deleted file gives one finding per rule, listing its units") {
  const std::string module = R"(import csv


def export_rows(rows, path):
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(row)


def read_rows(path):
    with open(path, newline="") as source:
        return [row for row in csv.reader(source)]
)";
  const std::string tests = R"(from exporter import export_rows, read_rows


def test_round_trip(tmp_path):
    export_rows([["a", "1"]], tmp_path / "x.csv")
    assert read_rows(tmp_path / "x.csv") == [["a", "1"]]


def test_empty(tmp_path):
    export_rows([], tmp_path / "x.csv")
    assert read_rows(tmp_path / "x.csv") == []
)";
  Builder b("Speed up checkout");
  b.file("lib/exporter.py", module, "", "python");
  b.file("tests/test_exporter.py", tests, "", "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto unrelated = of_rule(findings, "deletion/unrelated");
  auto removed = of_rule(findings, "deletion/removed-test");
  REQUIRE(unrelated.size() == 1);
  REQUIRE(removed.size() == 1);
  CHECK(unrelated[0]->line == 4);
  CHECK(unrelated[0]->end_line == 13);
  CHECK(unrelated[0]->evidence["unit_count"] == 2);
  CHECK(unrelated[0]->message.rfind("deleted file `lib/exporter.py` takes 2 units with it", 0) ==
        0);
  CHECK(removed[0]->severity == Severity::error);
  CHECK(removed[0]->evidence["unit_count"] == 2);
  CHECK(findings.size() == 2);
}

TEST_CASE("deletion: in a range, a deletion a later commit undoes is not reported") {
  Builder b("Add invoice totals");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto commit = b.take();
  // The range as a whole leaves auth.py as it was (a later commit restored validate_token).
  b.file("service/billing.py", k_billing_old, k_billing_new, "python");
  CHECK(b.analyze_in_range(commit).empty());

  // The range still deletes it: reported once, under the commit.
  Builder c("Add invoice totals");
  c.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto deleting = c.take();
  c.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto findings = c.analyze_in_range(deleting);
  INFO(describe(findings));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "deletion/unrelated");
  CHECK(findings[0].change == "abc1234");

  // The range restores it in the same file, with other edits.
  Builder d("Add invoice totals");
  d.file("service/auth.py", k_auth_old, k_auth_new, "python");
  auto undone = d.take();
  d.file("service/auth.py", k_auth_old, k_auth_old + "\n\ndef revoke(token):\n    return None\n",
         "python");
  auto none = d.analyze_in_range(undone);
  INFO(describe(none));
  CHECK(none.empty());
}

TEST_CASE("deletion: a removed JavaScript test is reported unless the message describes it") {
  const std::string old_text = R"(import { cartTotal } from '../src/cart.js';

describe('cart', () => {
  it('sums prices', () => {
    expect(cartTotal([{ price: 2 }, { price: 3 }])).toBe(5);
  });

  it('rejects negative prices', () => {
    expect(() => cartTotal([{ price: -1 }])).toThrow(RangeError);
  });
});
)";
  const std::string new_text = R"(import { cartTotal } from '../src/cart.js';

describe('cart', () => {
  it('sums prices', () => {
    expect(cartTotal([{ price: 2 }, { price: 3 }])).toBe(5);
  });
});
)";
  {
    Builder b("Show prices with two decimals");
    b.file("test/cart.test.js", old_text, new_text, "javascript");
    auto findings = b.analyze();
    INFO(describe(findings));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule == "deletion/removed-test");
    CHECK(findings[0].evidence["unit"] == "cart.rejects negative prices");
    CHECK(findings[0].line == 8);
    CHECK(findings[0].end_line == 10);
  }
  {
    Builder b("Negative prices are refunds now: drop the test that rejects negative prices");
    b.file("test/cart.test.js", old_text, new_text, "javascript");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
}

TEST_CASE("deletion: a helper nested in a rewritten function, and a guard the message drops, "
          "are not reported") {
  {
    const std::string old_text = R"(def summarize(orders):
    def line_total(order):
        subtotal = order.quantity * order.unit_price
        return subtotal - order.discount

    totals = [line_total(order) for order in orders]
    return sum(totals)
)";
    const std::string new_text = R"(def summarize(orders):
    return sum(order.quantity * order.unit_price - order.discount for order in orders)
)";
    Builder b("Make the order summary a single expression");
    b.file("reports.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  {
    const std::string old_text = R"(class Inventory:
    def add(self, sku, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + quantity
)";
    const std::string new_text = R"(class Inventory:
    def add(self, sku, quantity):
        self._stock[sku] = self._stock.get(sku, 0) + quantity
)";
    Builder b("Allow negative quantities: drop the quantity check, returns are adds now");
    b.file("inventory.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
}

// ---- the whole new tree ---------------------------------------------------------------------

const std::string k_login_view = R"(from service import auth


def login(secret, request):
    return auth.validate_token(secret, request.headers["token"])
)";

TEST_CASE("deletion: a deleted function still used by a file outside the change is a dangling "
          "reference found through the whole-tree index") {
  Builder b("Say ok in responses");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  FakeView view;
  view.files = {
      {"service/auth.py", b.change().files[0].new_oid, 0100644},
      {"web/login.py", b.blob(k_login_view), 0100644},
      {"web/unrelated.py", b.blob("def validate_token_shape(t):\n    return t\n"), 0100644},
      {"web/link.py", b.blob(k_login_view), 0120000}}; // a symlink: not read

  SUBCASE("with the tree") {
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["scope"] == "whole tree");
    CHECK(dangling[0]->evidence.contains("best_effort")); // Python: names without types
    REQUIRE(dangling[0]->evidence["used_at"].size() == 1);
    CHECK(dangling[0]->evidence["used_at"][0]["file"] == "web/login.py");
    CHECK(dangling[0]->evidence["used_at"][0]["line"] == 5);
    CHECK(dangling[0]->evidence["used_at"][0]["unit"] == "login");
    CHECK(dangling[0]->message.find("web/login.py:5") != std::string::npos);
  }
  SUBCASE("without a repository view only the changed files are searched, and it says so") {
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/dangling-reference").empty());
    auto unrelated = of_rule(findings, "deletion/unrelated");
    REQUIRE(unrelated.size() == 1);
    CHECK(unrelated[0]->evidence["scope"] == "changed files (no repository view)");
  }
  SUBCASE("a file that defines the name itself does not use the deleted one") {
    view.files[1].oid =
        b.blob("from service import auth\n\n\ndef validate_token(s, t):\n    return t\n\n\n"
               "def login(secret, request):\n    return validate_token(secret, request)\n");
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/dangling-reference").empty());
  }
  SUBCASE("a file that does not name the deleted file's module does not see it") {
    view.files[1].oid = b.blob("from other import validate_token\n\n\ndef login(secret, request):\n"
                               "    return validate_token(secret, request)\n");
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/dangling-reference").empty());
  }
}

TEST_CASE("deletion: a deleted class still constructed elsewhere is a dangling reference") {
  const std::string limiter = R"(package app;

public class RateLimiter {
    private final int perSecond;

    public RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    public boolean allow(long now) {
        return now % perSecond == 0;
    }
}
)";
  const std::string gateway = R"(package app;

public class Gateway {
    private final RateLimiter limiter = new RateLimiter(10);

    public boolean accept(long now) {
        return limiter.allow(now);
    }
}
)";
  const std::string handler_old = R"(export function handle(req) {
  return req.ok;
}
)";
  const std::string handler_new = R"(export function handle(req) {
  return Boolean(req.ok);
}
)";
  SUBCASE("Java: new T(...) in a file of the same package") {
    Builder b("Simplify request handling");
    b.file("src/main/java/app/RateLimiter.java", limiter, "", "java");
    FakeView view;
    view.files = {{"src/main/java/app/Gateway.java", b.blob(gateway), 0100644}};
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["unit"] == "RateLimiter");
    CHECK(dangling[0]->message.find("src/main/java/app/Gateway.java:4") != std::string::npos);
  }
  SUBCASE("TypeScript: new T(...) in a file that imports it") {
    const std::string queue_old = R"(export class RetryQueue {
  private items: string[] = [];

  push(item: string): void {
    this.items.push(item);
  }
}
)";
    Builder b("Tidy the handler");
    b.file("src/retry-queue.ts", queue_old, "", "typescript");
    b.file("src/handler.ts", handler_old, handler_new, "typescript");
    FakeView view;
    view.files = {{"src/handler.ts", b.change().files[1].new_oid, 0100644},
                  {"src/worker.ts",
                   b.blob("import { RetryQueue } from \"./retry-queue\";\n\nconst queue = new "
                          "RetryQueue();\nexport const enqueue = (x: string) => queue.push(x);\n"),
                   0100644}};
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["unit"] == "RetryQueue");
    CHECK(dangling[0]->message.find("src/worker.ts:1") != std::string::npos); // its import
  }
}

TEST_CASE("deletion: dead code is only dead when no file of the new tree calls it") {
  // `fmt_price` and its only caller in the changed files go; an unchanged file still calls it.
  const std::string old_text = R"(package shop

func fmtPrice(cents int) string {
	whole := cents / 100
	frac := cents % 100
	return fmt.Sprintf("%d.%02d", whole, frac)
}

func Label(name string, cents int) string {
	title := strings.Title(name)
	price := fmtPrice(cents)
	return title + " " + price
}
)";
  const std::string new_text = R"(package shop

func Label(name string, cents int) string {
	title := strings.Title(name)
	return title
}
)";
  Builder b("Labels show the name only");
  b.file("shop/label.go", old_text, new_text, "go");
  SUBCASE("no other caller: dead code removed with its callers") {
    FakeView view;
    view.files = {
        {"shop/label.go", b.change().files[0].new_oid, 0100644},
        {"shop/cart.go", b.blob("package shop\n\nfunc Total() int {\n\treturn 1\n}\n"), 0100644}};
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/unrelated").empty());
    CHECK(of_rule(findings, "deletion/dangling-reference").empty());
  }
  SUBCASE("another file of the package still calls it: not dead, and dangling") {
    FakeView view;
    view.files = {
        {"shop/label.go", b.change().files[0].new_oid, 0100644},
        {"shop/cart.go",
         b.blob("package shop\n\nfunc Line(cents int) string {\n\treturn fmtPrice(cents)\n}\n"),
         0100644}};
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["used_at"][0]["file"] == "shop/cart.go");
    CHECK(dangling[0]->evidence["used_at"][0]["line"] == 4);
    CHECK(dangling[0]->evidence["callers_removed"] == false);
    CHECK(dangling[0]->evidence.contains("best_effort") == false); // Go is not dynamic
  }
}

TEST_CASE("deletion: the whole-tree word index is computed once per blob and cached on disk") {
  test::TempDir dir;
  Builder b("Say ok in responses");
  b.file("service/auth.py", k_auth_old, k_auth_new, "python");
  FakeView view;
  view.cache = dir.path() / "cache";
  view.files = {{"service/auth.py", b.change().files[0].new_oid, 0100644},
                {"web/login.py", b.blob(k_login_view), 0100644}};
  auto first = b.analyze(&view);
  const auto cache_file = analyzers::ReferenceIndex::cache_file(view.cache);
  REQUIRE(std::filesystem::exists(cache_file));
  // A second run (a new process) reads the filters from the cache: same answer.
  auto second = b.analyze(&view);
  CHECK(describe(first) == describe(second));
  CHECK(of_rule(second, "deletion/dangling-reference").size() == 1);
  // A corrupt cache is ignored and rewritten, never trusted.
  test::write_file(cache_file, "agate-deletion-words\ngarbage");
  auto third = b.analyze(&view);
  CHECK(describe(first) == describe(third));
  auto bytes = test::read_file(cache_file);
  CHECK(analyzers::ReferenceIndex::deserialize(bytes).ok());
}

TEST_CASE("deletion: word filters have no false negatives and survive a round trip") {
  const std::string text = "def validate_token(secret, token):\n    return $x + _y9\n";
  auto filter = analyzers::WordFilter::of_text(text);
  for (std::string_view word :
       {"def", "validate_token", "secret", "token", "return", "$x", "_y9"}) {
    CHECK(filter.may_contain(word));
  }
  int false_positives = 0;
  for (int i = 0; i < 1000; ++i) {
    false_positives += filter.may_contain("absent_" + std::to_string(i)) ? 1 : 0;
  }
  CHECK(false_positives < 30);
  std::map<std::string, analyzers::WordFilter> entries{{"abc", filter}};
  auto bytes = analyzers::ReferenceIndex::serialize(entries);
  auto back = analyzers::ReferenceIndex::deserialize(bytes);
  REQUIRE(back.ok());
  CHECK(back->at("abc").may_contain("validate_token"));
  CHECK_FALSE(analyzers::ReferenceIndex::deserialize(bytes.substr(0, bytes.size() - 3)).ok());
  CHECK_FALSE(analyzers::ReferenceIndex::deserialize("").ok());
  CHECK(analyzers::has_word("a validate_token(b)", "validate_token"));
  CHECK_FALSE(analyzers::has_word("validate_tokens", "validate_token"));
}

// ---- mostly removed units -------------------------------------------------------------------

const std::string k_parser_old = R"(import re


def parse_header(line):
    if not line:
        raise ValueError("empty header")
    name, _, value = line.partition(":")
    name = name.strip().lower()
    value = value.strip()
    if not re.match(r"^[a-z0-9-]+$", name):
        raise ValueError("bad header name")
    if len(value) > 8192:
        raise ValueError("header too long")
    return name, value


def format_header(name, value):
    return f"{name}: {value}"
)";

TEST_CASE("deletion: a function whose body is mostly deleted is reported") {
  const std::string stubbed = R"(import re


def parse_header(line):
    name, _, value = line.partition(":")
    return name, value


def format_header(name, value):
    return f"{name}: {value}"


def format_headers(headers):
    return "\r\n".join(format_header(n, v) for n, v in headers)
)";
  Builder b("Add format_headers");
  b.file("http/headers.py", k_parser_old, stubbed, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto unrelated = of_rule(findings, "deletion/unrelated");
  REQUIRE(unrelated.size() == 1);
  CHECK(unrelated[0]->line == 4);
  CHECK(unrelated[0]->end_line == 14);
  CHECK(unrelated[0]->evidence["mostly_removed"] == true);
  CHECK(unrelated[0]->evidence["deleted_lines"] >= 8);
  CHECK(unrelated[0]->message.find("most of function `parse_header`") != std::string::npos);
  // The guards it lost are part of that one finding, not reported again.
  CHECK(of_rule(findings, "deletion/removed-guard").empty());
}

TEST_CASE("deletion: a body moved to a helper, rewritten, or emptied on request is not "
          "reported as mostly removed") {
  SUBCASE("extracted into a helper") {
    const std::string extracted = R"(import re


def parse_header(line):
    return _checked(line)


def _checked(line):
    if not line:
        raise ValueError("empty header")
    name, _, value = line.partition(":")
    name = name.strip().lower()
    value = value.strip()
    if not re.match(r"^[a-z0-9-]+$", name):
        raise ValueError("bad header name")
    if len(value) > 8192:
        raise ValueError("header too long")
    return name, value


def format_header(name, value):
    return f"{name}: {value}"
)";
    Builder b("Split header parsing");
    b.file("http/headers.py", k_parser_old, extracted, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  SUBCASE("rewritten") {
    const std::string rewritten = R"(import re

HEADER = re.compile(r"^([a-z0-9-]+):\s*(.{0,8192})$")


def parse_header(line):
    found = HEADER.match(line.strip().lower())
    if found is None:
        raise ValueError(f"bad header: {line!r}")
    return found.group(1), found.group(2)


def format_header(name, value):
    return f"{name}: {value}"
)";
    Builder b("Parse headers with one expression");
    b.file("http/headers.py", k_parser_old, rewritten, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/unrelated").empty());
  }
  SUBCASE("the message names it") {
    const std::string stubbed = R"(import re


def parse_header(line):
    name, _, value = line.partition(":")
    return name, value


def format_header(name, value):
    return f"{name}: {value}"
)";
    Builder b("Make parse_header lenient: the proxy validates headers now");
    b.file("http/headers.py", k_parser_old, stubbed, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
}

// ---- patterns of honest history: refactors, reverts, prose, qualified names ------------------

TEST_CASE("deletion: a CRLF to LF rewrite neither hides a deletion nor invents one") {
  const std::string old_lf = R"(import os


def config_dir():
    # the directory of the settings; see legacy_config_dir for old installs
    if not os.environ.get("APP_HOME"):
        raise KeyError("APP_HOME")
    return os.environ["APP_HOME"]


def legacy_config_dir():
    base = os.path.expanduser("~")
    return os.path.join(base, ".app")
)";
  std::string old_crlf;
  for (char c : old_lf) {
    old_crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  // Every line re-written with LF endings, and legacy_config_dir deleted.
  const std::string new_text = old_lf.substr(0, old_lf.find("\n\n\ndef legacy")) + "\n";
  Builder b("Normalize line endings");
  b.file("app/paths.py", old_crlf, new_text, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  // The comment naming it was only re-written, not added: the deletion is seen. The guard of
  // config_dir was only re-written: not removed.
  auto unrelated = of_rule(findings, "deletion/unrelated");
  REQUIRE(unrelated.size() == 1);
  CHECK(unrelated[0]->evidence["unit"] == "legacy_config_dir");
  CHECK(unrelated[0]->evidence["referenced_by_added_code"] == false);
  CHECK(of_rule(findings, "deletion/removed-guard").empty());
}

TEST_CASE("deletion: each branch of an if/elif chain is a guard of its own") {
  SUBCASE("an elif that raises removed from a chain (Python)") {
    const std::string old_text = R"(def parse_port(value):
    if value is None:
        raise ValueError("no port")
    elif not value.isdigit():
        raise ValueError("port is not a number")
    elif int(value) > 65535:
        raise ValueError("port out of range")
    return int(value)
)";
    const std::string new_text = R"(def parse_port(value):
    if value is None:
        raise ValueError("no port")
    elif not value.isdigit():
        raise ValueError("port is not a number")
    return int(value)
)";
    Builder b("Accept more ports");
    b.file("net/ports.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto guards = of_rule(findings, "deletion/removed-guard");
    REQUIRE(guards.size() == 1);
    CHECK(guards[0]->line == 6);
    CHECK(guards[0]->end_line == 7);
    CHECK(guards[0]->evidence["unit"] == "parse_port");
    CHECK(guards[0]->message.find("`elif int(value) > 65535:`") != std::string::npos);
  }
  SUBCASE("an else-if that throws removed from a chain (JavaScript)") {
    const std::string old_text = R"(function checkAmount(amount) {
  if (typeof amount !== "number") {
    throw new TypeError("amount must be a number");
  } else if (amount < 0) {
    throw new RangeError("amount must not be negative");
  }
  return amount;
}
)";
    const std::string new_text = R"(function checkAmount(amount) {
  if (typeof amount !== "number") {
    throw new TypeError("amount must be a number");
  }
  return amount;
}
)";
    Builder b("Allow refunds");
    b.file("src/amount.js", old_text, new_text, "javascript");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto guards = of_rule(findings, "deletion/removed-guard");
    REQUIRE(guards.size() == 1);
    CHECK(guards[0]->line == 4);
    CHECK(guards[0]->evidence["unit"] == "checkAmount");
  }
  SUBCASE("the first branch of a chain removed, the rest kept (Python)") {
    const std::string old_text = R"(def open_store(path, mode):
    if not path:
        raise ValueError("no path")
    elif mode not in ("r", "w"):
        raise ValueError("bad mode")
    return Store(path, mode)
)";
    const std::string new_text = R"(def open_store(path, mode):
    if mode not in ("r", "w"):
        raise ValueError("bad mode")
    return Store(path, mode)
)";
    Builder b("Open the default store without a path");
    b.file("store.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    auto guards = of_rule(findings, "deletion/removed-guard");
    REQUIRE(guards.size() == 1);
    CHECK(guards[0]->line == 2);
    CHECK(guards[0]->message.find("`if not path:`") != std::string::npos);
  }
  SUBCASE("typing overloads before the implementation: its guards are compared with its own "
          "new version (Python)") {
    const std::string old_text = R"(class Response:
    @overload
    def iter_content(self, chunk_size: int) -> Iterator[bytes]: ...
    @overload
    def iter_content(self, chunk_size: None) -> Iterator[bytes]: ...
    def iter_content(self, chunk_size):
        if self.consumed:
            raise StreamConsumedError()
        elif chunk_size is not None and not isinstance(chunk_size, int):  # type: ignore
            raise TypeError("chunk_size must be an int")
        return self._chunks(chunk_size)
)";
    const std::string reformatted = R"(class Response:
    @overload
    def iter_content(self, chunk_size: int) -> Iterator[bytes]: ...
    @overload
    def iter_content(self, chunk_size: None) -> Iterator[bytes]: ...
    def iter_content(self, chunk_size):
        if self.consumed:
            raise StreamConsumedError()
        elif chunk_size is not None and not isinstance(
            chunk_size, int
        ):  # runtime guard for untyped callers
            raise TypeError("chunk_size must be an int")
        return self._chunks(chunk_size)
)";
    {
      Builder b("Disable commonly ignored type checker rules");
      b.file("models.py", old_text, reformatted, "python");
      auto findings = b.analyze();
      INFO(describe(findings));
      CHECK(of_rule(findings, "deletion/removed-guard").empty());
    }
    const std::string removed = R"(class Response:
    @overload
    def iter_content(self, chunk_size: int) -> Iterator[bytes]: ...
    @overload
    def iter_content(self, chunk_size: None) -> Iterator[bytes]: ...
    def iter_content(self, chunk_size):
        if self.consumed:
            raise StreamConsumedError()
        return self._chunks(chunk_size)
)";
    {
      Builder b("Disable commonly ignored type checker rules");
      b.file("models.py", old_text, removed, "python");
      auto findings = b.analyze();
      INFO(describe(findings));
      auto guards = of_rule(findings, "deletion/removed-guard");
      REQUIRE(guards.size() == 1);
      CHECK(guards[0]->line == 9);
      CHECK(guards[0]->evidence["unit"] == "Response.iter_content");
    }
  }
  SUBCASE("a chain whose branches are reworded or reordered is no removal (Python)") {
    const std::string old_text = R"(def parse_port(value):
    if value is None:
        raise ValueError("no port")
    elif int(value) > 65535:
        raise ValueError("port out of range")
    return int(value)
)";
    const std::string new_text = R"(def parse_port(value):
    if value is None:
        raise ValueError("no port given")
    elif int(value) > 65535:
        raise ValueError(f"port {value} out of range")
    return int(value)
)";
    Builder b("Say which port was wrong");
    b.file("net/ports.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/removed-guard").empty());
  }
}

TEST_CASE("deletion: a C++ check that throws through a macro or helper is a guard") {
  const std::string old_text = R"(namespace fmt {
template <typename T> T* allocate(std::size_t n) {
  T* p = static_cast<T*>(std::malloc(n * sizeof(T)));
  if (!p) FMT_THROW(std::bad_alloc());
  return p;
}

void check_for_duplicate(const named_arg* args, int count, const char* name) {
  for (int i = 0; i < count; ++i) {
    if (args[i].name == name) {
      detail::throw_format_error("duplicate named arg");
    }
  }
}
}  // namespace fmt
)";
  const std::string new_text = R"(namespace fmt {
template <typename T> T* allocate(std::size_t n) {
  T* p = static_cast<T*>(std::malloc(n * sizeof(T)));
  return p;
}

void check_for_duplicate(const named_arg* args, int count, const char* name) {
  for (int i = 0; i < count; ++i) {
    (void)args;
  }
}
}  // namespace fmt
)";
  Builder b("Simplify the allocator");
  b.file("include/fmt/format-inl.h", old_text, new_text, "cpp");
  auto findings = b.analyze();
  INFO(describe(findings));
  auto guards = of_rule(findings, "deletion/removed-guard");
  REQUIRE(guards.size() == 2);
  CHECK(guards[0]->line == 4);
  CHECK(guards[0]->evidence["unit"] == "fmt.allocate");
  CHECK(guards[1]->line == 10);
  CHECK(guards[1]->evidence["unit"] == "fmt.check_for_duplicate");
}

TEST_CASE("deletion: refactored guards are not removed ones") {
  SUBCASE("a check now inside an inner function (TypeScript)") {
    const std::string old_text = R"(export function parse(schema: Schema, value: unknown) {
  const result = schema.run(value);
  if (result.issues.length) {
    throw new ParseError(result.issues);
  }
  return result.value;
}
)";
    const std::string new_text = R"(export function parse(schema: Schema, value: unknown) {
  const finish = (result: Result) => {
    if (result.issues.length) {
      throw new ParseError(result.issues);
    }
    return result.value;
  };
  return finish(schema.run(value));
}
)";
    Builder b("Share the result handling of parse");
    b.file("src/parse.ts", old_text, new_text, "typescript");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/removed-guard").empty());
  }
  SUBCASE("two checks joined into one, and a check moved into an extracted helper (Python)") {
    const std::string old_text = R"(def transfer(source, target, amount):
    if source is None:
        raise ValueError("no account")
    if target is None:
        raise ValueError("no account")
    if isinstance(amount, float) and amount != round(amount, 2):
        raise ValueError("amount has more than two decimals")
    source.balance -= amount
    target.balance += amount
)";
    const std::string new_text = R"(def _checked_amount(value):
    if isinstance(value, float) and value != round(value, 2):
        raise ValueError("amount has more than two decimals")
    return value


def transfer(source, target, amount):
    if source is None or target is None:
        raise ValueError("no account")
    amount = _checked_amount(amount)
    source.balance -= amount
    target.balance += amount
)";
    Builder b("Simplify transfer");
    b.file("bank/transfer.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/removed-guard").empty());
  }
  SUBCASE("abstract bodies and type-narrowing asserts are no guards (Python)") {
    const std::string old_text = R"(class Parameter:
    def get_default(self, ctx):
        raise NotImplementedError()

    def handle(self, ctx, value):
        assert ctx.stdin is not None
        return ctx.stdin.read(value)

    def process(self, ctx, value):
        assert self.name is not None, (
            "the name is set by the command"
        )
        assert value > 0
        return ctx.params.get(self.name, value)
)";
    const std::string new_text = R"(class Parameter(abc.ABC):
    @abc.abstractmethod
    def get_default(self, ctx):
        ...

    def handle(self, ctx, value):
        return t.cast(t.IO[str], ctx.stdin).read(value)

    def process(self, ctx, value):
        return ctx.params.get(self.name, value)
)";
    Builder b("Declare the parameter interface with abc");
    b.file("src/core.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    // A real check (`value > 0`) removed beside them is still reported.
    auto guards = of_rule(findings, "deletion/removed-guard");
    REQUIRE(guards.size() == 1);
    CHECK(guards[0]->evidence["guard"] == "assert value > 0");
  }
}

TEST_CASE("deletion: a body moved into a helper the function now calls is not mostly removed") {
  const std::string old_text = R"py(class NoSuchOption(Exception):
    def format_message(self):
        if not self.possibilities:
            return self.message
        names = sorted(self.possibilities)
        if len(names) == 1:
            suggest = "Did you mean {}?".format(names[0])
        else:
            suggest = "(Possible options: {})".format(", ".join(names))
        return "{}  {}".format(self.message, suggest)
)py";
  const std::string new_text = R"py(def _format_possibilities(message, possibilities):
    if not possibilities:
        return message
    ordered = sorted(possibilities)
    if len(ordered) == 1:
        hint = "Did you mean {}?".format(ordered[0])
    else:
        hint = "(Possible options: {})".format(", ".join(ordered))
    return "{}  {}".format(message, hint)


class NoSuchOption(Exception):
    def format_message(self):
        return _format_possibilities(self.message, self.possibilities)
)py";
  Builder b("Share the suggestion text");
  b.file("src/exceptions.py", old_text, new_text, "python");
  auto findings = b.analyze();
  INFO(describe(findings));
  CHECK(of_rule(findings, "deletion/unrelated").empty());
  CHECK(of_rule(findings, "deletion/removed-guard").empty());
}

TEST_CASE("deletion: a duplicate removed while its identical twin stays is de-duplication") {
  const std::string old_text = R"(def human_size(count):
    for unit in ["B", "KiB", "MiB", "GiB"]:
        if count < 1024:
            return "%d %s" % (count, unit)
        count //= 1024
    return "%d TiB" % count


def format_size(count):
    for unit in ["B", "KiB", "MiB", "GiB"]:
        if count < 1024:
            return "%d %s" % (count, unit)
        count //= 1024
    return "%d TiB" % count
)";
  const std::string new_text = old_text.substr(old_text.find("def format_size"));
  {
    Builder b("Tidy the size helpers");
    b.file("app/sizes.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  // A look-alike of the same shape that does something else is no twin.
  std::string other = old_text;
  other.replace(other.find("1024:"), 5, "1000:");
  {
    Builder b("Tidy the size helpers");
    b.file("app/sizes.py", other, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/unrelated").size() == 1);
  }
}

TEST_CASE("deletion: the message is read as prose, with identifier words split") {
  const std::string old_text = R"(def test_fish_multiline_help_complete(runner):
    out = runner.complete("fish", "multi")
    assert out == ["multi\tline one"]


def test_bash_complete(runner):
    assert runner.complete("bash", "g") == ["group"]
)";
  const std::string new_text = R"(def test_bash_complete(runner):
    assert runner.complete("bash", "g") == ["group"]
)";
  SUBCASE("a test described in words by the message is explained") {
    Builder b("Fix broken fish completion and multiline help string");
    b.file("tests/test_shell_completion.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  SUBCASE("code quoted in the message, its trailers and generic folder words explain nothing") {
    Builder b("Update tests\n\n```python\ndef test_fish_multiline_help_complete(runner):\n"
              "    ...\n```\n\n<<<<<<< SEARCH\ndef test_fish_multiline_help_complete(runner):\n"
              "=======\n>>>>>>> REPLACE\n\nCo-authored-by: Shell Completion <bot@example.com>\n");
    b.change().commit->trailers = {{"Co-authored-by", "Shell Completion <bot@example.com>"}};
    b.file("tests/test_shell_completion.py", old_text, new_text, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    REQUIRE(of_rule(findings, "deletion/removed-test").size() == 1);
  }
}

TEST_CASE("deletion: a use through another module's path does not dangle; cfg variants are one "
          "finding (Rust)") {
  const std::string old_text = R"(use std::path::Path;

#[cfg(unix)]
pub fn is_hidden(path: &Path) -> bool {
    path.file_name().map_or(false, |name| name.as_encoded_bytes().starts_with(b"."))
}

#[cfg(windows)]
pub fn is_hidden(path: &Path) -> bool {
    use std::os::windows::fs::MetadataExt;
    path.metadata().map_or(false, |md| md.file_attributes() & 2 != 0)
}

pub fn strip_prefix<'a>(prefix: &Path, path: &'a Path) -> Option<&'a Path> {
    path.strip_prefix(prefix).ok()
}
)";
  const std::string new_text = R"(use std::path::Path;

pub fn strip_prefix<'a>(prefix: &Path, path: &'a Path) -> Option<&'a Path> {
    path.strip_prefix(prefix).ok()
}
)";
  const std::string walk_other = R"(use crate::file;

pub fn skip(path: &std::path::Path) -> bool {
    file::is_hidden(path)
}
)";
  const std::string walk_own = R"(use crate::pathutil::is_hidden;

pub fn skip(path: &std::path::Path) -> bool {
    is_hidden(path)
}
)";
  Builder b("Walk: take hidden files from the file module");
  b.file("crates/ignore/src/pathutil.rs", old_text, new_text, "rust");
  FakeView view;
  view.files = {{"crates/ignore/src/pathutil.rs", b.change().files[0].new_oid, 0100644},
                {"crates/ignore/src/walk.rs", b.blob(walk_other), 0100644}};
  {
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/dangling-reference").empty());
  }
  view.files[1].oid = b.blob(walk_own);
  {
    auto findings = b.analyze(&view);
    INFO(describe(findings));
    auto dangling = of_rule(findings, "deletion/dangling-reference");
    REQUIRE(dangling.size() == 1);
    CHECK(dangling[0]->evidence["variants"] == 2);
    CHECK(dangling[0]->line == 4);
    CHECK(dangling[0]->end_line == 12);
  }
}

TEST_CASE("deletion: build-time variants merged into one definition keep their name; a removed "
          "setter beside its getter, or a removed Java overload, does not") {
  const std::string old_rust = R"(use std::path::Path;

/// Whether the path is a bare file name.
#[cfg(unix)]
pub(crate) fn is_file_name<P: AsRef<Path>>(path: P) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let path = path.as_ref().as_os_str().as_bytes();
    memchr::memchr(b'/', path).is_none()
}

/// Whether the path is a bare file name.
#[cfg(not(unix))]
pub(crate) fn is_file_name<P: AsRef<Path>>(path: P) -> bool {
    path.as_ref().parent().map(|p| p.as_os_str().is_empty()).unwrap_or(false)
}
)";
  const std::string new_rust = R"(use std::path::Path;

/// Whether the path is a bare file name.
pub(crate) fn is_file_name<P: AsRef<Path>>(path: P) -> bool {
    #[cfg(unix)]
    {
        memchr::memchr(b'/', path.as_ref().as_os_str().as_encoded_bytes()).is_none()
    }
    #[cfg(not(unix))]
    {
        path.as_ref().parent().map(|p| p.as_os_str().is_empty()).unwrap_or(false)
    }
}
)";
  {
    Builder b("ignore: more pathutil clean-up");
    b.file("crates/ignore/src/pathutil.rs", old_rust, new_rust, "rust");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/unrelated").empty());
  }

  const std::string old_python = R"(class Account:
    def __init__(self, owner):
        self._owner = owner

    @property
    def owner(self):
        return self._owner

    @owner.setter
    def owner(self, value):
        if not value:
            raise ValueError("an account needs an owner")
        self._owner = value
        audit.record("owner changed", value)
)";
  const std::string new_python = R"(class Account:
    def __init__(self, owner):
        self._owner = owner

    @property
    def owner(self):
        return self._owner
)";
  {
    Builder b("Add a balance report");
    b.file("bank/account.py", old_python, new_python, "python");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK_FALSE(findings.empty());
  }

  const std::string old_java = R"(package bank;

public class Ledger {
    public long total(java.util.List<Long> amounts) {
        long sum = 0;
        for (long amount : amounts) {
            sum += amount;
        }
        return sum;
    }

    public long total(java.util.List<Long> amounts, long floor) {
        long sum = 0;
        for (long amount : amounts) {
            if (amount >= floor) {
                sum += amount;
            }
        }
        return sum;
    }
}
)";
  const std::string new_java = R"(package bank;

public class Ledger {
    public long total(java.util.List<Long> amounts) {
        long sum = 0;
        for (long amount : amounts) {
            sum += amount;
        }
        return sum;
    }
}
)";
  {
    Builder b("Add a balance report");
    b.file("src/bank/Ledger.java", old_java, new_java, "java");
    auto findings = b.analyze();
    INFO(describe(findings));
    CHECK_FALSE(of_rule(findings, "deletion/unrelated").empty());
  }
}

TEST_CASE("deletion: a revert may take back what the reverted commit added (real repository)") {
  test::TempDir tmp;
  test::GitRepo git(tmp.path());
  git.write("README.md", "cobra\n");
  git.commit_all("Start");
  const std::string base = R"(package cobra

import "testing"

func TestArgs(t *testing.T) {
	if len(Args()) != 0 {
		t.Fatal("args")
	}
}
)";
  git.write("command_test.go", base);
  git.commit_all("Add the args test");
  git.write("command_test.go", base + R"(
func TestNoOSArgsWhenTesting(t *testing.T) {
	if len(OSArgs()) != 0 {
		t.Fatal("os args while testing")
	}
}
)");
  const std::string added = git.commit_all("Do not read os.Args in tests");
  git.git({"revert", "--no-edit", added});

  auto repo = gate::Repository::open(tmp.path()).value();
  gate::Selection selection;
  selection.mode = gate::SelectionMode::commit;
  selection.rev = "HEAD";
  auto set = gate::load_changes(repo, selection, {}).value();
  gate::GitRepositoryView view(repo);
  syntax::SyntaxCache cache;
  auto policy = gate::default_policy();
  analyzers::AnalysisContext context{set, repo.content(), cache, policy, &view};
  {
    analyzers::DeletionAnalyzer analyzer;
    auto findings = analyzer.analyze(context, set.changes.front());
    INFO(describe(findings));
    CHECK(findings.empty());
  }
  // The same deletion claiming to revert a commit that did not add the test is reported.
  set.changes.front().commit->message =
      "Revert \"Add the args test\"\n\nThis reverts commit " + git.git({"rev-parse", "HEAD~2"});
  {
    analyzers::DeletionAnalyzer analyzer;
    auto findings = analyzer.analyze(context, set.changes.front());
    INFO(describe(findings));
    CHECK(of_rule(findings, "deletion/removed-test").size() == 1);
  }
}
