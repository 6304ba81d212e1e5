import { SEVERITIES, Severity } from '@caracal/core/messages';
import type { KeySpecifier, SimpleDetectionSpec } from './content.types';
import { MatchExpressionCheck, checkKeySpecifier, checkMatchExpressions } from './match-expression';
import type { SpecReader } from './spec-reader';

const ALERT_CONTEXT_KEYS = new Set(['KeyName', 'KeyValue']);
const DYNAMIC_SEVERITY_KEYS = new Set(['ChangeTo', 'Conditions']);

/**
 * The YAML-only form of a rule (`Detection:` match expressions instead of a
 * Python module) and the keys that make its alert: AlertTitle (`{path}`
 * placeholders take event values), AlertContext, GroupBy (the dedup key) and
 * DynamicSeverities. Problems are reported on the reader; `unsupported` names
 * a construct Caracal does not evaluate. Without `hasDetection` (a Python
 * rule) the alert keys are only checked: they have no effect there.
 */
export function parseSimpleDetection(reader: SpecReader, hasDetection: boolean): { spec?: SimpleDetectionSpec; unsupported?: string } {
  let unsupported: string | undefined;
  const take = (checked: MatchExpressionCheck): void => {
    for (const { key, problem } of checked.problems) reader.fail(key, problem);
    unsupported ??= checked.unsupported;
  };
  const detection = hasDetection ? checkMatchExpressions(reader.raw('Detection'), 'Detection', { nonEmpty: true }) : undefined;
  if (detection) take(detection);

  const alertTitle = reader.string('AlertTitle');
  const alertContext: SimpleDetectionSpec['alertContext'] = [];
  reader.list('AlertContext').forEach((item, i) => {
    const entry = reader.nested(item, `AlertContext[${i}].`);
    if (!entry) return;
    entry.rejectUnknownKeys(ALERT_CONTEXT_KEYS);
    const keyName = entry.string('KeyName', true);
    const checked = checkKeySpecifier(entry.raw('KeyValue'), `AlertContext[${i}].KeyValue`);
    take(checked);
    if (keyName !== undefined && checked.problems.length === 0) alertContext.push({ KeyName: keyName, KeyValue: entry.raw('KeyValue') as KeySpecifier });
  });
  const groupBy: KeySpecifier[] = [];
  reader.list('GroupBy').forEach((item, i) => {
    const checked = checkKeySpecifier(item, `GroupBy[${i}]`);
    take(checked);
    if (checked.problems.length === 0) groupBy.push(item as KeySpecifier);
  });
  const dynamicSeverities: SimpleDetectionSpec['dynamicSeverities'] = [];
  reader.list('DynamicSeverities').forEach((item, i) => {
    const level = reader.nested(item, `DynamicSeverities[${i}].`);
    if (!level) return;
    level.rejectUnknownKeys(DYNAMIC_SEVERITY_KEYS);
    const raw = level.string('ChangeTo', true);
    const changeTo = raw?.trim().toUpperCase() as Severity | undefined;
    if (raw !== undefined && !SEVERITIES.includes(changeTo as Severity)) level.fail('ChangeTo', `must be one of Info, Low, Medium, High, Critical, got ${JSON.stringify(raw)}`);
    const conditions = checkMatchExpressions(level.raw('Conditions'), `DynamicSeverities[${i}].Conditions`, { nonEmpty: true });
    take(conditions);
    if (changeTo !== undefined && conditions.expressions) dynamicSeverities.push({ ChangeTo: changeTo, Conditions: conditions.expressions });
  });

  if (!detection) return {};
  if (unsupported !== undefined) return { unsupported: `YAML Detection uses ${unsupported}, which Caracal does not evaluate yet` };
  if (!detection.expressions) return {};
  return {
    spec: {
      detection: detection.expressions,
      ...(alertTitle === undefined ? {} : { alertTitle }),
      ...(alertContext.length > 0 ? { alertContext } : {}),
      ...(groupBy.length > 0 ? { groupBy } : {}),
      ...(dynamicSeverities.length > 0 ? { dynamicSeverities } : {}),
    },
  };
}

