export { loadContent } from './content-loader';
export { contentPayload } from './content-payload';
export type {
  ContentSet,
  DataModel,
  DataModelMapping,
  GlobalModule,
  KeySpecifier,
  MatchExpression,
  CorrelationDetection,
  CorrelationItem,
  CorrelationRuleSpec,
  CorrelationRuleTest,
  CorrelationTransition,
  PolicySpec,
  PolicyTestSpec,
  QueryKey,
  QuerySchedule,
  RuleSpec,
  RuleTestMock,
  RuleTestSpec,
  SavedQuerySpec,
  ScheduledQuerySpec,
  ScheduledRuleSpec,
  SimpleDetectionSpec,
  UnsupportedItem,
} from './content.types';
export { DETECTION_SPEC_NAME, parseDetectionFiles } from './detection-files';
export type { DetectionFilesOptions } from './detection-files';
export { tenantContent } from './tenant-content';
export { TenantDetectionLedger } from './tenant-detection-ledger';
export type { TenantContent, TenantContentOptions, TenantContentProblem } from './tenant-content';
export { DetectionEngine } from './detection-engine';
export { joinEncodedEvents } from './encoded-events';
export type { DetectionEngineOptions, DetectionEngineStats } from './detection-engine';
export type { ReplacementReason } from './sandbox/detection-process-pool';
export { ContentError, DetectionRuntimeError, InvalidContentError } from './errors';
export type { RuleEvaluation, RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
export { buildRuleError, buildRuleMatch, ruleSettings } from './rule-output.builder';
export { formatRuleTestReport, formatRuleTestRun, runFailed } from './rule-test-report';
export type { RuleTestCoverageProblem, RuleTestReport, RuleTestResult, RuleTestRun } from './rule-test-report';
export { formatRuleTestJunit } from './rule-test-junit';
export { minimumTestsProblems } from './rule-test-coverage';
export { splitInvalidItems } from './content-validity';
export type { InvalidItem } from './content-validity';
export { runRuleTests } from './rule-test-runner';
export { testDetection } from './detection-test-runner';
export type { DetectionEventResult, DetectionTestInput, DetectionTestOptions, DetectionTestResult } from './detection-test-runner';
export type { RuleTestOptions } from './rule-test-runner';
export type { KvCallContext, KvOperation, KvRequest, KvResult, KvStore } from './kv/kv-store';
export { InMemoryKvStore } from './kv/in-memory-kv-store';
export { RedisKvStore } from './kv/redis-kv-store';
export type { RedisKvStoreOptions } from './kv/redis-kv-store';
export { closeRedis, connectRedis, describeRedisUrl } from './kv/redis-connection';
export type { RedisConnectionOptions } from './kv/redis-connection';
export { createKvStore } from './kv/create-kv-store';
export type { KvStoreConfig } from './kv/create-kv-store';
export { sandboxOptions } from './sandbox/sandbox-options';
export type { SandboxKind, SandboxOptions } from './sandbox/sandbox-launch';
export { ScheduleTicks } from './schedule-ticks';
export { correlationMatches } from './correlation-match';
export { correlationJoinPaths, correlationMatchKeys } from './correlation-match-keys';
export type { CorrelationSignal } from './correlation-match';
export type { CorrelationMatch } from './correlation-match-keys';
export { correlationTestSignals, runCorrelationRuleTests } from './correlation-rule-tests';
