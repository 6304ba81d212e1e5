import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as AlertProto } from './generated/alert_service';
import type { ProtoGrpcType as DetectionProto } from './generated/detection_service';
import type { ProtoGrpcType as QueryProto } from './generated/query_service';
import type { ProtoGrpcType as ScheduleProto } from './generated/schedule_service';
import type { ProtoGrpcType as SourceProto } from './generated/source_service';
import type { ProtoGrpcType as TokenProto } from './generated/token_service';

export const PROTO_FILES = [
  'caracal/query/v1/query_service.proto',
  'caracal/alert/v1/alert_service.proto',
  'caracal/detection/v1/detection_service.proto',
  'caracal/source/v1/source_service.proto',
  'caracal/token/v1/token_service.proto',
  'caracal/schedule/v1/schedule_service.proto',
];

/** The repository's proto/ folder, found from this file so it works from src, dist and an image alike. */
export function protoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'proto', 'caracal');
    if (fs.existsSync(candidate)) return path.join(dir, 'proto');
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the proto/ folder above ${__dirname}`);
    dir = parent;
  }
}

export type CaracalProtos = QueryProto & AlertProto & DetectionProto & SourceProto & TokenProto & ScheduleProto;

// The same options the generated types were made with (packages/api "generate").
const LOADER_OPTIONS: protoLoader.Options = { longs: String, enums: String, defaults: true, oneofs: true, keepCase: false };

let cachedDefinition: protoLoader.PackageDefinition | undefined;
let cached: CaracalProtos | undefined;

/** The loaded descriptors, for server reflection. */
export function protoDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(PROTO_FILES, { ...LOADER_OPTIONS, includeDirs: [protoRoot()] });
  return cachedDefinition;
}

export function loadProtos(): CaracalProtos {
  cached ??= grpc.loadPackageDefinition(protoDefinition()) as unknown as CaracalProtos;
  return cached;
}
