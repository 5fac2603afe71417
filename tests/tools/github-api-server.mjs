#!/usr/bin/env node
// A loopback stand-in for GitHub's REST API, for the tests of `agate check --publish`. It listens
// on 127.0.0.1 (a port the system picks, written to --port-file once listening), checks every
// request against GitHub's own REST description (the npm package @octokit/openapi, pinned in
// third_party/package.json) and answers as GitHub does.
//
//   node tests/tools/github-api-server.mjs --port-file FILE --state FILE --token TOKEN
//        [--scenario ok|forbidden|flaky|rate-limit] [--diff FILE] [--node-modules DIR]
//
// Every request is validated: the method and path must be an operation of the description (an
// optional /api/v3 prefix is accepted, as on GitHub Enterprise Server), path parameters must have
// their types, and a JSON body must match the operation's request schema, with no property the
// schema does not name. The Authorization header must be "Bearer TOKEN". A request that fails
// any check is answered 400 (401 for the token) and recorded as a violation.
//
// The served operations keep state like GitHub: reviews and their comments, check runs (the
// annotations of each PATCH are added to the run's), issue comments (created and edited). A
// review comment must sit on a line the pull request's diff shows on the comment's side: --diff
// names a JSON file {"RIGHT": {"path": [lines of the new side]}, "LEFT": {"path": [deleted lines
// of the old side]}}; a comment elsewhere (its line, or a multi-line comment's start_line) is
// refused with 422 and GitHub's message, and the whole review is not created.
//
// Scenarios: ok; forbidden (every call answers 403 "Resource not accessible by integration", as
// for a pull request from a fork); flaky (the first request answers 502); rate-limit (the first
// request answers 403 with a secondary rate limit message, Retry-After: 1 and
// X-RateLimit-Remaining: 0).
//
// After every request the state is written to --state as JSON: {"requests":[{method, path,
// status, headers (without Authorization)}], "violations":[...], "reviews":[...],
// "review_comments":[...], "check_runs":[...], "issue_comments":[...]}.
import { createRequire } from "node:module";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

function usage(message) {
  process.stderr.write(`github-api-server: ${message}\n`);
  process.exit(2);
}

const options = { scenario: "ok", nodeModules: process.env.AGATE_NODE_MODULES || null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const take = () => {
    if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
    return argv[++i];
  };
  switch (argv[i]) {
    case "--port-file": options.portFile = take(); break;
    case "--state": options.state = take(); break;
    case "--token": options.token = take(); break;
    case "--scenario": options.scenario = take(); break;
    case "--diff": options.diff = take(); break;
    case "--node-modules": options.nodeModules = take(); break;
    default: usage(`unknown argument ${argv[i]}`);
  }
}
if (!options.portFile || !options.state || !options.token) {
  usage("--port-file, --state and --token are required");
}
if (!["ok", "forbidden", "flaky", "rate-limit"].includes(options.scenario)) {
  usage(`unknown scenario ${options.scenario}`);
}
if (options.nodeModules === null) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  options.nodeModules = path.resolve(here, "..", "..", "third_party", "node_modules");
}
const specPath = path.join(options.nodeModules, "@octokit", "openapi", "generated",
                           "api.github.com.json");
if (!existsSync(specPath)) usage(`${specPath} not found: run \`npm ci\` in third_party/`);
const require = createRequire(path.join(options.nodeModules, "noop.js"));
const Ajv = require("ajv");
const addFormats = require("ajv-formats");

const spec = JSON.parse(readFileSync(specPath, "utf8"));
const diff = options.diff ? JSON.parse(readFileSync(options.diff, "utf8")) : null;

// A schema with its "#/components/..." references replaced by their targets, and objects that
// name their properties closed to others (GitHub ignores unknown keys; a test should not).
function resolve(node, seen = new Set()) {
  if (Array.isArray(node)) return node.map((item) => resolve(item, seen));
  if (node === null || typeof node !== "object") return node;
  if (typeof node.$ref === "string") {
    if (seen.has(node.$ref)) return {};
    const target = node.$ref.replace(/^#\//, "").split("/").reduce((at, key) => at[key], spec);
    return resolve(target, new Set([...seen, node.$ref]));
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "properties"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, seen)]))
      : resolve(value, seen);
  }
  if (out.type === "object" && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
addFormats(ajv);

// The operations of the description, each with a path pattern, its parameters and a compiled
// request body validator.
const operations = [];
for (const [template, item] of Object.entries(spec.paths)) {
  for (const method of ["get", "post", "patch", "put", "delete"]) {
    if (!item[method]) continue;
    const names = [];
    const pattern = new RegExp("^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace(/\{([^}]+)\}/g, (_, name) => { names.push(name); return "([^/]+)"; }) + "$");
    operations.push({ method: method.toUpperCase(), template, pattern, names, operation: item[method] });
  }
}
const compiled = new Map();
function bodyValidator(op) {
  if (!compiled.has(op)) {
    const schema = op.operation.requestBody &&
      op.operation.requestBody.content && op.operation.requestBody.content["application/json"] &&
      op.operation.requestBody.content["application/json"].schema;
    compiled.set(op, schema ? ajv.compile(resolve(schema)) : null);
  }
  return compiled.get(op);
}
function parameterSchema(op, name) {
  for (const parameter of op.operation.parameters || []) {
    const resolved = resolve(parameter);
    if (resolved.name === name && resolved.in === "path") return resolved.schema || {};
  }
  return {};
}

const state = { requests: [], violations: [], reviews: [], review_comments: [], check_runs: [],
                issue_comments: [] };
let nextId = 1000;
let requestCount = 0;
function save() {
  writeFileSync(options.state + ".tmp", JSON.stringify(state, null, 2));
  renameSync(options.state + ".tmp", options.state);
}

// Keeps the answer until the state file is saved (see below): a client that exits on the answer
// must find the state it caused already on disk.
function answer(res, status, body, headers = {}) {
  res.pending = { status, body, headers };
  return status;
}

function send(res) {
  const { status, body, headers } = res.pending || { status: 500, body: { message: "no answer" } };
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...(headers || {}) });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

// Checks the request against the description: the operation, then its path parameters, then its
// body. Returns [operation, parameters, errors].
function check(method, pathname, body) {
  const local = pathname.replace(/^\/api\/v3(?=\/)/, "");
  const errors = [];
  const op = operations.find((o) => o.method === method && o.pattern.test(local));
  if (!op) return [null, {}, [`${method} ${pathname}: no such operation in GitHub's REST API`]];
  const values = local.match(op.pattern).slice(1).map(decodeURIComponent);
  const params = {};
  op.names.forEach((name, i) => {
    const schema = parameterSchema(op, name);
    const value = values[i];
    if (schema.type === "integer") {
      if (!/^[0-9]+$/.test(value)) errors.push(`path parameter ${name}: ${value} is not an integer`);
      params[name] = Number(value);
    } else {
      params[name] = value;
    }
  });
  const validate = bodyValidator(op);
  if (body !== undefined) {
    if (!validate) errors.push(`${op.template}: this operation takes no body`);
    else if (!validate(body)) {
      for (const e of validate.errors) errors.push(`body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    }
  } else if (validate && op.operation.requestBody && op.operation.requestBody.required) {
    errors.push(`${op.template}: the operation needs a body`);
  }
  return [op, params, errors];
}

function handle(req, res, raw) {
  const url = new URL(req.url, "http://127.0.0.1");
  const record = { method: req.method, path: url.pathname, query: url.search, headers: { ...req.headers } };
  delete record.headers.authorization;
  state.requests.push(record);
  requestCount++;

  if (req.headers.authorization !== `Bearer ${options.token}`) {
    state.violations.push(`${req.method} ${url.pathname}: missing or wrong Authorization header`);
    return answer(res, 401, { message: "Bad credentials" });
  }
  let body;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw);
    } catch (error) {
      state.violations.push(`${req.method} ${url.pathname}: body is not JSON`);
      return answer(res, 400, { message: "Problems parsing JSON" });
    }
    if (!(req.headers["content-type"] || "").startsWith("application/json")) {
      state.violations.push(`${req.method} ${url.pathname}: a JSON body without Content-Type application/json`);
    }
  }
  const [op, params, errors] = check(req.method, url.pathname, body);
  if (errors.length > 0) {
    state.violations.push(...errors);
    return answer(res, op ? 422 : 404, { message: op ? "Invalid request." : "Not Found", errors });
  }

  if (options.scenario === "forbidden") {
    return answer(res, 403, { message: "Resource not accessible by integration",
                              documentation_url: "https://docs.github.com/rest", status: "403" });
  }
  if (options.scenario === "flaky" && requestCount === 1) {
    return answer(res, 502, { message: "Server Error" });
  }
  if (options.scenario === "rate-limit" && requestCount === 1) {
    return answer(res, 403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
                  { "retry-after": "1", "x-ratelimit-remaining": "0",
                    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1) });
  }

  const user = { login: "github-actions[bot]", id: 41898282, type: "Bot" };
  switch (`${req.method} ${op.template}`) {
    case "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments":
      return answer(res, 200, page(state.review_comments.filter((c) => c.pull_number === params.pull_number), url));
    case "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews":
      return answer(res, 200, page(state.reviews.filter((r) => r.pull_number === params.pull_number), url));
    case "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": {
      for (const comment of body.comments || []) {
        const side = comment.side || "RIGHT";
        const lines = diff && diff[side] && diff[side][comment.path];
        const startSide = comment.start_side || side;
        const startLines = diff && diff[startSide] && diff[startSide][comment.path];
        const startOk = comment.start_line === undefined ||
                        (startLines && startLines.includes(comment.start_line) &&
                         comment.start_line < comment.line);
        if (!lines || !lines.includes(comment.line) || !startOk) {
          return answer(res, 422, { message: "Unprocessable Entity",
                                    errors: ["Pull request review thread line must be part of the diff"],
                                    documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
                                    status: "422" });
        }
      }
      const review = { id: nextId++, pull_number: params.pull_number, user, body: body.body || "",
                       state: body.event === "COMMENT" ? "COMMENTED" : body.event || "PENDING",
                       event: body.event, commit_id: body.commit_id };
      state.reviews.push(review);
      for (const comment of body.comments || []) {
        state.review_comments.push({ id: nextId++, pull_number: params.pull_number,
                                     pull_request_review_id: review.id, user, ...comment,
                                     commit_id: body.commit_id });
      }
      return answer(res, 200, review);
    }
    case "POST /repos/{owner}/{repo}/check-runs": {
      const run = { id: nextId++, ...body, annotations: (body.output && body.output.annotations) || [] };
      state.check_runs.push(run);
      return answer(res, 201, { id: run.id, name: run.name, head_sha: run.head_sha,
                                status: run.status, conclusion: run.conclusion });
    }
    case "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": {
      const run = state.check_runs.find((r) => r.id === params.check_run_id);
      if (!run) return answer(res, 404, { message: "Not Found" });
      run.annotations.push(...((body.output && body.output.annotations) || []));
      if (body.output) run.output = body.output;
      return answer(res, 200, { id: run.id, name: run.name, head_sha: run.head_sha,
                                status: run.status, conclusion: run.conclusion });
    }
    case "GET /repos/{owner}/{repo}/issues/{issue_number}/comments":
      return answer(res, 200, page(state.issue_comments.filter((c) => c.issue_number === params.issue_number), url));
    case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": {
      const comment = { id: nextId++, issue_number: params.issue_number, user, body: body.body, edits: 0 };
      state.issue_comments.push(comment);
      return answer(res, 201, comment);
    }
    case "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": {
      const comment = state.issue_comments.find((c) => c.id === params.comment_id);
      if (!comment) return answer(res, 404, { message: "Not Found" });
      comment.body = body.body;
      comment.edits++;
      return answer(res, 200, comment);
    }
    default:
      state.violations.push(`${req.method} ${op.template}: an operation this server does not serve`);
      return answer(res, 404, { message: "Not Found" });
  }
}

// GitHub's pagination: per_page (at most 100) and page.
function page(items, url) {
  const perPage = Math.min(Number(url.searchParams.get("per_page") || 30), 100);
  const number = Number(url.searchParams.get("page") || 1);
  return items.slice((number - 1) * perPage, number * perPage);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let status;
    try {
      status = handle(req, res, Buffer.concat(chunks).toString("utf8"));
    } catch (error) {
      state.violations.push(`server error: ${error.stack}`);
      status = answer(res, 500, { message: "Server Error" });
    }
    if (state.requests.length > 0) state.requests[state.requests.length - 1].status = status;
    save();
    send(res);
  });
});
server.listen(0, "127.0.0.1", () => {
  save();
  writeFileSync(options.portFile + ".tmp", String(server.address().port));
  renameSync(options.portFile + ".tmp", options.portFile);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
