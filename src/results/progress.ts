/** A progress bar on a stream; does nothing unless enabled and the stream is a TTY. */
export interface Progress {
  tick(): void;
  done(): void;
}

/**
 * A one-line progress bar (`derived [██████······] 12/40`) redrawn in place on stderr.
 *
 * @example
 * const bar = progressBar("derived", runs.length, true);
 * for (const r of runs) { await work(r); bar.tick(); }
 * bar.done();
 */
export function progressBar(
  label: string,
  total: number,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!enabled || !stream.isTTY || total === 0) return { tick() {}, done() {} };
  let n = 0;
  const width = 30;
  const draw = () => {
    const filled = Math.round((n / total) * width);
    stream.write(`\r${label} [${"█".repeat(filled)}${"·".repeat(width - filled)}] ${n}/${total}`);
  };
  draw();
  return {
    tick() {
      n += 1;
      draw();
    },
    done() {
      stream.write("\n");
    },
  };
}
