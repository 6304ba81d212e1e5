// Original file: ../../proto/caracal/source/v1/source_service.proto


export interface ListSourcesRequest {
}

export interface ListSourcesRequest__Output {
}
