// The workload of the kafka-mode pipeline benches (e2e, scaling): the
// generator's Panther.Audit events, sent raw as NDJSON bodies, one tenant per
// body in turn, by concurrent clients; each event's time is unique, so an
// event seen downstream (its p_event_time) names the request that carried it.
'use strict';
const path = require('node:path');
const { ControlStore } = require('../packages/core/dist/control-plane');
const { auditEvents } = require('./audit-event-generator');

/**
 * `count` raw events (no p_ fields) whose timestamps are `baseMs + i` ms, so
 * event i is recognisable after normalization.
 */
function timedEvents(count, baseMs, seed) {
  return auditEvents(count, { seed }).map((e, i) => {
    const raw = Object.fromEntries(Object.entries(e).filter(([k, v]) => !k.startsWith('p_') && v !== undefined));
    raw.timestamp = new Date(baseMs + i).toISOString();
    return raw;
  });
}

/** p_event_time ('YYYY-MM-DD hh:mm:ss.mmm', UTC) back to the event's index. */
function eventIndex(pEventTime, baseMs) {
  return Date.parse(`${pEventTime.replace(' ', 'T')}Z`) - baseMs;
}

/** Bodies of `perRequest` events; body n goes to tenants[n mod tenants]. */
function requestBodies(events, perRequest, tenants) {
  const bodies = [];
  for (let i = 0, n = 0; i < events.length; i += perRequest, n++) {
    const slice = events.slice(i, i + perRequest);
    bodies.push({ tenant: tenants[n % tenants.length], first: i, count: slice.length, body: slice.map((e) => JSON.stringify(e)).join('\n') });
  }
  return bodies;
}

/** A tenant and a shared-secret Panther.Audit source (and an admin token) per tenant in the control file. */
function createTenants(dataDir, tenants) {
  const control = ControlStore.open(path.join(dataDir, 'control.json'));
  const secrets = new Map();
  const tokens = new Map();
  for (const tenant of tenants) {
    control.createTenant(tenant);
    secrets.set(tenant, control.createSource({ id: `${tenant}-audit`, tenantId: tenant, logType: 'Panther.Audit' }).secret);
    tokens.set(tenant, control.createToken({ tenantId: tenant, name: 'bench', role: 'admin' }).token);
  }
  return { secrets, tokens };
}

/**
 * Posts the bodies with `concurrency` clients; fails on any answer but 200
 * with every event accepted. Returns when each request was acknowledged
 * (performance.now() of its 200) and the last acknowledgment. With
 * `eventsPerSecond`, requests are paced to that rate instead of sent at once.
 */
async function postBodies(ingestBase, secrets, bodies, concurrency, eventsPerSecond) {
  const ackedAt = new Array(bodies.length);
  const latencies = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const n = next++;
        const b = bodies[n];
        if (eventsPerSecond) {
          // Paced: request n starts no earlier than its share of the rate allows.
          const due = start + (b.first * 1000) / eventsPerSecond - performance.now();
          if (due > 0) await new Promise((r) => setTimeout(r, due));
        }
        const t = performance.now();
        const res = await fetch(`${ingestBase}/${b.tenant}-audit`, { method: 'POST', headers: { 'x-caracal-secret': secrets.get(b.tenant) }, body: b.body });
        const answer = await res.json();
        if (res.status !== 200 || answer.accepted !== b.count) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        ackedAt[n] = performance.now();
        latencies.push(ackedAt[n] - t);
      }
    }),
  );
  return { ackedAt, latencies, lastAck: Math.max(...ackedAt) };
}

module.exports = { createTenants, eventIndex, postBodies, requestBodies, timedEvents };
