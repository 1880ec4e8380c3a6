/** Slots of the Int32Array the store's thread and the checkpoint thread share (wal-checkpoints.ts). */
export const COMMITS = 0;
export const STOP = 1;
export const SIGNAL_SLOTS = 2;
