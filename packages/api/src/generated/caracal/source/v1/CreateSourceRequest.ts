// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { SourceAuthMode as _caracal_source_v1_SourceAuthMode, SourceAuthMode__Output as _caracal_source_v1_SourceAuthMode__Output } from '../../../caracal/source/v1/SourceAuthMode';

export interface CreateSourceRequest {
  'sourceId'?: (string);
  'label'?: (string);
  'logType'?: (string);
  'authHeader'?: (string);
  'authMode'?: (_caracal_source_v1_SourceAuthMode);
  'rateLimitPerSecond'?: (number);
}

export interface CreateSourceRequest__Output {
  'sourceId': (string);
  'label': (string);
  'logType': (string);
  'authHeader': (string);
  'authMode': (_caracal_source_v1_SourceAuthMode__Output);
  'rateLimitPerSecond': (number);
}
