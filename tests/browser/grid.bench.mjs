// The console's grid on a 100,000-row table, in Debian's Chromium: the time from opening
// the table to its first page drawn, against the same page fetched from the API by the same
// browser; and the frames dropped while scrolling it, against the frames dropped by the same
// page left idle for as long. Run by `cargo xtask bench console_grid`, which passes the
// edge, the account and the base; prints one JSON line.
import { chromium } from 'playwright-core';

const { BENCH_EDGE_URL: edge, BENCH_EMAIL: email, BENCH_PASSWORD: password, BENCH_BASE: base } = process.env;
const table = process.env.BENCH_TABLE ?? 'customers';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const scrollMs = Number(process.env.BENCH_SCROLL_MS ?? 5000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
const login = await fetch(`${edge}/api/v1/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
});
if (!login.ok) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
const session = await login.json();
const stored = JSON.stringify({
  access_token: session.access_token, refresh_token: session.refresh_token,
  expires_at: Date.now() + session.expires_in * 1000,
});

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Counts frames and the ones dropped (a gap of more than 1.5 frames at 60 Hz) for `ms`; with
 * `scroll`, the mouse wheel scrolls the grid meanwhile, as a person would.
 */
async function frames(page, ms, scroll) {
  const counting = page.evaluate(async (ms) => {
    const deltas = [];
    let last = performance.now();
    const end = last + ms;
    await new Promise((resolve) => {
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick); else resolve();
      };
      requestAnimationFrame(tick);
    });
    const dropped = deltas.reduce((sum, delta) => sum + Math.max(0, Math.round(delta / (1000 / 60)) - 1), 0);
    return { frames: deltas.length, dropped };
  }, ms);
  if (scroll) {
    const box = await page.getByTestId('data-grid-canvas').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(16);
    }
  }
  const counted = await counting;
  const rows = await page.getByTestId('grid-status').textContent();
  return { ...counted, rows: Number(rows.split(' ')[0]) };
}

const firstPage = [];
const apiPage = [];
let scrolled;
let idle;
for (let run = 0; run < runs; run++) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${edge}/app/`);
  await page.evaluate((value) => localStorage.setItem('nclcdbaas.session', value), stored);
  // Baseline: the grid's first request, made by this browser without the console.
  apiPage.push(await page.evaluate(async ({ base, table, token }) => {
    const started = performance.now();
    const response = await fetch(`/v1/tables/${table}/records?limit=200`, { headers: { authorization: `Bearer ${token}`, 'x-base-id': base } });
    await response.json();
    return performance.now() - started;
  }, { base, table, token: session.access_token }));
  await page.goto('about:blank');
  const started = Date.now();
  await page.goto(`${edge}/app/#/bases/${base}/tables/${table}`);
  // The first page is drawn once the grid counts its rows (it may ask for the next page at once).
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="grid-status"]');
    return status !== null && Number(status.textContent.split(' ')[0]) >= 200;
  }, undefined, { polling: 'raf', timeout: 60_000 });
  firstPage.push(Date.now() - started);
  if (run === runs - 1) {
    idle = await frames(page, scrollMs, false);
    scrolled = await frames(page, scrollMs, true);
  }
  await page.close();
}
await browser.close();
console.log(JSON.stringify({
  first_page_ms: median(firstPage), api_page_ms: Math.round(median(apiPage) * 10) / 10,
  scroll: scrolled, idle, scroll_ms: scrollMs, runs,
}));
