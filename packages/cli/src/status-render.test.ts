import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, renderStatus } from './status-render';
import type { StatusFacts } from './status-facts';

const FACTS: StatusFacts = {
  ok: false,
  mode: 'kafka',
  dataDir: { path: '/var/lib/caracal', bytes: 5 * 1024 * 1024 + 1024 * 512 },
  processes: [
    { url: 'http://10.0.0.1:9464', up: true, ready: true, pid: 41, mode: 'kafka', services: ['ingest'], startedAt: '2026-12-07T06:00:00.000Z', notReady: [] },
    {
      url: 'http://10.0.0.2:9464',
      up: true,
      ready: false,
      pid: 42,
      mode: 'kafka',
      services: ['rules-worker'],
      startedAt: '2026-12-07T06:00:01.000Z',
      notReady: ['rules: detections not loaded yet'],
    },
    { url: 'http://10.0.0.3:9464', up: false, ready: false, services: [], notReady: [], error: 'http://10.0.0.3:9464/statusz did not answer: ECONNREFUSED' },
  ],
  stalePids: [7],
  stages: [
    { id: 'rules', label: 'ingest → rules-worker', groups: ['caracal-rules-worker'], lag: 15 },
    { id: 'alerts', label: 'rules-worker → alert stage', groups: ['caracal-alert-stage'], lag: null },
  ],
  deadLetters: [{ group: 'caracal-rules-worker', reason: 'INVALID_EVENT', count: 2 }],
  errors: [
    {
      time: '2026-12-07T06:05:00.000Z',
      level: 'error',
      service: 'caracal',
      code: 'INVALID_EVENT',
      group: 'caracal-rules-worker',
      message: 'message set aside on the dead-letter topic',
      process: 'http://10.0.0.2:9464',
    },
  ],
};

test('a degraded status names what is down and not ready, the lag, dead letters and errors', () => {
  assert.equal(
    renderStatus(FACTS),
    [
      'Caracal is degraded (kafka mode): 1 down, 1 not ready of 3 processes',
      'data dir: /var/lib/caracal (5.5 MiB)',
      '(left by processes no longer running: pid 7)',
      '',
      'process               state      pid  services      since',
      '--------------------  ---------  ---  ------------  ------------------------',
      'http://10.0.0.1:9464  ready      41   ingest        2026-12-07T06:00:00.000Z',
      'http://10.0.0.2:9464  NOT READY  42   rules-worker  2026-12-07T06:00:01.000Z',
      'http://10.0.0.3:9464  DOWN',
      '  http://10.0.0.2:9464: rules: detections not loaded yet',
      '  http://10.0.0.3:9464: http://10.0.0.3:9464/statusz did not answer: ECONNREFUSED',
      '',
      'stage                       lag',
      '--------------------------  ------------',
      'ingest → rules-worker       15',
      'rules-worker → alert stage  no batch yet',
      '',
      'dead letters (group)  reason         count',
      '--------------------  -------------  -----',
      'caracal-rules-worker  INVALID_EVENT  2',
      '',
      'last errors (newest first):',
      'time                      service                         code           message                                     process',
      '------------------------  ------------------------------  -------------  ------------------------------------------  --------------------',
      '2026-12-07T06:05:00.000Z  caracal (caracal-rules-worker)  INVALID_EVENT  message set aside on the dead-letter topic  http://10.0.0.2:9464',
    ].join('\n'),
  );
});

test('nothing running: the headline, the data dir and, in kafka mode, how to name the processes', () => {
  const text = renderStatus({ ...FACTS, ok: false, processes: [], stalePids: [], stages: [], deadLetters: [], errors: [], dataDir: { path: '/d', bytes: null } });
  assert.equal(text, ['Caracal is not running (kafka mode)', 'data dir: /d (not on this machine)', "In kafka mode name each process's ops endpoint: caracal status --ops http://host:9464[,...]"].join('\n'));
});

test('sizes in binary units', () => {
  assert.deepEqual([formatBytes(0), formatBytes(1023), formatBytes(1024), formatBytes(3 * 1024 ** 3)], ['0 B', '1023 B', '1.0 KiB', '3.0 GiB']);
});
