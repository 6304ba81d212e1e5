// Original file: ../../proto/caracal/detection/v1/detection_service.proto


export interface DeleteDetectionResponse {
}

export interface DeleteDetectionResponse__Output {
}
