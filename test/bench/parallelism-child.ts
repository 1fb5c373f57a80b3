import { formattingRounds } from './parallelism.js';

/**
 * `parallelism`'s formatting rounds in a process of its own, for a Node started with other V8
 * flags (`node --single-threaded --import tsx test/bench/parallelism-child.ts ROUNDS`); prints
 * the result as one JSON line.
 */
const { aloneMs, pairMs, slowdown, aloneCores } = await formattingRounds(Number(process.argv[2]));
console.log(JSON.stringify({ aloneMs, pairMs, slowdown, aloneCores }));
