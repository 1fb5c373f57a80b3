import { perCallOverhead } from './overhead.js';

/**
 * The per-call overhead measurement in a process of its own, for another Node line
 * (`<node> --import tsx test/bench/overhead-child.ts [ROUNDS PER_ROUND]`); prints the result as
 * one JSON line.
 */
const [rounds, perRound] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(await perCallOverhead(rounds || undefined, perRound || undefined)));
