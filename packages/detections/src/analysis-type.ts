import type { SpecReader } from './spec-reader';

/** Analysis types of the format that Caracal will run later; loaded, reported, not run. */
const LATER_TYPES = new Set(['pack', 'lookup_table', 'scheduled_prompt']);
const KNOWN_TYPES = ['rule', 'scheduled_rule', 'policy', 'datamodel', 'global', 'scheduled_query', 'saved_query', 'correlation_rule', ...LATER_TYPES];

/** The id key of each analysis type. */
export const ID_KEYS = ['RuleID', 'PolicyID', 'DataModelID', 'GlobalID', 'QueryName', 'PackID', 'LookupName', 'PromptName'];

/**
 * The AnalysisType of a spec, or a reason the file is not an analysis item at
 * all. As in the reference tool, a YAML file without an AnalysisType key is
 * not one, even with a RuleID: the reason says so, the file is not loaded.
 */
export function analysisTypeOf(reader: SpecReader): { type?: string; notContent?: string } {
  if (!('AnalysisType' in reader.doc)) {
    const idKey = ID_KEYS.find((key) => reader.has(key));
    return { notContent: idKey ? `has ${idKey} but no AnalysisType: not loaded, as the reference tool skips it` : 'no AnalysisType: not an analysis item' };
  }
  const type = reader.string('AnalysisType', true);
  if (type !== undefined && !KNOWN_TYPES.includes(type)) {
    reader.fail('AnalysisType', `unknown AnalysisType ${JSON.stringify(type)}; expected one of ${KNOWN_TYPES.join(', ')}`);
    return {};
  }
  return { type };
}
