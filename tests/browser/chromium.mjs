// What the browser tests share: Debian's Chromium, driven by playwright-core, and pages
// that record what the browser refused or failed at (console errors, page errors, CSP
// violations), so that a test can require there were none.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const edge = process.env.BROWSER_EDGE_URL;
assert.ok(edge, 'BROWSER_EDGE_URL is not set: run the browser tests with `cargo xtask test`');

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
});
after(() => browser?.close());

/** A new page at `path` of the edge under test, and the problems it records. */
export async function open(path, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} ${message.location().url ?? ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${edge}${path}`);
  return { page, problems };
}

/** A JSON call of the API; fails the test unless it succeeds. */
export async function json(method, path, body, headers = {}) {
  const response = await fetch(`${edge}${path}`, {
    method, headers: { 'content-type': 'application/json', ...headers }, body: body && JSON.stringify(body),
  });
  const answer = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${JSON.stringify(answer)}`);
  return answer;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The page's accessibility violations (axe-core, WCAG 2.x A and AA), as readable lines.
 * Evaluated over the DevTools protocol, which the page's CSP does not govern.
 */
export async function accessibility(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return results.violations.map((violation) =>
    `${violation.id} (${violation.impact}): ${violation.help}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
