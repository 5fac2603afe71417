#!/usr/bin/env node
// Drives a headless Chromium through agate's review page (`agate review --html FILE`) over the
// DevTools protocol on a pipe (--remote-debugging-pipe: file descriptors 3 and 4, messages
// separated by NUL), with nothing but Node's standard library, and prints what it saw as one
// JSON object for the test that runs it (tests/e2e/test_review_e2e.cpp):
//
//   node tests/tools/review-page-check.mjs PAGE.html OUT_DIR CLICK_SUBJECT [CHROMIUM]
//
// It loads the page from file://, records every request that is not the page itself, clicks the
// commit whose subject contains CLICK_SUBJECT with a real mouse event, reads the prompt and the
// findings shown, presses j, k, n, n, p, applies the "AI-assisted only" and tool filters, looks
// for any element or script a hostile commit message could have injected, and takes
// screenshots at a wide and a narrow width (OUT_DIR/wide.png, OUT_DIR/narrow.png).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [page, outDir, clickSubject, chromiumPath = "/usr/bin/chromium"] = process.argv.slice(2);
if (!page || !outDir || !clickSubject) {
  console.error("usage: review-page-check.mjs PAGE.html OUT_DIR CLICK_SUBJECT [CHROMIUM]");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "agate-chromium-"));
const browser = spawn(chromiumPath, [
  "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
  "--no-first-run", "--no-default-browser-check", "--disable-extensions",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  `--user-data-dir=${profile}`, "about:blank",
], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
let stderr = "";
browser.stderr.on("data", (d) => { stderr += d; });

const toBrowser = browser.stdio[3];
const fromBrowser = browser.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = Buffer.alloc(0);
fromBrowser.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  let end;
  while ((end = buffer.indexOf(0)) >= 0) {
    const message = JSON.parse(buffer.subarray(0, end).toString("utf8"));
    buffer = buffer.subarray(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve: ok, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) { reject(new Error(JSON.stringify(message.error))); } else { ok(message.result); }
    } else if (message.method) {
      for (const listener of listeners) { listener(message); }
    }
  }
});

function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) { message.sessionId = sessionId; }
  toBrowser.write(JSON.stringify(message) + "\0");
  return new Promise((ok, reject) => pending.set(id, { resolve: ok, reject }));
}
function waitFor(method, timeoutMs = 15000) {
  return new Promise((ok, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
    listeners.push(function once(message) {
      if (message.method === method) {
        clearTimeout(timer);
        listeners.splice(listeners.indexOf(once), 1);
        ok(message.params);
      }
    });
  });
}

const result = { requests: [], errors: [] };
const timeout = setTimeout(() => {
  console.error("review-page-check: timed out\n" + stderr);
  browser.kill("SIGKILL");
  process.exit(1);
}, 90000);

try {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const s = (method, params) => send(method, params, sessionId);
  const pageUrl = pathToFileURL(resolve(page)).href;
  listeners.push((message) => {
    if (message.method === "Network.requestWillBeSent" && message.params.request.url !== pageUrl) {
      result.requests.push(message.params.request.url);
    }
    if (message.method === "Runtime.exceptionThrown") {
      result.errors.push(message.params.exceptionDetails.text +
                         (message.params.exceptionDetails.exception?.description ?? ""));
    }
  });
  await s("Network.enable");
  await s("Runtime.enable");
  await s("Page.enable");
  const width = (w) => s("Emulation.setDeviceMetricsOverride",
                         { width: w, height: 900, deviceScaleFactor: 1, mobile: false });
  await width(1280);
  const loaded = waitFor("Page.loadEventFired");
  await s("Page.navigate", { url: pageUrl });
  await loaded;

  const evaluate = async (expression) => {
    const r = await s("Runtime.evaluate", { expression, returnByValue: true });
    if (r.exceptionDetails) { throw new Error(expression + ": " + JSON.stringify(r.exceptionDetails)); }
    return r.result.value;
  };
  const state = () => evaluate(`(() => {
    const sel = document.querySelector("#commits li.selected .subject");
    const current = document.querySelector("#diff .finding.current .rule");
    return {
      commits: Array.from(document.querySelectorAll("#commits li .subject")).map(e => e.textContent),
      selected: sel ? sel.textContent : null,
      prompt: Array.from(document.querySelectorAll("#prompt .prompt-text")).map(e => e.textContent),
      transcripts: Array.from(document.querySelectorAll("#prompt details.transcript")).map(e => e.open),
      findings: Array.from(document.querySelectorAll("#diff .finding .rule")).map(e => e.textContent),
      inline_findings: document.querySelectorAll("#diff .file .finding").length,
      current_finding: current ? current.textContent : null,
    };
  })()`);
  const key = async (k) => {
    for (const type of ["keyDown", "keyUp"]) {
      await s("Input.dispatchKeyEvent", { type, key: k, text: type === "keyDown" ? k : undefined,
                                          code: "Key" + k.toUpperCase() });
    }
    return state();
  };

  result.initial = await state();
  // A real click on the commit.
  const box = await evaluate(`(() => {
    const li = Array.from(document.querySelectorAll("#commits li"))
      .find(e => e.querySelector(".subject").textContent.includes(${JSON.stringify(clickSubject)}));
    if (!li) return null;
    li.scrollIntoView();
    const r = li.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  })()`);
  if (box) {
    for (const type of ["mousePressed", "mouseReleased"]) {
      await s("Input.dispatchMouseEvent", { type, x: box.x, y: box.y, button: "left", clickCount: 1 });
    }
  }
  result.clicked = await state();
  result.j = await key("j");
  result.k = await key("k");
  result.n1 = await key("n");
  result.n2 = await key("n");
  result.p = await key("p");

  // Filters: AI-assisted only, then the first tool on offer.
  result.ai_only = await evaluate(`(() => {
    const box = document.getElementById("filter-ai");
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    return Array.from(document.querySelectorAll("#commits li .subject")).map(e => e.textContent);
  })()`);
  result.tool_filter = await evaluate(`(() => {
    const box = document.getElementById("filter-ai");
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    const select = document.getElementById("filter-tool");
    const tool = select.options.length > 1 ? select.options[1].value : "";
    select.value = tool;
    select.dispatchEvent(new Event("change"));
    const shown = Array.from(document.querySelectorAll("#commits li .subject")).map(e => e.textContent);
    select.value = "";
    select.dispatchEvent(new Event("change"));
    return { tool, shown };
  })()`);

  // What a hostile message could have injected.
  result.injected = await evaluate(`({
    images: document.querySelectorAll("img").length,
    scripts: document.querySelectorAll("script").length,
    pwned: typeof window.__agate_pwned !== "undefined",
    hostile_text: Array.from(document.querySelectorAll("#commits li .subject"))
      .map(e => e.textContent).filter(t => t.includes("</script>")),
  })`);

  await width(1280);
  const wide = await s("Page.captureScreenshot", { format: "png" });
  writeFileSync(join(outDir, "wide.png"), Buffer.from(wide.data, "base64"));
  await width(420);
  result.narrow_overflow = await evaluate(
    "document.documentElement.scrollWidth > window.innerWidth + 1");
  const narrow = await s("Page.captureScreenshot", { format: "png", captureBeyondViewport: false });
  writeFileSync(join(outDir, "narrow.png"), Buffer.from(narrow.data, "base64"));

  console.log(JSON.stringify(result));
  await send("Browser.close").catch(() => {});
} catch (error) {
  console.error("review-page-check: " + error.message + "\n" + stderr);
  process.exitCode = 1;
} finally {
  clearTimeout(timeout);
  // The profile is removed once the browser (and what it forked) is gone: a Chromium still
  // shutting down writes into it, and removing it under its feet fails.
  if (browser.exitCode === null && browser.signalCode === null) {
    const exited = new Promise((done) => browser.once("exit", done));
    browser.kill("SIGKILL");
    await exited;
  }
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (error) {
    console.error("review-page-check: could not remove " + profile + ": " + error.message);
  }
}
