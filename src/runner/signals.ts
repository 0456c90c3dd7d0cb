/**
 * While a sweep runs: the first SIGINT calls `onInterrupt` (the runner cancels the runs in
 * flight and starts no more) and sets the exit code to 130; a second SIGINT exits at once.
 * Returns the function that removes the handler.
 *
 * @example
 * const release = onSigint(() => controller.abort());
 * try { await sweep(); } finally { release(); }
 */
export function onSigint(onInterrupt: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count > 1) process.exit(130);
    process.exitCode = 130;
    process.stderr.write(
      "\nlabbook: interrupted; cancelling the runs in flight (Ctrl-C again to quit now)\n",
    );
    onInterrupt();
  };
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGINT", handler);
  };
}
