import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCaracal } from '../support/caracal-process';
import { tempDir } from '../support/test-env';

// `caracal start` with content it refuses says why and exits non-zero. It used
// to exit 1 without a word: the framework's own exit on a failed start ran
// before the error reached the CLI (a real tree's templates/ did it).
test('caracal start refuses content with errors and names each one', () => {
  const dir = tempDir('start-content-errors');
  const rules = path.join(dir, 'rules');
  fs.mkdirSync(rules);
  fs.writeFileSync(
    path.join(rules, 'broken.yml'),
    'AnalysisType: rule\nRuleID: Broken.Rule\nFilename: missing.py\nEnabled: true\nLogTypes: [Panther.Audit]\nSeverity: Low\n',
  );
  try {
    const r = runCaracal(['start'], { CARACAL_DATA_DIR: path.join(dir, 'data'), CARACAL_HTTP_PORT: '0', CARACAL_GRPC_PORT: '0', CARACAL_LOG_LEVEL: 'warn', CARACAL_RULES_DIR: rules });
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /detection content has 1 error/);
    assert.match(r.stderr, /broken\.yml: Filename: cannot read .*missing\.py/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
