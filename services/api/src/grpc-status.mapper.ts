import * as grpc from '@grpc/grpc-js';
import { CaracalError, ErrorCode, MAX_STATUS_DETAILS_BYTES, truncateUtf8 } from '@caracal/core';

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

/**
 * The one place where Caracal's errors become gRPC statuses. The details are
 * cut to MAX_STATUS_DETAILS_BYTES: they travel in the grpc-message trailer,
 * and a message echoing a huge argument would make a trailer the client's
 * HTTP/2 layer refuses, leaving the call without any status at all.
 */
export function toGrpcError(err: unknown): Partial<grpc.ServiceError> {
  if (err instanceof CaracalError) {
    const details = truncateUtf8(err.message, MAX_STATUS_DETAILS_BYTES);
    return { code: CODES[err.code], details, message: details };
  }
  return { code: grpc.status.INTERNAL, details: 'internal error', message: 'internal error' };
}
