// Fails, naming the first one taken, unless every `name=port` given is free on 127.0.0.1: a
// component that cannot bind exits, and a wait on its port would find whatever holds it instead.
// Usage: node free-ports.mjs <host> EC_LB_PORT=8080 EC_REDIS_PORT=6380 …
import { createServer } from 'node:net';

const [host = '127.0.0.1', ...pairs] = process.argv.slice(2);
for (const pair of pairs) {
  const [name, port] = pair.split('=');
  const error = await new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (err) => resolve(err));
    srv.listen(Number(port), host, () => srv.close(() => resolve(undefined)));
  });
  if (error) {
    console.error(
      `deploy/local: port ${port} (${name}) on ${host} is taken: ${error.code}. Set ${name}.`,
    );
    process.exit(1);
  }
}
