import { Admin, Kafka, logLevel } from 'kafkajs';

/**
 * Offsets of consumer groups on a given broker (kafka-lag.ts reads the suite's
 * broker only; a fault test may run its own). One admin connection, reused by
 * every poll of a wait.
 */
export class GroupOffsets {
  private readonly admin: Admin;
  private connected: Promise<void> | undefined;

  constructor(brokers: string, private readonly prefix: string) {
    this.admin = new Kafka({ clientId: 'caracal-test-offsets', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    await this.connected;
    return this.admin;
  }

  /** Per topic: messages the group has committed past, and messages it has not handled yet. */
  async progress(groupId: string, topics: string[]): Promise<{ committed: number; lag: number }> {
    const admin = await this.ready();
    let committed = 0;
    let lag = 0;
    const offsets = await admin.fetchOffsets({ groupId: this.prefix + groupId, topics: topics.map((t) => this.prefix + t) });
    for (const t of offsets) {
      const ends = await admin.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = ends.find((e) => e.partition === p.partition)!;
        const low = BigInt(end.low);
        const at = BigInt(p.offset) < 0n ? low : BigInt(p.offset);
        committed += Number(at - low);
        lag += Number(BigInt(end.high) - at);
      }
    }
    return { committed, lag };
  }

  /** Every message ever published to a topic, summed over its partitions. */
  async published(topic: string): Promise<number> {
    const admin = await this.ready();
    const ends = await admin.fetchTopicOffsets(this.prefix + topic);
    return ends.reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);
  }

  /** Drops the connection, so the next call connects again (after the broker came back). */
  async reset(): Promise<void> {
    const was = this.connected;
    this.connected = undefined;
    if (was) await this.admin.disconnect().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
