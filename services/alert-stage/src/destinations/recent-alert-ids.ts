/**
 * The ids of the most recently handled alerts, oldest forgotten first. The
 * alert stage may publish the same record again after a crash; this keeps a
 * second delivery from following without keeping every alert id forever.
 */
export class RecentAlertIds {
  private readonly ids = new Set<string>();

  constructor(readonly capacity = 10_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    // A Set iterates in insertion order, so the first is the oldest.
    for (const oldest of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(oldest);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}
