// A webhook receiver for the e2e suite: it verifies every delivery with the Standard
// Webhooks reference library and `X-Signature` with Node's HMAC, and keeps what it got.
//
//   node receiver.mjs [port]        prints `{"port": N}` once listening
//   POST /secret {"secret": "whsec_…"}   the key to verify with (until then: 503)
//   POST /answer {"status": 500}         what to answer deliveries (200 by default)
//   GET  /received                       {"verified": [...], "rejected": [...]}
//   POST /hook…                          a delivery
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

let secret = null;
let status = 200;
const verified = [];
const rejected = [];

function body(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function xSignatureMatches(key, payload, header) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(payload).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer(async (request, response) => {
  const text = await body(request);
  const answer = (code, value) => {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value ?? {}));
  };
  if (request.method === 'POST' && request.url === '/secret') {
    secret = JSON.parse(text).secret;
    return answer(200);
  }
  if (request.method === 'POST' && request.url === '/answer') {
    status = JSON.parse(text).status;
    return answer(200);
  }
  if (request.method === 'GET' && request.url === '/received') {
    return answer(200, { verified, rejected });
  }
  if (request.method !== 'POST' || !request.url.startsWith('/hook')) {
    return answer(404);
  }
  if (secret === null) {
    return answer(503);
  }
  try {
    const payload = new Webhook(secret).verify(text, request.headers);
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    if (!xSignatureMatches(key, text, request.headers['x-signature'])) {
      throw new Error('X-Signature does not match');
    }
    verified.push({
      id: request.headers['webhook-id'],
      timestamp: Number(request.headers['webhook-timestamp']),
      path: request.url,
      payload,
      answered: status,
    });
    return answer(status);
  } catch (error) {
    rejected.push({ id: request.headers['webhook-id'] ?? null, error: String(error) });
    return answer(400, { error: String(error) });
  }
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
