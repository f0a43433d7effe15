// A stand-in for the part of Fastify the README's webhook example uses: addContentTypeParser with
// parseAs 'buffer', app.post(path, async handler), reply.code().send(), app.listen({ port }). Not Fastify itself.
import { createServer } from 'node:http';

export default function Fastify() {
  const parsers = new Map();
  const routes = new Map();
  return {
    addContentTypeParser(type, options, parser) {
      if (options.parseAs !== 'buffer') throw new Error('this stand-in parses as buffer only');
      parsers.set(type, parser);
    },
    post(path, handler) {
      routes.set(`POST ${path}`, handler);
    },
    listen({ port, host = 'localhost' }) {
      const server = createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', async () => {
          const handler = routes.get(`${req.method} ${req.url}`);
          const parser = parsers.get((req.headers['content-type'] ?? '').split(';')[0]);
          if (!handler || !parser) return res.writeHead(handler ? 415 : 404).end();
          const body = await new Promise((resolve, reject) => parser(req, Buffer.concat(chunks), (e, b) => (e ? reject(e) : resolve(b))));
          const reply = { statusCode: 200, code(s) { this.statusCode = s; return this; }, send() { res.writeHead(this.statusCode).end(); return this; } };
          await handler({ body, headers: req.headers }, reply);
          return undefined;
        });
      });
      return new Promise((resolve) => server.listen(port, host, () => resolve(`http://${host}:${port}`)));
    },
  };
}
