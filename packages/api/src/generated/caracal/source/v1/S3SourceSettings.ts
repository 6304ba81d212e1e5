// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface S3SourceSettings {
  'bucket'?: (string);
  'prefix'?: (string);
  'region'?: (string);
  'endpoint'?: (string);
  'forcePathStyle'?: (boolean);
  'accessKeyId'?: (string);
  'secretAccessKey'?: (string);
}

export interface S3SourceSettings__Output {
  'bucket': (string);
  'prefix': (string);
  'region': (string);
  'endpoint': (string);
  'forcePathStyle': (boolean);
  'accessKeyId': (string);
  'secretAccessKey': (string);
}
