import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureAlert, fixtureDestination } from './alert.fixture';
import { MAX_TARGETS, routeAlert } from './destination-router';

const hook = fixtureDestination({ id: 'soc-hook', name: 'SOC webhook' });
const slack = fixtureDestination({ id: 'slack-sec', name: 'security', type: 'slack', severities: ['CRITICAL'] });
const info = fixtureDestination({ id: 'firehose', severities: ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] });
const other = fixtureDestination({ id: 'globex-hook', tenantId: 'globex', name: 'security' });
const all = [hook, slack, info, other];
const ids = (r: ReturnType<typeof routeAlert>) => r.targets.map((d) => d.id);

test('destinations() decides alone: by id or name, unknown names reported, outputIds ignored', () => {
  const r = routeAlert(fixtureAlert({ destinationOverride: ['security', 'soc-hook', 'pager'], outputIds: ['firehose'] }), all);
  assert.deepEqual(ids(r), ['slack-sec', 'soc-hook']);
  assert.deepEqual(r.unknown, ['pager']);
});

test('an empty destinations() suppresses delivery even when outputIds and severities would route', () => {
  const r = routeAlert(fixtureAlert({ destinationOverride: [], outputIds: ['soc-hook'] }), all);
  assert.deepEqual(r, { targets: [], unknown: [] });
});

test('outputIds route when there is no override', () => {
  const r = routeAlert(fixtureAlert({ outputIds: ['SOC webhook', 'nope'], severity: 'INFO' }), all);
  assert.deepEqual(ids(r), ['soc-hook']);
  assert.deepEqual(r.unknown, ['nope']);
});

test('without override or outputIds, every destination taking the severity; other tenants never', () => {
  assert.deepEqual(ids(routeAlert(fixtureAlert({ severity: 'HIGH' }), all)), ['soc-hook', 'firehose']);
  assert.deepEqual(ids(routeAlert(fixtureAlert({ severity: 'CRITICAL' }), all)), ['soc-hook', 'slack-sec', 'firehose']);
  assert.deepEqual(ids(routeAlert(fixtureAlert({ severity: 'INFO' }), all)), ['firehose']);
  assert.deepEqual(ids(routeAlert(fixtureAlert({ tenantId: 'globex', severity: 'HIGH' }), all)), ['globex-hook']);
});

test('an id wins over a name; a destination named twice is a target once', () => {
  const tricky = fixtureDestination({ id: 'tricky', name: 'soc-hook' });
  const r = routeAlert(fixtureAlert({ destinationOverride: ['soc-hook', 'SOC webhook', 'soc-hook', 'ghost', 'ghost'] }), [hook, tricky]);
  assert.deepEqual(ids(r), ['soc-hook']);
  assert.deepEqual(r.unknown, ['ghost']);
});

test('at most ten targets', () => {
  const many = Array.from({ length: 14 }, (_, i) => fixtureDestination({ id: `d${i}` }));
  assert.equal(routeAlert(fixtureAlert(), many).targets.length, MAX_TARGETS);
  const named = routeAlert(fixtureAlert({ destinationOverride: many.map((d) => d.id).reverse() }), many);
  assert.deepEqual(ids(named), ['d13', 'd12', 'd11', 'd10', 'd9', 'd8', 'd7', 'd6', 'd5', 'd4']);
});
