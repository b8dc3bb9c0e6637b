// Webhook throughput and lag under a write burst. Runs a receiver that verifies every
// delivery (Standard Webhooks), then:
//   1. baseline: POSTs `writes` signed bodies of the same size to that receiver, `workers`
//      at a time, from this process: what the receiver takes when nothing else is in the way;
//   2. product: creates an endpoint for the base's `customers` table pointing at it, writes
//      `writes` records as fast as batches of `batch` allow, and times each record's
//      delivery from the moment its batch was acknowledged (committed).
//
//   node webhooks.mjs <json options>
//   options: {url, email, password, base, token, writes, batch, workers}
//
// Prints one JSON line: deliveries, duplicates, deliveries per second (first write sent
// to last delivery), lag percentiles (ms), and the baseline's deliveries per second.

import { createServer, request as httpRequest, Agent } from 'node:http';
import { Webhook } from 'standardwebhooks';

const options = JSON.parse(process.argv[2]);
const { url, email, password, base, token, writes, batch, workers } = options;
const run = Math.random().toString(36).slice(2, 8);
let secret = null;
const acknowledged = new Map(); // record name -> acknowledgement time
const arrivals = new Map(); // webhook-id -> [name, arrival time]
let duplicates = 0;
let rejected = 0;
let baselineReceived = 0;

const receiver = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const now = performance.now();
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      const payload = new Webhook(secret).verify(text, request.headers);
      if (request.url === '/baseline') {
        baselineReceived += 1;
      } else {
        const id = request.headers['webhook-id'];
        if (arrivals.has(id)) duplicates += 1;
        else arrivals.set(id, [payload.data.record?.values?.name, now]);
      }
      response.writeHead(204).end();
    } catch {
      rejected += 1;
      response.writeHead(400).end();
    }
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const port = receiver.address().port;

async function api(method, path, body, bearer) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

const percentile = (sorted, p) => sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]) : null;

// 1. Baseline: the same bodies, signed the same way, `workers` at a time.
secret = `whsec_${Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64')}`;
const signer = new Webhook(secret);
const agent = new Agent({ keepAlive: true, maxSockets: workers });
const sample = JSON.stringify({
  type: 'record.created', timestamp: new Date().toISOString(),
  data: { base_id: base, table_id: base, table: 'customers', id: base, changed_fields: ['name', 'email', 'status'],
    record: { id: base, values: { name: 'x'.repeat(24), email: 'someone@example.com', status: 'trial' } },
    previous: null, actor: 'token:x', request_id: 'x' },
});
function post(index) {
  return new Promise((resolve, reject) => {
    const id = `msg_baseline_${index}`;
    const timestamp = new Date();
    const signature = signer.sign(id, timestamp, sample);
    const outgoing = httpRequest({
      host: '127.0.0.1', port, path: '/baseline', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'webhook-id': id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
    }, (response) => { response.resume(); response.on('end', resolve); });
    outgoing.on('error', reject);
    outgoing.end(sample);
  });
}
let next = 0;
const baselineStart = performance.now();
await Promise.all(Array.from({ length: workers }, async () => {
  while (next < writes) await post(next++);
}));
const baselinePerSecond = baselineReceived / ((performance.now() - baselineStart) / 1000);

// 2. The product: an endpoint of the table, then the burst.
const session = await api('POST', '/api/v1/auth/login', { email, password }, '');
const access = session.access_token;
const created = await api('POST', `/api/v1/bases/${base}/webhooks`, {
  name: `bench ${run}`, url: `http://127.0.0.1:${port}/hook`, tables: ['customers'], events: ['record.created'],
}, access);
secret = created.secret;
const start = performance.now();
for (let sent = 0; sent < writes; sent += batch) {
  const names = Array.from({ length: Math.min(batch, writes - sent) }, (_, i) => `wh-${run}-${sent + i}`);
  await api('POST', '/v1/tables/customers/records:batchUpsert', {
    items: names.map((name) => ({ values: { name, email: `${name}@example.com` } })),
  }, token);
  const now = performance.now();
  for (const name of names) acknowledged.set(name, now);
}
const writeSeconds = (performance.now() - start) / 1000;
const deadline = performance.now() + 120_000;
while (arrivals.size < writes && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await api('DELETE', `/api/v1/bases/${base}/webhooks/${created.id}`, undefined, access);
const lags = [];
let last = start;
for (const [name, at] of arrivals.values()) {
  const acked = acknowledged.get(name);
  if (acked !== undefined) lags.push(Math.max(0, at - acked));
  last = Math.max(last, at);
}
lags.sort((a, b) => a - b);
receiver.close();
agent.destroy();
process.stdout.write(`${JSON.stringify({
  expected: writes,
  received: arrivals.size,
  duplicates,
  rejected,
  write_seconds: Number(writeSeconds.toFixed(2)),
  per_second: Math.round(arrivals.size / ((last - start) / 1000)),
  lag_p50_ms: percentile(lags, 0.5),
  lag_p99_ms: percentile(lags, 0.99),
  lag_max_ms: lags.length ? Math.round(lags[lags.length - 1]) : null,
  baseline_per_second: Math.round(baselinePerSecond),
})}\n`);
process.exit(0);
