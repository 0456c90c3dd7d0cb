import type { Command } from "commander";
import { invalid } from "../../core/errors.js";
import { startServer } from "../../server/start.js";
import { openStore } from "../../store/open-store.js";
import { globalOptions } from "../context.js";

interface UiOptions {
  store?: string;
  port: string;
}

/**
 * `labbook ui [--store PATH] [--port 7878]`: the web page over an embedded store, on
 * 127.0.0.1 (open: no key needed on loopback while none exists), until SIGINT or SIGTERM.
 * Prints the page's URL.
 *
 * @example
 * labbook ui --store ./labbook
 */
export function registerUi(program: Command): void {
  program
    .command("ui")
    .description("open the web page over the embedded store on 127.0.0.1 (prints its URL)")
    .option("--store <path>", "the store folder (default: $LABBOOK_STORE or ./labbook)")
    .option("--port <n>", "port (0 picks a free one)", "7878")
    .action(async (opts: UiOptions, cmd: Command) => {
      const uri = opts.store ?? globalOptions(cmd).store ?? process.env.LABBOOK_STORE ?? "./labbook";
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith("sqlite:")) {
        throw invalid(
          "store",
          "labbook ui serves an embedded store (a folder); open a server's own page instead",
          uri,
        );
      }
      const port = Number(opts.port);
      if (!/^\d+$/.test(opts.port) || port > 65_535)
        throw invalid("--port", "must be a port number", opts.port);
      const store = await openStore(uri);
      try {
        const server = await startServer(store, { host: "127.0.0.1", port });
        if (!server.open) {
          process.stdout.write("API keys exist in this store: the page asks for one\n");
        }
        process.stdout.write(`labbook web page for ${store.uri}: ${server.url}/\n`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await server.close();
      } finally {
        await store.close();
      }
    });
}
