import { describe, expect, it } from 'vitest';
import { diskCell } from '../../bench/suite/report.ts';

describe("the store table's disk cell", () => {
  it('gives what stays (database and current snapshot) and names what replaced snapshots still hold', () => {
    expect(diskCell({ totalMb: 305.9, databaseMb: 93.3, snapshotMb: 212.6, currentSnapshotMb: 70.7 })).toBe(
      '164 (93.3 + 70.7); replaced snapshots not yet removed 142',
    );
    expect(diskCell({ totalMb: 164, databaseMb: 93.3, snapshotMb: 70.7, currentSnapshotMb: 70.7 })).toBe('164 (93.3 + 70.7)');
  });

  it('reads results from before the current snapshot was measured as they were', () => {
    expect(diskCell({ totalMb: 164, databaseMb: 93.3, snapshotMb: 70.7 })).toBe('164 (93.3 + 70.7)');
  });
});
