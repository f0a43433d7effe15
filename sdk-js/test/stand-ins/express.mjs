// A stand-in for the part of Express the README's webhook example uses: app.post(path, ...handlers),
// express.raw({ type }) (the body as a Buffer), res.sendStatus, app.listen(port). Not Express itself.
import { createServer } from 'node:http';

export default function express() {
  const routes = [];
  return {
    post(path, ...handlers) {
      routes.push({ method: 'POST', path, handlers });
    },
    listen(port, callback) {
      return createServer((req, res) => {
        res.sendStatus = (status) => res.writeHead(status).end();
        const route = routes.find((r) => r.method === req.method && r.path === req.url);
        if (!route) return res.sendStatus(404);
        const chain = [...route.handlers];
        const next = () => chain.shift()(req, res, next);
        return next();
      }).listen(port, callback);
    },
  };
}

express.raw = ({ type }) => (req, res, next) => {
  if (!(req.headers['content-type'] ?? '').startsWith(type)) return next();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    req.body = Buffer.concat(chunks);
    next();
  });
  return undefined;
};
