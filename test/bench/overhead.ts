import { createClient, MemoryBucketStore } from '../../generated/src/index.js';
import { json, TestServer, TIME } from '../support/http-server.js';

/** 10,000 sequential calls through the generated client vs bare fetch, same loopback server. */
export async function perCallOverhead(calls = 10_000): Promise<{ calls: number; fetchMs: number; clientMs: number; ratio: number }> {
  const server = await TestServer.start();
  server.handle((_req, res) => json(res, 200, { result: { result: true }, time: TIME }));
  try {
    const url = `${server.url}/rest/1/bench-secret/imbot.v2.Chat.InputAction.notify`;
    const body = JSON.stringify({ botId: 1, botToken: 'tok', dialogId: 'chat1' });
    const bare = async () => {
      const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body });
      const j = (await r.json()) as { result: unknown };
      return j.result;
    };
    const client = createClient({ webhookUrl: `${server.url}/rest/1/bench-secret/`, rateLimit: false, rateLimitStore: new MemoryBucketStore() });
    const viaClient = () => client.imbot.v2.Chat.InputAction.notify({ botId: 1, botToken: 'tok', dialogId: 'chat1' });
    for (let i = 0; i < 500; i++) await bare(); // warm up the connection pool and the JIT
    for (let i = 0; i < 500; i++) await viaClient();
    const measure = async (f: () => Promise<unknown>) => {
      const t = performance.now();
      for (let i = 0; i < calls; i++) await f();
      return performance.now() - t;
    };
    // Interleaved halves, so drift in the machine hits both sides alike.
    const f1 = await measure(bare);
    const c1 = await measure(viaClient);
    const f2 = await measure(bare);
    const c2 = await measure(viaClient);
    const fetchMs = Math.round((f1 + f2) / 2);
    const clientMs = Math.round((c1 + c2) / 2);
    return { calls, fetchMs, clientMs, ratio: Math.round((clientMs / fetchMs) * 1000) / 1000 };
  } finally {
    await server.close();
  }
}
