/**
 * `node --import tsx s3rver-child.ts DIR BUCKET`: an S3-compatible server (s3rver) on a free
 * loopback port, objects under DIR, with BUCKET created; prints `port <n>` once listening and
 * runs until killed. A process of its own, so that a test measures its own memory only.
 */
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  directory: directory!,
  silent: true,
  configureBuckets: [{ name: bucket!, configs: [] }],
});
const { port } = await server.run();
process.stdout.write(`port ${port}\n`);
process.on("SIGTERM", () => {
  server.close().finally(() => process.exit(0));
});
