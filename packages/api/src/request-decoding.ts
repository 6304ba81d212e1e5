import type * as grpc from '@grpc/grpc-js';

/**
 * What a handler receives in place of a request that is not a valid message
 * of its type. grpc-js answers a decoding failure itself, with INTERNAL and
 * no word of the problem; handing this over instead lets the server refuse
 * it as the caller's mistake, through its one error path.
 */
export class UndecodableRequest {
  constructor(
    /** The message type expected, e.g. CreateSourceRequest. */
    readonly messageType: string,
    /** What the decoder said, e.g. "index out of range: 3 + 127 > 3". */
    readonly problem: string,
  ) {}
}

function messageTypeOf(method: grpc.MethodDefinition<unknown, unknown>): string {
  const type = (method as { requestType?: { type?: { name?: unknown } } }).requestType?.type?.name;
  return typeof type === 'string' ? type : `the request of ${method.path}`;
}

/**
 * The service definition with each method's request decoder answering an
 * UndecodableRequest instead of throwing. Give it to Server.addService.
 */
export function withUndecodableRequests(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const methods: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition as Record<string, grpc.MethodDefinition<unknown, unknown>>)) {
    const decode = method.requestDeserialize;
    const messageType = messageTypeOf(method);
    methods[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return decode(bytes);
        } catch (err) {
          return new UndecodableRequest(messageType, err instanceof Error ? err.message : String(err));
        }
      },
    };
  }
  return methods as grpc.ServiceDefinition;
}
