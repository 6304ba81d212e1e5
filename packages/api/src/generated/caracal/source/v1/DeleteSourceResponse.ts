// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface DeleteSourceResponse {
}

export interface DeleteSourceResponse__Output {
}
