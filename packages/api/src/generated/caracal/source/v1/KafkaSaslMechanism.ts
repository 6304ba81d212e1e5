// Original file: ../../proto/caracal/source/v1/source_service.proto

export const KafkaSaslMechanism = {
  KAFKA_SASL_MECHANISM_UNSPECIFIED: 'KAFKA_SASL_MECHANISM_UNSPECIFIED',
  KAFKA_SASL_MECHANISM_PLAIN: 'KAFKA_SASL_MECHANISM_PLAIN',
  KAFKA_SASL_MECHANISM_SCRAM_SHA_256: 'KAFKA_SASL_MECHANISM_SCRAM_SHA_256',
  KAFKA_SASL_MECHANISM_SCRAM_SHA_512: 'KAFKA_SASL_MECHANISM_SCRAM_SHA_512',
} as const;

export type KafkaSaslMechanism =
  | 'KAFKA_SASL_MECHANISM_UNSPECIFIED'
  | 0
  | 'KAFKA_SASL_MECHANISM_PLAIN'
  | 1
  | 'KAFKA_SASL_MECHANISM_SCRAM_SHA_256'
  | 2
  | 'KAFKA_SASL_MECHANISM_SCRAM_SHA_512'
  | 3

export type KafkaSaslMechanism__Output = typeof KafkaSaslMechanism[keyof typeof KafkaSaslMechanism]
