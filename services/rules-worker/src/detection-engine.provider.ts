import { Provider } from '@nestjs/common';
import { CONFIG, CaracalConfig, LOGGER, Logger, METRICS } from '@caracal/core';
import type { CaracalMetrics } from '@caracal/core/observability';
import { ContentSet, DetectionEngine, InvalidContentError, createKvStore, sandboxOptions } from '@caracal/detections';
import { DETECTION_CONTENT } from './detection-content.provider';

export const DETECTION_ENGINE = Symbol.for('caracal.detection-engine');

/** Runs the content pack (refused with errors: a worker with broken content must not consume). */
export const detectionEngineProvider: Provider = {
  provide: DETECTION_ENGINE,
  inject: [CONFIG, LOGGER, DETECTION_CONTENT, { token: METRICS, optional: true }],
  useFactory: async (config: CaracalConfig, logger: Logger, content: ContentSet, metrics?: CaracalMetrics): Promise<DetectionEngine> => {
    // Before the store is opened, so that refusing the content leaves nothing open.
    if (content.errors.length > 0) throw new InvalidContentError(content.errors);
    const kvStore = await createKvStore({ redisUrl: config.cache.redisUrl, connectTimeoutMs: config.cache.connectTimeoutMs, logger });
    const { processesPerTenant, maxProcesses, detectionTimeoutMs, processMemoryLimitMb } = config.detections;
    const engine = await DetectionEngine.create(content, {
      logger,
      ...(processesPerTenant > 0 ? { processesPerTenant } : {}),
      maxProcesses,
      detectionTimeoutMs,
      processMemoryLimitMb,
      sandbox: sandboxOptions(config),
      kvStore,
      closeKvStore: true,
      onProcessReplaced: (reason) => metrics?.detectionWorkerReplacements.inc({ reason }),
    });
    logger.info(
      { rulesDir: config.rulesDir, rules: engine.rules().length, cache: config.cache.redisUrl === undefined ? 'in-memory' : 'redis', detectionTimeoutMs },
      'detections loaded',
    );
    return engine;
  },
};
