import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadContent } from './content-loader';
import { runRuleTests } from './rule-test-runner';
import { fixtureDir } from './test-support';

// Data model paths with JSONPath filters (`[?(@.name == 'ROLE_NAME')]`), as
// public data models use them. The fixture's nine tests pass under
// panther_analysis_tool 1.11.1 too, unchanged.
test('data model paths with filters resolve as the reference resolves them', async () => {
  const content = await loadContent(fixtureDir('jsonpath-filters'));
  assert.deepEqual(content.errors.map((e) => e.message), []);
  const report = await runRuleTests(content);
  assert.equal(report.total, 9);
  assert.deepEqual(report.results.filter((r) => !r.passed), []);
});

test('a filter that is not closed fails the rules of that log type with the path named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-jsonpath-'));
  fs.cpSync(fixtureDir('jsonpath-filters'), dir, { recursive: true });
  const model = path.join(dir, 'data_models', 'filtered_log.yml');
  fs.writeFileSync(model, fs.readFileSync(model, 'utf8').replace("[?(@.n > 4)]", "[?(@.n > 4)"));
  const report = await runRuleTests(await loadContent(dir));
  // The reference tool stops the whole run on it ("Parse error at 1:19"); here only the rules of that log type fail.
  const failed = report.results.filter((r) => !r.passed);
  assert.equal(failed.length, 8);
  // The two tests of `@` alone catch the error themselves: one passes, the other returns True where it expects False.
  for (const result of failed.filter((r) => r.name !== 'a filter on the element itself, one match')) assert.match(result.reason ?? '', /unclosed filter at offset 8 in '\$\.counts\[\?\(@\.n > 4\)\.n'/);
});
