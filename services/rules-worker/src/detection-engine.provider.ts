import { Provider } from '@nestjs/common';
import { CONFIG, CaracalConfig, LOGGER, Logger } from '@caracal/core';
import { DetectionEngine, createKvStore, loadContent } from '@caracal/detections';

export const DETECTION_ENGINE = Symbol.for('caracal.detection-engine');

/** Loads the content directory once at start: a worker with broken content must not consume. */
export const detectionEngineProvider: Provider = {
  provide: DETECTION_ENGINE,
  inject: [CONFIG, LOGGER],
  useFactory: async (config: CaracalConfig, logger: Logger): Promise<DetectionEngine> => {
    const content = await loadContent(config.rulesDir);
    const kvStore = await createKvStore({ redisUrl: config.cache.redisUrl, connectTimeoutMs: config.cache.connectTimeoutMs, logger });
    const { workerThreads, detectionTimeoutMs, workerMemoryLimitMb, interpretersPerWorker } = config.detections;
    const engine = await DetectionEngine.create(content, {
      logger,
      ...(workerThreads > 0 ? { workerThreads } : {}),
      detectionTimeoutMs,
      workerMemoryLimitMb,
      interpretersPerWorker,
      kvStore,
      closeKvStore: true,
    });
    logger.info(
      { rulesDir: config.rulesDir, rules: engine.rules().length, cache: config.cache.redisUrl === undefined ? 'in-memory' : 'redis', detectionTimeoutMs },
      'detections loaded',
    );
    return engine;
  },
};
