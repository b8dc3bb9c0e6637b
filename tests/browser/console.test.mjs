// The console at /app/ in a real browser (Debian's Chromium, driven by playwright-core),
// on the live stack: a new account signs in, creates a base, a table and its fields, adds
// records in the grid and edits one there, and the edit is what the records API then
// answers; a viewer of the workspace sees the same grid read-only. Screenshots of each step
// go to .local/test-logs/console/. Run by `cargo xtask test` with BROWSER_EDGE_URL set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { json, open } from './chromium.mjs';

const shots = new URL('../../.local/test-logs/console/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
const app = () => open('/app/', { viewport: { width: 1400, height: 900 } });

const shot = (page, name) => page.screenshot({ path: `${shots}${name}.png`, fullPage: true });

/** Signs up through the form; the console then shows the new account's workspace. */
async function signUp(page, name, email, password) {
  await page.getByRole('button', { name: 'Create one' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Your bases' }).waitFor();
}

/** The grid's cell at `column`, `row` (0-based, data rows), from the canvas' geometry. */
async function cellPoint(page, column, row) {
  const box = await page.locator('[data-testid="data-grid-canvas"]').boundingBox();
  // A row marker column of 30 px, columns of 180 px, a 36 px header and 34 px rows.
  return { x: box.x + 30 + column * 180 + 60, y: box.y + 36 + row * 34 + 17 };
}

test('a new account builds a table and edits it in the grid, as the API then answers', async () => {
  const email = `console-${crypto.randomUUID()}@example.org`;
  const password = `pw-${crypto.randomUUID()}`;
  const { page, problems } = await app();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await shot(page, '01-sign-in');
  await signUp(page, 'Console', email, password);

  await page.getByLabel('New base').fill('Shop');
  await page.getByRole('button', { name: 'Create base' }).click();
  await page.getByRole('heading', { name: 'Shop' }).waitFor();
  await page.getByRole('textbox', { name: 'New table' }).fill('customers');
  await page.getByRole('button', { name: 'Create table' }).click();
  await page.getByRole('heading', { name: 'customers' }).waitFor();
  for (const [name, type] of [['name', 'text'], ['amount', 'number']]) {
    await page.getByRole('textbox', { name: 'New field' }).fill(name);
    await page.getByLabel('Type').selectOption(type);
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.waitForFunction((field) => [...document.querySelectorAll('[role="columnheader"]')]
      .some((header) => header.textContent?.includes(field)), name);
  }
  await shot(page, '02-table');

  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Add record' }).click();
    await page.getByTestId('grid-status').filter({ hasText: `${i} records` }).waitFor();
  }

  // Edit the first record's name in the grid's own editor.
  const at = await cellPoint(page, 0, 0);
  await page.mouse.dblclick(at.x, at.y);
  const editor = page.locator('#portal textarea, #portal input').first();
  await editor.waitFor();
  await editor.fill('Ada');
  await editor.press('Enter');
  // The grid shows the saved value (its accessible cells mirror the canvas).
  await page.locator('[role="gridcell"]', { hasText: 'Ada' }).first().waitFor({ state: 'attached' });
  await shot(page, '03-edited');

  // The API answers what the grid shows.
  const session = JSON.parse(await page.evaluate(() => localStorage.getItem('nclcdbaas.session')));
  const me = await json('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${session.access_token}` });
  const bases = await json('GET', `/api/v1/workspaces/${me.workspaces[0].id}/bases`, undefined,
    { authorization: `Bearer ${session.access_token}` });
  const base = bases.data.find((candidate) => candidate.name === 'Shop');
  const auth = { authorization: `Bearer ${session.access_token}`, 'x-base-id': base.id };
  let records;
  for (let attempt = 0; attempt < 50; attempt++) {
    records = await json('GET', '/v1/tables/customers/records?sort=created_at', undefined, auth);
    if (records.data[0]?.values.name === 'Ada') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(records.data.length, 3);
  assert.equal(records.data[0].values.name, 'Ada');
  assert.deepEqual(records.data.slice(1).map((record) => record.values.name), [null, null]);

  // Signing out forgets the session, and a reload stays signed out.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('nclcdbaas.session')), null);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a signed-in person stays signed in across reloads, and a viewer cannot change anything', async () => {
  const owner = await json('POST', '/api/v1/auth/register', {
    email: `owner-${crypto.randomUUID()}@example.org`, password: `pw-${crypto.randomUUID()}`, name: 'Owner',
  });
  const bearer = { authorization: `Bearer ${owner.session.access_token}` };
  const base = await json('POST', `/api/v1/workspaces/${owner.workspace_id}/bases`, { name: 'Shared' }, bearer);
  await json('POST', `/api/v1/bases/${base.id}/tables`,
    { name: 'notes', fields: [{ name: 'title', type: 'text' }] }, bearer);
  await json('POST', '/v1/tables/notes/records', { values: { title: 'first' } }, { ...bearer, 'x-base-id': base.id });

  const email = `viewer-${crypto.randomUUID()}@example.org`;
  const password = `pw-${crypto.randomUUID()}`;
  const viewer = await json('POST', '/api/v1/auth/register', { email, password, name: 'Viewer' });
  await json('PUT', `/api/v1/workspaces/${owner.workspace_id}/members`, { email, role: 'viewer' }, bearer);
  const invitations = await json('GET', '/api/v1/invitations', undefined,
    { authorization: `Bearer ${viewer.session.access_token}` });
  await json('POST', `/api/v1/invitations/${invitations.data[0].id}/accept`, undefined,
    { authorization: `Bearer ${viewer.session.access_token}` });

  const { page, problems } = await app();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Shared' }).click();
  await page.getByRole('link', { name: 'notes' }).click();
  await page.getByTestId('grid-status').filter({ hasText: '1 records' }).waitFor();
  await page.reload();
  await page.getByTestId('grid-status').filter({ hasText: '1 records' }).waitFor();
  await shot(page, '04-viewer');
  assert.equal(await page.getByRole('button', { name: 'Add record' }).count(), 0);
  assert.equal(await page.getByLabel('New table').count(), 0);
  assert.equal(await page.getByLabel('New field').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
