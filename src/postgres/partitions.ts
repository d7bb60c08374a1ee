/** The month partitions of `messages`: `messages_yYYYYmMM`, [first of the month, first of the next) in UTC. */

/** Months since year 0 (UTC), a partition's identity. */
export const monthOf = (date: Date): number => date.getUTCFullYear() * 12 + date.getUTCMonth();

export const monthStart = (month: number): Date => new Date(Date.UTC(Math.floor(month / 12), month % 12, 1));

export function partitionName(month: number): string {
  const year = Math.floor(month / 12);
  return `messages_y${String(year).padStart(4, '0')}m${String((month % 12) + 1).padStart(2, '0')}`;
}

/** The month a partition name stands for, or undefined for a name this scheme did not make. */
export function monthOfPartition(name: string): number | undefined {
  const match = /^messages_y(\d{4})m(\d{2})$/.exec(name);
  if (!match) return undefined;
  const monthIndex = Number(match[2]) - 1;
  if (monthIndex < 0 || monthIndex > 11) return undefined;
  return Number(match[1]) * 12 + monthIndex;
}

/** The statement creating a month's partition (names and bounds are generated, never caller text). */
export function createPartitionSql(month: number): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF messages ` +
    `FOR VALUES FROM ('${monthStart(month).toISOString()}') TO ('${monthStart(month + 1).toISOString()}')`
  );
}
