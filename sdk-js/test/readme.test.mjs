// Runs every example of the README's "JavaScript SDK" section as a user would, from a project that has the package
// installed (node_modules/@idynic/eventbus), against the fake bus; Express and Fastify are small stand-ins.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startFakeBus } from './fake-bus.mjs';

const SDK = dirname(dirname(fileURLToPath(import.meta.url)));
const README = readFileSync(join(SDK, '..', 'README.md'), 'utf8');
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

/** @returns {{js: string[], bash: string[]}} the fenced examples of the section */
export function sectionExamples(readme) {
  const start = readme.indexOf('\n## JavaScript SDK\n');
  assert.ok(start >= 0, 'the README has a "JavaScript SDK" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const fences = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)];
  return {
    js: fences.filter((f) => f[1] === 'js').map((f) => f[2]),
    bash: fences.filter((f) => f[1] === 'bash').map((f) => f[2]),
    other: fences.filter((f) => f[1] !== 'js' && f[1] !== 'bash').map((f) => f[1]),
  };
}

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'eventbus-readme-'));
  mkdirSync(join(dir, 'node_modules', '@idynic'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync(SDK, join(dir, 'node_modules', '@idynic', 'eventbus'), 'dir');
  symlinkSync(join(SDK, 'bin', 'eventbus-types.js'), join(dir, 'node_modules', '.bin', 'eventbus-types'));
  for (const name of ['express', 'fastify']) {
    mkdirSync(join(dir, 'node_modules', name));
    writeFileSync(join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, type: 'module', main: 'index.mjs' }));
    writeFileSync(join(dir, 'node_modules', name, 'index.mjs'), readFileSync(join(SDK, 'test', 'stand-ins', `${name}.mjs`)));
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-example', type: 'module', private: true }));
  mkdirSync(join(dir, 'src'));
  return dir;
}

function start(dir, name, code, env) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  const child = spawn(process.execPath, [file], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.out = '';
  child.stdout.on('data', (d) => (child.out += d));
  child.stderr.on('data', (d) => (child.out += d));
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

async function until(what, condition) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), what);
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Sets child.listening once host:port accepts connections (or the child exits). */
function probe(host, port, child) {
  const socket = connect(port, host);
  socket.on('connect', () => {
    child.listening = true;
    socket.destroy();
  });
  socket.on('error', () => {
    if (child.exitCode === null) setTimeout(() => probe(host, port, child), 20);
  });
}

function signed(body, secret = SECRET) {
  const id = 'evt-readme-hook';
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${id}.${ts}.${body}`).digest('base64');
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${sig}` };
}

describe('the README\'s JavaScript SDK examples', () => {
  let fake;
  let dir;
  const examples = sectionExamples(README);
  const byContent = (marker) => {
    const found = examples.js.filter((code) => code.includes(marker));
    assert.equal(found.length, 1, `one example with ${marker}`);
    return found[0];
  };
  const env = () => ({ EVENTBUS_URL: fake.url, EVENTBUS_API_KEY: 'ebk_good' });

  before(async () => {
    fake = await startFakeBus({
      validate: (e) => (e.eventType === 'user.created' && !String(e.data.email).includes('@')
        ? { status: 400, errorCode: 'SCHEMA_VALIDATION_ERROR', message: 'must be a valid email address', field: 'data.email' }
        : null),
      schemas: [{ eventType: 'user.created', version: 1, schema: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] } }],
    });
    dir = project();
  });
  after(() => fake.close());

  it('are all run here: six js examples and one bash example, nothing else', () => {
    assert.equal(examples.js.length, 6);
    assert.equal(examples.bash.length, 1);
    assert.deepEqual(examples.other, []);
  });

  it('publish: one event, its receipt printed', async () => {
    fake.requests.length = 0;
    const child = start(dir, 'publish', byContent("name: 'John Doe'"), env());
    assert.deepEqual(await child.exited, { code: 0, signal: null }, child.out);
    const [batch] = fake.paths('/v1/events/batch');
    assert.equal(batch.body.length, 1);
    assert.deepEqual(batch.body[0].data, { userId: 'usr-789012', email: 'user@example.com', name: 'John Doe' });
    assert.deepEqual(batch.body[0].metadata, { correlationId: 'corr-123456', partitionKey: 'usr-789012' });
    assert.match(child.out, new RegExp(`^accepted ${batch.body[0].id} rcpt-\\d+\\n$`));
  });

  it('batching: three calls in one request, the refused one alone failing', async () => {
    fake.requests.length = 0;
    const child = start(dir, 'batch', byContent('Promise.allSettled'), env());
    assert.deepEqual(await child.exited, { code: 0, signal: null }, child.out);
    assert.deepEqual(fake.paths('/v1/events/batch').map((r) => r.body.map((e) => e.data.userId)), [
      ['usr-1', 'usr-2', 'usr-3'],
      ['usr-1', 'usr-3'],
    ]);
    assert.equal(child.out, 'usr-1 accepted\nusr-2 SCHEMA_VALIDATION_ERROR data.email\nusr-3 accepted\n');
  });

  it('subscribe: events handled and acked, closed on SIGTERM', async () => {
    fake.subscriptions.set('reports', { ordering: 'unordered' });
    fake.acks.length = 0;
    fake.enqueue('reports', ...['ord-1', 'ord-2'].map((id) => ({ id, eventType: 'order.placed', source: 's', data: {} })));
    const child = start(dir, 'subscribe', byContent('.subscribe('), env());
    await until('both acked', () => fake.acks.length === 2);
    child.kill('SIGTERM');
    assert.deepEqual(await child.exited, { code: 0, signal: null }, child.out);
    assert.equal(child.out, 'order.placed ord-1 attempt 1\norder.placed ord-2 attempt 1\n');
  });

  for (const [name, marker, host] of [
    ['node http', "from 'node:http'", '127.0.0.1'],
    ['express', "from 'express'", 'localhost'],
    ['fastify', "from 'fastify'", 'localhost'],
  ]) {
    it(`webhook receiver with ${name}: a signed delivery is taken, a re-serialised or tampered one refused`, async () => {
      const port = await freePort();
      const child = start(dir, name.replace(' ', '-'), byContent(marker), { PORT: String(port), WEBHOOK_SECRET: SECRET });
      probe(host, port, child);
      try {
        const url = `http://${host}:${port}/hooks/orders`;
        const body = '{"id":"evt-readme-hook", "eventType":"order.placed","data":{"total":  1}}';
        await until('listening', () => child.exitCode !== null || child.listening);
        const answer = (await fetch(url, { method: 'POST', body, headers: signed(body) })).status;
        assert.equal(answer, 204, child.out);
        await until('the handler\'s line', () => child.out.endsWith('\n'));
        assert.equal(child.out, 'received order.placed evt-readme-hook\n');
        const reserialised = JSON.stringify(JSON.parse(body));
        assert.equal((await fetch(url, { method: 'POST', body: reserialised, headers: signed(body) })).status, 400);
        assert.equal((await fetch(url, { method: 'POST', body, headers: signed(body, `whsec_${Buffer.alloc(32, 1).toString('base64')}`) })).status, 400);
      } finally {
        child.kill('SIGTERM');
        await child.exited;
      }
    });
  }

  it('eventbus-types: the bash line writes the types in a project with the package installed', async () => {
    const [line] = examples.bash;
    const { stderr } = await promisify(execFile)('bash', ['-c', line.replace('http://127.0.0.1:9080', fake.url)], {
      cwd: dir, env: { ...process.env, EVENTBUS_API_KEY: 'ebk_good', npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    assert.match(stderr, /wrote 1 event types to src\/eventbus-types\.d\.ts/);
    assert.match(readFileSync(join(dir, 'src', 'eventbus-types.d.ts'), 'utf8'), /export interface UserCreated \{\n {2}userId: string;\n\}/);
  });
});
