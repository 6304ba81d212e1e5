// Original file: ../../proto/caracal/source/v1/source_service.proto

export const SourceAuthMode = {
  SOURCE_AUTH_MODE_UNSPECIFIED: 'SOURCE_AUTH_MODE_UNSPECIFIED',
  SOURCE_AUTH_MODE_SHARED_SECRET: 'SOURCE_AUTH_MODE_SHARED_SECRET',
  SOURCE_AUTH_MODE_HMAC_SHA256: 'SOURCE_AUTH_MODE_HMAC_SHA256',
  SOURCE_AUTH_MODE_BEARER: 'SOURCE_AUTH_MODE_BEARER',
} as const;

export type SourceAuthMode =
  | 'SOURCE_AUTH_MODE_UNSPECIFIED'
  | 0
  | 'SOURCE_AUTH_MODE_SHARED_SECRET'
  | 1
  | 'SOURCE_AUTH_MODE_HMAC_SHA256'
  | 2
  | 'SOURCE_AUTH_MODE_BEARER'
  | 3

export type SourceAuthMode__Output = typeof SourceAuthMode[keyof typeof SourceAuthMode]
