import * as grpc from '@grpc/grpc-js';
import { CaracalError, ErrorCode } from '@caracal/core';

const CODES: Record<ErrorCode, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  INVALID_EVENT: grpc.status.INVALID_ARGUMENT,
  INVALID_CONFIG: grpc.status.FAILED_PRECONDITION,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  CANCELLED: grpc.status.CANCELLED,
  DETECTION_ERROR: grpc.status.FAILED_PRECONDITION,
  INTERNAL: grpc.status.INTERNAL,
};

/** The one place where Caracal's errors become gRPC statuses. */
export function toGrpcError(err: unknown): Partial<grpc.ServiceError> {
  if (err instanceof CaracalError) return { code: CODES[err.code], details: err.message, message: err.message };
  return { code: grpc.status.INTERNAL, details: 'internal error', message: 'internal error' };
}
