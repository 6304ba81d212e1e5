/** @caracal/ingest: HTTP ingest: source authentication, bodies, normalization, acknowledged publish. */
export { IngestModule } from './ingest.module';
