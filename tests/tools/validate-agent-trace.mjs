#!/usr/bin/env node
// Validates Agent Trace records (JSON Lines, one record per line) against the Agent Trace
// specification's JSON Schema (draft 2020-12, tests/fixtures/agent-trace/trace-record.schema.json)
// with Ajv and ajv-formats (uuid, date-time, uri checked in full mode).
//
//   node tests/tools/validate-agent-trace.mjs <file.jsonl> [--node-modules <dir>]
//
// Prints "<file>: N valid Agent Trace records" or one line per error on stderr.
// Exit 0: all valid (and at least one record). 1: invalid. 2: usage or set-up error.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const args = process.argv.slice(2);
let nodeModules = process.env.AGATE_NODE_MODULES || path.join(root, "third_party", "node_modules");
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--node-modules") {
    nodeModules = args[++i];
  } else {
    files.push(args[i]);
  }
}
if (files.length !== 1) {
  process.stderr.write("usage: node validate-agent-trace.mjs <file.jsonl> [--node-modules <dir>]\n");
  process.exit(2);
}
if (!existsSync(path.join(nodeModules, "ajv"))) {
  process.stderr.write(`validate-agent-trace: no ajv in ${nodeModules} (npm ci in third_party/)\n`);
  process.exit(2);
}
const require = createRequire(path.join(nodeModules, "noop.js"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");
const schema = JSON.parse(
  readFileSync(path.join(root, "tests", "fixtures", "agent-trace", "trace-record.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv, { mode: "full" });
const validate = ajv.compile(schema);

const file = files[0];
const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "");
let errors = 0;
lines.forEach((line, index) => {
  let record;
  try {
    record = JSON.parse(line);
  } catch (e) {
    process.stderr.write(`${file}:${index + 1}: not JSON: ${e.message}\n`);
    errors++;
    return;
  }
  if (!validate(record)) {
    for (const err of validate.errors) {
      process.stderr.write(`${file}:${index + 1}: ${err.instancePath || "/"} ${err.message}\n`);
    }
    errors++;
  }
});
if (lines.length === 0) {
  process.stderr.write(`${file}: no records\n`);
  process.exit(1);
}
if (errors > 0) {
  process.exit(1);
}
process.stdout.write(`${file}: ${lines.length} valid Agent Trace records\n`);
