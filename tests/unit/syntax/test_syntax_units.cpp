// Unit extraction per language: a realistic sample file per language with the exact units it
// must give (kinds, names, qualified names, line ranges, tests, guards and imports), and the
// properties every file relies on: files with syntax errors keep their intact units, odd bytes
// (BOM, CRLF, invalid UTF-8, NUL, empty, huge or deeply nested input) never crash, and the
// blob cache parses a blob once.
#include "analyzers/syntax/parser.hpp"
#include "analyzers/syntax/syntax_cache.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

using agate::syntax::file_time_budget;
using agate::syntax::parse_units;
using agate::syntax::ParsedFile;
using agate::syntax::set_file_time_budget;
using agate::syntax::SyntaxCache;
using agate::syntax::Unit;
using agate::syntax::UnitKind;

namespace {

// The sample without the newline that follows R"src( so that line 1 is the first line.
std::string sample(const char* text) {
  std::string s(text);
  return s.substr(s.empty() || s[0] != '\n' ? 0 : 1);
}

// One line per unit: "<kind> <qualified name> [<name>] <first line>-<last line>".
std::string summary(const ParsedFile& parsed) {
  std::string out;
  for (const auto& unit : parsed.units) {
    out += std::string(to_string(unit.kind)) + " " + unit.qualified_name + " [" + unit.name + "] " +
           std::to_string(unit.start_line) + "-" + std::to_string(unit.end_line) + "\n";
  }
  return out;
}

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += item + "\n";
  }
  return out;
}

const Unit* find_unit(const ParsedFile& parsed, const std::string& qualified_name) {
  for (const auto& unit : parsed.units) {
    if (unit.qualified_name == qualified_name && unit.kind != UnitKind::guard) {
      return &unit;
    }
  }
  return nullptr;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

TEST_CASE("syntax units: Python sample gives the exact units") {
  auto parsed = parse_units("python", sample(R"src(
"""Token checks for the API gateway."""
import hashlib
import os.path as osp
from typing import Optional
from .store import TokenStore


class AuthError(Exception):
    pass


class AuthService:
    def __init__(self, store: TokenStore, ttl: int = 3600):
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self.store = store
        self.ttl = ttl

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def validate(self, token: Optional[str]) -> bool:
        if not token:
            return False
        record = self.store.find(self.digest(token))
        assert record is not None, "store returned None"
        return record.expires > 0


def load_service(path):
    def read(p):
        with open(p) as f:
            return f.read()
    return AuthService(TokenStore(read(path)))


def test_digest_is_stable():
    assert AuthService.digest("a") == AuthService.digest("a")


class TestAuthService:
    def test_rejects_empty(self):
        assert not AuthService(TokenStore("")).validate("")

    def helper(self):
        return 1
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import hashlib [hashlib] 2-2",
                               "import os.path [os.path] 3-3",
                               "import typing [typing] 4-4",
                               "import .store [.store] 5-5",
                               "type AuthError [AuthError] 8-9",
                               "type AuthService [AuthService] 12-28",
                               "method AuthService.__init__ [__init__] 13-17",
                               "guard AuthService.__init__ [] 14-15",
                               "method AuthService.digest [digest] 19-21",
                               "method AuthService.validate [validate] 23-28",
                               "guard AuthService.validate [] 24-25",
                               "guard AuthService.validate [] 27-27",
                               "function load_service [load_service] 31-35",
                               "function load_service.read [read] 32-34",
                               "test test_digest_is_stable [test_digest_is_stable] 38-39",
                               "guard test_digest_is_stable [] 39-39",
                               "test TestAuthService [TestAuthService] 42-47",
                               "test TestAuthService.test_rejects_empty [test_rejects_empty] 43-44",
                               "guard TestAuthService.test_rejects_empty [] 44-44",
                               "method TestAuthService.helper [helper] 46-47",
                           }));
}

TEST_CASE("syntax units: JavaScript sample gives the exact units") {
  auto parsed = parse_units("javascript", sample(R"src(
// Shopping cart helpers.
import { formatPrice } from "./format.js";
import * as db from 'db';
const assert = require("assert");

export function total(items) {
  if (!Array.isArray(items)) throw new TypeError("items must be an array");
  return items.reduce((sum, item) => sum + item.price * item.qty, 0);
}

export const discount = (amount, rate = 0.1) => amount * (1 - rate);

class Cart {
  constructor(owner) {
    this.owner = owner;
    this.items = [];
  }

  add(item) {
    assert(item.qty > 0);
    this.items.push(item);
  }

  describe = () => `${this.owner}: ${formatPrice(total(this.items))}`;
}

describe("Cart", () => {
  it("sums prices", () => {
    expect(total([{ price: 2, qty: 3 }])).toBe(6);
  });
  test.skip("applies discount", () => {});
});
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import ./format.js [./format.js] 2-2",
                               "import db [db] 3-3",
                               "import assert [assert] 4-4",
                               "function total [total] 6-9",
                               "guard total [] 7-7",
                               "function discount [discount] 11-11",
                               "type Cart [Cart] 13-25",
                               "method Cart.constructor [constructor] 14-17",
                               "method Cart.add [add] 19-22",
                               "guard Cart.add [] 20-20",
                               "method Cart.describe [describe] 24-24",
                               "test Cart [Cart] 27-32",
                               "test Cart.sums prices [sums prices] 28-30",
                               "test Cart.applies discount [applies discount] 31-31",
                           }));
}

TEST_CASE("syntax units: TypeScript sample gives the exact units") {
  auto parsed = parse_units("typescript", sample(R"src(
import type { Request } from "express";
import { z } from "zod";

export interface User {
  id: string;
  email: string;
}

export type UserId = User["id"];

enum Role {
  Admin,
  Member,
}

export abstract class Repository<T> {
  abstract find(id: string): Promise<T | undefined>;

  async require(id: string): Promise<T> {
    const found = await this.find(id);
    if (found === undefined) {
      throw new Error(`missing ${id}`);
    }
    return found;
  }
}

export function parseUser(req: Request): User {
  const body = z.object({ id: z.string(), email: z.string() }).parse(req.body);
  return { id: body.id, email: body.email };
}

const isAdmin = (role: Role): boolean => role === Role.Admin;
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import express [express] 1-1",
                               "import zod [zod] 2-2",
                               "type User [User] 4-7",
                               "type UserId [UserId] 9-9",
                               "type Role [Role] 11-14",
                               "type Repository [Repository] 16-26",
                               "method Repository.require [require] 19-25",
                               "guard Repository.require [] 21-23",
                               "function parseUser [parseUser] 28-31",
                               "function isAdmin [isAdmin] 33-33",
                           }));
}

TEST_CASE("syntax units: TSX sample gives the exact units") {
  auto parsed = parse_units("tsx", sample(R"src(
import React from "react";

type Props = { label: string; onClick?: () => void };

export function Button({ label, onClick }: Props) {
  if (!label) throw new Error("label required");
  return <button onClick={onClick}>{label}</button>;
}

export const Icon = ({ name }: { name: string }) => <i className={name} />;

describe("Button", () => {
  it("renders the label", () => {
    render(<Button label="Save" />);
  });
});
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import react [react] 1-1",
                               "type Props [Props] 3-3",
                               "function Button [Button] 5-8",
                               "guard Button [] 6-6",
                               "function Icon [Icon] 10-10",
                               "test Button [Button] 12-16",
                               "test Button.renders the label [renders the label] 13-15",
                           }));
}

TEST_CASE("syntax units: Go sample gives the exact units") {
  auto parsed = parse_units("go", sample(R"src(
// Package store keeps sessions in memory.
package store

import (
	"errors"
	"fmt"
	"sync"
)

var ErrNotFound = errors.New("not found")

type Session struct {
	ID    string
	Owner string
}

type Store struct {
	mu       sync.Mutex
	sessions map[string]Session
}

func New() *Store {
	return &Store{sessions: make(map[string]Session)}
}

func (s *Store) Get(id string) (Session, error) {
	if id == "" {
		return Session{}, fmt.Errorf("empty id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return Session{}, ErrNotFound
	}
	return sess, nil
}

func (s *Store) Put(sess Session) error {
	if err := validate(sess); err != nil {
		return err
	}
	s.sessions[sess.ID] = sess
	return nil
}

func validate(sess Session) error {
	if sess.Owner == "" {
		panic("session without owner")
	}
	return nil
}
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import errors [errors] 5-5",
                               "import fmt [fmt] 6-6",
                               "import sync [sync] 7-7",
                               "type Session [Session] 12-15",
                               "type Store [Store] 17-20",
                               "function New [New] 22-24",
                               "method Store.Get [Get] 26-37",
                               "guard Store.Get [] 27-29",
                               "guard Store.Get [] 33-35",
                               "method Store.Put [Put] 39-45",
                               "guard Store.Put [] 40-42",
                               "function validate [validate] 47-52",
                               "guard validate [] 49-49",
                           }));
}

TEST_CASE("syntax units: Go tests sample gives the exact units") {
  auto parsed = parse_units("go", sample(R"src(
package store

import "testing"

func TestGetMissing(t *testing.T) {
	_, err := New().Get("x")
	if err != ErrNotFound {
		t.Fatalf("got %v", err)
	}
}

func BenchmarkPut(b *testing.B) {
	s := New()
	for i := 0; i < b.N; i++ {
		_ = s.Put(Session{ID: "a", Owner: "b"})
	}
}

func helper(t *testing.T) {}
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import testing [testing] 3-3",
                               "test TestGetMissing [TestGetMissing] 5-10",
                               "test BenchmarkPut [BenchmarkPut] 12-17",
                               "function helper [helper] 19-19",
                           }));
}

TEST_CASE("syntax units: Rust sample gives the exact units") {
  auto parsed = parse_units("rust", sample(R"src(
//! Configuration loading.
use std::collections::HashMap;
use std::fs;
use anyhow::{bail, Result};

#[derive(Debug, Clone)]
pub struct Config {
    pub values: HashMap<String, String>,
}

pub enum Source {
    File(String),
    Env,
}

pub trait Loader {
    fn load(&self) -> Result<Config>;
}

impl Config {
    pub fn parse(text: &str) -> Result<Self> {
        if text.is_empty() {
            return Err(anyhow::anyhow!("empty config"));
        }
        let mut values = HashMap::new();
        for line in text.lines() {
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            values.insert(key.to_string(), value.to_string());
        }
        Ok(Config { values })
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        assert!(!key.is_empty(), "key must not be empty");
        self.values.get(key)
    }
}

pub fn read(path: &str) -> Result<Config> {
    let text = fs::read_to_string(path)?;
    if text.len() > 1 << 20 {
        bail!("config too large");
    }
    Config::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pairs() {
        let c = Config::parse("a=1").unwrap();
        assert_eq!(c.get("a").unwrap(), "1");
    }

    #[tokio::test]
    #[ignore]
    async fn reads_file() {}

    fn fixture() -> &'static str {
        "a=1"
    }
}
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import std::collections::HashMap [std::collections::HashMap] 2-2",
                               "import std::fs [std::fs] 3-3",
                               "import anyhow::{bail, Result} [anyhow::{bail, Result}] 4-4",
                               "type Config [Config] 7-9",
                               "type Source [Source] 11-14",
                               "type Loader [Loader] 16-18",
                               "type Config [Config] 20-37",
                               "method Config.parse [parse] 21-31",
                               "guard Config.parse [] 22-24",
                               "method Config.get [get] 33-36",
                               "guard Config.get [] 34-34",
                               "function read [read] 39-45",
                               "guard read [] 41-43",
                               "import tests.super::* [super::*] 49-49",
                               "test tests.parses_pairs [parses_pairs] 51-55",
                               "guard tests.parses_pairs [] 54-54",
                               "test tests.reads_file [reads_file] 57-59",
                               "function tests.fixture [fixture] 61-63",
                           }));
}

TEST_CASE("syntax units: Java sample gives the exact units") {
  auto parsed = parse_units("java", sample(R"src(
package com.shop.orders;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Places and cancels orders. */
public class OrderService {
    private final OrderRepository repository;

    public OrderService(OrderRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    public Order place(String customer, List<Item> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no items");
        }
        Order order = new Order(customer, items);
        repository.save(order);
        return order;
    }

    public void cancel(long id) {
        assert id > 0 : "id must be positive";
        repository.delete(id);
    }

    enum Status { OPEN, CANCELLED }

    interface Listener {
        void onPlaced(Order order);
    }
}

class OrderServiceTest {
    @Test
    void placesOrder() {
        OrderService service = new OrderService(new InMemoryRepository());
        service.place("ann", List.of(new Item("book")));
    }

    @org.junit.jupiter.api.Test
    void cancelsOrder() {}

    private Item item() { return new Item("pen"); }
}
)src"));
  CHECK_FALSE(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import java.util.List [java.util.List] 3-3",
                               "import java.util.Objects [java.util.Objects] 4-4",
                               "import org.junit.jupiter.api.Test [org.junit.jupiter.api.Test] 5-5",
                               "type OrderService [OrderService] 8-34",
                               "method OrderService.OrderService [OrderService] 11-13",
                               "guard OrderService.OrderService [] 12-12",
                               "method OrderService.place [place] 15-22",
                               "guard OrderService.place [] 16-18",
                               "method OrderService.cancel [cancel] 24-27",
                               "guard OrderService.cancel [] 25-25",
                               "type OrderService.Status [Status] 29-29",
                               "type OrderService.Listener [Listener] 31-33",
                               "type OrderServiceTest [OrderServiceTest] 36-47",
                               "test OrderServiceTest.placesOrder [placesOrder] 37-41",
                               "test OrderServiceTest.cancelsOrder [cancelsOrder] 43-44",
                               "method OrderServiceTest.item [item] 46-46",
                           }));
}

TEST_CASE("syntax units: C sample gives the exact units") {
  // TEST(group, name) { } is a macro, not C: the parser sees a call missing its `;`.
  auto parsed = parse_units("c", sample(R"src(
#include <stdio.h>
#include "util.h"

typedef struct {
    int x;
} Point;

struct list { struct list *next; };

static int *find(struct list *l, int key) {
    if (l == NULL) return NULL;
    if (key < 0) { return -1; }
    assert(key != 0);
    return 0;
}

int parse(const char *s) {
    if (!s) return -EINVAL;
    return 0;
}

void test_find(void) { assert(find(0, 1) == 0); }
TEST(ListSuite, FindsKey) { }
)src"));
  CHECK(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import stdio.h [stdio.h] 1-1",
                               "import util.h [util.h] 2-2",
                               "type Point [Point] 4-6",
                               "type list [list] 8-8",
                               "function find [find] 10-15",
                               "guard find [] 11-11",
                               "guard find [] 12-12",
                               "guard find [] 13-13",
                               "function parse [parse] 17-20",
                               "guard parse [] 18-18",
                               "test test_find [test_find] 22-22",
                               "guard test_find [] 22-22",
                               "test ListSuite.FindsKey [ListSuite.FindsKey] 23-23",
                           }));
}

TEST_CASE("syntax units: C++ sample gives the exact units") {
  // Catch2's TEST_CASE("...") { } is a macro, not C++: the parser sees a call missing its `;`.
  auto parsed = parse_units("cpp", sample(R"src(
#include <stdexcept>
#include <vector>
#include "matrix.hpp"

namespace linalg {

class Matrix {
public:
  Matrix(int rows, int cols) : m_rows(rows), m_cols(cols), m_data(rows * cols) {
    if (rows <= 0 || cols <= 0) {
      throw std::invalid_argument("empty matrix");
    }
  }

  double& at(int r, int c) { return m_data[r * m_cols + c]; }

private:
  int m_rows;
  int m_cols;
  std::vector<double> m_data;
};

struct Shape {
  int rows;
  int cols;
};

Matrix* identity(int n) {
  if (n < 0) return nullptr;
  auto* m = new Matrix(n, n);
  return m;
}

} // namespace linalg

int linalg::Matrix::trace() const {
  assert(m_rows == m_cols);
  return 0;
}

TEST(MatrixTest, IdentityHasOnes) {
  EXPECT_EQ(1, 1);
}

TEST_CASE("identity of size zero") {
  CHECK(identity(0) != nullptr);
}
)src"));
  CHECK(parsed.has_errors);
  CHECK(summary(parsed) == lines({
                               "import stdexcept [stdexcept] 1-1",
                               "import vector [vector] 2-2",
                               "import matrix.hpp [matrix.hpp] 3-3",
                               "type linalg.Matrix [Matrix] 7-21",
                               "method linalg.Matrix.Matrix [Matrix] 9-13",
                               "guard linalg.Matrix.Matrix [] 10-12",
                               "method linalg.Matrix.at [at] 15-15",
                               "type linalg.Shape [Shape] 23-26",
                               "function linalg.identity [identity] 28-32",
                               "guard linalg.identity [] 29-29",
                               "method linalg.Matrix.trace [trace] 36-39",
                               "guard linalg.Matrix.trace [] 37-37",
                               "test MatrixTest.IdentityHasOnes [MatrixTest.IdentityHasOnes] 41-43",
                               "test identity of size zero [identity of size zero] 45-47",
                               "guard identity of size zero [] 46-46",
                           }));
}

TEST_CASE("syntax units: a test function is reported once, as a test") {
  auto parsed = parse_units("python", "def test_a():\n    pass\n\ndef helper():\n    pass\n");
  CHECK(summary(parsed) == lines({"test test_a [test_a] 1-2", "function helper [helper] 4-5"}));
  auto go = parse_units("go", "package p\nimport \"testing\"\nfunc TestA(t *testing.T) {}\n");
  CHECK(std::count_if(go.units.begin(), go.units.end(),
                      [](const Unit& u) { return u.name == "TestA"; }) == 1);
}

TEST_CASE("syntax units: a file with a syntax error still yields its intact functions") {
  auto parsed = parse_units("python", sample(R"src(
def before(a):
    return a + 1

def broken(:
    pass

class Kept:
    def method(self, x):
        if x is None:
            raise ValueError("x")
        return x
)src"));
  CHECK(parsed.has_errors);
  REQUIRE(find_unit(parsed, "before") != nullptr);
  CHECK(find_unit(parsed, "before")->start_line == 1);
  REQUIRE(find_unit(parsed, "Kept.method") != nullptr);
  CHECK(find_unit(parsed, "Kept.method")->kind == UnitKind::method);
  CHECK(find_unit(parsed, "Kept.method")->start_line == 8);
  CHECK(find_unit(parsed, "Kept.method")->end_line == 11);

  auto go = parse_units("go", "package p\n\nfunc Good() int { return 1 }\n\nfunc Bad( { \n\n"
                              "func AlsoGood() {}\n");
  CHECK(go.has_errors);
  REQUIRE(find_unit(go, "Good") != nullptr);
  CHECK(find_unit(go, "Good")->kind == UnitKind::function);

  auto js = parse_units("javascript", "function ok() { return 1; }\nfunction bad( { \n");
  CHECK(js.has_errors);
  CHECK(find_unit(js, "ok") != nullptr);
}

TEST_CASE("syntax units: defines and references of a function") {
  auto parsed = parse_units("python", sample(R"src(
def total(items, rate=0.2):
    subtotal = sum(item.price for item in items)
    return subtotal * (1 + rate)
)src"));
  const Unit* unit = find_unit(parsed, "total");
  REQUIRE(unit != nullptr);
  CHECK(unit->defines.front() == "total");
  for (const char* name : {"items", "rate", "subtotal"}) {
    CHECK_MESSAGE(has(unit->defines, name), name);
  }
  CHECK_FALSE(has(unit->defines, "sum"));
  for (const char* name : {"items", "rate", "subtotal", "sum", "price", "item"}) {
    CHECK_MESSAGE(has(unit->references, name), name);
  }
  // deduplicated
  CHECK(std::count(unit->references.begin(), unit->references.end(), "items") == 1);

  auto go = parse_units("go", sample(R"src(
package p

func (s *Server) Handle(w Writer, r *Request) error {
	body, err := read(r)
	return s.write(w, body, err)
}
)src"));
  const Unit* handle = find_unit(go, "Server.Handle");
  REQUIRE(handle != nullptr);
  for (const char* name : {"Handle", "s", "w", "r", "body", "err"}) {
    CHECK_MESSAGE(has(handle->defines, name), name);
  }
  for (const char* name : {"Server", "Writer", "Request", "read", "write"}) {
    CHECK_MESSAGE(has(handle->references, name), name);
  }
}

TEST_CASE("syntax units: byte and line ranges are those of the blob, BOM and CRLF included") {
  std::string crlf = "def f(a):\r\n    return a\r\n\r\ndef g(b):\r\n    return b\r\n";
  auto parsed = parse_units("python", crlf);
  CHECK_FALSE(parsed.has_errors);
  CHECK(parsed.line_count == 5);
  CHECK(summary(parsed) == lines({"function f [f] 1-2", "function g [g] 4-5"}));
  REQUIRE(parsed.units.size() == 2);
  CHECK(crlf.substr(parsed.units[1].start_byte, 9) == "def g(b):");

  std::string bom = "\xEF\xBB\xBF"
                    "def f(a):\n    return a\n";
  auto with_bom = parse_units("python", bom);
  CHECK_FALSE(with_bom.has_errors);
  REQUIRE(with_bom.units.size() == 1);
  CHECK(with_bom.units[0].start_byte == 3);
  CHECK(bom.substr(with_bom.units[0].start_byte,
                   with_bom.units[0].end_byte - with_bom.units[0].start_byte) ==
        "def f(a):\n    return a");
  CHECK(with_bom.units[0].fingerprint == parse_units("python", bom.substr(3)).units[0].fingerprint);
}

TEST_CASE("syntax units: odd input never crashes") {
  using namespace std::string_literals;
  for (std::string language :
       {"python", "javascript", "typescript", "tsx", "go", "rust", "java", "c", "cpp"}) {
    CAPTURE(language);
    auto empty = parse_units(language, "");
    CHECK(empty.units.empty());
    CHECK(empty.line_count == 0);
    CHECK_FALSE(empty.has_errors);

    std::string junk =
        "def \xff\xfe\x80 f(\x00\x01) { return \"\xc3\x28\"; }\n\x00\x00\xf0\x9f\x98"s;
    REQUIRE(junk.find('\x00') != std::string::npos);
    auto parsed = parse_units(language, junk);
    CHECK(parsed.line_count == 2);

    std::string nul(4096, '\0');
    CHECK_NOTHROW(parse_units(language, nul));
  }
  CHECK(parse_units("cobol", "IDENTIFICATION DIVISION.").units.empty());
  CHECK(parse_units("cobol", "x").language == "cobol");
}

namespace {

// Sets the per-file parse budget for one test and restores the previous one.
class BudgetScope {
public:
  explicit BudgetScope(std::chrono::milliseconds budget) : saved_(file_time_budget()) {
    set_file_time_budget(budget);
  }
  ~BudgetScope() { set_file_time_budget(saved_); }
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

private:
  std::chrono::milliseconds saved_;
};

} // namespace

TEST_CASE("syntax units: a file over the parse budget yields no units and says it timed out") {
  std::string source;
  for (int i = 0; i < 3000; ++i) {
    source += "def f" + std::to_string(i) + "(a):\n    return a + " + std::to_string(i) + "\n\n";
  }
  {
    BudgetScope tiny(std::chrono::milliseconds(1));
    auto over = parse_units("python", source);
    CHECK(over.timed_out);
    CHECK(over.has_errors);
    CHECK(over.units.empty());
  }
  auto within = parse_units("python", source);
  CHECK_FALSE(within.timed_out);
  CHECK(within.units.size() == 3000);
}

TEST_CASE("syntax units: deeply nested and wide input is handled in linear time") {
  // The units beside the crafted input are asserted, so the budget must not be what stops the
  // parse on a busy machine or under the sanitizers: the elapsed-time bound below is the guard.
  BudgetScope generous(std::chrono::minutes(5));
  auto start = std::chrono::steady_clock::now();
  // 200 KB of unbalanced parentheses: one ERROR node with 100 000 anonymous children, which
  // tree-sitter's query cursor alone takes quadratic time (about 20 s) to walk.
  auto garbage =
      parse_units("javascript", "x = " + std::string(100000, '(') + std::string(100000, ')') +
                                    ";\nfunction survivor() { return 1; }\n");
  CHECK(garbage.has_errors);
  // The query runs around such a node: units beside it are still found.
  auto beside =
      parse_units("javascript", "function before() {}\nx = " + std::string(5000, '(') + ";\n");
  CHECK(beside.has_errors);
  CHECK(find_unit(beside, "before") != nullptr);
  auto nested = parse_units("python", "x = " + std::string(50000, '[') + std::string(50000, ']') +
                                          "\n\ndef after():\n    return 1\n");
  auto elapsed = std::chrono::steady_clock::now() - start;
  // A guard against the quadratic walk (about 20 s, several times that under the sanitizers),
  // not a speed target: the bound leaves room for a busy machine and a sanitizer build.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int bound_seconds = 30;
#else
  constexpr int bound_seconds = 8;
#endif
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count() < bound_seconds);
  CHECK(find_unit(nested, "after") != nullptr);
}

TEST_CASE("syntax units: a large file parses with every unit") {
  std::string source;
  for (int i = 0; i < 2000; ++i) {
    source += "def f" + std::to_string(i) +
              "(a, b):\n    if a is None:\n        raise ValueError(\"a\")\n"
              "    return a * b + " +
              std::to_string(i) + "\n\n";
  }
  auto parsed = parse_units("python", source);
  CHECK_FALSE(parsed.has_errors);
  CHECK(parsed.line_count == 10000);
  REQUIRE(parsed.units.size() == 4000); // 2000 functions and their guards
  CHECK(parsed.units[3998].qualified_name == "f1999");
  CHECK(parsed.units[3998].start_line == 9996);
  // Every copy differs only in names and literals.
  CHECK(parsed.units[0].fingerprint == parsed.units[3998].fingerprint);
}

TEST_CASE("syntax units: the cache parses a blob once per language and is thread-safe") {
  SyntaxCache cache;
  const std::string oid = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";
  auto first = cache.parse(oid, "python", "def f():\n    pass\n");
  auto again = cache.parse(oid, "python", "ignored: the blob id says it is the same content");
  CHECK(first.get() == again.get());
  CHECK(first->units.size() == 1);
  CHECK(cache.size() == 1);
  auto other_language = cache.parse(oid, "javascript", "function f() {}\n");
  CHECK(other_language.get() != first.get());
  CHECK(cache.size() == 2);

  // No blob id: parsed, not cached.
  auto worktree = cache.parse("", "python", "def g():\n    pass\n");
  CHECK(worktree->units.at(0).name == "g");
  CHECK(cache.size() == 2);

  std::vector<std::thread> threads;
  std::vector<const ParsedFile*> seen(8);
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&cache, &seen, t] {
      std::shared_ptr<const ParsedFile> last;
      for (int i = 0; i < 50; ++i) {
        last = cache.parse("oid-" + std::to_string(i % 10), i % 2 == 0 ? "go" : "rust",
                           "package p\nfunc F() {}\nfn f() {}\n");
      }
      auto shared = cache.parse("shared", "python", "def shared():\n    pass\n");
      seen[t] = shared.get();
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  CHECK(cache.size() == 2 + 10 + 1);
  for (const auto* parsed : seen) {
    CHECK(parsed == seen[0]);
  }
}

TEST_CASE("syntax units: Catch2 and doctest test cases include their block") {
  auto parsed = parse_units("cpp", sample(R"src(
#include <catch2/catch.hpp>
TEST_CASE("adds", "[math]") { REQUIRE(1 + 1 == 2); }
TEST_CASE_METHOD(Fixture, "uses fixture", "[db]") {
}
namespace suite {
SCENARIO("works") { }
}
)src"));
  CHECK(summary(parsed) == lines({
                               "import catch2/catch.hpp [catch2/catch.hpp] 1-1",
                               "test adds [adds] 2-2",
                               "test uses fixture [uses fixture] 3-4",
                               "test suite.works [works] 6-6",
                           }));
  const Unit* adds = find_unit(parsed, "adds");
  REQUIRE(adds != nullptr);
  CHECK(has(adds->references, "REQUIRE")); // the block is part of the unit
}

TEST_CASE("syntax units: Rust test attributes in any order, and only on the next function") {
  auto parsed = parse_units("rust", sample(R"src(
#[ignore]
#[test]
fn slow() {}

#[test]
fn quick() {}

fn helper() {}

#[derive(Debug)]
struct NotATest;
)src"));
  CHECK(summary(parsed) == lines({
                               "test slow [slow] 1-3",
                               "test quick [quick] 5-6",
                               "function helper [helper] 8-8",
                               "type NotATest [NotATest] 11-11",
                           }));
}

TEST_CASE("syntax units: units come in source order, outer before inner") {
  auto parsed = parse_units("python", "class A:\n    def f(self):\n        assert self\n"
                                      "    def g(self):\n        pass\n");
  REQUIRE(parsed.units.size() == 4);
  for (std::size_t i = 1; i < parsed.units.size(); ++i) {
    const Unit& before = parsed.units[i - 1];
    const Unit& after = parsed.units[i];
    CHECK((before.start_byte < after.start_byte ||
           (before.start_byte == after.start_byte && before.end_byte >= after.end_byte)));
  }
  CHECK(parsed.units[0].kind == UnitKind::type);
  CHECK(parsed.units[2].kind == UnitKind::guard);
  CHECK(parsed.units[2].qualified_name == "A.f");
}

TEST_CASE("syntax units: namespaces and modules prefix qualified names without being units") {
  auto cpp =
      parse_units("cpp", "namespace a::b { void f() {} }\nnamespace { int g() { return 1; } }\n"
                         "namespace a { namespace b { void h(); void h() {} } }\n");
  CHECK(summary(cpp) ==
        lines({"function a.b.f [f] 1-1", "function g [g] 2-2", "function a.b.h [h] 3-3"}));
  auto ts = parse_units("typescript", "namespace Shapes.Round {\n  export class Circle {}\n}\n"
                                      "declare module \"express\" {\n  interface Request {}\n}\n");
  CHECK(summary(ts) ==
        lines({"type Shapes.Round.Circle [Circle] 2-2", "type express.Request [Request] 5-5"}));
  auto rust = parse_units("rust", "mod outer {\n    mod inner {\n        fn f() {}\n    }\n}\n"
                                  "mod declared;\n");
  CHECK(summary(rust) == lines({"function outer.inner.f [f] 3-3"}));
}

TEST_CASE("syntax units: each branch of an if/else-if chain that raises is a guard of its own") {
  auto guard_lines = [](const ParsedFile& parsed) {
    std::vector<std::pair<int, int>> lines;
    for (const auto& unit : parsed.units) {
      if (unit.kind == UnitKind::guard) {
        lines.emplace_back(unit.start_line, unit.end_line);
      }
    }
    return lines;
  };
  auto python = parse_units("python", R"(def parse_port(value):
    if value is None:
        raise ValueError("no port")
    elif value == "":
        return 0
    elif not value.isdigit():
        raise ValueError("not a number")
    return int(value)
)");
  // The `if` ends with its consequence; the `elif` that returns is no guard.
  CHECK(guard_lines(python) == std::vector<std::pair<int, int>>{{2, 3}, {6, 7}});
  auto go = parse_units("go", R"(package p

func Parse(s string) (int, error) {
	if s == "" {
		return 0, errors.New("empty")
	} else if len(s) > 9 {
		return 0, fmt.Errorf("too long: %s", s)
	}
	return strconv.Atoi(s)
}
)");
  CHECK(guard_lines(go) == std::vector<std::pair<int, int>>{{4, 6}, {6, 8}});
  auto java = parse_units("java", R"(class P {
  int parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("null");
    } else if (s.isEmpty()) {
      throw new IllegalArgumentException("empty");
    } else {
      return Integer.parseInt(s);
    }
  }
}
)");
  CHECK(guard_lines(java) == std::vector<std::pair<int, int>>{{3, 5}, {5, 7}});
}
