import { createClient, MemoryBucketStore, type Bitrix24Error } from '../../generated/src/index.js';
import { createTestPortal } from '../../generated/src/testing/index.js';

/**
 * Load run (issue: "a transport that behaves perfectly under the portal's limits"): 2,000
 * concurrent Chat.Message.send calls through one client against the testing kit portal's leaky bucket
 * (limit 50, drain scaled up so the run takes about 10 s). Counts calls lost, duplicates the
 * portal executed, QUERY_LIMIT_EXCEEDED errors that reached the caller, and the throughput as a
 * ratio of the bucket's theoretical maximum.
 */
export async function loadRun(calls = 2000, limit = 50, seconds = 10): Promise<Record<string, number>> {
  const drainPerSecond = (calls - limit) / seconds;
  const portal = await createTestPortal({ rateLimit: { limit, drainPerSecond }, bots: [{ id: 1, code: 'load', botToken: 'load-token' }] });
  try {
    const client = createClient({ webhookUrl: portal.webhookUrl, rateLimit: { limit, drainPerSecond }, rateLimitStore: new MemoryBucketStore() });
    const bot = client.bot({ botId: 1, botToken: 'load-token' });
    const started = performance.now();
    const outcomes = await Promise.allSettled(Array.from({ length: calls }, (_, i) => bot.Chat.Message.send({ dialogId: 'chat1', fields: { message: `load ${i}` } })));
    const ms = performance.now() - started;
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    const texts = portal.calls.of('imbot.v2.Chat.Message.send').filter((c) => c.outcome.type === 'result').map((c) => c.params.fields?.message);
    const theoreticalMs = ((calls - limit) / drainPerSecond) * 1000;
    return {
      calls,
      limit,
      drainPerSecond: Math.round(drainPerSecond * 10) / 10,
      seconds: Math.round(ms) / 1000,
      lost: failed.length,
      duplicates: texts.length - new Set(texts).size,
      surfacedQueryLimit: failed.filter((f) => (f.reason as Bitrix24Error).code === 'QUERY_LIMIT_EXCEEDED').length,
      rejectedByPortal: portal.stats.rejectedByRateLimit,
      throughputRatio: Math.round((theoreticalMs / ms) * 1000) / 1000,
    };
  } finally {
    await portal.close();
  }
}
