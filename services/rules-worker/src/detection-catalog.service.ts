import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type BusTopicReader, type ConsumedMessage, DETECTIONS, ensureContractTopics, type MessageBus } from '@caracal/bus';
import { LOGGER, Logger, MESSAGE_BUS, describeError } from '@caracal/core';
import { TenantDetectionRecord } from '@caracal/core/messages';
import { ContentSet, DetectionEngine, TenantDetectionLedger, tenantContent } from '@caracal/detections';
import { DETECTION_CONTENT } from './detection-content.provider';
import { DETECTION_ENGINE } from './detection-engine.provider';

const CATCH_UP_TIMEOUT_MS = 60_000;

/**
 * Each tenant's detections, as put and deleted through the API: follows the
 * compacted detections topic from its beginning, keeps the latest record of
 * every key, and gives the engine a tenant's content (the pack with its
 * records laid over it) whenever that tenant's records change. A record that
 * cannot be used is logged and left out; nothing read here stops the worker.
 */
@Injectable()
export class DetectionCatalogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private reader: BusTopicReader | undefined;
  private started: Promise<void> | undefined;
  private readonly ledger = new TenantDetectionLedger();
  /** Tenants whose records changed since their content was last given to the engine. */
  private readonly changed = new Set<string>();
  /** Until caught up, changes are only collected: a tenant's history is applied once, not record by record. */
  private live = false;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(DETECTION_ENGINE) private readonly engine: DetectionEngine,
    @Inject(DETECTION_CONTENT) private readonly base: ContentSet,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  /**
   * Resolves once every record published before the call is in the engine
   * (the same promise for every caller); rejects if the topic cannot be read
   * in time, so that a worker never starts on stale detections.
   */
  start(): Promise<void> {
    this.started ??= this.follow();
    return this.started;
  }

  private async follow(): Promise<void> {
    await ensureContractTopics(this.bus, [DETECTIONS]);
    this.reader = this.bus.reader(DETECTIONS.name);
    await this.reader.run((partition, messages) => this.receive(partition, messages));
    await this.reader.caughtUp(CATCH_UP_TIMEOUT_MS);
    this.live = true;
    this.applyChanges();
    this.logger.info({ tenants: this.ledger.tenants, records: this.ledger.size }, 'tenant detections caught up');
  }

  /** The latest records of one tenant (deleted ones included), for inspection. */
  recordsOf(tenantId: string): TenantDetectionRecord[] {
    return this.ledger.recordsOf(tenantId);
  }

  private receive(partition: number, messages: ConsumedMessage[]): void {
    for (const message of messages) {
      try {
        const tenantId = this.ledger.take(message.key, message.value);
        if (tenantId !== undefined) this.changed.add(tenantId);
      } catch (err) {
        // Bad data, not a bug here: the reason without a stack.
        this.logger.warn({ partition, offset: message.offset, key: message.key, problem: describeError(err) }, 'unreadable tenant detection record skipped');
      }
    }
    if (this.live) this.applyChanges();
  }

  private applyChanges(): void {
    for (const tenantId of this.changed) {
      try {
        const records = this.ledger.recordsOf(tenantId);
        const { content, problems } = tenantContent(this.base, records);
        for (const p of problems) {
          this.logger.warn({ tenant: p.tenantId, ruleId: p.ruleId, version: p.version, problem: describeError(p.error) }, 'tenant detection left out; the tenant runs without it');
        }
        this.engine.setTenantContent(tenantId, content);
        this.logger.info({ tenant: tenantId, records: records.length, rules: this.engine.rulesFor(tenantId).length, leftOut: problems.length }, 'tenant detections applied');
      } catch (err) {
        this.logger.error({ err, tenant: tenantId }, 'tenant detections not applied; the tenant keeps the ones it had');
      }
    }
    this.changed.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reader?.stop();
  }
}
