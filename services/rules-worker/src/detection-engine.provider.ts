import { Provider } from '@nestjs/common';
import { CONFIG, CaracalConfig, LOGGER, Logger } from '@caracal/core';
import { DetectionEngine, loadContent } from '@caracal/detections';

export const DETECTION_ENGINE = Symbol.for('caracal.detection-engine');

/** Loads the content directory once at start: a worker with broken content must not consume. */
export const detectionEngineProvider: Provider = {
  provide: DETECTION_ENGINE,
  inject: [CONFIG, LOGGER],
  useFactory: async (config: CaracalConfig, logger: Logger): Promise<DetectionEngine> => {
    const content = await loadContent(config.rulesDir);
    const engine = await DetectionEngine.create(content, { logger });
    logger.info({ rulesDir: config.rulesDir, rules: engine.rules().length }, 'detections loaded');
    return engine;
  },
};
