// The API reference page in a real browser (Debian's Chromium, driven by playwright-core):
// it renders every operation of the served document under its Content-Security-Policy,
// and a member who signs in on it reads their base's own reference, typed per table.
// Run by `cargo xtask test` with BROWSER_EDGE_URL set to the edge under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { json as call, open } from './chromium.mjs';

const bearer = (token) => (token ? { authorization: `Bearer ${token}` } : {});
const json = (method, path, body, token) => call(method, path, body, bearer(token));

test('the reference renders every operation of the document, within its policy', async () => {
  const document = await json('GET', '/v1/openapi.json');
  const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length;
  const { page, problems } = await open('/docs/');
  await page.waitForSelector('.opblock', { timeout: 30_000 });
  const rendered = await page.locator('.opblock').count();
  assert.equal(rendered, operations, 'one block per operation');
  assert.match(await page.locator('.info .title').innerText(), /NC LCDBaaS/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a member signs in and reads a base of theirs typed per table', async () => {
  const email = `docs-${crypto.randomUUID()}@example.org`;
  const password = `pw-${crypto.randomUUID()}`;
  const account = await json('POST', '/api/v1/auth/register', { email, password, name: 'Docs' });
  const token = account.session.access_token;
  const base = await json('POST', `/api/v1/workspaces/${account.workspace_id}/bases`, { name: 'Reference' }, token);
  await json('POST', `/api/v1/bases/${base.id}/tables`, {
    name: 'chores', fields: [{ name: 'title', type: 'text', required: true }, { name: 'due', type: 'date' }],
  }, token);

  const { page, problems } = await open('/docs/');
  await page.fill('#sign-in input[name=email]', email);
  await page.fill('#sign-in input[name=password]', password);
  await Promise.all([page.waitForEvent('load'), page.click('#sign-in button[type=submit]')]);
  const select = page.locator('#bases select');
  await select.locator(`option[value="${base.id}"]`).waitFor({ state: 'attached' });
  await Promise.all([page.waitForURL(`**/docs/?base=${base.id}`), select.selectOption(base.id)]);
  await page.locator('.opblock-summary-path', { hasText: '/v1/tables/chores/records' }).first().waitFor();
  assert.ok(await page.locator('.opblock-summary-path', { hasText: '/v1/tables/chores/records/{id}' }).count() > 0);
  assert.deepEqual(problems, []);

  // Signing out forgets the session: the page shows the whole API again.
  await Promise.all([page.waitForEvent('load'), page.click('#sign-out')]);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.close();
});
