// Original file: ../../proto/caracal/schedule/v1/schedule_service.proto


export interface ListScheduledQueriesRequest {
}

export interface ListScheduledQueriesRequest__Output {
}
