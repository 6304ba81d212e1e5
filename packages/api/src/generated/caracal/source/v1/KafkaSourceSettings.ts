// Original file: ../../proto/caracal/source/v1/source_service.proto

import type { KafkaSaslMechanism as _caracal_source_v1_KafkaSaslMechanism, KafkaSaslMechanism__Output as _caracal_source_v1_KafkaSaslMechanism__Output } from '../../../caracal/source/v1/KafkaSaslMechanism';

export interface KafkaSourceSettings {
  'brokers'?: (string)[];
  'topic'?: (string);
  'tls'?: (boolean);
  'saslMechanism'?: (_caracal_source_v1_KafkaSaslMechanism);
  'saslUsername'?: (string);
  'saslPassword'?: (string);
}

export interface KafkaSourceSettings__Output {
  'brokers': (string)[];
  'topic': (string);
  'tls': (boolean);
  'saslMechanism': (_caracal_source_v1_KafkaSaslMechanism__Output);
  'saslUsername': (string);
  'saslPassword': (string);
}
