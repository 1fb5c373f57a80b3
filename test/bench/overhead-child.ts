import { perCallOverhead } from './overhead.js';

/**
 * The per-call overhead measurement in a process of its own, for another Node line
 * (`<node> --import tsx test/bench/overhead-child.ts`); prints the result as one JSON line.
 */
console.log(JSON.stringify(await perCallOverhead()));
