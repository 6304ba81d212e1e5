// Deterministic Panther.Audit events for the benchmarks: the same seed gives
// the same events on every machine, so runs (and the Pyodide and native sides
// of one run) measure the same work. The mix follows a console's audit log:
// mostly reads, some changes, a few failures, users and API tokens, office and
// outside addresses, both actionParams shapes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// The action names of the Panther.Audit schema (docs: panther-audit.md).
const ACTIONS = fs
  .readFileSync(path.join(__dirname, 'data', 'panther-audit-actions.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => /^[A-Z_]+$/.test(line));

const READS = ACTIONS.filter((a) => /^(GET|LIST|SIGN_IN|SUMMARIZE|CHECK|DOWNLOAD|EXECUTE)/.test(a));

const PEOPLE = [
  ['Homer Simpson', 'homer@springfield.gov', 'Admin'],
  ['Marge Simpson', 'marge@springfield.gov', 'Analyst'],
  ['Bart Simpson', 'bart@springfield.gov', 'Read Only'],
  ['Lisa Simpson', 'lisa@springfield.gov', 'Admin'],
  ['Ned Flanders', 'ned@springfield.gov', 'Analyst'],
  ['Moe Szyslak', 'moe@springfield.gov', 'Read Only'],
  ['Waylon Smithers', 'smithers@springfield.gov', 'Admin'],
  ['Edna Krabappel', 'edna@springfield.gov', 'Analyst'],
  ['scim-provisioner', 'scim@springfield.gov', 'Admin'],
];
const TOKENS = ['ci-content-deploy', 'soar-integration', 'terraform', 'dashboards'];
const OFFICE_IPS = ['192.0.2.10', '192.0.2.44', '10.1.2.3', '10.20.30.40', '2001:db8:1::7'];
const OUTSIDE_IPS = ['198.51.100.23', '203.0.113.77', '198.51.100.7', '2001:db8:ffff::1'];
const BROWSERS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
];
const SCRIPTS = ['python-requests/2.31.0', 'Go-http-client/2.0', 'terraform/1.8.2', 'caracal-cli/0.1.0'];
const PERMISSIONS = [
  'AlertRead', 'AlertModify', 'RuleRead', 'RuleModify', 'UserRead', 'UserModify', 'DataAnalyticsRead',
  'OrganizationAPITokenRead', 'OrganizationAPITokenModify', 'GeneralSettingsRead', 'GeneralSettingsModify',
];
const SQL = [
  'SELECT * FROM panther_logs.panther_audit WHERE p_occurs_since(\'1 day\') LIMIT 100',
  'SELECT actor:name, count(*) FROM panther_logs.panther_audit GROUP BY 1',
  'SELECT * FROM panther_logs.okta_systemlog',
  'select * from panther_logs.aws_cloudtrail limit 5000000',
  'SELECT p_rule_id, count(*) FROM panther_rule_matches.panther_audit GROUP BY 1',
];
const ERRORS = [
  'User is not authorized to perform this action',
  'Permission denied: missing RuleModify',
  'lookup table not found',
  'validation failed: name must not be empty',
  'internal error, please retry',
];

/** A small, fast PRNG (mulberry32): deterministic across Node versions, unlike Math.random. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stamp(ms, rfc3339) {
  const iso = new Date(ms).toISOString();
  return rfc3339 ? iso : iso.replace('T', ' ').replace('Z', '');
}

function actionInput(action, i, rnd, pick) {
  const some = (list, n) => Array.from({ length: n }, () => pick(list)).filter((v, k, a) => a.indexOf(v) === k);
  if (/^DELETE_(DETECTION|DATA_MODEL|GLOBAL_HELPER|LOOKUP_TABLE|SAVED_DATA_LAKE_QUERY)$/.test(action)) {
    return rnd() < 0.5 ? { detections: [{ id: `Rule.Number${i % 97}` }] } : { ids: [`Item.${i % 89}`, `Item.${i % 13}`] };
  }
  if (/_USER_ROLE$/.test(action)) return { name: `Role ${i % 11}`, permissions: some(PERMISSIONS, 1 + Math.floor(rnd() * 4)) };
  if (/_API_TOKEN$/.test(action)) return { name: pick(TOKENS), permissions: some(PERMISSIONS, 1 + Math.floor(rnd() * 3)) };
  if (action === 'UPDATE_SAML_SETTINGS') {
    return { samlSettings: { enabled: rnd() < 0.8, idpUrl: 'https://idp.springfield.gov/metadata', defaultRoleId: '0d6a3b4c' } };
  }
  if (/DATA_LAKE_QUERY|SQL/.test(action)) return { sql: pick(SQL) };
  if (/^(CREATE|UPDATE|DELETE)_USER$/.test(action)) return { email: pick(PEOPLE)[1], role: pick(['Admin', 'Analyst', 'Read Only']) };
  if (/^UPDATE_(DETECTION_STATE|RULE|POLICY|DETECTION_PACK_STATE)$/.test(action)) {
    return rnd() < 0.5 ? { ids: [`Rule.Number${i % 97}`, `Rule.Number${(i + 5) % 97}`], enabled: rnd() < 0.6 } : { id: `Rule.Number${i % 97}`, enabled: rnd() < 0.6 };
  }
  if (/_LOG_SOURCE$|_CLOUD_ACCOUNT$/.test(action)) return { id: `src-${i % 17}`, label: `source-${i % 17}`, enabled: rnd() < 0.7 };
  return { id: `obj-${i % 101}` };
}

/** `count` Panther.Audit events of `tenantId`, the same for the same seed. */
function auditEvents(count, { tenantId = 'bench', seed = 20240305 } = {}) {
  const rnd = prng(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const start = Date.UTC(2024, 2, 5, 0, 0, 0);
  const events = [];
  for (let i = 0; i < count; i++) {
    const action = rnd() < 0.6 ? pick(READS) : pick(ACTIONS);
    const roll = rnd();
    const result = roll < 0.9 ? 'SUCCEEDED' : roll < 0.97 ? 'FAILED' : 'PARTIALLY_FAILED';
    const isToken = rnd() < 0.2;
    const person = pick(PEOPLE);
    const actor = isToken
      ? { id: `token-${TOKENS.indexOf(pick(TOKENS))}`, type: 'TOKEN', name: pick(TOKENS) }
      : {
          id: `user-${PEOPLE.indexOf(person)}`,
          type: 'USER',
          name: person[0],
          attributes: { email: person[1], emailVerified: true, roleId: `role-${person[2].length}`, roleName: person[2] },
        };
    const sourceIP = rnd() < 0.7 ? pick(OFFICE_IPS) : pick(OUTSIDE_IPS);
    const forwarded = rnd() < 0.15 ? [pick(OUTSIDE_IPS), sourceIP] : undefined;
    const userAgent = isToken ? (rnd() < 0.1 ? pick(BROWSERS) : pick(SCRIPTS)) : pick(BROWSERS);
    const ms = start + i * 173;
    const event = {
      p_log_type: 'Panther.Audit',
      p_tenant_id: tenantId,
      p_row_id: `bench-${seed}-${i}`,
      p_event_time: stamp(ms, false),
      p_parse_time: stamp(ms + 1500, false),
      p_source_id: 'bench-source',
      p_source_label: 'bench',
      p_schema_version: 1,
      p_any_ip_addresses: [...new Set([sourceIP, ...(forwarded ?? [])])],
      p_any_usernames: [actor.name],
      p_any_emails: actor.attributes ? [actor.attributes.email] : [],
      p_any_trace_ids: [actor.id],
      p_any_actor_ids: [actor.id],
      actionName: action,
      actionResult: result,
      actor,
      pantherVersion: rnd() < 0.8 ? '1.90.4' : '1.52.0',
      sourceIP,
      timestamp: stamp(ms, rnd() < 0.3),
      userAgent,
    };
    const shape = rnd();
    if (shape < 0.6) event.actionParams = { dynamic: { input: actionInput(action, i, rnd, pick) }, static: {} };
    else if (shape < 0.85) event.actionParams = { input: actionInput(action, i, rnd, pick) };
    if (forwarded) event.XForwardedFor = forwarded;
    event.errors = result === 'SUCCEEDED' ? null : [{ message: pick(ERRORS) }];
    events.push(event);
  }
  return events;
}

module.exports = { auditEvents };
