#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Transport } from '../src/transport.js';
import { fetchSchemas, generateTypes } from '../src/types.js';

const usage = `Usage: eventbus-types [--url URL] [--api-key KEY] [--out FILE]

Writes TypeScript types for every event type registered on the bus (the latest schema version of each),
merged into @idynic/eventbus's EventTypes so that publish() and subscribe() handlers are typed.
  --url      the bus (default: $EVENTBUS_URL, else http://127.0.0.1:9080)
  --api-key  an API key (default: $EVENTBUS_API_KEY)
  --out      the file to write (default: stdout), e.g. src/eventbus-types.d.ts`;

let args;
try {
  args = parseArgs({
    options: { url: { type: 'string' }, 'api-key': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  }).values;
} catch (e) {
  console.error(`${e.message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const url = args.url ?? process.env.EVENTBUS_URL ?? 'http://127.0.0.1:9080';
const apiKey = args['api-key'] ?? process.env.EVENTBUS_API_KEY;
if (!apiKey) {
  console.error(`an API key is needed: --api-key or EVENTBUS_API_KEY\n\n${usage}`);
  process.exit(2);
}
try {
  const schemas = await fetchSchemas(new Transport(url, apiKey, { maxRetries: 2 }));
  const text = generateTypes(schemas);
  if (args.out) {
    writeFileSync(args.out, text);
    console.error(`wrote ${schemas.length} event types to ${args.out}`);
  } else {
    process.stdout.write(text);
  }
} catch (e) {
  console.error(`eventbus-types: ${e.errorCode ? `${e.errorCode}: ` : ''}${e.message}`);
  process.exit(1);
}
