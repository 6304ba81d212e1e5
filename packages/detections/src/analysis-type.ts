import type { SpecReader } from './spec-reader';

/** Analysis types of the format that Caracal will run later; loaded, reported, not run. */
const LATER_TYPES = new Set(['correlation_rule', 'policy', 'pack', 'lookup_table']);
const KNOWN_TYPES = ['rule', 'scheduled_rule', 'datamodel', 'global', 'scheduled_query', 'saved_query', ...LATER_TYPES];

// A YAML file with one of these keys is an analysis item even when AnalysisType is missing.
const ID_KEYS = ['RuleID', 'PolicyID', 'DataModelID', 'GlobalID', 'QueryName', 'PackID', 'LookupName'];

/** The AnalysisType of a spec, or a reason the file is not an analysis item at all. */
export function analysisTypeOf(reader: SpecReader): { type?: string; notContent?: string } {
  if (!reader.has('AnalysisType') && !ID_KEYS.some((key) => reader.has(key))) {
    // e.g. a custom log schema kept in the same repository.
    return { notContent: 'no AnalysisType: not an analysis item' };
  }
  const type = reader.string('AnalysisType', true);
  if (type !== undefined && !KNOWN_TYPES.includes(type)) {
    reader.fail('AnalysisType', `unknown AnalysisType ${JSON.stringify(type)}; expected one of ${KNOWN_TYPES.join(', ')}`);
    return {};
  }
  return { type };
}
