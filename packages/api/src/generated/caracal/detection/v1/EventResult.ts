// Original file: ../../proto/caracal/detection/v1/detection_service.proto

import type { Severity as _caracal_alert_v1_Severity, Severity__Output as _caracal_alert_v1_Severity__Output } from '../../../caracal/alert/v1/Severity';

export interface EventResult {
  'index'?: (number);
  'matched'?: (boolean);
  'title'?: (string);
  'dedup'?: (string);
  'severity'?: (_caracal_alert_v1_Severity);
  'alertContextJson'?: (string);
  'error'?: (string);
  'auxErrors'?: (string)[];
}

export interface EventResult__Output {
  'index': (number);
  'matched': (boolean);
  'title': (string);
  'dedup': (string);
  'severity': (_caracal_alert_v1_Severity__Output);
  'alertContextJson': (string);
  'error': (string);
  'auxErrors': (string)[];
}
