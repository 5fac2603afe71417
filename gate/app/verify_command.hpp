// `agate verify [BASE..HEAD | REV]`: one line per commit saying whether its signature satisfies
// the repository's signature policy, like `git log --show-signature` but decided by the
// policy and the keys at the policy revision (the base of the range), offline.
//
//   a1b2c3d  ok       good               4F1D...9A2B  Ada Tester <ada@example.com>: a good
//   signature by a trusted key 8c1d2e0  error    missing            -            -: the commit is
//   not signed; it must be ...
//
// Columns: short id, result (ok / warning / error, after the policy's rule switches and
// severities), status, the signing key's primary fingerprint (or SSH SHA256 fingerprint), the
// signer, and the reason. A summary line follows. Exit 1 when a commit fails the policy (a
// finding at or above its fail_on), 2 when agate cannot decide (bad range, unreadable keyring,
// gpg or ssh-keygen missing).
//
// Which commits, without an argument: inside GitHub Actions the event's range (as `agate
// check`); otherwise `@{upstream}..HEAD` when the branch has an upstream, else HEAD alone.
// It reads only the commit objects (no diffs, no parsing), so a range of hundreds of commits
// takes well under a second plus gpg's time.
#pragma once

#include "gate/app/cli.hpp"
#include "gate/app/pipeline.hpp"

namespace agate::gate {

// Runs `agate verify`; returns the exit code (0 all commits pass, 1 one fails). Throws
// agate::Error (exit 2).
int run_verify(const CliOptions& options, const GetEnv& getenv);

} // namespace agate::gate
