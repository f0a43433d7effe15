import { createServer } from 'node:http';

/**
 * A stand-in for the bus's HTTP API, enough for the SDK: token exchange, single and batch publish (with the bus's
 * dedup by event id and Idempotency-Key), pull/ack/nack, schemas. Every request is recorded; `script` queues
 * canned answers (or dropped connections) for the next requests to a path.
 */
export async function startFakeBus(options = {}) {
  const bus = {
    requests: [],
    stored: new Map(),
    idempotency: new Map(),
    tokens: new Set(),
    exchanges: 0,
    script: [],
    queues: new Map(),
    subscriptions: new Map(),
    acks: [],
    nacks: [],
    schemas: options.schemas ?? [],
    tokenLifetime: options.tokenLifetime ?? 900,
    validate: options.validate ?? (() => null),
    burst: options.burst ?? 2000,
    seq: 0,
  };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url;
    let body;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const entry = { method: req.method, path, headers: req.headers, body, raw };
    bus.requests.push(entry);
    const scripted = bus.script.findIndex((s) => path === s.path || path.startsWith(`${s.path}?`));
    if (scripted >= 0) {
      const s = bus.script.splice(scripted, 1)[0];
      if (s.process) answer(bus, entry, () => {});
      if (s.drop) {
        res.socket.destroy();
        return;
      }
      send(res, s.status, s.body, s.headers);
      return;
    }
    answer(bus, entry, (status, json, headers) => send(res, status, json, headers));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  bus.url = `http://127.0.0.1:${server.address().port}`;
  bus.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(r);
    });
  bus.paths = (p) => bus.requests.filter((r) => r.path === p);
  bus.enqueue = (subscriptionId, ...events) => {
    if (!bus.queues.has(subscriptionId)) bus.queues.set(subscriptionId, []);
    bus.queues.get(subscriptionId).push(...events.map((event) => ({ event, attempt: 1, replay: false })));
  };
  return bus;
}

function send(res, status, json, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(json === undefined ? '' : JSON.stringify(json));
}

function error(status, errorCode, message, details = {}) {
  return { status: 'error', errorCode, message, details };
}

function answer(bus, req, reply) {
  const { method, path, body } = req;
  if (method === 'POST' && path === '/v1/auth/token') {
    if (body?.apiKey !== 'ebk_good') return reply(401, error(401, 'UNAUTHORIZED', 'Unknown or revoked API key'));
    bus.exchanges++;
    const payload = Buffer.from(JSON.stringify({ upn: 'test-service', n: bus.exchanges })).toString('base64url');
    const token = `eyJhbGciOiJSUzI1NiJ9.${payload}.sig`;
    bus.tokens.add(token);
    return reply(200, { accessToken: token, tokenType: 'Bearer', expiresIn: bus.tokenLifetime, expiresAt: 'x' });
  }
  const auth = req.headers.authorization ?? '';
  if (!bus.tokens.has(auth.replace(/^Bearer /, ''))) {
    return reply(401, error(401, 'UNAUTHORIZED', 'Missing or invalid bearer token'));
  }
  if (method === 'POST' && path === '/v1/events/batch') {
    if (!Array.isArray(body)) return reply(400, error(400, 'MALFORMED_JSON', 'not an array'));
    if (req.headers['idempotency-key']) {
      return reply(400, error(400, 'VALIDATION_ERROR', 'Idempotency-Key is not used by batch publish'));
    }
    for (let i = 0; i < body.length; i++) {
      const refusal = bus.validate(body[i]);
      if (refusal) {
        return reply(refusal.status, error(refusal.status, refusal.errorCode, refusal.message, {
          index: i,
          field: `[${i}].${refusal.field}`,
        }));
      }
    }
    if (body.length > bus.burst) {
      return reply(400, error(400, 'VALIDATION_ERROR', `holds ${body.length} events, more than the burst`, { field: '[]' }));
    }
    const receipts = body.map((e) => store(bus, e));
    return reply(202, { status: 'accepted', receipts });
  }
  if (method === 'POST' && path === '/v1/events') {
    const key = req.headers['idempotency-key'];
    if (key && bus.idempotency.has(key)) {
      const first = bus.idempotency.get(key);
      if (first.raw !== req.raw) return reply(409, error(409, 'IDEMPOTENCY_KEY_REUSED', 'reused', { eventId: first.id }));
      return reply(202, { status: 'accepted', eventId: first.r.eventId, timestamp: first.r.timestamp, receipt: first.r.receipt });
    }
    const r = store(bus, body);
    if (key) bus.idempotency.set(key, { raw: req.raw, id: body.id, r });
    return reply(202, { status: 'accepted', eventId: r.eventId, timestamp: r.timestamp, receipt: r.receipt });
  }
  const sub = path.match(/^\/v1\/subscriptions\/([^/]+)(\/(pull|ack|nack))?$/);
  if (sub) {
    const id = decodeURIComponent(sub[1]);
    if (!bus.subscriptions.has(id)) return reply(404, error(404, 'NOT_FOUND', `No subscription '${id}'`));
    if (method === 'GET' && !sub[2]) return reply(200, { id, ...bus.subscriptions.get(id) });
    if (sub[3] === 'pull') {
      const queue = bus.queues.get(id) ?? [];
      const events = queue.splice(0, body.maxEvents ?? 10);
      const later = events.length === 0 ? Math.min(body.waitMillis ?? 0, 20) : 0;
      setTimeout(() => reply(200, { events }), later);
      return undefined;
    }
    if (sub[3] === 'ack') {
      bus.acks.push(...body.eventIds);
      return reply(200, { settled: body.eventIds.length });
    }
    if (sub[3] === 'nack') {
      bus.nacks.push(...body.eventIds.map((eventId) => ({ eventId, reason: body.reason })));
      return reply(200, { settled: body.eventIds.length });
    }
  }
  if (method === 'GET' && path === '/v1/schemas') {
    return reply(200, { schemas: bus.schemas.map((s) => ({ eventType: s.eventType, compatibility: 'BACKWARD', versions: s.version })) });
  }
  const schema = path.match(/^\/v1\/schemas\/([^/]+)\/versions\/latest$/);
  if (method === 'GET' && schema) {
    const s = bus.schemas.find((x) => x.eventType === decodeURIComponent(schema[1]));
    if (!s) return reply(404, error(404, 'NOT_FOUND', 'no schema'));
    return reply(200, { ...s, deprecated: false, createdAt: '2026-12-07T00:00:00.000Z' });
  }
  return reply(404, error(404, 'NOT_FOUND', `No route ${method} ${path}`));
}

function store(bus, e) {
  const json = JSON.stringify(e);
  const first = bus.stored.get(e.id);
  if (first) {
    if (first.json !== json) {
      return { eventId: e.id, status: 'rejected', errorCode: 'DUPLICATE_EVENT_ID', message: `Event id '${e.id}' is taken` };
    }
    return { eventId: e.id, status: 'duplicate', timestamp: first.timestamp, receipt: first.receipt };
  }
  const r = { eventId: e.id, status: 'accepted', timestamp: '2026-12-07T02:00:00.000Z', receipt: `rcpt-${++bus.seq}` };
  bus.stored.set(e.id, { json, ...r });
  return r;
}
