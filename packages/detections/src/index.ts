export { loadContent } from './content-loader';
export type {
  ContentSet,
  DataModel,
  DataModelMapping,
  GlobalModule,
  RuleSpec,
  RuleTestMock,
  RuleTestSpec,
  UnsupportedItem,
} from './content.types';
export { DetectionEngine } from './detection-engine';
export type { DetectionEngineOptions, DetectionEngineStats } from './detection-engine';
export { ContentError, DetectionRuntimeError, InvalidContentError } from './errors';
export type { RuleOutcome, RuleOutcomeError, RuleOutcomeMatch } from './rule-outcome';
export { formatRuleTestReport } from './rule-test-report';
export type { RuleTestReport, RuleTestResult } from './rule-test-report';
export { runRuleTests } from './rule-test-runner';
export type { RuleTestOptions } from './rule-test-runner';
