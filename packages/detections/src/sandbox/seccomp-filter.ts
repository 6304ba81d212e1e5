/**
 * A seccomp-bpf program for the detection host, in the binary form that
 * bubblewrap's `--seccomp FD` loads. It is a deny list on top of the other
 * walls (namespaces, an unprivileged user, Node's permission model): calls a
 * Node process running Pyodide never makes and that an attacker who got
 * native code would want first. execve stays allowed because bubblewrap
 * installs the filter before it executes node.
 *
 * Only x86-64 is described; on another architecture the host runs without a
 * filter (sandboxFilterFor answers undefined) and the decision record says so.
 */

// struct sock_filter opcodes (linux/bpf_common.h)
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const EPERM = 1;
const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const AF_UNIX = 1;

/** offsetof(struct seccomp_data, ...) */
const NR_OFFSET = 0;
const ARCH_OFFSET = 4;
const ARG0_OFFSET = 16;

/** x86-64 numbers of the calls refused with EPERM. */
export const DENIED_SYSCALLS_X86_64: Readonly<Record<string, number>> = {
  ptrace: 101,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  mount: 165,
  umount2: 166,
  pivot_root: 155,
  chroot: 161,
  unshare: 272,
  setns: 308,
  bpf: 321,
  perf_event_open: 298,
  userfaultfd: 323,
  keyctl: 250,
  add_key: 248,
  request_key: 249,
  kexec_load: 246,
  kexec_file_load: 320,
  init_module: 175,
  finit_module: 313,
  delete_module: 176,
  reboot: 169,
  swapon: 167,
  swapoff: 168,
  acct: 163,
  iopl: 172,
  ioperm: 173,
  quotactl: 179,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  personality: 135,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  mount_setattr: 442,
};
const SOCKET_X86_64 = 41;

interface Instruction {
  code: number;
  jt: number | string;
  jf: number | string;
  k: number;
  label?: string;
}

function encode(program: Instruction[]): Buffer {
  const labels = new Map<string, number>();
  program.forEach((ins, i) => ins.label && labels.set(ins.label, i));
  const out = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    const jump = (target: number | string): number => {
      if (typeof target === 'number') return target;
      const at = labels.get(target);
      if (at === undefined) throw new Error(`seccomp: no label ${target}`);
      const offset = at - i - 1;
      if (offset < 0 || offset > 255) throw new Error(`seccomp: jump to ${target} out of range`);
      return offset;
    };
    out.writeUInt16LE(ins.code, i * 8);
    out.writeUInt8(jump(ins.jt), i * 8 + 2);
    out.writeUInt8(jump(ins.jf), i * 8 + 3);
    out.writeUInt32LE(ins.k >>> 0, i * 8 + 4);
  });
  return out;
}

/** The program for this machine's architecture, or undefined where none is described. */
export function sandboxFilterFor(arch: string = process.arch): Buffer | undefined {
  if (arch !== 'x64') return undefined;
  const p: Instruction[] = [
    { code: LD_W_ABS, jt: 0, jf: 0, k: ARCH_OFFSET },
    { code: JEQ_K, jt: 0, jf: 'kill', k: AUDIT_ARCH_X86_64 },
    { code: LD_W_ABS, jt: 0, jf: 0, k: NR_OFFSET },
    // The x32 ABI reaches the same kernel calls under other numbers.
    { code: JGE_K, jt: 'deny', jf: 0, k: X32_SYSCALL_BIT },
    ...Object.values(DENIED_SYSCALLS_X86_64).map((nr) => ({ code: JEQ_K, jt: 'deny', jf: 0, k: nr })),
    { code: JEQ_K, jt: 0, jf: 'allow', k: SOCKET_X86_64 },
    // socket(): only local sockets (libuv's own); the network namespace is empty anyway.
    { code: LD_W_ABS, jt: 0, jf: 0, k: ARG0_OFFSET },
    { code: JEQ_K, jt: 'allow', jf: 'deny', k: AF_UNIX },
    { code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW, label: 'allow' },
    { code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ERRNO | EPERM, label: 'deny' },
    { code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_KILL_PROCESS, label: 'kill' },
  ];
  return encode(p);
}
