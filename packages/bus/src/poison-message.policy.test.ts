import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaracalError, createLogger, UnavailableError } from '@caracal/core';
import { MessageDecodeError } from '@caracal/core/messages';
import { Topics } from './topic-contracts';
import { CaracalMetrics } from '@caracal/core/observability';
import { readDeadLetter, DEAD_LETTER_HEADERS, deadLetterMessage, MAX_DEAD_LETTER_ERROR_BYTES, tenantOfMessage } from './dead-letter.envelope';
import { LocalBus } from './local-bus';
import type { ConsumedMessage } from './message-bus';
import { isPoisonFailure } from './poison-message.policy';
import { deadLetters, until } from './test-support';

const logger = createLogger('silent');

/** Like a consumer that decodes every message before it acts on any: a bad one fails the batch, and nothing of it was done. */
function decodingHandler(handled: string[], failFor = (value: string) => value.startsWith('bad')) {
  return async (batch: { messages: ConsumedMessage[] }) => {
    const values = batch.messages.map((m) => m.value.toString());
    const bad = values.find(failFor);
    if (bad !== undefined) throw new MessageDecodeError('test message', `"${bad}" is not one`);
    handled.push(...values);
  };
}

test('content errors are poison; failures of the infrastructure are not, whatever their flag', () => {
  assert.equal(isPoisonFailure(new MessageDecodeError('x', 'y')), true);
  assert.equal(isPoisonFailure(new CaracalError('INVALID_EVENT', 'the lake refuses the row')), true);
  assert.equal(isPoisonFailure(new UnavailableError('the lake is down')), false);
  // Non-retriable by default, yet about the process, not the message: never dead-lettered.
  assert.equal(isPoisonFailure(new CaracalError('UNAVAILABLE', 'the detection engine is closed')), false);
  assert.equal(isPoisonFailure(new CaracalError('INTERNAL', 'bug')), false);
  assert.equal(isPoisonFailure(new CaracalError('INVALID_ARGUMENT', 'retriable anyway', { retriable: true })), false);
  assert.equal(isPoisonFailure(new SyntaxError('Unexpected token')), false);
  assert.equal(isPoisonFailure(undefined), false);
});

test('a poison message is retried a bounded number of times, then set aside with its reason; the messages around it are handled once', async () => {
  const metrics = new CaracalMetrics({ defaultMetrics: false });
  const bus = new LocalBus({ logger, deadLetters: { maxAttempts: 3, retryBackoffMs: 1, metrics } });
  const producer = await bus.producer();
  await producer.send('t', [
    { key: 'acme', value: 'good-1' },
    { key: 'evil', value: 'bad-{"p_tenant_id":"evil"}', headers: { traceparent: 'tp' } },
    { key: 'acme', value: 'good-2' },
  ]);
  const handled: string[] = [];
  let calls = 0;
  const handle = decodingHandler(handled);
  await bus.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    calls++;
    await handle(b);
  });
  await until(() => handled.length === 2);
  const [letter] = await deadLetters(bus, 1);
  // Then messages behind it keep flowing.
  await producer.send('t', [{ key: 'acme', value: 'good-3' }]);
  await until(() => handled.length === 3);
  await bus.close();

  assert.deepEqual(handled, ['good-1', 'good-2', 'good-3'], 'each good message once, in order');
  assert.equal(calls, 3 + 3 + 1, 'three attempts at the batch, one per message alone, then the next batch');
  assert.equal(letter.topic, 't');
  assert.equal(letter.offset, '1');
  assert.equal(letter.partition, 0);
  assert.equal(letter.groupId, 'g');
  assert.equal(letter.errorCode, 'INVALID_ARGUMENT');
  assert.match(letter.error, /not a valid test message: "bad-/);
  assert.equal(letter.attempts, 4);
  assert.equal(letter.key, 'evil');
  assert.equal(letter.value.toString(), 'bad-{"p_tenant_id":"evil"}', 'the value kept byte for byte');
  assert.deepEqual(letter.headers, { traceparent: 'tp' }, 'the original headers travel with it');
  assert.match(await metrics.exposition(), /caracal_consumer_dead_letters_total\{group="g",reason="INVALID_ARGUMENT"\} 1/);
});

test('a failure of the infrastructure is retried past the bound and never set aside', async () => {
  const bus = new LocalBus({ logger, deadLetters: { maxAttempts: 2, retryBackoffMs: 1 } });
  await (await bus.producer()).send('t', [{ key: 'k', value: 'x' }]);
  let calls = 0;
  const handled: string[] = [];
  await bus.consumer({ groupId: 'g', topics: ['t'] }).run(async (b) => {
    calls++;
    if (calls <= 2) throw new UnavailableError('the lake is down');
    // Non-retriable by its flag, but not the message's fault.
    if (calls <= 4) throw new CaracalError('UNAVAILABLE', 'the detection engine is closed');
    handled.push(...b.messages.map((m) => m.value.toString()));
  });
  await until(() => handled.length === 1, 20_000);
  assert.equal(bus.topic(Topics.consumerDeadLetters).end, 0, 'nothing dead-lettered');
  await bus.close();
  assert.equal(calls, 5, 'four failures, over twice the bound, then success');
});

test('stableBatches: a message handed alone is a batch of its own, so a crash replays it alone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-bus-'));
  const first = new LocalBus({ dir, logger, deadLetters: { maxAttempts: 1, retryBackoffMs: 1 } });
  await (await first.producer()).send('t', ['a', 'bad', 'c', 'd'].map((value) => ({ key: 'k', value })));
  const deliveries: string[][] = [];
  let release!: () => void;
  const stuck = new Promise<void>((resolve) => (release = resolve));
  await first.consumer({ groupId: 'g', topics: ['t'], stableBatches: true }).run(async (b) => {
    const values = b.messages.map((m) => m.value.toString());
    deliveries.push(values);
    if (values.includes('bad')) throw new MessageDecodeError('test message', 'bad');
    // The process dies while "c" is handled alone.
    if (values[0] === 'c') await stuck;
  });
  await until(() => deliveries.length === 4);
  assert.deepEqual(deliveries, [['a', 'bad', 'c', 'd'], ['a'], ['bad'], ['c']]);

  const second = new LocalBus({ dir, logger });
  const replay: string[][] = [];
  await second.consumer({ groupId: 'g', topics: ['t'], stableBatches: true }).run(async (b) => {
    replay.push(b.messages.map((m) => m.value.toString()));
  });
  await until(() => replay.flat().length === 2);
  release();
  await second.close();
  await first.close();
  assert.deepEqual(replay, [['c'], ['d']], 'the interrupted message alone, as it was handed out, then the rest');
});

test('a message of the dead-letter topic that cannot be handled is passed over, not sent round again', async () => {
  const bus = new LocalBus({ logger, deadLetters: { maxAttempts: 1, retryBackoffMs: 1 } });
  const producer = await bus.producer();
  await producer.send(Topics.consumerDeadLetters, [{ key: 'k', value: 'bad' }, { key: 'k', value: 'fine' }]);
  const handled: string[] = [];
  await bus.consumer({ groupId: 'dl', topics: [Topics.consumerDeadLetters] }).run(decodingHandler(handled));
  await until(() => handled.length === 1);
  assert.equal(bus.topic(Topics.consumerDeadLetters).end, 2, 'nothing was added to the dead-letter topic');
  await bus.close();
  assert.deepEqual(handled, ['fine']);
});

test('a dead letter names its tenant when the message had one, and its reason is bounded and well-formed', () => {
  const message = (value: string): ConsumedMessage => ({ key: null, value: Buffer.from(value), offset: '7' });
  assert.equal(tenantOfMessage(Buffer.from('{"p_tenant_id":"acme"}')), 'acme');
  assert.equal(tenantOfMessage(Buffer.from('{"tenantId":"globex","rule":{}}')), 'globex');
  assert.equal(tenantOfMessage(Buffer.from('{"kind":"match","row":{"p_tenant_id":"initech"}}')), 'initech');
  assert.equal(tenantOfMessage(Buffer.from('{"p_tenant_id":5}')), undefined);
  assert.equal(tenantOfMessage(Buffer.from('not json')), undefined);

  // A reason far over the bound, whose cut would fall inside a surrogate pair.
  const error = new MessageDecodeError('rule match', `title ${'😀'.repeat(5000)}`);
  const letter = deadLetterMessage(message('{"tenantId":"acme"}'), { topic: 'rule-matches', partition: 2, groupId: 'g', error, attempts: 4, at: new Date(0) });
  const reason = letter.headers![DEAD_LETTER_HEADERS.error];
  assert.ok(Buffer.byteLength(reason) <= MAX_DEAD_LETTER_ERROR_BYTES);
  assert.ok((reason as unknown as { isWellFormed(): boolean }).isWellFormed());
  assert.equal(letter.key, '', 'a message without a key gets an empty one');
  const back = readDeadLetter({ key: letter.key, value: letter.value as Buffer, offset: '0', headers: letter.headers });
  assert.deepEqual(
    { topic: back.topic, partition: back.partition, offset: back.offset, tenantId: back.tenantId, attempts: back.attempts, at: back.at, errorCode: back.errorCode },
    { topic: 'rule-matches', partition: 2, offset: '7', tenantId: 'acme', attempts: 4, at: '1970-01-01 00:00:00.000', errorCode: 'INVALID_ARGUMENT' },
  );
  // Whatever a dead letter lacks is left empty rather than refused.
  const bare = readDeadLetter({ key: null, value: Buffer.from('x'), offset: '3' });
  assert.deepEqual([bare.topic, bare.partition, bare.attempts, bare.tenantId], ['', -1, -1, '']);
});
