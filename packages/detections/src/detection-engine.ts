import { InvalidArgumentError, Logger, NormalizedEvent } from '@caracal/core';
import { contentPayload } from './content-payload';
import type { ContentSet, RuleSpec } from './content.types';
import { DetectionRuntimeError, InvalidContentError } from './errors';
import { RuleOutcome, decodeOutcomes } from './rule-outcome';
import { TenantInterpreter } from './tenant-interpreter';

export interface DetectionEngineOptions {
  logger?: Logger;
}

export interface DetectionEngineStats {
  /** Tenants that have an interpreter (started or starting). */
  interpreters: number;
  /** Calls into Python (one per evaluate() that had events for some rule). */
  batches: number;
  /** Events sent to Python. */
  events: number;
}

/** Evaluates enabled rules on events, one Python interpreter per tenant. */
export class DetectionEngine {
  private readonly interpreters = new Map<string, TenantInterpreter>();
  private readonly ruleLogTypes: ReadonlySet<string>;
  private readonly ruleList: readonly RuleSpec[];
  private closed = false;

  private constructor(
    content: ContentSet,
    private readonly payload: string,
    private readonly options: DetectionEngineOptions,
  ) {
    this.ruleList = Object.freeze([...content.rules]);
    this.ruleLogTypes = new Set(content.rules.filter((r) => r.enabled).flatMap((r) => r.logTypes));
  }

  /** Refuses content with errors: a half-loaded rule set would silently miss detections. */
  static async create(content: ContentSet, options: DetectionEngineOptions = {}): Promise<DetectionEngine> {
    if (content.errors.length > 0) throw new InvalidContentError(content.errors);
    return new DetectionEngine(content, contentPayload(content), options);
  }

  rules(): readonly RuleSpec[] {
    return this.ruleList;
  }

  stats(): DetectionEngineStats {
    let batches = 0;
    let events = 0;
    for (const interpreter of this.interpreters.values()) {
      batches += interpreter.batches;
      events += interpreter.events;
    }
    return { interpreters: this.interpreters.size, batches, events };
  }

  /** Events of one tenant; lazily creates that tenant's interpreter. */
  async evaluate(tenantId: string, events: NormalizedEvent[]): Promise<RuleOutcome[]> {
    if (this.closed) throw new DetectionRuntimeError('the detection engine is closed', { code: 'UNAVAILABLE' });
    if (typeof tenantId !== 'string' || tenantId === '') throw new InvalidArgumentError('tenantId is required');
    // Events without a rule for their log type never cross into Python.
    const batch: NormalizedEvent[] = [];
    const batchToCaller: number[] = [];
    events.forEach((event, index) => {
      if (event.p_tenant_id !== undefined && event.p_tenant_id !== tenantId) {
        throw new InvalidArgumentError(`event ${index} belongs to tenant ${event.p_tenant_id}, not ${tenantId}`);
      }
      if (this.ruleLogTypes.has(event.p_log_type)) {
        batch.push(event);
        batchToCaller.push(index);
      }
    });
    if (batch.length === 0) return [];
    const eventsJson = JSON.stringify(batch);
    const interpreter = this.interpreterFor(tenantId);
    const outcomesJson = await interpreter.run((runtime) => {
      const json = runtime.evaluateBatch(eventsJson);
      interpreter.batches += 1;
      interpreter.events += batch.length;
      return json;
    });
    return decodeOutcomes(outcomesJson, batchToCaller);
  }

  private interpreterFor(tenantId: string): TenantInterpreter {
    let interpreter = this.interpreters.get(tenantId);
    if (!interpreter) {
      interpreter = new TenantInterpreter(tenantId, this.payload, this.options.logger);
      this.interpreters.set(tenantId, interpreter);
    }
    return interpreter;
  }

  async close(): Promise<void> {
    this.closed = true;
    const interpreters = [...this.interpreters.values()];
    this.interpreters.clear();
    await Promise.all(interpreters.map((i) => i.close()));
  }
}
