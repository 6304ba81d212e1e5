// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplayCost {
  'lakeQueries'?: (number);
  'eventBytes'?: (number | string | Long);
  'lakeSeconds'?: (number | string);
  'detectionSeconds'?: (number | string);
  'elapsedSeconds'?: (number | string);
}

export interface ReplayCost__Output {
  'lakeQueries': (number);
  'eventBytes': (string);
  'lakeSeconds': (number);
  'detectionSeconds': (number);
  'elapsedSeconds': (number);
}
