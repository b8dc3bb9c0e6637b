// Commit-to-event latency with many subscribers on one table: opens `subscribers` event
// streams, then writes `writes` records at `rate` per second through the same server, and
// times each record's arrival on every stream from the moment its write was sent.
//
//   node realtime.mjs <json options>
//   options: {kind: "product" | "pocketbase", url, token, table, subscribers, writes, rate}
//
// Prints one JSON line: deliveries expected and received, duplicates, latency
// percentiles (ms), the writes' own latency, and how many streams were reopened.

const options = JSON.parse(process.argv[2]);
const { kind, url, token, table, subscribers, writes, rate } = options;
const run = Math.random().toString(36).slice(2, 8);
const sent = new Map(); // record name -> send time
const latencies = [];
const writeLatencies = [];
let duplicates = 0;
let reopened = 0;
let refused = 0;
let stopping = false;

/** Reads server-sent events from a fetch response, calling `onEvent({id, event, data})`. */
async function readEvents(response, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  let frame = { data: [] };
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (frame.data.length > 0) onEvent({ id: frame.id, event: frame.event ?? 'message', data: frame.data.join('\n') });
        frame = { data: [], id: frame.id };
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') frame.data.push(value);
      else if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
    }
  }
}

/** Notes a record's arrival on one subscriber (`seen`: the names it has read). */
function arrived(name, seen) {
  const start = sent.get(name);
  if (start === undefined) return;
  if (seen.has(name)) {
    duplicates += 1;
    return;
  }
  seen.add(name);
  latencies.push(performance.now() - start);
}

/** One subscriber of the product: reopens its stream after the last event read. */
async function productSubscriber(ready) {
  const seen = new Set();
  let last;
  let first = true;
  while (!stopping) {
    const headers = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (last) headers['last-event-id'] = last;
    try {
      const response = await fetch(`${url}/v1/tables/${table}/events`, { headers });
      if (response.status !== 200) {
        refused += 1;
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (first) {
        first = false;
        ready();
      } else {
        reopened += 1;
      }
      await readEvents(response, (event) => {
        if (event.id) last = event.id;
        if (event.event === 'record.created') arrived(JSON.parse(event.data).record.values.name, seen);
      });
    } catch {
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** One subscriber of PocketBase: its realtime connection, then its subscription. */
async function pocketbaseSubscriber(ready) {
  const seen = new Set();
  let first = true;
  while (!stopping) {
    try {
      const response = await fetch(`${url}/api/realtime`, { headers: { accept: 'text/event-stream' } });
      if (!first) reopened += 1;
      await readEvents(response, async (event) => {
        if (event.event === 'PB_CONNECT') {
          const { clientId } = JSON.parse(event.data);
          const subscribed = await fetch(`${url}/api/realtime`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: token },
            body: JSON.stringify({ clientId, subscriptions: [table] }),
          });
          if (subscribed.status !== 204) refused += 1;
          if (first) {
            first = false;
            ready();
          }
        } else if (event.event === table) {
          const data = JSON.parse(event.data);
          if (data.action === 'create') arrived(data.record.name, seen);
        }
      });
    } catch {
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function write(name) {
  const product = kind === 'product';
  const target = product ? `${url}/v1/tables/${table}/records` : `${url}/api/collections/${table}/records`;
  const body = product ? { values: { name, email: `${name}@example.com` } } : { name, email: `${name}@example.com` };
  const start = performance.now();
  sent.set(name, start);
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: product ? `Bearer ${token}` : token },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (response.status >= 300) throw new Error(`write answered ${response.status}`);
  writeLatencies.push(performance.now() - start);
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2));
}

const subscriber = kind === 'product' ? productSubscriber : pocketbaseSubscriber;
const readies = [];
const running = [];
// Opened 50 at a time, as clients arriving.
for (let n = 0; n < subscribers; n += 1) {
  readies.push(new Promise((resolve) => running.push(subscriber(resolve))));
  if (n % 50 === 49) await Promise.race([Promise.all(readies), new Promise((r) => setTimeout(r, 200))]);
}
await Promise.all(readies);
await new Promise((resolve) => setTimeout(resolve, 2000));
const began = performance.now();
const pending = [];
for (let k = 0; k < writes; k += 1) {
  const due = began + (k * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  pending.push(write(`rt-${run}-${k}`));
}
await Promise.all(pending);
// Stragglers: until every delivery arrived, or 10 s.
const expected = subscribers * writes;
const deadline = performance.now() + 10_000;
while (latencies.length < expected && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
stopping = true;
console.log(
  JSON.stringify({
    expected,
    received: latencies.length,
    duplicates,
    reopened,
    refused,
    p50_ms: percentile(latencies, 50),
    p90_ms: percentile(latencies, 90),
    p99_ms: percentile(latencies, 99),
    max_ms: percentile(latencies, 100),
    write_p50_ms: percentile(writeLatencies, 50),
    write_p99_ms: percentile(writeLatencies, 99),
  }),
);
process.exit(0);
