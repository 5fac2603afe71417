#!/usr/bin/env node
// Validates a SARIF log against the SARIF 2.1.0 JSON schema, plus the few constraints of the
// SARIF specification that the schema cannot express and that agate's output relies on.
//
//   node tests/tools/validate-sarif.mjs [--github] <file.sarif>... [--node-modules <dir>]
//
// --github also applies GitHub code scanning's documented requirements for SARIF uploads, under
// which an upload with a single result lacking a physical location is rejected whole: every
// result needs at least one location, every location a physicalLocation.artifactLocation.uri
// that is relative to the repository (no scheme, no leading '/', no '..' segment) and a region,
// when it has one, with a startLine; the documented upload limits hold (at most 20 runs, 25,000
// results per run, 1,000 locations per result, 25,000 rules, 20 tags per rule); and every result
// has partialFingerprints (without them code scanning cannot follow an alert across pushes).
// Each file is checked on its own: "<file>: valid SARIF 2.1.0" on stdout, or one line per error,
// "<file>: ...", on stderr (several files share one compilation of the schema, which takes most
// of the time). Exit 0: all valid. Exit 1: at least one invalid. Exit 2: usage or set-up error.
//
// The schema is the one the SARIF SDK team ships in the npm package @microsoft/jest-sarif
// (lib/schemas/sarif-2.1.0-rtm.5.json). Its constraints are those of the OASIS SARIF 2.1.0
// schema (sarif-schema-2.1.0.json); it differs only in declaring JSON Schema draft-04 instead of
// draft-07, so it is compiled with Ajv's draft-04 class (ajv-draft-04). Formats (uri,
// uri-reference, date-time) are checked with ajv-formats in full mode, so a URI with a raw space
// or a non-ASCII character is rejected. The schema's `language` pattern has a stray `]` that is
// not valid under the `u` flag, hence `unicodeRegExp: false`.
//
// node_modules comes from --node-modules, else $AGATE_NODE_MODULES, else
// <repo>/third_party/node_modules (installed with `npm ci --ignore-scripts` in third_party/).
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function usage(message) {
  process.stderr.write(`validate-sarif: ${message}\n`);
  process.stderr.write("usage: node validate-sarif.mjs [--github] <file.sarif>... [--node-modules <dir>]\n");
  process.exit(2);
}

const args = process.argv.slice(2);
const files = [];
let github = false;
let nodeModules = process.env.AGATE_NODE_MODULES || null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--node-modules") {
    if (i + 1 >= args.length) usage("--node-modules needs a directory");
    nodeModules = args[++i];
  } else if (args[i] === "--github") {
    github = true;
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) usage("no SARIF file given");
if (nodeModules === null) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  nodeModules = path.resolve(here, "..", "..", "third_party", "node_modules");
}
const schemaPath = path.join(nodeModules, "@microsoft", "jest-sarif", "lib", "schemas",
                             "sarif-2.1.0-rtm.5.json");
if (!existsSync(schemaPath)) {
  usage(`${schemaPath} not found: run \`npm ci --ignore-scripts\` in third_party/`);
}

const require = createRequire(path.join(nodeModules, "noop.js"));
const Ajv04 = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
if (schema.$schema !== "http://json-schema.org/draft-04/schema#") {
  usage(`unexpected dialect ${schema.$schema} in ${schemaPath}`);
}
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv, { mode: "full" });
const validate = ajv.compile(schema);

// The errors of one SARIF file, empty when it is valid.
function check(file) {
  let log;
  try {
    log = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return [`not readable JSON: ${error.message}`];
  }
  const errors = [];
  if (!validate(log)) {
    for (const e of validate.errors) {
      errors.push(`schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    }
  }

  // Constraints from the specification text that the schema does not express.
  if (errors.length === 0) {
    if (github && (log.runs || []).length > 20) errors.push("github: more than 20 runs");
    (log.runs || []).forEach((run, r) => {
      const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
      const ids = new Set();
      rules.forEach((rule, i) => {
        if (ids.has(rule.id)) errors.push(`runs[${r}].tool.driver.rules[${i}]: duplicate id ${rule.id}`);
        ids.add(rule.id);
      });
      if (github) {
        if (!(run.tool && run.tool.driver && run.tool.driver.name)) errors.push(`runs[${r}]: github: no tool.driver.name`);
        if ((run.results || []).length > 25000) errors.push(`runs[${r}]: github: more than 25000 results`);
        if (rules.length > 25000) errors.push(`runs[${r}]: github: more than 25000 rules`);
        rules.forEach((rule, i) => {
          const tags = (rule.properties && rule.properties.tags) || [];
          if (tags.length > 20) errors.push(`runs[${r}].tool.driver.rules[${i}]: github: more than 20 tags`);
        });
      }
      (run.results || []).forEach((result, i) => {
        const where = `runs[${r}].results[${i}]`;
        if (github && (result.locations || []).length > 1000) {
          errors.push(`${where}: github: more than 1000 locations`);
        }
        if (github && (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0)) {
          errors.push(`${where}: github: no partialFingerprints`);
        }
        if (result.ruleIndex !== undefined) {
          const rule = rules[result.ruleIndex];
          if (!rule) errors.push(`${where}: ruleIndex ${result.ruleIndex} has no rule`);
          else if (result.ruleId !== undefined && rule.id !== result.ruleId) {
            errors.push(`${where}: ruleId ${result.ruleId} but ruleIndex ${result.ruleIndex} is ${rule.id}`);
          }
        }
        if (!result.message || (result.message.text === undefined && result.message.id === undefined)) {
          errors.push(`${where}: message has neither text nor id`);
        }
        if (github && (!result.locations || result.locations.length === 0)) {
          errors.push(`${where}: github: a result needs at least one location`);
        }
        (result.locations || []).forEach((location, j) => {
          const uri = location.physicalLocation && location.physicalLocation.artifactLocation &&
                      location.physicalLocation.artifactLocation.uri;
          if (github && !uri) {
            errors.push(`${where}.locations[${j}]: github: no physicalLocation.artifactLocation.uri`);
          }
          if (github && uri && (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) || uri.startsWith("/") ||
                                uri.split("/").includes(".."))) {
            errors.push(`${where}.locations[${j}]: github: uri ${uri} is not relative to the repository`);
          }
          const region = location.physicalLocation && location.physicalLocation.region;
          if (github && region && region.startLine === undefined) {
            errors.push(`${where}.locations[${j}]: github: a region without startLine`);
          }
          if (region && region.endLine !== undefined && region.startLine !== undefined &&
              region.endLine < region.startLine) {
            errors.push(`${where}.locations[${j}]: endLine ${region.endLine} < startLine ${region.startLine}`);
          }
          const artifact = location.physicalLocation && location.physicalLocation.artifactLocation;
          if (artifact && artifact.uriBaseId !== undefined &&
              !(run.originalUriBaseIds && artifact.uriBaseId in run.originalUriBaseIds)) {
            errors.push(`${where}.locations[${j}]: uriBaseId ${artifact.uriBaseId} not in originalUriBaseIds`);
          }
        });
      });
    });
  }

  return errors;
}

let invalid = 0;
for (const file of files) {
  const errors = check(file);
  if (errors.length > 0) {
    invalid++;
    for (const e of errors) process.stderr.write(`${file}: ${e}\n`);
  } else {
    process.stdout.write(`${file}: valid SARIF 2.1.0\n`);
  }
}
process.exit(invalid > 0 ? 1 : 0);
