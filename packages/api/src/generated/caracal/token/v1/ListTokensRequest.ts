// Original file: ../../proto/caracal/token/v1/token_service.proto


export interface ListTokensRequest {
}

export interface ListTokensRequest__Output {
}
