// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { Source as _caracal_source_v1_Source, Source__Output as _caracal_source_v1_Source__Output } from '../../../caracal/source/v1/Source';

export interface RotateSourceSecretResponse {
  'source'?: (_caracal_source_v1_Source | null);
  'secret'?: (string);
}

export interface RotateSourceSecretResponse__Output {
  'source': (_caracal_source_v1_Source__Output | null);
  'secret': (string);
}
