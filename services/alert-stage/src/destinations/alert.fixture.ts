import type { DestinationRecord } from '@caracal/core/control-plane';
import type { AlertRecord } from '@caracal/core/messages';

/** An alert that has just reached its threshold, for tests; fields overridable. */
export function fixtureAlert(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    alertId: 'a1b2c3d4e5f60718',
    tenantId: 'acme',
    type: 'RULE',
    ruleId: 'Panther.Detection.Deleted',
    dedupKey: 'acme|Panther.Detection.Deleted|homer',
    dedup: 'homer',
    title: 'Detection deleted by homer',
    severity: 'HIGH',
    ruleSeverity: 'HIGH',
    logTypes: ['Panther.Audit'],
    eventCount: 3,
    threshold: 1,
    dedupPeriodMinutes: 60,
    firstEventTime: '2026-11-24 10:00:00.000',
    lastEventTime: '2026-11-24 10:05:30.250',
    createdAt: '2026-11-24 10:00:01.000',
    updatedAt: '2026-11-24 10:05:31.000',
    thresholdReachedAt: '2026-11-24 10:00:01.000',
    thresholdReachedVersion: 1,
    initialStatus: 'OPEN',
    alertContext: { actor: 'homer' },
    description: 'A detection was deleted.',
    reference: 'https://docs.example.com/detections',
    runbook: 'Ask the actor why.',
    tags: ['Panther'],
    reports: {},
    destinationOverride: null,
    outputIds: [],
    auxErrors: [],
    errorType: '',
    errorMessage: '',
    version: 1,
    sourceOffsets: {},
    ...overrides,
  };
}

export function fixtureDestination(overrides: Partial<DestinationRecord> & { id: string }): DestinationRecord {
  return {
    tenantId: 'acme',
    name: overrides.id,
    type: 'webhook',
    url: 'https://hooks.example.com/caracal',
    signingSecret: 'cds_test-secret',
    severities: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'],
    createdAt: '2026-11-24T09:00:00.000Z',
    ...overrides,
  };
}
