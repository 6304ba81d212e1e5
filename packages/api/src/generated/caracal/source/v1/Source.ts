// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface Source {
  'sourceId'?: (string);
  'label'?: (string);
  'logType'?: (string);
  'secretHeader'?: (string);
  'createdTime'?: (_google_protobuf_Timestamp | null);
}

export interface Source__Output {
  'sourceId': (string);
  'label': (string);
  'logType': (string);
  'secretHeader': (string);
  'createdTime': (_google_protobuf_Timestamp__Output | null);
}
