// Preloaded (`node --require`) into a tool the tests run that must work offline: every TCP or
// TLS connection it attempts is written to the file named by B24GEN_NETWORK_LOG and refused, so
// the test sees the attempt and the tool never reaches the network.
'use strict';
const { appendFileSync } = require('node:fs');
const net = require('node:net');

const log = process.env.B24GEN_NETWORK_LOG;
net.Socket.prototype.connect = function refusedConnect(...args) {
  const target = args[0] && typeof args[0] === 'object' ? `${args[0].host ?? args[0].path ?? '?'}:${args[0].port ?? ''}` : String(args[0]);
  if (log) appendFileSync(log, `${process.pid} connect ${target}\n`);
  this.destroy(new Error(`network disabled in tests (connect to ${target})`));
  return this;
};
