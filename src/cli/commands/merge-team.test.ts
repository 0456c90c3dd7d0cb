import { expect, it } from "vitest";
import { S3BlobStore } from "../../store/artifacts/s3.js";
import { useTestS3 } from "../../store/artifacts/test-support/s3-server.js";
import { openPostgresStore } from "../../store/sql/dialects/postgres/open.js";
import { describePostgres, pgTestDatabase, tempStore } from "../../store/sql/test-support/temp-store.js";
import { cli } from "../test-support/capture.js";

const s3 = useTestS3();

describePostgres("labbook merge SRC --into postgres://... --artifacts s3://...", () => {
  it("copies an embedded store, artifacts included, into the team database and bucket; again copies nothing", async () => {
    const laptop = await tempStore("laptop");
    const into = `${await pgTestDatabase()}?schema=team_merge`;
    const bucket = s3.uri("team");
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const run = await laptop.store.startRun({
          experiment: "sweep",
          runId: "deterministic",
          params: { i },
        });
        await run.logMetrics({ acc: i / 30 });
        await run.logRows([{ datapointId: "q1", scores: { em: i % 2 } }]);
        await run.logArtifact("weights.bin", new Uint8Array([i, i + 1]));
        await run.finish();
        ids.push(run.runId);
      }
      const first = await cli(["merge", laptop.dir(), "--into", into, "--artifacts", bucket]);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(
        /merged 1 experiments, 30 runs, 30 rows, .*30 artifacts; 0 runs already here/,
      );
      const again = await cli(["merge", laptop.dir(), "--into", into, "--artifacts", bucket, "--json"]);
      expect(JSON.parse(again.stdout)).toMatchObject({ runs: 0, runsSkipped: 30, artifacts: 0 });

      const team = await openPostgresStore(into, { artifacts: bucket });
      try {
        expect(
          (await team.searchRuns({ filter: "metrics.acc >= 0.5", pageSize: 100 })).pagination.totalResults,
        ).toBe(15);
        const art = await team.getArtifact(ids[7]!, "weights.bin");
        expect([...art.bytes]).toEqual([7, 8]);
      } finally {
        await team.close();
      }
      let objects = 0;
      for await (const _ of S3BlobStore.fromUri(bucket).list("")) objects++;
      expect(objects).toBe(30);
    } finally {
      await laptop.close();
    }
  }, 120_000);
});
