import type { CaracalConfig } from '@caracal/core';
import type { SandboxOptions } from './sandbox-launch';

/** The sandbox the configuration asks for, as the engine and the test runner take it. */
export function sandboxOptions(config: Pick<CaracalConfig, 'detections'>): SandboxOptions {
  const { sandbox, bwrapPath } = config.detections;
  return { kind: sandbox, ...(bwrapPath === undefined ? {} : { bwrapPath }) };
}
