#!/bin/sh
# Creates agate's demo repository: a small Python inventory service with a few human commits,
# and then, staged but not committed, the kind of change a coding agent makes when asked for one
# thing: the requested billing feature, a 450-line generated module, and, unasked, the removal of
# `validate_token` from auth.py (still called by inventory.py) together with its test.
#
#   demo/make-demo.sh DIR            # the agent's change is staged:   agate check --staged
#   demo/make-demo.sh --commit DIR   # ... and committed as HEAD:      agate check --commit HEAD
#
# The run is deterministic (fixed identities and dates, no user or system git configuration), so
# the demo repository has the same commit ids every time. DIR is recreated from scratch; the
# script refuses to delete a directory it did not create. See docs/hooks.md.
set -eu

usage() {
  echo "usage: $0 [--commit] DIR" >&2
  exit 2
}

commit_ai=0
if [ "${1:-}" = --commit ]; then
  commit_ai=1
  shift
fi
[ $# -eq 1 ] || usage
dir=$1
[ -n "$dir" ] || usage

if [ -e "$dir" ]; then
  if [ -f "$dir/.git/agate-demo" ]; then
    rm -rf "$dir"
  elif [ -d "$dir" ] && [ -z "$(ls -A "$dir")" ]; then
    rmdir "$dir"
  else
    echo "$0: $dir exists and is not a demo repository made by this script; not touching it" >&2
    exit 1
  fi
fi

# No user or system configuration, a fixed identity and clock.
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE 2>/dev/null || true

as_author() { # NAME EMAIL DATE
  GIT_AUTHOR_NAME=$1
  GIT_AUTHOR_EMAIL=$2
  GIT_COMMITTER_NAME=$1
  GIT_COMMITTER_EMAIL=$2
  GIT_AUTHOR_DATE=$3
  GIT_COMMITTER_DATE=$3
  export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
    GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

mkdir -p "$dir"
cd "$dir"
git init -q -b main .
git config commit.gpgsign false
: >.git/agate-demo
mkdir -p inventory tests

# --- commit 1: the service as the team wrote it --------------------------------------------------
cat >README.md <<'EOF'
# inventory-service

A small stock and billing service.

- `inventory/inventory.py`: stock levels and the request handler
- `inventory/auth.py`: API token validation
- `inventory/billing.py`: invoices
- `inventory/utils.py`: shared helpers

Run the tests with `python -m pytest`.
EOF

cat >inventory/__init__.py <<'EOF'
"""Inventory service: stock levels, API tokens and invoices."""
EOF

cat >inventory/utils.py <<'EOF'
"""Helpers shared by the service modules."""

import hashlib
import hmac
import time


def now():
    """Seconds since the epoch; a function so tests can replace it."""
    return int(time.time())


def sign(secret, payload):
    """Hex HMAC-SHA256 of payload under secret."""
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(left, right):
    return hmac.compare_digest(left, right)


def round_cents(amount):
    """Rounds a money amount to whole cents."""
    return round(amount + 1e-9, 2)
EOF

cat >inventory/auth.py <<'EOF'
"""API tokens: "<user>:<expiry>:<signature>", signed with the service secret."""

from inventory import utils


class AuthError(Exception):
    pass


def issue_token(secret, user, ttl=3600):
    expiry = utils.now() + ttl
    payload = f"{user}:{expiry}"
    return f"{payload}:{utils.sign(secret, payload)}"


def validate_token(secret, token):
    """Returns the user a token was issued to; raises AuthError when it is not valid."""
    parts = token.split(":")
    if len(parts) != 3:
        raise AuthError("malformed token")
    user, expiry, signature = parts
    if not expiry.isdigit():
        raise AuthError("malformed expiry")
    expected = utils.sign(secret, f"{user}:{expiry}")
    if not utils.constant_time_equal(signature, expected):
        raise AuthError("bad signature")
    if int(expiry) < utils.now():
        raise AuthError("token expired")
    return user
EOF

cat >inventory/inventory.py <<'EOF'
"""Stock levels and the request handler that reads and changes them."""

from inventory import auth


class Inventory:
    def __init__(self):
        self._stock = {}

    def add(self, sku, quantity):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + quantity

    def remove(self, sku, quantity):
        available = self._stock.get(sku, 0)
        if quantity > available:
            raise ValueError(f"only {available} of {sku} in stock")
        self._stock[sku] = available - quantity

    def level(self, sku):
        return self._stock.get(sku, 0)


def handle_request(secret, inventory, request):
    """Applies a stock request; only a valid token may change the inventory."""
    user = auth.validate_token(secret, request["token"])
    if request["action"] == "add":
        inventory.add(request["sku"], request["quantity"])
    elif request["action"] == "remove":
        inventory.remove(request["sku"], request["quantity"])
    return {"user": user, "level": inventory.level(request["sku"])}
EOF

cat >tests/test_auth.py <<'EOF'
import pytest

from inventory import auth, utils

SECRET = "test-secret"


def test_issued_token_is_valid():
    token = auth.issue_token(SECRET, "ada")
    assert auth.validate_token(SECRET, token) == "ada"


def test_validate_token_rejects_a_forged_signature():
    token = auth.issue_token(SECRET, "ada")
    with pytest.raises(auth.AuthError):
        auth.validate_token(SECRET, token[:-1] + "0")


def test_validate_token_rejects_an_expired_token(monkeypatch):
    token = auth.issue_token(SECRET, "ada", ttl=10)
    monkeypatch.setattr(utils, "now", lambda: 2**40)
    with pytest.raises(auth.AuthError):
        auth.validate_token(SECRET, token)
EOF

# The team's gate: agents' changes should stay reviewable, so warnings fail too.
mkdir -p .agate
cat >.agate/config.json <<'EOF'
{
  // agate's policy for this repository (see `agate init` for every key).
  "fail_on": "warning",
  "size": { "warn_lines": 400, "error_lines": 1000 }
}
EOF

git add -A
as_author "Grace Hopper" "grace@example.com" "2024-03-04T09:12:00+0100"
git commit -q --no-verify -m "Inventory service with token authentication"

# --- commit 2: billing --------------------------------------------------------------------------
cat >inventory/billing.py <<'EOF'
"""Invoices for stock that leaves the warehouse."""

from inventory import utils


class Invoice:
    def __init__(self, customer):
        self.customer = customer
        self.lines = []

    def add_line(self, sku, quantity, unit_price):
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.lines.append((sku, quantity, unit_price))

    def subtotal(self):
        return utils.round_cents(sum(q * p for _, q, p in self.lines))
EOF

cat >tests/test_billing.py <<'EOF'
from inventory.billing import Invoice


def test_subtotal_sums_the_lines():
    invoice = Invoice("acme")
    invoice.add_line("bolt", 3, 0.25)
    invoice.add_line("nut", 2, 0.10)
    assert invoice.subtotal() == 0.95
EOF

git add -A
as_author "Alan Turing" "alan@example.com" "2024-03-05T14:30:00+0100"
git commit -q --no-verify -m "Add invoices"

# --- commit 3: a small fix ------------------------------------------------------------------------
cat >>inventory/inventory.py <<'EOF'


def restock_report(inventory, threshold=5):
    """SKUs whose stock is below threshold, lowest first."""
    low = [(inventory.level(sku), sku) for sku in inventory._stock]
    return [sku for level, sku in sorted(low) if level < threshold]
EOF
git add -A
as_author "Grace Hopper" "grace@example.com" "2024-03-06T10:05:00+0100"
git commit -q --no-verify -m "Report SKUs that need restocking"

# --- the agent's change: asked for regional tax on invoices ---------------------------------------
# What was asked: tax and discounts on invoices (billing.py).
cat >>inventory/billing.py <<'EOF'


def invoice_total(invoice, region, discount=0.0):
    """Subtotal less discount, plus the region's tax on each line."""
    from inventory import pricing_rules

    if not 0.0 <= discount < 1.0:
        raise ValueError("discount must be in [0, 1)")
    total = 0.0
    for sku, quantity, unit_price in invoice.lines:
        net = quantity * unit_price * (1.0 - discount)
        total += net + pricing_rules.tax_for(region, sku, net)
    return utils.round_cents(total)
EOF

# A generated-looking rules module: one function per region, 455 lines.
regions="at be bg cy cz de dk ee es fi fr gr hr hu ie it lt lu lv mt nl pl pt ro se si sk no ch"
{
  echo '"""Regional tax rules for invoices (one function per region)."""'
  echo
  echo 'REDUCED_RATE_CATEGORIES = ("food", "books", "medicine")'
  echo
  echo
  echo 'def category_of(sku):'
  echo '    """The tax category of a SKU: the part before the first dash."""'
  echo '    return sku.split("-", 1)[0]'
  echo
  i=0
  for region in $regions; do
    i=$((i + 1))
    standard=$((15 + i % 11))
    reduced=$((5 + i % 6))
    echo
    echo "def tax_${region}(sku, net):"
    echo "    \"\"\"Tax due in region '${region}' on a net amount.\"\"\""
    echo "    if net < 0:"
    echo "        raise ValueError(\"net amount must not be negative\")"
    echo "    category = category_of(sku)"
    echo "    if category in REDUCED_RATE_CATEGORIES:"
    echo "        rate = ${reduced} / 100.0"
    echo "    elif category == \"export\":"
    echo "        rate = 0.0"
    echo "    else:"
    echo "        rate = ${standard} / 100.0"
    echo "    return round(net * rate, 2)"
    echo
  done
  echo
  echo 'RULES = {'
  for region in $regions; do
    echo "    \"${region}\": tax_${region},"
  done
  echo '}'
  echo
  echo
  echo 'def tax_for(region, sku, net):'
  echo '    try:'
  echo '        rule = RULES[region]'
  echo '    except KeyError:'
  echo '        raise ValueError(f"no tax rule for region {region!r}") from None'
  echo '    return rule(sku, net)'
} >inventory/pricing_rules.py

# What was not asked: validate_token disappears from auth.py (inventory.py still calls it) ...
cat >inventory/auth.py <<'EOF'
"""API tokens: "<user>:<expiry>:<signature>", signed with the service secret."""

from inventory import utils


class AuthError(Exception):
    pass


def issue_token(secret, user, ttl=3600):
    expiry = utils.now() + ttl
    payload = f"{user}:{expiry}"
    return f"{payload}:{utils.sign(secret, payload)}"
EOF

# ... and so do its tests.
cat >tests/test_auth.py <<'EOF'
from inventory import auth

SECRET = "test-secret"


def test_issue_token_has_three_parts():
    token = auth.issue_token(SECRET, "ada")
    assert len(token.split(":")) == 3
EOF

cat >>tests/test_billing.py <<'EOF'


def test_invoice_total_adds_tax():
    from inventory.billing import invoice_total

    invoice = Invoice("acme")
    invoice.add_line("tools-hammer", 1, 100.0)
    assert invoice_total(invoice, "de") > 100.0
EOF

cat >.git/agate-demo-message <<'EOF'
Add regional tax and discounts to invoice totals

Adds invoice_total() with per-region tax rules and an optional discount.

Co-authored-by: Claude <noreply@anthropic.com>
EOF

git add -A

if [ "$commit_ai" = 1 ]; then
  as_author "Grace Hopper" "grace@example.com" "2024-03-07T16:45:00+0100"
  git commit -q --no-verify -F .git/agate-demo-message
  echo "demo repository: $dir (the agent's change is HEAD: agate check --commit HEAD)"
else
  echo "demo repository: $dir (the agent's change is staged: agate check --staged;"
  echo "commit it with: git commit -F .git/agate-demo-message)"
fi
