/**
 * Waits for `work` at most `ms`: true when it settled in time. A rejection counts as settled (the caller
 * only wants to know whether to stop waiting); the timer keeps a shutdown alive until then, and is
 * cleared as soon as `work` settles.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  const outcome = await Promise.race([settled, late]);
  clearTimeout(timer);
  return outcome;
}
