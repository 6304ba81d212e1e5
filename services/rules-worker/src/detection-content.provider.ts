import { Provider } from '@nestjs/common';
import { CONFIG, CaracalConfig } from '@caracal/core';
import { loadContent } from '@caracal/detections';

export const DETECTION_CONTENT = Symbol.for('caracal.detection-content');

/**
 * The content pack of the rules directory, loaded once at start: what every
 * tenant runs, and what each tenant's own detections are laid over.
 */
export const detectionContentProvider: Provider = {
  provide: DETECTION_CONTENT,
  inject: [CONFIG],
  useFactory: (config: CaracalConfig) => loadContent(config.rulesDir),
};
