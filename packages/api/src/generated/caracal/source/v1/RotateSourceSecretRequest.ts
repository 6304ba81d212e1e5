// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface RotateSourceSecretRequest {
  'sourceId'?: (string);
  'previousValidSeconds'?: (number);
  '_previousValidSeconds'?: "previousValidSeconds";
}

export interface RotateSourceSecretRequest__Output {
  'sourceId': (string);
  'previousValidSeconds'?: (number);
  '_previousValidSeconds'?: "previousValidSeconds";
}
