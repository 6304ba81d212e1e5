// What embedded mode holds in memory per event, for the parts that grow with
// the events seen rather than with the work in flight:
//  1. the seen-events store of the rules-worker (one entry per event of the
//     last hour): bytes per entry after a full garbage collection, and the
//     cost of a claim;
//  2. the local log reopened after --messages messages of the embedded bench's
//     size (as `caracal start` does after a restart): the time to open and the
//     RSS it adds, then a group reading every message back from the file;
//  3. chDB's own memory while --lake-rows bench events are inserted into the
//     lake in batches of 5,000, as the writer does: the peak of the memory the
//     engine tracks and of the RSS (sampled after each insert) in each tenth
//     of the rows, with the largest part by then: how far the engine's own
//     merges move the process, with nothing else in it.
// Usage: npm run bench -- embedded-memory [--claims N] [--messages N] [--lake-rows N]
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { wholeNumberOptions } = require('./bench-options');
const { machineLine, tempDir, waitUntil } = require('./pipeline-processes');
const { timedEvents } = require('./pipeline-workload');
const { createLogger, loadConfig } = require('../packages/core/dist');
const { LocalBus } = require('../packages/bus/dist/local-bus');
const { applyLakeSchema, createLakeClient } = require('../packages/lake/dist');
const { auditEvents } = require('./audit-event-generator');
const { InMemorySeenEventsStore } = require('../services/rules-worker/dist/in-memory-seen-events.store');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const MiB = (b) => (b / 2 ** 20).toFixed(0);
const TOPIC = 'caracal.logs.panther-audit';

function heldBytes() {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function seenStore(claims) {
  const before = heldBytes();
  const store = new InMemorySeenEventsStore(3600);
  let ms = 0;
  for (let i = 0; i < claims; i += 2000) {
    const batch = [];
    for (let j = i; j < Math.min(claims, i + 2000); j++) {
      // As the rules-worker keys them: seenEventKey(tenant, p_row_id), p_row_id 32 hex digits.
      const rowId = createHash('sha256').update(String(j)).digest('hex').slice(0, 32);
      batch.push({ key: `tenant-${j % 4}:${rowId}`, position: `${TOPIC}:0:${j}` });
    }
    const t = performance.now();
    const answers = await store.claim(batch);
    ms += performance.now() - t;
    if (answers.some((a) => !a)) throw new Error('a new key was refused');
  }
  const held = heldBytes() - before;
  const size = store.size;
  await store.close();
  return { size, bytesPerEntry: held / size, usPerClaim: (ms * 1000) / claims };
}

async function localLog(messages) {
  const dir = tempDir('embedded-memory');
  const logger = createLogger('silent');
  try {
    const values = timedEvents(1000, Date.now() - 3600_000, 7).map((e) => Buffer.from(JSON.stringify(e)));
    const first = new LocalBus({ dir, logger });
    const producer = await first.producer();
    for (let i = 0; i < messages; i += 1000) {
      await producer.send(TOPIC, values.slice(0, Math.min(1000, messages - i)).map((value) => ({ key: 'bench', value })));
    }
    await first.close();
    const fileBytes = fs.statSync(path.join(dir, 'topics', `${TOPIC}.log`)).size;

    const rssBefore = (gc(), process.memoryUsage().rss);
    const t = performance.now();
    const bus = new LocalBus({ dir, logger });
    await bus.ensureTopics([TOPIC]);
    const openMs = performance.now() - t;
    const rssOpen = (gc(), process.memoryUsage().rss);

    let read = 0;
    const r0 = performance.now();
    await bus.consumer({ groupId: 'bench', topics: [TOPIC] }).run(async (batch) => {
      read += batch.messages.length;
    });
    await waitUntil('the group to read every message back', () => read >= messages, 600_000);
    const readS = (performance.now() - r0) / 1000;
    await bus.close();
    return { fileBytes, openMs, rssBefore, rssOpen, readPerS: messages / readS };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function lakeMerges(rows) {
  const dir = tempDir('embedded-memory-lake');
  const lake = createLakeClient(loadConfig({ CARACAL_MODE: 'embedded', CARACAL_DATA_DIR: dir, CARACAL_LOG_LEVEL: 'silent' }));
  const json = async (query) => (await lake.query({ query, format: 'JSONEachRow' })).json();
  try {
    await applyLakeSchema(lake);
    const windows = [];
    const windowRows = Math.max(5000, Math.ceil(rows / 10 / 5000) * 5000);
    let peak = 0;
    let rssPeak = 0;
    for (let done = 0, b = 0; done < rows; b++) {
      const n = Math.min(5000, rows - done);
      const values = auditEvents(n, { tenantId: `t${b % 4}`, seed: 1000 + b });
      await lake.insert({ table: 'panther_logs.panther_audit', values, format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: `bench-${b}`, date_time_input_format: 'best_effort' } });
      done += n;
      const [tracked] = await json("SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'");
      peak = Math.max(peak, Number(tracked.value));
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      if (done % windowRows === 0 || done === rows) {
        const [parts] = await json("SELECT max(rows) AS largest, countIf(active) AS active FROM system.parts WHERE database = 'panther_logs' AND table = 'panther_audit'");
        windows.push({ rows: done, peak, rssPeak, largest: Number(parts.largest), active: Number(parts.active) });
        peak = 0;
        rssPeak = 0;
      }
    }
    return windows;
  } finally {
    await lake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv) {
  const opts = wholeNumberOptions(argv, { claims: 1_000_000, messages: 1_000_000, 'lake-rows': 1_000_000 });
  const started = performance.now();
  const seen = await seenStore(opts.claims);
  const log = await localLog(opts.messages);
  const merges = await lakeMerges(opts['lake-rows']);
  console.log(`\n### embedded-memory — ${new Date().toISOString().slice(0, 10)}\n`);
  console.log(`command: npm run bench -- embedded-memory ${argv.join(' ')}`.trimEnd());
  console.log(machineLine());
  console.log(`summary: embedded-memory claims=${opts.claims} seen_bytes_per_entry=${seen.bytesPerEntry.toFixed(1)} seen_us_per_claim=${seen.usPerClaim.toFixed(2)} messages=${opts.messages} log_file_mib=${MiB(log.fileBytes)} reopen_ms=${log.openMs.toFixed(0)} reopen_rss_added_mib=${MiB(log.rssOpen - log.rssBefore)} read_back_per_s=${log.readPerS.toFixed(0)}\n`);
  console.log('| part | measured |');
  console.log('|---|---|');
  console.log(`| seen-events store, ${seen.size} entries: V8 heap and array buffers per entry, after a full GC | ${seen.bytesPerEntry.toFixed(1)} bytes |`);
  console.log(`| seen-events store: one claim (a new key), in batches of 2,000 | ${seen.usPerClaim.toFixed(2)} µs |`);
  console.log(`| local log of ${opts.messages} bench events (${MiB(log.fileBytes)} MiB file): reopen | ${log.openMs.toFixed(0)} ms |`);
  console.log(`| the same: RSS the reopen added | ${MiB(log.rssOpen - log.rssBefore)} MiB (${MiB(log.rssBefore)} → ${MiB(log.rssOpen)}) |`);
  console.log(`| the same: a new group reading every message back from the file | ${log.readPerS.toFixed(0)} messages/s |`);
  console.log(`\nchDB while ${opts['lake-rows']} bench events go into panther_logs.panther_audit in inserts of 5,000 (peaks sampled after each insert):\n`);
  console.log('| rows inserted | peak memory tracked by chDB in these rows, MiB | peak RSS in these rows, MiB | largest part, rows | active parts |');
  console.log('|---|---|---|---|---|');
  for (const w of merges) console.log(`| ${w.rows} | ${MiB(w.peak)} | ${MiB(w.rssPeak)} | ${w.largest} | ${w.active} |`);
  console.log(`\nbench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

module.exports = { main };
