import type { QueryColumn, QuerySink } from './query-sink.types';

export const RESULT_FORMAT = 'JSONCompactEachRowWithNamesAndTypes';

/** The part of the engine client's result set this reads. */
export interface RowStream {
  stream(): AsyncIterable<{ json(): unknown }[]>;
}

/**
 * Hands a result in JSONCompactEachRowWithNamesAndTypes (a line of names, a
 * line of types, then one array per row) to the sink, `chunkRows` rows at a
 * time, as the lines arrive: no more of the result is held than the engine
 * client has received and not yet passed on. Returns the number of rows.
 */
export async function readResult(rs: RowStream, sink: QuerySink, chunkRows: number, signal: AbortSignal): Promise<number> {
  let names: string[] | undefined;
  let columns: QueryColumn[] | undefined;
  let chunk: Record<string, unknown>[] = [];
  let count = 0;
  for await (const lines of rs.stream()) {
    for (const line of lines) {
      const values = line.json() as unknown[];
      if (names === undefined) {
        names = values as string[];
        continue;
      }
      if (columns === undefined) {
        columns = names.map((name, i) => ({ name, type: String(values[i]) }));
        await sink.columns(columns);
        continue;
      }
      const row: Record<string, unknown> = {};
      names.forEach((name, i) => (row[name] = values[i]));
      chunk.push(row);
      count++;
      if (chunk.length >= chunkRows) {
        signal.throwIfAborted();
        await sink.rows(chunk);
        chunk = [];
      }
    }
  }
  if (columns === undefined) throw new Error('the data lake answered without the column names and types');
  if (chunk.length > 0) await sink.rows(chunk);
  return count;
}
