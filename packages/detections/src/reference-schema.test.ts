import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadContent } from './content-loader';
import { splitInvalidItems } from './content-validity';
import { fixtureDir } from './test-support';

/**
 * Each fixture of test-fixtures/reference-schema is one acceptance or refusal
 * where Caracal's spec readers used to differ from the reference tool's schemas
 * (panther_analysis_tool 1.11.1). Every verdict below was checked with
 * `panther_analysis_tool test --path test-fixtures/reference-schema`, which
 * lists under "Invalid Tests Summary" exactly the files refused here, except
 * where a comment says why Caracal is stricter.
 */
const dir = fixtureDir('reference-schema');

test('the reference schema fixtures: refused items name their key and problem', async () => {
  const content = await loadContent(dir);
  const found = content.errors.map((e) => `${path.basename(e.file)} ${e.key ?? '-'}: ${e.problem}`);
  assert.deepEqual(found, [
    // Reference: Or('Info', 'Low', 'Medium', 'High', 'Critical') did not validate 'HIGH'.
    'a_severity_upper.yml Severity: must be one of Info, Low, Medium, High, Critical, got "HIGH"',
    // Reference: '' does not match '^[^<>&\"%]+$'.
    'd_display_name_empty.yml DisplayName: must not be empty',
    // Reference: returnValue Or(str, bool) did not validate 5 / None / {'a': 1}.
    'e_mock_number.yml Tests[0].Mocks[0].returnValue: expected a string or true/false, got number',
    'f2_mock_mapping.yml Tests[0].Mocks[0].returnValue: expected a string or true/false, got object',
    'f_mock_null.yml Tests[0].Mocks[0].returnValue: expected a string or true/false, got null',
    // Reference: contains fields with duplicate values: [LowerTags].
    'g_duplicate_tags.yml Tags: must not repeat a value (in any case): "aws"',
    // Reference: contains fields with duplicate values: [LogTypes].
    'h_duplicate_log_types.yml LogTypes: must not repeat a value: "Custom.Ref"',
    // Reference: $.Reports.MITRE[0]: None is not valid under any of the given schemas.
    'j_report_null_item.yml Reports: expected a mapping of names to lists of strings',
    // Reference: Key 'CreatedBy' error: 5 should be instance of 'str'.
    'k_created_by_number.yml CreatedBy: expected a string, got number',
    // Reference: Key 'BaseVersion' error: '1' should be instance of 'int'.
    'l_base_version_text.yml BaseVersion: expected an integer, got "1"',
    // Reference: 'CreatedBy' not in list of valid keys (of its derived schema).
    'm_derived_created_by.yml CreatedBy: unknown key',
    // Reference: accepted (its schema takes ScheduledQueries on a `rule`; a test-less rule runs nothing).
    // Caracal is stricter: a streaming rule routes by LogTypes (see parseSources).
    'o_rule_with_scheduled_queries.yml ScheduledQueries: not a key of a rule: it has LogTypes',
    'o_rule_with_scheduled_queries.yml LogTypes: required key is missing',
    // Reference: Missing key: 'Enabled' (data models and scheduled queries).
    's_datamodel_no_enabled.yml Enabled: required key is missing',
    't_query_no_enabled.yml Enabled: required key is missing',
    // Reference: Missing key: Or('Query', 'AthenaQuery', 'SnowflakeQuery', 'DatabricksQuery').
    'v_query_pantherflow.yml PantherFlowQuery: unknown key',
    'v_query_pantherflow.yml Query: required key is missing (or one of SnowflakeQuery, AthenaQuery, DatabricksQuery)',
  ]);
});

test('the reference schema fixtures: what the reference accepts loads, with its effective settings', async () => {
  const { content } = await splitInvalidItems(await loadContent(dir));
  const rules = new Map(content.rules.map((r) => [r.ruleId, r]));
  assert.deepEqual([...rules.keys()].sort(), [
    'Ref.b_dedup_zero',
    'Ref.c_threshold_zero',
    'Ref.f3_mock_text',
    'Ref.i_empty_log_types',
    'Ref.j2_report_number_item',
  ]);
  // Reference: accepted with a warning that the backend ignores 0 (the default applies).
  assert.equal(rules.get('Ref.b_dedup_zero')?.dedupPeriodMinutes, 60);
  // Reference: accepted; a period under 5 "will be treated as '5' upon upload". Threshold 0 passes its int check.
  assert.equal(rules.get('Ref.c_threshold_zero')?.dedupPeriodMinutes, 5);
  assert.equal(rules.get('Ref.c_threshold_zero')?.threshold, 1);
  assert.deepEqual(rules.get('Ref.f3_mock_text')?.tests[0].mocks, [{ objectName: 'LIMIT', returnValue: '5' }]);
  // Reference: `LogTypes: []` passes its [str] schema.
  assert.deepEqual(rules.get('Ref.i_empty_log_types')?.logTypes, []);
  assert.deepEqual(rules.get('Ref.j2_report_number_item')?.reports, { CIS: ['3.10', '1.1'] });
  // Reference: DatabricksQuery is a query key; EmailConfig a scheduled query key; any LookbackWindowSeconds.
  assert.deepEqual(content.savedQueries.map((q) => [q.queryName, q.queryKey]), [
    ['Ref Databricks', 'DatabricksQuery'],
    ['Ref Lookback Zero', 'Query'],
  ]);
  // Reference: RateMinutes must be > 1. Caracal runs a query every minute when asked (decision 0027).
  assert.deepEqual(content.scheduledQueries.map((q) => q.queryName).sort(), ['Ref Hourly', 'Ref Rate One']);
  const unsupported = content.unsupported.map((u) => [path.basename(u.file), u.analysisType, u.reason]);
  assert.deepEqual(unsupported.filter(([, type]) => type === '' || type === 'scheduled_prompt'), [
    // Reference: a file without an AnalysisType key is skipped, even with a RuleID.
    ['p_no_analysis_type.yml', '', 'has RuleID but no AnalysisType: not loaded, as the reference tool skips it'],
    // Reference: a list document (without the string AnalysisType) and an empty file are skipped.
    ['q_list_document.yml', '', 'not a YAML mapping: not an analysis item'],
    ['r_empty.yml', '', 'not a YAML mapping: not an analysis item'],
    // Reference: scheduled_prompt is an AnalysisType it knows (and accepts this one).
    ['z_scheduled_prompt.yml', 'scheduled_prompt', 'not run yet'],
  ]);
});
