import { readSiblingPython } from './content-files';
import type { PolicySpec, PolicyTestSpec } from './content.types';
import { parseSeverity, parseTestCases } from './rule-spec';
import type { SpecReader } from './spec-reader';

// The keys the reference tool accepts for a policy; anything else is a typo.
const POLICY_KEYS = new Set([
  'AnalysisType',
  'PolicyID',
  'Filename',
  'Enabled',
  'ResourceTypes',
  'Severity',
  'DisplayName',
  'Description',
  'Reference',
  'Runbook',
  'Tags',
  'Reports',
  'OutputIds',
  'Suppressions',
  'Tests',
  'OnlyUseBaseRiskScore',
  // Remediation is Panther's own service: accepted and type-checked, no effect here.
  'ActionDelaySeconds',
  'AutoRemediationID',
  'AutoRemediationParameters',
  // Bookkeeping keys of the reference format.
  'Status',
  'CreatedBy',
  'BaseVersion',
]);
const TEST_KEYS = new Set(['Name', 'ExpectedResult', 'Resource', 'Mocks', 'ResourceType']);
// The cloud resource types the reference tool accepts (its schema names each
// one): a policy for another type is invalid there, so it is here too.
const RESOURCE_TYPES = [
  'ACM.Certificate', 'CloudFormation.Stack', 'CloudTrail.Meta', 'CloudTrail', 'CloudWatch.LogGroup',
  'Config.Recorder.Meta', 'Config.Recorder', 'DynamoDB.Table', 'EC2.AMI', 'EC2.Instance', 'EC2.NetworkACL',
  'EC2.SecurityGroup', 'EC2.Volume', 'EC2.VPC', 'ECS.Cluster', 'EKS.Cluster', 'ELBV2.ApplicationLoadBalancer',
  'GuardDuty.Detector.Meta', 'GuardDuty.Detector', 'IAM.Group', 'IAM.Policy', 'IAM.Role', 'IAM.RootUser',
  'IAM.User', 'KMS.Key', 'Lambda.Function', 'PasswordPolicy', 'RDS.Instance', 'Redshift.Cluster',
  'Route53.HostedZone', 'Route53Domains', 'S3.Bucket', 'WAF.Regional.WebACL', 'WAF.WebACL',
].map((type) => `AWS.${type}`);
const RESOURCE_TYPE_SET = new Set(RESOURCE_TYPES);

function parseTests(reader: SpecReader): PolicyTestSpec[] {
  return parseTestCases(reader, 'Resource', TEST_KEYS).map(({ name, expectedResult, input, mocks }) => ({ name, expectedResult, resource: input, mocks }));
}

/** A `policy` spec with the module its Filename names, or undefined after reporting its problems on the reader. */
export async function parsePolicySpec(reader: SpecReader): Promise<PolicySpec | undefined> {
  const before = reader.errors.length;
  reader.rejectUnknownKeys(POLICY_KEYS);
  const policyId = reader.name('PolicyID', true);
  const enabled = reader.boolean('Enabled', true, false);
  const severity = parseSeverity(reader, true);
  const resourceTypes = reader.stringList('ResourceTypes', false);
  for (const type of resourceTypes) {
    if (!RESOURCE_TYPE_SET.has(type)) reader.fail('ResourceTypes', `${JSON.stringify(type)} is not a known resource type; known: ${RESOURCE_TYPES.join(', ')}`);
  }
  const displayName = reader.name('DisplayName');
  reader.boolean('OnlyUseBaseRiskScore', false, false);
  reader.integer('ActionDelaySeconds', { min: 0 });
  reader.string('AutoRemediationID');
  const spec = {
    ...(displayName === undefined ? {} : { displayName }),
    tags: reader.stringList('Tags', false),
    reports: reader.stringListMap('Reports'),
    description: reader.string('Description') ?? '',
    reference: reader.string('Reference') ?? '',
    runbook: reader.string('Runbook') ?? '',
    suppressions: reader.stringList('Suppressions', false),
    outputIds: reader.stringList('OutputIds', false),
    tests: parseTests(reader),
  };
  const filename = reader.string('Filename', true);
  const module = filename === undefined ? undefined : await readSiblingPython(reader, filename);
  if (reader.errors.length > before || policyId === undefined || severity === undefined || module === undefined) return undefined;
  return { policyId, enabled, severity, resourceTypes, ...spec, filePath: reader.file, ...module };
}
