// Original file: ../../proto/caracal/source/v1/source_service.proto

export const SourceTransport = {
  SOURCE_TRANSPORT_UNSPECIFIED: 'SOURCE_TRANSPORT_UNSPECIFIED',
  SOURCE_TRANSPORT_HTTP: 'SOURCE_TRANSPORT_HTTP',
  SOURCE_TRANSPORT_S3: 'SOURCE_TRANSPORT_S3',
  SOURCE_TRANSPORT_KAFKA: 'SOURCE_TRANSPORT_KAFKA',
} as const;

export type SourceTransport =
  | 'SOURCE_TRANSPORT_UNSPECIFIED'
  | 0
  | 'SOURCE_TRANSPORT_HTTP'
  | 1
  | 'SOURCE_TRANSPORT_S3'
  | 2
  | 'SOURCE_TRANSPORT_KAFKA'
  | 3

export type SourceTransport__Output = typeof SourceTransport[keyof typeof SourceTransport]
