'use strict';
// CPU seconds of this process and every process below it (the sandboxed
// detection hosts run in children of bubblewrap, grandchildren of ours):
// process.cpuUsage() sees only this one. Read from /proc, so Linux only.
const fs = require('node:fs');

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function stat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, all threads) one process has used so far. */
function processCpuSeconds(pid) {
  const s = stat(pid);
  if (!s) throw new Error(`no process ${pid}`);
  return s.ticks / TICKS_PER_SECOND;
}

/** CPU seconds used so far by this process and its live descendants. */
function processTreeCpuSeconds(root = process.pid) {
  const children = new Map();
  const ticks = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (!s) continue;
    ticks.set(Number(name), s.ticks);
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    total += ticks.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / TICKS_PER_SECOND;
}

module.exports = { processCpuSeconds, processTreeCpuSeconds };
