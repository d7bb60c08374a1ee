/**
 * Accepted messages per number (canonical form) per calendar day, shared by every replica. Counting
 * is reservation: taken before the SMN call, given back when the number was not sent after all.
 */
export interface DailyCounterStore {
  /**
   * For each number in order (a number may repeat), takes one of the day's `limit` sends if one is
   * left; true where taken. Atomic: concurrent calls on any replica never take more than `limit`.
   */
  reserve(day: string, numbers: readonly string[], limit: number): Promise<boolean[]>;
  /** Gives back one send per number given. */
  release(day: string, numbers: readonly string[]): Promise<void>;
}
