import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileDurably } from './durable-file';

test('a durable write replaces the file whole and leaves no temporary file behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caracal-durable-'));
  try {
    const file = path.join(dir, 'state.json');
    await writeFileDurably(file, '{"a":1}');
    await writeFileDurably(file, '{"a":2}');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"a":2}');
    assert.deepEqual(fs.readdirSync(dir), ['state.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
