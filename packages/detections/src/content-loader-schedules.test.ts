import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadContent } from './content-loader';
import { cronExpressionProblem } from './cron-expression';
import { fixtureDir } from './test-support';

const caseDir = (name: string) => fixtureDir(path.join('content-loader', name));

function errorsOf(content: Awaited<ReturnType<typeof loadContent>>) {
  return content.errors.map((e) => [path.basename(e.file), e.key ?? '-']);
}

test('scheduled queries, saved queries and scheduled rules are parsed into their own lists', async () => {
  const dir = caseDir('scheduled');
  const content = await loadContent(dir);
  assert.deepEqual(content.errors.map((e) => e.message), []);
  assert.deepEqual(content.rules, [], 'scheduled rules are not streaming rules');
  assert.deepEqual(content.scheduledQueries, [
    {
      queryName: 'Failed Deletes',
      query: "SELECT * FROM panther_logs.panther_audit WHERE actionResult = 'FAILED'",
      queryKey: 'SnowflakeQuery',
      enabled: false,
      schedule: { rateMinutes: 15, timeoutMinutes: 10 },
      description: '',
      tags: [],
      filePath: path.join(dir, 'queries/failed_deletes.yml'),
    },
    {
      queryName: 'Hourly Console Logins',
      query: [
        'SELECT actor, count() AS logins',
        'FROM panther_logs.panther_audit',
        "WHERE actionName = 'SIGN_IN' AND p_occurs_since('1 hour')",
        'GROUP BY actor',
        '',
      ].join('\n'),
      queryKey: 'Query',
      enabled: true,
      schedule: { cronExpression: '5 * * * MON-FRI', timeoutMinutes: 5 },
      description: 'Console logins of the last hour, per actor.',
      tags: ['Audit', 'Logins'],
      lookback: true,
      lookbackWindowSeconds: 3600,
      filePath: path.join(dir, 'queries/hourly_console_logins.yml'),
    },
  ]);
  assert.deepEqual(content.savedQueries, [
    {
      queryName: 'Admins',
      query: "SELECT DISTINCT actor FROM panther_logs.panther_audit WHERE actor.attributes.roleName = 'Admin'",
      queryKey: 'Query',
      description: 'Everyone with the Admin role.',
      tags: ['Audit'],
      filePath: path.join(dir, 'queries/admins.yml'),
    },
  ]);
  assert.equal(content.scheduledRules.length, 1);
  const [rule] = content.scheduledRules;
  assert.equal(rule.ruleId, 'Audit.Many.Console.Logins');
  assert.deepEqual(rule.scheduledQueries, ['Hourly Console Logins', 'Failed Deletes']);
  assert.equal(rule.severity, 'LOW');
  assert.equal(rule.threshold, 2);
  assert.equal(rule.dedupPeriodMinutes, 180);
  assert.equal(rule.pythonPath, path.join(dir, 'rules/many_console_logins.py'));
  assert.match(rule.pythonSource, /def rule\(event\):/);
  assert.deepEqual(
    rule.tests.map((t) => [t.name, t.expectedResult]),
    [
      ['many logins', true],
      ['a few logins', false],
    ],
  );
  assert.ok(!('logTypes' in rule), 'a scheduled rule has queries, not log types');
});

test('scheduled queries and rules run, so only the saved query is reported as not run', async () => {
  const content = await loadContent(caseDir('scheduled'));
  assert.deepEqual(
    content.unsupported.map((u) => [path.basename(u.file), u.analysisType, u.reason]),
    [['admins.yml', 'saved_query', 'parsed and checked; saved queries are not run']],
  );
});

test('a scheduled rule naming a saved query is an error; naming one from outside the directory is noted', async () => {
  const content = await loadContent(caseDir('scheduled-rule-unknown-query'));
  assert.deepEqual(errorsOf(content), [['rule.yml', 'ScheduledQueries']]);
  assert.match(content.errors[0].message, /"Admins" is a saved_query, which has no Schedule/);
  const item = content.unsupported.find((u) => u.file.endsWith('rule.yml'));
  assert.match(item?.reason ?? '', /names no scheduled_query of this directory: "Hourly Logins"/);
});

test('invalid query specs name the file and the key', async () => {
  const content = await loadContent(caseDir('invalid-queries'));
  assert.deepEqual(content.scheduledQueries, []);
  assert.deepEqual(content.savedQueries, []);
  assert.deepEqual(content.unsupported, [], 'an invalid query is an error, not an unsupported item');
  const found = content.errors.map((e) => `${path.basename(e.file)} ${e.key ?? '-'}: ${e.message.split(': ').slice(2).join(': ')}`);
  assert.deepEqual(found, [
    'a_missing_name.yml QueryName: required key is missing',
    'b_saved_with_schedule.yml Schedule: unknown key',
    'c_cron_four_fields.yml Schedule.CronExpression: not a valid cron expression: expected 5 fields (minute hour day-of-month month day-of-week), got 4',
    'd_cron_out_of_range.yml Schedule.CronExpression: not a valid cron expression: minute: "61" is not in 0-59',
    'e_rate_zero.yml Schedule.RateMinutes: expected a positive integer, got 0',
    'f_rate_text.yml Schedule.RateMinutes: expected a positive integer, got "15"',
    'g_no_timeout.yml Schedule.TimeoutMinutes: required key is missing',
    'h_both_timings.yml Schedule: has both CronExpression and RateMinutes; keep one',
    'i_no_schedule.yml Schedule: required key is missing',
    'j_no_query.yml Query: required key is missing (or one of SnowflakeQuery, AthenaQuery, DatabricksQuery)',
    'k_tags_text.yml Tags: expected a list of strings',
    'l_rate_below_timeout.yml Schedule.RateMinutes: must be at least TimeoutMinutes (10), got 5',
    'm_schedule_unknown_key.yml Schedule.TimeZone: unknown key',
    'n_enabled_text.yml Enabled: expected true or false, got string',
    'o_cron_backwards_range.yml Schedule.CronExpression: not a valid cron expression: hour: "9-5" is a range that ends before it starts',
    'p_cron_bad_name.yml Schedule.CronExpression: not a valid cron expression: day of week: "FUNDAY" is not in 0-7 or SUN-SAT',
    'q_cron_zero_step.yml Schedule.CronExpression: not a valid cron expression: minute: "*/0" needs a positive step after "/"',
  ]);
  for (const error of content.errors) assert.equal(error.code, 'INVALID_ARGUMENT');
});

test('cron expressions: the five fields with values, names, ranges, lists and steps', () => {
  for (const valid of ['* * * * *', '0 0 29 2 *', '*/15 9-17 * * mon-fri', '0,30 1-5/2 1,15 JAN-jun,DEC 0,7', '5/10 * * * SUN']) {
    assert.equal(cronExpressionProblem(valid), undefined, valid);
  }
  const problems: [string, RegExp][] = [
    ['@hourly', /expected 5 fields/],
    ['0 0 * * * *', /got 6/],
    ['0 24 * * *', /hour: "24" is not in 0-23/],
    ['0 0 0 * *', /day of month: "0" is not in 1-31/],
    ['0 0 1 13 *', /month: "13" is not in 1-12 or JAN-DEC/],
    ['0 0 ? * *', /day of month: "\?"/],
    ['0 0 1,,2 * *', /day of month: an empty list item/],
    ['0 0 1-2-3 * *', /not a value or a range/],
    ['0/5/5 * * * *', /more than one "\/"/],
  ];
  for (const [expression, problem] of problems) assert.match(cronExpressionProblem(expression) ?? '', problem, expression);
});
