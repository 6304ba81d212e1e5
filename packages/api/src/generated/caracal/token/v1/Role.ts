// Original file: ../../proto/caracal/token/v1/token_service.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  ROLE_ADMIN: 'ROLE_ADMIN',
  ROLE_ANALYST: 'ROLE_ANALYST',
  ROLE_READ_ONLY: 'ROLE_READ_ONLY',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'ROLE_ADMIN'
  | 1
  | 'ROLE_ANALYST'
  | 2
  | 'ROLE_READ_ONLY'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
