import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DENIED_SYSCALLS_X86_64, sandboxFilterFor } from './seccomp-filter';

/** A tiny classic-BPF interpreter for the opcodes the filter uses. */
function run(program: Buffer, data: { nr: number; arch: number; arg0?: number }): number {
  const words = new Map([[0, data.nr], [4, data.arch], [16, data.arg0 ?? 0]]);
  let acc = 0;
  for (let pc = 0; pc < program.length / 8; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = words.get(k) ?? 0;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`opcode ${code}`);
  }
  throw new Error('fell off the program');
}

const X86_64 = 0xc000003e;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;

test('the filter refuses the denied calls, foreign sockets and the x32 ABI, and allows the rest', () => {
  const program = sandboxFilterFor('x64');
  assert.ok(program);
  for (const [name, nr] of Object.entries(DENIED_SYSCALLS_X86_64)) assert.equal(run(program, { nr, arch: X86_64 }), EPERM, name);
  assert.equal(run(program, { nr: 41, arch: X86_64, arg0: 2 }), EPERM, 'socket(AF_INET)');
  assert.equal(run(program, { nr: 41, arch: X86_64, arg0: 10 }), EPERM, 'socket(AF_INET6)');
  assert.equal(run(program, { nr: 41, arch: X86_64, arg0: 1 }), ALLOW, 'socket(AF_UNIX)');
  assert.equal(run(program, { nr: 0x40000000 + 1, arch: X86_64 }), EPERM, 'x32 write');
  for (const nr of [0, 1, 9, 59, 231]) assert.equal(run(program, { nr, arch: X86_64 }), ALLOW, `syscall ${nr}`);
  assert.equal(run(program, { nr: 0, arch: 0xc00000b7 }), 0x80000000, 'another architecture is killed');
  assert.equal(sandboxFilterFor('arm64'), undefined);
});
