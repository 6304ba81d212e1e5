// Original file: ../../proto/caracal/detection/v1/detection_service.proto

export const DetectionOrigin = {
  DETECTION_ORIGIN_UNSPECIFIED: 'DETECTION_ORIGIN_UNSPECIFIED',
  DETECTION_ORIGIN_PACK: 'DETECTION_ORIGIN_PACK',
  DETECTION_ORIGIN_TENANT: 'DETECTION_ORIGIN_TENANT',
} as const;

export type DetectionOrigin =
  | 'DETECTION_ORIGIN_UNSPECIFIED'
  | 0
  | 'DETECTION_ORIGIN_PACK'
  | 1
  | 'DETECTION_ORIGIN_TENANT'
  | 2

export type DetectionOrigin__Output = typeof DetectionOrigin[keyof typeof DetectionOrigin]
